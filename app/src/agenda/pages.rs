use super::api::agenda_page;
use super::{AgendaData, AgendaDay};
use crate::ui::{ErrorView, FormNotice, Loading};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// A day's grid of time by room as a table: its caption, a column per room, a row
/// per time; `cell(item, rows, cols)` writes the `<td>` of each item (an index into
/// the day's items), empty slots are written here. Shared by the agenda page and
/// the chairs' builder.
pub fn grid_table(
    grid: super::DayGrid,
    caption: String,
    class: &'static str,
    testid: &'static str,
    cell: impl Fn(usize, usize, usize) -> AnyView,
) -> AnyView {
    view! {
        <table class=class data-testid=testid>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    {grid.rooms.into_iter().map(|r| view! { <th scope="col">{r}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {grid.rows.into_iter().map(|row| view! {
                    <tr>
                        <th scope="row">{row.time}</th>
                        {row.cells.into_iter().map(|c| match c.item {
                            None => view! { <td class="agenda-empty"></td> }.into_any(),
                            Some(i) => cell(i, c.rows, c.cols),
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// A day: its heading, then its items written by [`super::html::day`] (a list,
/// or time by room where items run in parallel).
#[component]
fn Day(day: AgendaDay, network: String, event: String) -> impl IntoView {
    let place = super::html::Place {
        network: &network,
        event: &event,
    };
    let content = super::html::day(&day, &place);
    view! {
        <section class="agenda-day" aria-labelledby=day.anchor.clone()>
            <h2 id=day.anchor.clone()>{day.label}</h2>
            <div inner_html=content></div>
        </section>
    }
}

fn agenda_view(a: AgendaData) -> impl IntoView {
    let network_href = format!("/networks/{}", a.network_slug);
    let event_href = format!("{network_href}/events/{}", a.event_slug);
    let title = format!("Agenda: {}", a.event_title);
    let description = format!("The agenda of {}", a.event_title);
    let published = a.version.is_some();
    let (network, event) = (a.network_slug.clone(), a.event_slug.clone());
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
        {published.then(|| view! { <crate::calendar::CalendarLinkList links=a.calendar.clone() what="this agenda"/> })}
        <FormNotice state=a.choice_form.clone()/>
        {a.registered.then(|| view! {
            <section class="agenda-mine no-print" aria-labelledby="mine" data-testid="my-agenda">
                <h2 id="mine">"My agenda"</h2>
                {if a.mine.is_empty() {
                    view! { <p>"You have not chosen a workshop yet. Choose one in each parallel slot below."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {a.mine.into_iter().map(|m| {
                                let line = format!("{} {}: {}", m.day, m.entry.time, m.entry.title);
                                if m.cancelled {
                                    view! { <li>{line}" " <strong>"(cancelled)"</strong></li> }.into_any()
                                } else {
                                    let ics = crate::calendar::item_file_href(&network, &event, m.entry.item_id);
                                    let label = format!("Add \u{201c}{}\u{201d} to your calendar", m.entry.title);
                                    view! {
                                        <li>
                                            <a href=format!("#{}", m.entry.anchor)>{line}</a>
                                            " · " <a href=ics aria-label=label data-testid="add-to-calendar">"Add to your calendar"</a>
                                        </li>
                                    }.into_any()
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        })}
        {a.days.into_iter().map(|day| view! { <Day day network=network.clone() event=event.clone()/> }).collect_view()}
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
