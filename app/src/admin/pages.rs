use super::api::{mail_log, mail_message, ResendMail};
use super::MailLogRow;
use crate::ui::{ErrorView, Loading};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const STATUSES: [(&str, &str); 5] = [
    ("", "Any status"),
    ("queued", "Queued"),
    ("sending", "Being sent"),
    ("sent", "Sent"),
    ("failed", "Failed"),
];

/// `/admin/mail`: every message, its status and what happened to it.
#[component]
pub fn MailLogPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("status").filter(|s| !s.is_empty()),
                q.get("event").and_then(|e| e.parse::<i64>().ok()),
            )
        },
        |(status, event)| mail_log(status, event),
    );
    view! {
        <crate::ui::AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(log) => {
                        let q = query.read_untracked();
                        let status = q.get("status").unwrap_or_default();
                        let event = q.get("event").unwrap_or_default();
                        view! {
                            <Title text="Mail log"/>
                            <h1>"Mail log"</h1>
                            {(!log.smtp_configured).then(|| view! {
                                <p class="notice notice-warning" role="note">
                                    "No SMTP server is configured (SMTP_URL): messages are queued and shown here, and are sent once one is."
                                </p>
                            })}
                            <form method="get" class="filter-form" aria-label="Filter the mail log">
                                <div class="filter-row">
                                    <div>
                                        <label for="mail-status">"Status"</label>
                                        <select id="mail-status" name="status">
                                            {STATUSES.iter().map(|(v, l)| view! { <option value=*v selected=status == *v>{*l}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="mail-event">"Event"</label>
                                        <select id="mail-event" name="event">
                                            <option value="" selected=event.is_empty()>"Any event"</option>
                                            {log.events.into_iter().map(|(id, title)| {
                                                let v = id.to_string();
                                                let sel = v == event;
                                                view! { <option value=v selected=sel>{title}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <button type="submit">"Show"</button>
                                </div>
                            </form>
                            <p class="muted" role="status">{format!("{}.", crate::ui::count_sentence(log.rows.len() as i64, "message", "messages"))}</p>
                            <div class="table-wrap">
                                <table class="data-table">
                                    <caption class="visually-hidden">"Messages, newest first"</caption>
                                    <thead><tr>
                                        <th scope="col">"Recipient"</th><th scope="col">"Subject"</th><th scope="col">"Status"</th>
                                        <th scope="col">"Attempts"</th><th scope="col">"Last error"</th><th scope="col">"Queued"</th><th scope="col">"Sent"</th>
                                    </tr></thead>
                                    <tbody>{log.rows.into_iter().map(row_view).collect_view()}</tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn row_view(r: MailLogRow) -> impl IntoView {
    let href = format!("/admin/mail/{}", r.id);
    view! {
        <tr data-status=r.status.clone()>
            <td data-label="Recipient">{r.recipient}</td>
            <td data-label="Subject"><a href=href>{r.subject}</a>{r.event_title.map(|t| view! { <br/><span class="muted">{t}</span> })}</td>
            <td data-label="Status">{r.status_text}</td>
            <td data-label="Attempts">{r.attempts}</td>
            <td data-label="Last error">{r.last_error.unwrap_or_default()}</td>
            <td data-label="Queued">{r.created}</td>
            <td data-label="Sent">{r.sent.unwrap_or_default()}</td>
        </tr>
    }
}

/// `/admin/mail/:id`: the message as the recipient sees it, and a resend button.
#[component]
pub fn MailMessagePage() -> impl IntoView {
    let params = use_params_map();
    let resend = ServerAction::<ResendMail>::new();
    let data = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|i| i.parse::<i64>().ok())
                .unwrap_or(-1)
        },
        mail_message,
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(m) => view! {
                        <Title text=m.row.subject.clone()/>
                        <nav aria-label="Breadcrumb" class="breadcrumb">
                            <ol><li><a href="/admin/mail">"Mail log"</a></li><li aria-current="page">{format!("Message {}", m.row.id)}</li></ol>
                        </nav>
                        <h1>{m.row.subject.clone()}</h1>
                        <dl class="facts">
                            <dt>"From"</dt><dd>{m.from}</dd>
                            <dt>"To"</dt><dd>{m.row.recipient.clone()}</dd>
                            <dt>"Status"</dt><dd data-testid="mail-status">{m.row.status_text.clone()}</dd>
                            <dt>"Attempts"</dt><dd>{m.row.attempts}</dd>
                            {m.row.last_error.clone().map(|e| view! { <dt>"Last error"</dt><dd>{e}</dd> })}
                            <dt>"Queued"</dt><dd>{m.row.created.clone()}</dd>
                            {m.row.sent.clone().map(|s| view! { <dt>"Sent"</dt><dd>{s}</dd> })}
                            <dt>"Message-ID"</dt><dd><code>{m.message_id}</code></dd>
                            {m.row.resend_of.map(|o| view! { <dt>"Resend of"</dt><dd><a href=format!("/admin/mail/{o}")>{format!("message {o}")}</a></dd> })}
                            {(!m.attachments.is_empty()).then(|| view! { <dt>"Attachments"</dt><dd>{m.attachments.join(", ")}</dd> })}
                            {m.calendar_method.map(|c| view! { <dt>"Calendar"</dt><dd>{format!("text/calendar; method={c}")}</dd> })}
                        </dl>
                        <ActionForm action=resend>
                            <input type="hidden" name="id" value=m.row.id/>
                            <button type="submit">"Resend this message"</button>
                        </ActionForm>
                        <h2>"Plain text"</h2>
                        <pre class="mail-text">{m.body_text}</pre>
                        <h2>"HTML"</h2>
                        // The HTML part is shown in a sandbox: no scripts, no same-origin access.
                        <iframe class="mail-html" title="The HTML part of the message" sandbox="" srcdoc=m.body_html></iframe>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin`: the secretariat's overview.
#[component]
pub fn AdminHomePageView() -> impl IntoView {
    let data = Resource::new(|| (), |_| super::api::admin_overview());
    view! {
        <crate::ui::AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(o) => view! {
                            <Title text="Secretariat"/>
                            <h1>"Secretariat"</h1>
                        <ul class="card-list">
                            <li class="card"><h2><a href="/admin/people">"People"</a></h2><p>{format!("{}, {}.", crate::ui::count_sentence(o.people, "person", "people"), crate::ui::count(o.accounts, "active account", "active accounts"))}</p></li>
                            <li class="card"><h2><a href="/admin/events">"Events"</a></h2><p>{format!("{}; {}.", crate::ui::count_sentence(o.events, "event", "events"), match o.drafts { 0 => "none is a draft".to_owned(), 1 => "1 is a draft".to_owned(), n => format!("{n} are drafts") })}</p></li>
                            <li class="card"><h2><a href="/admin/mail">"Mail log"</a></h2><p>{format!("{} waiting, {} failed.", crate::ui::count_sentence(o.mail_waiting, "message", "messages"), o.mail_failed)}</p></li>
                            <li class="card"><h2><a href="/admin/organisations">"Organisations"</a></h2><p>"The authorities, agencies and institutions people belong to."</p></li>
                            <li class="card"><h2><a href="/admin/networks">"Networks"</a></h2><p>"Names, mandates and priorities."</p></li>
                            <li class="card"><h2><a href="/admin/audit">"Audit log"</a></h2><p>"Who did what, when, from where."</p></li>
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/audit`: the audit log as sentences, filterable by action and by name.
#[component]
pub fn AuditLogPageView() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (q.get("action"), q.get("name"))
        },
        |(action, name)| super::api::audit_log(action, name),
    );
    view! {
        <crate::ui::AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let q = query.read_untracked();
                        let action = q.get("action").unwrap_or_default();
                        let name = q.get("name").unwrap_or_default();
                        view! {
                            <Title text="Audit log"/>
                            <h1>"Audit log"</h1>
                            <form method="get" class="filter-form" aria-label="Filter the audit log">
                                <div class="filter-row">
                                    <div>
                                        <label for="audit-action">"What happened"</label>
                                        <select id="audit-action" name="action">
                                            <option value="" selected=action.is_empty()>"Anything"</option>
                                            {d.actions.into_iter().map(|(code, words)| { let sel = code == action; view! { <option value=code selected=sel>{words}</option> } }).collect_view()}
                                        </select>
                                    </div>
                                    <div>
                                        <label for="audit-name">"By or about a person named"</label>
                                        <input id="audit-name" name="name" type="search" value=name/>
                                    </div>
                                    <button type="submit">"Show"</button>
                                </div>
                            </form>
                            <p class="muted" role="status">{format!("{} (at most 500 shown, newest first).", crate::ui::count_sentence(d.rows.len() as i64, "entry", "entries"))}</p>
                            <div class="table-wrap">
                                <table class="data-table">
                                    <caption class="visually-hidden">"Audit entries, newest first"</caption>
                                    <thead><tr><th scope="col">"When"</th><th scope="col">"What happened"</th><th scope="col">"Detail"</th><th scope="col">"From"</th></tr></thead>
                                    <tbody>
                                        {d.rows.into_iter().map(|r| { let data_action = r.action.clone(); view! {
                                            <tr data-action=data_action>
                                                <td data-label="When">{r.at}</td>
                                                <td data-label="What happened">{audit_sentence(r.actor, r.phrase, r.subject, r.subject_href)}</td>
                                                <td data-label="Detail">{r.detail}</td>
                                                <td data-label="From">{r.client}</td>
                                            </tr>
                                        } }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// "Femke Visser disabled the account of <a>Henrik Maas</a>." as one piece of text
/// around the link.
fn audit_sentence(
    actor: String,
    phrase: String,
    subject: String,
    href: Option<String>,
) -> impl IntoView {
    let lead = if subject.is_empty() {
        format!("{actor} {phrase}")
    } else {
        format!("{actor} {phrase} ")
    };
    match href {
        Some(h) => view! { {lead}<a href=h>{subject}</a>"." }.into_any(),
        None => format!("{lead}{subject}.").into_any(),
    }
}
