//! The guest's side of a personal link: opening it (a plain route in `server`
//! keeps the token in a cookie and sends the browser here), seeing what it is
//! for, and forgetting it on this device. Invitations and reports build their
//! guest pages on this.
pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

/// What a guest sees on their link's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuestEventData {
    pub event_id: i64,
    /// Whether the viewer is signed in (an invitee with an account) rather than a
    /// guest of a link.
    pub signed_in: bool,
    pub name: String,
    pub event_title: String,
    pub event_href: Option<String>,
    /// What the link allows, in words.
    pub may: Vec<String>,
    /// Their invitation to this event, when the link came with one.
    pub invitation: Option<crate::invitations::InvitationView>,
}
