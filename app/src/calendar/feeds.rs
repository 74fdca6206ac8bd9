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

/// Cancelled events and removed items stay in feeds this long after they would
/// have ended, so that every subscribed calendar hears of it.
pub const KEEP_CANCELLED: Duration = Duration::days(30);

/// How often calendar programs are asked to fetch a feed again.
pub const REFRESH: Duration = Duration::hours(1);

/// The stable UID of an event: the same in feeds and in the invitation mails.
pub fn event_uid(state: &AppState, event_id: i64) -> String {
    format!(
        "event-{event_id}@{}",
        state.mailer.settings().message_id_domain()
    )
}

/// The stable UID of an agenda item.
pub fn item_uid(state: &AppState, item_id: i64) -> String {
    format!(
        "agenda-item-{item_id}@{}",
        state.mailer.settings().message_id_domain()
    )
}

/// Who organises every meeting: the name and address mail comes from.
fn organizer(state: &AppState) -> (String, String) {
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

/// Texts an entry borrows, owned here so the entries can point at them.
struct Texts {
    summary: String,
    location: String,
    description: String,
}

fn event_texts(e: &FeedEvent, url: &str) -> Texts {
    Texts {
        summary: e.title.clone(),
        location: e.venue.clone(),
        description: if e.summary.is_empty() {
            url.to_owned()
        } else {
            format!("{}\n\n{url}", e.summary)
        },
    }
}

fn item_texts(item: &FeedItem, e: &FeedEvent, url: &str) -> Texts {
    if item.closed {
        // Nothing of a closed session reaches a reader not entitled to it: its
        // time, the neutral words, and the event's page.
        return Texts {
            summary: "Closed session".into(),
            location: String::new(),
            description: format!("{}\n\n{url}", e.title),
        };
    }
    let mut description = String::new();
    if !item.description.is_empty() {
        description.push_str(&item.description);
        description.push_str("\n\n");
    }
    let people: Vec<String> = item
        .people
        .iter()
        .map(crate::agenda::api::server::speaker_line)
        .collect();
    if !people.is_empty() {
        description.push_str(&format!("Speakers: {}\n\n", people.join("; ")));
    }
    description.push_str(&format!("{}\n{url}", e.title));
    Texts {
        summary: item.title.clone(),
        location: [item.room.as_str(), e.venue.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        description,
    }
}

fn kind_label(item: &FeedItem) -> Option<&'static str> {
    (!item.closed)
        .then(|| AgendaItemKind::parse(&item.kind).ok().map(|k| k.label()))
        .flatten()
}

/// One feed's entries and the texts they borrow, built before they are written.
struct Built {
    texts: Vec<Texts>,
    parts: Vec<Part>,
}

/// An entry's fields that are not borrowed texts.
struct Part {
    uid: String,
    sequence: i64,
    modified: DateTime<Utc>,
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    zone: Tz,
    url: String,
    status: Status,
    category: Option<&'static str>,
}

impl Built {
    fn new() -> Self {
        Built {
            texts: Vec::new(),
            parts: Vec::new(),
        }
    }

    /// The event itself, as `status` says (its own unless the reader's
    /// registration says otherwise).
    fn event(&mut self, state: &AppState, e: &FeedEvent, status: Status) {
        let url = state
            .security
            .link(&crate::events::event_href(&e.network_slug, &e.slug));
        self.texts.push(event_texts(e, &url));
        self.parts.push(Part {
            uid: event_uid(state, e.id),
            sequence: e.calendar_sequence,
            modified: e.updated_at,
            starts: e.starts_at,
            ends: e.ends_at,
            zone: zone_of(e),
            url,
            status,
            category: None,
        });
    }

    /// One agenda item of `e`: cancelled when removed or when the event is.
    fn item(&mut self, state: &AppState, e: &FeedEvent, item: &FeedItem, event: Status) {
        let url = state.security.link(&format!(
            "{}/agenda#item-{}",
            crate::events::event_href(&e.network_slug, &e.slug),
            item.id
        ));
        self.texts.push(item_texts(item, e, &url));
        let status = if item.removed || event == Status::Cancelled {
            Status::Cancelled
        } else {
            Status::Confirmed
        };
        self.parts.push(Part {
            uid: item_uid(state, item.id),
            // Both only ever rise: the event's changes (a cancellation above all)
            // reach the items too.
            sequence: item.sequence + e.calendar_sequence,
            modified: item.modified_at.max(e.updated_at),
            starts: item.starts_at,
            ends: item.ends_at,
            zone: zone_of(e),
            url,
            status,
            category: kind_label(item),
        });
    }

    fn write(&self, state: &AppState, method: Method, header: &Header<'_>) -> String {
        let (name, address) = organizer(state);
        let entries: Vec<Entry<'_>> = self
            .parts
            .iter()
            .zip(&self.texts)
            .map(|(p, t)| Entry {
                uid: p.uid.clone(),
                sequence: p.sequence,
                stamp: p.modified,
                modified: Some(p.modified),
                starts: p.starts,
                ends: p.ends,
                zone: Some(p.zone),
                summary: &t.summary,
                location: &t.location,
                description: &t.description,
                url: Some(p.url.clone()),
                organizer: Some((&name, &address)),
                attendee: None,
                status: p.status,
                category: p.category,
            })
            .collect();
        ics::calendar(method, header, &entries)
    }
}

/// The event feed: the event and its published agenda as `reach` sees it, with
/// items removed that would have ended after `since` cancelled.
pub async fn event_feed(
    state: &AppState,
    e: &FeedEvent,
    reach: &AgendaReach,
    since: DateTime<Utc>,
) -> StoreResult<String> {
    let items = crate::agenda::store::feed_items(&state.store, e.id, reach, since).await?;
    let mut built = Built::new();
    let status = event_status(e);
    built.event(state, e, status);
    for item in &items {
        built.item(state, e, item, status);
    }
    let name = e.title.clone();
    Ok(built.write(
        state,
        Method::Publish,
        &Header {
            name: Some(&name),
            refresh: Some(REFRESH),
            zone: Some(zone_of(e)),
        },
    ))
}

/// One event on its own, for "add to my calendar".
pub fn event_file(state: &AppState, e: &FeedEvent) -> String {
    let mut built = Built::new();
    built.event(state, e, event_status(e));
    built.write(state, Method::Publish, &Header::default())
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
    let items = crate::agenda::store::feed_items(&state.store, e.id, reach, since).await?;
    let Some(item) = items.iter().find(|i| i.id == item_id && !i.closed) else {
        return Ok(None);
    };
    let mut built = Built::new();
    built.item(state, e, item, event_status(e));
    Ok(Some(built.write(
        state,
        Method::Publish,
        &Header::default(),
    )))
}

/// The network feed: its public events (cancelled ones for [`KEEP_CANCELLED`]).
pub fn network_feed(state: &AppState, name: &str, events: &[FeedEvent]) -> String {
    let mut built = Built::new();
    for e in events {
        built.event(state, e, event_status(e));
    }
    built.write(
        state,
        Method::Publish,
        &Header {
            name: Some(name),
            refresh: Some(REFRESH),
            zone: None,
        },
    )
}

/// One event of a personal feed and what its person sees of its agenda.
pub struct PersonalEvent {
    pub event: FeedEvent,
    pub taking: Taking,
    /// The items, as the person's reach sees them.
    pub items: Vec<FeedItem>,
    /// The workshops they chose.
    pub chosen: Vec<i64>,
}

/// A person's feed: every event they registered for (waiting: tentative;
/// cancelled: cancelled), and for those with a confirmed place the items of the
/// agenda they see other than workshops, and the workshops they chose.
pub fn personal_feed(state: &AppState, name: &str, events: &[PersonalEvent]) -> String {
    let workshop = AgendaItemKind::Workshop.as_str();
    let mut built = Built::new();
    for p in events {
        let status = match (p.taking, event_status(&p.event)) {
            (_, Status::Cancelled) | (Taking::Gone, _) => Status::Cancelled,
            (Taking::Waiting, _) => Status::Tentative,
            (Taking::Confirmed, s) => s,
        };
        built.event(state, &p.event, status);
        for item in &p.items {
            if item.kind == workshop && !p.chosen.contains(&item.id) {
                continue;
            }
            built.item(state, &p.event, item, status);
        }
    }
    let title = format!("Convene: {name}");
    built.write(
        state,
        Method::Publish,
        &Header {
            name: Some(&title),
            refresh: Some(REFRESH),
            zone: None,
        },
    )
}
