//! Server functions of the organisers' participant list.
use super::ParticipantsData;
use crate::AppError;
use leptos::prelude::*;

/// `/events/:id/participants`: who registered, in which state, how they attend.
#[server(endpoint = "participants_page", input = server_fn::codec::GetUrl)]
pub async fn participants_page(event_id: i64) -> Result<ParticipantsData, AppError> {
    use super::ParticipantLine;
    let (state, _, e) = crate::events::managed(event_id).await?;
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
                member_state: crate::domain::MemberState::name_of(r.member_state.as_deref()),
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

/// The days of an event in its own zone: (YYYY-MM-DD, "Wednesday 17 March 2027").
#[cfg(feature = "ssr")]
fn event_days(e: &crate::events::store::EventRecord) -> Vec<chrono::NaiveDate> {
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let first = e.starts_at.with_timezone(&zone).date_naive();
    let last = (e.ends_at - chrono::Duration::seconds(1))
        .with_timezone(&zone)
        .date_naive()
        .max(first);
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .take(31)
        .collect()
}

/// `/events/:id/check-in`: the confirmed participants, searched by name, with
/// what the register says for the day.
#[server(endpoint = "check_in_page", input = server_fn::codec::GetUrl)]
pub async fn check_in_page(
    event_id: i64,
    day: Option<String>,
    q: Option<String>,
) -> Result<super::CheckInData, AppError> {
    let (state, _, e) = crate::events::managed(event_id).await?;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let days = event_days(&e);
    let today = state.clock.now().with_timezone(&zone).date_naive();
    let chosen = day
        .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .filter(|d| days.contains(d))
        .or_else(|| days.iter().copied().find(|d| *d == today))
        .unwrap_or(days[0]);
    let query = q.unwrap_or_default();
    let label = |d: chrono::NaiveDate| d.format("%A %-d %B %Y").to_string();
    let rows = super::store::check_in_list(&state.store, event_id, chosen, &query).await?;
    let present = super::store::present_count(&state.store, event_id, chosen).await?;
    let mut tx = state.store.begin().await?;
    let (in_person, online, _) = super::store::counts(&mut tx, event_id).await?;
    tx.commit().await?;
    Ok(super::CheckInData {
        event_id,
        title: e.title.clone(),
        days: days
            .iter()
            .map(|d| (d.format("%Y-%m-%d").to_string(), label(*d)))
            .collect(),
        day: chosen.format("%Y-%m-%d").to_string(),
        day_label: label(chosen),
        summary: format!(
            "{present} of {} present on {}.",
            in_person + online,
            label(chosen)
        ),
        query,
        rows: rows
            .into_iter()
            .map(|r| super::CheckInLine {
                person_id: r.person_id,
                name: r.full_name,
                organisation: r.organisation.unwrap_or_default(),
                member_state: crate::domain::MemberState::name_of(r.member_state.as_deref()),
                attendance: super::attendance_label(&r.attendance).to_owned(),
                status: r.status.unwrap_or_default(),
            })
            .collect(),
        form: crate::platform::forms::take::<super::AttendanceForm>().await,
    })
}

/// Records a participant as present, excused or absent on a day of the event.
#[server(endpoint = "mark_attendance")]
pub async fn mark_attendance(
    event_id: i64,
    #[server(flatten)] form: super::AttendanceForm,
) -> Result<(), AppError> {
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = format!(
        "/events/{event_id}/check-in?day={}&q={}",
        crate::ui::query_value(&form.day),
        crate::ui::query_value(&form.q)
    );
    forms::submit(
        Action::ManageEvent {
            event_id: crate::ids::EventId(event_id),
        },
        &form,
        back.clone(),
        async |state, viewer| {
            let e = crate::events::store::event_record(&state.store, event_id).await?;
            let day = chrono::NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| event_days(&e).contains(d))
                .ok_or_else(|| AppError::Conflict("That day is not a day of this event.".into()))?;
            let status = match form.status.as_str() {
                s @ ("present" | "excused" | "absent") => s,
                _ => {
                    return Err(AppError::Conflict(
                        "Choose present, excused or absent.".into(),
                    ))
                }
            };
            let person: i64 = form
                .person_id
                .trim()
                .parse()
                .map_err(|_| AppError::NotFound)?;
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            if !super::store::mark_attendance(
                &mut tx,
                event_id,
                person,
                day,
                status,
                viewer.person_id,
                now,
            )
            .await?
            {
                return Err(AppError::Conflict(
                    "Only a participant with a confirmed place can be checked in.".into(),
                ));
            }
            let (name, _) = super::store::person_contact(&mut tx, person).await?;
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "attendance_recorded")
                    .on("event", event_id)
                    .detail(format!("person {person}: {status} on {day}")),
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(forms::Done::to(back.clone()).with_notice(format!(
                "{name}: {} on {}.",
                super::attendance_status_label(status).to_lowercase(),
                day.format("%A %-d %B")
            )))
        },
    )
    .await
}

/// `/events/:id/badges`: a name badge for every confirmed participant, to print.
#[server(endpoint = "badges_page", input = server_fn::codec::GetUrl)]
pub async fn badges_page(event_id: i64) -> Result<super::BadgesData, AppError> {
    let (state, _, e) = crate::events::managed(event_id).await?;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let mut rows = super::store::participants(&state.store, event_id).await?;
    rows.retain(|r| r.status == "confirmed");
    Ok(super::BadgesData {
        event_id,
        title: e.title.clone(),
        dates: crate::platform::localtime::date_span(e.starts_at, e.ends_at, zone),
        badges: rows
            .into_iter()
            .map(|r| super::Badge {
                name: r.full_name,
                organisation: r.organisation.unwrap_or_default(),
                member_state: crate::domain::MemberState::name_of(r.member_state.as_deref()),
            })
            .collect(),
    })
}
