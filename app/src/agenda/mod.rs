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

/// What changed of an item in a published version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    /// Its time or room.
    Moved,
    /// Anything else: title, description, speakers, kind, visibility, capacity.
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Moved => "moved",
            Change::Changed => "changed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "added" => Change::Added,
            "removed" => Change::Removed,
            "moved" => Change::Moved,
            "changed" => Change::Changed,
            _ => return None,
        })
    }
}

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
