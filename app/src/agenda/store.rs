//! The agenda's SQL. The draft (`agenda_items`, `agenda_speakers`) is what chairs
//! edit; `publish` copies it into `agenda_published` as the next numbered version
//! and records what changed (`agenda_changes`). Readers only ever read the
//! published copy, through a reach from the policy that decides, in the query,
//! which rows are fetched in full, which as closed blocks, and which not at all.
use super::{Change, ShownChange, ShownItem, Speaker};
use crate::domain::{AgendaItemKind, AgendaVisibility};
use crate::platform::db::{Store, StoreError, StoreResult, Tx};
use crate::platform::kept::{Bounded, Weighed};
use crate::platform::policy::AgendaReach;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// A room of an event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Room {
    pub id: i64,
    pub name: String,
    pub capacity: Option<i64>,
    pub note: String,
}

/// Adds a room; a second room of the same name in the event is a conflict.
pub async fn add_room(
    tx: &mut Tx<'_>,
    event_id: i64,
    name: &str,
    capacity: Option<i64>,
    note: &str,
) -> StoreResult<i64> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(
            "INSERT INTO agenda_rooms (event_id, name, capacity, note) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(event_id)
        .bind(name)
        .bind(capacity)
        .bind(note)
        .fetch_one(conn)
        .await?
    }))
}

/// The event's rooms by name.
pub async fn rooms(store: &Store, event_id: i64) -> StoreResult<Vec<Room>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT id, name, CAST(capacity AS BIGINT) AS capacity, note FROM agenda_rooms
             WHERE event_id = $1 ORDER BY name, id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    }))
}

/// A speaker as the chair enters one: a person of the directory, or a name with an
/// organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerInput {
    pub person_id: Option<i64>,
    pub name: String,
    pub organisation: String,
}

/// An item's fields, as the builder's form gives them (already checked).
#[derive(Debug, Clone)]
pub struct NewItem<'a> {
    pub kind: AgendaItemKind,
    pub title: &'a str,
    pub description: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub room_id: Option<i64>,
    pub visibility: AgendaVisibility,
    pub capacity: Option<i64>,
    pub moderator_id: Option<i64>,
    pub speakers: &'a [SpeakerInput],
}

/// A room given for an item must be one of the item's event.
async fn check_room(tx: &mut Tx<'_>, event_id: i64, room_id: Option<i64>) -> StoreResult<()> {
    let Some(room) = room_id else { return Ok(()) };
    let found: Option<i64> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM agenda_rooms WHERE id = $1 AND event_id = $2")
            .bind(room)
            .bind(event_id)
            .fetch_optional(conn)
            .await?
    });
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::Conflict(
            "That room is not one of this event's.".into(),
        )),
    }
}

async fn write_speakers(
    tx: &mut Tx<'_>,
    item_id: i64,
    speakers: &[SpeakerInput],
) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM agenda_speakers WHERE item_id = $1")
            .bind(item_id)
            .execute(&mut *conn)
            .await?;
        for (position, s) in speakers.iter().enumerate() {
            sqlx::query(
                "INSERT INTO agenda_speakers (item_id, position, person_id, name, organisation)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(item_id)
            .bind(position as i64)
            .bind(s.person_id)
            .bind(&s.name)
            .bind(&s.organisation)
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// Adds an item to the event's draft; returns its id (for life).
pub async fn add_item(
    tx: &mut Tx<'_>,
    event_id: i64,
    item: &NewItem<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    check_room(tx, event_id, item.room_id).await?;
    let id: i64 = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "INSERT INTO agenda_items (event_id, kind, title, description, starts_at, ends_at,
                 room_id, visibility, capacity, moderator_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
             RETURNING id",
        )
        .bind(event_id)
        .bind(item.kind.as_str())
        .bind(item.title)
        .bind(item.description)
        .bind(item.starts_at)
        .bind(item.ends_at)
        .bind(item.room_id)
        .bind(item.visibility.as_str())
        .bind(item.capacity)
        .bind(item.moderator_id)
        .bind(now)
        .fetch_one(conn)
        .await?
    });
    write_speakers(tx, id, item.speakers).await?;
    Ok(id)
}

/// Rewrites a draft item of the event; not found when the event has no such item.
pub async fn update_item(
    tx: &mut Tx<'_>,
    event_id: i64,
    item_id: i64,
    item: &NewItem<'_>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    check_room(tx, event_id, item.room_id).await?;
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE agenda_items SET kind = $3, title = $4, description = $5, starts_at = $6,
                 ends_at = $7, room_id = $8, visibility = $9, capacity = $10,
                 moderator_id = $11, updated_at = $12
             WHERE id = $1 AND event_id = $2",
        )
        .bind(item_id)
        .bind(event_id)
        .bind(item.kind.as_str())
        .bind(item.title)
        .bind(item.description)
        .bind(item.starts_at)
        .bind(item.ends_at)
        .bind(item.room_id)
        .bind(item.visibility.as_str())
        .bind(item.capacity)
        .bind(item.moderator_id)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()
    });
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    write_speakers(tx, item_id, item.speakers).await
}

/// Replaces the speakers of one of the event's draft items; not found when the
/// event has no such item.
pub async fn set_speakers(
    tx: &mut Tx<'_>,
    event_id: i64,
    item_id: i64,
    speakers: &[SpeakerInput],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let done = on_tx!(tx, conn => {
        sqlx::query("UPDATE agenda_items SET updated_at = $3 WHERE id = $1 AND event_id = $2")
            .bind(item_id)
            .bind(event_id)
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected()
    });
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    write_speakers(tx, item_id, speakers).await
}

/// Removes an item from the draft (it leaves the published agenda at the next
/// version); not found when the event has no such item.
pub async fn delete_item(tx: &mut Tx<'_>, event_id: i64, item_id: i64) -> StoreResult<()> {
    let done = on_tx!(tx, conn => {
        sqlx::query("DELETE FROM agenda_items WHERE id = $1 AND event_id = $2")
            .bind(item_id)
            .bind(event_id)
            .execute(conn)
            .await?
            .rows_affected()
    });
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// An item of the draft, as the builder and publishing need it.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftItem {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub room_id: Option<i64>,
    pub room_name: String,
    pub visibility: String,
    pub capacity: Option<i64>,
    pub moderator_id: Option<i64>,
    /// Speakers in order, then the moderator (marked).
    pub people: Vec<Speaker>,
    /// The directory's people among them (speakers and moderator), for conflicts.
    pub person_ids: Vec<i64>,
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    id: i64,
    kind: String,
    title: String,
    description: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    room_id: Option<i64>,
    room_name: Option<String>,
    visibility: String,
    capacity: Option<i64>,
    moderator_id: Option<i64>,
    moderator_name: Option<String>,
    moderator_organisation: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SpeakerRow {
    item_id: i64,
    person_id: Option<i64>,
    name: String,
    organisation: String,
}

/// The event's draft in order of time (inside `tx`, which sees its own changes).
pub async fn draft_in(tx: &mut Tx<'_>, event_id: i64) -> StoreResult<Vec<DraftItem>> {
    draft_rows(tx, event_id, None).await
}

/// One item of the event's draft; not found when the event has no such item.
pub async fn item_in(tx: &mut Tx<'_>, event_id: i64, item_id: i64) -> StoreResult<DraftItem> {
    draft_rows(tx, event_id, Some(item_id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

async fn draft_rows(
    tx: &mut Tx<'_>,
    event_id: i64,
    item_id: Option<i64>,
) -> StoreResult<Vec<DraftItem>> {
    let (rows, speakers): (Vec<DraftRow>, Vec<SpeakerRow>) = on_tx!(tx, conn => {
        let rows = sqlx::query_as(
            "SELECT i.id, i.kind, i.title, i.description, i.starts_at, i.ends_at, i.room_id,
                    r.name AS room_name, i.visibility, CAST(i.capacity AS BIGINT) AS capacity,
                    i.moderator_id, m.full_name AS moderator_name, o.name AS moderator_organisation
             FROM agenda_items i
             LEFT JOIN agenda_rooms r ON r.id = i.room_id
             LEFT JOIN people m ON m.id = i.moderator_id
             LEFT JOIN organisations o ON o.id = m.organisation_id
             WHERE i.event_id = $1 AND ($2 IS NULL OR i.id = $2)
             ORDER BY i.starts_at, r.name, i.id",
        )
        .bind(event_id)
        .bind(item_id)
        .fetch_all(&mut *conn)
        .await?;
        let speakers = sqlx::query_as(
            "SELECT s.item_id, s.person_id,
                    COALESCE(p.full_name, s.name) AS name,
                    COALESCE(o.name, s.organisation) AS organisation
             FROM agenda_speakers s
             JOIN agenda_items i ON i.id = s.item_id
             LEFT JOIN people p ON p.id = s.person_id
             LEFT JOIN organisations o ON o.id = p.organisation_id
             WHERE i.event_id = $1 AND ($2 IS NULL OR i.id = $2)
             ORDER BY s.item_id, s.position",
        )
        .bind(event_id)
        .bind(item_id)
        .fetch_all(&mut *conn)
        .await?;
        (rows, speakers)
    });
    let mut by_item: HashMap<i64, Vec<SpeakerRow>> = HashMap::new();
    for s in speakers {
        by_item.entry(s.item_id).or_default().push(s);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let said = by_item.remove(&r.id).unwrap_or_default();
            let mut person_ids: Vec<i64> = said.iter().filter_map(|s| s.person_id).collect();
            let mut people: Vec<Speaker> = said
                .into_iter()
                .map(|s| Speaker {
                    person: s.person_id,
                    name: s.name,
                    organisation: s.organisation,
                    moderator: false,
                })
                .collect();
            if let (Some(id), Some(name)) = (r.moderator_id, r.moderator_name) {
                person_ids.push(id);
                people.push(Speaker {
                    person: Some(id),
                    name,
                    organisation: r.moderator_organisation.unwrap_or_default(),
                    moderator: true,
                });
            }
            DraftItem {
                id: r.id,
                kind: r.kind,
                title: r.title,
                description: r.description,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                room_id: r.room_id,
                room_name: r.room_name.unwrap_or_default(),
                visibility: r.visibility,
                capacity: r.capacity,
                moderator_id: r.moderator_id,
                people,
                person_ids,
            }
        })
        .collect())
}

/// The people a chair may name as speakers or moderator of the event's items: the
/// members of its network and those invited to or registered for it, by name, as
/// (id, "Name, Organisation"). Erased people are not among them.
pub async fn people_for(store: &Store, event_id: i64) -> StoreResult<Vec<(i64, String)>> {
    let rows: Vec<(i64, String, Option<String>)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.id, p.full_name, o.name FROM people p
             LEFT JOIN organisations o ON o.id = p.organisation_id
             WHERE p.erased_at IS NULL AND (
                 EXISTS (SELECT 1 FROM memberships m JOIN events e ON e.network_id = m.network_id
                         WHERE e.id = $1 AND m.person_id = p.id)
                 OR EXISTS (SELECT 1 FROM invitations i
                            WHERE i.event_id = $1 AND i.person_id = p.id AND i.status <> 'revoked')
                 OR EXISTS (SELECT 1 FROM registrations r
                            WHERE r.event_id = $1 AND r.person_id = p.id AND r.status <> 'cancelled'))
             ORDER BY p.full_name, p.id LIMIT 5000",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, name, org)| match org {
            Some(o) if !o.is_empty() => (id, format!("{name}, {o}")),
            _ => (id, name),
        })
        .collect())
}

/// The published row of an item, as publishing compares it with the draft.
#[derive(sqlx::FromRow)]
struct PublishedRow {
    item_id: i64,
    kind: String,
    title: String,
    description: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    room_name: String,
    visibility: String,
    capacity: Option<i64>,
    people: String,
    sequence: i64,
}

/// What a version changed of an item that was published before, if anything.
fn change_of(before: &PublishedRow, now: &DraftItem, people: &str) -> Option<Change> {
    if before.starts_at != now.starts_at
        || before.ends_at != now.ends_at
        || before.room_name != now.room_name
    {
        return Some(Change::Moved);
    }
    let same = before.kind == now.kind
        && before.title == now.title
        && before.description == now.description
        && before.visibility == now.visibility
        && before.capacity == now.capacity
        && before.people == people;
    (!same).then_some(Change::Changed)
}

/// The number of the event's last published version (NULL before the first).
const LATEST_VERSION_SQL: &str =
    "SELECT CAST(MAX(number) AS BIGINT) FROM agenda_versions WHERE event_id = $1";

/// A published version: its number and what it changed, item by item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub number: i64,
    pub changes: Vec<(i64, Change)>,
}

/// Publishes the event's draft as its next version, under the event's lock (two
/// chairs publishing at once make two versions, one after the other). Items new
/// since the last version are added, those gone from the draft are kept as removed,
/// and those that differ are moved or changed, each with its `sequence` raised.
/// A draft identical to the last version (or an empty first one) publishes
/// nothing: a conflict.
pub async fn publish(
    tx: &mut Tx<'_>,
    event_id: i64,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<Publication> {
    crate::registration::store::lock_event(tx, event_id).await?;
    let draft = draft_in(tx, event_id).await?;
    let (published, last): (Vec<PublishedRow>, Option<i64>) = on_tx!(tx, conn => {
        let rows = sqlx::query_as(
            "SELECT item_id, kind, title, description, starts_at, ends_at, room_name, visibility,
                    CAST(capacity AS BIGINT) AS capacity, people, CAST(sequence AS BIGINT) AS sequence
             FROM agenda_published WHERE event_id = $1 AND removed_in IS NULL",
        )
        .bind(event_id)
        .fetch_all(&mut *conn)
        .await?;
        let last = sqlx::query_scalar(LATEST_VERSION_SQL)
        .bind(event_id)
        .fetch_one(&mut *conn)
        .await?;
        (rows, last)
    });
    let number = last.unwrap_or(0) + 1;
    let mut before: HashMap<i64, PublishedRow> =
        published.into_iter().map(|r| (r.item_id, r)).collect();
    let mut changes = Vec::new();
    for item in &draft {
        let people = serde_json::to_string(&item.people).map_err(anyhow::Error::from)?;
        let (change, sequence) = match before.remove(&item.id) {
            None => (Change::Added, 0),
            Some(row) => match change_of(&row, item, &people) {
                None => continue,
                Some(c) => (c, row.sequence + 1),
            },
        };
        // An item removed in an earlier version and back in the draft cannot
        // happen (ids are never reused), so added means new.
        on_tx!(tx, conn => {
            sqlx::query(
                "INSERT INTO agenda_published (item_id, event_id, kind, title, description,
                     starts_at, ends_at, room_name, visibility, capacity, people, sequence,
                     added_in, changed_in, removed_in, modified_at, description_html)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, NULL, $14, $15)
                 ON CONFLICT (item_id) DO UPDATE SET
                     kind = excluded.kind, title = excluded.title,
                     description = excluded.description,
                     description_html = excluded.description_html, starts_at = excluded.starts_at,
                     ends_at = excluded.ends_at, room_name = excluded.room_name,
                     visibility = excluded.visibility, capacity = excluded.capacity,
                     people = excluded.people, sequence = excluded.sequence,
                     changed_in = excluded.changed_in, modified_at = excluded.modified_at",
            )
            .bind(item.id)
            .bind(event_id)
            .bind(&item.kind)
            .bind(&item.title)
            .bind(&item.description)
            .bind(item.starts_at)
            .bind(item.ends_at)
            .bind(&item.room_name)
            .bind(&item.visibility)
            .bind(item.capacity)
            .bind(&people)
            .bind(sequence)
            .bind(number)
            .bind(now)
            .bind(crate::platform::markdown::to_html(&item.description))
            .execute(conn)
            .await?;
        });
        changes.push((item.id, change));
    }
    for item_id in before.into_keys() {
        on_tx!(tx, conn => {
            sqlx::query(
                "UPDATE agenda_published SET removed_in = $2, changed_in = $2,
                     sequence = sequence + 1, modified_at = $3
                 WHERE item_id = $1",
            )
            .bind(item_id)
            .bind(number)
            .bind(now)
            .execute(conn)
            .await?;
        });
        changes.push((item_id, Change::Removed));
    }
    if changes.is_empty() {
        return Err(StoreError::Conflict(match last {
            Some(_) => "Nothing has changed since the last published version.".into(),
            None => "The draft has no items yet: add some before publishing.".into(),
        }));
    }
    changes.sort_by_key(|(id, _)| *id);
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO agenda_versions (event_id, number, published_at, published_by)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(event_id)
        .bind(number)
        .bind(now)
        .bind(by)
        .execute(&mut *conn)
        .await?;
        for (item_id, change) in &changes {
            sqlx::query(
                "INSERT INTO agenda_changes (event_id, number, item_id, change) VALUES ($1, $2, $3, $4)",
            )
            .bind(event_id)
            .bind(number)
            .bind(*item_id)
            .bind(change.as_str())
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(Publication { number, changes })
}

/// The last published version's number, if the agenda was ever published.
pub async fn latest_version(store: &Store, event_id: i64) -> StoreResult<Option<i64>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar(LATEST_VERSION_SQL)
        .bind(event_id)
        .fetch_one(pool)
        .await?
    }))
}

/// `'public', 'registered'`: a list of stored codes for `IN (…)`. The codes are
/// the enum's own constants, never anything typed.
fn codes(list: &[AgendaVisibility]) -> String {
    if list.is_empty() {
        // Matches nothing: no visibility is the empty word.
        return "''".to_owned();
    }
    list.iter()
        .map(|v| format!("'{}'", v.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns of a published item for one reach: in full where it may see the
/// item, otherwise empty (the closed block), so that nothing of a closed item is
/// ever read for a reader not entitled to it.
fn shown_columns(reach: &AgendaReach) -> String {
    let full = codes(&reach.full);
    format!(
        "{},
         CASE WHEN p.visibility IN ({full}) THEN p.description_html ELSE '' END AS description_html,
         p.starts_at, p.ends_at,
         CASE WHEN p.visibility IN ({full}) THEN p.room_name ELSE '' END AS room_name,
         CASE WHEN p.visibility IN ({full}) THEN p.people ELSE '[]' END AS people,
         CASE WHEN p.visibility IN ({full}) THEN CAST(p.capacity AS BIGINT) END AS capacity,
         CAST(p.sequence AS BIGINT) AS sequence",
        named_columns(&full)
    )
}

/// What names an item, blanked as [`shown_columns`] blanks it (`full`: the
/// [`codes`] seen in full): its id, whether it is a closed block, its kind and
/// its title.
fn named_columns(full: &str) -> String {
    format!(
        "p.item_id, CASE WHEN p.visibility IN ({full}) THEN 0 ELSE 1 END AS closed,
         CASE WHEN p.visibility IN ({full}) THEN p.kind ELSE 'closed_session' END AS kind,
         CASE WHEN p.visibility IN ({full}) THEN p.title ELSE '' END AS title"
    )
}

/// Which rows a reach may have at all: those it sees in full or as closed blocks.
fn seen_rows(reach: &AgendaReach) -> String {
    let mut any = reach.full.clone();
    any.extend(reach.closed.iter().copied());
    format!("p.visibility IN ({})", codes(&any))
}

#[derive(sqlx::FromRow)]
struct ShownRow {
    item_id: i64,
    closed: i32,
    kind: String,
    title: String,
    description_html: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    room_name: String,
    people: String,
    capacity: Option<i64>,
    sequence: i64,
}

impl ShownRow {
    fn shown(self) -> ShownItem {
        ShownItem {
            id: self.item_id,
            closed: self.closed != 0,
            kind: self.kind,
            title: self.title,
            description_html: self.description_html,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            room: self.room_name,
            people: people_shown(&self.people),
            capacity: self.capacity,
            sequence: self.sequence,
        }
    }
}

/// How a column of the published items is read.
#[derive(Clone, Copy)]
enum Col {
    /// As it is.
    Plain,
    /// A time: seconds since the epoch in SQLite's JSON (the rows' fields read
    /// them with `chrono::serde::ts_seconds`), as it is from PostgreSQL, whose
    /// `EXTRACT(EPOCH …)` (a numeric) cost more than the rest of a 600-item read.
    Epoch,
}

/// The columns [`named_columns`] reads, as [`item_rows`] is given them.
const NAMED: [(&str, Col); 4] = [
    ("item_id", Col::Plain),
    ("closed", Col::Plain),
    ("kind", Col::Plain),
    ("title", Col::Plain),
];

/// [`published`]'s columns after [`NAMED`]: with them, [`ItemRow`]'s fields in order.
const SHOWN_REST: [(&str, Col); 7] = [
    ("description_html", Col::Plain),
    ("starts_at", Col::Epoch),
    ("ends_at", Col::Epoch),
    ("room_name", Col::Plain),
    ("people", Col::Plain),
    ("capacity", Col::Plain),
    ("sequence", Col::Plain),
];

/// [`outline`]'s columns after [`NAMED`]: with them, [`OutlineRow`]'s fields in order.
const OUTLINE_REST: [(&str, Col); 2] = [("starts_at", Col::Epoch), ("ends_at", Col::Epoch)];

/// [`feed_items`]'s columns after [`NAMED`]: with them, [`FeedRow`]'s fields in order.
const FEED_REST: [(&str, Col); 8] = [
    ("description", Col::Plain),
    ("starts_at", Col::Epoch),
    ("ends_at", Col::Epoch),
    ("room_name", Col::Plain),
    ("people", Col::Plain),
    ("sequence", Col::Plain),
    ("modified_at", Col::Epoch),
    ("removed", Col::Plain),
];

/// The rows of `inner` (a SELECT of the published items of event `$1`, with `$2`
/// = `since` where given), each of `columns`, in no particular order (callers
/// sort). `T`'s fields are `columns`, in the same order. SQLite writes the rows
/// into one JSON array of arrays, read as one value: sqlx passes SQLite rows one
/// by one between threads, which cost more than the query at 600 items (and an
/// ORDER BY in the aggregate made SQLite copy every row into a temporary B-tree
/// to sort it); each row an array rather than an object, its columns' names are
/// not written 600 times over and matched again when read. PostgreSQL sends rows
/// as they are: building the JSON there cost its server some 3 ms at 600 items,
/// reading rows a fraction.
async fn item_rows<T>(
    store: &Store,
    inner: &str,
    columns: &[(&str, Col)],
    event_id: i64,
    since: Option<DateTime<Utc>>,
) -> StoreResult<Vec<T>>
where
    T: serde::de::DeserializeOwned
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    match store.backend() {
        crate::platform::db::Backend::Sqlite(pool) => {
            let fields = columns
                .iter()
                .map(|(name, how)| match how {
                    Col::Plain => (*name).to_owned(),
                    Col::Epoch => format!("unixepoch({name})"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT COALESCE(json_group_array(json_array({fields})), '[]') FROM ({inner}) s"
            );
            let query = sqlx::query_scalar(&sql).bind(event_id);
            let json: String = match since {
                Some(t) => query.bind(t).fetch_one(pool).await?,
                None => query.fetch_one(pool).await?,
            };
            Ok(serde_json::from_str(&json).map_err(anyhow::Error::from)?)
        }
        crate::platform::db::Backend::Postgres(pool) => {
            let fields = columns
                .iter()
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("SELECT {fields} FROM ({inner}) s");
            let query = sqlx::query_as(&sql).bind(event_id);
            Ok(match since {
                Some(t) => query.bind(t).fetch_all(pool).await?,
                None => query.fetch_all(pool).await?,
            })
        }
    }
}

/// The speakers of a published item as a reader gets them: who in the directory
/// a speaker is stays on the server.
fn people_shown(stored: &str) -> Vec<Speaker> {
    serde_json::from_str::<Vec<Speaker>>(stored)
        .unwrap_or_default()
        .into_iter()
        .map(|s| Speaker { person: None, ..s })
        .collect()
}

/// A published item as [`item_rows`] reads it: the fields in the order of
/// [`published`]'s columns (SQLite sends each row as an array).
#[derive(serde::Deserialize, sqlx::FromRow)]
struct ItemRow {
    item_id: i64,
    closed: i32,
    kind: String,
    title: String,
    description_html: String,
    #[serde(with = "chrono::serde::ts_seconds")]
    starts_at: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    ends_at: DateTime<Utc>,
    room_name: String,
    /// The stored JSON text.
    people: String,
    capacity: Option<i64>,
    sequence: i64,
}

/// The published agenda as `reach` may see it, in order of time. The database
/// blanks the closed rows (see [`shown_columns`]); [`item_rows`] reads them.
pub async fn published(
    store: &Store,
    event_id: i64,
    reach: &AgendaReach,
) -> StoreResult<Vec<ShownItem>> {
    let inner = format!(
        "SELECT {} FROM agenda_published p
         WHERE p.event_id = $1 AND p.removed_in IS NULL AND {}",
        shown_columns(reach),
        seen_rows(reach)
    );
    let columns = [NAMED.as_slice(), &SHOWN_REST].concat();
    let mut items: Vec<ItemRow> = item_rows(store, &inner, &columns, event_id, None).await?;
    items.sort_unstable_by_key(|i| (i.starts_at, i.item_id));
    items
        .into_iter()
        .map(|i| {
            Ok(ShownItem {
                id: i.item_id,
                closed: i.closed != 0,
                kind: i.kind,
                title: i.title,
                description_html: i.description_html,
                starts_at: i.starts_at,
                ends_at: i.ends_at,
                room: i.room_name,
                people: people_shown(&i.people),
                capacity: i.capacity,
                sequence: i.sequence,
            })
        })
        .collect()
}

/// An item of the published agenda as the event page's outline names it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    pub id: i64,
    /// Seen only as "Closed session": the title is empty.
    pub closed: bool,
    pub kind: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The fields in the order of [`outline`]'s columns.
#[derive(serde::Deserialize, sqlx::FromRow)]
struct OutlineRow {
    item_id: i64,
    closed: i32,
    kind: String,
    title: String,
    #[serde(with = "chrono::serde::ts_seconds")]
    starts_at: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    ends_at: DateTime<Utc>,
}

/// The outline of an event's published agenda for one reach, as read under one
/// `content_version` (see [`outline`]).
pub struct Outline {
    version: i64,
    pub items: Vec<OutlineItem>,
}

impl Weighed for Outline {
    fn bytes(&self) -> usize {
        self.items
            .iter()
            .map(|i| std::mem::size_of::<OutlineItem>() + i.kind.len() + i.title.len())
            .sum::<usize>()
            + std::mem::size_of::<Self>()
    }
}

/// The outlines read, by event and reach: at most 4 MiB, the oldest going first.
static KEPT_OUTLINES: LazyLock<Mutex<Bounded<Outline>>> =
    LazyLock::new(|| Mutex::new(Bounded::new(4 << 20)));

/// The published agenda as `reach` may see it, in order of time, with only what
/// names each item and when ([`named_columns`]): what the event page outlines,
/// without the descriptions, rooms and speakers [`published`] reads. Every reader
/// of the same reach (the policy's few kinds of reader) gets the same outline, so
/// it is kept in this process while `content_version`, which every write to the
/// published agenda raises, stays the same: a signed-in reader's event page then
/// costs one statement, not two.
pub async fn outline(
    store: &Store,
    event_id: i64,
    reach: &AgendaReach,
) -> StoreResult<std::sync::Arc<Outline>> {
    use crate::platform::versions::{current, Counter};
    let version = current(store, Counter::Content).await?;
    let key = format!(
        "{event_id} {} / {}",
        codes(&reach.full),
        codes(&reach.closed)
    );
    let kept = KEPT_OUTLINES.lock().ok().and_then(|k| k.get(&key));
    if let Some(kept) = kept.filter(|k| k.version == version) {
        return Ok(kept);
    }
    let inner = format!(
        "SELECT {}, p.starts_at, p.ends_at FROM agenda_published p
         WHERE p.event_id = $1 AND p.removed_in IS NULL AND {}",
        named_columns(&codes(&reach.full)),
        seen_rows(reach)
    );
    let columns = [NAMED.as_slice(), &OUTLINE_REST].concat();
    let mut rows: Vec<OutlineRow> = item_rows(store, &inner, &columns, event_id, None).await?;
    rows.sort_unstable_by_key(|i| (i.starts_at, i.item_id));
    let items = rows
        .into_iter()
        .map(|i| OutlineItem {
            id: i.item_id,
            closed: i.closed != 0,
            kind: i.kind,
            title: i.title,
            starts_at: i.starts_at,
            ends_at: i.ends_at,
        })
        .collect();
    let outline = std::sync::Arc::new(Outline { version, items });
    if let Ok(mut k) = KEPT_OUTLINES.lock() {
        k.put(&key, outline.clone());
    }
    Ok(outline)
}

/// A published item as a calendar feed writes it: what [`published`] reads, with
/// the description as its plain text, when it last changed, and whether it was
/// taken off the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    pub id: i64,
    /// A block the reader sees only as "Closed session": title, description,
    /// room and people are empty.
    pub closed: bool,
    pub kind: String,
    pub title: String,
    /// The chair's Markdown, which reads as plain text.
    pub description: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub room: String,
    pub people: Vec<Speaker>,
    pub sequence: i64,
    pub modified_at: DateTime<Utc>,
    pub removed: bool,
}

/// The fields in the order of [`feed_items`]'s columns.
#[derive(serde::Deserialize, sqlx::FromRow)]
struct FeedRow {
    item_id: i64,
    closed: i32,
    kind: String,
    title: String,
    description: String,
    #[serde(with = "chrono::serde::ts_seconds")]
    starts_at: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_seconds")]
    ends_at: DateTime<Utc>,
    room_name: String,
    people: String,
    sequence: i64,
    #[serde(with = "chrono::serde::ts_seconds")]
    modified_at: DateTime<Utc>,
    removed: i32,
}

/// The published items of event `event_id` as `reach` may see them, with those
/// taken off the agenda that would have ended after `since` (calendars that hold
/// them are told they are cancelled), in order of time; `only` that item.
pub async fn feed_items(
    store: &Store,
    event_id: i64,
    reach: &AgendaReach,
    since: DateTime<Utc>,
    only: Option<i64>,
) -> StoreResult<Vec<FeedItem>> {
    let full = codes(&reach.full);
    // An id is a number: written into the statement, it cannot change its sense.
    let one = only
        .map(|id| format!(" AND p.item_id = {id}"))
        .unwrap_or_default();
    let inner = format!(
        "SELECT {},
             CASE WHEN p.visibility IN ({full}) THEN p.description ELSE '' END AS description,
             p.modified_at, CASE WHEN p.removed_in IS NULL THEN 0 ELSE 1 END AS removed
         FROM agenda_published p
         WHERE p.event_id = $1 AND (p.removed_in IS NULL OR p.ends_at > $2) AND {}{one}",
        shown_columns(reach),
        seen_rows(reach)
    );
    let columns = [NAMED.as_slice(), &FEED_REST].concat();
    let mut items: Vec<FeedRow> = item_rows(store, &inner, &columns, event_id, Some(since)).await?;
    items.sort_unstable_by_key(|i| (i.starts_at, i.item_id));
    items
        .into_iter()
        .map(|i| {
            Ok(FeedItem {
                id: i.item_id,
                closed: i.closed != 0,
                kind: i.kind,
                title: i.title,
                description: i.description,
                starts_at: i.starts_at,
                ends_at: i.ends_at,
                room: i.room_name,
                people: people_shown(&i.people),
                sequence: i.sequence,
                modified_at: i.modified_at,
                removed: i.removed != 0,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    change: String,
    #[sqlx(flatten)]
    item: ShownRow,
}

/// What version `number` changed, as `reach` may see it: a change to an item it may
/// not see at all is not there, one to a closed item shows only the closed block.
pub async fn changelog(
    store: &Store,
    event_id: i64,
    number: i64,
    reach: &AgendaReach,
) -> StoreResult<Vec<ShownChange>> {
    let mut tx = store.begin_read().await?;
    changelog_in(&mut tx, event_id, number, reach).await
}

/// [`changelog`] inside `tx` (publishing tells participants what it changed).
pub async fn changelog_in(
    tx: &mut Tx<'_>,
    event_id: i64,
    number: i64,
    reach: &AgendaReach,
) -> StoreResult<Vec<ShownChange>> {
    let sql = format!(
        "SELECT c.change, {} FROM agenda_changes c
         JOIN agenda_published p ON p.item_id = c.item_id
         WHERE c.event_id = $1 AND c.number = $2 AND {}
         ORDER BY p.starts_at, p.item_id",
        shown_columns(reach),
        seen_rows(reach)
    );
    let rows: Vec<ChangeRow> = on_tx!(tx, conn => {
        sqlx::query_as(&sql).bind(event_id).bind(number).fetch_all(conn).await?
    });
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(ShownChange {
                change: Change::parse(&r.change).ok()?,
                item: r.item.shown(),
            })
        })
        .collect())
}

/// A person's roles on agendas (speaker, moderator), for their export.
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    let rows: Vec<(String, String, DateTime<Utc>, String)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title, i.title, i.starts_at,
                    CASE WHEN i.moderator_id = $1 THEN 'moderator' ELSE 'speaker' END
             FROM agenda_items i JOIN events e ON e.id = i.event_id
             WHERE i.moderator_id = $1
                OR EXISTS (SELECT 1 FROM agenda_speakers s WHERE s.item_id = i.id AND s.person_id = $1)
             ORDER BY i.starts_at, i.id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    let chosen: Vec<(String, String, DateTime<Utc>)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title, p.title, p.starts_at
             FROM agenda_signups s JOIN agenda_published p ON p.item_id = s.item_id
             JOIN events e ON e.id = s.event_id
             WHERE s.person_id = $1 ORDER BY p.starts_at, p.item_id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    let chaired: Vec<(String, String)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title, i.title FROM agenda_item_chairs c
             JOIN agenda_items i ON i.id = c.item_id JOIN events e ON e.id = i.event_id
             WHERE c.person_id = $1 ORDER BY i.starts_at, i.id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    Ok(vec![
        (
            "workshops_chaired",
            serde_json::json!(chaired
                .into_iter()
                .map(|(event, item)| serde_json::json!({ "event": event, "workshop": item }))
                .collect::<Vec<_>>()),
        ),
        (
            "agenda_roles",
            serde_json::json!(rows
                .into_iter()
                .map(|(event, item, starts_at, role)| serde_json::json!({
                    "event": event, "item": item, "starts_at": starts_at, "role": role,
                }))
                .collect::<Vec<_>>()),
        ),
        (
            "workshop_choices",
            serde_json::json!(chosen
                .into_iter()
                .map(|(event, item, starts_at)| serde_json::json!({
                    "event": event, "workshop": item, "starts_at": starts_at,
                }))
                .collect::<Vec<_>>()),
        ),
    ])
}

/// Erases a person from agendas: their speaking roles in the draft, their name in
/// the published copies, and who published.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    let id = e.person_id;
    let marked = [
        format!("%\"person\":{id},%"),
        format!("%\"person\":{id}}}%"),
    ];
    let published: Vec<(i64, String)> = on_tx!(tx, conn => {
        for table in ["agenda_speakers", "agenda_signups", "agenda_item_chairs"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE person_id = $1"))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        sqlx::query("UPDATE agenda_items SET moderator_id = NULL WHERE moderator_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE agenda_versions SET published_by = NULL WHERE published_by = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        sqlx::query_as("SELECT item_id, people FROM agenda_published WHERE people LIKE $1 OR people LIKE $2")
            .bind(&marked[0])
            .bind(&marked[1])
            .fetch_all(&mut *conn)
            .await?
    });
    for (item_id, people) in published {
        let kept: Vec<Speaker> = serde_json::from_str::<Vec<Speaker>>(&people)
            .map_err(anyhow::Error::from)?
            .into_iter()
            .filter(|s| s.person != Some(id))
            .collect();
        let people = serde_json::to_string(&kept).map_err(anyhow::Error::from)?;
        // The item and its event count as changed, so calendar feeds (whose
        // ETags follow the event's row) are written afresh without the name.
        on_tx!(tx, conn => {
            sqlx::query(
                "UPDATE agenda_published SET people = $2, modified_at = $3, sequence = sequence + 1
                 WHERE item_id = $1",
            )
            .bind(item_id)
            .bind(&people)
            .bind(e.now)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "UPDATE events SET updated_at = $2
                 WHERE id = (SELECT event_id FROM agenda_published WHERE item_id = $1)",
            )
            .bind(item_id)
            .bind(e.now)
            .execute(&mut *conn)
            .await?;
        });
    }
    Ok(())
}

/// What choosing a workshop did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// The place is the person's; `replaced` earlier choices at the same time were
    /// given up for it.
    Taken { replaced: u64 },
    /// The person had already chosen it.
    Already,
}

#[derive(sqlx::FromRow)]
struct ChoosableRow {
    kind: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: Option<i64>,
}

/// A registered participant chooses a published workshop, under the event's lock:
/// two people taking the last place at once (on one backend or from two
/// processes) leave one of them refused, and a person's choices never overlap (a
/// choice at the same time as an earlier one replaces it). The workshop must be one
/// `reach` sees in full; any other item answers as a missing one does.
pub async fn choose_workshop(
    tx: &mut Tx<'_>,
    event_id: i64,
    item_id: i64,
    person_id: i64,
    reach: &AgendaReach,
    now: DateTime<Utc>,
) -> StoreResult<Chosen> {
    crate::registration::store::lock_event(tx, event_id).await?;
    let sql = format!(
        "SELECT kind, starts_at, ends_at, CAST(capacity AS BIGINT) AS capacity
         FROM agenda_published p
         WHERE p.item_id = $1 AND p.event_id = $2 AND p.removed_in IS NULL
           AND p.visibility IN ({})",
        codes(&reach.full)
    );
    let item: ChoosableRow = on_tx!(tx, conn => {
        sqlx::query_as(&sql).bind(item_id).bind(event_id).fetch_optional(conn).await?
    })
    .ok_or(StoreError::NotFound)?;
    if item.kind != AgendaItemKind::Workshop.as_str() {
        return Err(StoreError::NotFound);
    }
    let (already, taken): (i64, i64) = on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN person_id = $2 THEN 1 ELSE 0 END), 0) AS BIGINT),
                    COUNT(*)
             FROM agenda_signups WHERE item_id = $1",
        )
        .bind(item_id)
        .bind(person_id)
        .fetch_one(conn)
        .await?
    });
    if already > 0 {
        return Ok(Chosen::Already);
    }
    if item.capacity.is_some_and(|c| taken >= c) {
        return Err(StoreError::Conflict(
            "This workshop is full: every place is taken.".into(),
        ));
    }
    let replaced = on_tx!(tx, conn => {
        let replaced = sqlx::query(
            "DELETE FROM agenda_signups WHERE event_id = $1 AND person_id = $2 AND item_id IN (
                 SELECT p.item_id FROM agenda_published p
                 WHERE p.event_id = $1 AND p.removed_in IS NULL
                   AND p.starts_at < $4 AND p.ends_at > $3)",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(item.starts_at)
        .bind(item.ends_at)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        sqlx::query(
            "INSERT INTO agenda_signups (item_id, person_id, event_id, created_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(item_id)
        .bind(person_id)
        .bind(event_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        replaced
    });
    Ok(Chosen::Taken { replaced })
}

/// Gives up a chosen workshop; false when it was not chosen.
pub async fn withdraw_workshop(
    tx: &mut Tx<'_>,
    event_id: i64,
    item_id: i64,
    person_id: i64,
) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "DELETE FROM agenda_signups WHERE item_id = $1 AND event_id = $2 AND person_id = $3",
        )
        .bind(item_id)
        .bind(event_id)
        .bind(person_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(done > 0)
}

/// How many places each workshop of the event has taken: (item id, taken).
pub async fn places_taken(store: &Store, event_id: i64) -> StoreResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT item_id, COUNT(*) FROM agenda_signups WHERE event_id = $1 GROUP BY item_id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows.into_iter().collect())
}

/// The workshops a person chose at the event, as `reach` sees them, in order of
/// time; `true` marks one removed from the agenda since.
pub async fn choices(
    store: &Store,
    event_id: i64,
    person_id: i64,
    reach: &AgendaReach,
) -> StoreResult<Vec<(ShownItem, bool)>> {
    let sql = format!(
        "SELECT {}, CASE WHEN p.removed_in IS NULL THEN 0 ELSE 1 END AS removed
         FROM agenda_signups s JOIN agenda_published p ON p.item_id = s.item_id
         WHERE s.event_id = $1 AND s.person_id = $2 AND {}
         ORDER BY p.starts_at, p.item_id",
        shown_columns(reach),
        seen_rows(reach)
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        item: ShownRow,
        removed: i32,
    }
    let rows: Vec<Row> = on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(event_id).bind(person_id).fetch_all(pool).await?
    });
    Ok(rows
        .into_iter()
        .map(|r| (r.item.shown(), r.removed != 0))
        .collect())
}

/// A published workshop with the people who chose it, for its organisers.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkshopList {
    pub item_id: i64,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i64>,
    pub removed: bool,
    /// (name, organisation) by name.
    pub people: Vec<(String, String)>,
}

/// Every published workshop of the event with who chose it, in order of time.
pub async fn workshop_lists(store: &Store, event_id: i64) -> StoreResult<Vec<WorkshopList>> {
    #[allow(clippy::type_complexity)]
    let (items, people): (
        Vec<(i64, String, DateTime<Utc>, DateTime<Utc>, Option<i64>, i32)>,
        Vec<(i64, String, Option<String>)>,
    ) = on_pool!(store, pool => {
        let items = sqlx::query_as(
            "SELECT item_id, title, starts_at, ends_at, CAST(capacity AS BIGINT),
                    CASE WHEN removed_in IS NULL THEN 0 ELSE 1 END
             FROM agenda_published WHERE event_id = $1 AND kind = 'workshop'
             ORDER BY starts_at, item_id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?;
        let people = sqlx::query_as(
            "SELECT s.item_id, p.full_name, o.name FROM agenda_signups s
             JOIN people p ON p.id = s.person_id
             LEFT JOIN organisations o ON o.id = p.organisation_id
             WHERE s.event_id = $1 ORDER BY p.full_name, p.id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?;
        (items, people)
    });
    let mut by_item: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (item, name, org) in people {
        by_item
            .entry(item)
            .or_default()
            .push((name, org.unwrap_or_default()));
    }
    Ok(items
        .into_iter()
        .map(
            |(item_id, title, starts_at, ends_at, capacity, removed)| WorkshopList {
                item_id,
                title,
                starts_at,
                ends_at,
                capacity,
                removed: removed != 0,
                people: by_item.remove(&item_id).unwrap_or_default(),
            },
        )
        .collect())
}

/// Makes a person chair of one of the event's items (a workshop); false when they
/// already were. Not found when the event has no such item.
pub async fn add_item_chair(
    tx: &mut Tx<'_>,
    event_id: i64,
    item_id: i64,
    person_id: i64,
) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO agenda_item_chairs (item_id, person_id)
             SELECT id, $3 FROM agenda_items WHERE id = $1 AND event_id = $2
             ON CONFLICT DO NOTHING",
        )
        .bind(item_id)
        .bind(event_id)
        .bind(person_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(done > 0)
}

/// Ends a person's chair of an item; false when they were not its chair.
pub async fn remove_item_chair(
    tx: &mut Tx<'_>,
    event_id: i64,
    item_id: i64,
    person_id: i64,
) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "DELETE FROM agenda_item_chairs WHERE item_id = $1 AND person_id = $3
               AND item_id IN (SELECT id FROM agenda_items WHERE event_id = $2)",
        )
        .bind(item_id)
        .bind(event_id)
        .bind(person_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(done > 0)
}

/// The chairs of an item, by name: (person id, name).
pub async fn item_chairs(store: &Store, item_id: i64) -> StoreResult<Vec<(i64, String)>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.id, p.full_name FROM agenda_item_chairs c JOIN people p ON p.id = c.person_id
             WHERE c.item_id = $1 ORDER BY p.full_name, p.id",
        )
        .bind(item_id)
        .fetch_all(pool)
        .await?
    }))
}

/// A confirmed participant to tell of a new version, with what decides how much
/// of the agenda they see.
#[derive(Debug, Clone)]
pub struct Participant {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    /// They manage the event (its chair or organiser, or the secretariat).
    pub manages: bool,
    /// Their active memberships' categories in the event's network.
    pub categories: Vec<crate::domain::MembershipCategory>,
}

/// The event's confirmed participants (erased people left out), inside `tx`.
pub async fn participants_in(
    tx: &mut Tx<'_>,
    event_id: i64,
    today: chrono::NaiveDate,
) -> StoreResult<Vec<Participant>> {
    let grants_sql = format!(
        "SELECT m.person_id, m.category FROM memberships m
         JOIN events e ON e.network_id = m.network_id
         JOIN registrations r ON r.person_id = m.person_id AND r.event_id = e.id
         WHERE e.id = $1 AND r.status = 'confirmed' AND {}",
        crate::domain::active_membership_sql(2)
    );
    #[allow(clippy::type_complexity)]
    let (people, grants): (
        Vec<(i64, String, String, bool)>,
        Vec<(i64, crate::domain::MembershipCategory)>,
    ) = on_tx!(tx, conn => {
        let people = sqlx::query_as(
            "SELECT p.id, p.full_name, p.email,
                    COALESCE(a.secretariat, FALSE)
                    OR EXISTS (SELECT 1 FROM event_roles er WHERE er.event_id = r.event_id
                               AND er.person_id = p.id)
             FROM registrations r JOIN people p ON p.id = r.person_id
             LEFT JOIN accounts a ON a.person_id = p.id
             WHERE r.event_id = $1 AND r.status = 'confirmed' AND p.erased_at IS NULL
             ORDER BY p.id",
        )
        .bind(event_id)
        .fetch_all(&mut *conn)
        .await?;
        let grants = sqlx::query_as(&grants_sql)
            .bind(event_id)
            .bind(today)
            .fetch_all(&mut *conn)
            .await?;
        (people, grants)
    });
    let mut by_person: HashMap<i64, Vec<crate::domain::MembershipCategory>> = HashMap::new();
    for (person, category) in grants {
        by_person.entry(person).or_default().push(category);
    }
    Ok(people
        .into_iter()
        .map(|(person_id, name, email, manages)| Participant {
            categories: by_person.remove(&person_id).unwrap_or_default(),
            person_id,
            name,
            email,
            manages,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads nothing: records the field names a struct's `Deserialize` asks for.
    struct FieldNames<'a>(&'a mut Vec<&'static str>);

    impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
        type Error = serde::de::value::Error;

        fn deserialize_any<V: serde::de::Visitor<'de>>(
            self,
            _: V,
        ) -> Result<V::Value, Self::Error> {
            Err(serde::de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: serde::de::Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.extend_from_slice(fields);
            Err(serde::de::Error::custom("names recorded"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    fn fields<T: serde::de::DeserializeOwned>() -> Vec<&'static str> {
        let mut names = Vec::new();
        let _ = T::deserialize(FieldNames(&mut names));
        names
    }

    fn names(rest: &[(&'static str, Col)]) -> Vec<&'static str> {
        NAMED.iter().chain(rest).map(|(name, _)| *name).collect()
    }

    /// SQLite sends each row as a JSON array, read by position: a struct whose
    /// fields were not in its columns' order would read one column as another
    /// (a room as a title, both text) without any error.
    #[test]
    fn each_row_reads_its_columns_in_their_order() {
        assert_eq!(fields::<ItemRow>(), names(&SHOWN_REST));
        assert_eq!(fields::<OutlineRow>(), names(&OUTLINE_REST));
        assert_eq!(fields::<FeedRow>(), names(&FEED_REST));
    }
}
