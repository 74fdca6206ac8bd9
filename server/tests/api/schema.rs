//! The two migration folders describe one schema: after migrating a fresh SQLite
//! and a fresh PostgreSQL database, they have the same tables, the same columns and
//! the same nullability.
use crate::helpers::{Kind, TestStore};
use app::platform::{Backend, Store};
use std::collections::BTreeSet;

/// (table, column, nullable) of every column the migrations made.
pub async fn columns(store: &Store) -> BTreeSet<(String, String, bool)> {
    let rows: Vec<(String, String, bool)> = match store.backend() {
        Backend::Sqlite(pool) => sqlx::query_as(
            "SELECT m.name, p.name, (p.\"notnull\" = 0 AND p.pk = 0)
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        Backend::Postgres(pool) => sqlx::query_as(
            "SELECT table_name::text, column_name::text, is_nullable = 'YES'
             FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
    };
    rows.into_iter().collect()
}

#[tokio::test]
async fn sqlite_and_postgresql_schemas_agree() {
    let sqlite = TestStore::start(Kind::Sqlite).await.unwrap();
    let Some(postgres) = TestStore::start(Kind::Postgres).await else {
        return;
    };
    let (s, p) = (columns(&sqlite.store).await, columns(&postgres.store).await);
    assert!(s.len() > 50, "the schema was read: {} columns", s.len());
    let only_sqlite: Vec<_> = s.difference(&p).collect();
    let only_postgres: Vec<_> = p.difference(&s).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migrations differ.\nonly on SQLite: {only_sqlite:#?}\nonly on PostgreSQL: {only_postgres:#?}"
    );
}
