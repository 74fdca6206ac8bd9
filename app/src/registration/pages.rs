//! `/events/:id/participants`: the organisers' participant list and its export.
use super::api::participants_page;
use crate::ui::{id_param, ErrorView, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

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
                            <Title text=heading.clone()/>
                            <nav aria-label="Breadcrumb" class="breadcrumb">
                                <ol>
                                    <li><a href=manage>{d.title.clone()}</a></li>
                                    <li aria-current="page">"Participants"</li>
                                </ol>
                            </nav>
                            <h1>{heading}</h1>
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
