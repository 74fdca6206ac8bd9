//! The audit log: who did what, to what, when and from where. The app only ever
//! inserts; the database refuses deletes and rewrites (triggers in migration 0003),
//! except that erasing a person blanks the personal details in their entries.
use super::db::{Store, StoreResult, Tx};
use super::request::RequestInfo;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

/// One entry, before it is written.
#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    pub actor: Option<i64>,
    /// e.g. `sign_in`, `sign_in_failed`, `person_updated`, `mail_resent`.
    pub action: &'a str,
    pub subject_kind: Option<&'a str>,
    pub subject_id: Option<i64>,
    pub detail: Option<String>,
    pub client: Option<String>,
}

impl<'a> Entry<'a> {
    pub fn new(actor: Option<i64>, action: &'a str) -> Self {
        Self {
            actor,
            action,
            client: RequestInfo::current().client,
            ..Default::default()
        }
    }

    pub fn on(mut self, kind: &'a str, id: i64) -> Self {
        self.subject_kind = Some(kind);
        self.subject_id = Some(id);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// Binds an entry to the insert and runs it on `$conn` (a pool or a transaction's
/// connection of either backend).
macro_rules! insert_entry {
    ($conn:expr, $e:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_person_id, action, subject_kind, subject_id, detail, client)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($now)
        .bind($e.actor)
        .bind($e.action)
        .bind($e.subject_kind)
        .bind($e.subject_id)
        .bind($e.detail.as_deref())
        .bind($e.client.as_deref())
        .execute($conn)
        .await?
    };
}

/// Writes an entry on its own.
pub async fn record(store: &Store, e: Entry<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    on_pool!(store, pool => { insert_entry!(pool, e, now); });
    Ok(())
}

/// Writes an entry inside the transaction of the change it describes.
pub async fn record_tx(tx: &mut Tx<'_>, e: Entry<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, conn => { insert_entry!(conn, e, now); });
    Ok(())
}

/// One line of the audit log as the secretariat reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_person_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<i64>,
    pub subject_name: Option<String>,
    pub detail: Option<String>,
    pub client: Option<String>,
}

/// Newest first, optionally only one action and/or entries by or about one person.
pub async fn list(
    store: &Store,
    action: Option<&str>,
    person: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<AuditRow>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT l.id, l.at, l.actor_person_id, a.full_name AS actor_name, l.action,
                    l.subject_kind, l.subject_id,
                    CASE WHEN l.subject_kind = 'person' THEN s.full_name END AS subject_name,
                    l.detail, l.client
             FROM audit_log l
             LEFT JOIN people a ON a.id = l.actor_person_id
             LEFT JOIN people s ON s.id = l.subject_id AND l.subject_kind = 'person'
             WHERE ($1 IS NULL OR l.action = $1)
               AND ($2 IS NULL OR l.actor_person_id = $2 OR (l.subject_kind = 'person' AND l.subject_id = $2))
             ORDER BY l.id DESC LIMIT $3",
        )
        .bind(action)
        .bind(person)
        .bind(limit)
        .fetch_all(pool)
        .await?
    }))
}
