use super::api::{agenda_page, ChooseWorkshop, GiveUpWorkshop};
use super::{AgendaData, AgendaDay, AgendaEntry, WorkshopChoice};
use crate::ui::{ErrorView, FormNotice, Loading};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Where a choice form posts back to: the agenda's network and event.
#[derive(Clone)]
struct Place {
    network: String,
    event: String,
}

/// A workshop's places and the button to choose it or give it up.
#[component]
fn ChoiceControl(choice: WorkshopChoice, title: String, place: Place) -> impl IntoView {
    let left = choice.places_left.map(|n| match n {
        0 => "Full".to_owned(),
        1 => "1 place left".to_owned(),
        n => format!("{n} places left"),
    });
    let full = choice.places_left == Some(0) && !choice.chosen;
    let (action, button, label) = if choice.chosen {
        (
            GiveUpWorkshop::url(),
            "Give up my place",
            format!("Give up my place in \u{201c}{title}\u{201d}"),
        )
    } else {
        (
            ChooseWorkshop::url(),
            "Choose this workshop",
            format!("Choose \u{201c}{title}\u{201d}"),
        )
    };
    view! {
        <div class="agenda-choice no-print" data-testid="workshop-choice">
            {choice.chosen.then(|| view! { <p class="badge badge-published">"Your choice"</p> })}
            {left.map(|l| view! { <p class="agenda-places">{l}</p> })}
            {(!full).then(|| view! {
                <form method="post" action=action>
                    <input type="hidden" name="network" value=place.network.clone()/>
                    <input type="hidden" name="slug" value=place.event.clone()/>
                    <input type="hidden" name="item_id" value=choice.item_id/>
                    <button type="submit" class=if choice.chosen { "button-secondary" } else { "" } aria-label=label>{button}</button>
                </form>
            })}
        </div>
    }
}

/// What an item says: its time, what it is, the room and who speaks; a closed
/// session the reader may not see is its time and "Closed session", nothing more.
#[component]
fn ItemBody(entry: AgendaEntry, place: Place) -> impl IntoView {
    let anchor = entry.anchor.clone();
    let title = entry.title.clone();
    view! {
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
            // Rendered from Markdown and cleaned by ammonia when published
            // (platform::markdown): no raw HTML ever reaches this.
            {(!entry.description_html.is_empty()).then(|| view! {
                <div class="agenda-description" inner_html=entry.description_html></div>
            })}
            {entry.choice.map(|choice| view! { <ChoiceControl choice title=title.clone() place=place.clone()/> })}
            {entry.edit_href.map(|href| view! {
                <p class="no-print"><a href=href>{format!("Edit \u{201c}{title}\u{201d} (you chair it)")}</a></p>
            })}
        </div>
    }
}

fn item_class(entry: &AgendaEntry) -> &'static str {
    if entry.closed {
        "agenda-item agenda-closed"
    } else {
        "agenda-item"
    }
}

/// One item in a day's list.
#[component]
fn AgendaItem(entry: AgendaEntry, place: Place) -> impl IntoView {
    let (class, id) = (item_class(&entry), entry.anchor.clone());
    view! {
        <li class=class id=id data-testid="agenda-item">
            <ItemBody entry place/>
        </li>
    }
}

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

/// A day: as time by room where items run in parallel (a table on wide screens,
/// the same cells one after the other on narrow ones and on paper), else a list.
#[component]
fn Day(day: AgendaDay, place: Place) -> impl IntoView {
    let body = match day.grid {
        None => view! {
            <ol class="agenda-list">
                {day.items.into_iter().map(|entry| view! { <AgendaItem entry place=place.clone()/> }).collect_view()}
            </ol>
        }
        .into_any(),
        Some(grid) => {
            let items = day.items;
            let caption = format!("{}, by time and room", day.label);
            grid_table(grid, caption, "agenda-grid", "agenda-grid", move |i, rows, cols| {
                let entry = items[i].clone();
                let (class, id) = (item_class(&entry), entry.anchor.clone());
                view! {
                    <td class=class id=id rowspan=rows colspan=cols data-testid="agenda-item">
                        <ItemBody entry place=place.clone()/>
                    </td>
                }
                .into_any()
            })
        }
    };
    view! {
        <section class="agenda-day" aria-labelledby=day.anchor.clone()>
            <h2 id=day.anchor.clone()>{day.label}</h2>
            {body}
        </section>
    }
}

fn agenda_view(a: AgendaData) -> impl IntoView {
    let network_href = format!("/networks/{}", a.network_slug);
    let event_href = format!("{network_href}/events/{}", a.event_slug);
    let title = format!("Agenda: {}", a.event_title);
    let description = format!("The agenda of {}", a.event_title);
    let published = a.version.is_some();
    let place = Place {
        network: a.network_slug.clone(),
        event: a.event_slug.clone(),
    };
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
                                    view! { <li><a href=format!("#{}", m.entry.anchor)>{line}</a></li> }.into_any()
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </section>
        })}
        {a.days.into_iter().map(|day| view! { <Day day place=place.clone()/> }).collect_view()}
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
