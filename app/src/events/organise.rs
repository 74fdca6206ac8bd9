//! `/events/:id/manage`: the page of an event for its own chairs and organisers
//! (and the secretariat), outside the secretariat's `/admin`. It shows the event as
//! they run it; invitations, registration, the agenda and the outcome report are
//! added here as those features arrive.
use crate::ui::{ErrorView, Loading, StatusBadge};
use crate::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// What the organisers' page of an event shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventManageData {
    pub id: i64,
    pub title: String,
    pub status: crate::domain::EventStatus,
    pub dates: String,
    pub time_zone: String,
    pub venue: String,
    pub public_href: Option<String>,
    /// The viewer's own roles in this event, in words ("Chair").
    pub your_roles: Vec<String>,
    /// (name, role) of every chair and organiser.
    pub team: Vec<(String, String)>,
    /// "Opens 1 February 2027, 09:00 CET; closes …", or None.
    pub registration: Option<String>,
    /// Whether the viewer also has the secretariat's page of the event.
    pub secretariat: bool,
}

/// The organisers' view of one event.
#[server(endpoint = "event_manage", input = server_fn::codec::GetUrl)]
pub async fn event_manage(id: i64) -> Result<EventManageData, AppError> {
    use crate::domain::{EventRole, EventStatus};
    use crate::ids::EventId;
    use crate::platform::localtime;
    use crate::platform::policy::{check, Action};
    let (state, viewer) = check(Action::ManageEvent {
        event_id: EventId(id),
    })
    .await?;
    let e = super::store::event_record(&state.store, id).await?;
    let zone = localtime::event_zone(id, &e.time_zone)?;
    let status = EventStatus::parse(&e.status)
        .map_err(|_| AppError::internal(anyhow::anyhow!("event {id} has an invalid status")))?;
    let team = super::store::event_people(&state.store, id)
        .await?
        .into_iter()
        .map(|p| (p.full_name, super::event_role_label(&p.role)))
        .collect();
    let your_roles = viewer
        .event_roles
        .iter()
        .filter(|(e, _)| *e == EventId(id))
        .map(|(_, r): &(EventId, EventRole)| r.label().to_owned())
        .collect();
    let registration = localtime::registration_window(
        e.registration_opens_at,
        e.registration_closes_at,
        zone,
        state.clock.now(),
    );
    Ok(EventManageData {
        id,
        public_href: status
            .is_public()
            .then(|| super::event_href(&e.network_slug, &e.slug)),
        title: e.title,
        status,
        dates: localtime::date_span(e.starts_at, e.ends_at, zone),
        time_zone: e.time_zone,
        venue: e.venue,
        your_roles,
        team,
        registration,
        secretariat: viewer.secretariat,
    })
}

/// The organisers' page of an event.
#[component]
pub fn EventManagePageView() -> impl IntoView {
    let id = crate::ui::id_param();
    let data = Resource::new(move || id.get(), event_manage);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let roles = if d.your_roles.is_empty() {
                            "You see this page as a member of the secretariat.".to_owned()
                        } else {
                            format!("You are {} of this event.", d.your_roles.join(" and ").to_lowercase())
                        };
                        view! {
                            <Title text=format!("Manage: {}", d.title)/>
                            <nav aria-label="Breadcrumb" class="breadcrumb">
                                <ol>
                                    <li><a href="/account">"Your account"</a></li>
                                    <li aria-current="page">{d.title.clone()}</li>
                                </ol>
                            </nav>
                            <h1>{d.title.clone()}</h1>
                            <p><StatusBadge status=d.status/>" "{roles}</p>
                            <dl class="facts">
                                <dt>"Dates"</dt><dd>{d.dates.clone()}{format!(" (times in {})", d.time_zone)}</dd>
                                <dt>"Venue"</dt><dd>{d.venue.clone()}</dd>
                                <dt>"Registration"</dt>
                                <dd>{d.registration.clone().unwrap_or_else(|| "No registration window is set yet.".to_owned())}</dd>
                            </dl>
                            {d.public_href.clone().map(|h| view! { <p><a href=h>"See the event's public page"</a></p> })}
                            {d.secretariat.then(|| view! { <p><a href=format!("/admin/events/{}", d.id)>"Edit the event (secretariat)"</a></p> })}
                            <section aria-labelledby="team-heading">
                                <h2 id="team-heading">"Chairs and organisers"</h2>
                                <ul>
                                    {d.team.iter().map(|(name, role)| view! { <li>{format!("{name} — {role}")}</li> }).collect_view()}
                                </ul>
                                <p class="hint">"The secretariat adds and removes chairs and organisers."</p>
                            </section>
                            <section aria-labelledby="invitations-heading">
                                <h2 id="invitations-heading">"Invitations and registration"</h2>
                                <ul>
                                    <li><a href=format!("/events/{}/agenda", d.id)>"The agenda: rooms, items, closed sessions, publishing"</a></li>
                                    <li><a href=format!("/events/{}/invitations", d.id)>"Invite the network's members and see who registered"</a></li>
                                    <li><a href=format!("/events/{}/participants", d.id)>"The participant list, approvals, and its spreadsheet"</a></li>
                                    <li><a href=format!("/events/{}/registration", d.id)>"Who may register, approval, and the registration form's questions"</a></li>
                                    <li><a href=format!("/events/{}/check-in", d.id)>"Check-in and the attendance register"</a></li>
                                    <li><a href=format!("/events/{}/badges", d.id)>"Name badges to print"</a></li>
                                </ul>
                            </section>
                            <section aria-labelledby="next-heading">
                                <h2 id="next-heading">"Agenda and report"</h2>
                                <p>"These will be managed here. Until then, write to the secretariat at " <crate::ui::SecretariatContact/> " for changes to the event."</p>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
