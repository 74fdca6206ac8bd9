//! Server functions of outcome reports: the organisers' page and its forms (write,
//! submit, approve or return, publish, correct, send, send again), the sending
//! page with its preview, the delivery figures the page's island asks for, and the
//! readers' page.
use super::*;
use crate::AppError;
use leptos::prelude::*;

/// Longest text of one part of a report, in characters.
#[cfg(feature = "ssr")]
const MAX_TEXT: usize = 50_000;

/// `/events/:id/report`: the organisers' page of an event's report.
#[server(endpoint = "report_manage", input = server_fn::codec::GetUrl)]
pub async fn report_manage(
    event_id: i64,
    file: Option<String>,
) -> Result<ReportManageData, AppError> {
    use crate::platform::forms::take;
    let (state, viewer, e) = crate::events::managed(event_id).await?;
    let now = state.clock.now();
    let zone = crate::platform::localtime::event_zone(e.id, &e.time_zone)?;
    let latest = store::latest(&state.store, event_id).await?;
    let current = match &latest {
        Some(r) => Some(server::managed_report(&state, &e, r).await?),
        None => None,
    };
    let sendable = store::latest_approved(&state.store, event_id).await?;
    let (groups, delivery) = match &sendable {
        Some(r) => {
            let day = now.date_naive();
            let mut groups = Vec::new();
            for g in RecipientGroup::ALL {
                let n = store::recipients(&state.store, e.id, e.network_id, &[g], day)
                    .await?
                    .len() as i64;
                groups.push((g.as_str().to_owned(), g.label().to_owned(), n));
            }
            (groups, store::delivery(&state.store, r.id).await?)
        }
        None => (Vec::new(), Delivery::default()),
    };
    let sendings = store::sendings(&state.store, event_id)
        .await?
        .into_iter()
        .map(|(version, groups, n, who, at)| {
            let groups = groups
                .split(',')
                .filter_map(RecipientGroup::parse)
                .map(|g| g.label())
                .collect::<Vec<_>>()
                .join("; ");
            format!(
                "{} — version {version} to {groups}: {}{}",
                crate::platform::localtime::date_time(at, zone),
                crate::ui::count(n, "message", "messages"),
                who.map(|w| format!(" ({w})")).unwrap_or_default()
            )
        })
        .collect();
    let upload_message = file.as_deref().and_then(|code| {
        Some(match code {
            "added" => (true, "The file is added to the report.".to_owned()),
            "too_large" => (
                false,
                "The file was not added: it is larger than 20 MB.".to_owned(),
            ),
            "wrong_type" => (
                false,
                "The file was not added: its content is not a PDF, OpenDocument text (ODT) or Word (DOCX) document, whatever its name says.".to_owned(),
            ),
            "empty" => (false, "Choose a file to add.".to_owned()),
            "closed" => (
                false,
                "The file was not added: the report is no longer a draft.".to_owned(),
            ),
            _ => return None,
        })
    });
    Ok(ReportManageData {
        event_id,
        ended: e.ends_at <= now,
        ends: crate::platform::localtime::date_time(e.ends_at, zone),
        public_href: store::readable(&state.store, event_id, None)
            .await?
            .map(|_| report_href(&e.network_slug, &e.slug)),
        secretariat: viewer.secretariat,
        submitted_by_viewer: latest.as_ref().is_some_and(|r| {
            r.status() == ReportStatus::Submitted && r.submitted_by == Some(viewer.person_id)
        }),
        event_title: e.title,
        current,
        sendable_id: sendable.as_ref().map(|r| r.id),
        groups,
        delivery,
        sendings,
        draft_form: take::<DraftForm>().await,
        review_form: take::<ReviewForm>().await,
        send_form: take::<SendForm>().await,
        step_form: take::<StepForm>().await,
        upload_message,
    })
}

/// Saves the draft's texts, and submits it for approval when `intent` is
/// "submit". The first save starts the report (once the event has ended).
#[server(endpoint = "save_report")]
pub async fn save_report(
    event_id: i64,
    #[server(flatten)] form: DraftForm,
) -> Result<(), AppError> {
    use crate::domain::{optional_multiline, DomainError, Problems};
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/report");
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let e = crate::events::store::event_record(&state.store, event_id).await?;
        let now = state.clock.now();
        if e.ends_at > now {
            return Err(AppError::Conflict(
                "The report can be written once the meeting has ended.".into(),
            ));
        }
        let submit = form.intent == "submit";
        let mut p = Problems::new();
        let summary = p.check(optional_multiline("summary", &form.summary, MAX_TEXT));
        let conclusions = p.check(optional_multiline(
            "conclusions",
            &form.conclusions,
            MAX_TEXT,
        ));
        let next_steps = p.check(optional_multiline("next_steps", &form.next_steps, MAX_TEXT));
        let annex = p.check(optional_multiline("annex", &form.annex, MAX_TEXT));
        let change_note = p.check(optional_multiline("change_note", &form.change_note, 5_000));
        let mut tx = state.store.begin().await?;
        crate::registration::store::lock_event(&mut tx, event_id).await?;
        let latest = store::latest_tx(&mut tx, event_id).await?;
        if submit {
            if summary.as_deref().unwrap_or("").is_empty() && !p.has("summary") {
                p.add(DomainError::new(
                    "summary",
                    "Write the summary before submitting the report.",
                ));
            }
            if latest.as_ref().is_some_and(|r| r.version > 1)
                && change_note.as_deref().unwrap_or("").is_empty()
                && !p.has("change_note")
            {
                p.add(DomainError::new(
                    "change_note",
                    "Say what this correction changes: its recipients are told.",
                ));
            }
        }
        p.done()?;
        let (report_id, version) = match &latest {
            Some(r) if r.status().editable() => (r.id, r.version),
            Some(r) => {
                return Err(AppError::Conflict(format!(
                    "Version {} of the report is {} and can no longer be changed{}.",
                    r.version,
                    r.status().label().to_lowercase(),
                    if r.status().approved() {
                        ": start a correction to change it"
                    } else {
                        ""
                    }
                )))
            }
            None => (
                store::create(&mut tx, event_id, None, viewer.person_id, now).await?,
                1,
            ),
        };
        let texts = store::Texts {
            summary: summary.as_deref().unwrap_or(""),
            conclusions: conclusions.as_deref().unwrap_or(""),
            next_steps: next_steps.as_deref().unwrap_or(""),
            annex: annex.as_deref().unwrap_or(""),
            change_note: change_note.as_deref().unwrap_or(""),
        };
        store::save_texts(&mut tx, report_id, &texts, now).await?;
        let notice = if submit {
            let attendance = store::attendance(&state.store, event_id).await?;
            let frozen =
                serde_json::to_string(&attendance).map_err(|e| AppError::internal(e.into()))?;
            let moved = store::step(
                &mut tx,
                report_id,
                &["draft", "returned"],
                "submitted",
                store::Step::Submit {
                    by: viewer.person_id,
                    attendance: &frozen,
                },
                now,
            )
            .await?;
            if !moved {
                return Err(AppError::Conflict(
                    "The report was submitted already.".into(),
                ));
            }
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "report_submitted")
                    .on("event", event_id)
                    .detail(format!("version {version}")),
                now,
            )
            .await?;
            let step = super::mail::StepOf {
                report_id,
                version,
                told: super::mail::Told::Submitted,
                comment: "",
            };
            server::tell(&mut tx, &state, &e, step, &viewer, now).await?;
            "The report is submitted: the secretariat approves it or returns it with comments."
        } else {
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "report_saved")
                    .on("event", event_id)
                    .detail(format!("version {version}")),
                now,
            )
            .await?;
            "The draft is saved."
        };
        tx.commit().await?;
        if submit {
            state.mailer.wake();
        }
        Ok(forms::Done::to(back.clone()).with_notice(notice))
    })
    .await
}

/// The secretariat approves a submitted report or returns it with comments. The
/// person who submitted it never approves it.
#[server(endpoint = "review_report")]
pub async fn review_report(
    event_id: i64,
    #[server(flatten)] form: ReviewForm,
) -> Result<(), AppError> {
    use crate::domain::{required_multiline, Problems};
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/report");
    forms::submit(
        Action::Administer,
        &form,
        back.clone(),
        async |state, viewer| {
            let report_id: i64 = form
                .report_id
                .trim()
                .parse()
                .map_err(|_| AppError::NotFound)?;
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            crate::registration::store::lock_event(&mut tx, event_id).await?;
            let Some(r) = store::latest_tx(&mut tx, event_id)
                .await?
                .filter(|r| r.id == report_id)
            else {
                return Err(AppError::Conflict(
                    "This version is no longer the latest: reload the page.".into(),
                ));
            };
            if r.status() != ReportStatus::Submitted {
                return Err(AppError::Conflict(format!(
                    "Version {} is {}, not waiting for approval.",
                    r.version,
                    r.status().label().to_lowercase()
                )));
            }
            let (action, notice) = match form.decision.as_str() {
                "approve" => {
                    if r.submitted_by == Some(viewer.person_id) {
                        return Err(AppError::Conflict(
                        "You submitted this report: another member of the secretariat approves it."
                            .into(),
                    ));
                    }
                    store::step(
                        &mut tx,
                        r.id,
                        &["submitted"],
                        "approved",
                        store::Step::Approve {
                            by: viewer.person_id,
                        },
                        now,
                    )
                    .await?;
                    (
                        "report_approved",
                        "The report is approved. It can now be published and sent.",
                    )
                }
                "return" => {
                    let mut p = Problems::new();
                    let comment = p.check(required_multiline(
                        "comment",
                        &form.comment,
                        "your comments for the chairs",
                        MAX_TEXT,
                    ));
                    p.done()?;
                    store::step(
                        &mut tx,
                        r.id,
                        &["submitted"],
                        "returned",
                        store::Step::Return { comment: &comment },
                        now,
                    )
                    .await?;
                    (
                        "report_returned",
                        "The report is returned to its chairs with your comments.",
                    )
                }
                _ => return Err(AppError::Conflict("Choose approve or return.".into())),
            };
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), action)
                    .on("event", event_id)
                    .detail(format!("version {}", r.version)),
                now,
            )
            .await?;
            let e = crate::events::store::event_record(&state.store, event_id).await?;
            let step = super::mail::StepOf {
                report_id: r.id,
                version: r.version,
                told: if action == "report_approved" {
                    super::mail::Told::Approved
                } else {
                    super::mail::Told::Returned
                },
                comment: form.comment.trim(),
            };
            server::tell(&mut tx, &state, &e, step, &viewer, now).await?;
            tx.commit().await?;
            state.mailer.wake();
            Ok(forms::Done::to(back.clone()).with_notice(notice))
        },
    )
    .await
}

/// Publish an approved version, start a correction, queue the failed messages
/// again, or remove a file of the draft.
#[server(endpoint = "report_step")]
pub async fn report_step(event_id: i64, #[server(flatten)] form: StepForm) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/report");
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let report_id: i64 = form.report_id.trim().parse().map_err(|_| AppError::NotFound)?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        crate::registration::store::lock_event(&mut tx, event_id).await?;
        let latest = store::latest_tx(&mut tx, event_id).await?;
        let r = store::by_id(&state.store, report_id).await?;
        if r.event_id != event_id {
            return Err(AppError::NotFound);
        }
        let is_latest = latest.as_ref().is_some_and(|l| l.id == r.id);
        let (action, detail, notice) = match form.step.as_str() {
            "publish" => {
                if form.confirmed != "yes" {
                    return Err(AppError::Conflict("Confirm publishing first.".into()));
                }
                if !is_latest
                    || !store::step(&mut tx, r.id, &["approved"], "published", store::Step::Publish, now)
                        .await?
                {
                    return Err(AppError::Conflict(
                        "Only the latest approved version can be published.".into(),
                    ));
                }
                (
                    "report_published",
                    format!("version {}", r.version),
                    "The report is published on the event's and the network's pages.".to_owned(),
                )
            }
            "correct" => {
                if !is_latest || !r.status().approved() {
                    return Err(AppError::Conflict(
                        "A correction starts from the latest approved version.".into(),
                    ));
                }
                store::create(&mut tx, event_id, Some(&r), viewer.person_id, now).await?;
                (
                    "report_correction_started",
                    format!("version {}", r.version + 1),
                    format!(
                        "Version {} is started as a copy of version {}: change it, say what changed, and submit it. Version {} stays as it is until the correction is approved.",
                        r.version + 1,
                        r.version,
                        r.version
                    ),
                )
            }
            "retry" => {
                let n = store::retry_failed(&mut tx, r.id, now).await?;
                (
                    "report_resent",
                    format!("version {}: {n} failed messages queued again", r.version),
                    format!(
                        "{} again.",
                        crate::ui::count_sentence(n as i64, "failed message is queued", "failed messages are queued")
                            .trim_end_matches('.')
                    ),
                )
            }
            "remove_file" => {
                let file_id: i64 = form.file_id.trim().parse().map_err(|_| AppError::NotFound)?;
                let Some(name) = store::remove_file(&mut tx, r.id, file_id).await? else {
                    return Err(AppError::Conflict(
                        "Files can be removed only while the report is a draft.".into(),
                    ));
                };
                (
                    "report_file_removed",
                    format!("version {}, file {file_id}: {name}", r.version),
                    format!("{name} is removed from the report."),
                )
            }
            _ => return Err(AppError::Conflict("Choose what to do.".into())),
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), action)
                .on("event", event_id)
                .detail(detail),
            now,
        )
        .await?;
        tx.commit().await?;
        if form.step == "retry" {
            state.mailer.wake();
        }
        Ok(forms::Done::to(format!("{back}#{}", if form.step == "retry" { "delivery" } else { "report" }))
            .with_notice(notice))
    })
    .await
}

/// `/events/:id/report/send`: whom the chosen groups reach, and a copy of the
/// message exactly as one of them will get it.
#[server(endpoint = "report_send_page", input = server_fn::codec::GetUrl)]
pub async fn report_send_page(
    event_id: i64,
    groups: Option<Vec<String>>,
    preview: Option<i64>,
) -> Result<SendPageData, AppError> {
    let groups = groups.unwrap_or_default();
    let (state, _, e) = crate::events::managed(event_id).await?;
    let Some(report) = store::latest_approved(&state.store, event_id).await? else {
        return Err(AppError::Conflict(
            "The report can be sent once the secretariat has approved it.".into(),
        ));
    };
    let chosen: Vec<RecipientGroup> = groups
        .iter()
        .filter_map(|g| RecipientGroup::parse(g))
        .collect();
    let day = state.clock.now().date_naive();
    let people = store::recipients(&state.store, e.id, e.network_id, &chosen, day).await?;
    let done = store::sent_to(&state.store, report.id).await?;
    let new: Vec<&store::Recipient> = people
        .iter()
        .filter(|p| !done.contains(&p.person_id))
        .collect();
    let shown = preview
        .and_then(|id| new.iter().find(|p| p.person_id == id).copied())
        .or_else(|| new.first().copied());
    let copy = match shown {
        Some(r) => {
            let ctx_parts = server::mail_parts(&state.store, &e, &report).await?;
            let ctx = ctx_parts.context(&e, &report);
            let guest = (!r.has_account).then(|| crate::platform::mail::outbox::MailSecret {
                token: "(personal-token-hidden)".into(),
                expires_at: state.clock.now(),
            });
            let m = super::mail::message(&state.security, &ctx, r, guest)?;
            Some(MailCopy {
                person_id: r.person_id,
                subject: m.content.subject,
                text: crate::platform::mail::outbox::redacted(&m.content.text),
                html: crate::platform::mail::outbox::redacted(&m.content.html),
                annex: r.gets_annex(),
            })
        }
        None => None,
    };
    Ok(SendPageData {
        event_id,
        event_title: e.title,
        report_id: report.id,
        version: report.version,
        groups: RecipientGroup::ALL
            .iter()
            .map(|g| {
                (
                    g.as_str().to_owned(),
                    g.label().to_owned(),
                    chosen.contains(g),
                )
            })
            .collect(),
        total: people.len() as i64,
        already: people.len() as i64 - new.len() as i64,
        with_annex: new.iter().filter(|p| p.gets_annex()).count() as i64,
        recipients: new
            .iter()
            .map(|p| {
                (
                    p.person_id,
                    format!(
                        "{} <{}>{}",
                        p.full_name,
                        p.email,
                        if p.gets_annex() {
                            " — with the annex"
                        } else {
                            ""
                        }
                    ),
                )
            })
            .collect(),
        copy,
    })
}

/// Sends the latest approved version to the chosen groups: one outbox row per
/// person, keyed by version and person, written in one transaction with the
/// sending's record and audit entry. Pressing twice, or two organisers at once,
/// mails each person once.
#[server(endpoint = "send_report")]
pub async fn send_report(event_id: i64, #[server(flatten)] form: SendForm) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/report");
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let report_id: i64 = form
            .report_id
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)?;
        let chosen: Vec<RecipientGroup> = [
            (&form.confirmed_participants, RecipientGroup::Confirmed),
            (&form.present, RecipientGroup::Present),
            (
                &form.national_contact_point,
                RecipientGroup::NationalContactPoints,
            ),
            (&form.associate_partner, RecipientGroup::AssociatePartners),
            (&form.observer, RecipientGroup::Observers),
        ]
        .into_iter()
        .filter(|(on, _)| on.as_str() == "yes")
        .map(|(_, g)| g)
        .collect();
        if chosen.is_empty() {
            return Err(AppError::Conflict(
                "Choose whom to send the report to.".into(),
            ));
        }
        if form.confirmed != "yes" {
            return Err(AppError::Conflict("Confirm sending first.".into()));
        }
        let e = crate::events::store::event_record(&state.store, event_id).await?;
        let now = state.clock.now();
        let domain = state.mailer.settings().message_id_domain();
        let mut tx = state.store.begin().await?;
        crate::registration::store::lock_event(&mut tx, event_id).await?;
        // Only the latest approved version is sent (a correction may be under way),
        // read under the event's lock, which every workflow step takes.
        let Some(report) = store::latest_approved(&state.store, event_id)
            .await?
            .filter(|r| r.id == report_id)
        else {
            return Err(AppError::Conflict(
                "Only the latest approved version of the report is sent.".into(),
            ));
        };
        let queued = server::queue(
            &mut tx,
            &state.store,
            &state.security,
            &domain,
            &e,
            &report,
            &chosen,
            now,
        )
        .await?;
        store::record_sending(
            &mut tx,
            report.id,
            &chosen,
            queued,
            Some(viewer.person_id),
            now,
        )
        .await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "report_sent")
                .on("event", event_id)
                .detail(format!(
                    "version {}: {queued} messages ({})",
                    report.version,
                    chosen
                        .iter()
                        .map(|g| g.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            now,
        )
        .await?;
        tx.commit().await?;
        state.mailer.wake();
        let notice = if queued == 0 {
            "Everyone chosen has been sent this version already: nobody is mailed twice.".to_owned()
        } else {
            format!(
                "{} Delivery is shown below.",
                crate::ui::count_sentence(
                    queued,
                    "message is on its way.",
                    "messages are on their way."
                )
                .trim_end_matches('.')
                .to_owned()
                    + "."
            )
        };
        Ok(forms::Done::to(format!("{back}#delivery")).with_notice(notice))
    })
    .await
}

/// How the messages of a report version are doing (the delivery island asks
/// every few seconds while some are queued).
#[server(endpoint = "report_delivery", input = server_fn::codec::GetUrl)]
pub async fn report_delivery(event_id: i64, report_id: i64) -> Result<Delivery, AppError> {
    let (state, _, _) = crate::events::managed(event_id).await?;
    let r = store::by_id(&state.store, report_id).await?;
    if r.event_id != event_id {
        return Err(AppError::NotFound);
    }
    Ok(store::delivery(&state.store, report_id).await?)
}

/// `/networks/:network/events/:event/report`: the report as its reader may see
/// it; not found when there is none for them.
#[server(endpoint = "report_page", input = server_fn::codec::GetUrl)]
pub async fn report_page(network: String, event: String) -> Result<ReportPageData, AppError> {
    use crate::platform::policy::Audience;
    let (state, viewer, details, _) = crate::events::api::readable_event(&network, &event).await?;
    let Some(reading) = super::files::reading_of(
        &state,
        viewer.as_ref(),
        details.network_id,
        details.id,
        details.status == crate::domain::EventStatus::Draft,
    )
    .await?
    else {
        return Err(AppError::NotFound);
    };
    let zone = crate::platform::localtime::event_zone(details.id, &details.time_zone)?;
    let files = store::files(&state.store, reading.report.id).await?;
    let has_annex = !reading.report.annex.trim().is_empty() || files.iter().any(|f| f.members_only);
    let view = server::view_of(&state, zone, &reading.report, reading.annex, &files).await?;
    Ok(ReportPageData {
        annex_hidden_note: (has_annex && !reading.annex).then(|| {
            if viewer.as_ref().is_some_and(|v| !v.is_guest()) {
                "The report has an annex for the network's members only.".to_owned()
            } else {
                "The report has an annex for the network's members only: members sign in to read it.".to_owned()
            }
        }),
        manage_href: (reading.audience == Audience::Organiser)
            .then(|| format!("/events/{}/report", details.id)),
        event_href: crate::events::event_href(&details.network_slug, &details.slug),
        event_dates: details.dates,
        network_slug: details.network_slug,
        network_name: details.network_name,
        event_title: details.title,
        report: view,
    })
}

/// The sending page's data.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SendPageData {
    pub event_id: i64,
    pub event_title: String,
    pub report_id: i64,
    pub version: i64,
    /// (code, label, chosen)
    pub groups: Vec<(String, String, bool)>,
    /// People in the chosen groups, and how many of them have it already.
    pub total: i64,
    pub already: i64,
    pub with_annex: i64,
    /// (person id, "Name <address> — with the annex") of those it will go to.
    pub recipients: Vec<(i64, String)>,
    pub copy: Option<MailCopy>,
}

/// One recipient's message as it will be sent.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MailCopy {
    pub person_id: i64,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub annex: bool,
}

#[cfg(feature = "ssr")]
pub mod server {
    //! What the server functions above share.
    use super::super::store::{self, FileMeta, ReportRow};
    use super::super::*;
    use crate::events::store::EventRecord;
    use crate::platform::AppState;
    use crate::AppError;

    /// The event page's link to the report and its summary as clean HTML, when its
    /// viewer has one to read (the rule of `files::reading`).
    pub async fn report_link(
        state: &AppState,
        viewer: Option<&crate::platform::auth::Viewer>,
        e: &crate::events::EventDetails,
        facts: crate::events::store::ReaderFacts,
    ) -> Result<Option<(String, String)>, AppError> {
        use super::super::files::{version_for, Version};
        let draft = e.status == crate::domain::EventStatus::Draft;
        let summary = match version_for(viewer, e.network_id, e.id, draft).0 {
            Version::Nothing => None,
            // Read with the event: anyone's version, or the one for the person the
            // event's statement read for.
            Version::Readable(None) => facts.published_report,
            Version::Readable(Some(person)) if facts.person == Some(person) => facts.person_report,
            Version::Readable(person) => store::readable(&state.store, e.id, person)
                .await?
                .map(|r| r.summary),
            Version::LatestApproved => store::latest_approved(&state.store, e.id)
                .await?
                .map(|r| r.summary),
        };
        Ok(summary.map(|summary| {
            (
                report_href(&e.network_slug, &e.slug),
                crate::platform::markdown::to_html_remembered(&summary),
            )
        }))
    }

    /// A file as pages list it.
    pub fn file_of(f: &FileMeta) -> ReportFile {
        ReportFile {
            id: f.id,
            filename: f.filename.clone(),
            description: super::super::mail::describe(f),
            members_only: f.members_only,
            href: format!("/reports/files/{}", f.id),
        }
    }

    /// The figures a version shows: frozen at submission, live while a draft.
    pub async fn attendance_of(
        s: &crate::platform::Store,
        r: &ReportRow,
    ) -> Result<Attendance, AppError> {
        Ok(match r.frozen_attendance() {
            Some(a) if !r.status().editable() => a,
            _ => store::attendance(s, r.event_id).await?,
        })
    }

    /// What every message of one sending is made of, read once.
    pub struct MailParts {
        pub network_name: String,
        pub attendance: Attendance,
        pub present: Vec<String>,
        pub files: Vec<FileMeta>,
    }

    impl MailParts {
        pub fn context<'a>(
            &'a self,
            e: &'a EventRecord,
            r: &'a ReportRow,
        ) -> super::super::mail::Context<'a> {
            super::super::mail::Context {
                event: e,
                network_name: &self.network_name,
                report: r,
                attendance: &self.attendance,
                present: &self.present,
                files: &self.files,
            }
        }
    }

    pub async fn mail_parts(
        s: &crate::platform::Store,
        e: &EventRecord,
        r: &ReportRow,
    ) -> Result<MailParts, AppError> {
        Ok(MailParts {
            network_name: store::network_name(s, e.network_id).await?,
            attendance: attendance_of(s, r).await?,
            present: store::present_names(s, e.id).await?,
            files: store::files(s, r.id).await?,
        })
    }

    /// Writes version `report`'s message for everyone in `groups` who has not had
    /// it yet, in `tx` (which locked the event): a personal link for each
    /// recipient without an account, one outbox row each, keyed by version and
    /// person. Returns how many were queued.
    #[allow(clippy::too_many_arguments)]
    pub async fn queue(
        tx: &mut crate::platform::db::Tx<'_>,
        s: &crate::platform::Store,
        security: &crate::platform::auth::SecuritySettings,
        domain: &str,
        e: &EventRecord,
        report: &ReportRow,
        groups: &[RecipientGroup],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<i64, AppError> {
        use crate::platform::guests::{issue_link, GuestAction};
        use crate::platform::mail::outbox::{enqueue_many, MailSecret};
        let people = store::recipients(s, e.id, e.network_id, groups, now.date_naive()).await?;
        let done = store::already_sent(tx, report.id).await?;
        let parts = mail_parts(s, e, report).await?;
        let ctx = parts.context(e, report);
        let valid = chrono::Duration::days(GUEST_LINK_DAYS);
        let mut mails = Vec::new();
        for r in people.iter().filter(|p| !done.contains(&p.person_id)) {
            let guest = if r.has_account {
                None
            } else {
                let token = issue_link(
                    tx,
                    r.person_id,
                    e.id,
                    &[GuestAction::ReadReport],
                    valid,
                    now,
                )
                .await?;
                Some(MailSecret {
                    token,
                    expires_at: now + valid,
                })
            };
            match super::super::mail::message(security, &ctx, r, guest) {
                Ok(m) => mails.push(m),
                // An address the directory holds but mail cannot take: logged.
                Err(AppError::Validation(_)) => {
                    tracing::warn!(
                        person = r.person_id,
                        "report not sent: the address is not usable"
                    )
                }
                Err(other) => return Err(other),
            }
        }
        Ok(enqueue_many(tx, &mails, domain, now)
            .await?
            .iter()
            .flatten()
            .count() as i64)
    }

    /// Tells the secretariat (a submission) or the event's chairs and organisers (a
    /// return or an approval) about `step`, in `tx`, leaving out `actor` (who
    /// knows already).
    pub async fn tell(
        tx: &mut crate::platform::db::Tx<'_>,
        state: &AppState,
        e: &EventRecord,
        step: super::super::mail::StepOf<'_>,
        actor: &crate::platform::auth::Viewer,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), AppError> {
        use super::super::mail::{step_message, Told};
        let people: Vec<(i64, String, String)> = match step.told {
            Told::Submitted => store::secretariat(&state.store).await?,
            Told::Returned | Told::Approved => {
                let mut team: Vec<(i64, String, String)> =
                    crate::events::store::event_people(&state.store, e.id)
                        .await?
                        .into_iter()
                        .map(|p| (p.person_id, p.full_name, p.email))
                        .collect();
                team.dedup_by_key(|p| p.0);
                team
            }
        };
        let domain = state.mailer.settings().message_id_domain();
        let mut mails = Vec::new();
        for (id, name, address) in people.iter().filter(|p| p.0 != actor.person_id) {
            match step_message(&state.security, e, &step, (*id, name, address), &actor.name) {
                Ok(m) => mails.push(m),
                Err(AppError::Validation(_)) => {
                    tracing::warn!(
                        person = id,
                        "not told of a report step: the address is not usable"
                    )
                }
                Err(other) => return Err(other),
            }
        }
        crate::platform::mail::outbox::enqueue_many(tx, &mails, &domain, now).await?;
        Ok(())
    }

    /// How long a report's personal link works.
    pub const GUEST_LINK_DAYS: i64 = 180;

    /// A version as a reader sees it; the annex and its files only when `annex`.
    /// `files` are the version's, all of them: those of the annex are left out here
    /// when `annex` is false.
    pub async fn view_of(
        state: &AppState,
        z: chrono_tz::Tz,
        r: &ReportRow,
        annex: bool,
        files: &[FileMeta],
    ) -> Result<ReportView, AppError> {
        use crate::platform::markdown::to_html;
        let files = files
            .iter()
            .filter(|f| annex || !f.members_only)
            .map(file_of)
            .collect();
        let dates = match (r.published_at, r.approved_at) {
            (Some(p), _) => format!("Published {}", crate::platform::localtime::local_date(p, z)),
            (None, Some(a)) => format!("Approved {}", crate::platform::localtime::local_date(a, z)),
            _ => String::new(),
        };
        Ok(ReportView {
            id: r.id,
            version: r.version,
            status: r.status(),
            summary_html: to_html(&r.summary),
            conclusions_html: to_html(&r.conclusions),
            next_steps_html: to_html(&r.next_steps),
            annex_html: annex.then(|| to_html(&r.annex)),
            present: if annex {
                Some(store::present_names(&state.store, r.event_id).await?)
            } else {
                None
            },
            change_note: if r.version > 1 {
                r.change_note.clone()
            } else {
                String::new()
            },
            attendance: attendance_of(&state.store, r).await?,
            files,
            dates,
        })
    }

    /// The organisers' view of the latest version, with its history.
    pub async fn managed_report(
        state: &AppState,
        e: &EventRecord,
        r: &ReportRow,
    ) -> Result<ManagedReport, AppError> {
        let z = crate::platform::localtime::event_zone(e.id, &e.time_zone)?;
        let when = |t: chrono::DateTime<chrono::Utc>| crate::platform::localtime::date_time(t, z);
        let mut history = vec![format!(
            "Version {} started {}",
            r.version,
            when(r.created_at)
        )];
        if let (Some(at), Some(by)) = (r.submitted_at, r.submitted_by) {
            history.push(format!(
                "Submitted for approval {} by {}",
                when(at),
                store::person_name(&state.store, by).await?
            ));
        }
        if r.status() == ReportStatus::Returned {
            history.push("Returned with comments by the secretariat".to_owned());
        }
        if let (Some(at), Some(by)) = (r.approved_at, r.approved_by) {
            history.push(format!(
                "Approved {} by {}",
                when(at),
                store::person_name(&state.store, by).await?
            ));
        }
        if let Some(at) = r.published_at {
            history.push(format!("Published {}", when(at)));
        }
        Ok(ManagedReport {
            id: r.id,
            version: r.version,
            status: r.status(),
            summary: r.summary.clone(),
            conclusions: r.conclusions.clone(),
            next_steps: r.next_steps.clone(),
            annex: r.annex.clone(),
            change_note: r.change_note.clone(),
            review_comment: r.review_comment.clone(),
            attendance: attendance_of(&state.store, r).await?,
            files: store::files(&state.store, r.id)
                .await?
                .iter()
                .map(file_of)
                .collect(),
            history,
            rendered: [
                ("Summary", &r.summary),
                ("Conclusions", &r.conclusions),
                ("Next steps", &r.next_steps),
                ("Members-only annex", &r.annex),
            ]
            .into_iter()
            .filter(|(_, t)| !t.trim().is_empty())
            .map(|(h, t)| (h.to_owned(), crate::platform::markdown::to_html(t)))
            .collect(),
        })
    }
}
