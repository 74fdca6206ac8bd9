//! The secretariat's pages. Until accounts exist they sit behind HTTP Basic
//! authentication with `CONVENE_ADMIN_PASSWORD` (user `admin`), checked by a
//! middleware on `/admin` and again inside every server function here; without the
//! variable they do not exist (404).
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
