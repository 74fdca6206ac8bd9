//! The secretariat's pages: the mail log (and, beside it, the audit log). Every
//! server function here asks the policy (`platform::policy`) before it reads.
pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

/// One line of the mail log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailLogRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    /// What the status means for a reader, e.g. "not sent: no SMTP server configured".
    pub status_text: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created: String,
    pub sent: Option<String>,
    pub event_title: Option<String>,
    pub resend_of: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailLogData {
    pub rows: Vec<MailLogRow>,
    pub events: Vec<(i64, String)>,
    pub smtp_configured: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailMessageData {
    pub row: MailLogRow,
    pub message_id: String,
    pub from: String,
    pub body_text: String,
    pub body_html: String,
    pub attachments: Vec<String>,
    pub calendar_method: Option<String>,
}

/// The secretariat's overview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub people: i64,
    pub accounts: i64,
    pub events: i64,
    pub drafts: i64,
    pub mail_waiting: i64,
    pub mail_failed: i64,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// Link to the subject when it is a person.
    pub subject_href: Option<String>,
    pub detail: String,
    pub client: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditData {
    pub rows: Vec<AuditLine>,
    pub actions: Vec<String>,
}
