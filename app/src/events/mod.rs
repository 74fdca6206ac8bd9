//! Events: launch events, plenaries, focus-group meetings; their public page, and
//! the secretariat's pages that create and manage them (`manage`).
pub mod api;
pub mod manage;
pub mod organise;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::domain::{EventKind, EventStatus};
use crate::ui::FormState;
use serde::{Deserialize, Serialize};

/// The first line of an event manager's page: the request's state, the viewer and
/// the event, when the viewer manages it (its chairs and organisers, the
/// secretariat).
#[cfg(feature = "ssr")]
pub async fn managed(
    event_id: i64,
) -> Result<
    (
        crate::platform::AppState,
        crate::platform::auth::Viewer,
        store::EventRecord,
    ),
    crate::AppError,
> {
    use crate::platform::policy::{check, Action};
    let (state, viewer) = check(Action::ManageEvent {
        event_id: crate::ids::EventId(event_id),
    })
    .await?;
    let e = store::event_record(&state.store, event_id).await?;
    Ok((state, viewer, e))
}

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
    /// Its agenda has been published.
    #[serde(default)]
    pub has_agenda: bool,
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
    /// "Opens … and closes …", "Open now, until …", in the event's zone; `None`
    /// when no registration date is set.
    pub registration: Option<String>,
    pub id: i64,
    pub network_id: i64,
    /// "National Contact Points and Observers": the members who may register
    /// without an invitation.
    pub open_to_members: Option<String>,
    /// Where the viewer registers, when they may (an invitee, or a member of a
    /// category the event is open to).
    pub register_href: Option<String>,
    /// The published agenda's outline as the viewer may see it: per day, each
    /// item's time and title ("Closed session" for a block they may not open).
    #[serde(default)]
    pub agenda_outline: Vec<(String, Vec<crate::agenda::OutlineLine>)>,
    /// Subscribe, download, add to Google Calendar or Outlook on the web.
    #[serde(default)]
    pub calendar: crate::calendar::CalendarLinks,
    /// The outcome report's address and its summary (clean HTML), when the viewer
    /// has one to read.
    #[serde(default)]
    pub report: Option<(String, String)>,
    /// The stored rules that decide `register_href`, read with the event's row;
    /// the server's only (never sent to the browser).
    #[serde(skip)]
    pub open_to: String,
    #[serde(skip)]
    pub delegation_quota: Option<i32>,
    /// The agenda's last published version, read with the event's row (the
    /// server's only).
    #[serde(skip)]
    pub agenda_version: Option<i64>,
    /// When it starts and ends, for calendar links (the server's only; pages
    /// show the written times above).
    #[serde(skip)]
    pub starts_at: chrono::DateTime<chrono::Utc>,
    #[serde(skip)]
    pub ends_at: chrono::DateTime<chrono::Utc>,
}

/// The status changes the secretariat may make from `from`: draft → published,
/// published → cancelled or closed, cancelled → draft. Nothing else.
pub fn status_changes(from: EventStatus) -> &'static [EventStatus] {
    match from {
        EventStatus::Draft => &[EventStatus::Published],
        EventStatus::Published => &[EventStatus::Cancelled, EventStatus::Closed],
        EventStatus::Cancelled => &[EventStatus::Draft],
        EventStatus::Closed => &[],
    }
}

/// Whether moving an event to `to` asks for confirmation first (it cannot simply
/// be taken back, and people outside see it).
pub fn status_change_needs_confirmation(to: EventStatus) -> bool {
    matches!(to, EventStatus::Cancelled | EventStatus::Closed)
}

/// What the confirmation of a status change says will happen.
pub fn status_change_consequence(to: EventStatus) -> &'static str {
    match to {
        EventStatus::Cancelled => "Its public page will say that it is cancelled, and it leaves the lists of upcoming events. Convene mails nobody about it: tell the participants yourself. A cancelled event can later return to draft.",
        EventStatus::Closed => "A closed event is over: its status cannot change again.",
        EventStatus::Published => "Anyone can then see its public page.",
        EventStatus::Draft => "Only the secretariat and its chairs and organisers see it again.",
    }
}

/// What the button that moves an event to `to` says.
pub fn status_change_label(to: EventStatus) -> &'static str {
    match to {
        EventStatus::Draft => "Return to draft",
        EventStatus::Published => "Publish the event",
        EventStatus::Cancelled => "Cancel the event",
        EventStatus::Closed => "Close the event",
    }
}

/// What an event's status means, as its admin page says it.
pub fn status_sentence(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Draft => {
            "This event is a draft: only the secretariat and its chairs and organisers see it."
        }
        EventStatus::Published => "This event is published: anyone can see its public page.",
        EventStatus::Cancelled => {
            "This event is cancelled: its public page says so, and it can return to draft."
        }
        EventStatus::Closed => "This event is closed: it is over and stays as it is.",
    }
}

/// The label of a stored event role.
pub fn event_role_label(role: &str) -> String {
    crate::domain::EventRole::parse(role)
        .map(|r| r.label().to_owned())
        .unwrap_or_else(|_| role.to_owned())
}

/// One line of the secretariat's event list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventAdminRow {
    pub id: i64,
    pub title: String,
    pub slug: String,
    pub network_short_name: String,
    pub status: EventStatus,
    /// "25–26 September 2024", in the event's zone.
    pub dates: String,
    pub starts_iso: String,
    pub public_href: String,
}

/// `/admin/events`: every event, drafts included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventsAdminData {
    pub rows: Vec<EventAdminRow>,
    /// The notice after deleting a draft, which lands here.
    pub notice: FormState,
    /// (slug, name) of every network, to filter by.
    pub networks: Vec<(String, String)>,
    /// (value, label) of every status, to filter by.
    pub statuses: Vec<(String, String)>,
}

/// The edit form's values as typed: times as `YYYY-MM-DDTHH:MM` in the event's zone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventFormValues {
    pub network_id: String,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub summary: String,
    pub starts: String,
    pub ends: String,
    pub time_zone: String,
    pub venue: String,
    pub online_link: String,
    pub chair_label: String,
    pub capacity: String,
    pub delegation_quota: String,
    pub registration_opens: String,
    pub registration_closes: String,
    /// When the time zone of a saved event changes: `instant` (the typed times are
    /// read in the old zone, so the meeting keeps its moment) or `clock` (they are
    /// read in the new zone, so it keeps its clock times and moves).
    pub zone_change: String,
}

impl crate::ui::FormFields for EventFormValues {
    const ID: &'static str = "event";
}

crate::ui::form_fields!(
    /// Moving an event to another status.
    EventStatusForm, "event-status", secret [] { status, confirmed }
);
crate::ui::form_fields!(
    /// Deleting a draft event (`confirmed` = `yes`, from the confirmation).
    EventDeleteForm, "event-delete", secret [] { confirmed }
);
crate::ui::form_fields!(
    /// Giving a person (by address) a role in an event.
    EventPersonForm, "event-people", secret [] { email, role }
);
crate::ui::form_fields!(
    /// Taking a role in an event away from a person.
    EventPersonRemoveForm, "event-people", secret [] { role }
);

/// A chair or organiser of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPerson {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    /// `chair` or `organiser`.
    pub role: String,
    pub role_label: String,
}

/// The two meanings of a time-zone change, with the times each gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneChoice {
    pub from: String,
    pub to: String,
    /// "Starts Wednesday 17 March 2027, 08:30 GMT and ends …, as now".
    pub instant: String,
    /// "Starts Wednesday 17 March 2027, 09:30 GMT … (10:30 CET in Europe/Amsterdam)".
    pub clock: String,
}

/// `/admin/events/:id` (`new`: id 0): the edit form, status changes and people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventAdminData {
    /// 0 for a new event.
    pub id: i64,
    pub status: EventStatus,
    /// The saved title (empty for a new event), for the heading.
    pub title: String,
    /// The public page, once the event is no longer a draft.
    pub public_href: Option<String>,
    pub values: EventFormValues,
    /// (id, name) of every network.
    pub networks: Vec<(String, String)>,
    /// (value, label) of every kind of event.
    pub kinds: Vec<(String, String)>,
    /// IANA names to choose from.
    pub time_zones: Vec<String>,
    /// (status, button label) of the changes allowed from the current status.
    pub status_changes: Vec<(String, String)>,
    pub people: Vec<EventPerson>,
    /// After a time-zone change was sent without saying what it means: both
    /// readings of the typed times, to choose from.
    pub zone_choice: Option<ZoneChoice>,
    pub event_form: FormState,
    pub status_form: FormState,
    pub delete_form: FormState,
    pub people_form: FormState,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_four_status_changes_are_allowed() {
        use EventStatus::*;
        let mut allowed = Vec::new();
        for from in EventStatus::ALL {
            for to in status_changes(*from) {
                allowed.push((*from, *to));
            }
        }
        assert_eq!(
            allowed,
            [
                (Draft, Published),
                (Published, Cancelled),
                (Published, Closed),
                (Cancelled, Draft)
            ]
        );
    }
}
