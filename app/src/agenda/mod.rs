//! The agenda of a meeting: rooms, the chairs' draft of plenaries, workshops and
//! closed sessions, and the numbered versions readers see with what each changed.
//!
//! What a reader sees of an item is decided once, by
//! [`crate::platform::policy::agenda_sight`]; the store's reads take the reader's
//! [`crate::platform::policy::AgendaReach`] and never fetch what it excludes.
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// A speaker or the moderator of an item, as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// The directory's person, when it is one: kept in the published copy so that
    /// erasing the person can remove them from it; never given to readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<i64>,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organisation: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub moderator: bool,
}

/// What changed of an item in a published version (stored as its word).
pub use crate::domain::AgendaChange as Change;

/// A published item as one reader may see it. For a closed block (`closed`), the
/// title, description, room and people are empty: they were never read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownItem {
    pub id: i64,
    pub closed: bool,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub ends_at: chrono::DateTime<chrono::Utc>,
    pub room: String,
    pub people: Vec<Speaker>,
    pub capacity: Option<i64>,
    pub sequence: i64,
}

/// One line of a version's changelog as one reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShownChange {
    pub change: Change,
    pub item: ShownItem,
}

pub mod api;
pub mod pages;

/// One item on the agenda page, written for the reader (times in the event's zone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaEntry {
    /// The item's anchor on the page: `item-12`.
    pub anchor: String,
    pub closed: bool,
    pub kind: String,
    pub title: String,
    pub description: String,
    /// "09:30–10:15"
    pub time: String,
    pub starts_iso: String,
    pub ends_iso: String,
    pub room: String,
    /// "Marta Kowalska (Prokuratura Krajowa)", the moderator marked.
    pub people: Vec<String>,
}

/// One day of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaDay {
    /// "Thursday 18 March 2027"
    pub label: String,
    /// `day-2027-03-18`
    pub anchor: String,
    pub items: Vec<AgendaEntry>,
}

/// A line of "Changes in version N".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeLine {
    pub change: Change,
    pub entry: AgendaEntry,
    pub day: String,
}

/// `/networks/:network/events/:event/agenda`, as one reader may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaData {
    pub network_slug: String,
    pub network_name: String,
    pub event_slug: String,
    pub event_title: String,
    pub time_zone: String,
    pub version: Option<i64>,
    pub days: Vec<AgendaDay>,
    pub changes: Vec<ChangeLine>,
}

pub mod builder;

crate::ui::form_fields!(
    /// An agenda item as the chair enters it: the day and local times in the
    /// event's zone; speakers one per line, "Name, Organisation".
    ItemForm, "item", secret [] { kind, title, description, day, starts, ends, room_id, visibility, capacity, speakers }
);
crate::ui::form_fields!(
    /// A room of the event.
    RoomForm, "room", secret [] { name, capacity, note }
);
crate::ui::form_fields!(
    /// Removing an item from the draft.
    ItemActionForm, "item-action", secret [] { item_id }
);
crate::ui::form_fields!(
    /// Publishing the draft as the next version.
    PublishForm, "publish", secret [] { confirm }
);
