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
pub fn participants_csv(rows: &[store::ParticipantRow], zone: chrono_tz::Tz) -> String {
    let header = [
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
    ];
    let body = rows.iter().map(|r| {
        vec![
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
        ]
    });
    csv::document(&header, body)
}

/// A registration's status in words.
pub fn status_label(status: &str) -> &'static str {
    match status {
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
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub member_state: String,
    pub status: String,
    pub attendance: String,
    /// Dietary requirements and accessibility needs.
    pub needs: String,
}

/// `/events/:id/participants`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParticipantsData {
    pub event_id: i64,
    pub title: String,
    pub summary: String,
    pub rows: Vec<ParticipantLine>,
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
