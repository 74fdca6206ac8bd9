//! Server functions of invitations and of registering through a personal link.
use super::{
    CancelRegistrationForm, DeclineForm, InvitationsData, InviteForm, InvitePersonForm,
    RegistrationForm, RemindForm, RevokeForm,
};
use crate::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod server {
    use super::super::{InvitationView, PRIVACY_NOTICE_VERSION};
    use crate::domain::{DomainError, EventStatus, Problems};
    use crate::events::store::EventRecord;
    use crate::platform::localtime;
    use crate::platform::mail::outbox::{MailSecret, SECRET_MARKER};
    use crate::platform::mail::template::{one_line, Block, Email};
    use crate::platform::mail::NewMail;
    use crate::platform::AppState;
    use crate::registration::store::{RegistrationInput, Standing};
    use crate::AppError;
    use chrono::{DateTime, Duration, Utc};

    pub fn zone(e: &EventRecord) -> chrono_tz::Tz {
        localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC)
    }

    /// The organisers' page of invitations.
    pub fn page(event_id: i64) -> String {
        format!("/events/{event_id}/invitations")
    }

    /// The invitee's page.
    pub fn guest_page(event_id: i64) -> String {
        format!("/guest/events/{event_id}")
    }

    /// Why registration is not open at `now`, if it is not: before the window, after
    /// it, or (without a closing date) once the event has started.
    pub fn registration_closed(e: &EventRecord, now: DateTime<Utc>) -> Option<String> {
        let z = zone(e);
        if let Some(o) = e.registration_opens_at.filter(|o| *o > now) {
            return Some(format!(
                "Registration opens {}.",
                localtime::date_time(o, z)
            ));
        }
        let closes = e.registration_closes_at.unwrap_or(e.starts_at);
        if closes <= now {
            return Some(format!(
                "Registration closed on {}.",
                localtime::date_time(closes, z)
            ));
        }
        None
    }

    /// How long a personal link works: until registration closes (or the event
    /// ends), and at least a day.
    pub fn link_validity(e: &EventRecord, now: DateTime<Utc>) -> Duration {
        let until = e.registration_closes_at.unwrap_or(e.ends_at);
        (until - now).max(Duration::days(1))
    }

    /// A standing in words, for pages and mails.
    pub fn standing_text(s: Standing) -> String {
        match s {
            Standing::Confirmed => "You are registered.".to_owned(),
            Standing::Waitlisted(p) => format!(
                "All places are taken: you are on the waiting list, at position {p}. If a place becomes free, you get it and a message."
            ),
            Standing::Cancelled => "Your registration is cancelled.".to_owned(),
            Standing::Pending => "Your registration is received and waits for the organisers' approval; you get a message when they decide.".to_owned(),
            Standing::Rejected => "The organisers have declined your registration.".to_owned(),
        }
    }

    /// The person with this address (any case), seen from the caller's
    /// transaction: (id, name, address).
    pub async fn person_in(
        tx: &mut crate::platform::db::Tx<'_>,
        address: &str,
    ) -> Result<Option<(i64, String, String)>, AppError> {
        Ok(crate::on_tx!(tx, conn => {
            sqlx::query_as("SELECT id, full_name, email FROM people WHERE lower(email) = lower($1)")
                .bind(address)
                .fetch_optional(conn)
                .await
                .map_err(crate::platform::StoreError::from)?
        }))
    }

    /// Adds a guest (someone without an account) to the directory on behalf of
    /// `by`, with the audit entry saying why, in the caller's transaction. An
    /// address added meanwhile by someone else is a conflict the sender can retry.
    pub async fn add_guest(
        tx: &mut crate::platform::db::Tx<'_>,
        by: i64,
        guest: &crate::directory::store::PersonInput<'_>,
        why: String,
        now: DateTime<Utc>,
    ) -> Result<i64, AppError> {
        use crate::platform::audit;
        let id = crate::directory::store::create_person(tx, guest, now)
            .await
            .map_err(|e| match e {
                crate::platform::StoreError::Conflict(_) => AppError::Conflict(
                    "Someone added this address meanwhile; send the form again.".into(),
                ),
                other => other.into(),
            })?;
        audit::record(
            tx,
            audit::Entry::new(Some(by), "person_created")
                .on("person", id)
                .detail(why),
            now,
        )
        .await?;
        Ok(id)
    }

    /// Which message carries a fresh personal link.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum LinkMail {
        Invitation,
        /// A reminder of an unanswered invitation (at most one a day a person).
        Reminder,
        /// Registered by their delegation's head: where the registration stands.
        Delegated(Standing),
    }

    /// Gives a person a fresh personal link and queues the mail that carries it
    /// (an invitation, a reminder of one, or the news that their delegation's head
    /// registered them), in the caller's transaction. `inviter` is who invites or
    /// registers them.
    #[allow(clippy::too_many_arguments)]
    pub async fn send_link_mail(
        tx: &mut crate::platform::db::Tx<'_>,
        state: &AppState,
        e: &EventRecord,
        person: i64,
        name: &str,
        address: &str,
        inviter: &str,
        what: LinkMail,
    ) -> Result<(), AppError> {
        use crate::platform::guests::{issue_link, GuestAction};
        let now = state.clock.now();
        let valid = link_validity(e, now);
        let (scope, delegated): (&[GuestAction], _) = match what {
            // Registered already: nothing to answer, only to see and change.
            LinkMail::Delegated(s) => (&[GuestAction::View, GuestAction::Register], Some(s)),
            _ => (
                &[
                    GuestAction::View,
                    GuestAction::Respond,
                    GuestAction::Register,
                ],
                None,
            ),
        };
        let token = issue_link(tx, person, e.id, scope, valid, now).await?;
        let mut mail = invitation_mail(
            state,
            e,
            person,
            name,
            address,
            inviter,
            token,
            now + valid,
            delegated,
        )?;
        if what == LinkMail::Reminder {
            // One reminder a day at most reaches a person, however often it is asked.
            mail.dedupe_key = format!("invitation-reminder:{}:{person}:{}", e.id, now.date_naive());
            mail.kind = "invitation_reminder".into();
            mail.content.subject = format!("Reminder: {}", mail.content.subject);
        }
        crate::platform::mail::outbox::enqueue(
            tx,
            &mail,
            &state.mailer.settings().message_id_domain(),
            now,
        )
        .await?;
        Ok(())
    }

    /// The message to a confirmed participant that the online meeting's link
    /// changed, with the new link.
    pub fn online_link_mail(
        e: &EventRecord,
        person_id: i64,
        name: &str,
        address: &str,
    ) -> Result<NewMail, DomainError> {
        let link = e.online_link.clone().unwrap_or_default();
        Ok(NewMail {
            dedupe_key: format!(
                "online-link:{}:{person_id}:{}",
                e.id,
                &crate::platform::auth::hash_secret(&link)[..16]
            ),
            kind: "online_link_changed".into(),
            event_id: Some(e.id),
            person_id: Some(person_id),
            recipient: crate::domain::EmailAddress::parse(address)?,
            recipient_name: Some(name.to_owned()),
            content: Email {
                subject: format!("New online link: {}", one_line(&e.title)),
                greeting: Some(format!("Dear {},", one_line(name))),
                blocks: vec![
                    Block::Paragraph(
                        "The organisers have changed the link to join the meeting online. The earlier link no longer applies."
                            .into(),
                    ),
                    Block::Link {
                        label: "Join online (the meeting's link, for participants only)".into(),
                        url: link,
                    },
                ],
                reason: "You are registered for this meeting in Convene.".into(),
            }
            .render(),
            calendar: None,
            attachments: vec![],
            secret: None,
        })
    }

    /// The `text/calendar` part of a message about the event to one person: a
    /// REQUEST (with their answer so far) or a CANCEL, with the event's stable UID
    /// and its current SEQUENCE, so calendar programs add, update or remove the
    /// one meeting.
    pub fn calendar_part(
        state: &AppState,
        e: &EventRecord,
        attendee: (&str, &str),
        part: crate::calendar::ics::PartStat,
        method: &str,
    ) -> (String, String) {
        use crate::calendar::ics::{calendar, Entry, Header, Method, Status};
        let (organizer, organizer_address) = crate::calendar::feeds::organizer(state);
        let public = EventStatus::parse(&e.status).is_ok_and(|s| s.is_public());
        let url = public.then(|| {
            state
                .security
                .link(&crate::events::event_href(&e.network_slug, &e.slug))
        });
        let cancel = method == "CANCEL";
        let ics = calendar(
            if cancel {
                Method::Cancel
            } else {
                Method::Request
            },
            &Header {
                organizer: Some((&organizer, &organizer_address)),
                ..Header::default()
            },
            &[Entry {
                // The same UID and SEQUENCE as the event has in every feed.
                uid: crate::calendar::feeds::event_uid(state, e.id),
                sequence: e.calendar_sequence,
                stamp: state.clock.now(),
                modified: None,
                starts: e.starts_at,
                ends: e.ends_at,
                zone: Some(zone(e)),
                summary: e.title.clone(),
                location: e.venue.clone(),
                description: String::new(),
                url,
                attendee: Some((attendee.0.to_owned(), attendee.1.to_owned(), part)),
                status: if cancel {
                    Status::Cancelled
                } else {
                    Status::Confirmed
                },
                category: None,
            }],
        );
        (method.to_owned(), ics)
    }

    /// What happened to a meeting that everyone invited or registered is told of.
    #[derive(Clone, Copy)]
    pub enum MeetingChange {
        /// Its times, venue or title changed: an updated REQUEST, with the
        /// person's answer so far.
        Updated(crate::calendar::ics::PartStat),
        /// It is cancelled: a CANCEL.
        Cancelled,
    }

    /// Tells everyone still invited or registered for event `event_id` that it
    /// changed (an updated REQUEST with their answer so far: accepted for a
    /// confirmed place) or is cancelled (a CANCEL), inside the changing
    /// transaction, from the event as it now stands (its SEQUENCE raised).
    /// Returns how many were told.
    pub async fn tell_calendar_recipients(
        tx: &mut crate::platform::db::Tx<'_>,
        state: &AppState,
        event_id: i64,
        cancelled: bool,
        now: DateTime<Utc>,
    ) -> Result<i64, AppError> {
        use crate::calendar::ics::PartStat;
        let after = crate::events::store::event_record_in(tx, event_id).await?;
        let mut mails = Vec::new();
        for (person, name, address, confirmed) in
            crate::invitations::store::calendar_recipients(tx, event_id).await?
        {
            let change = match (cancelled, confirmed) {
                (true, _) => MeetingChange::Cancelled,
                (false, true) => MeetingChange::Updated(PartStat::Accepted),
                (false, false) => MeetingChange::Updated(PartStat::NeedsAction),
            };
            mails.push(change_mail(state, &after, person, &name, &address, change)?);
        }
        let domain = state.mailer.settings().message_id_domain();
        crate::platform::mail::outbox::enqueue_many(tx, &mails, &domain, now).await?;
        Ok(mails.len() as i64)
    }

    /// The message that a meeting changed or is cancelled, with the calendar part
    /// that updates or removes it in the person's calendar (its SEQUENCE raised by
    /// the change), one per person and SEQUENCE.
    pub fn change_mail(
        state: &AppState,
        e: &EventRecord,
        person_id: i64,
        name: &str,
        address: &str,
        change: MeetingChange,
    ) -> Result<NewMail, DomainError> {
        let z = zone(e);
        let (key, kind, subject, said, facts, part, method) = match change {
            MeetingChange::Updated(part) => (
                "event-update",
                "event_updated",
                "Changed",
                "The meeting you were invited to has changed. This is how it stands now; your calendar is updated with this message.",
                vec![
                    ("Starts".into(), localtime::date_time(e.starts_at, z)),
                    ("Ends".into(), localtime::date_time(e.ends_at, z)),
                ],
                part,
                "REQUEST",
            ),
            MeetingChange::Cancelled => (
                "event-cancel",
                "event_cancelled",
                "Cancelled",
                "The meeting you were invited to is cancelled. It is taken out of your calendar with this message.",
                vec![("Was to start".into(), localtime::date_time(e.starts_at, z))],
                crate::calendar::ics::PartStat::Declined,
                "CANCEL",
            ),
        };
        let mut all_facts = vec![("Event".into(), e.title.clone())];
        all_facts.extend(facts);
        all_facts.push(("Venue".into(), e.venue.clone()));
        Ok(NewMail {
            dedupe_key: format!("{key}:{}:{person_id}:{}", e.id, e.calendar_sequence),
            kind: kind.into(),
            event_id: Some(e.id),
            person_id: Some(person_id),
            recipient: crate::domain::EmailAddress::parse(address)?,
            recipient_name: Some(name.to_owned()),
            content: Email {
                subject: format!("{subject}: {}", one_line(&e.title)),
                greeting: Some(format!("Dear {},", one_line(name))),
                blocks: vec![Block::Paragraph(said.into()), Block::Facts(all_facts)],
                reason: "You were invited to this meeting in Convene.".into(),
            }
            .render(),
            calendar: Some(calendar_part(state, e, (name, address), part, method)),
            attachments: vec![],
            secret: None,
        })
    }

    /// The invitation mail: who invites, what and when, and the personal link
    /// (its token put in only at delivery).
    #[allow(clippy::too_many_arguments)]
    pub fn invitation_mail(
        state: &AppState,
        e: &EventRecord,
        person_id: i64,
        name: &str,
        address: &str,
        inviter: &str,
        token: String,
        expires_at: DateTime<Utc>,
        delegated: Option<Standing>,
    ) -> Result<NewMail, DomainError> {
        let z = zone(e);
        let link = state.security.link(&format!("/guest/{SECRET_MARKER}"));
        let mut facts = vec![
            ("Event".to_owned(), e.title.clone()),
            (
                "Dates".to_owned(),
                localtime::date_span(e.starts_at, e.ends_at, z),
            ),
            ("Starts".to_owned(), localtime::date_time(e.starts_at, z)),
        ];
        if !e.venue.is_empty() {
            facts.push(("Venue".to_owned(), e.venue.clone()));
        }
        if let Some(w) = localtime::registration_window(
            e.registration_opens_at,
            e.registration_closes_at,
            z,
            state.clock.now(),
        ) {
            facts.push(("Registration".to_owned(), w));
        }
        let (kind, subject, opening, label, part) = match delegated {
            None => (
                "invitation",
                format!("Invitation: {}", one_line(&e.title)),
                format!(
                    "{} invites you to {}.",
                    one_line(inviter),
                    one_line(&e.title)
                ),
                "Answer the invitation",
                crate::calendar::ics::PartStat::NeedsAction,
            ),
            Some(s) => (
                "delegation_registered",
                format!("Registered: {}", one_line(&e.title)),
                format!(
                    "{} has registered you for {} as part of your Member State's delegation. {}",
                    one_line(inviter),
                    one_line(&e.title),
                    standing_text(s)
                ),
                "See your registration",
                if s == Standing::Confirmed {
                    crate::calendar::ics::PartStat::Accepted
                } else {
                    crate::calendar::ics::PartStat::Tentative
                },
            ),
        };
        Ok(NewMail {
            // One message per link: a new invitation (after a revocation) is sent.
            dedupe_key: format!(
                "{kind}:{}:{person_id}:{}",
                e.id,
                &crate::platform::auth::hash_secret(&token)[..16]
            ),
            kind: kind.into(),
            event_id: Some(e.id),
            person_id: Some(person_id),
            recipient: crate::domain::EmailAddress::parse(address)?,
            recipient_name: Some(name.to_owned()),
            content: Email {
                subject,
                greeting: Some(format!("Dear {},", one_line(name))),
                blocks: vec![
                    Block::Paragraph(opening),
                    Block::Facts(facts),
                    Block::Link {
                        label: label.into(),
                        url: link,
                    },
                    Block::Paragraph(format!(
                        "The link is yours alone and needs no account: it opens your invitation, where you {}. It works until {}. Please do not forward it.",
                        if delegated.is_some() {
                            "answer the organisers' questions, tell them your needs, or cancel"
                        } else {
                            "register or decline"
                        },
                        localtime::date_time(expires_at, z)
                    )),
                ],
                reason: "You were invited to a meeting of your network in Convene.".into(),
            }
            .render(),
            calendar: Some(calendar_part(state, e, (name, address), part, "REQUEST")),
            attachments: vec![],
            secret: Some(MailSecret { token, expires_at }),
        })
    }

    /// The message after a change to a registration; a confirmed place comes with
    /// the calendar REQUEST marked accepted, a cancellation with a CANCEL.
    pub fn registration_mail(
        state: &AppState,
        e: &EventRecord,
        person_id: i64,
        name: &str,
        address: &str,
        what: RegistrationMail,
    ) -> Result<NewMail, DomainError> {
        let z = zone(e);
        let (kind, subject, text) = match what {
            RegistrationMail::Received(Standing::Confirmed) => (
                "registration_confirmed",
                format!("Registered: {}", one_line(&e.title)),
                "Your registration is confirmed: a place is yours.".to_owned(),
            ),
            RegistrationMail::Received(Standing::Waitlisted(p)) => (
                "registration_waitlisted",
                format!("Waiting list: {}", one_line(&e.title)),
                format!("All places are taken, so you are on the waiting list, at position {p}. When a place becomes free it goes to the first on the list, and you are told by mail."),
            ),
            RegistrationMail::Promoted => (
                "registration_promoted",
                format!("A place is yours: {}", one_line(&e.title)),
                "A place became free and it is yours: your registration is confirmed.".to_owned(),
            ),
            RegistrationMail::Received(Standing::Cancelled) | RegistrationMail::Cancelled => (
                "registration_cancelled",
                format!("Registration cancelled: {}", one_line(&e.title)),
                "Your registration is cancelled, and your place goes to the next person waiting.".to_owned(),
            ),
            RegistrationMail::Received(Standing::Pending) => (
                "registration_received",
                format!("Registration received: {}", one_line(&e.title)),
                "Your registration is received. The organisers approve the registrations for this meeting; you get a message when they have decided.".to_owned(),
            ),
            RegistrationMail::Approved(Standing::Waitlisted(p)) => (
                "registration_approved",
                format!("Registration approved: {}", one_line(&e.title)),
                format!("The organisers have approved your registration. All places are taken, so you are on the waiting list, at position {p}; when a place becomes free it goes to the first on the list, and you are told by mail."),
            ),
            RegistrationMail::Approved(_) => (
                "registration_approved",
                format!("Registration approved: {}", one_line(&e.title)),
                "The organisers have approved your registration: a place is yours.".to_owned(),
            ),
            RegistrationMail::Received(Standing::Rejected) | RegistrationMail::Rejected(_) => (
                "registration_rejected",
                format!("Registration declined: {}", one_line(&e.title)),
                "The organisers have declined your registration for this meeting.".to_owned(),
            ),
            RegistrationMail::CancelledByOrganisers(_) => (
                "registration_cancelled",
                format!("Registration cancelled: {}", one_line(&e.title)),
                "The organisers have cancelled your registration for this meeting.".to_owned(),
            ),
        };
        let mut blocks = vec![Block::Paragraph(text)];
        if let RegistrationMail::Rejected(m) | RegistrationMail::CancelledByOrganisers(m) = &what {
            if !m.is_empty() {
                blocks.push(Block::Paragraph(format!("Their message: {m}")));
            }
        }
        Ok(NewMail {
            dedupe_key: format!("{kind}:{}:{person_id}:{}", e.id, uuid::Uuid::new_v4().simple()),
            kind: kind.into(),
            event_id: Some(e.id),
            person_id: Some(person_id),
            recipient: crate::domain::EmailAddress::parse(address)?,
            recipient_name: Some(name.to_owned()),
            content: Email {
                subject,
                greeting: Some(format!("Dear {},", one_line(name))),
                blocks: {
                    blocks.push(Block::Facts(vec![
                        ("Event".into(), e.title.clone()),
                        ("Starts".into(), localtime::date_time(e.starts_at, z)),
                        ("Venue".into(), e.venue.clone()),
                    ]));
                    // A confirmed place comes with the online meeting's link, which
                    // only participants receive.
                    if let (Some(link), true) = (
                        &e.online_link,
                        matches!(
                            what,
                            RegistrationMail::Received(Standing::Confirmed)
                                | RegistrationMail::Approved(Standing::Confirmed)
                                | RegistrationMail::Promoted
                        ),
                    ) {
                        blocks.push(Block::Link {
                            label: "Join online (the meeting's link, for participants only)".into(),
                            url: link.clone(),
                        });
                    }
                    blocks.push(Block::Paragraph(
                        "Your registration is on your account page, and on the page of your personal link if you have one; you can change it or cancel there."
                            .into(),
                    ));
                    blocks
                },
                reason: "You registered for a meeting in Convene.".into(),
            }
            .render(),
            calendar: match what {
                RegistrationMail::Received(Standing::Confirmed)
                | RegistrationMail::Approved(Standing::Confirmed)
                | RegistrationMail::Promoted => {
                    Some(calendar_part(state, e, (name, address), crate::calendar::ics::PartStat::Accepted, "REQUEST"))
                }
                RegistrationMail::Cancelled
                | RegistrationMail::CancelledByOrganisers(_)
                | RegistrationMail::Rejected(_)
                | RegistrationMail::Received(Standing::Cancelled | Standing::Rejected) => {
                    Some(calendar_part(state, e, (name, address), crate::calendar::ics::PartStat::Declined, "CANCEL"))
                }
                RegistrationMail::Received(Standing::Waitlisted(_) | Standing::Pending)
                | RegistrationMail::Approved(_) => None,
            },
            attachments: vec![],
            secret: None,
        })
    }

    #[derive(Debug, Clone)]
    pub enum RegistrationMail {
        Received(Standing),
        Promoted,
        Cancelled,
        /// The organisers approved a registration that waited: where it stands now.
        Approved(Standing),
        /// The organisers declined it, with their message.
        Rejected(String),
        /// The organisers cancelled it, with their message.
        CancelledByOrganisers(String),
    }

    /// Checks a registration form: the privacy notice agreed to, attendance one of
    /// the offered modes, short texts.
    pub fn check_registration(
        f: &super::RegistrationForm,
        online_offered: bool,
    ) -> Result<(bool, String, String, bool), Vec<DomainError>> {
        let mut p = Problems::new();
        let online = match f.attendance.as_str() {
            "" | "in_person" => false,
            "online" if online_offered => true,
            _ => {
                p.add(DomainError::new(
                    "attendance",
                    "Choose how you will attend: in person, or online where it is offered.",
                ));
                false
            }
        };
        let dietary = p
            .check(crate::domain::optional_text("dietary", &f.dietary, 300))
            .unwrap_or_default();
        let accessibility = p
            .check(crate::domain::optional_text(
                "accessibility",
                &f.accessibility,
                300,
            ))
            .unwrap_or_default();
        if f.privacy != "yes" {
            p.add(DomainError::new(
                "privacy",
                "To register, agree to the privacy notice (tick the box).",
            ));
        }
        p.done()?;
        Ok((online, dietary, accessibility, f.list_consent == "yes"))
    }

    /// What a person registers with, checked: (online, dietary, accessibility,
    /// list consent) and the answers to the event's questions.
    pub struct Checked {
        pub online: bool,
        pub dietary: String,
        pub accessibility: String,
        pub list_consent: bool,
        pub answers: Vec<(i64, String)>,
    }

    /// Checks the whole registration form, the event's questions included; every
    /// problem is named at its field.
    pub async fn check_form(
        state: &AppState,
        e: &EventRecord,
        f: &super::RegistrationForm,
    ) -> Result<Checked, AppError> {
        let questions = crate::registration::questions::store::list(&state.store, e.id).await?;
        check_form_against(&questions, e, f)
    }

    /// [`check_form`] with the event's questions at hand.
    pub fn check_form_against(
        questions: &[crate::registration::questions::Question],
        e: &EventRecord,
        f: &super::RegistrationForm,
    ) -> Result<Checked, AppError> {
        let base = check_registration(f, e.online_link.is_some());
        let answers = crate::registration::questions::check_answers(questions, &f.answers);
        match (base, answers) {
            (Ok((online, dietary, accessibility, list_consent)), Ok(answers)) => Ok(Checked {
                online,
                dietary,
                accessibility,
                list_consent,
                answers,
            }),
            (base, answers) => {
                let mut errors = base.err().unwrap_or_default();
                errors.extend(answers.err().unwrap_or_default());
                Err(errors.into())
            }
        }
    }

    /// How a person reaches an event's registration page.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Access {
        /// Invited (by link, or signed in as the invitee).
        Invited,
        /// A signed-in member of the network, where the event is open to their
        /// category, or who registered before.
        Member,
        /// A National Contact Point who may register their delegation only.
        DelegationHead,
    }

    /// Who may see and use an event's registration page for `action`: an invitee
    /// (their link, or their account); a signed-in member of the event's network
    /// whose category the event is open to, or who holds a registration for it;
    /// a National Contact Point where the event has places per delegation (to
    /// view the page and register colleagues). Anyone else is refused as the
    /// policy refuses.
    pub async fn participant(
        event_id: i64,
        action: crate::platform::guests::GuestAction,
    ) -> Result<(AppState, crate::platform::auth::Viewer, EventRecord, Access), AppError> {
        use crate::platform::guests::GuestAction;
        use crate::platform::policy::{may, require, Action, Categories};
        let state = AppState::current()?;
        let viewer = crate::platform::auth::current_viewer().await?;
        let as_guest = Action::ActAsGuest {
            event_id: crate::ids::EventId(event_id),
            action,
        };
        if may(viewer.as_ref(), as_guest) {
            let v = viewer.expect("allowed");
            let e = crate::events::store::event_record(&state.store, event_id).await?;
            return Ok((state, v, e, Access::Invited));
        }
        let v = match viewer {
            Some(v) if !v.is_guest() => v,
            other => {
                return Err(require(other, as_guest)
                    .err()
                    .unwrap_or(AppError::Forbidden))
            }
        };
        let e = match crate::events::store::event_record(&state.store, event_id).await {
            Err(crate::platform::StoreError::NotFound) => return Err(AppError::NotFound),
            other => other?,
        };
        if EventStatus::parse(&e.status).ok() != Some(EventStatus::Published) {
            return Err(AppError::NotFound);
        }
        let network_id = crate::ids::NetworkId(e.network_id);
        let open = may(
            Some(&v),
            Action::RegisterAsMember {
                network_id,
                open_to: Categories::parse(&e.open_to),
            },
        );
        let registered = || async {
            let s = crate::registration::store::standing_now(&state.store, event_id, v.person_id)
                .await?;
            Ok::<_, AppError>(s.is_some())
        };
        let head = e.delegation_quota.is_some()
            && may(Some(&v), Action::RegisterDelegation { network_id });
        let access = match action {
            GuestAction::View | GuestAction::Register if open || registered().await? => {
                Access::Member
            }
            GuestAction::View if head => Access::DelegationHead,
            _ => {
                tracing::info!(
                    person = v.person_id,
                    event_id,
                    "refused: not invited, not open to them"
                );
                return Err(AppError::Forbidden);
            }
        };
        Ok((state, v, e, access))
    }

    /// Registers a person (through their link, their account, or their
    /// delegation's head), with their answers, the audit entry and the mail, in
    /// one transaction; answers with where the registration stands.
    #[allow(clippy::too_many_arguments)]
    pub async fn register(
        state: &AppState,
        tx: &mut crate::platform::db::Tx<'_>,
        e: &EventRecord,
        person_id: i64,
        name: &str,
        address: &str,
        checked: &Checked,
        registered_by: Option<(i64, &str)>,
    ) -> Result<Standing, AppError> {
        let one = Registrant {
            person_id,
            name,
            address,
            checked,
            registered_by,
            client: crate::platform::request::RequestInfo::current().client,
        };
        register_all(state, tx, e, std::slice::from_ref(&one))
            .await?
            .pop()
            .expect("one answer per person")
    }

    /// One person to register, with what they registered with.
    pub struct Registrant<'a> {
        pub person_id: i64,
        pub name: &'a str,
        pub address: &'a str,
        pub checked: &'a Checked,
        /// Who registered them when not themselves: their delegation's head, and
        /// the role given.
        pub registered_by: Option<(i64, &'a str)>,
        /// The client address of the request, for the audit entry.
        pub client: Option<String>,
    }

    /// Registers several people for one event inside `tx`, in the order given, as
    /// [`register`] one after the other would, with a constant number of
    /// statements whatever their number (see [`crate::platform::batch`]):
    /// each answered with where they stand, or why they were refused; a database
    /// error fails them all.
    pub async fn register_all(
        state: &AppState,
        tx: &mut crate::platform::db::Tx<'_>,
        e: &EventRecord,
        people: &[Registrant<'_>],
    ) -> Result<Vec<Result<Standing, AppError>>, AppError> {
        let now = state.clock.now();
        let inputs: Vec<(i64, RegistrationInput)> = people
            .iter()
            .map(|p| {
                (
                    p.person_id,
                    RegistrationInput {
                        online: p.checked.online,
                        dietary: &p.checked.dietary,
                        accessibility: &p.checked.accessibility,
                        privacy_version: PRIVACY_NOTICE_VERSION,
                        list_consent: p.checked.list_consent,
                        registered_by: p.registered_by.map(|(by, _)| by),
                        delegation_role: p.registered_by.map(|(_, role)| role).unwrap_or(""),
                    },
                )
            })
            .collect();
        let standings = crate::registration::store::register_many(tx, e.id, &inputs, now).await?;
        let placed: Vec<(&Registrant, Standing)> = people
            .iter()
            .zip(&standings)
            .filter_map(|(p, s)| s.as_ref().ok().map(|s| (p, *s)))
            .collect();
        // The mails are written on a thread of the blocking pool while the
        // answers, invitations and audit entries are stored: for a batch of
        // hundreds, writing them took 10 to 16 ms, and the event's lock is held
        // until the commit. The delegation's head is told on the page; the
        // colleague gets their link.
        let to_mail: Vec<(i64, String, String, Standing)> = placed
            .iter()
            .filter(|(p, _)| p.registered_by.is_none())
            .map(|(p, s)| (p.person_id, p.name.to_owned(), p.address.to_owned(), *s))
            .collect();
        let writing = {
            let (state, e) = (state.clone(), e.clone());
            tokio::task::spawn_blocking(move || {
                to_mail
                    .iter()
                    .map(|(person_id, name, address, standing)| {
                        registration_mail(
                            &state,
                            &e,
                            *person_id,
                            name,
                            address,
                            RegistrationMail::Received(*standing),
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
        };
        let answers: Vec<(i64, &[(i64, String)])> = placed
            .iter()
            .map(|(p, _)| (p.person_id, p.checked.answers.as_slice()))
            .collect();
        crate::registration::questions::store::save_answers_many(tx, e.id, &answers).await?;
        let ids: Vec<i64> = placed.iter().map(|(p, _)| p.person_id).collect();
        super::super::store::answer_many(tx, e.id, &ids, "accepted", None, now).await?;
        let entries: Vec<crate::platform::audit::Entry> = placed
            .iter()
            .map(|(p, standing)| crate::platform::audit::Entry {
                actor: Some(p.registered_by.map(|(by, _)| by).unwrap_or(p.person_id)),
                action: "registered",
                subject_kind: Some("event"),
                subject_id: Some(e.id),
                detail: Some(format!(
                    "{}{}",
                    p.registered_by
                        .map(|_| format!("person {}, by their delegation's head: ", p.person_id))
                        .unwrap_or_default(),
                    match standing {
                        Standing::Confirmed if p.checked.online => "confirmed, online".to_owned(),
                        Standing::Confirmed => "confirmed, in person".to_owned(),
                        Standing::Waitlisted(n) => format!("waiting list, position {n}"),
                        Standing::Pending => "awaiting approval".to_owned(),
                        Standing::Rejected => "declined".to_owned(),
                        Standing::Cancelled => "cancelled".to_owned(),
                    }
                )),
                client: p.client.clone(),
            })
            .collect();
        crate::platform::audit::record_many(tx, &entries, now).await?;
        let mails = writing.await.map_err(|e| {
            AppError::internal(anyhow::anyhow!("writing the registration mails: {e}"))
        })??;
        crate::platform::mail::outbox::enqueue_many(
            tx,
            &mails,
            &state.mailer.settings().message_id_domain(),
            now,
        )
        .await?;
        Ok(standings
            .into_iter()
            .map(|s| {
                s.map_err(|err| match err {
                    crate::platform::StoreError::Conflict(m) => {
                        AppError::from(DomainError::new(crate::registration::store::QUOTA_FIELD, m))
                    }
                    other => other.into(),
                })
            })
            .collect())
    }

    /// A registration waiting for its event's next batch: the form as sent, checked
    /// in the batch against the event's questions (read once for the batch).
    pub struct Queued {
        /// The event as the request read it.
        pub event: EventRecord,
        pub person_id: i64,
        pub name: String,
        pub address: String,
        pub form: super::RegistrationForm,
        /// Registering through an invitation, which must still be live.
        pub invited: bool,
        pub client: Option<String>,
    }

    /// Registers a person through the event's batch ([`crate::platform::batch`]):
    /// with the others that arrive at the same moment, in one transaction, as
    /// [`register`] would one after the other.
    pub async fn register_queued(state: &AppState, person: Queued) -> Result<Standing, AppError> {
        let event_id = person.event.id;
        let st = state.clone();
        state
            .batches
            .submit(event_id, person, move |event_id, people: Vec<Queued>| {
                let state = st.clone();
                async move { register_batch(&state, event_id, people).await }
            })
            .await
            .unwrap_or_else(|| {
                Err(AppError::internal(anyhow::anyhow!(
                    "the registration batch of event {event_id} ended without an answer"
                )))
            })
    }

    async fn register_batch(
        state: &AppState,
        event_id: i64,
        people: Vec<Queued>,
    ) -> Vec<Result<Standing, AppError>> {
        let n = people.len();
        let started = std::time::Instant::now();
        let done = async {
            // The event as the latest of these requests read it, moments ago.
            let Some(e) = people.last().map(|p| &p.event) else {
                return Ok(Vec::new());
            };
            let mut tx = state.store.begin_batch().await?;
            let questions = crate::registration::questions::store::list_in(&mut tx, e.id).await?;
            let through_links: Vec<i64> = people
                .iter()
                .filter(|p| p.invited)
                .map(|p| p.person_id)
                .collect();
            let invited = super::super::store::invited_among(&mut tx, e.id, &through_links).await?;
            // Each form checked (every problem at its field) and each link's
            // invitation still live; the others are answered without registering.
            let checked: Vec<Result<Checked, AppError>> = people
                .iter()
                .map(|p| {
                    if p.invited && !invited.contains(&p.person_id) {
                        return Err(AppError::NotFound);
                    }
                    check_form_against(&questions, e, &p.form)
                })
                .collect();
            let registrants: Vec<Registrant> = people
                .iter()
                .zip(&checked)
                .filter_map(|(p, c)| {
                    c.as_ref().ok().map(|checked| Registrant {
                        person_id: p.person_id,
                        name: &p.name,
                        address: &p.address,
                        checked,
                        registered_by: None,
                        client: p.client.clone(),
                    })
                })
                .collect();
            let mut registered = register_all(state, &mut tx, e, &registrants)
                .await?
                .into_iter();
            tx.commit().await?;
            state.mailer.wake();
            Ok::<_, AppError>(
                checked
                    .into_iter()
                    .map(|c| match c {
                        Ok(_) => registered.next().expect("one answer per registrant"),
                        Err(refused) => Err(refused),
                    })
                    .collect(),
            )
        }
        .await;
        tracing::debug!(
            event_id,
            people = n,
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "registration batch"
        );
        match done {
            Ok(answers) => answers,
            // Logged once (an internal error's reference), answered to each.
            Err(err) => vec![Err(err); n],
        }
    }

    /// The person's view of their invitation (if any) and registration.
    pub async fn view_for(
        state: &AppState,
        e: &EventRecord,
        person: &crate::platform::auth::Viewer,
        access: Access,
    ) -> Result<Option<InvitationView>, AppError> {
        use crate::platform::forms::take;
        let person_id = person.person_id;
        let invitation = super::super::store::of(&state.store, e.id, person_id).await?;
        let now = state.clock.now();
        let standing =
            crate::registration::store::standing_now(&state.store, e.id, person_id).await?;
        let status = match (&invitation, access) {
            (Some((s, _)), Access::Invited) if s == "revoked" => return Ok(None),
            (Some((s, _)), Access::Invited) => {
                super::super::store::mark_opened(&state.store, e.id, person_id, now).await?;
                s.clone()
            }
            (_, Access::DelegationHead) if standing.is_none() => "delegation".to_owned(),
            _ => "member".to_owned(),
        };
        let live = standing.is_some_and(Standing::is_live);
        let status_ok = EventStatus::parse(&e.status).is_ok_and(|s| s == EventStatus::Published);
        let questions = crate::registration::questions::store::list(&state.store, e.id).await?;
        let stored = if live {
            crate::registration::questions::store::answers_of(&state.store, e.id, person_id).await?
        } else {
            Vec::new()
        };
        let answers = if live {
            questions
                .iter()
                .filter_map(|q| {
                    stored.iter().find(|(id, _)| *id == q.id).map(|(_, a)| {
                        (
                            q.label.clone(),
                            crate::registration::questions::answer_text(&q.kind, a),
                        )
                    })
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut change_form = take::<super::super::ChangeRegistrationForm>().await;
        if live && change_form.values.is_empty() {
            change_form.values = crate::registration::api::server::current_values(
                &state.store,
                e.id,
                person_id,
                &questions,
                &stored,
            )
            .await?;
        }
        let delegation =
            crate::registration::api::server::delegation_view(state, e, person).await?;
        Ok(Some(InvitationView {
            status,
            registration: standing.map(standing_text),
            registered: live,
            window: localtime::registration_window(
                e.registration_opens_at,
                e.registration_closes_at,
                zone(e),
                now,
            ),
            may_register: access != Access::DelegationHead
                && status_ok
                && !live
                && standing != Some(Standing::Rejected)
                && registration_closed(e, now).is_none(),
            online: e.online_link.is_some(),
            participants: if matches!(standing, Some(Standing::Confirmed)) {
                Some(
                    crate::registration::store::consented_participants(&state.store, e.id)
                        .await?
                        .into_iter()
                        .map(|(name, org)| match org {
                            Some(o) => format!("{name}, {o}"),
                            None => name,
                        })
                        .collect(),
                )
            } else {
                None
            },
            questions,
            answers,
            moderated: e.moderated,
            delegation,
            register_form: take::<super::RegistrationForm>().await,
            change_form,
            decline_form: take::<super::DeclineForm>().await,
            cancel_form: take::<super::CancelRegistrationForm>().await,
        }))
    }
}

/// `/events/:id/invitations`: whom the event has invited and how they answered,
/// and the form that invites more.
#[server(endpoint = "invitations_page", input = server_fn::codec::GetUrl)]
pub async fn invitations_page(event_id: i64) -> Result<InvitationsData, AppError> {
    use super::InvitationLine;
    use crate::domain::{EventStatus, MemberState, MembershipCategory};
    let (state, _, e) = crate::events::managed(event_id).await?;
    let now = state.clock.now();
    let z = server::zone(&e);
    let status = EventStatus::parse(&e.status).map_err(|_| {
        AppError::internal(anyhow::anyhow!("event {event_id} has an invalid status"))
    })?;
    let closed_reason = match status {
        EventStatus::Published if e.ends_at > now => None,
        EventStatus::Published => Some("The event is over: no more invitations go out.".to_owned()),
        EventStatus::Draft => Some(
            "The event is a draft: publish it first, because invitees cannot open a draft."
                .to_owned(),
        ),
        EventStatus::Cancelled => Some("The event is cancelled.".to_owned()),
        EventStatus::Closed => Some("The event is closed.".to_owned()),
    };
    let rows = super::store::list(&state.store, event_id).await?;
    let mut tx = state.store.begin().await?;
    let (in_person, online, waiting, _) =
        crate::registration::store::counts(&mut tx, event_id).await?;
    tx.commit().await?;
    let count = |pred: &dyn Fn(&super::store::InvitationRow) -> bool| {
        rows.iter().filter(|r| pred(r)).count() as i64
    };
    let registered = count(&|r| r.registration.as_deref() == Some("confirmed"));
    let declined = count(&|r| r.status == "declined");
    let summary = if rows.is_empty() {
        "Nobody is invited yet.".to_owned()
    } else {
        format!(
            "{} invited: {} registered, {} on the waiting list, {} declined, {} not answered yet.",
            rows.len(),
            registered,
            count(&|r| r.registration.as_deref() == Some("waitlisted")),
            declined,
            count(&|r| r.status == "invited"),
        )
    };
    let places = match e.capacity {
        Some(c) => format!(
            "{c} places in person: {in_person} taken, {} free; {online} online; {}.",
            (c as i64 - in_person).max(0),
            match waiting {
                0 => "nobody waiting".to_owned(),
                n => crate::ui::count(n, "person waiting", "people waiting"),
            }
        ),
        None => format!("No limit on places: {in_person} in person, {online} online."),
    };
    let unanswered = count(&|r| r.status == "invited" && r.registration.is_none());
    let lines = rows
        .into_iter()
        .map(|r| InvitationLine {
            invited_as: MembershipCategory::parse(&r.invited_as)
                .map(|c| c.label().to_owned())
                .unwrap_or_else(|_| r.invited_as.clone()),
            member_state: crate::domain::MemberState::name_of(r.member_state.as_deref()),
            status: match (
                r.status.as_str(),
                r.registration.as_deref(),
                r.waitlist_position,
            ) {
                (_, Some("confirmed"), _) => "Registered".to_owned(),
                (_, Some("waitlisted"), Some(p)) => format!("On the waiting list ({p})"),
                ("declined", _, _) => "Declined".to_owned(),
                ("revoked", _, _) => "Revoked".to_owned(),
                (_, Some("cancelled"), _) => "Cancelled their registration".to_owned(),
                _ => "Not answered yet".to_owned(),
            },
            mail: match r.mail_status.as_deref() {
                Some("sent") => "Delivered to the mail server",
                Some("failed") => "Failed",
                Some("queued") | Some("sending") => "Waiting to be sent",
                Some(_) | None => "—",
            }
            .to_owned(),
            reminded: r
                .last_reminded_at
                .map(|t| crate::platform::localtime::local_date(t, z))
                .unwrap_or_default(),
            person_id: r.person_id,
            revocable: r.status != "revoked"
                && !matches!(r.registration.as_deref(), Some("confirmed" | "waitlisted")),
            name: r.full_name,
            email: r.email,
        })
        .collect();
    Ok(InvitationsData {
        event_id,
        title: e.title.clone(),
        dates: crate::platform::localtime::date_span(e.starts_at, e.ends_at, z),
        network: e.network_slug.clone(),
        open: closed_reason.is_none(),
        closed_reason,
        categories: [
            MembershipCategory::NationalContactPoint,
            MembershipCategory::AssociatePartner,
            MembershipCategory::Observer,
        ]
        .iter()
        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
        .collect(),
        member_states: MemberState::all()
            .map(|m| (m.code().to_owned(), m.name().to_owned()))
            .collect(),
        summary,
        places,
        rows: lines,
        unanswered,
        form: crate::platform::forms::take::<InviteForm>().await,
        person_form: crate::platform::forms::take::<InvitePersonForm>().await,
        remind_form: crate::platform::forms::take::<RemindForm>().await,
        revoke_form: crate::platform::forms::take::<RevokeForm>().await,
        import_form: crate::platform::forms::take::<super::upload::ImportForm>().await,
    })
}

/// Invites every active member of the event's network in a category (and
/// Member State): each gets an invitation, a personal link and the mail carrying
/// it, in one transaction with the audit entry.
#[server(endpoint = "invite_members")]
pub async fn invite_members(
    event_id: i64,
    #[server(flatten)] form: InviteForm,
) -> Result<(), AppError> {
    use crate::domain::{DomainError, MemberState, MembershipCategory, Problems};
    use crate::platform::{audit, forms};
    forms::submit_managing(
        event_id,
        &form,
        server::page(event_id),
        async |state, viewer| {
            let e = crate::events::store::event_record(&state.store, event_id).await?;
            let now = state.clock.now();
            may_invite(&e, now)?;
            let mut p = Problems::new();
            let category = match MembershipCategory::parse(form.category.trim()) {
                Ok(c) if c != MembershipCategory::Secretariat => Some(c),
                _ => {
                    p.add(DomainError::new(
                        "category",
                        "Choose whom to invite from the list.",
                    ));
                    None
                }
            };
            let member_state = match form.member_state.trim() {
                "" => None,
                code => match MemberState::parse(code) {
                    Ok(m) => Some(m.code()),
                    Err(_) => {
                        p.add(DomainError::new(
                            "member_state",
                            "Choose a Member State from the list, or every Member State.",
                        ));
                        None
                    }
                },
            };
            p.done()?;
            let category = category.expect("checked");
            let mut tx = state.store.begin().await?;
            let invited = super::store::invite_members(
                &mut tx,
                event_id,
                e.network_id,
                category.as_str(),
                member_state,
                viewer.person_id,
                now.date_naive(),
                now,
            )
            .await?;
            for (_, person, name, address) in &invited {
                server::send_link_mail(
                    &mut tx,
                    &state,
                    &e,
                    *person,
                    name,
                    address,
                    &viewer.name,
                    server::LinkMail::Invitation,
                )
                .await?;
            }
            let whom = format!(
                "{}{}",
                category.label(),
                member_state.map(|m| format!(" of {m}")).unwrap_or_default()
            );
            if !invited.is_empty() {
                audit::record(
                    &mut tx,
                    audit::Entry::new(Some(viewer.person_id), "invitations_sent")
                        .on("event", event_id)
                        .detail(format!("{} × {whom}", invited.len())),
                    now,
                )
                .await?;
            }
            tx.commit().await?;
            state.mailer.wake();
            Ok(
                forms::Done::to(server::page(event_id)).with_notice(match invited.len() {
                    0 => format!("Nobody new to invite: every active member ({whom}) already is."),
                    n => format!(
                        "{} invited; the invitations are on their way.",
                        crate::ui::count_sentence(n as i64, "person", "people")
                    ),
                }),
            )
        },
    )
    .await
}

/// The invitee registers through their link (or their account); a member of the
/// network registers where the event is open to their category.
#[server(endpoint = "register_as_guest")]
pub async fn register_as_guest(
    event_id: i64,
    #[server(flatten)] form: RegistrationForm,
) -> Result<(), AppError> {
    use crate::platform::forms;
    use crate::platform::guests::GuestAction;
    forms::submit_public(&form, server::guest_page(event_id), async |_| {
        let (state, viewer, e, access) =
            server::participant(event_id, GuestAction::Register).await?;
        if let Some(why) = server::registration_closed(&e, state.clock.now()) {
            return Err(AppError::Conflict(why));
        }
        // The form is checked, and the invitation found live, in the batch.
        let standing = server::register_queued(
            &state,
            server::Queued {
                event: e,
                person_id: viewer.person_id,
                name: viewer.name.clone(),
                address: viewer.email.clone(),
                form: form.clone(),
                invited: access == server::Access::Invited,
                client: crate::platform::request::RequestInfo::current().client,
            },
        )
        .await?;
        Ok(forms::Done::to(server::guest_page(event_id))
            .with_notice(server::standing_text(standing)))
    })
    .await
}

/// A participant changes their registration: needs, list consent, answers (until
/// registration closes).
#[server(endpoint = "change_registration")]
pub async fn change_registration(
    event_id: i64,
    #[server(flatten)] form: super::ChangeRegistrationForm,
) -> Result<(), AppError> {
    use crate::platform::guests::GuestAction;
    use crate::platform::{audit, forms};
    forms::submit_public(&form, server::guest_page(event_id), async |_| {
        let (state, viewer, e, _) = server::participant(event_id, GuestAction::Register).await?;
        let now = state.clock.now();
        if let Some(why) = server::registration_closed(&e, now) {
            return Err(AppError::Conflict(format!(
                "{why} Your registration can no longer be changed here; write to the organisers."
            )));
        }
        let as_registration = RegistrationForm {
            attendance: String::new(),
            dietary: form.dietary.clone(),
            accessibility: form.accessibility.clone(),
            privacy: "yes".into(),
            list_consent: form.list_consent.clone(),
            answers: form.answers.clone(),
        };
        let checked = server::check_form(&state, &e, &as_registration).await?;
        let mut tx = state.store.begin().await?;
        if !crate::registration::store::update_details(
            &mut tx,
            event_id,
            viewer.person_id,
            &checked.dietary,
            &checked.accessibility,
            checked.list_consent,
            now,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "You hold no registration for this event to change.".into(),
            ));
        }
        crate::registration::questions::store::save_answers(
            &mut tx,
            event_id,
            viewer.person_id,
            &checked.answers,
        )
        .await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "registration_changed").on("event", event_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(server::guest_page(event_id))
            .with_notice("Your registration is changed."))
    })
    .await
}

/// The invitee declines, with an optional message to the organisers.
#[server(endpoint = "decline_invitation")]
pub async fn decline_invitation(
    event_id: i64,
    #[server(flatten)] form: DeclineForm,
) -> Result<(), AppError> {
    use crate::platform::guests::GuestAction;
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    forms::submit(
        Action::ActAsGuest {
            event_id: crate::ids::EventId(event_id),
            action: GuestAction::Respond,
        },
        &form,
        server::guest_page(event_id),
        async |state, viewer| {
            let message = crate::domain::optional_multiline("message", &form.message, 2000)?;
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            if crate::registration::store::standing(&mut tx, event_id, viewer.person_id)
                .await?
                .is_some_and(|s| !matches!(s, crate::registration::store::Standing::Cancelled))
            {
                return Err(AppError::Conflict(
                    "You are registered: cancel your registration first if you cannot come.".into(),
                ));
            }
            if !super::store::answer(
                &mut tx,
                event_id,
                viewer.person_id,
                "declined",
                message.as_deref(),
                now,
            )
            .await?
            {
                return Err(AppError::NotFound);
            }
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "invitation_declined")
                    .on("event", event_id),
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(forms::Done::to(server::guest_page(event_id)).with_notice(
                "You have declined the invitation. Thank you for letting the organisers know.",
            ))
        },
    )
    .await
}

/// The invitee cancels their registration; the place goes to the first waiting.
#[server(endpoint = "cancel_registration_as_guest")]
pub async fn cancel_registration_as_guest(
    event_id: i64,
    #[server(flatten)] form: CancelRegistrationForm,
) -> Result<(), AppError> {
    use crate::platform::guests::GuestAction;
    use crate::platform::{audit, forms};
    use server::RegistrationMail;
    forms::submit_public(&form, server::guest_page(event_id), async |_| {
        let (state, viewer, _, _) = server::participant(event_id, GuestAction::Register).await?;
        if form.confirm != "yes" {
            return Err(crate::domain::DomainError::new(
                "confirm",
                "Tick the box to confirm that you cancel your registration.",
            )
            .into());
        }
        let e = crate::events::store::event_record(&state.store, event_id).await?;
        let now = state.clock.now();
        let domain = state.mailer.settings().message_id_domain();
        let mut tx = state.store.begin().await?;
        let promoted =
            crate::registration::store::cancel(&mut tx, event_id, viewer.person_id, now).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "registration_cancelled")
                .on("event", event_id),
            now,
        )
        .await?;
        let mail = server::registration_mail(
            &state,
            &e,
            viewer.person_id,
            &viewer.name,
            &viewer.email,
            RegistrationMail::Cancelled,
        )?;
        crate::platform::mail::outbox::enqueue(&mut tx, &mail, &domain, now).await?;
        if let Some(person) = promoted {
            let (name, address) =
                crate::registration::store::person_contact(&mut tx, person).await?;
            let mail = server::registration_mail(
                &state,
                &e,
                person,
                &name,
                &address,
                RegistrationMail::Promoted,
            )?;
            crate::platform::mail::outbox::enqueue(&mut tx, &mail, &domain, now).await?;
            audit::record(
                &mut tx,
                audit::Entry::new(None, "registration_promoted")
                    .on("person", person)
                    .detail(format!("event {event_id}")),
                now,
            )
            .await?;
        }
        tx.commit().await?;
        state.mailer.wake();
        Ok(forms::Done::to(server::guest_page(event_id)).with_notice(
            "Your registration is cancelled; your place goes to the next person waiting.",
        ))
    })
    .await
}

/// Refuses invitations for an event that is not published or is over.
#[cfg(feature = "ssr")]
pub(crate) fn may_invite(
    e: &crate::events::store::EventRecord,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    use crate::domain::EventStatus;
    if EventStatus::parse(&e.status).ok() != Some(EventStatus::Published) || e.ends_at <= now {
        return Err(AppError::Conflict(
            "Invitations go out only for a published event that is not over.".into(),
        ));
    }
    Ok(())
}

/// Invites one person by address: someone Convene knows, or a guest who is added
/// to the directory without an account (then their name is needed).
#[server(endpoint = "invite_person")]
pub async fn invite_person(
    event_id: i64,
    #[server(flatten)] form: InvitePersonForm,
) -> Result<(), AppError> {
    use crate::domain::{required_text, DomainError, EmailAddress};
    use crate::platform::{audit, forms};
    forms::submit_managing(
        event_id,
        &form,
        server::page(event_id),
        async |state, viewer| {
            let e = crate::events::store::event_record(&state.store, event_id).await?;
            let now = state.clock.now();
            may_invite(&e, now)?;
            let address = EmailAddress::parse(&form.email)?;
            let mut tx = state.store.begin().await?;
            let (person, name, email, added) = match server::person_in(&mut tx, address.as_str()).await? {
                Some((id, name, email)) => (id, name, email, false),
                None => {
                    let name = required_text("full_name", &form.full_name, "the guest's full name", 200)
                        .map_err(|_| DomainError::new(
                            "full_name",
                            "This address is new to Convene: enter the guest's full name, and they are added to the directory.",
                        ))?;
                    let id = server::add_guest(
                        &mut tx,
                        viewer.person_id,
                        &crate::directory::store::PersonInput {
                            full_name: &name,
                            email: address.as_str(),
                            title: None,
                            organisation_id: None,
                            member_state: None,
                        },
                        format!("as a guest of event {event_id}"),
                        now,
                    )
                    .await?;
                    (id, name, address.as_str().to_owned(), true)
                }
            };
            if super::store::invite_person(&mut tx, event_id, person, viewer.person_id, now)
                .await?
                .is_none()
            {
                return Err(
                    DomainError::new("email", format!("{name} is already invited.")).into(),
                );
            }
            server::send_link_mail(&mut tx, &state, &e, person, &name, &email, &viewer.name, server::LinkMail::Invitation)
                .await?;
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "invitations_sent")
                    .on("event", event_id)
                    .detail(format!("person {person}")),
                now,
            )
            .await?;
            tx.commit().await?;
            state.mailer.wake();
            Ok(forms::Done::to(server::page(event_id)).with_notice(if added {
                format!("{name} is added as a guest and invited; the invitation is on its way.")
            } else {
                format!("{name} is invited; the invitation is on its way.")
            }))
        },
    )
    .await
}

/// Reminds everyone invited who has not answered: a fresh personal link each, at
/// most one reminder a day per person.
#[server(endpoint = "remind_unanswered")]
pub async fn remind_unanswered(
    event_id: i64,
    #[server(flatten)] form: RemindForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    forms::submit_managing(
        event_id,
        &form,
        server::page(event_id),
        async |state, viewer| {
            let e = crate::events::store::event_record(&state.store, event_id).await?;
            let now = state.clock.now();
            may_invite(&e, now)?;
            let mut tx = state.store.begin().await?;
            let waiting = super::store::unanswered(&mut tx, event_id).await?;
            for (person, name, address) in &waiting {
                server::send_link_mail(
                    &mut tx,
                    &state,
                    &e,
                    *person,
                    name,
                    address,
                    &viewer.name,
                    server::LinkMail::Reminder,
                )
                .await?;
                super::store::mark_reminded(&mut tx, event_id, *person, now).await?;
            }
            if !waiting.is_empty() {
                audit::record(
                    &mut tx,
                    audit::Entry::new(Some(viewer.person_id), "invitations_reminded")
                        .on("event", event_id)
                        .detail(format!("{} people", waiting.len())),
                    now,
                )
                .await?;
            }
            tx.commit().await?;
            state.mailer.wake();
            Ok(
                forms::Done::to(server::page(event_id)).with_notice(match waiting.len() {
                    0 => "Everyone invited has answered: nobody to remind.".to_owned(),
                    n => format!(
                        "{} reminded (at most once a day each).",
                        crate::ui::count_sentence(n as i64, "person", "people")
                    ),
                }),
            )
        },
    )
    .await
}

/// Revokes a person's invitation and the personal links that came with it: the
/// links then answer as unknown ones do. A registered person keeps theirs.
#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(
    event_id: i64,
    #[server(flatten)] form: RevokeForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    forms::submit_managing(
        event_id,
        &form,
        server::page(event_id),
        async |state, viewer| {
            crate::events::store::event_record(&state.store, event_id).await?;
            let person: i64 = form.person_id.trim().parse().map_err(|_| AppError::NotFound)?;
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            if !super::store::revoke(&mut tx, event_id, person).await? {
                return Err(AppError::Conflict(
                    "This invitation cannot be revoked: the person is registered (their link stays, so that they can change or cancel), or it already was.".into(),
                ));
            }
            crate::platform::guests::revoke_links(&mut tx, person, Some(event_id), now).await?;
            let (name, _) = crate::registration::store::person_contact(&mut tx, person).await?;
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "invitation_revoked")
                    .on("event", event_id)
                    .detail(format!("person {person}")),
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(forms::Done::to(server::page(event_id)).with_notice(format!(
                "The invitation of {name} is revoked; their personal link no longer works."
            )))
        },
    )
    .await
}
