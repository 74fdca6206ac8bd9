//! `/events/:id/agenda`: the chairs' and organisers' builder. The draft as a list
//! a day at a time with every conflict named at its item, forms to add rooms and
//! items and to remove items, and publishing as the next version. Every action is
//! a plain form (JavaScript off works fully).
use super::{ItemActionForm, ItemForm, PublishForm, RoomForm};
use crate::ui::{ErrorView, FormState, Loading};
use crate::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An item of the draft, written for the chair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftEntry {
    pub id: i64,
    pub time: String,
    pub kind: String,
    pub title: String,
    pub room: String,
    pub visibility: String,
    pub people: Vec<String>,
    /// What conflicts at this item, as sentences.
    pub warnings: Vec<String>,
}

/// One day of the draft: its items as a list, and as a grid of time by room when
/// some run in parallel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftDay {
    pub label: String,
    /// `draft-2027-03-18`
    pub anchor: String,
    pub items: Vec<DraftEntry>,
    pub grid: Option<super::DayGrid>,
}

/// A published workshop with who chose it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkshopSummary {
    pub title: String,
    /// "Thursday 18 March 2027, 11:00–12:30"
    pub when: String,
    /// "12 of 30 places taken", "12 chose it"
    pub count: String,
    pub removed: bool,
    /// "Name, Organisation", by name.
    pub people: Vec<String>,
}

/// What an item's form chooses from, as (value, label) pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemChoices {
    /// (`2027-03-18`, "Thursday 18 March 2027") for every day of the event.
    pub days: Vec<(String, String)>,
    pub rooms: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    pub visibilities: Vec<(String, String)>,
    /// The directory's people a chair may name: (id, "Name, Organisation").
    pub people: Vec<(String, String)>,
}

/// What the builder page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuilderData {
    pub event_id: i64,
    pub title: String,
    pub time_zone: String,
    pub agenda_href: String,
    pub choices: ItemChoices,
    pub draft_days: Vec<DraftDay>,
    /// Every conflict of the draft, "Title: what", listed before publishing.
    pub conflict_list: Vec<String>,
    /// The published workshops' sign-ups.
    pub workshops: Vec<WorkshopSummary>,
    pub conflicts: usize,
    pub version: Option<i64>,
    pub item_form: FormState,
    pub room_form: FormState,
    pub action_form: FormState,
    pub publish_form: FormState,
}

#[cfg(feature = "ssr")]
pub(super) mod server {
    use super::super::store::{DraftItem, SpeakerInput};
    use crate::domain::agenda::{conflicts, Conflict, Placed};
    use crate::domain::{
        optional_multiline, optional_positive, optional_text, required_text, DomainError, Problems,
    };
    use crate::domain::{AgendaItemKind, AgendaVisibility};
    use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
    use chrono_tz::Tz;
    use std::collections::HashMap;

    pub const MAX_TITLE: usize = 200;
    pub const MAX_DESCRIPTION: usize = 10_000;
    pub const MAX_SPEAKERS: usize = 20;
    /// The most places an item or a room may have.
    pub const MAX_PLACES: i64 = 100_000;

    /// A form's item, checked: every problem at its field.
    pub struct CheckedItem {
        pub kind: AgendaItemKind,
        pub title: String,
        pub description: String,
        pub starts_at: DateTime<Utc>,
        pub ends_at: DateTime<Utc>,
        pub room_id: Option<i64>,
        pub visibility: AgendaVisibility,
        pub capacity: Option<i64>,
        pub moderator_id: Option<i64>,
        /// The speakers typed (outsiders, by name and organisation).
        pub speakers: Vec<SpeakerInput>,
    }

    impl CheckedItem {
        /// The item for the store, with `speakers` (the directory's and the typed).
        pub fn as_new<'a>(
            &'a self,
            speakers: &'a [SpeakerInput],
        ) -> super::super::store::NewItem<'a> {
            super::super::store::NewItem {
                kind: self.kind,
                title: &self.title,
                description: &self.description,
                starts_at: self.starts_at,
                ends_at: self.ends_at,
                room_id: self.room_id,
                visibility: self.visibility,
                capacity: self.capacity,
                moderator_id: self.moderator_id,
                speakers,
            }
        }
    }

    fn local(
        zone: Tz,
        field: &str,
        day: Option<NaiveDate>,
        time: &str,
    ) -> Result<Option<DateTime<Utc>>, DomainError> {
        let Some(day) = day else { return Ok(None) };
        let t = NaiveTime::parse_from_str(time.trim(), "%H:%M")
            .map_err(|_| DomainError::new(field, "Enter a time such as 09:30."))?;
        match zone.from_local_datetime(&day.and_time(t)).single() {
            Some(at) => Ok(Some(at.with_timezone(&Utc))),
            None => Err(DomainError::new(
                field,
                "That time does not exist or happens twice on that day in the event's time zone (the clocks change); choose another.",
            )),
        }
    }

    /// A choice of `field` among `known` ids (empty: none).
    pub fn chosen_id(
        p: &mut Problems,
        field: &str,
        raw: &str,
        known: &[(i64, String)],
        message: &str,
    ) -> Option<i64> {
        match raw.trim() {
            "" => None,
            r => match r
                .parse::<i64>()
                .ok()
                .filter(|id| known.iter().any(|(i, _)| i == id))
            {
                Some(id) => Some(id),
                None => {
                    p.add(DomainError::new(field, message));
                    None
                }
            },
        }
    }

    pub fn check_item(
        form: &super::ItemForm,
        zone: Tz,
        rooms: &[(i64, String)],
        people: &[(i64, String)],
    ) -> Result<CheckedItem, Vec<DomainError>> {
        let mut p = Problems::new();
        let kind = p.check_opt(AgendaItemKind::parse(&form.kind));
        let title = p.check(required_text("title", &form.title, "a title", MAX_TITLE));
        let description = p
            .check(optional_multiline(
                "description",
                &form.description,
                MAX_DESCRIPTION,
            ))
            .unwrap_or_default();
        let day = match NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                p.add(DomainError::new("day", "Choose the day."));
                None
            }
        };
        let starts = p
            .check_opt(local(zone, "starts", day, &form.starts))
            .flatten();
        let ends = p.check_opt(local(zone, "ends", day, &form.ends)).flatten();
        if let (Some(s), Some(e)) = (starts, ends) {
            if e <= s {
                p.add(DomainError::new("ends", "The end must be after the start."));
            }
        }
        let room_id = chosen_id(
            &mut p,
            "room_id",
            &form.room_id,
            rooms,
            "Choose one of the event's rooms.",
        );
        let moderator_id = chosen_id(
            &mut p,
            "moderator_id",
            &form.moderator_id,
            people,
            "Choose the moderator from the list, or no one.",
        );
        let visibility = p.check_opt(AgendaVisibility::parse(&form.visibility));
        let capacity = p.check(optional_positive(
            "capacity",
            &form.capacity,
            MAX_PLACES,
            "Enter a whole number of places, or leave it empty.",
        ));
        let speakers = check_speakers(&mut p, &form.speakers);
        p.done()?;
        Ok(CheckedItem {
            kind: kind.expect("checked"),
            title,
            description,
            starts_at: starts.expect("checked"),
            ends_at: ends.expect("checked"),
            room_id,
            visibility: visibility.expect("checked"),
            capacity,
            moderator_id,
            speakers,
        })
    }

    /// The lists an item's form chooses from.
    pub fn item_choices(
        event: (DateTime<Utc>, DateTime<Utc>),
        zone: Tz,
        rooms: &[super::super::store::Room],
        people: Vec<(i64, String)>,
    ) -> super::ItemChoices {
        use crate::domain::{AgendaItemKind, AgendaVisibility};
        super::ItemChoices {
            days: event_days(event.0, event.1, zone),
            rooms: rooms
                .iter()
                .map(|r| (r.id.to_string(), r.name.clone()))
                .collect(),
            kinds: AgendaItemKind::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
                .collect(),
            visibilities: AgendaVisibility::ALL
                .iter()
                .map(|v| (v.as_str().to_owned(), v.label().to_owned()))
                .collect(),
            people: people
                .into_iter()
                .map(|(id, label)| (id.to_string(), label))
                .collect(),
        }
    }

    /// Tells the event's confirmed participants what version `number` changed: one
    /// mail per person per version (its dedupe key), each listing only the changes
    /// the policy lets that person see, and none to a person who may see none of
    /// them. Returns how many mails were queued.
    pub async fn notify(
        state: &crate::platform::AppState,
        tx: &mut crate::platform::db::Tx<'_>,
        e: &crate::events::store::EventRecord,
        number: i64,
        now: DateTime<Utc>,
    ) -> Result<usize, crate::AppError> {
        use super::super::store::{changelog_in, participants_in};
        use crate::platform::mail::outbox::{enqueue_many, NewMail};
        use crate::platform::mail::template::{one_line, Block, Email};
        use crate::platform::policy::{audience_from, AgendaReach};
        let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
        let link = state.security.link(&format!(
            "/networks/{}/events/{}/agenda",
            e.network_slug, e.slug
        ));
        let mut lines: HashMap<AgendaReach, Vec<(String, String)>> = HashMap::new();
        let mut mails = Vec::new();
        for p in participants_in(tx, e.id, now.date_naive()).await? {
            let Ok(address) = crate::domain::EmailAddress::parse(&p.email) else {
                continue;
            };
            // Registered: they hold a confirmed registration.
            let reach =
                AgendaReach::of(audience_from(p.manages, p.categories.iter().copied()), true);
            if !lines.contains_key(&reach) {
                let said = changelog_in(tx, e.id, number, &reach)
                    .await?
                    .into_iter()
                    .map(|c| {
                        let item = super::super::api::server::entry(&c.item, zone);
                        (
                            c.change.label().to_owned(),
                            format!(
                                "{}, {}: {}",
                                crate::platform::localtime::local_date(c.item.starts_at, zone),
                                item.time,
                                item.title
                            ),
                        )
                    })
                    .collect();
                lines.insert(reach.clone(), said);
            }
            let said = &lines[&reach];
            if said.is_empty() {
                continue;
            }
            mails.push(NewMail {
                dedupe_key: format!("agenda:{}:{number}:{}", e.id, p.person_id),
                kind: "agenda_changed".into(),
                event_id: Some(e.id),
                person_id: Some(p.person_id),
                recipient: address,
                recipient_name: Some(p.name.clone()),
                content: Email {
                    subject: format!("Agenda changed: {}", one_line(&e.title)),
                    greeting: Some(format!("Dear {},", one_line(&p.name))),
                    blocks: vec![
                        Block::Paragraph(format!(
                            "Version {number} of the agenda of {} is published. What changed:",
                            one_line(&e.title)
                        )),
                        Block::Facts(said.clone()),
                        Block::Paragraph(format!(
                            "Times are in the event's time zone, {}.",
                            e.time_zone
                        )),
                        Block::Link {
                            label: "The agenda".into(),
                            url: link.clone(),
                        },
                    ],
                    reason: "You receive this because you are registered for this meeting.".into(),
                }
                .render(),
                calendar: None,
                attachments: Vec::new(),
                secret: None,
            });
        }
        let domain = state.mailer.settings().message_id_domain();
        let queued = enqueue_many(tx, &mails, &domain, now).await?;
        Ok(queued.into_iter().flatten().count())
    }

    /// Every day of an event in its zone as (`2027-03-18`, "Thursday 18 March
    /// 2027"): an event ending at midnight ends the day before; at most a month.
    pub fn event_days(
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        zone: Tz,
    ) -> Vec<(String, String)> {
        let first = starts_at.with_timezone(&zone).date_naive();
        let last = (ends_at - chrono::Duration::seconds(1))
            .with_timezone(&zone)
            .date_naive();
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .take(31)
            .map(|d| {
                (
                    d.format("%Y-%m-%d").to_string(),
                    super::super::api::server::day_label(d),
                )
            })
            .collect()
    }

    /// The speakers typed, one a line: "Name, Organisation".
    pub fn check_speakers(p: &mut Problems, raw: &str) -> Vec<SpeakerInput> {
        let mut speakers = Vec::new();
        if let Some(lines) = p.check(optional_multiline("speakers", raw, 4_000)) {
            for line in lines.lines().filter(|l| !l.trim().is_empty()) {
                let (name, organisation) = line.split_once(',').unwrap_or((line, ""));
                match (
                    required_text("speakers", name, "each speaker's name", 200),
                    optional_text("speakers", organisation, 200),
                ) {
                    (Ok(name), Ok(organisation)) => speakers.push(SpeakerInput {
                        person_id: None,
                        name,
                        organisation: organisation.unwrap_or_default(),
                    }),
                    (Err(e), _) | (_, Err(e)) => p.add(e),
                }
            }
            if speakers.len() > MAX_SPEAKERS {
                p.add(DomainError::new(
                    "speakers",
                    format!("An item has at most {MAX_SPEAKERS} speakers."),
                ));
            }
        }
        speakers
    }

    /// What a workshop's own chair may change: the title, description and typed
    /// speakers; everything else stays as `current` has it.
    pub fn check_words(
        form: &super::ItemForm,
        current: &DraftItem,
    ) -> Result<CheckedItem, Vec<DomainError>> {
        let mut p = Problems::new();
        let title = p.check(required_text("title", &form.title, "a title", MAX_TITLE));
        let description = p
            .check(optional_multiline(
                "description",
                &form.description,
                MAX_DESCRIPTION,
            ))
            .unwrap_or_default();
        let speakers = check_speakers(&mut p, &form.speakers);
        let kind = p.check_opt(AgendaItemKind::parse(&current.kind));
        let visibility = p.check_opt(AgendaVisibility::parse(&current.visibility));
        p.done()?;
        Ok(CheckedItem {
            kind: kind.expect("checked"),
            title,
            description,
            starts_at: current.starts_at,
            ends_at: current.ends_at,
            room_id: current.room_id,
            visibility: visibility.expect("checked"),
            capacity: current.capacity,
            moderator_id: current.moderator_id,
            speakers,
        })
    }

    /// The conflicts of a draft, as sentences by item.
    pub fn warnings(
        draft: &[DraftItem],
        event: (DateTime<Utc>, DateTime<Utc>),
        rooms: &[super::super::store::Room],
    ) -> (HashMap<i64, Vec<String>>, usize) {
        let placed: Vec<Placed> = draft
            .iter()
            .map(|i| Placed {
                id: i.id,
                starts_at: i.starts_at,
                ends_at: i.ends_at,
                room: i.room_id,
                people: i.person_ids.clone(),
                capacity: i.capacity,
            })
            .collect();
        let capacities: HashMap<i64, Option<i64>> =
            rooms.iter().map(|r| (r.id, r.capacity)).collect();
        let title = |id: i64| {
            draft
                .iter()
                .find(|i| i.id == id)
                .map(|i| format!("\u{201c}{}\u{201d}", i.title))
                .unwrap_or_default()
        };
        let room_name = |id: i64| {
            rooms
                .iter()
                .find(|r| r.id == id)
                .map(|r| r.name.clone())
                .unwrap_or_default()
        };
        let person = |id: i64| {
            draft
                .iter()
                .flat_map(|i| i.people.iter())
                .find(|p| p.person == Some(id))
                .map(|p| p.name.clone())
                .unwrap_or_else(|| "A speaker".to_owned())
        };
        let found = conflicts(&placed, event, &capacities);
        let mut by_item: HashMap<i64, Vec<String>> = HashMap::new();
        for c in &found {
            let say = |this: i64| match *c {
                Conflict::RoomTwice {
                    room,
                    first,
                    second,
                } => format!(
                    "{} is booked at the same time for {}.",
                    room_name(room),
                    title(if this == first { second } else { first })
                ),
                Conflict::PersonTwice {
                    person: who,
                    first,
                    second,
                } => format!(
                    "{} is also in {} at the same time.",
                    person(who),
                    title(if this == first { second } else { first })
                ),
                Conflict::OutsideEvent { .. } => "Outside the event's days.".to_owned(),
                Conflict::AboveRoomCapacity { room, .. } => {
                    format!("Takes more people than {} holds.", room_name(room))
                }
            };
            for item in c.items() {
                by_item.entry(item).or_default().push(say(item));
            }
        }
        (by_item, found.len())
    }
}

#[cfg(feature = "ssr")]
fn agenda_back(event_id: i64) -> String {
    format!("/events/{event_id}/agenda")
}

/// The builder's data, for the event's chairs and organisers (and the secretariat).
#[server(endpoint = "agenda_builder", input = server_fn::codec::GetUrl)]
pub async fn agenda_builder(event_id: i64) -> Result<BuilderData, AppError> {
    use crate::domain::{AgendaItemKind, AgendaVisibility};
    use crate::platform::forms::take;
    let (state, _, e) = crate::events::managed(event_id).await?;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let rooms = super::store::rooms(&state.store, event_id).await?;
    let mut tx = state.store.begin_read().await?;
    let draft = super::store::draft_in(&mut tx, event_id).await?;
    drop(tx);
    let (mut warnings, conflicts) = server::warnings(&draft, (e.starts_at, e.ends_at), &rooms);
    use super::api::server::{day_label, time_span};
    let conflict_list = draft
        .iter()
        .flat_map(|i| {
            warnings
                .get(&i.id)
                .into_iter()
                .flatten()
                .map(move |w| format!("{}: {w}", i.title))
        })
        .collect();
    let draft_days = super::api::server::by_day(&draft, |i| i.starts_at, zone)
        .into_iter()
        .map(|(date, items)| {
            // The grid is placed as the public one is, from the items' times and rooms.
            let placed: Vec<super::ShownItem> = items
                .iter()
                .map(|i| super::ShownItem {
                    id: i.id,
                    closed: false,
                    kind: i.kind.clone(),
                    title: i.title.clone(),
                    description_html: String::new(),
                    starts_at: i.starts_at,
                    ends_at: i.ends_at,
                    room: i.room_name.clone(),
                    people: Vec::new(),
                    capacity: i.capacity,
                    sequence: 0,
                })
                .collect();
            DraftDay {
                label: day_label(date),
                anchor: format!("draft-{}", date.format("%Y-%m-%d")),
                items: items
                    .iter()
                    .map(|i| DraftEntry {
                        id: i.id,
                        time: time_span(i.starts_at, i.ends_at, zone),
                        kind: AgendaItemKind::parse(&i.kind)
                            .map(|k| k.label())
                            .unwrap_or("Item")
                            .to_owned(),
                        title: i.title.clone(),
                        room: i.room_name.clone(),
                        visibility: AgendaVisibility::parse(&i.visibility)
                            .map(|v| v.label())
                            .unwrap_or("")
                            .to_owned(),
                        people: i.people.iter().map(|p| p.name.clone()).collect(),
                        warnings: warnings.remove(&i.id).unwrap_or_default(),
                    })
                    .collect(),
                grid: super::api::server::grid(&placed.iter().collect::<Vec<_>>(), zone),
            }
        })
        .collect();
    Ok(BuilderData {
        event_id,
        title: e.title.clone(),
        time_zone: e.time_zone.clone(),
        agenda_href: format!("/networks/{}/events/{}/agenda", e.network_slug, e.slug),
        choices: server::item_choices(
            (e.starts_at, e.ends_at),
            zone,
            &rooms,
            super::store::people_for(&state.store, event_id).await?,
        ),
        draft_days,
        conflict_list,
        workshops: super::store::workshop_lists(&state.store, event_id)
            .await?
            .into_iter()
            .map(|w| WorkshopSummary {
                when: format!(
                    "{}, {}",
                    day_label(w.starts_at.with_timezone(&zone).date_naive()),
                    time_span(w.starts_at, w.ends_at, zone)
                ),
                count: match w.capacity {
                    Some(c) => format!("{} of {c} places taken", w.people.len()),
                    None => match w.people.len() {
                        1 => "1 person chose it".to_owned(),
                        n => format!("{n} people chose it"),
                    },
                },
                title: w.title,
                removed: w.removed,
                people: w
                    .people
                    .into_iter()
                    .map(|(n, o)| if o.is_empty() { n } else { format!("{n}, {o}") })
                    .collect(),
            })
            .collect(),
        conflicts,
        version: super::store::latest_version(&state.store, event_id).await?,
        item_form: take::<ItemForm>().await,
        room_form: take::<RoomForm>().await,
        action_form: take::<ItemActionForm>().await,
        publish_form: take::<PublishForm>().await,
    })
}

/// Adds an item to the draft.
#[server(endpoint = "add_agenda_item")]
pub async fn add_agenda_item(
    event_id: i64,
    #[server(flatten)] form: ItemForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = agenda_back(event_id);
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let e = crate::events::store::event_record(&state.store, event_id).await?;
        let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
        let rooms: Vec<(i64, String)> = super::store::rooms(&state.store, event_id)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        let people = super::store::people_for(&state.store, event_id).await?;
        let item = server::check_item(&form, zone, &rooms, &people)?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let id =
            super::store::add_item(&mut tx, event_id, &item.as_new(&item.speakers), now).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "agenda_item_added")
                .on("event", event_id)
                .detail(format!("item {id}: {}", item.title)),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(back.clone()).with_notice(format!(
            "\u{201c}{}\u{201d} is added to the draft.",
            item.title
        )))
    })
    .await
}

/// Removes an item from the draft.
#[server(endpoint = "remove_agenda_item")]
pub async fn remove_agenda_item(
    event_id: i64,
    #[server(flatten)] form: ItemActionForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = agenda_back(event_id);
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let item_id: i64 = form
            .item_id
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        super::store::delete_item(&mut tx, event_id, item_id).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "agenda_item_removed")
                .on("event", event_id)
                .detail(format!("item {item_id}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(back.clone()).with_notice("The item is removed from the draft."))
    })
    .await
}

/// Adds a room to the event.
#[server(endpoint = "add_agenda_room")]
pub async fn add_agenda_room(
    event_id: i64,
    #[server(flatten)] form: RoomForm,
) -> Result<(), AppError> {
    use crate::domain::{optional_positive, optional_text, required_text, DomainError, Problems};
    use crate::platform::{audit, forms};
    let back = agenda_back(event_id);
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let mut p = Problems::new();
        let name = p.check(required_text("name", &form.name, "the room's name", 120));
        let note = p
            .check(optional_text("note", &form.note, 200))
            .unwrap_or_default();
        let capacity = p.check(optional_positive(
            "capacity",
            &form.capacity,
            server::MAX_PLACES,
            "Enter how many people the room holds, or leave it empty.",
        ));
        p.done()?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let id = match super::store::add_room(&mut tx, event_id, &name, capacity, &note).await {
            Err(crate::platform::StoreError::Conflict(_)) => {
                return Err(vec![DomainError::new(
                    "name",
                    "The event already has a room of that name.",
                )]
                .into())
            }
            other => other?,
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "agenda_room_added")
                .on("event", event_id)
                .detail(format!("room {id}: {name}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(back.clone()).with_notice(format!("{name} is added.")))
    })
    .await
}

/// Publishes the draft as the next version.
#[server(endpoint = "publish_agenda")]
pub async fn publish_agenda(
    event_id: i64,
    #[server(flatten)] form: PublishForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = agenda_back(event_id);
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let now = state.clock.now();
        // The event (for the mails' words and links), read only when telling.
        let notify = form.notify.trim() == "yes";
        let e = match notify {
            true => Some(crate::events::store::event_record(&state.store, event_id).await?),
            false => None,
        };
        let mut tx = state.store.begin().await?;
        let done = match super::store::publish(&mut tx, event_id, Some(viewer.person_id), now).await
        {
            // The store's reason is written for the chair.
            Err(crate::platform::StoreError::Conflict(why)) => return Err(AppError::Conflict(why)),
            other => other?,
        };
        // The mails are queued in the same transaction: they exist exactly when the
        // version does.
        let told = match &e {
            Some(e) => server::notify(&state, &mut tx, e, done.number, now).await?,
            None => 0,
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "agenda_published")
                .on("event", event_id)
                .detail(format!(
                    "version {}: {} changes",
                    done.number,
                    done.changes.len()
                )),
            now,
        )
        .await?;
        tx.commit().await?;
        let n = done.changes.len();
        let told = match (notify, told) {
            (false, _) => String::new(),
            (true, 1) => " 1 participant is told of the changes by mail.".to_owned(),
            (true, t) => format!(" {t} participants are told of the changes by mail."),
        };
        Ok(forms::Done::to(back.clone()).with_notice(format!(
            "Version {} is published, with {n} {}.{told}",
            done.number,
            if n == 1 { "change" } else { "changes" }
        )))
    })
    .await
}

/// One day of the draft: a grid of time by room where items run in parallel (on
/// wide screens), then the list with every item's conflicts and actions.
#[component]
fn DraftDayView(day: DraftDay, event_id: i64) -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let grid = day.grid.map(|grid| {
        let items = day.items.clone();
        let caption = format!("{}, by time and room", day.label);
        super::pages::grid_table(
            grid,
            caption,
            "agenda-grid builder-grid",
            "draft-grid",
            move |index, rows, cols| {
                let i = &items[index];
                let edit = super::item::item_href(event_id, i.id);
                let label = format!("Edit \u{201c}{}\u{201d}", i.title);
                let warned = !i.warnings.is_empty();
                view! {
                    <td class=if warned { "agenda-item agenda-warned" } else { "agenda-item" } rowspan=rows colspan=cols>
                        <p class="agenda-time">{i.time.clone()}</p>
                        <p><a href=edit aria-label=label><strong>{i.title.clone()}</strong></a></p>
                        <p class="eyebrow">{i.kind.clone()}</p>
                        {warned.then(|| view! { <p class="warnings">{format!("{} conflict(s)", i.warnings.len())}</p> })}
                    </td>
                }
                .into_any()
            },
        )
    });
    view! {
        <section class="draft-day" aria-labelledby=day.anchor.clone()>
            <h3 id=day.anchor.clone()>{day.label.clone()}</h3>
            {grid}
            <table class="data-table">
                <caption class="visually-hidden">{format!("Items of {}, in order of time", day.label)}</caption>
                <thead><tr><th scope="col">"When"</th><th scope="col">"Item"</th><th scope="col">"Room"</th><th scope="col">"Seen by"</th><th scope="col">"Action"</th></tr></thead>
                <tbody>
                    {day.items.into_iter().map(|i| {
                        let label = format!("Remove \u{201c}{}\u{201d}", i.title);
                        let edit_label = format!("Edit \u{201c}{}\u{201d}", i.title);
                        let edit = super::item::item_href(event_id, i.id);
                        view! {
                            <tr data-testid="draft-item">
                                <td>{i.time}</td>
                                <td>
                                    <strong>{i.title}</strong><br/>{i.kind}
                                    {(!i.people.is_empty()).then(|| view! { <br/>{i.people.join("; ")} })}
                                    {(!i.warnings.is_empty()).then(|| view! {
                                        <ul class="warnings" data-testid="item-warnings">
                                            {i.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
                                        </ul>
                                    })}
                                </td>
                                <td>{i.room}</td>
                                <td>{i.visibility}</td>
                                <td>
                                    <a href=edit aria-label=edit_label class="button-link">"Edit"</a>
                                    " "
                                    <form method="post" action=RemoveAgendaItem::url() class="inline">
                                        <input type="hidden" name="event_id" value=event_id/>
                                        <input type="hidden" name="item_id" value=i.id/>
                                        <button type="submit" class="button-secondary" aria-label=label>"Remove"</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// `/events/:id/agenda`: the builder.
#[component]
pub fn AgendaBuilderPageView() -> impl IntoView {
    use crate::ui::{Field, FormNotice, SelectField, TextAreaField};
    use leptos::server_fn::ServerFn;
    let id = crate::ui::id_param();
    let data = Resource::new(move || id.get(), agenda_builder);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let heading = format!("Agenda: {}", d.title);
                        let manage = format!("/events/{}/manage", d.event_id);
                        let event_id = d.event_id;
                        let f = d.item_form.clone();
                        let rf = d.room_form.clone();
                        view! {
                            <crate::ui::PageHeading parent_href=manage parent=d.title.clone() heading=heading crumb="Agenda"/>
                            <p>
                                {match d.version {
                                    Some(n) => format!("Readers see version {n}. Changes below are a draft until you publish them. "),
                                    None => "Nothing is published yet: readers see no agenda. ".to_owned(),
                                }}
                                <a href=d.agenda_href.clone()>"The agenda as readers see it"</a>
                                {format!(". Times are in the event's time zone, {}.", d.time_zone)}
                            </p>
                            <section aria-labelledby="draft-heading">
                                <h2 id="draft-heading">"Draft"</h2>
                                <FormNotice state=d.action_form.clone()/>
                                {(d.conflicts > 0).then(|| view! {
                                    <p class="notice notice-warning" role="status" data-testid="conflicts">
                                        {if d.conflicts == 1 { "1 conflict in the draft; it is named at its items.".to_owned() } else { format!("{} conflicts in the draft; each is named at its items.", d.conflicts) }}
                                    </p>
                                })}
                                {if d.draft_days.is_empty() {
                                    view! { <p>"The draft has no items yet."</p> }.into_any()
                                } else {
                                    view! {
                                        {(d.draft_days.len() > 1).then(|| view! {
                                            <nav aria-label="Days of the draft" class="agenda-days">
                                                <ul>{d.draft_days.iter().map(|day| view! { <li><a href=format!("#{}", day.anchor)>{day.label.clone()}</a></li> }).collect_view()}</ul>
                                            </nav>
                                        })}
                                        {d.draft_days.into_iter().map(|day| view! { <DraftDayView day event_id/> }).collect_view()}
                                    }.into_any()
                                }}
                                {(!d.conflict_list.is_empty()).then(|| view! {
                                    <div class="notice notice-warning" data-testid="conflict-list">
                                        <p>"Before publishing, these conflicts remain:"</p>
                                        <ul>{d.conflict_list.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                                    </div>
                                })}
                                <FormNotice state=d.publish_form.clone()/>
                                <form method="post" action=PublishAgenda::url()>
                                    <input type="hidden" name="event_id" value=event_id/>
                                    <input type="hidden" name="confirm" value="yes"/>
                                    <p>
                                        <input type="checkbox" id="publish-notify" name="notify" value="yes"/>
                                        " "
                                        <label for="publish-notify" class="checkbox-label">"Tell the registered participants what changed, by mail (each sees only what they may)"</label>
                                    </p>
                                    <button type="submit">{if d.version.is_some() { "Publish the changes as a new version" } else { "Publish the agenda" }}</button>
                                </form>
                            </section>
                            {(!d.workshops.is_empty()).then(|| view! {
                                <section aria-labelledby="workshops-heading" data-testid="workshop-signups">
                                    <h2 id="workshops-heading">"Workshop sign-ups"</h2>
                                    <ul class="plain-list">
                                        {d.workshops.into_iter().map(|w| view! {
                                            <li>
                                                <strong>{w.title}</strong>
                                                {w.removed.then_some(" (removed from the agenda)")}
                                                <br/>{w.when}<br/>{w.count.clone()}
                                                {(!w.people.is_empty()).then(|| view! {
                                                    <details>
                                                        <summary>{format!("Who chose it ({})", w.people.len())}</summary>
                                                        <ul>{w.people.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                                                    </details>
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <section aria-labelledby="add-heading">
                                <h2 id="add-heading">"Add an item"</h2>
                                <FormNotice state=f.clone()/>
                                <form method="post" action=AddAgendaItem::url() novalidate class="narrow">
                                    <input type="hidden" name="event_id" value=event_id/>
                                    <SelectField state=f.clone() name="kind" label="Kind" required=true options=d.choices.kinds.clone() empty="Choose the kind of item"/>
                                    <Field state=f.clone() name="title" label="Title" required=true/>
                                    <SelectField state=f.clone() name="day" label="Day" required=true options=d.choices.days.clone() empty="Choose the day"/>
                                    <Field state=f.clone() name="starts" label="Starts" required=true hint="24-hour time, such as 09:30" kind="time"/>
                                    <Field state=f.clone() name="ends" label="Ends" required=true hint="24-hour time, such as 10:15" kind="time"/>
                                    <SelectField state=f.clone() name="room_id" label="Room" options=d.choices.rooms.clone() empty="No room"/>
                                    <SelectField state=f.clone() name="visibility" label="Who sees it in full" required=true options=d.choices.visibilities.clone() empty="Choose who sees it" hint="Others see a closed session only as \u{201c}Closed session\u{201d} with its time; organisers-only items not at all."/>
                                    <SelectField state=f.clone() name="moderator_id" label="Moderator" options=d.choices.people.clone() empty="No moderator"/>
                                    <TextAreaField state=f.clone() name="speakers" label="Speakers" rows=3 hint="One per line: name, organisation. Speakers from the directory are added on the item's page."/>
                                    <TextAreaField state=f.clone() name="description" label="Description" rows=5 hint="Markdown: **bold**, *italic*, lists with -, links as [text](https://…). No HTML."/>
                                    <Field state=f.clone() name="capacity" label="Places (workshops)" hint="Leave empty for no limit." kind="number"/>
                                    <button type="submit">"Add to the draft"</button>
                                </form>
                            </section>
                            <section aria-labelledby="rooms-heading">
                                <h2 id="rooms-heading">"Rooms"</h2>
                                {if d.choices.rooms.is_empty() {
                                    view! { <p>"No rooms yet."</p> }.into_any()
                                } else {
                                    view! { <ul>{d.choices.rooms.into_iter().map(|(_, n)| view! { <li>{n}</li> }).collect_view()}</ul> }.into_any()
                                }}
                                <FormNotice state=rf.clone()/>
                                <form method="post" action=AddAgendaRoom::url() novalidate class="narrow">
                                    <input type="hidden" name="event_id" value=event_id/>
                                    <Field state=rf.clone() name="name" label="Name" required=true/>
                                    <Field state=rf.clone() name="capacity" label="Holds" hint="How many people; leave empty if not known." kind="number"/>
                                    <Field state=rf.clone() name="note" label="Note" hint="Such as the floor."/>
                                    <button type="submit">"Add the room"</button>
                                </form>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
