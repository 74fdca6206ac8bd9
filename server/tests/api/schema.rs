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

/// Every table of the schema is classified in `app::privacy::TABLES` (what it holds
/// about people and which feature exports and erases it), and nothing else is.
#[tokio::test]
async fn every_table_is_covered_by_export_and_erasure_or_says_why_not() {
    let db = TestStore::start(Kind::Sqlite).await.unwrap();
    let tables: BTreeSet<String> = columns(&db.store)
        .await
        .into_iter()
        .map(|(t, _, _)| t)
        .collect();
    let listed: BTreeSet<String> = app::privacy::TABLES
        .iter()
        .map(|(t, _)| (*t).to_owned())
        .collect();
    let unlisted: Vec<_> = tables.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&tables).collect();
    assert!(
        unlisted.is_empty(),
        "tables nobody exports or erases; add them to app::privacy::TABLES with the feature that covers them: {unlisted:?}"
    );
    assert!(gone.is_empty(), "listed but not in the schema: {gone:?}");
    // Every table with a column that names a person is personal or short-lived.
    let person_columns = ["person_id", "actor_person_id", "recipient_email", "email"];
    for (table, column, _) in columns(&db.store).await {
        if person_columns.contains(&column.as_str()) {
            let holds = app::privacy::TABLES
                .iter()
                .find(|(t, _)| *t == table)
                .unwrap()
                .1;
            assert!(
                !matches!(holds, app::privacy::Holds::Nothing(_)),
                "{table}.{column} names a person, but the table is classified as holding nothing"
            );
        }
    }
}
