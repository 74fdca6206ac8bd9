//! Export and erasure of a person's data. Each feature exports and erases its own
//! tables (`export_person` / `erase_person` beside its SQL); this module runs them
//! all, and [`TABLES`] says for every table of the schema what it holds and who
//! covers it. A test reads the table list from both databases and fails on a
//! table missing here, so a new table cannot escape erasure unnoticed.
use crate::platform::db::{Store, StoreResult, Tx};
use crate::platform::{audit, guests, jobs, mail};
use crate::{accounts, directory, events, on_tx};
use chrono::{DateTime, Utc};

/// What a table holds about people, and what happens to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Personal data: exported and erased by the named feature.
    Personal(&'static str),
    /// Personal data kept briefly and never exported: gone within the stated time.
    ShortLived(&'static str),
    /// Nothing about a person (or only ids of people whose rows are anonymised).
    Nothing(&'static str),
}

/// Every table of the schema.
pub const TABLES: &[(&str, Holds)] = &[
    (
        "people",
        Holds::Personal("directory: anonymised, marked erased"),
    ),
    ("memberships", Holds::Personal("directory: deleted")),
    ("accounts", Holds::Personal("accounts: deleted")),
    ("sessions", Holds::Personal("accounts: deleted")),
    (
        "auth_tokens",
        Holds::Personal("accounts: deleted (secrets, never exported)"),
    ),
    (
        "auth_attempts",
        Holds::ShortLived("accounts: a day; the address's deleted at erasure"),
    ),
    ("event_roles", Holds::Personal("events: deleted")),
    ("invitations", Holds::Personal("invitations: deleted")),
    (
        "attendance_register",
        Holds::Personal("registration: deleted (and who recorded blanked)"),
    ),
    (
        "registrations",
        Holds::Personal("registration: cancelled (the place goes on), then deleted"),
    ),
    (
        "registration_questions",
        Holds::Nothing("registration: the organisers' questions, about the event"),
    ),
    (
        "registration_answers",
        Holds::Personal("registration: exported with the registrations, deleted"),
    ),
    ("guest_links", Holds::Personal("guests: deleted")),
    (
        "guest_uploads",
        Holds::ShortLived("invitations: a guests' file until imported (usable a day; older ones deleted when a file is read); the uploader's deleted at erasure"),
    ),
    (
        "jobs",
        Holds::Personal("jobs: deleted; a done job keeps no payload"),
    ),
    (
        "mail_outbox",
        Holds::Personal("mail: recipient and content blanked"),
    ),
    (
        "mail_outbox_attachments",
        Holds::Personal("mail: links of erased mail deleted"),
    ),
    (
        "audit_log",
        Holds::Personal("audit: details and client blanked"),
    ),
    (
        "form_returns",
        Holds::ShortLived("forms: what was typed, ten minutes"),
    ),
    (
        "mail_attachments",
        Holds::Nothing("files sent to many, such as reports"),
    ),
    ("settings", Holds::Nothing("configuration")),
    ("organisations", Holds::Nothing("bodies, not people")),
    ("networks", Holds::Nothing("public descriptions")),
    ("events", Holds::Nothing("meetings")),
    ("agenda_rooms", Holds::Nothing("agenda: rooms of a meeting")),
    (
        "agenda_items",
        Holds::Personal("agenda: exported as the moderator's roles; moderator unset"),
    ),
    (
        "agenda_speakers",
        Holds::Personal("agenda: exported as the speaker's roles; deleted"),
    ),
    (
        "agenda_versions",
        Holds::Personal("agenda: who published, unset"),
    ),
    (
        "agenda_published",
        Holds::Personal("agenda: the speaker's name removed from the published items"),
    ),
    (
        "agenda_changes",
        Holds::Nothing("agenda: which items a version changed"),
    ),
    (
        "agenda_signups",
        Holds::Personal("agenda: exported as the workshop choices; deleted"),
    ),
    (
        "calendar_tokens",
        Holds::Personal("calendar: deleted (the personal feed ends)"),
    ),
    (
        "agenda_item_chairs",
        Holds::Personal("agenda: who chairs a workshop; deleted"),
    ),
    ("event_organisations", Holds::Nothing("meetings and bodies")),
    (
        "content_version",
        Holds::Nothing("one number that public pages' writes raise"),
    ),
    (
        "viewer_version",
        Holds::Nothing("one number that writes to what sessions may do raise"),
    ),
    (
        "outcome_reports",
        Holds::Personal("reports: exported as who started, submitted, approved; unset"),
    ),
    (
        "report_files",
        Holds::Personal("reports: who added the file, unset"),
    ),
    (
        "report_sendings",
        Holds::Personal("reports: exported as who sent; unset"),
    ),
];

/// A person being erased, as every feature's `erase_person` needs it.
#[derive(Debug, Clone)]
pub struct Erasure {
    pub person_id: i64,
    /// Their address of the day, lower-cased (rows keyed by it are erased too).
    pub email: String,
    pub placeholder_name: String,
    /// Unique by construction: no one can type an address at `.invalid`.
    pub placeholder_email: String,
    pub now: DateTime<Utc>,
}

/// Everything held about a person, as one JSON document: each feature's part under
/// its own key.
pub async fn export_person(store: &Store, person_id: i64) -> StoreResult<serde_json::Value> {
    let email = accounts::store::own_details(store, person_id).await?.email;
    let mut parts = directory::store::export_person(store, person_id).await?;
    parts.extend(accounts::store::export_person(store, person_id).await?);
    parts.extend(events::store::export_person(store, person_id).await?);
    parts.extend(crate::agenda::store::export_person(store, person_id).await?);
    parts.extend(crate::calendar::store::export_person(store, person_id).await?);
    parts.extend(guests::export_person(store, person_id).await?);
    parts.extend(crate::invitations::store::export_person(store, person_id).await?);
    parts.extend(crate::registration::store::export_person(store, person_id).await?);
    parts.extend(crate::reports::store::export_person(store, person_id).await?);
    parts.extend(mail::outbox::export_person(store, person_id, &email).await?);
    parts.extend(audit::export_person(store, person_id).await?);
    Ok(serde_json::Value::Object(
        parts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    ))
}

/// Erases a person in the caller's transaction; returns the placeholder name. The
/// person's row is locked first (PostgreSQL; SQLite has one writer anyway): a job
/// about to mail them either finishes before, and its mail is erased here, or waits
/// and then finds them erased.
pub async fn erase_person(
    tx: &mut Tx<'_>,
    person_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let sql = format!(
        "SELECT email FROM people WHERE id = $1 AND erased_at IS NULL{}",
        tx.lock_clause()
    );
    let email: String = on_tx!(tx, conn => {
        sqlx::query_scalar(&sql).bind(person_id).fetch_one(conn).await?
    });
    let e = Erasure {
        person_id,
        email: email.to_lowercase(),
        placeholder_name: format!("Erased person {person_id}"),
        placeholder_email: format!(
            "erased-{person_id}-{}@erased.invalid",
            uuid::Uuid::new_v4().simple()
        ),
        now,
    };
    accounts::store::erase_person(tx, &e).await?;
    events::store::erase_person(tx, &e).await?;
    crate::agenda::store::erase_person(tx, &e).await?;
    crate::calendar::store::erase_person(tx, &e).await?;
    guests::erase_person(tx, &e).await?;
    crate::registration::store::erase_person(tx, &e).await?;
    crate::reports::store::erase_person(tx, &e).await?;
    crate::invitations::store::erase_person(tx, &e).await?;
    crate::invitations::upload::store::erase_person(tx, e.person_id).await?;
    jobs::erase_person(tx, &e).await?;
    mail::outbox::erase_person(tx, &e).await?;
    audit::erase_person(tx, &e).await?;
    // Last: the others find the person by the address it replaces.
    directory::store::erase_person(tx, &e).await?;
    Ok(e.placeholder_name)
}
