//! The feeds, as iCalendar text for one reader: what the policy lets that reader
//! see, written by [`super::ics`]. Every function here is given its reader's
//! reach; none reads the clock except to know which cancelled entries are old
//! enough to leave out.
use super::ics::{self, Entry, Header, Method, Status};
use super::store::{FeedEvent, Taking};
use crate::agenda::store::FeedItem;
use crate::domain::{AgendaItemKind, EventStatus};
use crate::platform::db::StoreResult;
use crate::platform::policy::AgendaReach;
use crate::platform::AppState;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::fmt::Write as _;

/// Cancelled events and removed items stay in feeds this long after they would
/// have ended, so that every subscribed calendar hears of it.
pub const KEEP_CANCELLED: Duration = Duration::days(30);

/// How often calendar programs are asked to fetch a feed again.
pub const REFRESH: Duration = Duration::hours(1);

/// How an event's UID starts: `event-`, its id, `@` and the mail domain.
const EVENT_UID: &str = "event-";

/// The stable UID of an event: the same in feeds and in the invitation mails.
pub fn event_uid(state: &AppState, event_id: i64) -> String {
    Links::numbered(&[EVENT_UID], event_id, &uid_suffix(state))
}

/// `@` and the mail domain: what ends every UID.
fn uid_suffix(state: &AppState) -> String {
    format!("@{}", state.mailer.settings().message_id_domain())
}

/// What every entry of one event shares, made once for a feed rather than once
/// per item (formatting the site's origin, the mail domain and the event's
/// address again for each of 600 items was a fifth of writing such a feed).
struct Links {
    /// `@` and the mail domain: what ends every UID.
    uid_suffix: String,
    /// The event's page.
    event: String,
}

impl Links {
    fn of(state: &AppState, e: &FeedEvent) -> Self {
        Links {
            uid_suffix: uid_suffix(state),
            event: state
                .security
                .link(&crate::events::event_href(&e.network_slug, &e.slug)),
        }
    }

    /// The parts of `prefix`, the number `id` and `suffix`, in one allocation.
    fn numbered(prefix: &[&str], id: i64, suffix: &str) -> String {
        let length: usize = prefix.iter().map(|p| p.len()).sum();
        let mut s = String::with_capacity(length + 20 + suffix.len());
        prefix.iter().for_each(|p| s.push_str(p));
        let _ = write!(s, "{id}");
        s.push_str(suffix);
        s
    }

    fn event_uid(&self, event_id: i64) -> String {
        Self::numbered(&[EVENT_UID], event_id, &self.uid_suffix)
    }

    /// The stable UID of an agenda item.
    fn item_uid(&self, item_id: i64) -> String {
        Self::numbered(&["agenda-item-"], item_id, &self.uid_suffix)
    }

    /// The item's place on the agenda page: `…/agenda#item-` and its number.
    fn item_url(&self, item_id: i64) -> String {
        Self::numbered(&[&self.event, "/agenda#item-"], item_id, "")
    }
}

/// Who organises every meeting, in feeds and in mails: the name and address
/// mail comes from.
pub fn organizer(state: &AppState) -> (String, String) {
    let from = &state.mailer.settings().from;
    (
        from.name.clone().unwrap_or_else(|| "Convene".into()),
        from.email.to_string(),
    )
}

pub fn zone_of(e: &FeedEvent) -> Tz {
    crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(Tz::UTC)
}

fn event_status(e: &FeedEvent) -> Status {
    match EventStatus::parse(&e.status) {
        Ok(EventStatus::Cancelled) => Status::Cancelled,
        _ => Status::Confirmed,
    }
}

/// The event itself, as `status` says (its own unless the reader's
/// registration says otherwise).
fn event_entry(links: &Links, e: &FeedEvent, status: Status) -> Entry {
    let url = links.event.clone();
    Entry {
        uid: links.event_uid(e.id),
        sequence: e.calendar_sequence,
        stamp: e.updated_at,
        modified: Some(e.updated_at),
        starts: e.starts_at,
        ends: e.ends_at,
        zone: Some(zone_of(e)),
        summary: e.title.clone(),
        location: e.venue.clone(),
        description: if e.summary.is_empty() {
            url.clone()
        } else {
            format!("{}\n\n{url}", e.summary)
        },
        url: Some(url),
        attendee: None,
        status,
        category: None,
    }
}

/// One agenda item of `e`: cancelled when removed or when the event is. A
/// closed block is its time, the neutral words and the event's page: nothing of
/// a closed session reaches a reader not entitled to it.
fn item_entry(links: &Links, e: &FeedEvent, zone: Tz, item: &FeedItem, event: Status) -> Entry {
    let url = links.item_url(item.id);
    let (summary, location, description, category) = if item.closed {
        let mut description = String::with_capacity(e.title.len() + 2 + url.len());
        description.push_str(&e.title);
        description.push_str("\n\n");
        description.push_str(&url);
        (
            crate::agenda::api::server::CLOSED_SESSION.to_owned(),
            String::new(),
            description,
            None,
        )
    } else {
        let mut description = String::with_capacity(
            item.description.len() + item.people.len() * 80 + e.title.len() + url.len() + 24,
        );
        if !item.description.is_empty() {
            description.push_str(&item.description);
            description.push_str("\n\n");
        }
        if !item.people.is_empty() {
            description.push_str("Speakers: ");
            for (n, p) in item.people.iter().enumerate() {
                if n > 0 {
                    description.push_str("; ");
                }
                crate::agenda::api::server::push_speaker(&mut description, p);
            }
            description.push_str("\n\n");
        }
        description.push_str(&e.title);
        description.push('\n');
        description.push_str(&url);
        let mut location = String::with_capacity(item.room.len() + 2 + e.venue.len());
        for part in [item.room.as_str(), e.venue.as_str()] {
            if !part.is_empty() {
                if !location.is_empty() {
                    location.push_str(", ");
                }
                location.push_str(part);
            }
        }
        let category = AgendaItemKind::parse(&item.kind).ok().map(|k| k.label());
        (item.title.clone(), location, description, category)
    };
    let modified = item.modified_at.max(e.updated_at);
    Entry {
        uid: links.item_uid(item.id),
        // Both only ever rise: the event's changes (a cancellation above all)
        // reach the items too.
        sequence: item.sequence + e.calendar_sequence,
        stamp: modified,
        modified: Some(modified),
        starts: item.starts_at,
        ends: item.ends_at,
        zone: Some(zone),
        summary,
        location,
        description,
        url: Some(url),
        attendee: None,
        status: if item.removed || event == Status::Cancelled {
            Status::Cancelled
        } else {
            Status::Confirmed
        },
        category,
    }
}

/// A feed of `entries` named `name` (or a file without one), organised by the
/// site's sender.
fn write(state: &AppState, name: Option<&str>, zone: Option<Tz>, entries: &[Entry]) -> String {
    let (organizer, address) = organizer(state);
    ics::calendar(
        Method::Publish,
        &Header {
            name,
            refresh: name.map(|_| REFRESH),
            zone,
            organizer: Some((&organizer, &address)),
        },
        entries,
    )
}

/// The event feed: the event and its published agenda as `reach` sees it, with
/// items removed that would have ended after `since` cancelled.
pub async fn event_feed(
    state: &AppState,
    e: &FeedEvent,
    reach: &AgendaReach,
    since: DateTime<Utc>,
) -> StoreResult<String> {
    let items = crate::agenda::store::feed_items(&state.store, e.id, reach, since, None).await?;
    let (status, zone, links) = (event_status(e), zone_of(e), Links::of(state, e));
    let entries: Vec<Entry> = std::iter::once(event_entry(&links, e, status))
        .chain(items.iter().map(|i| item_entry(&links, e, zone, i, status)))
        .collect();
    Ok(write(state, Some(&e.title), Some(zone), &entries))
}

/// One event on its own, for "add to my calendar".
pub fn event_file(state: &AppState, e: &FeedEvent) -> String {
    let entry = event_entry(&Links::of(state, e), e, event_status(e));
    write(state, None, None, &[entry])
}

/// One agenda item on its own, for "add to my calendar"; `None` when `reach`
/// does not see it (or only as a closed block, which is nothing to add).
pub async fn item_file(
    state: &AppState,
    e: &FeedEvent,
    item_id: i64,
    reach: &AgendaReach,
    since: DateTime<Utc>,
) -> StoreResult<Option<String>> {
    let items =
        crate::agenda::store::feed_items(&state.store, e.id, reach, since, Some(item_id)).await?;
    let Some(item) = items.iter().find(|i| !i.closed) else {
        return Ok(None);
    };
    let entry = item_entry(&Links::of(state, e), e, zone_of(e), item, event_status(e));
    Ok(Some(write(state, None, None, &[entry])))
}

/// The network feed: its public events (cancelled ones for [`KEEP_CANCELLED`]).
pub fn network_feed(state: &AppState, name: &str, events: &[FeedEvent]) -> String {
    let entries: Vec<Entry> = events
        .iter()
        .map(|e| event_entry(&Links::of(state, e), e, event_status(e)))
        .collect();
    write(state, Some(name), None, &entries)
}

/// One event of a personal feed and what its person sees of its agenda.
pub struct PersonalEvent {
    pub event: FeedEvent,
    pub taking: Taking,
    /// The items, as the person's reach sees them.
    pub items: Vec<FeedItem>,
}

/// A person's feed: every event they registered for (waiting: tentative;
/// cancelled: cancelled), and for those with a confirmed place the items of the
/// agenda they see other than workshops, and the workshops they chose
/// (`chosen`, across events).
pub fn personal_feed(
    state: &AppState,
    name: &str,
    events: &[PersonalEvent],
    chosen: &[i64],
) -> String {
    let workshop = AgendaItemKind::Workshop.as_str();
    let mut entries = Vec::new();
    for p in events {
        let status = match (p.taking, event_status(&p.event)) {
            (_, Status::Cancelled) | (Taking::Gone, _) => Status::Cancelled,
            (Taking::Waiting, _) => Status::Tentative,
            (Taking::Confirmed, s) => s,
        };
        let links = Links::of(state, &p.event);
        entries.push(event_entry(&links, &p.event, status));
        let zone = zone_of(&p.event);
        entries.extend(
            p.items
                .iter()
                .filter(|i| i.kind != workshop || chosen.contains(&i.id))
                .map(|i| item_entry(&links, &p.event, zone, i, status)),
        );
    }
    write(state, Some(&format!("Convene: {name}")), None, &entries)
}
