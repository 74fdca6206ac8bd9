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

/// One line of the audit log, as a sentence: "{actor} {phrase} {subject}".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    pub actor: String,
    /// The stored code, for filtering (`data-action`).
    pub action: String,
    /// What happened, in words: "disabled the account of".
    pub phrase: String,
    pub subject: String,
    /// The subject's page, when it still has one (never for an erased person).
    pub subject_href: Option<String>,
    pub detail: String,
    pub client: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditData {
    pub rows: Vec<AuditLine>,
    /// (code, words) of every action in the log, to filter by.
    pub actions: Vec<(String, String)>,
}

/// What an audit action means, as the middle of a sentence whose subject is who did
/// it and whose object is what it was done to.
pub fn action_phrase(action: &str) -> String {
    let phrase = match action {
        "account_created" => "created an account for",
        "account_disabled" => "disabled the account of",
        "account_enabled" => "enabled the account of",
        "secretariat_granted" => "gave the secretariat's rights to",
        "secretariat_revoked" => "withdrew the secretariat's rights from",
        "password_link_sent" => "sent a password link to",
        "sign_in_link_sent" => "sent a sign-in link to",
        "password_set" => "set a password",
        "password_changed" => "changed the password",
        "sign_in" => "signed in",
        "sign_out" => "signed out",
        "sign_out_everywhere" => "signed out on every device",
        "sign_in_failed" => "failed to sign in as",
        "sign_in_refused" => "was refused signing in",
        "link_request_refused" => "was refused a link",
        "person_exported" => "exported the data held about",
        "person_created" => "added",
        "person_updated" => "changed the details of",
        "own_details_updated" => "changed the own details of",
        "person_erased" => "erased",
        "membership_added" => "added a membership to",
        "membership_ended" => "ended a membership of",
        "membership_removed" => "removed a membership of",
        "organisation_created" => "added the organisation",
        "organisation_updated" => "changed the organisation",
        "network_created" => "added the network",
        "network_updated" => "changed the network",
        "event_created" => "created the event",
        "event_updated" => "changed the event",
        "event_status_changed" => "changed the status of the event",
        "event_role_added" => "gave a role in the event",
        "event_role_removed" => "took a role away in the event",
        "event_deleted" => "deleted the draft event",
        "invitations_sent" => "sent invitations to the event",
        "invitations_reminded" => "reminded the invitees of the event",
        "invitation_revoked" => "revoked an invitation to the event",
        "invitation_declined" => "declined the invitation to the event",
        "registered" => "registered for the event",
        "registration_cancelled" => "cancelled their registration for the event",
        "registration_promoted" => "gave a freed place to",
        "registration_changed" => "changed their registration for the event",
        "registration_approved" => "approved the registration of",
        "registration_rejected" => "declined the registration of",
        "registration_given_place" => "gave a place out of turn to",
        "registration_cancelled_by_organisers" => "cancelled the registration of",
        "registration_rules_changed" => "changed who may register for the event",
        "question_added" => "added a question to the registration form of the event",
        "question_moved" => "reordered the registration questions of the event",
        "question_removed" => "removed a question from the registration form of the event",
        "participants_exported" => "downloaded the participant list of the event",
        "attendance_recorded" => "recorded attendance at the event",
        "mail_resent" => "sent again the message",
        "guest_link_issued" => "issued a guest link for",
        other => return other.replace('_', " "),
    };
    phrase.to_owned()
}
