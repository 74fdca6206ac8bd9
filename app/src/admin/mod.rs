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
