//! The secretariat's event pages: the list of every event (drafts included), the
//! form that creates and edits one, its status changes and its chairs and
//! organisers. Every form is a plain HTML form that posts to its server function;
//! the pages work the same with JavaScript off, and the server checks everything.
use super::api::{
    event_admin, events_admin, AddEventPerson, DeleteEvent, RemoveEventPerson, SaveEvent,
    SetEventStatus,
};
use super::{EventAdminData, EventAdminRow, EventPerson};
use crate::ui::{
    ErrorView, Field, FormNotice, FormState, Loading, SelectField, StatusBadge, TextAreaField,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/events`: every event, drafts included, filtered by network and status.
#[component]
pub fn EventsAdminPageView() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("network").filter(|s| !s.is_empty()),
                q.get("status").filter(|s| !s.is_empty()),
            )
        },
        |(network, status)| events_admin(network, status),
    );
    view! {
        <crate::ui::AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let q = query.read_untracked();
                        let network = q.get("network").unwrap_or_default();
                        let status = q.get("status").unwrap_or_default();
                        let count = d.rows.len();
                        view! {
                            <Title text="Events"/>
                            <h1>"Events"</h1>
                            <FormNotice state=d.notice.clone()/>
                            <p class="actions"><a href="/admin/events/new" class="button">"New event"</a></p>
                            <form method="get" class="filter-form" aria-label="Filter the events">
                                <div class="filter-row">
                                    <div>
                                        <label for="events-network">"Network"</label>
                                        <select id="events-network" name="network">
                                            <option value="" selected=network.is_empty()>"Any network"</option>
                                            {d.networks.into_iter().map(|(slug, name)| {
                                                let sel = slug == network;
                                                view! { <option value=slug selected=sel>{name}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="events-status">"Status"</label>
                                        <select id="events-status" name="status">
                                            <option value="" selected=status.is_empty()>"Any status"</option>
                                            {d.statuses.into_iter().map(|(v, l)| {
                                                let sel = v == status;
                                                view! { <option value=v selected=sel>{l}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <button type="submit">"Show"</button>
                                </div>
                            </form>
                            <p class="muted" role="status">{match count {
                                0 => "No event matches.".to_owned(),
                                1 => "1 event.".to_owned(),
                                n => format!("{n} events."),
                            }}</p>
                            {(count > 0).then(|| view! {
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <caption class="visually-hidden">"Events, latest first"</caption>
                                        <thead><tr>
                                            <th scope="col">"Title"</th><th scope="col">"Network"</th>
                                            <th scope="col">"Dates"</th><th scope="col">"Status"</th>
                                            <th scope="col">"Public page"</th>
                                        </tr></thead>
                                        <tbody>{d.rows.into_iter().map(event_row).collect_view()}</tbody>
                                    </table>
                                </div>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn event_row(r: EventAdminRow) -> impl IntoView {
    let edit = format!("/admin/events/{}", r.id);
    let public = r.status.is_public().then(|| {
        let title = r.title.clone();
        view! { <a href=r.public_href.clone()>"View"<span class="visually-hidden">{format!(" the public page of {title}")}</span></a> }
    });
    view! {
        <tr data-status=r.status.as_str()>
            <td data-label="Title"><a href=edit>{r.title}</a></td>
            <td data-label="Network">{r.network_short_name}</td>
            <td data-label="Dates"><time datetime=r.starts_iso>{r.dates}</time></td>
            <td data-label="Status"><StatusBadge status=r.status/></td>
            <td data-label="Public page">{match public {
                Some(link) => link.into_any(),
                None => view! { <span class="muted">"Not public yet"</span> }.into_any(),
            }}</td>
        </tr>
    }
}

/// `/admin/events/:id` (`/admin/events/new` for a new one): the event's form, its
/// status changes, and its chairs and organisers.
#[component]
pub fn EventAdminPageView() -> impl IntoView {
    let id = crate::ui::id_param();
    let query = use_query_map();
    let data = Resource::new(move || id.get(), event_admin);
    view! {
        <crate::ui::AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => event_page(d, query.read_untracked().get("confirm")).into_any(),
                }
            })}
        </Suspense>
    }
}

/// `confirm` (from `?confirm=`) asks for the confirmation of a status change
/// (`cancelled`, `closed`) or of deleting the draft (`delete`).
fn event_page(d: EventAdminData, confirm: Option<String>) -> impl IntoView {
    let is_new = d.id == 0;
    let heading = if is_new {
        "New event".to_owned()
    } else {
        d.title.clone()
    };
    let page_title = if is_new {
        "New event".to_owned()
    } else {
        format!("Edit: {}", d.title)
    };
    let status = d.status;
    let people = (!is_new).then(|| people_section(d.id, d.people, d.people_form));
    let status_section = (!is_new).then(|| {
        status_section(StatusSection {
            id: d.id,
            title: d.title.clone(),
            status,
            changes: d.status_changes,
            state: d.status_form,
            delete_state: d.delete_form,
            confirm,
        })
    });
    view! {
        <Title text=page_title/>
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li><a href="/admin/events">"Events"</a></li>
                <li aria-current="page">{heading.clone()}</li>
            </ol>
        </nav>
        <h1>{heading}</h1>
        {(!is_new).then(|| view! {
            <p>
                "Status: "<StatusBadge status/>
                {d.public_href.map(|h| view! { " " <a href=h>"See the public page"</a> })}
            </p>
        })}
        {is_new.then(|| view! {
            <p>"A new event is a draft: only the secretariat and the event's chairs and organisers see it until it is published."</p>
        })}
        <EventForm
            id=d.id
            values=d.values
            networks=d.networks
            kinds=d.kinds
            time_zones=d.time_zones
            zone_choice=d.zone_choice
            state=d.event_form
        />
        {status_section}
        {people}
    }
}

/// The event's own fields. Times are typed in the event's zone.
#[component]
fn EventForm(
    id: i64,
    values: super::EventFormValues,
    networks: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    time_zones: Vec<String>,
    zone_choice: Option<super::ZoneChoice>,
    state: FormState,
) -> impl IntoView {
    let f = state;
    let v = values;
    let zones = time_zones.into_iter().map(|z| (z.clone(), z)).collect();
    view! {
        <section aria-label="Event details">
            <FormNotice state=f.clone()/>
            <form method="post" action=SaveEvent::url() novalidate>
                <input type="hidden" name="id" value=id/>
                <fieldset>
                    <legend>"What"</legend>
                    <Field state=f.clone() name="title" label="Title" required=true value=v.title/>
                    <SelectField state=f.clone() name="network_id" label="Network" required=true options=networks selected=v.network_id/>
                    <Field state=f.clone() name="slug" label="Web address name" value=v.slug hint="Lower-case letters, digits and single hyphens, as in plenary-meeting-spring-2027. Leave empty to derive it from the title."/>
                    <SelectField state=f.clone() name="kind" label="Kind of event" required=true options=kinds selected=v.kind/>
                    <TextAreaField state=f.clone() name="summary" label="Summary" value=v.summary hint="What the event is about, for its public page."/>
                </fieldset>
                <fieldset>
                    <legend>"When and where"</legend>
                    <SelectField state=f.clone() name="time_zone" label="Time zone" required=true options=zones selected=v.time_zone hint="The event's own zone: every time below is read in it."/>
                    {zone_choice.map(|z| zone_choice_field(&f, z))}
                    <Field state=f.clone() name="starts" label="Starts" kind="datetime-local" required=true value=v.starts/>
                    <Field state=f.clone() name="ends" label="Ends" kind="datetime-local" required=true value=v.ends/>
                    <Field state=f.clone() name="venue" label="Venue" value=v.venue hint="For example: Eurojust, The Hague."/>
                    <Field state=f.clone() name="online_link" label="Online meeting link" kind="url" value=v.online_link hint="Starts with https://. Only registered participants receive it. Leave empty if there is none."/>
                    <Field state=f.clone() name="chair_label" label="Chaired by (as shown publicly)" value=v.chair_label hint="For example: the Presidency of the Council of the European Union."/>
                </fieldset>
                <fieldset>
                    <legend>"Places and registration"</legend>
                    <Field state=f.clone() name="capacity" label="Places" value=v.capacity hint="A whole number. Leave empty for no limit."/>
                    <Field state=f.clone() name="delegation_quota" label="Places per delegation" value=v.delegation_quota hint="A whole number. Leave empty for no limit."/>
                    <Field state=f.clone() name="registration_opens" label="Registration opens" kind="datetime-local" value=v.registration_opens hint="In the event's time zone. Leave empty if not yet decided."/>
                    <Field state=f.clone() name="registration_closes" label="Registration closes" kind="datetime-local" value=v.registration_closes hint="In the event's time zone. Leave empty if not yet decided."/>
                </fieldset>
                <button type="submit">{if id == 0 { "Create the event" } else { "Save the event" }}</button>
            </form>
        </section>
    }
}

struct StatusSection {
    id: i64,
    title: String,
    status: crate::domain::EventStatus,
    /// (status, button label) of the changes allowed.
    changes: Vec<(String, String)>,
    state: FormState,
    delete_state: FormState,
    confirm: Option<String>,
}

/// The question a time-zone change asks, with the times each answer gives: the
/// meeting keeps its moment, or its clock times.
fn zone_choice_field(f: &FormState, z: super::ZoneChoice) -> impl IntoView {
    let error = f.error("zone_change");
    let chosen = f.value("zone_change").unwrap_or_default();
    let class = if error.is_some() {
        "field field-error"
    } else {
        "field"
    };
    view! {
        <fieldset class=class aria-describedby="event-zone_change-error" data-testid="zone-choice">
            <legend>{format!("The time zone changes from {} to {}. What should stay the same?", z.from, z.to)}</legend>
            {error.map(|e| view! { <p class="error-message" id="event-zone_change-error"><span class="visually-hidden">"Error: "</span>{e}</p> })}
            <div class="choice">
                <input type="radio" id="event-zone_change" name="zone_change" value="instant" checked=chosen == "instant"/>
                <label for="event-zone_change" class="choice-label">{z.instant}</label>
            </div>
            <div class="choice">
                <input type="radio" id="event-zone_change-clock" name="zone_change" value="clock" checked=chosen == "clock"/>
                <label for="event-zone_change-clock" class="choice-label">{z.clock}</label>
            </div>
        </fieldset>
    }
}

/// One small form per status change allowed from the current status; a change
/// that cannot simply be taken back (cancel, close) and deleting a draft first
/// show what will happen and ask for confirmation, on the page itself (a link
/// that adds `?confirm=…`), so it works without JavaScript.
fn status_section(s: StatusSection) -> impl IntoView {
    use crate::domain::EventStatus;
    let StatusSection {
        id,
        title,
        status,
        changes,
        state,
        delete_state,
        confirm,
    } = s;
    let error = state.error("status");
    let page = format!("/admin/events/{id}");
    let confirming = confirm
        .as_deref()
        .and_then(|c| EventStatus::parse(c).ok())
        .filter(|to| super::status_change_needs_confirmation(*to))
        .filter(|to| changes.iter().any(|(s, _)| s == to.as_str()));
    let deleting = confirm.as_deref() == Some("delete") && status == EventStatus::Draft;
    let keep = format!("{page}#status-heading");
    let confirmation = if let Some(to) = confirming {
        let label = super::status_change_label(to);
        view! {
            <div class="panel confirm-panel" role="group" aria-labelledby="confirm-heading" data-testid="confirmation">
                <h3 id="confirm-heading">{format!("{label}: {title}?")}</h3>
                <p>{super::status_change_consequence(to)}</p>
                <div class="actions">
                    <form method="post" action=SetEventStatus::url() class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="status" value=to.as_str()/>
                        <input type="hidden" name="confirmed" value="yes"/>
                        <button type="submit" class="button-danger">{format!("Yes, {}", label.to_lowercase())}</button>
                    </form>
                    <a href=keep.clone() class="button button-secondary">"No, keep it as it is"</a>
                </div>
            </div>
        }
        .into_any()
    } else if deleting {
        view! {
            <div class="panel confirm-panel" role="group" aria-labelledby="confirm-heading" data-testid="confirmation">
                <h3 id="confirm-heading">{format!("Delete the draft {title}?")}</h3>
                <p>"The draft goes, with its chairs and organisers. Nobody is mailed; the audit log keeps its title. This cannot be undone."</p>
                <div class="actions">
                    <form method="post" action=DeleteEvent::url() class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="confirmed" value="yes"/>
                        <button type="submit" class="button-danger">"Yes, delete the draft"</button>
                    </form>
                    <a href=keep.clone() class="button button-secondary">"No, keep it"</a>
                </div>
            </div>
        }
        .into_any()
    } else {
        ().into_any()
    };
    view! {
        <section aria-labelledby="status-heading">
            <h2 id="status-heading">"Status"</h2>
            {match error {
                Some(e) => view! { <p class="notice notice-warning" role="alert" id="event-status-errors" tabindex="-1" data-testid="form-error">{e}</p> }.into_any(),
                None => view! { <FormNotice state/> }.into_any(),
            }}
            <FormNotice state=delete_state/>
            <p data-testid="event-status">{super::status_sentence(status)}</p>
            {confirmation}
            {if changes.is_empty() {
                view! { <p class="muted">"A closed event stays closed."</p> }.into_any()
            } else {
                view! {
                    <div class="actions">
                        {changes.into_iter().map(|(to, label)| {
                            let needs = EventStatus::parse(&to).is_ok_and(super::status_change_needs_confirmation);
                            if needs {
                                let href = format!("{page}?confirm={to}#confirm-heading");
                                view! { <a href=href class="button button-danger">{label}"…"</a> }.into_any()
                            } else {
                                view! {
                                    <form method="post" action=SetEventStatus::url() class="inline-form">
                                        <input type="hidden" name="id" value=id/>
                                        <input type="hidden" name="status" value=to/>
                                        <button type="submit">{label}</button>
                                    </form>
                                }.into_any()
                            }
                        }).collect_view()}
                        {(status == EventStatus::Draft).then(|| {
                            let href = format!("{page}?confirm=delete#confirm-heading");
                            view! { <a href=href class="button button-secondary">"Delete the draft…"</a> }
                        })}
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// The chairs and organisers, each with a remove button, and a form to add one.
fn people_section(event_id: i64, people: Vec<EventPerson>, state: FormState) -> impl IntoView {
    let f = state;
    let roles = crate::domain::enum_choices(
        crate::domain::EventRole::ALL,
        crate::domain::EventRole::as_str,
        crate::domain::EventRole::label,
    );
    view! {
        <section aria-labelledby="people-heading">
            <h2 id="people-heading">"Chairs and organisers"</h2>
            <p>"They manage the event's agenda, invitations and registrations, and see it while it is a draft."</p>
            <FormNotice state=f.clone()/>
            {if people.is_empty() {
                view! { <p>"Nobody chairs or organises this event yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <caption class="visually-hidden">"Chairs and organisers of this event"</caption>
                            <thead><tr>
                                <th scope="col">"Name"</th><th scope="col">"Email address"</th>
                                <th scope="col">"Role"</th><th scope="col">"Action"</th>
                            </tr></thead>
                            <tbody>
                                {people.into_iter().map(|p| {
                                    let what = format!(" {} as {}", p.name, p.role_label.to_lowercase());
                                    view! {
                                        <tr>
                                            <td data-label="Name">{p.name}</td>
                                            <td data-label="Email address">{p.email}</td>
                                            <td data-label="Role">{p.role_label}</td>
                                            <td data-label="Action">
                                                <form method="post" action=RemoveEventPerson::url() class="inline-form">
                                                    <input type="hidden" name="event_id" value=event_id/>
                                                    <input type="hidden" name="person_id" value=p.person_id/>
                                                    <input type="hidden" name="role" value=p.role/>
                                                    <button type="submit" class="button-secondary">"Remove"<span class="visually-hidden">{what}</span></button>
                                                </form>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <h3>"Add a chair or organiser"</h3>
            <form method="post" action=AddEventPerson::url() novalidate class="narrow">
                <input type="hidden" name="event_id" value=event_id/>
                <Field state=f.clone() name="email" label="Email address" kind="email" required=true hint="The person must already be known to Convene."/>
                <SelectField state=f.clone() name="role" label="Role" required=true options=roles selected="chair"/>
                <button type="submit">"Add to the event"</button>
            </form>
        </section>
    }
}
