//! `/events/:id/participants`: the organisers' participant list and its export.
use super::api::participants_page;
use crate::ui::{id_param, ErrorView, Loading};
use leptos::prelude::*;

#[component]
pub fn ParticipantsPageView() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), participants_page);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let heading = format!("Participants: {}", d.title);
                        let manage = format!("/events/{}/manage", d.event_id);
                        let csv = format!("/events/{}/participants.csv", d.event_id);
                        let download = format!("participants-{}.csv", d.event_id);
                        view! {
                            <crate::ui::PageHeading parent_href=manage parent=d.title.clone() heading=heading crumb="Participants"/>
                            <p role="status" data-testid="participants-summary">{d.summary.clone()}</p>
                            <p><a href=csv download=download>"Download the list as a spreadsheet (CSV)"</a></p>
                            {(!d.rows.is_empty()).then(|| view! {
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <caption class="visually-hidden">"Registrations: confirmed, then the waiting list, then cancelled"</caption>
                                        <thead><tr>
                                            <th scope="col">"Name"</th><th scope="col">"Organisation"</th><th scope="col">"Member State"</th>
                                            <th scope="col">"Status"</th><th scope="col">"Attendance"</th><th scope="col">"Needs"</th>
                                        </tr></thead>
                                        <tbody>
                                            {d.rows.into_iter().map(|r| view! {
                                                <tr>
                                                    <td data-label="Name">{r.name}<br/><span class="muted">{r.email}</span></td>
                                                    <td data-label="Organisation">{r.organisation}</td>
                                                    <td data-label="Member State">{r.member_state}</td>
                                                    <td data-label="Status">{r.status}</td>
                                                    <td data-label="Attendance">{r.attendance}</td>
                                                    <td data-label="Needs">{r.needs}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
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

/// `/events/:id/check-in`: on the day, find a person by name and record them with
/// one button; usable on a phone and without JavaScript.
#[component]
pub fn CheckInPageView() -> impl IntoView {
    use super::api::{check_in_page, MarkAttendance};
    use crate::ui::FormNotice;
    use leptos::server_fn::ServerFn;
    use leptos_router::hooks::use_query_map;
    let id = id_param();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (id.get(), q.get("day"), q.get("q"))
        },
        |(id, day, q)| check_in_page(id, day, q),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let heading = format!("Check-in: {}", d.title);
                        let manage = format!("/events/{}/manage", d.event_id);
                        let (event_id, day, q) = (d.event_id, d.day.clone(), d.query.clone());
                        view! {
                            <crate::ui::PageHeading parent_href=manage parent=d.title.clone() heading=heading crumb="Check-in"/>
                            <form method="get" class="filter-form" aria-label="Find a participant">
                                <div class="filter-row">
                                    <div>
                                        <label for="check-in-day">"Day"</label>
                                        <select id="check-in-day" name="day">
                                            {d.days.iter().map(|(v, l)| {
                                                let sel = *v == d.day;
                                                view! { <option value=v.clone() selected=sel>{l.clone()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="check-in-q">"Name contains"</label>
                                        <input id="check-in-q" name="q" type="search" value=d.query.clone()/>
                                    </div>
                                    <button type="submit">"Find"</button>
                                </div>
                            </form>
                            <FormNotice state=d.form.clone()/>
                            <p role="status" data-testid="check-in-summary">{d.summary.clone()}</p>
                            {if d.rows.is_empty() {
                                view! { <p>"No confirmed participant matches."</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-wrap">
                                        <table class="data-table">
                                            <caption class="visually-hidden">{format!("Confirmed participants on {}", d.day_label)}</caption>
                                            <thead><tr>
                                                <th scope="col">"Name"</th><th scope="col">"Organisation"</th>
                                                <th scope="col">"Member State"</th><th scope="col">"Register"</th><th scope="col">"Record"</th>
                                            </tr></thead>
                                            <tbody>
                                                {d.rows.into_iter().map(|r| {
                                                    let (day, q) = (day.clone(), q.clone());
                                                    let button = move |status: &'static str, label: &'static str, class: &'static str, name: String| {
                                                        let (day, q) = (day.clone(), q.clone());
                                                        view! {
                                                            <form method="post" action=MarkAttendance::url() class="inline-form">
                                                                <input type="hidden" name="event_id" value=event_id/>
                                                                <input type="hidden" name="person_id" value=r.person_id/>
                                                                <input type="hidden" name="day" value=day/>
                                                                <input type="hidden" name="q" value=q/>
                                                                <input type="hidden" name="status" value=status/>
                                                                <button type="submit" class=class>{label}<span class="visually-hidden">{format!(": {name}")}</span></button>
                                                            </form>
                                                        }
                                                    };
                                                    let present = r.status == "present";
                                                    view! {
                                                        <tr data-status=r.status.clone()>
                                                            <td data-label="Name"><strong>{r.name.clone()}</strong>{format!(" ({})", r.attendance)}</td>
                                                            <td data-label="Organisation">{r.organisation.clone()}</td>
                                                            <td data-label="Member State">{r.member_state.clone()}</td>
                                                            <td data-label="Register">{super::attendance_status_label(&r.status)}</td>
                                                            <td data-label="Record">
                                                                {(!present).then(|| button("present", "Check in", "", r.name.clone()))}
                                                                " "
                                                                {(r.status != "excused").then(|| button("excused", "Excused", "button-secondary", r.name.clone()))}
                                                                " "
                                                                {(r.status != "absent").then(|| button("absent", "Absent", "button-secondary", r.name.clone()))}
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/events/:id/badges`: eight name badges to an A4 page when printed.
#[component]
pub fn BadgesPageView() -> impl IntoView {
    use super::api::badges_page;
    let id = id_param();
    let data = Resource::new(move || id.get(), badges_page);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let heading = format!("Badges: {}", d.title);
                        let manage = format!("/events/{}/manage", d.event_id);
                        let count = d.badges.len();
                        view! {
                            <crate::ui::PageHeading parent_href=manage parent=d.title.clone() heading=heading crumb="Badges" screen_only=true/>
                            <p class="no-print" role="status">{format!(
                                "{} for the confirmed participants: print this page (A4, eight a page).",
                                crate::ui::count_sentence(count as i64, "badge", "badges")
                            )}</p>
                            <ul class="badge-sheet" data-testid="badges">
                                {d.badges.into_iter().map(|b| {
                                    let title = d.title.clone();
                                    let dates = d.dates.clone();
                                    view! {
                                        <li class="name-badge">
                                            <p class="name-badge-event">{title}<br/>{dates}</p>
                                            <p class="name-badge-name">{b.name}</p>
                                            <p class="name-badge-organisation">{b.organisation}</p>
                                            <p class="name-badge-state">{b.member_state}</p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
