//! `/events/:id/participants`: the organisers' participant list and its export.
use super::api::participants_page;
use crate::ui::{id_param, ErrorView, Loading};
use leptos::prelude::*;

#[component]
pub fn ParticipantsPageView() -> impl IntoView {
    use leptos_router::hooks::use_query_map;
    let id = id_param();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            (
                id.get(),
                get("status"),
                get("category"),
                get("member_state"),
                get("attendance"),
            )
        },
        |(id, status, category, member_state, attendance)| {
            participants_page(id, status, category, member_state, attendance)
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let confirm = query.read_untracked().get("confirm").and_then(|c| c.parse().ok());
                        participants(d, confirm).into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn participants(d: super::ParticipantsData, confirm: Option<i64>) -> impl IntoView {
    use super::api::DecideRegistration;
    use crate::ui::FormNotice;
    use leptos::server_fn::ServerFn;
    let heading = format!("Participants: {}", d.title);
    let manage = format!("/events/{}/manage", d.event_id);
    let csv = format!("/events/{}/participants.csv", d.event_id);
    let download = format!("participants-{}.csv", d.event_id);
    let settings = format!("/events/{}/registration", d.event_id);
    let print = format!("/events/{}/participants/print", d.event_id);
    let event_id = d.event_id;
    let f = d.filter.clone();
    let select = |name: &'static str,
                  label: &'static str,
                  options: Vec<(String, String)>,
                  chosen: String| {
        let fid = format!("filter-{name}");
        view! {
            <div>
                <label for=fid.clone()>{label}</label>
                <select id=fid name=name>
                    <option value="" selected=chosen.is_empty()>"All"</option>
                    {options.into_iter().map(|(v, l)| {
                        let sel = v == chosen;
                        view! { <option value=v selected=sel>{l}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
            .collect()
    };
    let statuses = pairs(&[
        ("pending", "Awaiting approval"),
        ("confirmed", "Confirmed"),
        ("waitlisted", "On the waiting list"),
        ("rejected", "Declined by the organisers"),
        ("cancelled", "Cancelled"),
    ]);
    let categories = pairs(&[
        ("national_contact_point", "National Contact Point"),
        ("associate_partner", "Associate Partner"),
        ("observer", "Observer"),
        ("secretariat", "Secretariat"),
        ("guest", "Guest"),
    ]);
    let modes = pairs(&[("in_person", "In person"), ("online", "Online")]);
    view! {
        <crate::ui::PageHeading parent_href=manage parent=d.title.clone() heading=heading crumb="Participants"/>
        <p role="status" data-testid="participants-summary">{d.summary.clone()}</p>
        <p data-testid="participants-places">{d.places.clone()}</p>
        <ul class="link-list">
            <li><a href=csv download=download>"Download the list as a spreadsheet (CSV)"</a></li>
            <li><a href=print>"Printable participant list"</a>" (only those who agreed to appear on it)"</li>
            <li><a href=settings>"Who may register, approval and questions"</a></li>
        </ul>
        {d.quota.map(|q| view! {
            <section aria-labelledby="delegations-heading">
                <h2 id="delegations-heading">{format!("Places per Member State: {q}")}</h2>
                {if d.delegations.is_empty() {
                    view! { <p>"No delegation has registered in person yet."</p> }.into_any()
                } else {
                    view! {
                        <table class="data-table compact" data-testid="delegations">
                            <caption class="visually-hidden">"Places used per Member State"</caption>
                            <thead><tr><th scope="col">"Member State"</th><th scope="col">"Places used"</th></tr></thead>
                            <tbody>
                                {d.delegations.iter().map(|s| view! {
                                    <tr><td data-label="Member State">{s.member_state.clone()}</td><td data-label="Places used">{format!("{} of {q}", s.used)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>
        })}
        <section aria-labelledby="registrations-heading">
            <h2 id="registrations-heading">"Registrations"</h2>
            <form method="get" class="filter-form" aria-label="Filter the registrations">
                <div class="filter-row">
                    {select("status", "Status", statuses, f.status.clone())}
                    {select("category", "Category", categories, f.category.clone())}
                    {select("member_state", "Member State", d.member_states.clone(), f.member_state.clone())}
                    {select("attendance", "Attendance", modes, f.attendance.clone())}
                    <button type="submit">"Filter"</button>
                </div>
            </form>
            {(d.hidden > 0).then(|| view! { <p>{format!("{} not shown by the filters. ", d.hidden)}<a href=format!("/events/{event_id}/participants")>"Show all"</a></p> })}
            <FormNotice state=d.decision_form.clone()/>
            {confirm.and_then(|p| d.rows.iter().find(|r| r.person_id == p && matches!(r.state.as_str(), "confirmed" | "waitlisted")).cloned()).map(|r| {
                let keep = format!("/events/{event_id}/participants");
                view! {
                    <div class="notice notice-warning confirm-panel" role="alert" id="confirm" data-testid="confirm-cancel">
                        <p><strong>{format!("Cancel the registration of {}?", r.name)}</strong></p>
                        <p>{if r.state == "confirmed" { "Their place goes to the first person waiting, who is told. They are told too." } else { "They leave the waiting list, and are told." }}</p>
                        <form method="post" action=DecideRegistration::url() class="narrow">
                            <input type="hidden" name="event_id" value=event_id/>
                            <input type="hidden" name="person_id" value=r.person_id/>
                            <input type="hidden" name="decision" value="cancel"/>
                            <input type="hidden" name="confirmed" value="yes"/>
                            <div class="field">
                                <label for="confirm-message">"A message to them (optional)"</label>
                                <input id="confirm-message" type="text" name="message"/>
                            </div>
                            <button type="submit" class="button-danger">"Cancel the registration"</button>
                            " "
                            <a href=keep>"Keep it"</a>
                        </form>
                    </div>
                }
            })}
            {(!d.rows.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="data-table">
                        <caption class="visually-hidden">"Registrations: awaiting approval, confirmed, the waiting list, declined, cancelled"</caption>
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Organisation"</th><th scope="col">"Member State"</th>
                            <th scope="col">"Status"</th><th scope="col">"Attendance"</th><th scope="col">"Needs and answers"</th><th scope="col">"Act"</th>
                        </tr></thead>
                        <tbody>
                            {d.rows.into_iter().map(|r| {
                                let who = r.name.clone();
                                let person = r.person_id;
                                // `label` is what shows; with `before` and the name it is what a screen reader says.
                                let act = move |decision: &'static str, label: &'static str, before: &'static str, class: &'static str, message: bool| {
                                    let who = who.clone();
                                    let mid = format!("decision-{person}-{decision}-message");
                                    view! {
                                        <form method="post" action=DecideRegistration::url() class="inline-form decision">
                                            <input type="hidden" name="event_id" value=event_id/>
                                            <input type="hidden" name="person_id" value=person/>
                                            <input type="hidden" name="decision" value=decision/>
                                            {message.then(|| view! {
                                                <label for=mid.clone() class="visually-hidden">{format!("Message to {who}")}</label>
                                                <input id=mid type="text" name="message" placeholder="Message (optional)"/>
                                            })}
                                            <button type="submit" class=class>{label}<span class="visually-hidden">{format!("{before}{who}")}</span></button>
                                        </form>
                                    }
                                };
                                let cancel_link = {
                                    let who = r.name.clone();
                                    move || view! {
                                        <a class="button button-danger" href=format!("/events/{event_id}/participants?confirm={person}#confirm")>"Cancel"<span class="visually-hidden">{format!(" the registration of {who}")}</span></a>
                                    }
                                };
                                let actions = match r.state.as_str() {
                                    "pending" => view! { {act("approve", "Approve", " ", "", false)}{act("reject", "Decline", " ", "button-danger", true)} }.into_any(),
                                    "waitlisted" => view! { {act("give_place", "Give a place", " to ", "button-secondary", false)}{cancel_link()} }.into_any(),
                                    "confirmed" => cancel_link().into_any(),
                                    _ => ().into_any(),
                                };
                                view! {
                                    <tr>
                                        <td data-label="Name">{r.name.clone()}<br/><span class="muted">{r.email.clone()}</span><br/><span class="muted">{r.registered_by.clone()}</span></td>
                                        <td data-label="Organisation">{r.organisation.clone()}</td>
                                        <td data-label="Member State">{r.member_state.clone()}</td>
                                        <td data-label="Status">{r.status.clone()}</td>
                                        <td data-label="Attendance">{r.attendance.clone()}</td>
                                        <td data-label="Needs and answers">
                                            {r.needs.clone()}
                                            {(!r.answers.is_empty()).then(|| view! {
                                                <dl class="answers">
                                                    {r.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt><dd>{a.clone()}</dd> }).collect_view()}
                                                </dl>
                                            })}
                                        </td>
                                        <td data-label="Act">{actions}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
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

/// The event's own questions on a registration form: each with its label, the
/// required mark, its error from the round trip, and the value typed or saved
/// (`state.values`). Fields are named as `questions` describes.
#[component]
pub fn QuestionFields(
    state: crate::ui::FormState,
    questions: Vec<super::questions::Question>,
) -> impl IntoView {
    questions
        .into_iter()
        .map(|q| {
            let field = q.field();
            let id = format!("{}-{field}", state.form);
            let error = state.error(&field);
            let error_id = format!("{id}-error");
            let value = state.value(&field).unwrap_or_default();
            let class = if error.is_some() { "field field-error" } else { "field" };
            let invalid = error.is_some().then_some("true");
            let described = error.is_some().then(|| error_id.clone());
            let required = q.required;
            let mark = move || required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> });
            let error_view = error.map(|e| view! { <p class="error-message" id=error_id.clone()><span class="visually-hidden">"Error: "</span>{e}</p> });
            match q.kind.as_str() {
                "long_text" => {
                    #[cfg(feature = "ssr")]
                    let value = crate::ui::escape_html(&value);
                    view! {
                        <div class=class>
                            <label for=id.clone()>{q.label.clone()}{mark()}</label>
                            {error_view}
                            <textarea id=id.clone() name=field rows=4 aria-invalid=invalid aria-describedby=described>{value}</textarea>
                        </div>
                    }.into_any()
                }
                "single_choice" => view! {
                    <div class=class>
                        <label for=id.clone()>{q.label.clone()}{mark()}</label>
                        {error_view}
                        <select id=id.clone() name=field aria-invalid=invalid aria-describedby=described>
                            <option value="" selected=value.is_empty()>"Choose"</option>
                            {q.choices.iter().enumerate().map(|(i, c)| {
                                let sel = value == i.to_string();
                                view! { <option value=i.to_string() selected=sel>{c.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                }.into_any(),
                "multiple_choice" => view! {
                    <div class=class>
                        <fieldset id=id.clone() aria-describedby=described>
                            <legend>{q.label.clone()}{mark()}</legend>
                            {error_view}
                            {q.choices.iter().enumerate().map(|(i, c)| {
                                let name = q.choice_field(i);
                                let cid = format!("{}-{name}", state.form);
                                let checked = state.value(&name).as_deref() == Some("yes");
                                view! {
                                    <div class="choice">
                                        <input type="checkbox" id=cid.clone() name=name value="yes" checked=checked/>
                                        <label for=cid class="choice-label">{c.clone()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                    </div>
                }.into_any(),
                "checkbox" => view! {
                    <div class=class>
                        {error_view}
                        <div class="choice">
                            <input type="checkbox" id=id.clone() name=field value="yes" checked=value == "yes" aria-invalid=invalid aria-describedby=described/>
                            <label for=id class="choice-label">{q.label.clone()}{mark()}</label>
                        </div>
                    </div>
                }.into_any(),
                _ => view! {
                    <div class=class>
                        <label for=id.clone()>{q.label.clone()}{mark()}</label>
                        {error_view}
                        <input id=id.clone() name=field type="text" value=value aria-invalid=invalid aria-describedby=described/>
                    </div>
                }.into_any(),
            }
        })
        .collect_view()
}

/// `/events/:id/registration`: who may register without an invitation, approval,
/// and the event's own questions.
#[component]
pub fn RegistrationSettingsPageView() -> impl IntoView {
    use super::api::{registration_settings, AddQuestion, ChangeQuestion, SaveRegistrationRules};
    use crate::ui::{Field, FormNotice, SelectField, TextAreaField};
    use leptos::server_fn::ServerFn;
    let id = id_param();
    let data = Resource::new(move || id.get(), registration_settings);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let heading = format!("Registration: {}", d.title);
                        let manage = format!("/events/{}/manage", d.event_id);
                        let event_id = d.event_id;
                        let rf = d.rules_form.clone();
                        let qf = d.question_form.clone();
                        let kinds: Vec<(String, String)> = super::questions::KINDS.iter().map(|(k, l)| ((*k).to_owned(), (*l).to_owned())).collect();
                        let count = d.questions.len();
                        view! {
                            <crate::ui::PageHeading parent_href=manage.clone() parent=d.title.clone() heading=heading crumb="Registration"/>
                            <p>{d.places.clone()}" "<a href=manage>"Change places and places per delegation"</a>" (on the event's page, with its dates)."</p>
                            <section aria-labelledby="rules-heading">
                                <h2 id="rules-heading">"Who may register"</h2>
                                <FormNotice state=rf.clone()/>
                                <form method="post" action=SaveRegistrationRules::url() novalidate class="narrow">
                                    <input type="hidden" name="event_id" value=event_id/>
                                    <fieldset>
                                        <legend>"Besides those invited, these members of the network may register from their account"</legend>
                                        {d.open_to.iter().map(|(c, l, on)| {
                                            let name = format!("open_{c}");
                                            let fid = format!("rules-{name}");
                                            view! {
                                                <div class="choice">
                                                    <input type="checkbox" id=fid.clone() name=name value="yes" checked=*on/>
                                                    <label for=fid class="choice-label">{format!("{l}s")}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <div class="field">
                                        <div class="choice">
                                            <input type="checkbox" id="rules-moderated" name="moderated" value="yes" checked=d.moderated aria-describedby="rules-moderated-hint"/>
                                            <label for="rules-moderated" class="choice-label">"Registrations wait for the organisers' approval"</label>
                                        </div>
                                        <p class="hint" id="rules-moderated-hint">"A registration then holds no place until it is approved on the participant list; the person is told either way."</p>
                                    </div>
                                    <button type="submit">"Save"</button>
                                </form>
                            </section>
                            <section aria-labelledby="questions-heading">
                                <h2 id="questions-heading">"Questions on the registration form"</h2>
                                <FormNotice state=d.action_form.clone()/>
                                {if d.questions.is_empty() {
                                    view! { <p>"The form asks only how people attend, their dietary and accessibility needs and their consents."</p> }.into_any()
                                } else {
                                    view! {
                                        <ol class="question-list" data-testid="questions">
                                            {d.questions.into_iter().enumerate().map(|(i, q)| {
                                                let button = move |action: &'static str, label: &'static str, class: &'static str, what: String| view! {
                                                    <form method="post" action=ChangeQuestion::url() class="inline-form">
                                                        <input type="hidden" name="event_id" value=event_id/>
                                                        <input type="hidden" name="question_id" value=q.id/>
                                                        <input type="hidden" name="action" value=action/>
                                                        <button type="submit" class=class>{label}<span class="visually-hidden">{format!(" the question \u{201c}{what}\u{201d}")}</span></button>
                                                    </form>
                                                };
                                                view! {
                                                    <li>
                                                        <strong>{q.label.clone()}</strong>
                                                        " ("{q.kind_label()}{q.required.then_some(", required")}")"
                                                        {(!q.choices.is_empty()).then(|| view! { <br/><span class="muted">{q.choices.join(" · ")}</span> })}
                                                        <div class="actions">
                                                            {(i > 0).then(|| button("up", "Move up", "button-secondary", q.label.clone()))}
                                                            {(i + 1 < count).then(|| button("down", "Move down", "button-secondary", q.label.clone()))}
                                                            {button("remove", "Remove", "button-danger", q.label.clone())}
                                                        </div>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ol>
                                    }.into_any()
                                }}
                                <h3>"Add a question"</h3>
                                <FormNotice state=qf.clone()/>
                                <form method="post" action=AddQuestion::url() novalidate class="narrow">
                                    <input type="hidden" name="event_id" value=event_id/>
                                    <Field state=qf.clone() name="label" label="Question" required=true hint="As the form shows it, for example: Which workshop will you join?"/>
                                    <SelectField state=qf.clone() name="kind" label="Answer" required=true options=kinds empty="Choose the kind of answer"/>
                                    <TextAreaField state=qf.clone() name="choices" label="Choices" rows=4 hint="For one or several choices from a list: one choice per line."/>
                                    <div class="field choice">
                                        <input type="checkbox" id="question-required" name="required" value="yes" checked=qf.value("required").as_deref() == Some("yes")/>
                                        <label for="question-required" class="choice-label">"Required"</label>
                                    </div>
                                    <button type="submit">"Add the question"</button>
                                </form>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/events/:id/participants/print`: the participant list to hand out, holding
/// only the confirmed people who agreed to appear on it.
#[component]
pub fn PrintableListPageView() -> impl IntoView {
    use super::api::printable_list;
    let id = id_param();
    let data = Resource::new(move || id.get(), printable_list);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let back = format!("/events/{}/participants", d.event_id);
                        let heading = format!("List of participants: {}", d.title);
                        view! {
                            <crate::ui::PageHeading parent_href=back parent="Participants" heading=heading crumb="Printable list"/>
                            <p class="lead">{d.dates.clone()}</p>
                            <p class="hint no-print">"Only confirmed participants who agreed to appear on the list are on it. Print it with your browser (Ctrl+P)."</p>
                            {if d.badges.is_empty() {
                                view! { <p>"Nobody has agreed to appear on the list yet."</p> }.into_any()
                            } else {
                                view! {
                                    <table class="data-table print-list" data-testid="printable-list">
                                        <caption class="visually-hidden">"Participants by name"</caption>
                                        <thead><tr><th scope="col">"Name"</th><th scope="col">"Organisation"</th><th scope="col">"Member State"</th></tr></thead>
                                        <tbody>
                                            {d.badges.into_iter().map(|b| view! {
                                                <tr><td data-label="Name">{b.name}</td><td data-label="Organisation">{b.organisation}</td><td data-label="Member State">{b.member_state}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A National Contact Point's delegation on the event's registration page: the
/// places used, the colleagues registered, and the form to register one more.
#[component]
pub fn DelegationPanel(event_id: i64, view: super::DelegationView) -> impl IntoView {
    use super::api::RegisterDelegate;
    use crate::ui::{Field, FormNotice};
    use leptos::server_fn::ServerFn;
    let d = view;
    let f = d.form.clone();
    view! {
        <section aria-labelledby="delegation-heading">
            <h3 id="delegation-heading">{format!("The delegation of {}", d.member_state)}</h3>
            <FormNotice state=f.clone()/>
            <p data-testid="delegation-seats">{d.seats.clone()}</p>
            {(!d.members.is_empty()).then(|| view! {
                <table class="data-table compact" data-testid="delegation">
                    <caption class="visually-hidden">"Colleagues you registered"</caption>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Email address"</th><th scope="col">"Role"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>
                        {d.members.iter().map(|(n, e, r, s)| view! {
                            <tr><td data-label="Name">{n.clone()}</td><td data-label="Email address">{e.clone()}</td><td data-label="Role">{r.clone()}</td><td data-label="Status">{s.clone()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            // A refused form stays, so its errors point at fields that are there.
            {if d.room || !f.errors.is_empty() {
                view! {
                    <form method="post" action=RegisterDelegate::url() novalidate class="narrow">
                        <fieldset>
                            <legend>"Register a colleague"</legend>
                            <input type="hidden" name="event_id" value=event_id/>
                            <Field state=f.clone() name="full_name" label="Full name" required=true/>
                            <Field state=f.clone() name="email" label="Email address" kind="email" required=true hint="They get a message with their own link, to add their needs or cancel."/>
                            <Field state=f.clone() name="organisation" label="Organisation" hint="For example: Public Prosecutor's Office Munich I."/>
                            <Field state=f.clone() name="role" label="Role" required=true hint="For example: Prosecutor, investigative judge, analyst."/>
                            <p class="hint" id="delegate-privacy-notice">{crate::invitations::PRIVACY_NOTICE}</p>
                            <div class=if f.error("privacy").is_some() { "field field-error" } else { "field" }>
                                {f.error("privacy").map(|e| view! { <p class="error-message" id="delegate-privacy-error">{e}</p> })}
                                <div class="choice">
                                    <input type="checkbox" id="delegate-privacy" name="privacy" value="yes" aria-describedby="delegate-privacy-notice"/>
                                    <label for="delegate-privacy" class="choice-label">"My colleague knows the privacy notice and agrees to it"<span class="required" aria-hidden="true">" *"</span></label>
                                </div>
                            </div>
                            <button type="submit">"Register my colleague"</button>
                        </fieldset>
                    </form>
                }.into_any()
            } else {
                view! { <p>"Your delegation's places are all taken. Cancelling a colleague's registration frees a place."</p> }.into_any()
            }}
        </section>
    }
}
