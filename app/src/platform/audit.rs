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

/// The longest detail and client address an entry keeps: whatever a request sends,
/// one entry stays small.
pub const MAX_DETAIL_CHARS: usize = 500;
const MAX_CLIENT_CHARS: usize = 64;

fn bounded(s: Option<&str>, max: usize) -> Option<String> {
    s.map(|s| {
        if s.chars().count() > max {
            let mut cut: String = s.chars().take(max - 1).collect();
            cut.push('…');
            cut
        } else {
            s.to_owned()
        }
    })
}

/// How long repeated refusals of one client keep adding to one entry.
const REFUSALS_FOLD: chrono::Duration = chrono::Duration::minutes(15);

/// Writes an entry inside the transaction of the change it describes: the change
/// and its entry commit together or not at all. Every detail is bounded here.
pub async fn record(tx: &mut Tx<'_>, e: Entry<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    record_many(tx, &[e], now).await
}

/// [`record`] for several entries at once (one statement per few hundred).
pub async fn record_many(
    tx: &mut Tx<'_>,
    entries: &[Entry<'_>],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for chunk in entries.chunks(super::db::ROWS_PER_STATEMENT) {
        let sql = tx.positional(format!(
            "INSERT INTO audit_log (at, actor_person_id, action, subject_kind, subject_id, detail, client)
             VALUES {}",
            super::db::value_rows(1, chunk.len(), 7)
        ));
        on_tx!(tx, conn => {
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(now)
                    .bind(e.actor)
                    .bind(e.action)
                    .bind(e.subject_kind)
                    .bind(e.subject_id)
                    .bind(bounded(e.detail.as_deref(), MAX_DETAIL_CHARS))
                    .bind(bounded(e.client.as_deref(), MAX_CLIENT_CHARS));
            }
            q.execute(conn).await?;
        });
    }
    Ok(())
}

/// Records a refusal (such as a rate-limited sign-in). Repeats from the same client
/// within 15 minutes add to the count of the entry already written instead of
/// writing another, so a flood of refused requests is one line of the log.
pub async fn record_refusal(tx: &mut Tx<'_>, e: Entry<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    let client = bounded(e.client.as_deref(), MAX_CLIENT_CHARS);
    let folded = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE audit_log SET occurrences = occurrences + 1, last_at = $3
             WHERE id = (SELECT id FROM audit_log
                         WHERE action = $1 AND COALESCE(client, '') = COALESCE($2, '') AND at > $4
                         ORDER BY id DESC LIMIT 1)",
        )
        .bind(e.action)
        .bind(client.as_deref())
        .bind(now)
        .bind(now - REFUSALS_FOLD)
        .execute(conn)
        .await?
        .rows_affected()
    });
    if folded == 0 {
        record(tx, e, now).await?;
    }
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
    /// The person's name or the event's, organisation's or network's title.
    pub subject_name: Option<String>,
    /// Whether the subject (a person) or the actor has been erased: their number
    /// stays, their name and page are gone.
    pub subject_erased: bool,
    pub actor_erased: bool,
    pub detail: Option<String>,
    pub client: Option<String>,
    /// How many times this happened (refusals from one client are folded).
    pub occurrences: i32,
    pub last_at: Option<DateTime<Utc>>,
}

/// Newest first, optionally only one action and/or entries by or about one person.
pub async fn list(
    store: &Store,
    action: Option<&str>,
    person: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<AuditRow>> {
    list_filtered(store, action, person, None, limit).await
}

/// [`list`], optionally only entries by or about a person whose name contains
/// `name` (any case).
pub async fn list_filtered(
    store: &Store,
    action: Option<&str>,
    person: Option<i64>,
    name: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<AuditRow>> {
    let pattern = name.map(|n| format!("%{}%", super::db::like_escaped(&n.trim().to_lowercase())));
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT l.id, l.at, l.actor_person_id, a.full_name AS actor_name, l.action,
                    l.subject_kind, l.subject_id,
                    CASE l.subject_kind WHEN 'person' THEN s.full_name WHEN 'event' THEN ev.title
                         WHEN 'organisation' THEN o.name WHEN 'network' THEN n.name END AS subject_name,
                    COALESCE(s.erased_at IS NOT NULL, FALSE) AS subject_erased,
                    COALESCE(a.erased_at IS NOT NULL, FALSE) AS actor_erased,
                    l.detail, l.client, l.occurrences, l.last_at
             FROM audit_log l
             LEFT JOIN people a ON a.id = l.actor_person_id
             LEFT JOIN people s ON s.id = l.subject_id AND l.subject_kind = 'person'
             LEFT JOIN events ev ON ev.id = l.subject_id AND l.subject_kind = 'event'
             LEFT JOIN organisations o ON o.id = l.subject_id AND l.subject_kind = 'organisation'
             LEFT JOIN networks n ON n.id = l.subject_id AND l.subject_kind = 'network'
             WHERE ($1 IS NULL OR l.action = $1)
               AND ($2 IS NULL OR l.actor_person_id = $2 OR (l.subject_kind = 'person' AND l.subject_id = $2))
               AND ($3 IS NULL OR (a.erased_at IS NULL AND lower(a.full_name) LIKE $3 ESCAPE '\\')
                               OR (s.erased_at IS NULL AND lower(s.full_name) LIKE $3 ESCAPE '\\'))
             ORDER BY l.id DESC LIMIT $4",
        )
        .bind(action)
        .bind(person)
        .bind(pattern)
        .bind(limit)
        .fetch_all(pool)
        .await?
    }))
}

/// The audit entries by or about a person.
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    let rows = list(store, None, Some(person_id), 10_000).await?;
    Ok(vec![(
        "audit",
        serde_json::json!(rows
            .into_iter()
            .map(|a| serde_json::json!({
                "at": a.at, "action": a.action, "by": a.actor_name, "subject_kind": a.subject_kind,
                "subject_id": a.subject_id, "detail": a.detail, "client": a.client,
            }))
            .collect::<Vec<_>>()),
    )])
}

/// Blanks the details of the entries by or about a person, and of entries that
/// named their address without knowing them (failed sign-ins): who did what when
/// stays, as the append-only log requires.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE audit_log SET detail = NULL, client = NULL
             WHERE actor_person_id = $1 OR (subject_kind = 'person' AND subject_id = $1)",
        )
        .bind(e.person_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE audit_log SET detail = NULL WHERE lower(detail) LIKE '%' || $1 || '%' ESCAPE '\\'")
            .bind(super::db::like_escaped(&e.email))
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}
