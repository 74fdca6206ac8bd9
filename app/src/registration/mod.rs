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
            r.member_state
                .as_deref()
                .and_then(|m| crate::domain::MemberState::parse(m).ok())
                .map(|m| m.name().to_owned())
                .unwrap_or_default(),
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
