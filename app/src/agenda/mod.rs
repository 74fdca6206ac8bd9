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
    /// The description as clean HTML (rendered from the chair's Markdown and
    /// cleaned when published; the Markdown itself is never read for readers).
    pub description_html: String,
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
mod html;
pub mod pages;

/// One item on the agenda page, written for the reader (times in the event's zone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaEntry {
    pub item_id: i64,
    /// The item's anchor on the page: `item-12`.
    pub anchor: String,
    pub closed: bool,
    pub kind: String,
    pub title: String,
    /// Clean HTML, rendered from the chair's Markdown when published.
    pub description_html: String,
    /// "09:30–10:15"
    pub time: String,
    pub starts_iso: String,
    pub room: String,
    /// "Marta Kowalska (Prokuratura Krajowa)", the moderator marked.
    pub people: Vec<String>,
    /// For a workshop the reader may choose: whether they have, and the places.
    #[serde(default)]
    pub choice: Option<WorkshopChoice>,
    /// The item's page, for the workshop's own chairs.
    #[serde(default)]
    pub edit_href: Option<String>,
}

/// A workshop as a registered participant may choose it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopChoice {
    pub item_id: i64,
    pub chosen: bool,
    /// Places left, when the workshop has a limit.
    pub places_left: Option<i64>,
}

/// One cell of a day's grid: an item (an index into the day's items) spanning
/// `rows` time rows and `cols` rooms, or an empty slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridCell {
    pub item: Option<usize>,
    pub rows: usize,
    pub cols: usize,
}

/// A row of the grid: the time it starts and its cells, room by room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRow {
    /// "09:00"
    pub time: String,
    pub cells: Vec<GridCell>,
}

/// A day as time by room, for days with items in parallel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayGrid {
    /// The columns' names ("Other" for items in parallel without a room).
    pub rooms: Vec<String>,
    pub rows: Vec<GridRow>,
}

/// One day of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaDay {
    /// "Thursday 18 March 2027"
    pub label: String,
    /// `day-2027-03-18`
    pub anchor: String,
    pub items: Vec<AgendaEntry>,
    /// The day as time by room, where items run in parallel (wide screens).
    #[serde(default)]
    pub grid: Option<DayGrid>,
}

/// A workshop the reader chose, for "My agenda".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyChoice {
    pub entry: AgendaEntry,
    pub day: String,
    /// Removed from the agenda since it was chosen.
    pub cancelled: bool,
}

/// An item in the event page's outline of its agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutlineLine {
    pub time: String,
    pub title: String,
    /// `item-12`, on the agenda page.
    pub anchor: String,
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
    /// The reader holds a confirmed registration: they choose workshops.
    #[serde(default)]
    pub registered: bool,
    /// The workshops the reader chose.
    #[serde(default)]
    pub mine: Vec<MyChoice>,
    /// The notice of the last choice made (or refused).
    #[serde(default)]
    pub choice_form: crate::ui::FormState,
    /// Subscribe to the event and its agenda, or download it.
    #[serde(default)]
    pub calendar: crate::calendar::CalendarLinks,
}

pub mod builder;
pub mod item;

crate::ui::form_fields!(
    /// An agenda item as the chair enters it: the day and local times in the
    /// event's zone; speakers one per line, "Name, Organisation".
    ItemForm, "item", secret [] { kind, title, description, day, starts, ends, room_id, visibility, capacity, moderator_id, speakers }
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
    /// Publishing the draft as the next version, and whether to tell the registered
    /// participants what changed.
    PublishForm, "publish", secret [] { confirm, notify }
);
crate::ui::form_fields!(
    /// A person of the directory as one of an item's speakers.
    PersonForm, "person", secret [] { person_id }
);
crate::ui::form_fields!(
    /// A person of the directory as a workshop's own chair.
    ChairForm, "chair", secret [] { person_id }
);
crate::ui::form_fields!(
    /// Choosing a workshop, or giving it up.
    ChoiceForm, "choice", secret [] { item_id }
);
