//! The SQL of outcome reports: versions and their workflow, files, recipients,
//! sendings and their delivery (read from the outbox by the messages' keys).
use super::{Attendance, RecipientGroup};
use crate::domain::MembershipCategory;
use crate::platform::db::{Store, StoreError, StoreResult, Tx};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

/// One version of an event's report.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub id: i64,
    pub event_id: i64,
    pub version: i64,
    pub status: String,
    pub summary: String,
    pub conclusions: String,
    pub next_steps: String,
    pub annex: String,
    pub change_note: String,
    pub review_comment: String,
    pub attendance: Option<String>,
    pub created_by: Option<i64>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ReportRow {
    pub fn status(&self) -> super::ReportStatus {
        super::ReportStatus::parse(&self.status).unwrap_or(super::ReportStatus::Draft)
    }

    /// The attendance figures frozen at submission.
    pub fn frozen_attendance(&self) -> Option<Attendance> {
        self.attendance
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
    }
}

const COLUMNS: &str =
    "r.id, r.event_id, r.version, r.status, r.summary, r.conclusions, r.next_steps,
    r.annex, r.change_note, r.review_comment, r.attendance, r.created_by, r.submitted_by,
    r.submitted_at, r.approved_by, r.approved_at, r.published_at, r.created_at, r.updated_at";

/// The latest version of an event's report, if one was started.
pub async fn latest(store: &Store, event_id: i64) -> StoreResult<Option<ReportRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outcome_reports r WHERE r.event_id = $1 ORDER BY r.version DESC LIMIT 1"
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(event_id).fetch_optional(pool).await?
    }))
}

/// [`latest`] inside a transaction that locked the event (workflow steps).
pub async fn latest_tx(tx: &mut Tx<'_>, event_id: i64) -> StoreResult<Option<ReportRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outcome_reports r WHERE r.event_id = $1 ORDER BY r.version DESC LIMIT 1"
    );
    Ok(on_tx!(tx, conn => {
        sqlx::query_as(&sql).bind(event_id).fetch_optional(conn).await?
    }))
}

/// The latest approved (or published) version of an event's report.
pub async fn latest_approved(store: &Store, event_id: i64) -> StoreResult<Option<ReportRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outcome_reports r
         WHERE r.event_id = $1 AND r.status IN ('approved', 'published')
         ORDER BY r.version DESC LIMIT 1"
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(event_id).fetch_optional(pool).await?
    }))
}

/// One version by id.
pub async fn by_id(store: &Store, id: i64) -> StoreResult<ReportRow> {
    let sql = format!("SELECT {COLUMNS} FROM outcome_reports r WHERE r.id = $1");
    let row: Option<ReportRow> = on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
    });
    row.ok_or(StoreError::NotFound)
}

/// Which versions of the report of event `r.event_id` the person `$person` may
/// read (`$prefix`: [`KEY_PREFIX`]): the published ones, and for a person a later
/// approved version was sent to, that version (they hold it in their mail
/// already). `$person` NULL: anyone. Written with the names of its two
/// parameters, which each statement numbers.
pub fn readable_condition(person: &str, prefix: &str) -> String {
    format!(
        "(r.published_at IS NOT NULL
          OR (r.status = 'approved' AND {person} IS NOT NULL AND EXISTS (
              SELECT 1 FROM mail_outbox o
              WHERE o.person_id = {person} AND o.dedupe_key >= {prefix} || CAST(r.id AS TEXT) || ':'
                AND o.dedupe_key < {prefix} || CAST(r.id AS TEXT) || ';')))"
    )
}

/// What a reader is shown of an event's report: the latest version
/// [`readable_condition`] lets them read. `person_id` None: anyone.
pub async fn readable(
    store: &Store,
    event_id: i64,
    person_id: Option<i64>,
) -> StoreResult<Option<ReportRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outcome_reports r
         WHERE r.event_id = $1 AND {}
         ORDER BY r.version DESC LIMIT 1",
        readable_condition("$2", "$3")
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as(&sql)
            .bind(event_id)
            .bind(person_id)
            .bind(KEY_PREFIX)
            .fetch_optional(pool)
            .await?
    }))
}

/// Starts version `version` of an event's report: empty, or a copy of `from`
/// (texts and files) for a correction. Returns its id.
pub async fn create(
    tx: &mut Tx<'_>,
    event_id: i64,
    from: Option<&ReportRow>,
    by: i64,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let version = from.map_or(1, |f| f.version + 1);
    let empty = String::new();
    let texts = |f: fn(&ReportRow) -> &String| from.map_or(&empty, f);
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "INSERT INTO outcome_reports (event_id, version, status, summary, conclusions, next_steps,
                 annex, created_by, created_at, updated_at)
             VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(event_id)
        .bind(version)
        .bind(texts(|r| &r.summary))
        .bind(texts(|r| &r.conclusions))
        .bind(texts(|r| &r.next_steps))
        .bind(texts(|r| &r.annex))
        .bind(by)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
    });
    if let Some(from) = from {
        on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO report_files (report_id, filename, content_type, size, members_only, data, uploaded_by, created_at)
                 SELECT $1, filename, content_type, size, members_only, data, uploaded_by, created_at
                 FROM report_files WHERE report_id = $2 ORDER BY id",
            )
            .bind(id)
            .bind(from.id)
            .execute(conn)
            .await?;
        });
    }
    Ok(id)
}

/// The texts of a draft.
pub struct Texts<'a> {
    pub summary: &'a str,
    pub conclusions: &'a str,
    pub next_steps: &'a str,
    pub annex: &'a str,
    pub change_note: &'a str,
}

/// Saves the texts of version `id`, only while it is editable; false otherwise.
pub async fn save_texts(
    tx: &mut Tx<'_>,
    id: i64,
    t: &Texts<'_>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    Ok(on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE outcome_reports SET summary = $2, conclusions = $3, next_steps = $4, annex = $5,
                 change_note = $6, updated_at = $7
             WHERE id = $1 AND status IN ('draft', 'returned')",
        )
        .bind(id)
        .bind(t.summary)
        .bind(t.conclusions)
        .bind(t.next_steps)
        .bind(t.annex)
        .bind(t.change_note)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()
    }) == 1)
}

/// Moves version `id` from one of `from` to `to`, with what the step records;
/// false when it was not in one of `from` (someone else acted first).
pub async fn step(
    tx: &mut Tx<'_>,
    id: i64,
    from: &[&str],
    to: &str,
    set: Step<'_>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let states = from
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let set_more = match &set {
        Step::Submit { .. } => {
            ", submitted_by = $4, submitted_at = $3, attendance = $5, review_comment = ''"
        }
        Step::Return { .. } => ", review_comment = $4",
        Step::Approve { .. } => ", approved_by = $4, approved_at = $3",
        Step::Publish => ", published_at = $3",
    };
    let sql = format!(
        "UPDATE outcome_reports SET status = $2, updated_at = $3{set_more}
         WHERE id = $1 AND status IN ({states})"
    );
    let done = on_tx!(tx, conn => {
        let q = sqlx::query(&sql).bind(id).bind(to).bind(now);
        let q = match &set {
            Step::Submit { by, attendance } => q.bind(*by).bind(*attendance),
            Step::Return { comment } => q.bind(*comment),
            Step::Approve { by } => q.bind(*by),
            Step::Publish => q,
        };
        q.execute(conn).await?.rows_affected()
    });
    Ok(done == 1)
}

/// What a workflow step records beside the new status.
pub enum Step<'a> {
    Submit { by: i64, attendance: &'a str },
    Return { comment: &'a str },
    Approve { by: i64 },
    Publish,
}

/// A network's name (the mails say it).
pub async fn network_name(store: &Store, network_id: i64) -> StoreResult<String> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar("SELECT name FROM networks WHERE id = $1")
            .bind(network_id)
            .fetch_one(pool)
            .await?
    }))
}

/// Who holds the secretariat's rights (enabled accounts, not erased): (id, name,
/// address), told when a report waits for approval.
pub async fn secretariat(store: &Store) -> StoreResult<Vec<(i64, String, String)>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.id, p.full_name, p.email FROM accounts a JOIN people p ON p.id = a.person_id
             WHERE a.secretariat = TRUE AND a.disabled_at IS NULL AND p.erased_at IS NULL
             ORDER BY p.full_name, p.id",
        )
        .fetch_all(pool)
        .await?
    }))
}

/// Names of the people a version's history mentions.
pub async fn person_name(store: &Store, id: i64) -> StoreResult<String> {
    let name: Option<String> = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT full_name FROM people WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    Ok(name.unwrap_or_else(|| "someone".to_owned()))
}

// ---- files ----

/// A stored file without its bytes.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileMeta {
    pub id: i64,
    pub report_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub members_only: bool,
}

/// The files of a version, in the order they were added.
pub async fn files(store: &Store, report_id: i64) -> StoreResult<Vec<FileMeta>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT id, report_id, filename, content_type, size, members_only
             FROM report_files WHERE report_id = $1 ORDER BY id",
        )
        .bind(report_id)
        .fetch_all(pool)
        .await?
    }))
}

/// One file's description and the event whose report it belongs to, without its
/// bytes (asked before anything is read of them).
pub async fn file_meta(store: &Store, id: i64) -> StoreResult<(FileMeta, i64)> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        meta: FileMeta,
        event_id: i64,
    }
    let row: Option<Row> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT f.id, f.report_id, f.filename, f.content_type, f.size, f.members_only, r.event_id
             FROM report_files f JOIN outcome_reports r ON r.id = f.report_id WHERE f.id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
    });
    let row = row.ok_or(StoreError::NotFound)?;
    Ok((row.meta, row.event_id))
}

/// One file's bytes.
pub async fn file_data(store: &Store, id: i64) -> StoreResult<Vec<u8>> {
    let data: Option<Vec<u8>> = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT data FROM report_files WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    data.ok_or(StoreError::NotFound)
}

/// A checked file to store.
pub struct NewFile<'a> {
    pub filename: &'a str,
    pub content_type: &'a str,
    pub members_only: bool,
    pub data: &'a [u8],
}

/// Adds a file to an editable version; None when the version is no longer
/// editable.
pub async fn add_file(
    tx: &mut Tx<'_>,
    report_id: i64,
    f: &NewFile<'_>,
    by: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(
            "INSERT INTO report_files (report_id, filename, content_type, size, members_only, data, uploaded_by, created_at)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8
             WHERE EXISTS (SELECT 1 FROM outcome_reports WHERE id = $1 AND status IN ('draft', 'returned'))
             RETURNING id",
        )
        .bind(report_id)
        .bind(f.filename)
        .bind(f.content_type)
        .bind(f.data.len() as i64)
        .bind(f.members_only)
        .bind(f.data)
        .bind(by)
        .bind(now)
        .fetch_optional(conn)
        .await?
    }))
}

/// Removes a file of an editable version; its name, or None when there was no
/// such file on an editable version.
pub async fn remove_file(
    tx: &mut Tx<'_>,
    report_id: i64,
    file_id: i64,
) -> StoreResult<Option<String>> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(
            "DELETE FROM report_files WHERE id = $1 AND report_id = $2
               AND EXISTS (SELECT 1 FROM outcome_reports WHERE id = $2 AND status IN ('draft', 'returned'))
             RETURNING filename",
        )
        .bind(file_id)
        .bind(report_id)
        .fetch_optional(conn)
        .await?
    }))
}

// ---- attendance ----

/// Present people (on any day) of an event: (category in the event's network or
/// None, Member State or None).
pub async fn attendance(store: &Store, event_id: i64) -> StoreResult<Attendance> {
    let rows: Vec<(Option<String>, Option<String>)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT (SELECT MIN(m.category) FROM memberships m JOIN events e ON e.network_id = m.network_id
                      WHERE e.id = $1 AND m.person_id = p.id) AS category,
                    p.member_state
             FROM people p
             WHERE p.erased_at IS NULL AND p.id IN (
                 SELECT person_id FROM attendance_register WHERE event_id = $1 AND status = 'present')",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    });
    Ok(tally(&rows))
}

/// The figures from each present person's category and Member State.
fn tally(rows: &[(Option<String>, Option<String>)]) -> Attendance {
    use std::collections::BTreeMap;
    let mut by_category: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_state: BTreeMap<String, i64> = BTreeMap::new();
    for (category, state) in rows {
        let category = category
            .as_deref()
            .and_then(|c| MembershipCategory::parse(c).ok())
            .map_or_else(
                || "Guests".to_owned(),
                |c| match c {
                    MembershipCategory::Secretariat => c.label().to_owned(),
                    _ => format!("{}s", c.label()),
                },
            );
        *by_category.entry(category).or_default() += 1;
        let state = state
            .as_deref()
            .and_then(|s| crate::domain::MemberState::parse(s).ok())
            .map_or_else(|| "No Member State".to_owned(), |s| s.name().to_owned());
        *by_state.entry(state).or_default() += 1;
    }
    let mut by_category: Vec<(String, i64)> = by_category.into_iter().collect();
    by_category.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Attendance {
        total: rows.len() as i64,
        by_category,
        by_member_state: by_state.into_iter().collect(),
    }
}

/// The names of those present, by name (the annex's list).
pub async fn present_names(store: &Store, event_id: i64) -> StoreResult<Vec<String>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar(
            "SELECT p.full_name FROM people p
             WHERE p.erased_at IS NULL AND p.id IN (
                 SELECT person_id FROM attendance_register WHERE event_id = $1 AND status = 'present')
             ORDER BY p.full_name, p.id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    }))
}

// ---- recipients and sending ----

/// The outbox key of a report's message to a person: `report:ID:person:ID`.
pub const KEY_PREFIX: &str = "report:";

pub fn dedupe_key(report_id: i64, person_id: i64) -> String {
    format!("{KEY_PREFIX}{report_id}:person:{person_id}")
}

/// The key range of a version's messages (they all start `report:ID:`), which the
/// outbox's unique index on the key answers.
fn key_range(report_id: i64) -> (String, String) {
    (
        format!("{KEY_PREFIX}{report_id}:"),
        format!("{KEY_PREFIX}{report_id};"),
    )
}

/// A person a report goes to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub person_id: i64,
    pub full_name: String,
    pub email: String,
    /// Signs in (reads the report on Convene) rather than by a personal link.
    pub has_account: bool,
    /// Manages the event (chair, organiser, the secretariat's rights).
    pub manages: bool,
    /// Their active membership categories in the event's network, comma-separated.
    pub categories: Option<String>,
}

impl Recipient {
    /// Whether the members-only annex reaches them: the one rule of
    /// `policy::audience_from`.
    pub fn gets_annex(&self) -> bool {
        use crate::platform::policy::{audience_from, may_read_annex};
        let categories = self
            .categories
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|c| MembershipCategory::parse(c.trim()).ok());
        may_read_annex(audience_from(self.manages, categories))
    }
}

/// The people in any of `groups` for an event of network `network_id` on `day`,
/// erased people left out, by name.
pub async fn recipients(
    store: &Store,
    event_id: i64,
    network_id: i64,
    groups: &[RecipientGroup],
    day: chrono::NaiveDate,
) -> StoreResult<Vec<Recipient>> {
    let has = |g| groups.contains(&g);
    let categories: Vec<&str> = [
        RecipientGroup::NationalContactPoints,
        RecipientGroup::AssociatePartners,
        RecipientGroup::Observers,
    ]
    .into_iter()
    .filter(|g| has(*g))
    .map(|g| g.as_str())
    .collect();
    let sql = format!(
        "SELECT p.id AS person_id, p.full_name, p.email,
                EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id AND a.disabled_at IS NULL) AS has_account,
                (EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id AND a.secretariat = TRUE)
                 OR EXISTS (SELECT 1 FROM event_roles er WHERE er.event_id = $1 AND er.person_id = p.id)) AS manages,
                (SELECT {agg} FROM memberships m
                  WHERE m.network_id = $2 AND m.person_id = p.id AND {active}) AS categories
         FROM people p
         WHERE p.erased_at IS NULL AND p.id IN (
               SELECT person_id FROM registrations WHERE event_id = $1 AND status = 'confirmed' AND $3
               UNION SELECT person_id FROM attendance_register WHERE event_id = $1 AND status = 'present' AND $4
               UNION SELECT m.person_id FROM memberships m
                     WHERE m.network_id = $2 AND {active}
                       AND m.category IN (SELECT value FROM {list}))
         ORDER BY p.full_name, p.id",
        agg = match store.backend() {
            crate::platform::db::Backend::Sqlite(_) => "group_concat(m.category, ',')",
            crate::platform::db::Backend::Postgres(_) => "string_agg(m.category, ',')",
        },
        active = crate::domain::active_membership_sql(6),
        list = match store.backend() {
            crate::platform::db::Backend::Sqlite(_) => "json_each($5)",
            crate::platform::db::Backend::Postgres(_) => "unnest($5::text[]) AS value",
        },
    );
    Ok(match store.backend() {
        crate::platform::db::Backend::Sqlite(pool) => {
            sqlx::query_as(&sql)
                .bind(event_id)
                .bind(network_id)
                .bind(has(RecipientGroup::Confirmed))
                .bind(has(RecipientGroup::Present))
                .bind(serde_json::to_string(&categories).map_err(anyhow::Error::from)?)
                .bind(day)
                .fetch_all(pool)
                .await?
        }
        crate::platform::db::Backend::Postgres(pool) => {
            sqlx::query_as(&sql)
                .bind(event_id)
                .bind(network_id)
                .bind(has(RecipientGroup::Confirmed))
                .bind(has(RecipientGroup::Present))
                .bind(&categories)
                .bind(day)
                .fetch_all(pool)
                .await?
        }
    })
}

const SENT_TO: &str =
    "SELECT person_id FROM mail_outbox WHERE dedupe_key >= $1 AND dedupe_key < $2";

/// The people a version's messages were already written for (any state), inside
/// the sending's transaction.
pub async fn already_sent(
    tx: &mut Tx<'_>,
    report_id: i64,
) -> StoreResult<std::collections::HashSet<i64>> {
    let (from, to) = key_range(report_id);
    let ids: Vec<Option<i64>> = on_tx!(tx, conn => {
        sqlx::query_scalar(SENT_TO).bind(from).bind(to).fetch_all(conn).await?
    });
    Ok(ids.into_iter().flatten().collect())
}

/// [`already_sent`] for a page (no transaction).
pub async fn sent_to(store: &Store, report_id: i64) -> StoreResult<std::collections::HashSet<i64>> {
    let (from, to) = key_range(report_id);
    let ids: Vec<Option<i64>> = on_pool!(store, pool => {
        sqlx::query_scalar(SENT_TO).bind(from).bind(to).fetch_all(pool).await?
    });
    Ok(ids.into_iter().flatten().collect())
}

/// Records one press of "send".
pub async fn record_sending(
    tx: &mut Tx<'_>,
    report_id: i64,
    groups: &[RecipientGroup],
    queued: i64,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let groups = groups
        .iter()
        .map(|g| g.as_str())
        .collect::<Vec<_>>()
        .join(",");
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO report_sendings (report_id, groups, queued, sent_by, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(report_id)
        .bind(groups)
        .bind(queued)
        .bind(by)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// The sendings of every version of an event's report, newest first: (version,
/// groups, messages, who, when).
pub async fn sendings(
    store: &Store,
    event_id: i64,
) -> StoreResult<Vec<(i64, String, i64, Option<String>, DateTime<Utc>)>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT r.version, s.groups, s.queued, p.full_name, s.created_at
             FROM report_sendings s JOIN outcome_reports r ON r.id = s.report_id
             LEFT JOIN people p ON p.id = s.sent_by
             WHERE r.event_id = $1 ORDER BY s.id DESC",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    }))
}

/// Delivery of a version's messages: counts by state and the failed ones.
pub async fn delivery(store: &Store, report_id: i64) -> StoreResult<super::Delivery> {
    let (from, to) = key_range(report_id);
    let counts: Vec<(String, i64)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT status, COUNT(*) FROM mail_outbox
             WHERE dedupe_key >= $1 AND dedupe_key < $2 GROUP BY status",
        )
        .bind(&from)
        .bind(&to)
        .fetch_all(pool)
        .await?
    });
    let mut d = super::Delivery::default();
    for (status, n) in counts {
        match status.as_str() {
            "sent" => d.sent += n,
            "failed" => d.failed += n,
            _ => d.queued += n,
        }
    }
    if d.failed > 0 {
        d.failures = on_pool!(store, pool => {
            sqlx::query_as(
                "SELECT COALESCE(recipient_name, ''), recipient_email, COALESCE(last_error, '')
                 FROM mail_outbox WHERE dedupe_key >= $1 AND dedupe_key < $2 AND status = 'failed'
                 ORDER BY recipient_name, id LIMIT 200",
            )
            .bind(&from)
            .bind(&to)
            .fetch_all(pool)
            .await?
        });
    }
    Ok(d)
}

/// Queues a version's failed messages again (same rows, same Message-IDs);
/// returns how many.
pub async fn retry_failed(tx: &mut Tx<'_>, report_id: i64, now: DateTime<Utc>) -> StoreResult<u64> {
    let (from, to) = key_range(report_id);
    Ok(on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE mail_outbox SET status = 'queued', attempts = 0, next_attempt_at = $3,
                 locked_until = NULL
             WHERE dedupe_key >= $1 AND dedupe_key < $2 AND status = 'failed'",
        )
        .bind(from)
        .bind(to)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()
    }))
}

/// Published reports of a network's events, newest meeting first: (event slug,
/// event title, event start, when published).
pub async fn published_in_network(
    store: &Store,
    network_id: i64,
) -> StoreResult<Vec<(String, String, DateTime<Utc>, String, DateTime<Utc>)>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.slug, e.title, e.starts_at, e.time_zone, MAX(r.published_at)
             FROM outcome_reports r JOIN events e ON e.id = r.event_id
             WHERE e.network_id = $1 AND r.published_at IS NOT NULL AND e.status <> 'draft'
             GROUP BY e.id, e.slug, e.title, e.starts_at, e.time_zone
             ORDER BY e.starts_at DESC",
        )
        .bind(network_id)
        .fetch_all(pool)
        .await?
    }))
}

// ---- exports and erasure ----

/// The reports a person wrote, submitted or approved, and the files they added.
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    #[derive(sqlx::FromRow, serde::Serialize)]
    struct Part {
        event: String,
        version: i64,
        role: String,
    }
    let parts: Vec<Part> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title AS event, r.version, 'started' AS role FROM outcome_reports r
               JOIN events e ON e.id = r.event_id WHERE r.created_by = $1
             UNION ALL SELECT e.title, r.version, 'submitted' FROM outcome_reports r
               JOIN events e ON e.id = r.event_id WHERE r.submitted_by = $1
             UNION ALL SELECT e.title, r.version, 'approved' FROM outcome_reports r
               JOIN events e ON e.id = r.event_id WHERE r.approved_by = $1
             UNION ALL SELECT e.title, r.version, 'sent' FROM report_sendings s
               JOIN outcome_reports r ON r.id = s.report_id JOIN events e ON e.id = r.event_id
               WHERE s.sent_by = $1",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    Ok(vec![("outcome_reports", serde_json::json!(parts))])
}

/// Forgets who wrote, submitted, approved or sent a report and who added its
/// files; the reports themselves are the network's.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    on_tx!(tx, conn => {
        for sql in [
            "UPDATE outcome_reports SET created_by = NULL WHERE created_by = $1",
            "UPDATE outcome_reports SET submitted_by = NULL WHERE submitted_by = $1",
            "UPDATE outcome_reports SET approved_by = NULL WHERE approved_by = $1",
            "UPDATE report_files SET uploaded_by = NULL WHERE uploaded_by = $1",
            "UPDATE report_sendings SET sent_by = NULL WHERE sent_by = $1",
        ] {
            sqlx::query(sql).bind(e.person_id).execute(&mut *conn).await?;
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendance_counts_each_present_person_once_by_category_and_member_state() {
        let rows = vec![
            (
                Some("national_contact_point".to_owned()),
                Some("DE".to_owned()),
            ),
            (
                Some("national_contact_point".to_owned()),
                Some("FR".to_owned()),
            ),
            (Some("observer".to_owned()), None),
            (None, Some("DE".to_owned())),
        ];
        let a = tally(&rows);
        assert_eq!(a.total, 4);
        assert_eq!(a.by_category[0], ("National Contact Points".to_owned(), 2));
        assert!(a.by_category.contains(&("Guests".to_owned(), 1)));
        assert!(a.by_member_state.contains(&("Germany".to_owned(), 2)));
        assert!(a
            .by_member_state
            .contains(&("No Member State".to_owned(), 1)));
    }

    #[test]
    fn a_versions_keys_are_inside_its_range_and_no_other_versions_are() {
        let (from, to) = key_range(12);
        let k = dedupe_key(12, 7);
        assert!(k >= from && k < to);
        for other in [dedupe_key(1, 7), dedupe_key(120, 7), dedupe_key(13, 7)] {
            assert!(!(other >= from && other < to), "{other}");
        }
    }
}
