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
    /// Whether the account has the secretariat's rights (their work starts at /admin).
    pub secretariat: bool,
}

const CREDENTIALS: &str = "SELECT p.id AS person_id, p.full_name, p.email, a.password_hash,
        a.person_id IS NOT NULL AS has_account, a.disabled_at IS NOT NULL AS disabled,
        COALESCE(a.secretariat, FALSE) AS secretariat
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
/// without anything about their credentials: (id, name, address).
pub async fn person_by_email(
    store: &Store,
    email: &str,
) -> StoreResult<Option<(i64, String, String)>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT id, full_name, email FROM people WHERE lower(email) = lower($1) AND erased_at IS NULL",
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

/// What accounts hold about a person (`accounts`, `sessions`; tokens and counted
/// attempts are secrets or short-lived and left out): the account without its
/// password hash, and the sessions.
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
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
    let sessions: Vec<SessionExport> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT created_at, last_seen_at, client, user_agent FROM sessions
             WHERE person_id = $1 ORDER BY created_at",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    Ok(vec![
        ("account", serde_json::json!(account)),
        ("sessions", serde_json::json!(sessions)),
    ])
}

/// Erases what accounts hold about a person: account, sessions, sign-in and
/// password tokens, and the attempts counted for their address.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    on_tx!(tx, conn => {
        for sql in [
            "DELETE FROM sessions WHERE person_id = $1",
            "DELETE FROM auth_tokens WHERE person_id = $1",
            "DELETE FROM accounts WHERE person_id = $1",
        ] {
            sqlx::query(sql).bind(e.person_id).execute(&mut *conn).await?;
        }
        for kind in ["password", "link"] {
            sqlx::query("DELETE FROM auth_attempts WHERE scope = $1")
                .bind(format!("{kind}:{}", e.email))
                .execute(&mut *conn)
                .await?;
        }
    });
    Ok(())
}
