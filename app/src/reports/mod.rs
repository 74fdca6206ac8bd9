//! Outcome reports: after a meeting its chairs and organisers draft the report
//! (summary, conclusions, next steps, a members-only annex, files, the attendance
//! figures), the secretariat approves it or returns it with comments, it is
//! published on the event's and the network's pages and mailed to those who took
//! part. An approved report is frozen: a correction is a new version that goes
//! through approval again and is sent as an update that says what changed.
//!
//! Rooms: `api.rs` (server functions), `pages.rs` (the organisers' page and the
//! readers' page), `store.rs` (SQL), `mail.rs` (the message each recipient gets),
//! `files.rs` (checking, storing and serving the attached files).
pub mod api;
#[cfg(feature = "ssr")]
pub mod files;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// Where a report version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportStatus {
    /// Being written by the event's chairs and organisers.
    Draft,
    /// Waiting for the secretariat.
    Submitted,
    /// Sent back by the secretariat with comments; editable again.
    Returned,
    /// Approved and frozen; may be sent and published.
    Approved,
    /// On the event's and the network's public pages.
    Published,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 5] = [
        ReportStatus::Draft,
        ReportStatus::Submitted,
        ReportStatus::Returned,
        ReportStatus::Approved,
        ReportStatus::Published,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Approved => "approved",
            ReportStatus::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "Draft",
            ReportStatus::Submitted => "Submitted for approval",
            ReportStatus::Returned => "Returned with comments",
            ReportStatus::Approved => "Approved",
            ReportStatus::Published => "Published",
        }
    }

    /// Whether its chairs and organisers may still change the text and files.
    pub fn editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// Whether the secretariat approved it (it is frozen, may be sent).
    pub fn approved(self) -> bool {
        matches!(self, ReportStatus::Approved | ReportStatus::Published)
    }
}

/// Whom a report is sent to, chosen when sending; a person in several groups gets
/// one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecipientGroup {
    /// Everyone holding a confirmed place.
    Confirmed,
    /// Everyone the attendance register records as present on any day.
    Present,
    /// Active members of the event's network, by category.
    NationalContactPoints,
    AssociatePartners,
    Observers,
}

impl RecipientGroup {
    pub const ALL: [RecipientGroup; 5] = [
        RecipientGroup::Confirmed,
        RecipientGroup::Present,
        RecipientGroup::NationalContactPoints,
        RecipientGroup::AssociatePartners,
        RecipientGroup::Observers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecipientGroup::Confirmed => "confirmed",
            RecipientGroup::Present => "present",
            RecipientGroup::NationalContactPoints => "national_contact_point",
            RecipientGroup::AssociatePartners => "associate_partner",
            RecipientGroup::Observers => "observer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            RecipientGroup::Confirmed => "Confirmed participants",
            RecipientGroup::Present => "Present according to the attendance register",
            RecipientGroup::NationalContactPoints => "All National Contact Points of the network",
            RecipientGroup::AssociatePartners => "All Associate Partners of the network",
            RecipientGroup::Observers => "All Observers of the network",
        }
    }
}

/// Present people per category and Member State, as the report shows them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Attendance {
    pub total: i64,
    /// (category in words, how many), largest first.
    pub by_category: Vec<(String, i64)>,
    /// (Member State in words, how many), by name.
    pub by_member_state: Vec<(String, i64)>,
}

/// A file of a report as pages list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportFile {
    pub id: i64,
    pub filename: String,
    /// "PDF, 1.2 MB".
    pub description: String,
    pub members_only: bool,
    pub href: String,
}

/// One report version as a reader sees it: the texts as clean HTML, the annex only
/// for those entitled (otherwise empty, never sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: i64,
    pub version: i64,
    pub status: ReportStatus,
    pub summary_html: String,
    pub conclusions_html: String,
    pub next_steps_html: String,
    /// Only for members of the network, the event's organisers and the
    /// secretariat.
    pub annex_html: Option<String>,
    /// Names of those present, in the annex too.
    pub present: Option<Vec<String>>,
    pub change_note: String,
    pub attendance: Attendance,
    pub files: Vec<ReportFile>,
    /// "Approved 3 March 2027" / "Published …".
    pub dates: String,
}

/// `/networks/:n/events/:e/report`: the outcome report of an event as its reader
/// may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportPageData {
    pub network_slug: String,
    pub network_name: String,
    pub event_title: String,
    pub event_href: String,
    pub event_dates: String,
    pub report: ReportView,
    /// Why the annex is not shown ("Sign in as a member …"), when it exists.
    pub annex_hidden_note: Option<String>,
    /// The organisers' page of the report, for those who manage the event.
    pub manage_href: Option<String>,
}

/// Delivery of a report version's messages, from the outbox.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    /// (name, address, error) of each failed message.
    pub failures: Vec<(String, String, String)>,
}

impl Delivery {
    pub fn total(&self) -> i64 {
        self.queued + self.sent + self.failed
    }
}

/// `/events/:id/report`: the organisers' page of an event's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportManageData {
    pub event_id: i64,
    pub event_title: String,
    /// The event has ended (a report may be written).
    pub ended: bool,
    pub ends: String,
    /// The latest version, if one was started.
    pub current: Option<ManagedReport>,
    /// The public page of the report, when a version is published.
    pub public_href: Option<String>,
    /// The viewer has the secretariat's rights (approves and returns).
    pub secretariat: bool,
    /// The viewer submitted the version waiting for approval (may not approve it).
    pub submitted_by_viewer: bool,
    /// (group code, label, how many people) for sending.
    pub groups: Vec<(String, String, i64)>,
    /// The version that is sent: the latest approved one.
    pub sendable_id: Option<i64>,
    pub delivery: Delivery,
    /// Earlier sendings: "12 March 2027, 10:02 — Confirmed participants: 38 messages (Anna Kowalska)".
    pub sendings: Vec<String>,
    pub draft_form: crate::ui::FormState,
    pub review_form: crate::ui::FormState,
    pub send_form: crate::ui::FormState,
    pub step_form: crate::ui::FormState,
    /// The result of the last upload (`?file=…`).
    pub upload_message: Option<(bool, String)>,
}

/// The latest version of a report, as its organisers work on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedReport {
    pub id: i64,
    pub version: i64,
    pub status: ReportStatus,
    pub summary: String,
    pub conclusions: String,
    pub next_steps: String,
    pub annex: String,
    pub change_note: String,
    pub review_comment: String,
    pub attendance: Attendance,
    pub files: Vec<ReportFile>,
    /// Its history in words, oldest first.
    pub history: Vec<String>,
    /// (heading, clean HTML) of each part that has text, as readers will see it.
    pub rendered: Vec<(String, String)>,
}

crate::ui::form_fields!(
    /// The texts of a draft report (`intent`: save or submit).
    DraftForm, "report", secret [] { summary, conclusions, next_steps, annex, change_note, intent }
);
crate::ui::form_fields!(
    /// The secretariat's decision on a submitted report (`decision`: approve or
    /// return), with comments for a return.
    ReviewForm, "review", secret [] { report_id, decision, comment }
);
crate::ui::form_fields!(
    /// One step of the workflow without fields: publish, correct, retry (the failed
    /// messages), remove_file (with `file_id`); `confirmed` for publish.
    StepForm, "report-step", secret [] { report_id, step, file_id, confirmed }
);
crate::ui::form_fields!(
    /// Sending an approved report: the groups ticked, and `preview` to see a
    /// recipient's copy first.
    SendForm, "send", secret [] { report_id, confirmed, confirmed_participants, present, national_contact_point, associate_partner, observer }
);

/// The public page of an event's report.
pub fn report_href(network: &str, event: &str) -> String {
    format!("/networks/{network}/events/{event}/report")
}
