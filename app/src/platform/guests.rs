//! Guests: people who act through a personal link instead of an account —
//! invitees answering an invitation, recipients reading the report mailed to them.
//! A link carries a 256-bit token (only its SHA-256 is stored, in `guest_links`,
//! apart from the sign-in tokens) that proves one person for one event and a set
//! of actions, until it expires or is revoked. Opening the link keeps the token in
//! an HttpOnly cookie, so it leaves the address bar (and the Referer) at once; the
//! viewer of a request with that cookie and no session is a guest, and
//! `policy::may` answers for guests as for signed-in people.
use super::auth::{hash_secret, new_secret, Identity, SecuritySettings, Viewer};
use super::db::{Store, StoreResult, Tx};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The cookie that holds a guest's token over plain HTTP.
pub const GUEST_COOKIE: &str = "convene_guest";
/// Over HTTPS, pinned to this host.
pub const SECURE_GUEST_COOKIE: &str = "__Host-convene_guest";

pub fn cookie_name(settings: &SecuritySettings) -> &'static str {
    if settings.https() {
        SECURE_GUEST_COOKIE
    } else {
        GUEST_COOKIE
    }
}

/// What a guest link lets its holder do for its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum GuestAction {
    /// See the invitation and the event as the guest sees it.
    View,
    /// Accept or decline an invitation.
    Respond,
    /// Register (and change or cancel the registration).
    Register,
    /// Read the outcome report sent to them.
    ReadReport,
}

impl GuestAction {
    pub const ALL: [GuestAction; 4] = [
        GuestAction::View,
        GuestAction::Respond,
        GuestAction::Register,
        GuestAction::ReadReport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GuestAction::View => "view",
            GuestAction::Respond => "respond",
            GuestAction::Register => "register",
            GuestAction::ReadReport => "read_report",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            GuestAction::View => "see the invitation",
            GuestAction::Respond => "accept or decline",
            GuestAction::Register => "register",
            GuestAction::ReadReport => "read the outcome report",
        }
    }
}

fn scope_text(scope: &[GuestAction]) -> String {
    scope
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_scope(text: &str) -> Vec<GuestAction> {
    text.split(',').filter_map(GuestAction::parse).collect()
}

/// Issues a guest link for `person_id` and `event_id` inside the caller's
/// transaction (with the invitation or mail that carries it); returns the token.
pub async fn issue_link(
    tx: &mut Tx<'_>,
    person_id: i64,
    event_id: i64,
    scope: &[GuestAction],
    valid_for: Duration,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let (secret, hash) = new_secret();
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO guest_links (token_hash, person_id, event_id, scope, expires_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&hash)
        .bind(person_id)
        .bind(event_id)
        .bind(scope_text(scope))
        .bind(now + valid_for)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(secret)
}

/// Revokes a person's guest links (for one event, or all); returns how many.
pub async fn revoke_links(
    tx: &mut Tx<'_>,
    person_id: i64,
    event_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    Ok(on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE guest_links SET revoked_at = $3
             WHERE person_id = $1 AND ($2 IS NULL OR event_id = $2) AND revoked_at IS NULL",
        )
        .bind(person_id)
        .bind(event_id)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()
    }))
}

#[derive(Clone, sqlx::FromRow)]
struct LinkRow {
    token_hash: String,
    expires_at: DateTime<Utc>,
    id: i64,
    person_id: i64,
    event_id: i64,
    scope: String,
    full_name: String,
    email: String,
    last_used_at: Option<DateTime<Utc>>,
}

/// The links whose tokens hash to any of the bound ones (`$1`: a JSON array on
/// SQLite, an array on PostgreSQL) that are not revoked, whose person is not erased
/// and whose event is not a draft; expiry is for the caller to judge.
macro_rules! links_sql {
    ($hashes_in:literal) => {
        concat!(
            "SELECT g.token_hash, g.expires_at, g.id, g.person_id, g.event_id, g.scope,
                    p.full_name, p.email, g.last_used_at
             FROM guest_links g
             JOIN people p ON p.id = g.person_id
             JOIN events e ON e.id = g.event_id
             WHERE g.revoked_at IS NULL AND p.erased_at IS NULL AND e.status <> 'draft'
               AND g.token_hash ",
            $hashes_in
        )
    };
}

/// The link a token belongs to, when it still works: not expired, not revoked, its
/// person not erased, its event not a draft. Read with one statement for every
/// link asked for at the same moment ([`Store::read_together`]): a thousand
/// invitees posting at once cost a few reads, not a thousand.
async fn live_link(
    store: &Store,
    secret: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<LinkRow>> {
    type Asked = (String, DateTime<Utc>);
    store
        .read_together(
            0,
            (hash_secret(secret), now),
            |store, _, asked: Vec<Asked>| async move {
                let hashes: Vec<&str> = asked.iter().map(|(h, _)| h.as_str()).collect();
                let found: StoreResult<Vec<LinkRow>> = async {
                    Ok(match store.backend() {
                        super::db::Backend::Sqlite(pool) => {
                            sqlx::query_as(links_sql!("IN (SELECT value FROM json_each($1))"))
                                .bind(serde_json::to_string(&hashes).map_err(anyhow::Error::from)?)
                                .fetch_all(pool)
                                .await?
                        }
                        super::db::Backend::Postgres(pool) => {
                            sqlx::query_as(links_sql!("= ANY($1)"))
                                .bind(&hashes)
                                .fetch_all(pool)
                                .await?
                        }
                    })
                }
                .await;
                let found: std::collections::HashMap<String, LinkRow> = match found {
                    Ok(rows) => rows
                        .into_iter()
                        .map(|r| (r.token_hash.clone(), r))
                        .collect(),
                    Err(err) => return asked.iter().map(|_| Err(err.shared())).collect(),
                };
                asked
                    .iter()
                    .map(|(hash, now)| Ok(found.get(hash).filter(|r| r.expires_at > *now).cloned()))
                    .collect()
            },
        )
        .await
}

/// The guest behind a token, or None when the link no longer works.
pub async fn viewer_for_link(
    store: &Store,
    secret: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Viewer>> {
    let Some(row) = live_link(store, secret, now).await? else {
        return Ok(None);
    };
    // Noted at most once a minute, as sessions are.
    if row
        .last_used_at
        .is_none_or(|t| now - t > Duration::minutes(1))
    {
        on_pool!(store, pool => {
            sqlx::query("UPDATE guest_links SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(row.id)
                .execute(pool)
                .await?;
        });
    }
    Ok(Some(Viewer {
        person_id: row.person_id,
        name: row.full_name,
        email: row.email,
        secretariat: false,
        memberships: Vec::new(),
        event_roles: Vec::new(),
        workshop_chairs: Vec::new(),
        invited_to: Vec::new(),
        identity: Identity::Guest {
            link_id: row.id,
            event_id: crate::ids::EventId(row.event_id),
            scope: parse_scope(&row.scope),
        },
    }))
}

/// For the route that opens a link: the event it is for, how long it lasts and
/// what it allows, when it still works.
pub async fn open_link(
    store: &Store,
    secret: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<(i64, DateTime<Utc>, Vec<GuestAction>)>> {
    let Some(row) = live_link(store, secret, now).await? else {
        return Ok(None);
    };
    Ok(Some((
        row.event_id,
        row.expires_at,
        parse_scope(&row.scope),
    )))
}

/// The `Set-Cookie` value that keeps a guest's token until `expires` (at most 30
/// days: a lost laptop should not stay a guest forever).
pub fn guest_cookie(
    secret: &str,
    settings: &SecuritySettings,
    expires: DateTime<Utc>,
    now: DateTime<Utc>,
) -> String {
    let max_age = (expires - now).num_seconds().clamp(0, 30 * 24 * 3600);
    format!(
        "{}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        cookie_name(settings),
        if settings.https() { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that forgets a guest's token on this device.
pub fn clear_guest_cookie(settings: &SecuritySettings) -> String {
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        cookie_name(settings),
        if settings.https() { "; Secure" } else { "" }
    )
}

/// A personal link as exported (never its token).
#[derive(sqlx::FromRow, serde::Serialize)]
struct GuestLinkExport {
    event: String,
    scope: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
}

/// A person's guest links.
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    let links: Vec<GuestLinkExport> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title AS event, g.scope, g.created_at, g.expires_at, g.revoked_at, g.last_used_at
             FROM guest_links g JOIN events e ON e.id = g.event_id
             WHERE g.person_id = $1 ORDER BY g.id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    Ok(vec![("guest_links", serde_json::json!(links))])
}

/// Erases a person's guest links.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM guest_links WHERE person_id = $1")
            .bind(e.person_id)
            .execute(conn)
            .await?;
    });
    Ok(())
}
