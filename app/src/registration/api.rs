//! Server functions of the organisers' participant list.
use super::ParticipantsData;
use crate::AppError;
use leptos::prelude::*;

/// `/events/:id/participants`: who registered, in which state, how they attend,
/// what they answered; filtered by status, category, Member State and attendance.
#[server(endpoint = "participants_page", input = server_fn::codec::GetUrl)]
pub async fn participants_page(
    event_id: i64,
    status: Option<String>,
    category: Option<String>,
    member_state: Option<String>,
    attendance: Option<String>,
) -> Result<ParticipantsData, AppError> {
    use super::ParticipantLine;
    let filter = super::ParticipantFilter {
        status: status.unwrap_or_default(),
        category: category.unwrap_or_default(),
        member_state: member_state.unwrap_or_default(),
        attendance: attendance.unwrap_or_default(),
    };
    use crate::domain::{MemberState, MembershipCategory};
    let (state, _, e) = crate::events::managed(event_id).await?;
    let rows = super::store::participants(&state.store, event_id).await?;
    let questions = super::questions::store::list(&state.store, event_id).await?;
    let answers = super::questions::store::event_answers(&state.store, event_id).await?;
    let count = |s: &str| rows.iter().filter(|r| r.status == s).count() as i64;
    let pending = count("pending");
    let summary = format!(
        "{}, {} waiting, {}{} cancelled.",
        crate::ui::count_sentence(
            count("confirmed"),
            "confirmed participant",
            "confirmed participants"
        ),
        count("waitlisted"),
        if pending > 0 {
            format!("{pending} awaiting approval, ")
        } else {
            String::new()
        },
        count("cancelled"),
    );
    let in_person = rows
        .iter()
        .filter(|r| r.status == "confirmed" && r.attendance == "in_person")
        .count() as i64;
    let places = match e.capacity {
        Some(c) => format!(
            "{c} places in person: {in_person} taken, {} free.",
            (c as i64 - in_person).max(0)
        ),
        None => format!("No limit on places: {in_person} in person."),
    };
    let total = rows.len();
    let f = &filter;
    let shown: Vec<_> = rows
        .into_iter()
        .filter(|r| f.status.is_empty() || r.status == f.status)
        .filter(|r| f.attendance.is_empty() || r.attendance == f.attendance)
        .filter(|r| {
            f.member_state.is_empty() || r.member_state.as_deref() == Some(f.member_state.as_str())
        })
        .filter(|r| {
            f.category.is_empty() || r.category.as_deref().unwrap_or("guest") == f.category.as_str()
        })
        .collect();
    let hidden = total - shown.len();
    Ok(ParticipantsData {
        event_id,
        title: e.title,
        summary,
        places,
        moderated: e.moderated,
        hidden,
        filter,
        member_states: MemberState::all()
            .map(|m| (m.code().to_owned(), m.name().to_owned()))
            .collect(),
        quota: e.delegation_quota.map(i64::from),
        delegations: match e.delegation_quota {
            Some(_) => super::store::delegation_use(&state.store, event_id)
                .await?
                .into_iter()
                .map(|(code, used)| super::DelegationSeats {
                    member_state: MemberState::name_of(Some(&code)),
                    used,
                })
                .collect(),
            None => Vec::new(),
        },
        decision_form: crate::platform::forms::take::<super::DecisionForm>().await,
        rows: shown
            .into_iter()
            .map(|r| ParticipantLine {
                person_id: r.person_id,
                state: r.status.clone(),
                status: match (r.status.as_str(), r.waitlist_position) {
                    ("waitlisted", Some(p)) => format!("On the waiting list ({p})"),
                    ("rejected", _) if !r.decision_message.is_empty() => {
                        format!("Declined by the organisers: {}", r.decision_message)
                    }
                    (s, _) => super::status_label(s).to_owned(),
                },
                attendance: super::attendance_label(&r.attendance).to_owned(),
                member_state: MemberState::name_of(r.member_state.as_deref()),
                organisation: r.organisation.unwrap_or_default(),
                needs: [r.dietary, r.accessibility]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
                registered_by: match (&r.registered_by, r.delegation_role.as_str()) {
                    (Some(by), "") => format!("Registered by {by}"),
                    (Some(by), role) => format!("{role}; registered by {by}"),
                    (None, _) => r
                        .category
                        .as_deref()
                        .and_then(|c| MembershipCategory::parse(c).ok())
                        .map(|c| c.label().to_owned())
                        .unwrap_or_else(|| "Guest".to_owned()),
                },
                answers: questions
                    .iter()
                    .filter_map(|q| {
                        answers
                            .iter()
                            .find(|(p, id, _)| *p == r.person_id && *id == q.id)
                            .map(|(_, _, a)| {
                                (q.label.clone(), super::questions::answer_text(&q.kind, a))
                            })
                    })
                    .collect(),
                name: r.full_name,
                email: r.email,
            })
            .collect(),
    })
}

/// An organiser decides on one registration: approve or decline one awaiting
/// approval, give a waiting person a place (the event gains one), or cancel. The
/// person is told by mail, in the same transaction as the change and its audit
/// entry; a freed place goes to the first waiting, who is told too.
#[server(endpoint = "decide_registration")]
pub async fn decide_registration(
    event_id: i64,
    #[server(flatten)] form: super::DecisionForm,
) -> Result<(), AppError> {
    use crate::invitations::api::server::{registration_mail, RegistrationMail};
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/participants");
    forms::submit_managing(
        event_id,
        &form,
        back.clone(),
        async |state, viewer| {
            let e = crate::events::store::event_record(&state.store, event_id).await?;
            let person: i64 = form.person_id.trim().parse().map_err(|_| AppError::NotFound)?;
            let message = crate::domain::optional_multiline("message", &form.message, 2000)?
                .unwrap_or_default();
            let now = state.clock.now();
            let domain = state.mailer.settings().message_id_domain();
            let mut tx = state.store.begin().await?;
            let (name, address) = super::store::person_contact(&mut tx, person)
                .await
                .map_err(|_| AppError::NotFound)?;
            let mut promoted = None;
            let (mail, action, notice) = match form.decision.as_str() {
                "approve" => match super::store::approve(&mut tx, event_id, person, now).await? {
                    Some(s) => (
                        RegistrationMail::Approved(s),
                        "registration_approved",
                        match s {
                            super::store::Standing::Waitlisted(p) => format!(
                                "{name} is approved; all places are taken, so they wait at position {p}."
                            ),
                            _ => format!("{name} is approved and has a place."),
                        },
                    ),
                    None => {
                        return Err(AppError::Conflict(format!(
                            "{name}'s registration no longer awaits approval."
                        )))
                    }
                },
                "reject" => {
                    if !super::store::reject(&mut tx, event_id, person, &message, now).await? {
                        return Err(AppError::Conflict(format!(
                            "{name}'s registration no longer awaits approval."
                        )));
                    }
                    (
                        RegistrationMail::Rejected(message.clone()),
                        "registration_rejected",
                        format!("{name}'s registration is declined, and they are told."),
                    )
                }
                "give_place" => {
                    if !super::store::give_place(&mut tx, event_id, person, now).await? {
                        return Err(AppError::Conflict(format!(
                            "{name} is no longer on the waiting list."
                        )));
                    }
                    (
                        RegistrationMail::Promoted,
                        "registration_given_place",
                        format!("{name} has a place; the event has one place more."),
                    )
                }
                "cancel" => {
                    if form.confirmed != "yes" {
                        return Err(AppError::Conflict(format!(
                            "Confirm first that {name}'s registration is cancelled: use its Cancel button."
                        )));
                    }
                    let live = super::store::standing(&mut tx, event_id, person)
                        .await?
                        .is_some_and(super::store::Standing::is_live);
                    if !live {
                        return Err(AppError::Conflict(format!(
                            "{name} holds no registration to cancel."
                        )));
                    }
                    promoted = super::store::cancel(&mut tx, event_id, person, now).await?;
                    (
                        RegistrationMail::CancelledByOrganisers(message.clone()),
                        "registration_cancelled_by_organisers",
                        format!("{name}'s registration is cancelled, and they are told."),
                    )
                }
                _ => return Err(AppError::Conflict("Choose what to do.".into())),
            };
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), action)
                    .on("person", person)
                    .detail(format!("event {event_id}: by the organisers")),
                now,
            )
            .await?;
            let m = registration_mail(&state, &e, person, &name, &address, mail)?;
            crate::platform::mail::outbox::enqueue(&mut tx, &m, &domain, now).await?;
            if let Some(next) = promoted {
                let (n, a) = super::store::person_contact(&mut tx, next).await?;
                let m = registration_mail(&state, &e, next, &n, &a, RegistrationMail::Promoted)?;
                crate::platform::mail::outbox::enqueue(&mut tx, &m, &domain, now).await?;
                audit::record(
                    &mut tx,
                    audit::Entry::new(Some(viewer.person_id), "registration_promoted")
                        .on("person", next)
                        .detail(format!("event {event_id}")),
                    now,
                )
                .await?;
            }
            tx.commit().await?;
            state.mailer.wake();
            Ok(forms::Done::to(back.clone()).with_notice(notice))
        },
    )
    .await
}

/// `/events/:id/registration`: who may register without an invitation, approval,
/// and the event's own questions.
#[server(endpoint = "registration_settings", input = server_fn::codec::GetUrl)]
pub async fn registration_settings(event_id: i64) -> Result<super::SettingsData, AppError> {
    use crate::domain::MembershipCategory;
    use crate::platform::forms::take;
    use crate::platform::policy::Categories;
    let (state, _, e) = crate::events::managed(event_id).await?;
    let open = Categories::parse(&e.open_to);
    let places = format!(
        "{} {}",
        match e.capacity {
            Some(c) => format!(
                "{}.",
                crate::ui::count_sentence(c as i64, "place in person", "places in person")
            ),
            None => "No limit on places in person.".to_owned(),
        },
        match e.delegation_quota {
            Some(q) => format!(
                "At most {} per Member State.",
                crate::ui::count(q as i64, "place", "places")
            ),
            None => "No limit per Member State.".to_owned(),
        }
    );
    Ok(super::SettingsData {
        event_id,
        title: e.title,
        network: e.network_slug,
        open_to: [
            MembershipCategory::NationalContactPoint,
            MembershipCategory::AssociatePartner,
            MembershipCategory::Observer,
        ]
        .into_iter()
        .map(|c| {
            (
                c.as_str().to_owned(),
                c.label().to_owned(),
                open.contains(c),
            )
        })
        .collect(),
        moderated: e.moderated,
        places,
        questions: super::questions::store::list(&state.store, event_id).await?,
        rules_form: take::<super::RulesForm>().await,
        question_form: take::<super::QuestionForm>().await,
        action_form: take::<super::QuestionActionForm>().await,
    })
}

/// Saves who may register without an invitation and whether registrations wait
/// for approval.
#[server(endpoint = "save_registration_rules")]
pub async fn save_registration_rules(
    event_id: i64,
    #[server(flatten)] form: super::RulesForm,
) -> Result<(), AppError> {
    use crate::domain::MembershipCategory;
    use crate::platform::policy::Categories;
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/registration");
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let mut cats = Vec::new();
        for (on, c) in [
            (
                &form.open_national_contact_point,
                MembershipCategory::NationalContactPoint,
            ),
            (
                &form.open_associate_partner,
                MembershipCategory::AssociatePartner,
            ),
            (&form.open_observer, MembershipCategory::Observer),
        ] {
            if on == "yes" {
                cats.push(c);
            }
        }
        let open = Categories::of(&cats);
        let moderated = form.moderated == "yes";
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        super::store::lock_event(&mut tx, event_id).await?;
        super::store::set_rules(&mut tx, event_id, &open.stored(), moderated).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "registration_rules_changed")
                .on("event", event_id)
                .detail(format!(
                    "open to: {}; approval: {}",
                    if cats.is_empty() {
                        "invitees only".to_owned()
                    } else {
                        cats.iter()
                            .map(|c| c.label())
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                    if moderated { "yes" } else { "no" }
                )),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(back.clone()).with_notice("Saved."))
    })
    .await
}

/// Adds a question to the registration form.
#[server(endpoint = "add_question")]
pub async fn add_question(
    event_id: i64,
    #[server(flatten)] form: super::QuestionForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/registration");
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let (kind, label, choices) =
            super::questions::check_question(&form.kind, &form.label, &form.choices)?;
        let now = state.clock.now();
        let existing = super::questions::store::list(&state.store, event_id).await?;
        if existing.len() >= super::questions::MAX_QUESTIONS {
            return Err(AppError::Conflict(format!(
                "A registration form asks at most {} questions.",
                super::questions::MAX_QUESTIONS
            )));
        }
        let mut tx = state.store.begin().await?;
        let id = super::questions::store::add(
            &mut tx,
            event_id,
            &kind,
            &label,
            &choices,
            form.required == "yes",
            now,
        )
        .await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "question_added")
                .on("event", event_id)
                .detail(format!("question {id}: {label}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(back.clone())
            .with_notice(format!("The question \u{201c}{label}\u{201d} is added.")))
    })
    .await
}

/// Moves a question up or down, or removes it (with its answers).
#[server(endpoint = "change_question")]
pub async fn change_question(
    event_id: i64,
    #[server(flatten)] form: super::QuestionActionForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/registration");
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let id: i64 = form
            .question_id
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let notice = match form.action.as_str() {
            "up" | "down" => {
                if super::questions::store::shift(&mut tx, event_id, id, form.action == "up")
                    .await?
                {
                    audit::record(
                        &mut tx,
                        audit::Entry::new(Some(viewer.person_id), "question_moved")
                            .on("event", event_id)
                            .detail(format!("question {id} {}", form.action)),
                        now,
                    )
                    .await?;
                }
                "The order is changed.".to_owned()
            }
            "remove" => match super::questions::store::remove(&mut tx, event_id, id).await? {
                Some(label) => {
                    audit::record(
                        &mut tx,
                        audit::Entry::new(Some(viewer.person_id), "question_removed")
                            .on("event", event_id)
                            .detail(format!("question {id}: {label}")),
                        now,
                    )
                    .await?;
                    format!("The question \u{201c}{label}\u{201d} and its answers are removed.")
                }
                None => return Err(AppError::NotFound),
            },
            _ => return Err(AppError::Conflict("Choose what to do.".into())),
        };
        tx.commit().await?;
        Ok(forms::Done::to(back.clone()).with_notice(notice))
    })
    .await
}

/// A National Contact Point registers a colleague of their delegation: found by
/// address or added to the directory as a guest of their Member State, invited
/// and registered at once, within the delegation's places and the event's; the
/// colleague gets a message with their own personal link.
#[server(endpoint = "register_delegate")]
pub async fn register_delegate(
    event_id: i64,
    #[server(flatten)] form: super::DelegateForm,
) -> Result<(), AppError> {
    use crate::domain::{required_text, DomainError, EmailAddress, Problems};
    use crate::platform::forms;
    use crate::platform::guests::GuestAction;
    let back = crate::invitations::api::server::guest_page(event_id);
    forms::submit_public(&form, back.clone(), async |_| {
        let (state, viewer, e, _) =
            crate::invitations::api::server::participant(event_id, GuestAction::View).await?;
        let Some(member_state) = server::delegation_state(&viewer, &e) else {
            return Err(AppError::Forbidden);
        };
        let now = state.clock.now();
        if let Some(why) = crate::invitations::api::server::registration_closed(&e, now) {
            return Err(AppError::Conflict(why));
        }
        let mut p = Problems::new();
        let name = p.check(required_text("full_name", &form.full_name, "your colleague's full name", 200));
        let address = p.check_opt(EmailAddress::parse(&form.email));
        let organisation =
            p.check(crate::domain::optional_text("organisation", &form.organisation, 200));
        let role = p
            .check(required_text("role", &form.role, "your colleague's role, such as Prosecutor", 200));
        if form.privacy != "yes" {
            p.add(DomainError::new(
                "privacy",
                "Confirm that your colleague knows the privacy notice (tick the box).",
            ));
        }
        p.done()?;
        let Some(address) = address else {
            return Err(AppError::internal(anyhow::anyhow!("a checked address is missing")));
        };
        let mut role = role;
        let mut tx = state.store.begin().await?;
        let known = crate::invitations::api::server::person_in(&mut tx, address.as_str()).await?;
        let (person, name, email) = match known {
            Some((id, known_name, email)) => {
                if server::person_state(&mut tx, id).await?.as_deref() != Some(member_state.as_str()) {
                    return Err(DomainError::new(
                        "email",
                        format!("{known_name} is not of your Member State in Convene's directory: only your own delegation can be registered here."),
                    )
                    .into());
                }
                (id, known_name, email)
            }
            None => {
                let organisation_id = match &organisation {
                    Some(o) => crate::organisations::store::find_by_name(&mut tx, o).await?,
                    None => None,
                };
                // An organisation the directory does not know stays with the role
                // (the secretariat adds organisations, not contact points).
                if let (None, Some(o)) = (organisation_id, &organisation) {
                    role = format!("{role}, {o}");
                }
                let id = crate::invitations::api::server::add_guest(
                    &mut tx,
                    viewer.person_id,
                    &crate::directory::store::PersonInput {
                        full_name: &name,
                        email: address.as_str(),
                        title: None,
                        organisation_id,
                        member_state: Some(&member_state),
                    },
                    format!("as a delegate to event {event_id}"),
                    now,
                )
                .await?;
                (id, name, address.as_str().to_owned())
            }
        };
        crate::invitations::store::invite_delegate(&mut tx, event_id, person, viewer.person_id, now)
            .await?;
        let checked = crate::invitations::api::server::Checked {
            online: false,
            dietary: String::new(),
            accessibility: String::new(),
            list_consent: false,
            answers: Vec::new(),
        };
        let standing = crate::invitations::api::server::register(
            &state,
            &mut tx,
            &e,
            person,
            &name,
            &email,
            &checked,
            Some((viewer.person_id, &role)),
        )
        .await
        .map_err(|err| match err {
            // The quota's refusal belongs to the colleague's address here.
            AppError::Validation(mut d) if d.field == super::store::QUOTA_FIELD => {
                d.field = "email".into();
                AppError::Validation(d)
            }
            other => other,
        })?;
        crate::invitations::api::server::send_link_mail(
            &mut tx,
            &state,
            &e,
            person,
            &name,
            &email,
            &viewer.name,
            crate::invitations::api::server::LinkMail::Delegated(standing),
        )
        .await?;
        tx.commit().await?;
        state.mailer.wake();
        Ok(forms::Done::to(back.clone()).with_notice(format!(
            "{name} is registered for your delegation: {}",
            match standing {
                super::store::Standing::Confirmed => "a place is theirs.".to_owned(),
                super::store::Standing::Waitlisted(p) => format!("all places are taken, so they wait at position {p}."),
                super::store::Standing::Pending => "the organisers approve the registration.".to_owned(),
                _ => "see the list below.".to_owned(),
            }
        )))
    })
    .await
}

#[cfg(feature = "ssr")]
pub mod server {
    //! What the registration pages share.
    use crate::events::store::EventRecord;
    use crate::platform::auth::Viewer;
    use crate::platform::db::Tx;
    use crate::AppError;

    /// Gives up every place a person holds (before their erasure): each freed place
    /// goes to the first waiting of that event, who is mailed and audited, in the
    /// caller's transaction. The person erased is not mailed.
    pub async fn release_places(
        state: &crate::platform::AppState,
        tx: &mut Tx<'_>,
        person_id: i64,
        by: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<usize, AppError> {
        use crate::invitations::api::server::{registration_mail, RegistrationMail};
        let events: Vec<i64> = crate::on_tx!(tx, conn => {
            sqlx::query_scalar::<_, i64>(
                "SELECT event_id FROM registrations
                 WHERE person_id = $1 AND status IN ('pending', 'confirmed', 'waitlisted')",
            )
            .bind(person_id)
            .fetch_all(conn)
            .await
            .map_err(crate::platform::StoreError::from)?
        });
        let domain = state.mailer.settings().message_id_domain();
        let mut promoted = 0;
        for event in events {
            if let Some(next) = super::super::store::cancel(tx, event, person_id, now).await? {
                let e = crate::events::store::event_record_in(tx, event).await?;
                let (name, address) = super::super::store::person_contact(tx, next).await?;
                let mail = registration_mail(
                    state,
                    &e,
                    next,
                    &name,
                    &address,
                    RegistrationMail::Promoted,
                )?;
                crate::platform::mail::outbox::enqueue(tx, &mail, &domain, now).await?;
                crate::platform::audit::record(
                    tx,
                    crate::platform::audit::Entry::new(Some(by), "registration_promoted")
                        .on("person", next)
                        .detail(format!("event {event}: a place freed by an erasure")),
                    now,
                )
                .await?;
                promoted += 1;
            }
        }
        Ok(promoted)
    }

    /// The Member State whose delegation this viewer registers for this event: a
    /// National Contact Point's, where the event has places per delegation.
    pub fn delegation_state(v: &Viewer, e: &EventRecord) -> Option<String> {
        use crate::domain::MembershipCategory;
        if e.delegation_quota.is_none() || v.is_guest() {
            return None;
        }
        v.memberships
            .iter()
            .find(|m| {
                m.network_id == crate::ids::NetworkId(e.network_id)
                    && m.category == MembershipCategory::NationalContactPoint
            })
            .and_then(|m| m.member_state.clone())
    }

    /// A person's Member State in the directory.
    pub async fn person_state(tx: &mut Tx<'_>, person: i64) -> Result<Option<String>, AppError> {
        Ok(crate::on_tx!(tx, conn => {
            sqlx::query_scalar::<_, Option<String>>("SELECT member_state FROM people WHERE id = $1")
                .bind(person)
                .fetch_one(conn)
                .await
                .map_err(crate::platform::StoreError::from)?
        }))
    }

    /// The change form's values from a live registration, to prefill it.
    pub async fn current_values(
        store: &crate::platform::Store,
        event_id: i64,
        person_id: i64,
        questions: &[super::super::questions::Question],
        answers: &[(i64, String)],
    ) -> Result<std::collections::BTreeMap<String, String>, AppError> {
        let mut values = std::collections::BTreeMap::new();
        if let Some((dietary, accessibility, list_consent)) =
            super::super::store::details(store, event_id, person_id).await?
        {
            values.insert("dietary".to_owned(), dietary);
            values.insert("accessibility".to_owned(), accessibility);
            if list_consent {
                values.insert("list_consent".to_owned(), "yes".to_owned());
            }
        }
        for q in questions {
            if let Some((_, a)) = answers.iter().find(|(id, _)| *id == q.id) {
                values.extend(q.form_values(a));
            }
        }
        Ok(values)
    }

    /// The delegation section of a National Contact Point's registration page.
    pub async fn delegation_view(
        state: &crate::platform::AppState,
        e: &EventRecord,
        v: &Viewer,
    ) -> Result<Option<super::super::DelegationView>, AppError> {
        let Some(code) = delegation_state(v, e) else {
            return Ok(None);
        };
        let quota = e.delegation_quota.unwrap_or(0) as i64;
        let used = super::super::store::delegation_use(&state.store, e.id)
            .await?
            .into_iter()
            .find(|(c, _)| *c == code)
            .map(|(_, n)| n)
            .unwrap_or(0);
        let name = crate::domain::MemberState::name_of(Some(&code));
        let members = super::super::store::registered_by(&state.store, e.id, v.person_id)
            .await?
            .into_iter()
            .map(|(_, n, email, role, status, position)| {
                let s = match (status.as_str(), position) {
                    ("waitlisted", Some(p)) => format!("On the waiting list ({p})"),
                    (s, _) => super::super::status_label(s).to_owned(),
                };
                (n, email, role, s)
            })
            .collect();
        Ok(Some(super::super::DelegationView {
            seats: format!(
                "{used} of the {} of the delegation of {name} are taken (in person: confirmed, waiting or awaiting approval).",
                crate::ui::count(quota, "place", "places")
            ),
            room: used < quota,
            member_state: name,
            members,
            form: crate::platform::forms::take::<super::super::DelegateForm>().await,
        }))
    }
}

/// The days of an event in its own zone: (YYYY-MM-DD, "Wednesday 17 March 2027").
#[cfg(feature = "ssr")]
fn event_days(e: &crate::events::store::EventRecord) -> Vec<chrono::NaiveDate> {
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let first = e.starts_at.with_timezone(&zone).date_naive();
    let last = (e.ends_at - chrono::Duration::seconds(1))
        .with_timezone(&zone)
        .date_naive()
        .max(first);
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .take(31)
        .collect()
}

/// `/events/:id/check-in`: the confirmed participants, searched by name, with
/// what the register says for the day.
#[server(endpoint = "check_in_page", input = server_fn::codec::GetUrl)]
pub async fn check_in_page(
    event_id: i64,
    day: Option<String>,
    q: Option<String>,
) -> Result<super::CheckInData, AppError> {
    let (state, _, e) = crate::events::managed(event_id).await?;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let days = event_days(&e);
    let today = state.clock.now().with_timezone(&zone).date_naive();
    let chosen = day
        .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .filter(|d| days.contains(d))
        .or_else(|| days.iter().copied().find(|d| *d == today))
        .unwrap_or(days[0]);
    let query = q.unwrap_or_default();
    let label = |d: chrono::NaiveDate| d.format("%A %-d %B %Y").to_string();
    let rows = super::store::check_in_list(&state.store, event_id, chosen, &query).await?;
    let present = super::store::present_count(&state.store, event_id, chosen).await?;
    let mut tx = state.store.begin().await?;
    let (in_person, online, _, _) = super::store::counts(&mut tx, event_id).await?;
    tx.commit().await?;
    Ok(super::CheckInData {
        event_id,
        title: e.title.clone(),
        days: days
            .iter()
            .map(|d| (d.format("%Y-%m-%d").to_string(), label(*d)))
            .collect(),
        day: chosen.format("%Y-%m-%d").to_string(),
        day_label: label(chosen),
        summary: format!(
            "{present} of {} present on {}.",
            in_person + online,
            label(chosen)
        ),
        query,
        rows: rows
            .into_iter()
            .map(|r| super::CheckInLine {
                person_id: r.person_id,
                name: r.full_name,
                organisation: r.organisation.unwrap_or_default(),
                member_state: crate::domain::MemberState::name_of(r.member_state.as_deref()),
                attendance: super::attendance_label(&r.attendance).to_owned(),
                status: r.status.unwrap_or_default(),
            })
            .collect(),
        form: crate::platform::forms::take::<super::AttendanceForm>().await,
    })
}

/// Records a participant as present, excused or absent on a day of the event.
#[server(endpoint = "mark_attendance")]
pub async fn mark_attendance(
    event_id: i64,
    #[server(flatten)] form: super::AttendanceForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = format!(
        "/events/{event_id}/check-in?day={}&q={}",
        crate::ui::query_value(&form.day),
        crate::ui::query_value(&form.q)
    );
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let e = crate::events::store::event_record(&state.store, event_id).await?;
        let day = chrono::NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| event_days(&e).contains(d))
            .ok_or_else(|| AppError::Conflict("That day is not a day of this event.".into()))?;
        let status = match form.status.as_str() {
            s @ ("present" | "excused" | "absent") => s,
            _ => {
                return Err(AppError::Conflict(
                    "Choose present, excused or absent.".into(),
                ))
            }
        };
        let person: i64 = form
            .person_id
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        if !super::store::mark_attendance(
            &mut tx,
            event_id,
            person,
            day,
            status,
            viewer.person_id,
            now,
        )
        .await?
        {
            return Err(AppError::Conflict(
                "Only a participant with a confirmed place can be checked in.".into(),
            ));
        }
        let (name, _) = super::store::person_contact(&mut tx, person).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "attendance_recorded")
                .on("event", event_id)
                .detail(format!("person {person}: {status} on {day}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(back.clone()).with_notice(format!(
            "{name}: {} on {}.",
            super::attendance_status_label(status).to_lowercase(),
            day.format("%A %-d %B")
        )))
    })
    .await
}

/// `/events/:id/badges`: a name badge for every confirmed participant, to print.
#[server(endpoint = "badges_page", input = server_fn::codec::GetUrl)]
pub async fn badges_page(event_id: i64) -> Result<super::BadgesData, AppError> {
    confirmed_list(event_id, false).await
}

/// `/events/:id/participants/print`: the confirmed participants who agreed to
/// appear on the participant list, by name.
#[server(endpoint = "printable_list", input = server_fn::codec::GetUrl)]
pub async fn printable_list(event_id: i64) -> Result<super::BadgesData, AppError> {
    confirmed_list(event_id, true).await
}

/// The confirmed participants by name (only those who agreed to be listed, when
/// `listed`), for badges and the printed list.
#[cfg(feature = "ssr")]
async fn confirmed_list(event_id: i64, listed: bool) -> Result<super::BadgesData, AppError> {
    let (state, _, e) = crate::events::managed(event_id).await?;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let mut rows = super::store::participants(&state.store, event_id).await?;
    rows.retain(|r| r.status == "confirmed" && (!listed || r.list_consent));
    rows.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    Ok(super::BadgesData {
        event_id,
        title: e.title.clone(),
        dates: crate::platform::localtime::date_span(e.starts_at, e.ends_at, zone),
        badges: rows
            .into_iter()
            .map(|r| super::Badge {
                name: r.full_name,
                organisation: r.organisation.unwrap_or_default(),
                member_state: crate::domain::MemberState::name_of(r.member_state.as_deref()),
            })
            .collect(),
    })
}
