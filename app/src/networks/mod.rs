//! Networks: their public page (mandate, priorities, membership by category and
//! Member State, events) and the home page that lists them.
pub mod api;
mod components;
pub mod manage;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::domain::MembershipCategory;
use crate::events::EventSummary;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkSummary {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub summary: String,
}

/// One line of the public membership overview: who takes part, never the names of
/// the people (those are members-only personal data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipLine {
    pub category: MembershipCategory,
    /// The Member State for National Contact Points, the organisation otherwise.
    pub label: String,
    /// Member State code (`PL`) for contact points, to sort and to filter by.
    pub member_state: Option<String>,
    /// How many people hold this membership.
    pub people: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkDetails {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub established: String,
    pub summary: String,
    pub mandate: String,
    pub priorities: Vec<String>,
    pub host: Option<String>,
    pub membership: Vec<MembershipLine>,
    pub upcoming: Vec<EventSummary>,
    pub past: Vec<EventSummary>,
    /// Published outcome reports, newest meeting first: (address, meeting,
    /// "Published 3 March 2027").
    #[serde(default)]
    pub reports: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomeOverview {
    pub networks: Vec<NetworkSummary>,
    pub upcoming: Vec<EventSummary>,
}
