use super::api::{home_page, network_page};
use super::components::{EventList, MembershipOverview};
use crate::ui::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/`: the networks and the events coming up across all of them.
#[component]
pub fn HomePageView() -> impl IntoView {
    let data = Resource::new(|| (), |_| home_page());
    view! {
        <Title text="Networks and events"/>
        <Meta name="description" content="Meetings of European judicial networks: plenaries, launch events and focus-group meetings."/>
        <h1>"Networks and events"</h1>
        <p class="lead">
            "Convene runs the meetings of European judicial networks: launch events, plenary meetings and the annual meetings of focus groups of specialised prosecutors."
        </p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! {
                        <section aria-labelledby="networks-heading">
                            <h2 id="networks-heading">"Networks"</h2>
                            <ul class="card-list">
                                {page.networks.into_iter().map(|n| {
                                    let href = format!("/networks/{}", n.slug);
                                    view! {
                                        <li class="card">
                                            <h3><a href=href>{n.name}</a></h3>
                                            <p class="muted">{n.short_name}</p>
                                            <p>{n.summary}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="upcoming-heading">
                            <h2 id="upcoming-heading">"Upcoming events"</h2>
                            <EventList events=page.upcoming show_network=true empty="No events are scheduled yet."/>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/networks/:network`: mandate, priorities, membership, events.
#[component]
pub fn NetworkPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || params.read().get("network").unwrap_or_default(),
        network_page,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(n) => {
                        let filter = query.read_untracked().get("q").unwrap_or_default();
                        view! {
                            <Title text=n.name.clone()/>
                            <Meta name="description" content=n.summary.clone()/>
                            <nav aria-label="Breadcrumb" class="breadcrumb">
                                <ol><li><a href="/">"Networks and events"</a></li><li aria-current="page">{n.short_name.clone()}</li></ol>
                            </nav>
                            <h1>{n.name}</h1>
                            <p class="lead">{n.summary}</p>
                            <dl class="facts">
                                <dt>"Established"</dt><dd>{n.established}</dd>
                                {n.host.map(|h| view! { <dt>"Hosted by"</dt><dd>{h}</dd> })}
                            </dl>
                            <section aria-labelledby="mandate-heading">
                                <h2 id="mandate-heading">"Mandate"</h2>
                                {n.mandate.split("\n\n").map(|p| view! { <p>{p.to_owned()}</p> }).collect_view()}
                            </section>
                            <section aria-labelledby="priorities-heading">
                                <h2 id="priorities-heading">"Priorities"</h2>
                                <ul>{n.priorities.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                            </section>
                            <section aria-labelledby="upcoming-heading">
                                <h2 id="upcoming-heading">"Upcoming events"</h2>
                                <EventList events=n.upcoming show_network=false empty="No upcoming events are published."/>
                            </section>
                            <section aria-labelledby="past-heading">
                                <h2 id="past-heading">"Past events"</h2>
                                <EventList events=n.past show_network=false empty="No past events."/>
                            </section>
                            <section aria-labelledby="reports-heading">
                                <h2 id="reports-heading">"Outcome reports and publications"</h2>
                                {if n.reports.is_empty() {
                                    view! { <p>"No outcome reports are published yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul data-testid="network-reports">
                                            {n.reports.into_iter().map(|(href, title, published)| view! {
                                                <li><a href=href>{format!("Outcome report: {title}")}</a>" "<span class="muted">{published}</span></li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <MembershipOverview lines=n.membership initial_filter=filter/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
