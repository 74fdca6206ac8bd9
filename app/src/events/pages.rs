use super::api::event_page;
use crate::domain::EventStatus;
use crate::ui::{ErrorView, Loading, StatusBadge};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// `/networks/:network/events/:event`: what, when (in the event's zone), where, who chairs.
#[component]
pub fn EventPageView() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("network").unwrap_or_default(),
                p.get("event").unwrap_or_default(),
            )
        },
        |(network, slug)| event_page(network, slug),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(e) => {
                        let network_href = format!("/networks/{}", e.network_slug);
                        let description = format!("{}, {}, {}", e.title, e.dates, e.venue);
                        let network_name = e.network_name.clone();
                        view! {
                            <Title text=e.title.clone()/>
                            <Meta name="description" content=description/>
                            <nav aria-label="Breadcrumb" class="breadcrumb">
                                <ol>
                                    <li><a href="/">"Networks and events"</a></li>
                                    <li><a href=network_href.clone()>{network_name}</a></li>
                                    <li aria-current="page">{e.title.clone()}</li>
                                </ol>
                            </nav>
                            <p class="eyebrow">{e.kind.label()}</p>
                            <h1>{e.title}</h1>
                            {(e.status == EventStatus::Draft).then(|| view! {
                                <p class="notice notice-warning" role="note" data-testid="draft-preview">"Draft: only its organisers and the secretariat can see this page until it is published."</p>
                            })}
                            {(e.status == EventStatus::Cancelled).then(|| view! {
                                <p class="notice notice-warning" role="note">"This event has been cancelled."</p>
                            })}
                            <p class="lead">{e.summary}</p>
                            {e.register_href.clone().map(|h| view! { <p><a class="button" href=h data-testid="register-link">"Your registration for this event"</a></p> })}
                            <p><a href=format!("{network_href}/events/{}/agenda", e.slug) data-testid="agenda-link">"Agenda"</a></p>
                            {(e.status != EventStatus::Draft).then(|| view! { <crate::calendar::CalendarLinkList links=e.calendar.clone() what="this event"/> })}
                            <dl class="facts">
                                <dt>"Dates"</dt>
                                <dd><time datetime=e.starts_iso.clone()>{e.dates}</time></dd>
                                <dt>"Starts"</dt>
                                <dd><time datetime=e.starts_iso>{e.starts}</time></dd>
                                <dt>"Ends"</dt>
                                <dd><time datetime=e.ends_iso>{e.ends}</time></dd>
                                <dt>"Time zone"</dt>
                                <dd>{e.time_zone}</dd>
                                <dt>"Venue"</dt>
                                <dd>{e.venue}</dd>
                                <dt>"Online participation"</dt>
                                <dd>{if e.online { "Available; the link is sent to registered participants." } else { "Not offered." }}</dd>
                                {e.chair.map(|c| view! { <dt>"Chair"</dt><dd>{c}</dd> })}
                                {(!e.hosts.is_empty()).then(|| view! { <dt>"Hosted by"</dt><dd>{e.hosts.join(", ")}</dd> })}
                                {(!e.co_organisers.is_empty()).then(|| view! { <dt>"Co-organised with"</dt><dd>{e.co_organisers.join(", ")}</dd> })}
                                {e.capacity.map(|c| view! { <dt>"Places"</dt><dd>{c}</dd> })}
                                {e.registration.map(|r| view! {
                                    <dt>"Registration"</dt>
                                    <dd data-testid="registration-window">
                                        {r}
                                        {match e.open_to_members.clone() {
                                            Some(who) => format!(" Invitees register through the link in their invitation; {who} of the network may also register from their account."),
                                            None => " Registration is by invitation: invitees register through the link in their invitation, or from their account.".to_owned(),
                                        }}
                                        " Questions: " <crate::ui::SecretariatContact/> "."
                                    </dd>
                                })}
                                {(e.status != EventStatus::Published).then(|| view! {
                                    <dt>"Status"</dt>
                                    <dd><StatusBadge status=e.status/></dd>
                                })}
                                <dt>"Network"</dt>
                                <dd><a href=network_href.clone()>{e.network_name}</a></dd>
                            </dl>
                            {e.report.clone().map(|(href, summary)| view! {
                                <section aria-labelledby="report-heading" class="report-summary" data-testid="event-report">
                                    <h2 id="report-heading">"Outcome report"</h2>
                                    <div class="prose" inner_html=summary></div>
                                    <p><a href=href>"Read the outcome report"</a></p>
                                </section>
                            })}
                            {(!e.agenda_outline.is_empty()).then(|| {
                                let agenda = format!("{network_href}/events/{}/agenda", e.slug);
                                view! {
                                    <section aria-labelledby="outline-heading" class="agenda-outline" data-testid="agenda-outline">
                                        <h2 id="outline-heading">"Agenda at a glance"</h2>
                                        {e.agenda_outline.into_iter().map(|(day, lines)| view! {
                                            <h3>{day}</h3>
                                            <ul>
                                                {lines.into_iter().map(|l| view! {
                                                    <li><span class="agenda-outline-time">{l.time}</span>" " <a href=format!("{agenda}#{}", l.anchor)>{l.title}</a></li>
                                                }).collect_view()}
                                            </ul>
                                        }).collect_view()}
                                        <p><a href=agenda.clone()>"The full agenda"</a></p>
                                    </section>
                                }
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
