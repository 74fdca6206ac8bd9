//! The agenda's SQL. The draft (`agenda_items`, `agenda_speakers`) is what chairs
//! edit; `publish` copies it into `agenda_published` as the next numbered version
//! and records what changed (`agenda_changes`). Readers only ever read the
//! published copy, through a reach from the policy that decides, in the query,
//! which rows are fetched in full, which as closed blocks, and which not at all.
use super::{Change, ShownChange, ShownItem, Speaker};
use crate::domain::{AgendaItemKind, AgendaVisibility};
use crate::platform::db::{Store, StoreError, StoreResult, Tx};
use crate::platform::policy::AgendaReach;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

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
    let (rows, speakers): (Vec<DraftRow>, Vec<SpeakerRow>) = on_tx!(tx, conn => {
        let rows = sqlx::query_as(
            "SELECT i.id, i.kind, i.title, i.description, i.starts_at, i.ends_at, i.room_id,
                    r.name AS room_name, i.visibility, CAST(i.capacity AS BIGINT) AS capacity,
                    i.moderator_id, m.full_name AS moderator_name, o.name AS moderator_organisation
             FROM agenda_items i
             LEFT JOIN agenda_rooms r ON r.id = i.room_id
             LEFT JOIN people m ON m.id = i.moderator_id
             LEFT JOIN organisations o ON o.id = m.organisation_id
             WHERE i.event_id = $1
             ORDER BY i.starts_at, r.name, i.id",
        )
        .bind(event_id)
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
             WHERE i.event_id = $1
             ORDER BY s.item_id, s.position",
        )
        .bind(event_id)
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
                     added_in, changed_in, removed_in, modified_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, NULL, $14)
                 ON CONFLICT (item_id) DO UPDATE SET
                     kind = excluded.kind, title = excluded.title,
                     description = excluded.description, starts_at = excluded.starts_at,
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
        "p.item_id, CASE WHEN p.visibility IN ({full}) THEN 0 ELSE 1 END AS closed,
         CASE WHEN p.visibility IN ({full}) THEN p.kind ELSE 'closed_session' END AS kind,
         CASE WHEN p.visibility IN ({full}) THEN p.title ELSE '' END AS title,
         CASE WHEN p.visibility IN ({full}) THEN p.description ELSE '' END AS description,
         p.starts_at, p.ends_at,
         CASE WHEN p.visibility IN ({full}) THEN p.room_name ELSE '' END AS room_name,
         CASE WHEN p.visibility IN ({full}) THEN p.people ELSE '[]' END AS people,
         CASE WHEN p.visibility IN ({full}) THEN CAST(p.capacity AS BIGINT) END AS capacity,
         CAST(p.sequence AS BIGINT) AS sequence"
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
    description: String,
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
            description: self.description,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            room: self.room_name,
            // Who in the directory a speaker is stays on the server.
            people: serde_json::from_str::<Vec<Speaker>>(&self.people)
                .unwrap_or_default()
                .into_iter()
                .map(|s| Speaker { person: None, ..s })
                .collect(),
            capacity: self.capacity,
            sequence: self.sequence,
        }
    }
}

/// The published agenda as `reach` may see it, in order of time.
pub async fn published(
    store: &Store,
    event_id: i64,
    reach: &AgendaReach,
) -> StoreResult<Vec<ShownItem>> {
    let sql = format!(
        "SELECT {} FROM agenda_published p
         WHERE p.event_id = $1 AND p.removed_in IS NULL AND {}
         ORDER BY p.starts_at, p.item_id",
        shown_columns(reach),
        seen_rows(reach)
    );
    let rows: Vec<ShownRow> = on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(event_id).fetch_all(pool).await?
    });
    Ok(rows.into_iter().map(ShownRow::shown).collect())
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
    let sql = format!(
        "SELECT c.change, {} FROM agenda_changes c
         JOIN agenda_published p ON p.item_id = c.item_id
         WHERE c.event_id = $1 AND c.number = $2 AND {}
         ORDER BY p.starts_at, p.item_id",
        shown_columns(reach),
        seen_rows(reach)
    );
    let rows: Vec<ChangeRow> = on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(event_id).bind(number).fetch_all(pool).await?
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
    Ok(vec![(
        "agenda_roles",
        serde_json::json!(rows
            .into_iter()
            .map(|(event, item, starts_at, role)| serde_json::json!({
                "event": event, "item": item, "starts_at": starts_at, "role": role,
            }))
            .collect::<Vec<_>>()),
    )])
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
        sqlx::query("DELETE FROM agenda_speakers WHERE person_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
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
        on_tx!(tx, conn => {
            sqlx::query("UPDATE agenda_published SET people = $2 WHERE item_id = $1")
                .bind(item_id)
                .bind(&people)
                .execute(conn)
                .await?;
        });
    }
    Ok(())
}
