//! Server functions of events.
// `save_event` takes one argument per form field. server_fn_macro 0.8 drops lint
// attributes from the browser half of a server function, so the allowance is here.
#![allow(clippy::too_many_arguments)]
use super::{EventAdminData, EventDetails, EventsAdminData};
use crate::AppError;
use leptos::prelude::*;

/// The page of an event. Drafts answer "not found", exactly like an event that does
/// not exist, so their existence does not leak — except to their organisers and the
/// secretariat, who preview them.
/// The event at `network`/`slug` with the request's state and viewer, when the
/// viewer may read it: published or cancelled for anyone, drafts for their
/// organisers only (others get "not found"). The first step of every page about
/// one event that readers reach by its address; with the viewer's standing and
/// readable report, read in the same statement.
#[cfg(feature = "ssr")]
pub(crate) async fn readable_event(
    network: &str,
    slug: &str,
) -> Result<
    (
        crate::platform::AppState,
        Option<crate::platform::auth::Viewer>,
        EventDetails,
        super::store::ReaderFacts,
    ),
    AppError,
> {
    use crate::platform::policy::{audience, Audience};
    let state = crate::platform::AppState::current()?;
    let viewer = crate::platform::auth::current_viewer().await?;
    let may_see_draft = |network_id, event_id| {
        audience(
            viewer.as_ref(),
            crate::ids::NetworkId(network_id),
            crate::ids::EventId(event_id),
        ) == Audience::Organiser
    };
    let now = state.clock.now();
    let person = viewer.as_ref().map(|v| v.person_id);
    let (details, facts) =
        super::store::event_details(&state.store, network, slug, person, may_see_draft, now)
            .await?;
    Ok((state, viewer, details, facts))
}

#[server(endpoint = "event", input = server_fn::codec::GetUrl)]
pub async fn event_page(network: String, slug: String) -> Result<EventDetails, AppError> {
    let (state, viewer, mut details, facts) = readable_event(&network, &slug).await?;
    if let Some(v) = viewer.as_ref().filter(|v| !v.is_guest()) {
        use crate::platform::policy::{may, Action, Categories};
        let open = may(
            Some(v),
            Action::RegisterAsMember {
                network_id: crate::ids::NetworkId(details.network_id),
                open_to: Categories::parse(&details.open_to),
            },
        );
        let head = details.delegation_quota.is_some()
            && may(
                Some(v),
                Action::RegisterDelegation {
                    network_id: crate::ids::NetworkId(details.network_id),
                },
            );
        if details.status == super::EventStatus::Published
            && (open || head || v.invited_to.contains(&crate::ids::EventId(details.id)))
        {
            details.register_href = Some(format!("/guest/events/{}", details.id));
        }
    }
    details.agenda_outline =
        crate::agenda::api::outline(&state, viewer.as_ref(), &details, &facts).await?;
    details.calendar = crate::calendar::event_links(&state, &details);
    details.report =
        crate::reports::api::server::report_link(&state, viewer.as_ref(), &details, facts).await?;
    Ok(details)
}

// ---------------------------------------------------------------------------
// The secretariat's event management. Every function asks the policy first
// (`Action::Administer`); forms post here without JavaScript and
// `platform::forms` sends the browser on or back.

#[cfg(feature = "ssr")]
mod admin {
    use super::super::EventFormValues;
    use crate::domain::{
        optional_multiline, optional_text, required_text, DomainError, EventKind, EventRole,
        Problems, Slug, TimeRange,
    };
    use crate::platform::localtime;
    use chrono::{DateTime, Datelike, LocalResult, NaiveDateTime, TimeZone, Timelike, Utc};
    use chrono_tz::Tz;

    /// The message to a person who was just made chair or organiser of an event.
    pub fn role_mail(
        event: &crate::events::store::EventRecord,
        role: EventRole,
        person_id: i64,
        name: &str,
        address: &str,
        added_by: &str,
        manage_link: &str,
        contact: &str,
    ) -> Result<crate::platform::mail::NewMail, DomainError> {
        use crate::platform::mail::template::{one_line, Block, Email};
        let zone = localtime::parse_zone(&event.time_zone).unwrap_or(chrono_tz::UTC);
        let role_name = role.label().to_lowercase();
        Ok(crate::platform::mail::NewMail {
            dedupe_key: format!(
                "event-role:{}:{}:{person_id}:{}",
                event.id,
                role.as_str(),
                uuid::Uuid::new_v4().simple()
            ),
            kind: "event_role".into(),
            event_id: Some(event.id),
            person_id: Some(person_id),
            recipient: crate::domain::EmailAddress::parse(address)?,
            recipient_name: Some(name.to_owned()),
            content: Email {
                subject: format!("You are {role_name} of {}", one_line(&event.title)),
                greeting: Some(format!("Dear {},", one_line(name))),
                blocks: vec![
                    Block::Paragraph(format!(
                        "{} of the secretariat has made you {role_name} of this event in Convene. Chairs and organisers run the event's invitations, registration, agenda and outcome report from its own page.",
                        one_line(added_by)
                    )),
                    Block::Facts(vec![
                        ("Event".into(), event.title.clone()),
                        ("Dates".into(), localtime::date_span(event.starts_at, event.ends_at, zone)),
                        ("Venue".into(), event.venue.clone()),
                        ("Your role".into(), role.label().into()),
                    ]),
                    Block::Link {
                        label: "Open the event's page".into(),
                        url: manage_link.to_owned(),
                    },
                    Block::Paragraph(format!(
                        "Sign in with your Convene account to open it. If this is a mistake, tell the secretariat at {contact}."
                    )),
                ],
                reason: format!("You were made {role_name} of an event in Convene."),
            }
            .render(),
            calendar: None,
            attachments: vec![],
            secret: None,
        })
    }

    /// What `<input type="datetime-local">` sends and shows.
    const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";
    /// The years an event's times may fall in (stored times compare as text on
    /// SQLite, so they must keep four digits).
    const MIN_YEAR: i32 = 2000;
    const MAX_YEAR: i32 = 2100;

    /// The zone a new event starts with: Eurojust's, where most meetings are.
    pub const DEFAULT_ZONE: &str = "Europe/Amsterdam";

    /// The edit page of an event (0: a new one).
    pub fn page(id: i64) -> String {
        if id == 0 {
            "/admin/events/new".to_owned()
        } else {
            format!("/admin/events/{id}")
        }
    }

    /// A `datetime-local` value, read in `zone`, in UTC; empty is `None`. A time the
    /// clocks skip is refused; a time they repeat is the first of the two.
    pub fn local_to_utc(
        field: &str,
        raw: &str,
        zone: Tz,
    ) -> Result<Option<DateTime<Utc>>, DomainError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let unreadable = || {
            DomainError::new(
                field,
                "Enter a date and a time, for example 2027-03-17T09:30.",
            )
        };
        let naive = NaiveDateTime::parse_from_str(raw, LOCAL_FORMAT)
            .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
            .or_else(|_| {
                // Browsers may add ":00"; other seconds would be lost by the next edit.
                NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S")
                    .ok()
                    .filter(|t| t.second() == 0 && t.nanosecond() == 0)
                    .ok_or_else(unreadable)
            })
            .map_err(|_| unreadable())?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&naive.year()) {
            return Err(DomainError::new(
                field,
                format!("Enter a year between {MIN_YEAR} and {MAX_YEAR}."),
            ));
        }
        match zone.from_local_datetime(&naive) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                Ok(Some(t.with_timezone(&Utc)))
            }
            LocalResult::None => Err(DomainError::new(
                field,
                format!(
                    "This time does not exist in {} (the clocks go forward). Choose another.",
                    zone.name()
                ),
            )),
        }
    }

    /// A UTC time as `datetime-local` shows it in `zone`.
    pub fn utc_to_local(t: DateTime<Utc>, zone: Tz) -> String {
        t.with_timezone(&zone).format(LOCAL_FORMAT).to_string()
    }

    /// The zones to choose from: Europe's, those of the EU's Atlantic regions and
    /// UTC, plus `current` if it is another one.
    pub fn time_zones(current: &str) -> Vec<String> {
        let mut zones: Vec<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|z| z.name())
            .filter(|n| {
                n.starts_with("Europe/")
                    || matches!(
                        *n,
                        "Atlantic/Azores" | "Atlantic/Canary" | "Atlantic/Madeira" | "UTC"
                    )
            })
            .map(str::to_owned)
            .collect();
        if !current.is_empty()
            && localtime::parse_zone(current).is_some()
            && !zones.iter().any(|z| z == current)
        {
            zones.push(current.to_owned());
        }
        zones.sort();
        zones
    }

    /// The two readings of typed `starts`/`ends` when an event's zone changes
    /// from `from` to `to`; `None` when either time does not read.
    pub fn zone_choice(v: &EventFormValues, from: Tz, to: Tz) -> Option<super::super::ZoneChoice> {
        let read = |raw: &str, zone: Tz| local_to_utc("starts", raw, zone).ok().flatten();
        let (s_old, e_old) = (read(&v.starts, from)?, read(&v.ends, from)?);
        let (s_new, e_new) = (read(&v.starts, to)?, read(&v.ends, to)?);
        let clock_then = |t: DateTime<Utc>| t.with_timezone(&from).format("%H:%M %Z").to_string();
        Some(super::super::ZoneChoice {
            from: from.name().to_owned(),
            to: to.name().to_owned(),
            instant: format!(
                "Keep the moment: it starts {} and ends {}, the same instants as now (the clock times change).",
                localtime::date_time(s_old, to),
                localtime::date_time(e_old, to),
            ),
            clock: format!(
                "Keep the clock times: it starts {} and ends {}, which is {} to {} in {} (the meeting moves).",
                localtime::date_time(s_new, to),
                localtime::date_time(e_new, to),
                clock_then(s_new),
                clock_then(e_new),
                from.name(),
            ),
        })
    }

    /// A time as the audit log writes it: "2027-03-17 09:30 CET (Europe/Amsterdam)".
    pub fn audit_time(t: DateTime<Utc>, zone: Tz) -> String {
        format!(
            "{} ({})",
            t.with_timezone(&zone).format("%Y-%m-%d %H:%M %Z"),
            zone.name()
        )
    }

    /// A whole number above zero, or `None` when left empty.
    fn positive(field: &str, raw: &str) -> Result<Option<i32>, DomainError> {
        crate::domain::optional_positive(
            field,
            raw,
            i32::MAX.into(),
            "Enter a whole number above zero, or leave this empty.",
        )
        .map(|n| n.and_then(|n| i32::try_from(n).ok()))
    }

    /// An event form that passed every check.
    #[derive(Debug)]
    pub struct Checked {
        pub slug: Slug,
        pub title: String,
        pub kind: EventKind,
        pub summary: String,
        pub when: TimeRange,
        pub zone: Tz,
        pub venue: String,
        pub online_link: Option<String>,
        pub chair_label: Option<String>,
        pub capacity: Option<i32>,
        pub delegation_quota: Option<i32>,
        pub registration_opens: Option<DateTime<Utc>>,
        pub registration_closes: Option<DateTime<Utc>>,
    }

    /// Checks an event form field by field, in the order the form shows them; the
    /// first problem is named at its field.
    pub fn check_event(v: &EventFormValues) -> Result<Checked, Vec<DomainError>> {
        let mut p = Problems::new();
        let title = p.check(required_text(
            "title",
            &v.title,
            "the title of the event",
            200,
        ));
        let slug = match v.slug.trim() {
            "" if p.has("title") => None,
            "" => p.check_opt(Slug::from_title(&title)),
            s => p.check_opt(Slug::parse(s)),
        };
        let kind = p.check_opt(EventKind::parse(&v.kind));
        let summary = p
            .check(optional_multiline("summary", &v.summary, 4000))
            .unwrap_or_default();
        let zone = localtime::parse_zone(v.time_zone.trim());
        if zone.is_none() {
            p.add(DomainError::new(
                "time_zone",
                "Choose a time zone from the list, such as Europe/Amsterdam.",
            ));
        }
        let zone = zone.unwrap_or(chrono_tz::UTC);
        let starts = p.check(local_to_utc("starts", &v.starts, zone));
        if starts.is_none() && !p.has("starts") {
            p.add(DomainError::new("starts", "Enter when the event starts."));
        }
        let ends = p.check(local_to_utc("ends", &v.ends, zone));
        if ends.is_none() && !p.has("ends") {
            p.add(DomainError::new("ends", "Enter when the event ends."));
        }
        let when = match (starts, ends) {
            (Some(s), Some(e)) => p.check_opt(
                TimeRange::new(s, e).map_err(|err| DomainError::new("ends", err.message)),
            ),
            _ => None,
        };
        let venue = p
            .check(optional_text("venue", &v.venue, 200))
            .unwrap_or_default();
        let online_link = p.check(optional_text("online_link", &v.online_link, 500));
        if let Some(link) = &online_link {
            let parsed = url::Url::parse(link)
                .ok()
                .filter(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty()));
            match parsed {
                None => p.add(DomainError::new(
                    "online_link",
                    "Enter a full address starting with https://, or leave this empty.",
                )),
                // `https://eurojust.europa.eu@attacker.example/` goes to attacker.example.
                Some(u) if !u.username().is_empty() || u.password().is_some() => {
                    p.add(DomainError::new(
                        "online_link",
                        "Enter the meeting's address without a name and @ before the host.",
                    ))
                }
                Some(_) => {}
            }
        }
        let chair_label = p.check(optional_text("chair_label", &v.chair_label, 200));
        let capacity = p.check(positive("capacity", &v.capacity));
        let delegation_quota = p.check(positive("delegation_quota", &v.delegation_quota));
        if let (Some(q), Some(c)) = (delegation_quota, capacity) {
            if q > c {
                p.add(DomainError::new(
                    "delegation_quota",
                    "A delegation cannot have more places than the event.",
                ));
            }
        }
        let registration_opens = p.check(local_to_utc(
            "registration_opens",
            &v.registration_opens,
            zone,
        ));
        let registration_closes = p.check(local_to_utc(
            "registration_closes",
            &v.registration_closes,
            zone,
        ));
        if let (Some(o), Some(c)) = (registration_opens, registration_closes) {
            if c <= o {
                p.add(DomainError::new(
                    "registration_closes",
                    "Registration must close after it opens.",
                ));
            }
        }
        if let Some(w) = &when {
            if registration_opens.is_some_and(|o| o >= w.end()) {
                p.add(DomainError::new(
                    "registration_opens",
                    "Registration must open before the event ends.",
                ));
            }
            if registration_closes.is_some_and(|c| c > w.end()) {
                p.add(DomainError::new(
                    "registration_closes",
                    "Registration must close by the end of the event.",
                ));
            }
        }
        p.done()?;
        Ok(Checked {
            slug: slug.expect("checked"),
            title,
            kind: kind.expect("checked"),
            summary,
            when: when.expect("checked"),
            zone,
            venue,
            online_link,
            chair_label,
            capacity,
            delegation_quota,
            registration_opens,
            registration_closes,
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn form() -> EventFormValues {
            EventFormValues {
                network_id: "1".into(),
                title: "Second Plenary Meeting".into(),
                kind: "plenary".into(),
                starts: "2027-03-28T01:30".into(),
                ends: "2027-03-28T17:00".into(),
                time_zone: "Europe/Amsterdam".into(),
                ..Default::default()
            }
        }

        #[test]
        fn local_times_are_read_in_the_event_zone() {
            let zone = localtime::parse_zone("Europe/Amsterdam").unwrap();
            let t = local_to_utc("starts", "2027-03-17T09:30", zone)
                .unwrap()
                .unwrap();
            assert_eq!(t.to_rfc3339(), "2027-03-17T08:30:00+00:00");
            assert_eq!(utc_to_local(t, zone), "2027-03-17T09:30");
            // 28 March 2027, 02:30 does not exist in Amsterdam.
            assert_eq!(
                local_to_utc("starts", "2027-03-28T02:30", zone)
                    .unwrap_err()
                    .field,
                "starts"
            );
            assert_eq!(local_to_utc("ends", " ", zone).unwrap(), None);
            assert!(local_to_utc("ends", "tomorrow", zone).is_err());
            assert!(
                local_to_utc("starts", "9999-12-31T23:00", zone).is_err(),
                "year bounded"
            );
            assert!(local_to_utc("starts", "+10000-01-01T09:00", zone).is_err());
            assert!(
                local_to_utc("starts", "2027-03-17T09:00:60", zone).is_err(),
                "no leap second"
            );
            assert!(
                local_to_utc("starts", "2027-03-17T09:00:30", zone).is_err(),
                "no seconds to lose"
            );
            assert!(local_to_utc("starts", "2027-03-17T09:00:00", zone).is_ok());
        }

        #[test]
        fn every_problem_of_an_empty_form_is_named_at_once() {
            let fields: Vec<String> = check_event(&EventFormValues::default())
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect();
            for f in ["title", "kind", "time_zone", "starts", "ends"] {
                assert!(fields.contains(&f.to_owned()), "{f} in {fields:?}");
            }
        }

        #[test]
        fn the_registration_window_fits_the_event() {
            let opens_after = EventFormValues {
                registration_opens: "2027-03-29T09:00".into(),
                ..form()
            };
            assert_eq!(
                check_event(&opens_after).unwrap_err()[0].field,
                "registration_opens"
            );
            let closes_after = EventFormValues {
                registration_closes: "2027-03-29T09:00".into(),
                ..form()
            };
            assert_eq!(
                check_event(&closes_after).unwrap_err()[0].field,
                "registration_closes"
            );
        }

        #[test]
        fn a_form_is_checked_field_by_field() {
            let ok = check_event(&form()).unwrap();
            assert_eq!(
                ok.slug.as_str(),
                "second-plenary-meeting",
                "derived from the title"
            );
            let field = |f: EventFormValues| check_event(&f).err().map(|e| e[0].field.clone());
            assert_eq!(
                field(EventFormValues {
                    title: " ".into(),
                    ..form()
                })
                .as_deref(),
                Some("title")
            );
            assert_eq!(
                field(EventFormValues {
                    slug: "Bad Slug".into(),
                    ..form()
                })
                .as_deref(),
                Some("slug")
            );
            assert_eq!(
                field(EventFormValues {
                    ends: "2027-03-27T17:00".into(),
                    ..form()
                })
                .as_deref(),
                Some("ends")
            );
            assert_eq!(
                field(EventFormValues {
                    time_zone: "Europe/Atlantis".into(),
                    ..form()
                })
                .as_deref(),
                Some("time_zone")
            );
            assert_eq!(
                field(EventFormValues {
                    capacity: "0".into(),
                    ..form()
                })
                .as_deref(),
                Some("capacity")
            );
            assert_eq!(
                field(EventFormValues {
                    delegation_quota: "2.5".into(),
                    ..form()
                })
                .as_deref(),
                Some("delegation_quota")
            );
            assert_eq!(
                field(EventFormValues {
                    online_link: "http://meet.example".into(),
                    ..form()
                })
                .as_deref(),
                Some("online_link")
            );
            assert_eq!(
                field(EventFormValues {
                    online_link: "https://eurojust.europa.eu@attacker.example/".into(),
                    ..form()
                })
                .as_deref(),
                Some("online_link"),
                "a link with user information goes elsewhere than it reads"
            );
            assert_eq!(
                field(EventFormValues {
                    title: "Plenary</title><script>".into(),
                    venue: "The Hague\r\nURGENT".into(),
                    ..form()
                })
                .as_deref(),
                Some("venue")
            );
            assert_eq!(
                field(EventFormValues {
                    title: "Plenary\u{202E}".into(),
                    ..form()
                })
                .as_deref(),
                Some("title")
            );
            assert_eq!(
                field(EventFormValues {
                    registration_opens: "2027-02-01T09:00".into(),
                    registration_closes: "2027-01-01T09:00".into(),
                    ..form()
                })
                .as_deref(),
                Some("registration_closes")
            );
            assert!(localtime::parse_zone("UTC").is_some());
            assert!(time_zones("").iter().any(|z| z == "Europe/Vilnius"));
        }
    }
}

/// `/admin/events`: every event, drafts included, optionally of one network and in
/// one status.
#[server(prefix = "/api/admin", endpoint = "events_admin", input = server_fn::codec::GetUrl)]
pub async fn events_admin(
    network: Option<String>,
    status: Option<String>,
) -> Result<EventsAdminData, AppError> {
    async {
        use crate::domain::EventStatus;
        use crate::platform::policy::{check, Action};
        let (state, _) = check(Action::Administer).await?;
        let network = network.filter(|n| !n.is_empty());
        let status = status
            .filter(|s| !s.is_empty())
            .and_then(|s| EventStatus::parse(&s).ok());
        let rows = super::store::list_admin(
            &state.store,
            network.as_deref(),
            status.map(EventStatus::as_str),
        )
        .await?;
        let networks = crate::networks::store::network_choices(&state.store)
            .await?
            .into_iter()
            .map(|(_, slug, name)| (slug, name))
            .collect();
        Ok(EventsAdminData {
            notice: crate::platform::forms::take::<super::EventDeleteForm>().await,
            rows,
            networks,
            statuses: EventStatus::ALL
                .iter()
                .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
                .collect(),
        })
    }
    .await
}

/// `/admin/events/:id`: the edit form of an event (id 0: a new one), the status
/// changes allowed from where it is, and its chairs and organisers.
#[server(prefix = "/api/admin", endpoint = "event_admin", input = server_fn::codec::GetUrl)]
pub async fn event_admin(id: i64) -> Result<EventAdminData, AppError> {
    async {
        use super::{
            event_href, event_role_label, status_change_label, status_changes, EventFormValues,
            EventPerson,
        };
        use crate::domain::{EventKind, EventStatus};
        use crate::platform::forms;
        use crate::platform::localtime;
        use crate::platform::policy::{check, Action};
        let (state, _) = check(Action::Administer).await?;
        if id < 0 {
            return Err(AppError::NotFound);
        }
        let networks: Vec<(String, String)> = crate::networks::store::network_choices(&state.store)
            .await?
            .into_iter()
            .map(|(id, _, name)| (id.to_string(), name))
            .collect();
        let (status, title, public_href, values, people) = if id == 0 {
            let values = EventFormValues {
                network_id: networks
                    .first()
                    .map(|(id, _)| id.clone())
                    .unwrap_or_default(),
                kind: EventKind::Plenary.as_str().to_owned(),
                time_zone: admin::DEFAULT_ZONE.to_owned(),
                ..Default::default()
            };
            (EventStatus::Draft, String::new(), None, values, Vec::new())
        } else {
            let e = super::store::event_record(&state.store, id).await?;
            let zone = localtime::event_zone(id, &e.time_zone)?;
            let status = EventStatus::parse(&e.status).map_err(|_| {
                AppError::internal(anyhow::anyhow!("event {id} has an invalid status"))
            })?;
            let local = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map(|t| admin::utc_to_local(t, zone)).unwrap_or_default()
            };
            let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
            let values = EventFormValues {
                network_id: e.network_id.to_string(),
                slug: e.slug.clone(),
                title: e.title.clone(),
                kind: e.kind,
                summary: e.summary,
                starts: local(Some(e.starts_at)),
                ends: local(Some(e.ends_at)),
                time_zone: e.time_zone,
                venue: e.venue,
                online_link: e.online_link.unwrap_or_default(),
                chair_label: e.chair_label.unwrap_or_default(),
                capacity: number(e.capacity),
                delegation_quota: number(e.delegation_quota),
                registration_opens: local(e.registration_opens_at),
                registration_closes: local(e.registration_closes_at),
                zone_change: String::new(),
            };
            let people = super::store::event_people(&state.store, id)
                .await?
                .into_iter()
                .map(|p| EventPerson {
                    person_id: p.person_id,
                    name: p.full_name,
                    email: p.email,
                    role_label: event_role_label(&p.role),
                    role: p.role,
                })
                .collect();
            let href = status
                .is_public()
                .then(|| event_href(&e.network_slug, &e.slug));
            (status, e.title, href, values, people)
        };
        let time_zones = admin::time_zones(&values.time_zone);
        let event_form = forms::take::<super::EventFormValues>().await;
        // A zone change sent without its meaning: show what each meaning gives
        // for the times typed.
        let zone_choice = event_form.error("zone_change").and_then(|_| {
            let typed = |f: &str| event_form.value(f).unwrap_or_default();
            let from = localtime::parse_zone(&values.time_zone)?;
            let to = localtime::parse_zone(typed("time_zone").trim())?;
            let v = EventFormValues {
                starts: typed("starts"),
                ends: typed("ends"),
                ..Default::default()
            };
            admin::zone_choice(&v, from, to)
        });
        Ok(EventAdminData {
            zone_choice,
            id,
            status,
            title,
            public_href,
            networks,
            kinds: EventKind::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
                .collect(),
            time_zones,
            status_changes: if id == 0 {
                Vec::new()
            } else {
                status_changes(status)
                    .iter()
                    .map(|s| (s.as_str().to_owned(), status_change_label(*s).to_owned()))
                    .collect()
            },
            values,
            people,
            event_form,
            status_form: forms::take::<super::EventStatusForm>().await,
            delete_form: forms::take::<super::EventDeleteForm>().await,
            people_form: forms::take::<super::EventPersonForm>().await,
        })
    }
    .await
}

/// Creates (id 0) or changes an event. Times arrive as `YYYY-MM-DDTHH:MM` in the
/// event's own zone; empty optional fields are stored as nothing. A new event is a
/// draft.
#[server(prefix = "/api/admin", endpoint = "save_event")]
pub async fn save_event(
    id: i64,
    #[server(flatten)] form: super::EventFormValues,
) -> Result<(), AppError> {
    use super::store::{insert_event, NewEvent};
    use crate::domain::{DomainError, EventStatus};
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    forms::submit(
        Action::Administer,
        &form,
        admin::page(id),
        async |state, viewer| {
            if id < 0 {
                return Err(AppError::NotFound);
            }
            let networks = crate::networks::store::network_choices(&state.store).await?;
            let network_id = form
                .network_id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| networks.iter().any(|(k, _, _)| k == n));
            let current = if id == 0 {
                None
            } else {
                Some(super::store::event_record(&state.store, id).await?)
            };
            // A saved event whose zone changes: the person says whether the typed
            // times keep their moment (read in the old zone) or their clock times
            // (read in the new one); until then nothing is saved.
            let old_zone = current
                .as_ref()
                .and_then(|e| crate::platform::localtime::parse_zone(&e.time_zone));
            let new_zone = crate::platform::localtime::parse_zone(form.time_zone.trim());
            let zone_moves = matches!((old_zone, new_zone), (Some(o), Some(n)) if o != n);
            let keep_instant = match form.zone_change.as_str() {
                _ if !zone_moves => false,
                "instant" => true,
                "clock" => false,
                _ => {
                    // With every other problem of the form, at once.
                    let mut all = admin::check_event(&form).err().unwrap_or_default();
                    all.push(DomainError::new(
                        "zone_change",
                        "The time zone changes: choose whether the meeting keeps its moment or its clock times.",
                    ));
                    return Err(all.into());
                }
            };
            let checked = if keep_instant {
                let mut read_in_old = form.clone();
                read_in_old.time_zone = old_zone.map(|z| z.name().to_owned()).unwrap_or_default();
                admin::check_event(&read_in_old).map(|mut c| {
                    c.zone = new_zone.expect("checked above");
                    c
                })
            } else {
                admin::check_event(&form)
            };
            let (network_id, c) = match (network_id, checked) {
                (Some(n), Ok(c)) => (n, c),
                (n, c) => {
                    let mut all = Vec::new();
                    if n.is_none() {
                        all.push(DomainError::new(
                            "network_id",
                            "Choose one of the listed networks.",
                        ));
                    }
                    all.extend(c.err().unwrap_or_default());
                    return Err(all.into());
                }
            };
            // Name the event that has the address, and the address itself: when
            // it was derived from the title, the field is empty and would not say.
            if let Some((other, href)) =
                super::store::slug_taken_by(&state.store, network_id, c.slug.as_str(), id).await?
            {
                let how = if form.slug.trim().is_empty() {
                    "The web address derived from the title"
                } else {
                    "This web address"
                };
                return Err(DomainError::new(
                    "slug",
                    format!(
                        "{how}, {href}, is already used by the event “{other}”. Type another web address name (for example with the year or place)."
                    ),
                )
                .into());
            }
            let event = NewEvent {
                network_id,
                slug: &c.slug,
                title: &c.title,
                kind: c.kind,
                status: EventStatus::Draft,
                summary: &c.summary,
                when: c.when,
                time_zone: c.zone,
                venue: &c.venue,
                online_link: c.online_link.as_deref(),
                chair_label: c.chair_label.as_deref(),
                capacity: c.capacity,
                delegation_quota: c.delegation_quota,
                registration_opens_at: c.registration_opens,
                registration_closes_at: c.registration_closes,
            };
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            let written = match &current {
                None => insert_event(&mut tx, &event, now).await,
                Some(_) => super::store::update_event(&mut tx, id, &event, now)
                    .await
                    .map(|()| id),
            };
            let saved = crate::error::ConflictAt::conflict_at(
                written,
                "slug",
                "Another event of this network already has this web address. Choose another.",
            )?;
            let entry = match &current {
                None => audit::Entry::new(Some(viewer.person_id), "event_created")
                    .on("event", saved)
                    .detail(format!("{} ({})", c.title, c.slug)),
                Some(before) => {
                    let mut changed = Vec::new();
                    if before.title != c.title {
                        changed.push(format!("title: {} → {}", before.title, c.title));
                    }
                    if before.slug != c.slug.as_str() {
                        changed.push(format!("slug: {} → {}", before.slug, c.slug));
                    }
                    if before.network_id != network_id {
                        changed.push(format!("network: {} → {network_id}", before.network_id));
                    }
                    let before_zone = crate::platform::localtime::parse_zone(&before.time_zone)
                        .unwrap_or(chrono_tz::UTC);
                    if before_zone != c.zone {
                        changed.push(format!(
                            "time zone: {} → {} ({})",
                            before_zone.name(),
                            c.zone.name(),
                            if keep_instant { "kept the moment" } else { "kept the clock times" }
                        ));
                    }
                    for (what, old, new) in [
                        ("starts", before.starts_at, c.when.start()),
                        ("ends", before.ends_at, c.when.end()),
                    ] {
                        if old != new || before_zone != c.zone {
                            changed.push(format!(
                                "{what}: {} → {}",
                                admin::audit_time(old, before_zone),
                                admin::audit_time(new, c.zone)
                            ));
                        }
                    }
                    audit::Entry::new(Some(viewer.person_id), "event_updated")
                        .on("event", saved)
                        .detail(if changed.is_empty() {
                            "details".to_owned()
                        } else {
                            changed.join("; ")
                        })
                }
            };
            audit::record(&mut tx, entry, now).await?;
            // More places (or no limit any more): the first waiting are confirmed,
            // in order, each told by mail. The update above holds the event's lock.
            let mut promoted = 0;
            if current.is_some() {
                let domain = state.mailer.settings().message_id_domain();
                let record = super::store::event_record_in(&mut tx, saved).await?;
                while let Some(person) =
                    crate::registration::store::promote_first(&mut tx, saved, now).await?
                {
                    let (name, address) =
                        crate::registration::store::person_contact(&mut tx, person).await?;
                    let mail = crate::invitations::api::server::registration_mail(
                        &state,
                        &record,
                        person,
                        &name,
                        &address,
                        crate::invitations::api::server::RegistrationMail::Promoted,
                    )?;
                    crate::platform::mail::outbox::enqueue(&mut tx, &mail, &domain, now).await?;
                    audit::record(
                        &mut tx,
                        audit::Entry::new(Some(viewer.person_id), "registration_promoted")
                            .on("person", person)
                            .detail(format!("event {saved}: more places")),
                        now,
                    )
                    .await?;
                    promoted += 1;
                }
            }
            // A published meeting whose times, venue or title changed: everyone
            // invited gets the update, their calendar entry with it.
            let mut updates = 0;
            if current.as_ref().is_some_and(|b| {
                b.status == EventStatus::Published.as_str()
                    && (b.starts_at != c.when.start()
                        || b.ends_at != c.when.end()
                        || b.venue != c.venue
                        || b.title != c.title)
            }) {
                // As updated, its calendar SEQUENCE raised by the update.
                updates = crate::invitations::api::server::tell_calendar_recipients(
                    &mut tx, &state, saved, false, now,
                )
                .await?;
            }
            // A new online link reaches every confirmed participant (only they get it).
            let mut links = 0;
            if current.as_ref().is_some_and(|b| {
                b.status == EventStatus::Published.as_str()
                    && c.online_link.is_some()
                    && b.online_link != c.online_link
            }) {
                let after = super::store::event_record_in(&mut tx, saved).await?;
                let domain = state.mailer.settings().message_id_domain();
                for (person, name, address, confirmed) in
                    crate::invitations::store::calendar_recipients(&mut tx, saved).await?
                {
                    if confirmed {
                        let mail = crate::invitations::api::server::online_link_mail(
                            &after, person, &name, &address,
                        )?;
                        crate::platform::mail::outbox::enqueue(&mut tx, &mail, &domain, now)
                            .await?;
                        links += 1;
                    }
                }
            }
            tx.commit().await?;
            if updates > 0 || promoted > 0 || links > 0 {
                state.mailer.wake();
            }
            let mut notice = "Saved.".to_owned();
            if updates > 0 {
                notice.push_str(&format!(
                    " {} about the change, with their calendar entry updated.",
                    crate::ui::count_sentence(updates, "invitee is told", "invitees are told")
                ));
            }
            if links > 0 {
                notice.push_str(&format!(
                    " {} the new online link.",
                    crate::ui::count_sentence(links, "participant gets", "participants get")
                ));
            }
            if promoted > 0 {
                notice.push_str(&format!(
                    " {} from the waiting list to the new places, and told.",
                    crate::ui::count_sentence(promoted, "person moved", "people moved")
                ));
            }
            Ok(forms::Done::to(admin::page(saved)).with_notice(notice))
        },
    )
    .await
}

/// Moves an event to another status: draft → published, published → cancelled or
/// closed, cancelled → draft. Anything else is refused at the `status` field.
#[server(prefix = "/api/admin", endpoint = "set_event_status")]
pub async fn set_event_status(
    id: i64,
    #[server(flatten)] form: super::EventStatusForm,
) -> Result<(), AppError> {
    use super::status_changes;
    use crate::domain::{DomainError, EventStatus};
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let status = form.status.clone();
    forms::submit(
        Action::Administer,
        &form,
        admin::page(id),
        async |state, viewer| {
            let current = super::store::event_record(&state.store, id).await?;
            let from = EventStatus::parse(&current.status).map_err(|_| {
                AppError::internal(anyhow::anyhow!("event {id} has an invalid status"))
            })?;
            let to = EventStatus::parse(status.trim())?;
            if super::status_change_needs_confirmation(to) && form.confirmed != "yes" {
                return Err(DomainError::new(
                    "status",
                    format!(
                        "Confirm first: use the button “{}” and then confirm.",
                        super::status_change_label(to)
                    ),
                )
                .into());
            }
            if !status_changes(from).contains(&to) {
                return Err(DomainError::new(
                    "status",
                    format!(
                        "A {} event cannot become {}.",
                        from.label().to_lowercase(),
                        to.label().to_lowercase()
                    ),
                )
                .into());
            }
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            if !super::store::change_status(&mut tx, id, from, to, now).await? {
                return Err(AppError::Conflict(
                    "The event changed meanwhile. Look at its status again and retry.".to_owned(),
                ));
            }
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "event_status_changed")
                    .on("event", id)
                    .detail(format!("{} → {}", from.as_str(), to.as_str())),
                now,
            )
            .await?;
            // A cancelled meeting leaves the calendar of everyone still invited or
            // registered, in the same transaction as the cancellation.
            let told = if to == EventStatus::Cancelled {
                crate::invitations::api::server::tell_calendar_recipients(
                    &mut tx, &state, id, true, now,
                )
                .await?
            } else {
                0
            };
            tx.commit().await?;
            let notice = match to {
                EventStatus::Published => "The event is published.".to_owned(),
                EventStatus::Cancelled if told == 0 => "The event is cancelled.".to_owned(),
                EventStatus::Cancelled => format!(
                    "The event is cancelled. {} told, the meeting taken out of their calendar.",
                    crate::ui::count_sentence(
                        told,
                        "person invited or registered is",
                        "people invited or registered are"
                    )
                ),
                EventStatus::Closed => "The event is closed.".to_owned(),
                EventStatus::Draft => {
                    "The event is a draft again; only the secretariat sees it.".to_owned()
                }
            };
            Ok(forms::Done::to(admin::page(id)).with_notice(notice))
        },
    )
    .await
}

/// Deletes a draft event (confirmed on its page first): it goes with its chairs
/// and organisers; the audit log keeps its title.
#[server(prefix = "/api/admin", endpoint = "delete_event")]
pub async fn delete_event(
    id: i64,
    #[server(flatten)] form: super::EventDeleteForm,
) -> Result<(), AppError> {
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    forms::submit(
        Action::Administer,
        &form,
        admin::page(id),
        async |state, viewer| {
            let event = super::store::event_record(&state.store, id).await?;
            if form.confirmed != "yes" {
                return Err(AppError::Conflict(
                    "Confirm first: use “Delete the draft” and then confirm.".into(),
                ));
            }
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            if !super::store::delete_draft(&mut tx, id).await? {
                return Err(AppError::Conflict(
                    "Only a draft can be deleted; this event is no longer one.".into(),
                ));
            }
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "event_deleted")
                    .on("event", id)
                    .detail(format!("{} ({})", event.title, event.slug)),
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(forms::Done::to("/admin/events")
                .with_notice(format!("The draft “{}” is deleted.", event.title)))
        },
    )
    .await
}

/// Makes the person with this address a chair or an organiser of the event.
#[server(prefix = "/api/admin", endpoint = "add_event_person")]
pub async fn add_event_person(
    event_id: i64,
    #[server(flatten)] form: super::EventPersonForm,
) -> Result<(), AppError> {
    use crate::domain::DomainError;
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let (email, role) = (form.email.clone(), form.role.clone());
    forms::submit(
        Action::Administer,
        &form,
        admin::page(event_id),
        async |state, viewer| {
            let event = super::store::event_record(&state.store, event_id).await?;
            if email.trim().is_empty() {
                return Err(DomainError::new("email", "Enter the person's email address.").into());
            }
            let Some((person_id, name, address)) =
                crate::accounts::store::person_by_email(&state.store, &email).await?
            else {
                return Err(DomainError::new(
                    "email",
                    "No person with this email address is known to Convene. Check the address.",
                )
                .into());
            };
            let Ok(event_role) = crate::domain::EventRole::parse(role.trim()) else {
                return Err(DomainError::new("role", "Choose one of the listed roles.").into());
            };
            let label = event_role.label().to_lowercase();
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            let added =
                super::store::add_event_role(&mut tx, event_id, person_id, event_role).await?;
            if added {
                // The person is named by id only: erasing them later must not leave
                // their name behind in an entry about the event.
                audit::record(
                    &mut tx,
                    audit::Entry::new(Some(viewer.person_id), "event_role_added")
                        .on("event", event_id)
                        .detail(format!("{role}: person {person_id}")),
                    now,
                )
                .await?;
                let mail = admin::role_mail(
                    &event,
                    event_role,
                    person_id,
                    &name,
                    &address,
                    &viewer.name,
                    &state.security.link(&format!("/events/{event_id}/manage")),
                    state.mailer.settings().from.email.as_ref(),
                )?;
                crate::platform::mail::outbox::enqueue(
                    &mut tx,
                    &mail,
                    &state.mailer.settings().message_id_domain(),
                    now,
                )
                .await?;
            }
            tx.commit().await?;
            if added {
                state.mailer.wake();
            }
            Ok(
                forms::Done::to(admin::page(event_id)).with_notice(if added {
                    format!("{name} is now {} of this event.", with_article(&label))
                } else {
                    format!("{name} already was {} of this event.", with_article(&label))
                }),
            )
        },
    )
    .await
}

/// Takes a role in the event away from a person.
#[server(prefix = "/api/admin", endpoint = "remove_event_person")]
pub async fn remove_event_person(
    event_id: i64,
    person_id: i64,
    #[server(flatten)] form: super::EventPersonRemoveForm,
) -> Result<(), AppError> {
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let role = form.role.clone();
    forms::submit(
        Action::Administer,
        &form,
        admin::page(event_id),
        async |state, viewer| {
            super::store::event_record(&state.store, event_id).await?;
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            let removed =
                super::store::remove_event_role(&mut tx, event_id, person_id, &role).await?;
            if removed {
                audit::record(
                    &mut tx,
                    audit::Entry::new(Some(viewer.person_id), "event_role_removed")
                        .on("event", event_id)
                        .detail(format!("{role}: person {person_id}")),
                    now,
                )
                .await?;
            }
            tx.commit().await?;
            Ok(
                forms::Done::to(admin::page(event_id)).with_notice(if removed {
                    "Removed."
                } else {
                    "That person no longer had this role."
                }),
            )
        },
    )
    .await
}

#[cfg(feature = "ssr")]
fn with_article(label: &str) -> String {
    match label.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {label}"),
        _ => format!("a {label}"),
    }
}
