use super::api::agenda_page;
use super::{AgendaData, AgendaEntry};
use crate::ui::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// One item: its time, what it is, the room and who speaks; a closed session the
/// reader may not see is its time and "Closed session", nothing more.
#[component]
fn AgendaItem(entry: AgendaEntry) -> impl IntoView {
    let class = if entry.closed {
        "agenda-item agenda-closed"
    } else {
        "agenda-item"
    };
    let anchor = entry.anchor.clone();
    view! {
        <li class=class id=entry.anchor data-testid="agenda-item">
            <p class="agenda-time">
                <time datetime=entry.starts_iso>{entry.time}</time>
            </p>
            <div class="agenda-body">
                <h3><a class="anchor" href=format!("#{anchor}")>{entry.title}</a></h3>
                {(!entry.closed).then(|| view! { <p class="eyebrow">{entry.kind}</p> })}
                {(!entry.room.is_empty()).then(|| view! { <p class="agenda-room">"Room: " {entry.room}</p> })}
                {(!entry.people.is_empty()).then(|| view! {
                    <ul class="agenda-people" aria-label="Speakers">
                        {entry.people.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                })}
                {(!entry.description.is_empty()).then(|| view! {
                    <div class="agenda-description">
                        {entry.description.split("\n\n").map(|para| view! { <p>{para.to_owned()}</p> }).collect_view()}
                    </div>
                })}
            </div>
        </li>
    }
}

fn agenda_view(a: AgendaData) -> impl IntoView {
    let network_href = format!("/networks/{}", a.network_slug);
    let event_href = format!("{network_href}/events/{}", a.event_slug);
    let title = format!("Agenda: {}", a.event_title);
    let description = format!("The agenda of {}", a.event_title);
    let published = a.version.is_some();
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=description/>
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li><a href="/">"Networks and events"</a></li>
                <li><a href=network_href>{a.network_name}</a></li>
                <li><a href=event_href>{a.event_title}</a></li>
                <li aria-current="page">"Agenda"</li>
            </ol>
        </nav>
        <h1>{title}</h1>
        {match a.version {
            Some(n) => view! {
                <p class="lead" data-testid="agenda-version">
                    {format!("Version {n}. Times are in the event's time zone, {}.", a.time_zone)}
                </p>
            }.into_any(),
            None => view! {
                <p class="lead" data-testid="agenda-unpublished">"The agenda has not been published yet."</p>
            }.into_any(),
        }}
        {(published && a.days.len() > 1).then(|| view! {
            <nav aria-label="Days" class="agenda-days">
                <ul>
                    {a.days.iter().map(|d| view! { <li><a href=format!("#{}", d.anchor)>{d.label.clone()}</a></li> }).collect_view()}
                </ul>
            </nav>
        })}
        {a.days.into_iter().map(|d| view! {
            <section class="agenda-day" aria-labelledby=d.anchor.clone()>
                <h2 id=d.anchor.clone()>{d.label}</h2>
                <ol class="agenda-list">
                    {d.items.into_iter().map(|entry| view! { <AgendaItem entry/> }).collect_view()}
                </ol>
            </section>
        }).collect_view()}
        {(!a.changes.is_empty()).then(|| view! {
            <section class="agenda-changes" aria-labelledby="changes" data-testid="agenda-changes">
                <h2 id="changes">{format!("Changes in version {}", a.version.unwrap_or_default())}</h2>
                <ul>
                    {a.changes.into_iter().map(|c| {
                        let line = format!("{}: {}, {} {}", c.change.label(), c.entry.title, c.day, c.entry.time);
                        match c.change {
                            super::Change::Removed => view! { <li>{line}</li> }.into_any(),
                            _ => view! { <li><a href=format!("#{}", c.entry.anchor)>{line}</a></li> }.into_any(),
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// `/networks/:network/events/:event/agenda`: the published agenda, a day at a
/// time, with an anchor for every item and what the last version changed.
#[component]
pub fn AgendaPageView() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("network").unwrap_or_default(),
                p.get("event").unwrap_or_default(),
            )
        },
        |(network, slug)| agenda_page(network, slug),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(a) => agenda_view(a).into_any(),
                }
            })}
        </Suspense>
    }
}
