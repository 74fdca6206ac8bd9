//! The pages of outcome reports: the readers' page (public part, and the annex for
//! members), the organisers' page (write, submit, approve or return, publish,
//! correct, files, delivery) and the sending page with its preview.
use super::api::{report_manage, report_page, report_send_page, MailCopy, SendPageData};
use super::*;
use crate::ui::{ErrorView, FormNotice, Loading, TextAreaField};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// The figures of those present, as a table.
#[component]
fn AttendanceTable(a: Attendance) -> impl IntoView {
    if a.total == 0 {
        return view! { <p>"No attendance was recorded for this meeting."</p> }.into_any();
    }
    view! {
        <p>{crate::ui::count_sentence(a.total, "person was present.", "people were present.")}</p>
        <div class="table-columns">
            <table class="data-table" data-testid="attendance-by-category">
                <caption>"Present by category"</caption>
                <thead><tr><th scope="col">"Category"</th><th scope="col" class="number">"Present"</th></tr></thead>
                <tbody>
                    {a.by_category.into_iter().map(|(c, n)| view! { <tr><th scope="row">{c}</th><td class="number">{n}</td></tr> }).collect_view()}
                </tbody>
            </table>
        </div>
        <h3 id="by-member-state">"Present by Member State"</h3>
        <ul class="count-columns" aria-labelledby="by-member-state" data-testid="attendance-by-member-state">
            {a.by_member_state.into_iter().map(|(s, n)| view! { <li>{format!("{s}: {n}")}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A list of a report's files.
#[component]
fn FileList(files: Vec<ReportFile>) -> impl IntoView {
    view! {
        <ul class="file-list" data-testid="report-files">
            {files.into_iter().map(|f| view! {
                <li>
                    <a href=f.href download="">{f.filename}</a>
                    {format!(" ({}{})", f.description, if f.members_only { ", members only" } else { "" })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// One text part of a report (already clean HTML), under its heading.
fn part(heading: &'static str, id: &'static str, html: String) -> impl IntoView {
    (!html.is_empty()).then(|| {
        view! {
            <section aria-labelledby=id class="report-part">
                <h2 id=id>{heading}</h2>
                <div class="prose" inner_html=html></div>
            </section>
        }
    })
}

/// `/networks/:network/events/:event/report`.
#[component]
pub fn ReportPageView() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            let p = params.read();
            (
                p.get("network").unwrap_or_default(),
                p.get("event").unwrap_or_default(),
            )
        },
        |(n, e)| report_page(n, e),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => report_view(d).into_any(),
                }
            })}
        </Suspense>
    }
}

fn report_view(d: ReportPageData) -> impl IntoView {
    let r = d.report;
    let title = format!("Outcome report: {}", d.event_title);
    let network_href = format!("/networks/{}", d.network_slug);
    view! {
        <Title text=title.clone()/>
        <Meta name="description" content=format!("The outcome report of {} ({})", d.event_title, d.event_dates)/>
        <nav aria-label="Breadcrumb" class="breadcrumb no-print">
            <ol>
                <li><a href="/">"Networks and events"</a></li>
                <li><a href=network_href>{d.network_name.clone()}</a></li>
                <li><a href=d.event_href.clone()>{d.event_title.clone()}</a></li>
                <li aria-current="page">"Outcome report"</li>
            </ol>
        </nav>
        <article class="report" data-testid="report">
            <h1>{title}</h1>
            <p class="lead">{format!("{} · {}", d.network_name, d.event_dates)}</p>
            <p class="muted">
                {r.dates.clone()}
                {(r.version > 1).then(|| format!(" · version {}", r.version))}
            </p>
            {d.manage_href.map(|h| view! { <p class="no-print"><a href=h>"Manage the report"</a></p> })}
            {(!r.change_note.is_empty()).then(|| view! {
                <div class="notice" data-testid="change-note">
                    <p><strong>"What this version changed: "</strong>{r.change_note.clone()}</p>
                </div>
            })}
            {part("Summary", "summary-heading", r.summary_html)}
            {part("Conclusions", "conclusions-heading", r.conclusions_html)}
            {part("Next steps", "next-steps-heading", r.next_steps_html)}
            <section aria-labelledby="attendance-heading" class="report-part">
                <h2 id="attendance-heading">"Attendance"</h2>
                <AttendanceTable a=r.attendance/>
            </section>
            {(!r.files.iter().all(|f| f.members_only)).then(|| {
                let public: Vec<ReportFile> = r.files.iter().filter(|f| !f.members_only).cloned().collect();
                view! {
                    <section aria-labelledby="files-heading" class="report-part no-print">
                        <h2 id="files-heading">"Files"</h2>
                        <FileList files=public/>
                    </section>
                }
            })}
            {r.annex_html.map(|annex| {
                let annex_files: Vec<ReportFile> = r.files.iter().filter(|f| f.members_only).cloned().collect();
                let present = r.present.unwrap_or_default();
                view! {
                    <section aria-labelledby="annex-heading" class="report-part report-annex" data-testid="annex">
                        <h2 id="annex-heading">"Members-only annex"</h2>
                        <p class="muted">"For the network's members only: do not forward."</p>
                        <div class="prose" inner_html=annex></div>
                        {(!present.is_empty()).then(|| view! {
                            <h3>"Present"</h3>
                            <p>{present.join(", ")}</p>
                        })}
                        {(!annex_files.is_empty()).then(|| view! { <h3>"Files of the annex"</h3><FileList files=annex_files/> })}
                    </section>
                }
            })}
            {d.annex_hidden_note.map(|n| view! { <p class="notice no-print" data-testid="annex-hidden">{n}</p> })}
        </article>
    }
}

/// How the messages of a report version are doing: counts and a progress bar that
/// moves while they are sent (asking every two seconds while some are queued;
/// without JavaScript the page shows the state when it was loaded).
#[island]
pub fn DeliveryProgress(event_id: i64, report_id: i64, initial: Delivery) -> impl IntoView {
    let (delivery, set_delivery) = signal(initial);
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                if delivery.get_untracked().queued == 0 {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Ok(d) = super::api::report_delivery(event_id, report_id).await {
                        set_delivery.set(d);
                    }
                });
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (event_id, report_id, set_delivery);
    view! {
        <div data-testid="delivery">
            {move || {
                let d = delivery.get();
                let total = d.total().max(1);
                view! {
                    <progress max=total value=d.sent + d.failed aria-labelledby="delivery-heading"></progress>
                    <p role="status">
                        {format!("{} sent, {} queued, {} failed, of {}.", d.sent, d.queued, d.failed, d.total())}
                    </p>
                    {(!d.failures.is_empty()).then(|| view! {
                        <table class="data-table" data-testid="failed">
                            <caption>"Messages that could not be delivered"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Address"</th><th scope="col">"Error"</th></tr></thead>
                            <tbody>
                                {d.failures.iter().map(|(n, a, e)| view! { <tr><td>{n.clone()}</td><td>{a.clone()}</td><td>{e.clone()}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    })}
                }
            }}
        </div>
    }
}

/// `/events/:id/report`: the organisers' page of an event's report.
#[component]
pub fn ReportManagePageView() -> impl IntoView {
    let id = crate::ui::id_param();
    let query = use_query_map();
    let data = Resource::new(
        move || (id.get(), query.read().get("file")),
        |(id, file)| report_manage(id, file),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let confirm = query.read_untracked().get("confirm");
                        manage_view(d, confirm).into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn step_button(
    event_id: i64,
    report_id: i64,
    step: &'static str,
    label: String,
    class: &'static str,
) -> impl IntoView {
    use super::api::ReportStep;
    view! {
        <form method="post" action=ReportStep::url() class="inline-form">
            <input type="hidden" name="event_id" value=event_id/>
            <input type="hidden" name="report_id" value=report_id/>
            <input type="hidden" name="step" value=step/>
            <input type="hidden" name="confirmed" value="yes"/>
            <button type="submit" class=class>{label}</button>
        </form>
    }
}

fn manage_view(d: ReportManageData, confirm: Option<String>) -> impl IntoView {
    use super::api::{ReportStep, ReviewReport, SaveReport};
    let event_id = d.event_id;
    let manage = format!("/events/{event_id}/manage");
    let heading = format!("Outcome report: {}", d.event_title);
    let page = format!("/events/{event_id}/report");
    let df = d.draft_form.clone();
    let status_line = d.current.as_ref().map(|r| {
        format!(
            "Version {}: {}.",
            r.version,
            r.status.label().to_lowercase()
        )
    });
    let editable = d.current.as_ref().is_none_or(|r| r.status.editable());
    let current = d.current.clone();
    view! {
        <crate::ui::PageHeading parent_href=manage parent=d.event_title.clone() heading=heading crumb="Outcome report"/>
        <FormNotice state=d.step_form.clone()/>
        {status_line.map(|s| view! { <p data-testid="report-status"><strong>{s}</strong></p> })}
        {d.public_href.clone().map(|h| view! { <p><a href=h>"Read the report as its readers see it"</a></p> })}
        {(!d.ended).then(|| view! {
            <p class="notice">{format!("The report can be written once the meeting has ended ({}).", d.ends)}</p>
        })}
        {current.as_ref().filter(|r| r.status == ReportStatus::Returned && !r.review_comment.is_empty()).map(|r| view! {
            <div class="notice notice-warning" data-testid="review-comment">
                <p><strong>"The secretariat returned the report with these comments:"</strong></p>
                <p class="pre-line">{r.review_comment.clone()}</p>
            </div>
        })}
        {current.as_ref().map(|r| view! {
            <details class="history">
                <summary>"History of this version"</summary>
                <ul>{r.history.iter().map(|h| view! { <li>{h.clone()}</li> }).collect_view()}</ul>
            </details>
        })}
        {(d.ended && editable).then(|| {
            let r = current.clone();
            let value = |f: fn(&ManagedReport) -> &String| r.as_ref().map(|r| f(r).clone()).unwrap_or_default();
            let correction = r.as_ref().is_some_and(|r| r.version > 1);
            view! {
                <section aria-labelledby="draft-heading" id="report">
                    <h2 id="draft-heading">{if r.is_some() { "The draft" } else { "Write the report" }}</h2>
                    <FormNotice state=df.clone()/>
                    <form method="post" action=SaveReport::url() novalidate>
                        <input type="hidden" name="event_id" value=event_id/>
                        <p class="hint">"Markdown: **bold**, *italic*, lists with - , links as [text](https://…). Headings start at ## ."</p>
                        {correction.then(|| view! {
                            <TextAreaField state=df.clone() name="change_note" label="What this correction changes" value=value(|r| &r.change_note) rows=3 required=true hint="Its recipients are told this with the corrected report."/>
                        })}
                        <TextAreaField state=df.clone() name="summary" label="Summary" value=value(|r| &r.summary) rows=8 required=true/>
                        <TextAreaField state=df.clone() name="conclusions" label="Conclusions" value=value(|r| &r.conclusions) rows=8/>
                        <TextAreaField state=df.clone() name="next_steps" label="Next steps" value=value(|r| &r.next_steps) rows=6/>
                        <TextAreaField state=df.clone() name="annex" label="Members-only annex" value=value(|r| &r.annex) rows=6 hint="For the network's members only (for example what the closed session concluded): never shown to associate partners, observers, guests or the public. The names of those present are added to it."/>
                        <div class="actions">
                            <button type="submit" name="intent" value="save" class="button-secondary">"Save the draft"</button>
                            <button type="submit" name="intent" value="submit">"Submit for approval"</button>
                        </div>
                    </form>
                </section>
            }
        })}
        {current.clone().filter(|r| !r.status.editable()).map(|r| view! {
            <section aria-labelledby="text-heading" id="report">
                <h2 id="text-heading">{format!("Version {} as submitted", r.version)}</h2>
                {(!r.change_note.is_empty()).then(|| view! { <p><strong>"What changed: "</strong>{r.change_note.clone()}</p> })}
                {r.rendered.iter().map(|(h, html)| view! {
                    <h3>{h.clone()}</h3>
                    <div class="prose" inner_html=html.clone()></div>
                }).collect_view()}
            </section>
        })}
        {current.clone().filter(|r| r.status == ReportStatus::Submitted).map(|r| {
            let rf = d.review_form.clone();
            view! {
                <section aria-labelledby="review-heading" id="review">
                    <h2 id="review-heading">"Approval"</h2>
                    {if !d.secretariat {
                        view! { <p>"The report waits for the secretariat, who approves it or returns it with comments. You are told by mail."</p> }.into_any()
                    } else if d.submitted_by_viewer {
                        view! { <p>"You submitted this report: another member of the secretariat approves it."</p> }.into_any()
                    } else {
                        view! {
                            <FormNotice state=rf.clone()/>
                            <form method="post" action=ReviewReport::url() novalidate class="narrow">
                                <input type="hidden" name="event_id" value=event_id/>
                                <input type="hidden" name="report_id" value=r.id/>
                                <TextAreaField state=rf.clone() name="comment" label="Comments for the chairs" rows=4 hint="Needed to return the report; not needed to approve it."/>
                                <div class="actions">
                                    <button type="submit" name="decision" value="approve">"Approve the report"</button>
                                    <button type="submit" name="decision" value="return" class="button-secondary">"Return it with comments"</button>
                                </div>
                            </form>
                        }.into_any()
                    }}
                </section>
            }
        })}
        {current.clone().filter(|r| r.status.approved()).map(|r| {
            let publishing = confirm.as_deref() == Some("publish") && r.status == ReportStatus::Approved;
            view! {
                <section aria-labelledby="steps-heading">
                    <h2 id="steps-heading">"Publishing and corrections"</h2>
                    {if r.status == ReportStatus::Published {
                        view! { <p>"This version is published on the event's page and in the network's list of outcome reports."</p> }.into_any()
                    } else if publishing {
                        view! {
                            <div class="panel confirm-panel" role="group" aria-labelledby="confirm-heading" data-testid="confirmation">
                                <h3 id="confirm-heading">"Publish the report?"</h3>
                                <p>"Its summary, conclusions, next steps, attendance figures and public files appear on the event's page for everyone. The annex stays for members only."</p>
                                <div class="actions">
                                    {step_button(event_id, r.id, "publish", "Publish now".into(), "")}
                                    <a href=page.clone()>"Cancel"</a>
                                </div>
                            </div>
                        }.into_any()
                    } else {
                        view! { <p><a class="button" href=format!("{page}?confirm=publish#steps-heading")>"Publish the report…"</a></p> }.into_any()
                    }}
                    <p>"An approved report does not change. To correct it, start a new version: it goes through approval again and is sent as an update that says what changed."</p>
                    {step_button(event_id, r.id, "correct", format!("Start a correction (version {})", r.version + 1), "button-secondary")}
                </section>
            }
        })}
        {current.clone().map(|r| {
            let files = r.files.clone();
            let editable = r.status.editable();
            view! {
                <section aria-labelledby="files-heading" id="files">
                    <h2 id="files-heading">"Files"</h2>
                    {d.upload_message.clone().map(|(ok, m)| view! {
                        <div class=if ok { "notice notice-success" } else { "notice notice-warning" } role=if ok { "status" } else { "alert" } data-testid="upload-message">
                            <p>{m}</p>
                        </div>
                    })}
                    {if files.is_empty() {
                        view! { <p>"No files yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="file-list" data-testid="report-files">
                                {files.into_iter().map(|f| view! {
                                    <li>
                                        <a href=f.href.clone()>{f.filename.clone()}</a>
                                        {format!(" ({}{})", f.description, if f.members_only { ", members only" } else { "" })}
                                        {editable.then(|| view! {
                                            <form method="post" action=ReportStep::url() class="inline-form">
                                                <input type="hidden" name="event_id" value=event_id/>
                                                <input type="hidden" name="report_id" value=r.id/>
                                                <input type="hidden" name="step" value="remove_file"/>
                                                <input type="hidden" name="file_id" value=f.id/>
                                                <button type="submit" class="button-danger">"Remove"<span class="visually-hidden">{format!(" {}", f.filename)}</span></button>
                                            </form>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                    {editable.then(|| view! {
                        <form method="post" action=format!("/events/{event_id}/report/files") enctype="multipart/form-data" class="narrow">
                            <div class="field">
                                <label for="report-file">"Add a file"</label>
                                <p class="hint" id="report-file-hint">"PDF, OpenDocument text (ODT) or Word (DOCX), up to 20 MB each. Save your text first: adding a file reloads the page."</p>
                                <input type="file" id="report-file" name="file" accept=".pdf,.odt,.docx,application/pdf" aria-describedby="report-file-hint"/>
                            </div>
                            <div class="field choice">
                                <input type="checkbox" id="report-file-members" name="members_only" value="yes"/>
                                <label for="report-file-members" class="choice-label">"Part of the members-only annex"</label>
                            </div>
                            <button type="submit" class="button-secondary">"Add the file"</button>
                        </form>
                    })}
                </section>
            }
        })}
        {current.clone().map(|r| view! {
            <section aria-labelledby="figures-heading">
                <h2 id="figures-heading">"Attendance figures"</h2>
                <p class="hint">{if r.status.editable() { "From the attendance register as it stands; frozen when the report is submitted." } else { "As they stood when the report was submitted." }}</p>
                <AttendanceTable a=r.attendance.clone()/>
            </section>
        })}
        {(!d.groups.is_empty()).then(|| {
            let sf = d.send_form.clone();
            view! {
                <section aria-labelledby="send-heading" id="send">
                    <h2 id="send-heading">"Send the report"</h2>
                    <FormNotice state=sf/>
                    <form method="get" action=format!("/events/{event_id}/report/send") class="narrow">
                        <fieldset>
                            <legend>"Send it to"</legend>
                            {d.groups.iter().map(|(code, label, n)| {
                                let fid = format!("send-{code}");
                                view! {
                                    <div class="choice">
                                        <input type="checkbox" id=fid.clone() name="groups" value=code.clone()/>
                                        <label for=fid class="choice-label">{format!("{label} ({})", crate::ui::count(*n, "person", "people"))}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <button type="submit">"Preview and send…"</button>
                    </form>
                </section>
            }
        })}
        {d.sendable_id.map(|report_id| {
            let failed = d.delivery.failed;
            let sent_at_all = d.delivery.total() > 0;
            view! {
                <section aria-labelledby="delivery-heading" id="delivery">
                    <h2 id="delivery-heading">"Delivery"</h2>
                    {if sent_at_all {
                        view! { <DeliveryProgress event_id=event_id report_id=report_id initial=d.delivery.clone()/> }.into_any()
                    } else {
                        view! { <p>"Not sent yet."</p> }.into_any()
                    }}
                    {(failed > 0).then(|| step_button(event_id, report_id, "retry", "Send again to the failed ones".into(), ""))}
                    {(!d.sendings.is_empty()).then(|| view! {
                        <h3>"Sent"</h3>
                        <ul data-testid="sendings">{d.sendings.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ul>
                    })}
                </section>
            }
        })}
    }
}

/// `/events/:id/report/send?groups=…&preview=…`: whom the chosen groups reach and
/// one recipient's copy, then the button that sends.
#[component]
pub fn ReportSendPageView() -> impl IntoView {
    let id = crate::ui::id_param();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                id.get(),
                q.get_all("groups"),
                q.get("preview").and_then(|p| p.parse::<i64>().ok()),
            )
        },
        |(id, groups, preview)| report_send_page(id, groups, preview),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => send_view(d).into_any(),
                }
            })}
        </Suspense>
    }
}

fn send_view(d: SendPageData) -> impl IntoView {
    use super::api::SendReport;
    let event_id = d.event_id;
    let back = format!("/events/{event_id}/report");
    let heading = format!("Send the outcome report: {}", d.event_title);
    let chosen: Vec<(String, String)> = d
        .groups
        .iter()
        .filter(|(_, _, on)| *on)
        .map(|(c, l, _)| (c.clone(), l.clone()))
        .collect();
    let new = d.recipients.len() as i64;
    let form_field = |code: &str| match code {
        "confirmed" => "confirmed_participants".to_owned(),
        other => other.to_owned(),
    };
    view! {
        <crate::ui::PageHeading parent_href=back.clone() parent="Outcome report" heading=heading crumb="Send"/>
        {if chosen.is_empty() {
            view! { <p class="notice notice-warning" role="alert">"Choose at least one group to send the report to. "<a href=back.clone()>"Back to the report"</a></p> }.into_any()
        } else {
            view! {
                <p data-testid="send-summary">
                    {format!(
                        "Version {} goes to {} from: {}.",
                        d.version,
                        crate::ui::count(new, "person", "people"),
                        chosen.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("; ")
                    )}
                    {(d.already > 0).then(|| format!(" {} of the chosen have it already and are not mailed again.", crate::ui::count(d.already, "person", "people")))}
                    {match d.with_annex {
                        0 => " None of them gets the members-only annex.".to_owned(),
                        n if n == new => " All of them get the members-only annex.".to_owned(),
                        n => format!(" {n} of them get the members-only annex."),
                    }}
                </p>
                {(new > 0).then(|| view! {
                    <form method="post" action=SendReport::url()>
                        <input type="hidden" name="event_id" value=event_id/>
                        <input type="hidden" name="report_id" value=d.report_id/>
                        <input type="hidden" name="confirmed" value="yes"/>
                        {chosen.iter().map(|(c, _)| view! { <input type="hidden" name=form_field(c) value="yes"/> }).collect_view()}
                        <div class="actions">
                            <button type="submit">{format!("Send to {}", crate::ui::count(new, "person", "people"))}</button>
                            <a href=back.clone()>"Cancel"</a>
                        </div>
                    </form>
                })}
                {(new > 0).then(|| {
                    let groups = chosen.clone();
                    view! {
                        <section aria-labelledby="preview-heading">
                            <h2 id="preview-heading">"Preview"</h2>
                            <form method="get" class="filter-form">
                                {groups.iter().map(|(c, _)| view! { <input type="hidden" name="groups" value=c.clone()/> }).collect_view()}
                                <label for="preview-person">"As received by"</label>
                                <div class="filter-row">
                                    <select id="preview-person" name="preview">
                                        {d.recipients.iter().map(|(id, label)| {
                                            let sel = d.copy.as_ref().is_some_and(|c| c.person_id == *id);
                                            view! { <option value=*id selected=sel>{label.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                    <button type="submit" class="button-secondary">"Show"</button>
                                </div>
                            </form>
                            {d.copy.clone().map(mail_copy)}
                        </section>
                    }
                })}
            }.into_any()
        }}
    }
}

fn mail_copy(c: MailCopy) -> impl IntoView {
    view! {
        <div class="mail-copy" data-testid="mail-copy">
            <p><strong>"Subject: "</strong>{c.subject}</p>
            <p>{if c.annex { "This copy holds the members-only annex." } else { "This copy has no annex." }}</p>
            <h3>"As a mail program shows it"</h3>
            <iframe class="mail-html" title="The message as HTML" sandbox="" srcdoc=c.html></iframe>
            <details>
                <summary>"Plain-text part"</summary>
                <pre class="mail-text">{c.text}</pre>
            </details>
        </div>
    }
}
