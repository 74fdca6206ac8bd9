//! Server functions of the organisers' participant list.
use super::ParticipantsData;
use crate::AppError;
use leptos::prelude::*;

/// `/events/:id/participants`: who registered, in which state, how they attend.
#[server(endpoint = "participants_page", input = server_fn::codec::GetUrl)]
pub async fn participants_page(event_id: i64) -> Result<ParticipantsData, AppError> {
    use super::ParticipantLine;
    use crate::domain::MemberState;
    use crate::platform::policy::{check, Action};
    let (state, _) = check(Action::ManageEvent {
        event_id: crate::ids::EventId(event_id),
    })
    .await?;
    let e = crate::events::store::event_record(&state.store, event_id).await?;
    let rows = super::store::participants(&state.store, event_id).await?;
    let count = |s: &str| rows.iter().filter(|r| r.status == s).count() as i64;
    let summary = format!(
        "{}, {} waiting, {} cancelled.",
        crate::ui::count_sentence(
            count("confirmed"),
            "confirmed participant",
            "confirmed participants"
        ),
        count("waitlisted"),
        count("cancelled"),
    );
    Ok(ParticipantsData {
        event_id,
        title: e.title,
        summary,
        rows: rows
            .into_iter()
            .map(|r| ParticipantLine {
                status: match (r.status.as_str(), r.waitlist_position) {
                    ("waitlisted", Some(p)) => format!("On the waiting list ({p})"),
                    (s, _) => super::status_label(s).to_owned(),
                },
                attendance: super::attendance_label(&r.attendance).to_owned(),
                member_state: r
                    .member_state
                    .as_deref()
                    .and_then(|m| MemberState::parse(m).ok())
                    .map(|m| m.name().to_owned())
                    .unwrap_or_default(),
                organisation: r.organisation.unwrap_or_default(),
                needs: [r.dietary, r.accessibility]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; "),
                name: r.full_name,
                email: r.email,
            })
            .collect(),
    })
}
