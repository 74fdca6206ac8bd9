//! Registration: places within the event's capacity, the waiting list, and
//! cancelling with promotion of the first waiting. Invitees register through
//! their personal link (`invitations`); the rules and their SQL live here.
pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

/// The participants' export as a spreadsheet file: its columns and rows, in the
/// event's zone. Held by the organisers only (`Action::ManageEvent`).
#[cfg(feature = "ssr")]
pub fn participants_csv(
    rows: &[store::ParticipantRow],
    questions: &[questions::Question],
    answers: &[(i64, i64, String)],
    zone: chrono_tz::Tz,
) -> String {
    let mut header: Vec<String> = [
        "Name",
        "Email",
        "Organisation",
        "Member State",
        "Status",
        "Waiting-list position",
        "Attendance",
        "Dietary requirements",
        "Accessibility needs",
        "On the participant list",
        "Registered at",
        "Role",
        "Registered by",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    // One column per question, in the form's order.
    header.extend(questions.iter().map(|q| q.label.clone()));
    let body = rows.iter().map(|r| {
        let mut line = vec![
            r.full_name.clone(),
            r.email.clone(),
            r.organisation.clone().unwrap_or_default(),
            crate::domain::MemberState::name_of(r.member_state.as_deref()),
            status_label(&r.status).to_owned(),
            r.waitlist_position
                .map(|p| p.to_string())
                .unwrap_or_default(),
            attendance_label(&r.attendance).to_owned(),
            r.dietary.clone(),
            r.accessibility.clone(),
            if r.list_consent { "yes" } else { "no" }.to_owned(),
            r.created_at
                .with_timezone(&zone)
                .format("%Y-%m-%d %H:%M %Z")
                .to_string(),
            r.delegation_role.clone(),
            r.registered_by.clone().unwrap_or_default(),
        ];
        line.extend(questions.iter().map(|q| {
            answers
                .iter()
                .find(|(p, id, _)| *p == r.person_id && *id == q.id)
                .map(|(_, _, a)| questions::answer_text(&q.kind, a))
                .unwrap_or_default()
        }));
        line
    });
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv::document(&header, body)
}

/// A registration's status in words.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "pending" => "Awaiting approval",
        "rejected" => "Declined by the organisers",
        "confirmed" => "Confirmed",
        "waitlisted" => "On the waiting list",
        "cancelled" => "Cancelled",
        _ => "Unknown",
    }
}

/// How a person attends, in words.
pub fn attendance_label(attendance: &str) -> &'static str {
    match attendance {
        "online" => "Online",
        _ => "In person",
    }
}

/// One registration in the organisers' list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParticipantLine {
    pub person_id: i64,
    /// The stored status (`pending`, `confirmed`, …), for the actions offered.
    pub state: String,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub member_state: String,
    pub status: String,
    pub attendance: String,
    /// Dietary requirements and accessibility needs.
    pub needs: String,
    /// "Registered by Anna Schmidt (delegation), Prosecutor".
    pub registered_by: String,
    /// The answers to the event's questions: (question, answer).
    pub answers: Vec<(String, String)>,
}

/// `/events/:id/participants`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParticipantsData {
    pub event_id: i64,
    pub title: String,
    pub summary: String,
    /// "3 of 40 places free; 2 waiting."
    pub places: String,
    /// Whether registration waits for approval.
    pub moderated: bool,
    pub rows: Vec<ParticipantLine>,
    /// How many registrations the filters leave out.
    pub hidden: usize,
    /// The filters as chosen: status, category, Member State, attendance.
    pub filter: ParticipantFilter,
    pub member_states: Vec<crate::ui::Choice>,
    /// Places per delegation, and each Member State's use of them.
    pub quota: Option<i64>,
    pub delegations: Vec<DelegationSeats>,
    pub decision_form: crate::ui::FormState,
}

/// The participant list's filters (query parameters; empty: all).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ParticipantFilter {
    pub status: String,
    pub category: String,
    pub member_state: String,
    pub attendance: String,
}

crate::ui::form_fields!(
    /// Recording one participant on one day (`q` keeps the search).
    AttendanceForm, "check-in", secret [] { person_id, day, status, q }
);

/// One participant at check-in.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CheckInLine {
    pub person_id: i64,
    pub name: String,
    pub organisation: String,
    pub member_state: String,
    pub attendance: String,
    /// `present`, `excused`, `absent`, or empty when not recorded yet.
    pub status: String,
}

/// `/events/:id/check-in`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CheckInData {
    pub event_id: i64,
    pub title: String,
    /// (YYYY-MM-DD, "Wednesday 17 March 2027") of every day of the event.
    pub days: Vec<(String, String)>,
    pub day: String,
    pub day_label: String,
    pub query: String,
    /// "12 of 40 present on Wednesday 17 March 2027."
    pub summary: String,
    pub rows: Vec<CheckInLine>,
    pub form: crate::ui::FormState,
}

/// What an attendance status says.
pub fn attendance_status_label(status: &str) -> &'static str {
    match status {
        "present" => "Present",
        "excused" => "Excused",
        "absent" => "Absent",
        _ => "Not recorded",
    }
}

/// One name badge.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Badge {
    pub name: String,
    pub organisation: String,
    pub member_state: String,
}

/// `/events/:id/badges`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BadgesData {
    pub event_id: i64,
    pub title: String,
    pub dates: String,
    pub badges: Vec<Badge>,
}

pub mod questions;

crate::ui::form_fields!(
    /// Who may register without an invitation, and whether registrations wait for
    /// approval.
    RulesForm, "rules", secret [] { open_national_contact_point, open_associate_partner, open_observer, moderated }
);
crate::ui::form_fields!(
    /// Adding a question to the registration form.
    QuestionForm, "question", secret [] { kind, label, choices, required }
);
crate::ui::form_fields!(
    /// Moving or removing a question (`action`: up, down, remove).
    QuestionActionForm, "question-action", secret [] { question_id, action }
);
crate::ui::form_fields!(
    /// An organiser's decision on one registration (`decision`: approve, reject,
    /// give_place, cancel), with a message for the person.
    DecisionForm, "decision", secret [] { person_id, decision, message, confirmed }
);
crate::ui::form_fields!(
    /// A National Contact Point registers a colleague of their delegation.
    DelegateForm, "delegate", secret [] { full_name, email, organisation, role, privacy }
);

/// `/events/:id/registration`: the organisers' settings of registration.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SettingsData {
    pub event_id: i64,
    pub title: String,
    pub network: String,
    /// (category, label, open)
    pub open_to: Vec<(String, String, bool)>,
    pub moderated: bool,
    /// "Places: 40. Per delegation: 3." with a link to change them.
    pub places: String,
    pub questions: Vec<questions::Question>,
    pub rules_form: crate::ui::FormState,
    pub question_form: crate::ui::FormState,
    pub action_form: crate::ui::FormState,
}

/// A National Contact Point's delegation for an event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DelegationView {
    /// "Germany".
    pub member_state: String,
    /// "2 of 3 places of Germany's delegation are taken."
    pub seats: String,
    /// Whether a place is left.
    pub room: bool,
    /// (name, email, role, status in words)
    pub members: Vec<(String, String, String, String)>,
    pub form: crate::ui::FormState,
}

/// One Member State's use of its delegation's places.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DelegationSeats {
    pub member_state: String,
    pub used: i64,
}
