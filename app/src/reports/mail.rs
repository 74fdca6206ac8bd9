//! The message that carries an outcome report to one recipient: the report's
//! texts, the attendance figures, the members-only annex only for those entitled,
//! and its files as a link to the report's page (a personal link for a recipient
//! without an account). The same function makes the organisers' preview.
use super::store::{FileMeta, Recipient, ReportRow};
use super::Attendance;
use crate::events::store::EventRecord;
use crate::platform::auth::SecuritySettings;
use crate::platform::mail::outbox::{MailSecret, NewMail, SECRET_MARKER};
use crate::platform::mail::template::{one_line, Block, Email};
use crate::AppError;

/// What every recipient's message of one sending is made of.
pub struct Context<'a> {
    pub event: &'a EventRecord,
    pub network_name: &'a str,
    pub report: &'a ReportRow,
    pub attendance: &'a Attendance,
    pub present: &'a [String],
    pub files: &'a [FileMeta],
}

/// "PDF, 1.2 MB".
pub fn describe(f: &FileMeta) -> String {
    let kind = super::files::Kind::of_content_type(&f.content_type).map_or("File", |k| k.label());
    let size = f.size as f64;
    let size = if size >= 1_000_000.0 {
        format!("{:.1} MB", size / 1_000_000.0)
    } else {
        format!("{} KB", (size / 1000.0).ceil().max(1.0) as i64)
    };
    format!("{kind}, {size}")
}

/// The figures as label/value lines.
pub fn attendance_facts(a: &Attendance) -> Vec<(String, String)> {
    let mut facts = vec![("Present in all".to_owned(), a.total.to_string())];
    facts.extend(
        a.by_category
            .iter()
            .map(|(c, n)| (c.clone(), n.to_string())),
    );
    if !a.by_member_state.is_empty() {
        facts.push((
            "By Member State".to_owned(),
            a.by_member_state
                .iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    facts
}

/// The message for `r`; `guest` is the personal link's token and its end for a
/// recipient without an account (the token goes into the message only at
/// delivery).
pub fn message(
    security: &SecuritySettings,
    ctx: &Context<'_>,
    r: &Recipient,
    guest: Option<MailSecret>,
) -> Result<NewMail, AppError> {
    let e = ctx.event;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("event {} has a bad zone", e.id)))?;
    let dates = crate::platform::localtime::date_span(e.starts_at, e.ends_at, zone);
    let report = ctx.report;
    let annex = r.gets_annex();
    let correction = report.version > 1;
    let title = one_line(&e.title);
    let mut blocks = Vec::new();
    if correction {
        blocks.push(Block::Paragraph(format!(
            "The outcome report of {title} ({dates}) has been corrected and approved again by the secretariat. This is version {} and replaces the one sent before.",
            report.version
        )));
        if !report.change_note.trim().is_empty() {
            blocks.push(Block::Heading("What changed".into()));
            blocks.push(Block::Markdown(report.change_note.clone()));
        }
    } else {
        blocks.push(Block::Paragraph(format!(
            "The secretariat has approved the outcome report of {title} ({dates}). It follows below."
        )));
    }
    for (heading, text) in [
        ("Summary", &report.summary),
        ("Conclusions", &report.conclusions),
        ("Next steps", &report.next_steps),
    ] {
        if !text.trim().is_empty() {
            blocks.push(Block::Heading(heading.into()));
            blocks.push(Block::Markdown(text.clone()));
        }
    }
    if ctx.attendance.total > 0 {
        blocks.push(Block::Heading("Attendance".into()));
        blocks.push(Block::Facts(attendance_facts(ctx.attendance)));
    }
    if annex && (!report.annex.trim().is_empty() || !ctx.present.is_empty()) {
        blocks.push(Block::Heading("Members-only annex".into()));
        blocks.push(Block::Paragraph(
            "For the members of the network only: please do not forward this part.".into(),
        ));
        if !report.annex.trim().is_empty() {
            blocks.push(Block::Markdown(report.annex.clone()));
        }
        if !ctx.present.is_empty() {
            blocks.push(Block::Paragraph(format!(
                "Present: {}.",
                ctx.present.join(", ")
            )));
        }
    }
    let files: Vec<(String, String)> = ctx
        .files
        .iter()
        .filter(|f| annex || !f.members_only)
        .map(|f| {
            (
                one_line(&f.filename),
                format!(
                    "{}{}",
                    describe(f),
                    if f.members_only { ", members only" } else { "" }
                ),
            )
        })
        .collect();
    let page = security.link(&super::report_href(&e.network_slug, &e.slug));
    let (link_label, url) = match &guest {
        Some(_) => (
            "Read the report and open its files (your personal link)",
            security.link(&format!("/guest/{SECRET_MARKER}")),
        ),
        None => ("Read the report and open its files on Convene", page),
    };
    if !files.is_empty() {
        blocks.push(Block::Heading("Files".into()));
        blocks.push(Block::Facts(files));
    }
    blocks.push(Block::Link {
        label: link_label.into(),
        url,
    });
    let recipient = crate::domain::EmailAddress::parse(&r.email).map_err(AppError::from)?;
    Ok(NewMail {
        dedupe_key: super::store::dedupe_key(report.id, r.person_id),
        kind: "report".into(),
        event_id: Some(e.id),
        person_id: Some(r.person_id),
        recipient,
        recipient_name: Some(one_line(&r.full_name)),
        content: Email {
            subject: format!(
                "{}: {title}",
                if correction {
                    "Corrected outcome report"
                } else {
                    "Outcome report"
                }
            ),
            greeting: Some(format!("Dear {},", one_line(&r.full_name))),
            blocks,
            reason: format!(
                "You receive this because you took part in {title} or are a member of {}.",
                one_line(ctx.network_name)
            ),
        }
        .render(),
        calendar: None,
        attachments: vec![],
        secret: guest,
    })
}

/// A step of the workflow that someone is told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    /// To the secretariat: a version waits for approval.
    Submitted,
    /// To the event's chairs and organisers: returned with comments.
    Returned,
    /// To the event's chairs and organisers: approved, may be published and sent.
    Approved,
}

/// A step of one version: (report id, version number, the secretariat's comments
/// for a return).
pub struct StepOf<'a> {
    pub report_id: i64,
    pub version: i64,
    pub told: Told,
    pub comment: &'a str,
}

/// The message telling `(person, name, address)` about a step of event `e`'s
/// report, taken by `by`.
pub fn step_message(
    security: &SecuritySettings,
    e: &EventRecord,
    step: &StepOf<'_>,
    to: (i64, &str, &str),
    by: &str,
) -> Result<NewMail, AppError> {
    let (person_id, name, address) = to;
    let title = one_line(&e.title);
    let (version, told) = (step.version, step.told);
    let (subject, said, reason) = match told {
        Told::Submitted => (
            format!("Outcome report to approve: {title}"),
            format!("{} submitted version {version} of the outcome report of {title} for approval. Approve it, or return it to its chairs with your comments.", one_line(by)),
            "You receive this because you hold the secretariat's rights in Convene.",
        ),
        Told::Returned => (
            format!("Outcome report returned: {title}"),
            format!("{} returned version {version} of the outcome report of {title} with comments. Change the draft and submit it again.", one_line(by)),
            "You receive this because you chair or organise this meeting.",
        ),
        Told::Approved => (
            format!("Outcome report approved: {title}"),
            format!("{} approved version {version} of the outcome report of {title}. It can now be published and sent to those who took part.", one_line(by)),
            "You receive this because you chair or organise this meeting.",
        ),
    };
    let mut blocks = vec![Block::Paragraph(said)];
    if told == Told::Returned && !step.comment.trim().is_empty() {
        blocks.push(Block::Heading("Comments".into()));
        blocks.push(Block::Paragraph(step.comment.to_owned()));
    }
    blocks.push(Block::Link {
        label: "Open the report".into(),
        url: security.link(&format!("/events/{}/report", e.id)),
    });
    Ok(NewMail {
        dedupe_key: format!(
            "report-step:{}:{}:{person_id}:{}",
            step.report_id,
            match told {
                Told::Submitted => "submitted",
                Told::Returned => "returned",
                Told::Approved => "approved",
            },
            uuid::Uuid::new_v4().simple()
        ),
        kind: "report_step".into(),
        event_id: Some(e.id),
        person_id: Some(person_id),
        recipient: crate::domain::EmailAddress::parse(address).map_err(AppError::from)?,
        recipient_name: Some(one_line(name)),
        content: Email {
            subject,
            greeting: Some(format!("Dear {},", one_line(name))),
            blocks,
            reason: reason.into(),
        }
        .render(),
        calendar: None,
        attachments: vec![],
        secret: None,
    })
}
