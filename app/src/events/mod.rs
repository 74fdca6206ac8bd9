//! Events: launch events, plenaries, focus-group meetings; their public page.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::domain::{EventKind, EventStatus};
use serde::{Deserialize, Serialize};

/// An event in a list, with its dates already written in the event's own zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSummary {
    pub network_slug: String,
    pub network_short_name: String,
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub status: EventStatus,
    /// "25–26 September 2024"
    pub dates: String,
    /// RFC 3339 start, for `<time datetime>`.
    pub starts_iso: String,
    pub venue: String,
}

impl EventSummary {
    pub fn href(&self) -> String {
        event_href(&self.network_slug, &self.slug)
    }
}

pub fn event_href(network: &str, event: &str) -> String {
    format!("/networks/{network}/events/{event}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetails {
    pub network_slug: String,
    pub network_name: String,
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub status: EventStatus,
    pub summary: String,
    pub dates: String,
    /// "Wednesday 25 September 2024, 09:30 CEST"
    pub starts: String,
    pub ends: String,
    pub starts_iso: String,
    pub ends_iso: String,
    /// IANA name, e.g. `Europe/Amsterdam`.
    pub time_zone: String,
    pub venue: String,
    /// Whether people can take part online; the link itself goes to participants only.
    pub online: bool,
    pub chair: Option<String>,
    pub hosts: Vec<String>,
    pub co_organisers: Vec<String>,
    pub capacity: Option<i32>,
}
