//! The SQL of calendar feeds: the events a feed lists, the personal feeds'
//! secrets (stored only as hashes) and whom they open. The agenda items come from
//! the agenda's own reads (`agenda::store::feed_items`), through the reader's reach.
use crate::platform::db::{Store, StoreError, StoreResult, Tx};
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};

/// An event as a feed writes it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FeedEvent {
    pub id: i64,
    pub network_id: i64,
    pub network_slug: String,
    pub network_name: String,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub summary: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub venue: String,
    /// Raised by every change of its times, venue, title or status.
    pub calendar_sequence: i64,
    pub updated_at: DateTime<Utc>,
    /// When the agenda's last version was published, if it was (read from the
    /// versions, a few rows, not the items).
    pub agenda_modified: Option<DateTime<Utc>>,
    /// The number of the agenda's last published version (0: never published):
    /// every publication changes it, so it stands for the agenda in the feed's ETag.
    pub agenda_version: i64,
}

const COLUMNS: &str = "e.id, e.network_id, n.slug AS network_slug, n.name AS network_name,
        e.slug, e.title, e.kind, e.status, e.summary, e.starts_at, e.ends_at, e.time_zone,
        e.venue, CAST(e.calendar_sequence AS BIGINT) AS calendar_sequence, e.updated_at,
        (SELECT v.published_at FROM agenda_versions v WHERE v.event_id = e.id
         ORDER BY v.number DESC LIMIT 1) AS agenda_modified,
        CAST(COALESCE((SELECT max(v.number) FROM agenda_versions v WHERE v.event_id = e.id), 0)
             AS BIGINT) AS agenda_version";

/// One public event (anything but a draft) by its network's and its own web
/// address names; a draft is not found, exactly like an event that does not exist.
pub async fn public_event(store: &Store, network: &str, slug: &str) -> StoreResult<FeedEvent> {
    let sql = format!(
        "SELECT {COLUMNS} FROM events e JOIN networks n ON n.id = e.network_id
         WHERE n.slug = $1 AND e.slug = $2 AND e.status <> 'draft'"
    );
    on_pool!(store, pool => {
        sqlx::query_as(&sql)
            .bind(network)
            .bind(slug)
            .fetch_optional(pool)
            .await?
    })
    .ok_or(StoreError::NotFound)
}

/// A network's public events, soonest first, without those cancelled that ended
/// before `since`; with the network's name. Not found for an unknown network.
pub async fn network_events(
    store: &Store,
    network: &str,
    since: DateTime<Utc>,
) -> StoreResult<(String, Vec<FeedEvent>)> {
    let name: Option<String> = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT name FROM networks WHERE slug = $1")
            .bind(network)
            .fetch_optional(pool)
            .await?
    });
    let name = name.ok_or(StoreError::NotFound)?;
    let sql = format!(
        "SELECT {COLUMNS} FROM events e JOIN networks n ON n.id = e.network_id
         WHERE n.slug = $1 AND e.status <> 'draft'
             AND (e.status <> 'cancelled' OR e.ends_at > $2)
         ORDER BY e.starts_at, e.id"
    );
    let events = on_pool!(store, pool => {
        sqlx::query_as(&sql)
            .bind(network)
            .bind(since)
            .fetch_all(pool)
            .await?
    });
    Ok((name, events))
}

/// How a person stands at an event of their personal feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taking {
    /// A confirmed place.
    Confirmed,
    /// Waiting: for approval or for a place.
    Waiting,
    /// Cancelled or refused: calendars are told to remove the event.
    Gone,
}

/// The events of `person_id`'s personal feed: those they registered for (not
/// drafts), and those whose registration ended that were still to end after
/// `since`, soonest first.
pub async fn registered_events(
    store: &Store,
    person_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<(FeedEvent, Taking)>> {
    let sql = format!(
        "SELECT {COLUMNS}, r.status AS registration
         FROM registrations r JOIN events e ON e.id = r.event_id
         JOIN networks n ON n.id = e.network_id
         WHERE r.person_id = $1 AND e.status <> 'draft'
           AND (r.status IN ('confirmed', 'pending', 'waitlisted') OR e.ends_at > $2)
         ORDER BY e.starts_at, e.id"
    );
    let rows = on_pool!(store, pool => {
        sqlx::query(&sql)
            .bind(person_id)
            .bind(since)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                use sqlx::{FromRow, Row};
                Ok((FeedEvent::from_row(r)?, r.try_get::<String, _>("registration")?))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    Ok(rows
        .into_iter()
        .map(|(e, status)| {
            let taking = match status.as_str() {
                "confirmed" => Taking::Confirmed,
                "pending" | "waitlisted" => Taking::Waiting,
                _ => Taking::Gone,
            };
            (e, taking)
        })
        .collect())
}

/// The published workshops `person_id` chose, at every event.
pub async fn chosen(store: &Store, person_id: i64) -> StoreResult<Vec<i64>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar("SELECT item_id FROM agenda_signups WHERE person_id = $1")
            .bind(person_id)
            .fetch_all(pool)
            .await?
    }))
}

/// Whom a personal feed is for.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedOwner {
    pub person_id: i64,
    pub full_name: String,
    /// The secretariat's rights: they see every event as its organisers do.
    pub secretariat: bool,
}

/// The person whose personal feed the secret hashed as `hash` opens: none when
/// there is no such secret, or its account is disabled or its person erased.
pub async fn owner_of_token(store: &Store, hash: &str) -> StoreResult<Option<FeedOwner>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT t.person_id, p.full_name, a.secretariat FROM calendar_tokens t
             JOIN people p ON p.id = t.person_id
             JOIN accounts a ON a.person_id = t.person_id
             WHERE t.token_hash = $1 AND p.erased_at IS NULL AND a.disabled_at IS NULL",
        )
        .bind(hash)
        .fetch_optional(pool)
        .await?
    }))
}

/// When `person_id`'s personal feed address was made, if they have one.
pub async fn token_made(store: &Store, person_id: i64) -> StoreResult<Option<DateTime<Utc>>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar("SELECT created_at FROM calendar_tokens WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(pool)
            .await?
    }))
}

/// Gives `person_id` a new personal feed secret (its hash), replacing any
/// earlier one: the old address stops working in the same transaction.
pub async fn set_token(
    tx: &mut Tx<'_>,
    person_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO calendar_tokens (person_id, token_hash, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash,
                 created_at = excluded.created_at",
        )
        .bind(person_id)
        .bind(hash)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// Takes `person_id`'s personal feed address away; false when there was none.
pub async fn revoke_token(tx: &mut Tx<'_>, person_id: i64) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query("DELETE FROM calendar_tokens WHERE person_id = $1")
            .bind(person_id)
            .execute(conn)
            .await?
            .rows_affected()
    });
    Ok(done > 0)
}

/// What is held about a person's calendar: when their feed address was made
/// (never the secret, which is not held).
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    let made = token_made(store, person_id).await?;
    Ok(vec![(
        "calendar_feed",
        serde_json::json!({ "personal_feed_address_made_at": made }),
    )])
}

/// Erasing a person ends their personal feed.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    revoke_token(tx, e.person_id).await?;
    Ok(())
}
