//! The SQL of accounts: credentials, attempts, own details, export and erasure.
use crate::domain::EmailAddress;
use crate::platform::db::{Store, StoreResult, Tx};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// What sign-in needs to know about an address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub person_id: i64,
    pub full_name: String,
    pub email: String,
    pub password_hash: Option<String>,
    pub has_account: bool,
    pub disabled: bool,
}

const CREDENTIALS: &str = "SELECT p.id AS person_id, p.full_name, p.email, a.password_hash,
        a.person_id IS NOT NULL AS has_account, a.disabled_at IS NOT NULL AS disabled
     FROM people p LEFT JOIN accounts a ON a.person_id = p.id";

/// The person with this address (compared without regard to case); never an erased
/// person.
pub async fn credentials_by_email(store: &Store, email: &str) -> StoreResult<Option<Credentials>> {
    let sql = format!("{CREDENTIALS} WHERE lower(p.email) = lower($1) AND p.erased_at IS NULL");
    Ok(on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(email.trim()).fetch_optional(pool).await?
    }))
}

/// The person with this address (any case; never an erased one): id and name,
/// without anything about their credentials.
pub async fn person_by_email(store: &Store, email: &str) -> StoreResult<Option<(i64, String)>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT id, full_name FROM people WHERE lower(email) = lower($1) AND erased_at IS NULL",
        )
        .bind(email.trim())
        .fetch_optional(pool)
        .await?
    }))
}

pub async fn credentials_by_id(store: &Store, person_id: i64) -> StoreResult<Credentials> {
    let sql = format!("{CREDENTIALS} WHERE p.id = $1");
    Ok(on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(person_id).fetch_one(pool).await?
    }))
}

/// How many attempts were counted for `scope` since `since`.
pub async fn attempts_since(store: &Store, scope: &str, since: DateTime<Utc>) -> StoreResult<i64> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM auth_attempts WHERE scope = $1 AND at > $2")
            .bind(scope)
            .bind(since)
            .fetch_one(pool)
            .await?
    }))
}

/// Counts one attempt (returning its id) and forgets attempts older than a day.
pub async fn count_attempt(store: &Store, scope: &str, now: DateTime<Utc>) -> StoreResult<i64> {
    Ok(on_pool!(store, pool => {
        let id: i64 = sqlx::query_scalar("INSERT INTO auth_attempts (scope, at) VALUES ($1, $2) RETURNING id")
            .bind(scope)
            .bind(now)
            .fetch_one(pool)
            .await?;
        sqlx::query("DELETE FROM auth_attempts WHERE at < $1")
            .bind(now - Duration::days(1))
            .execute(pool)
            .await?;
        id
    }))
}

/// After a successful sign-in: forgets the failures counted for the address, and
/// this attempt's own rows (`counted`) in the other scopes.
pub async fn forget_attempts(
    store: &Store,
    address_scope: &str,
    counted: &[i64],
) -> StoreResult<()> {
    on_pool!(store, pool => {
        sqlx::query("DELETE FROM auth_attempts WHERE scope = $1")
            .bind(address_scope)
            .execute(pool)
            .await?;
        for id in counted {
            sqlx::query("DELETE FROM auth_attempts WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?;
        }
    });
    Ok(())
}

pub async fn mark_signed_in(
    tx: &mut Tx<'_>,
    person_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, pool => {
        sqlx::query("UPDATE accounts SET last_sign_in_at = $1 WHERE person_id = $2")
            .bind(now)
            .bind(person_id)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Stores a new password hash.
pub async fn set_password_hash(
    tx: &mut Tx<'_>,
    person_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE person_id = $3")
            .bind(hash)
            .bind(now)
            .bind(person_id)
            .execute(conn)
            .await?;
    });
    Ok(())
}

/// Creates a person (or finds the one with that address) and gives them an account;
/// returns the person's id.
pub async fn ensure_account(
    tx: &mut Tx<'_>,
    full_name: &str,
    email: &EmailAddress,
    secretariat: bool,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    on_tx!(tx, conn => {
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE lower(email) = lower($1)")
            .bind(email.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        let id = match existing {
            Some(id) => id,
            None => sqlx::query_scalar(
                "INSERT INTO people (full_name, email, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
            )
            .bind(full_name)
            .bind(email.as_str())
            .bind(now)
            .fetch_one(&mut *conn)
            .await?,
        };
        sqlx::query(
            "INSERT INTO accounts (person_id, secretariat, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (person_id) DO UPDATE SET secretariat = accounts.secretariat OR excluded.secretariat",
        )
        .bind(id)
        .bind(secretariat)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        Ok(id)
    })
}

/// A person's own details, for their account page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OwnDetails {
    pub full_name: String,
    pub email: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub member_state: Option<String>,
    pub password_set: bool,
    pub secretariat: bool,
}

pub async fn own_details(store: &Store, person_id: i64) -> StoreResult<OwnDetails> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.full_name, p.email, p.title, o.name AS organisation, p.member_state,
                    a.password_hash IS NOT NULL AS password_set, COALESCE(a.secretariat, FALSE) AS secretariat
             FROM people p
             LEFT JOIN organisations o ON o.id = p.organisation_id
             LEFT JOIN accounts a ON a.person_id = p.id
             WHERE p.id = $1",
        )
        .bind(person_id)
        .fetch_one(pool)
        .await?
    }))
}

pub async fn update_own_details(
    tx: &mut Tx<'_>,
    person_id: i64,
    full_name: &str,
    title: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, pool => {
        sqlx::query("UPDATE people SET full_name = $1, title = $2, updated_at = $3 WHERE id = $4")
            .bind(full_name)
            .bind(title)
            .bind(now)
            .bind(person_id)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// (network name, category, Member State, from, to) of every membership.
pub async fn memberships_of(
    store: &Store,
    person_id: i64,
) -> StoreResult<
    Vec<(
        String,
        String,
        Option<String>,
        Option<NaiveDate>,
        Option<NaiveDate>,
    )>,
> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT n.name, m.category, m.member_state, m.active_from, m.active_to
             FROM memberships m JOIN networks n ON n.id = m.network_id
             WHERE m.person_id = $1 ORDER BY n.name, m.category",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    }))
}

/// One event role of a person, with what pages need to show it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct EventRoleRow {
    pub event_id: i64,
    pub network: String,
    pub event: String,
    pub title: String,
    pub role: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
}

impl EventRoleRow {
    /// The day the event starts, in the event's own zone.
    pub fn starts_on(&self) -> String {
        match crate::platform::localtime::parse_zone(&self.time_zone) {
            Some(zone) => crate::platform::localtime::local_date(self.starts_at, zone),
            None => crate::ui::long_date(self.starts_at.date_naive()),
        }
    }
}

/// Every event role of a person, the latest event first.
pub async fn event_roles_of(store: &Store, person_id: i64) -> StoreResult<Vec<EventRoleRow>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.id AS event_id, n.slug AS network, e.slug AS event, e.title, r.role,
                    e.starts_at, e.time_zone
             FROM event_roles r JOIN events e ON e.id = r.event_id JOIN networks n ON n.id = e.network_id
             WHERE r.person_id = $1 ORDER BY e.starts_at DESC, r.role",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    }))
}

#[derive(sqlx::FromRow, serde::Serialize)]
struct AccountExport {
    secretariat: bool,
    password_set: bool,
    disabled_at: Option<DateTime<Utc>>,
    password_changed_at: Option<DateTime<Utc>>,
    last_sign_in_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow, serde::Serialize)]
struct SessionExport {
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    client: Option<String>,
    user_agent: Option<String>,
}

/// A personal link (never its token).
#[derive(sqlx::FromRow, serde::Serialize)]
struct GuestLinkExport {
    event: String,
    scope: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow, serde::Serialize)]
struct MailExport {
    subject: String,
    status: String,
    queued_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

/// Everything held about a person, as JSON: details, account (without the
/// password hash), memberships, event roles, sessions, mail sent to them and audit
/// entries by or about them.
pub async fn export_person(store: &Store, person_id: i64) -> StoreResult<serde_json::Value> {
    use serde_json::json;
    let d = own_details(store, person_id).await?;
    let account: Option<AccountExport> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT secretariat, password_hash IS NOT NULL AS password_set, disabled_at,
                    password_changed_at, last_sign_in_at, created_at
             FROM accounts WHERE person_id = $1",
        )
        .bind(person_id)
        .fetch_optional(pool)
        .await?
    });
    let memberships = memberships_of(store, person_id).await?;
    let roles = event_roles_of(store, person_id).await?;
    let sessions: Vec<SessionExport> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT created_at, last_seen_at, client, user_agent FROM sessions
             WHERE person_id = $1 ORDER BY created_at",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    let mail: Vec<MailExport> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT subject, status, created_at AS queued_at, sent_at FROM mail_outbox
             WHERE person_id = $1 OR lower(recipient_email) = lower($2) ORDER BY id",
        )
        .bind(person_id)
        .bind(&d.email)
        .fetch_all(pool)
        .await?
    });
    let guest_links: Vec<GuestLinkExport> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title AS event, g.scope, g.created_at, g.expires_at, g.revoked_at, g.last_used_at
             FROM guest_links g JOIN events e ON e.id = g.event_id
             WHERE g.person_id = $1 ORDER BY g.id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    let audit = crate::platform::audit::list(store, None, Some(person_id), 10_000).await?;
    Ok(json!({
        "person": {
            "id": person_id,
            "full_name": d.full_name,
            "email": d.email,
            "title": d.title,
            "organisation": d.organisation,
            "member_state": d.member_state,
        },
        "account": account,
        "memberships": memberships.into_iter().map(|(network, category, member_state, from, to)| json!({
            "network": network, "category": category, "member_state": member_state,
            "active_from": from, "active_to": to,
        })).collect::<Vec<_>>(),
        "event_roles": roles.into_iter().map(|r| json!({
            "network": r.network, "event": r.event, "title": r.title, "role": r.role, "starts_at": r.starts_at,
        })).collect::<Vec<_>>(),
        "sessions": sessions,
        "guest_links": guest_links,
        "mail": mail,
        "audit": audit.into_iter().map(|a| json!({
            "at": a.at, "action": a.action, "by": a.actor_name, "subject_kind": a.subject_kind,
            "subject_id": a.subject_id, "detail": a.detail, "client": a.client,
        })).collect::<Vec<_>>(),
    }))
}

/// Escapes `%`, `_` and `\\` for a `LIKE … ESCAPE '\\'` pattern.
pub fn like_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Erases a person: their name, address, title, organisation and Member State are
/// replaced by a placeholder and `erased_at` is set; account, sessions, tokens,
/// memberships, event roles and jobs are removed; mail to them (by their id, and to
/// their current address) loses its content and is never sent; audit entries by or
/// about them keep their shape (who did what when) but lose the details, as do
/// entries that named their address. The person row stays, anonymised, so records
/// that point at it remain consistent. Returns the placeholder name.
pub async fn erase_person(
    tx: &mut Tx<'_>,
    person_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let placeholder = format!("Erased person {person_id}");
    // Unique by construction: no one can type an address at .invalid.
    let placeholder_email = format!(
        "erased-{person_id}-{}@erased.invalid",
        uuid::Uuid::new_v4().simple()
    );
    // The person's row is locked first (PostgreSQL; SQLite has one writer anyway): a
    // job that is about to mail them either finishes before and its mail is erased
    // here, or waits and then finds them erased.
    let sql = format!(
        "SELECT email FROM people WHERE id = $1 AND erased_at IS NULL{}",
        tx.lock_clause()
    );
    on_tx!(tx, conn => {
        let email: String = sqlx::query_scalar(&sql)
            .bind(person_id)
            .fetch_one(&mut *conn)
            .await?;
        let email = email.to_lowercase();
        for sql in [
            "DELETE FROM sessions WHERE person_id = $1",
            "DELETE FROM auth_tokens WHERE person_id = $1",
            "DELETE FROM accounts WHERE person_id = $1",
            "DELETE FROM memberships WHERE person_id = $1",
            "DELETE FROM event_roles WHERE person_id = $1",
            "DELETE FROM jobs WHERE person_id = $1",
            "DELETE FROM guest_links WHERE person_id = $1",
            "UPDATE audit_log SET detail = NULL, client = NULL
             WHERE actor_person_id = $1 OR (subject_kind = 'person' AND subject_id = $1)",
        ] {
            sqlx::query(sql).bind(person_id).execute(&mut *conn).await?;
        }
        // Entries that named the address without knowing the person (failed sign-ins).
        sqlx::query("UPDATE audit_log SET detail = NULL WHERE lower(detail) LIKE '%' || $1 || '%' ESCAPE '\\'")
            .bind(like_escaped(&email))
            .execute(&mut *conn)
            .await?;
        for kind in ["password", "link"] {
            sqlx::query("DELETE FROM auth_attempts WHERE scope = $1")
                .bind(format!("{kind}:{email}"))
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query(
            "DELETE FROM mail_outbox_attachments WHERE mail_id IN
                 (SELECT id FROM mail_outbox WHERE person_id = $2 OR lower(recipient_email) = $1)",
        )
        .bind(&email)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE mail_outbox SET recipient_email = $2, recipient_name = NULL, person_id = $3,
                 subject = '(erased)', body_text = '(erased)', body_html = '(erased)',
                 calendar_ics = NULL, attachments = NULL, last_error = NULL, secret = NULL,
                 status = CASE WHEN status = 'sent' THEN status ELSE 'failed' END
             WHERE person_id = $3 OR lower(recipient_email) = $1",
        )
        .bind(&email)
        .bind(&placeholder_email)
        .bind(person_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE people SET full_name = $2, email = $3, title = NULL, organisation_id = NULL,
                 member_state = NULL, updated_at = $4, erased_at = $4 WHERE id = $1",
        )
        .bind(person_id)
        .bind(&placeholder)
        .bind(&placeholder_email)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(placeholder)
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(super::like_escaped("a_b%c\\d@x.eu"), "a\\_b\\%c\\\\d@x.eu");
    }
}
