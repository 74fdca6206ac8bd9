//! `/events/:id/invitations` (organisers) and the invitation part of the guest's
//! page. Plain forms: everything works with JavaScript off.
use super::api::{
    invitations_page, CancelRegistrationAsGuest, ChangeRegistration, DeclineInvitation,
    InviteMembers, InvitePerson, RegisterAsGuest, RemindUnanswered, RevokeInvitation,
};
use super::{InvitationView, InvitationsData, PRIVACY_NOTICE};
use crate::registration::pages::QuestionFields;
use crate::ui::{id_param, ErrorView, Field, FormNotice, Loading, SelectField, TextAreaField};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// `/events/:id/invitations`: the organisers' invitations and who answered how.
#[component]
pub fn InvitationsPageView() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), invitations_page);
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => invitations(d).into_any(),
                }
            })}
        </Suspense>
    }
}

fn invitations(d: InvitationsData) -> impl IntoView {
    let f = d.form.clone();
    let event_id = d.event_id;
    let manage = format!("/events/{}/manage", d.event_id);
    let heading = format!("Invitations: {}", d.title);
    view! {
        <crate::ui::PageHeading parent_href=manage parent=d.title.clone() heading=heading crumb="Invitations"/>
        <p class="lead">{d.dates.clone()}</p>
        <p data-testid="places">{d.places.clone()}</p>
        <section aria-labelledby="invite-heading">
            <h2 id="invite-heading">"Invite"</h2>
            <FormNotice state=f.clone()/>
            <FormNotice state=d.import_form.clone()/>
            {match d.closed_reason.clone() {
                Some(why) => view! { <p class="notice notice-warning" role="note">{why}</p> }.into_any(),
                None => view! {
                    <p>"Everyone whose membership of the network is active today, in the category chosen, gets an invitation with a personal link by mail. People invited before are not invited twice."</p>
                    <form method="post" action=InviteMembers::url() novalidate class="narrow">
                        <input type="hidden" name="event_id" value=d.event_id/>
                        <SelectField state=f.clone() name="category" label="Whom to invite" required=true options=d.categories.clone() empty="Choose a category"/>
                        <SelectField state=f.clone() name="member_state" label="From" options=d.member_states.clone() empty="Every Member State"/>
                        <button type="submit">"Send the invitations"</button>
                    </form>
                    <p><a href=format!("/events/{}/invitations/upload", d.event_id)>"Invite guests from a spreadsheet (CSV)"</a></p>
                    <h3>"Invite one person"</h3>
                    <FormNotice state=d.person_form.clone()/>
                    <form method="post" action=InvitePerson::url() novalidate class="narrow">
                        <input type="hidden" name="event_id" value=d.event_id/>
                        <Field state=d.person_form.clone() name="email" label="Email address" kind="email" required=true/>
                        <Field state=d.person_form.clone() name="full_name" label="Full name" hint="Only for someone new to Convene: they are added to the directory as a guest, without an account."/>
                        <button type="submit">"Invite this person"</button>
                    </form>
                }.into_any(),
            }}
        </section>
        <section aria-labelledby="invited-heading">
            <h2 id="invited-heading">"Invited"</h2>
            <p role="status" data-testid="invitation-summary">{d.summary.clone()}</p>
            <FormNotice state=d.remind_form.clone()/>
            <FormNotice state=d.revoke_form.clone()/>
            {(d.open && d.unanswered > 0).then(|| view! {
                <form method="post" action=RemindUnanswered::url() class="inline-form">
                    <input type="hidden" name="event_id" value=d.event_id/>
                    <input type="hidden" name="confirm" value="yes"/>
                    <button type="submit" class="button-secondary">{format!("Remind the {} who have not answered", d.unanswered)}</button>
                </form>
            })}
            {(!d.rows.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="data-table">
                        <caption class="visually-hidden">"Invited people, by name"</caption>
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Email address"</th><th scope="col">"Invited as"</th>
                            <th scope="col">"Member State"</th><th scope="col">"Answer"</th><th scope="col">"Invitation mail"</th><th scope="col">"Last reminded"</th><th scope="col">"Revoke"</th>
                        </tr></thead>
                        <tbody>
                            {d.rows.into_iter().map(|r| { let who = r.name.clone(); view! {
                                <tr>
                                    <td data-label="Name">{r.name}</td>
                                    <td data-label="Email address">{r.email}</td>
                                    <td data-label="Invited as">{r.invited_as}</td>
                                    <td data-label="Member State">{r.member_state}</td>
                                    <td data-label="Answer">{r.status}</td>
                                    <td data-label="Invitation mail">{r.mail}</td>
                                    <td data-label="Last reminded">{r.reminded}</td>
                                    <td data-label="Revoke">
                                        {r.revocable.then(|| view! {
                                            <form method="post" action=RevokeInvitation::url() class="inline-form">
                                                <input type="hidden" name="event_id" value=event_id/>
                                                <input type="hidden" name="person_id" value=r.person_id/>
                                                <button type="submit" class="button-secondary">"Revoke"<span class="visually-hidden">{format!(" the invitation of {who}")}</span></button>
                                            </form>
                                        })}
                                    </td>
                                </tr>
                            } }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}

/// The invitation on the guest's page: their answer so far, and the forms to
/// register, decline or cancel.
#[component]
pub fn InvitationPanel(event_id: i64, view: InvitationView) -> impl IntoView {
    let v = view;
    let rf = v.register_form.clone();
    let df = v.decline_form.clone();
    let cf = v.cancel_form.clone();
    let attendance = vec![
        ("in_person".to_owned(), "In person".to_owned()),
        ("online".to_owned(), "Online".to_owned()),
    ];
    let heading = match v.status.as_str() {
        "member" => "Your registration",
        "delegation" => "Your delegation",
        _ => "Your invitation",
    };
    let chf = v.change_form.clone();
    view! {
        <section aria-labelledby="invitation-heading">
            <h2 id="invitation-heading">{heading}</h2>
            <FormNotice state=rf.clone()/>
            <FormNotice state=chf.clone()/>
            <FormNotice state=df.clone()/>
            <FormNotice state=cf.clone()/>
            {v.registration.clone().map(|r| view! { <p class="lead" data-testid="registration-standing">{r}</p> })}
            {(v.status == "declined" && !v.registered).then(|| view! { <p data-testid="declined">"You have declined this invitation. You can still register below while registration is open."</p> })}
            {v.window.clone().map(|w| view! { <p>"Registration: "{w}</p> })}
            {v.may_register.then(|| view! {
                <form method="post" action=RegisterAsGuest::url() novalidate>
                    <fieldset>
                        <legend>"Register"</legend>
                        <input type="hidden" name="event_id" value=event_id/>
                        {if v.online {
                            view! { <SelectField state=rf.clone() name="attendance" label="How you will attend" required=true options=attendance.clone() selected="in_person"/> }.into_any()
                        } else {
                            view! { <input type="hidden" name="attendance" value="in_person"/> }.into_any()
                        }}
                        <Field state=rf.clone() name="dietary" label="Dietary requirements" hint="For example: vegetarian, no nuts. Leave empty if none."/>
                        <Field state=rf.clone() name="accessibility" label="Accessibility needs" hint="For example: step-free access, sign-language interpretation. Leave empty if none."/>
                        <p class="hint" id="privacy-notice">{PRIVACY_NOTICE}</p>
                        <div class=if rf.error("privacy").is_some() { "field field-error" } else { "field" }>
                            {rf.error("privacy").map(|e| view! { <p class="error-message" id="register-privacy-error">{e}</p> })}
                            <div class="choice">
                                <input type="checkbox" id="register-privacy" name="privacy" value="yes" aria-describedby="privacy-notice"/>
                                <label for="register-privacy" class="choice-label">"I agree to the privacy notice above"<span class="required" aria-hidden="true">" *"</span></label>
                            </div>
                        </div>
                        <div class="field choice">
                            <input type="checkbox" id="register-list_consent" name="list_consent" value="yes" checked=rf.value("list_consent").as_deref() == Some("yes")/>
                            <label for="register-list_consent" class="choice-label">"Show my name on the participant list that other participants see"</label>
                        </div>
                        <QuestionFields state=rf.clone() questions=v.questions.clone()/>
                        {v.moderated.then(|| view! { <p class="hint">"The organisers approve each registration: yours holds a place once they have, and you are told by mail."</p> })}
                        <button type="submit">"Register"</button>
                    </fieldset>
                </form>
            })}
            {(v.status == "invited" && !v.registered).then(|| view! {
                <form method="post" action=DeclineInvitation::url() novalidate>
                    <fieldset>
                        <legend>"Or decline"</legend>
                        <input type="hidden" name="event_id" value=event_id/>
                        <TextAreaField state=df.clone() name="message" label="A message to the organisers" hint="Optional. For example, who attends for your authority instead." rows=3/>
                        <button type="submit" class="button-secondary">"Decline the invitation"</button>
                    </fieldset>
                </form>
            })}
            {v.participants.clone().map(|list| view! {
                <section aria-labelledby="participants-heading">
                    <h3 id="participants-heading">"Participants"</h3>
                    <p class="hint">"Confirmed participants who agreed to appear on this list; only participants see it."</p>
                    {if list.is_empty() {
                        view! { <p>"Nobody is listed yet."</p> }.into_any()
                    } else {
                        view! { <ul data-testid="participant-list">{list.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul> }.into_any()
                    }}
                </section>
            })}
            {(v.registered && !v.answers.is_empty()).then(|| view! {
                <dl class="answers" data-testid="your-answers">
                    {v.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt><dd>{a.clone()}</dd> }).collect_view()}
                </dl>
            })}
            {v.registered.then(|| view! {
                <form method="post" action=ChangeRegistration::url() novalidate>
                    <fieldset>
                        <legend>"Change your registration"</legend>
                        <input type="hidden" name="event_id" value=event_id/>
                        <Field state=chf.clone() name="dietary" label="Dietary requirements"/>
                        <Field state=chf.clone() name="accessibility" label="Accessibility needs"/>
                        <div class="field choice">
                            <input type="checkbox" id="change-registration-list_consent" name="list_consent" value="yes" checked=chf.value("list_consent").as_deref() == Some("yes")/>
                            <label for="change-registration-list_consent" class="choice-label">"Show my name on the participant list that other participants see"</label>
                        </div>
                        <QuestionFields state=chf.clone() questions=v.questions.clone()/>
                        <p class="hint">"To change between attending in person and online, cancel and register again: your place depends on it."</p>
                        <button type="submit" class="button-secondary">"Save the changes"</button>
                    </fieldset>
                </form>
            })}
            {v.delegation.clone().map(|d| view! { <crate::registration::pages::DelegationPanel event_id=event_id view=d/> })}
            {v.registered.then(|| view! {
                <form method="post" action=CancelRegistrationAsGuest::url() novalidate>
                    <fieldset>
                        <legend>"Cancel your registration"</legend>
                        <input type="hidden" name="event_id" value=event_id/>
                        <div class=if cf.error("confirm").is_some() { "field field-error" } else { "field" }>
                            {cf.error("confirm").map(|e| view! { <p class="error-message" id="cancel-registration-confirm-error">{e}</p> })}
                            <div class="choice">
                                <input type="checkbox" id="cancel-registration-confirm" name="confirm" value="yes"/>
                                <label for="cancel-registration-confirm" class="choice-label">"I cannot come: give my place to the next person waiting"</label>
                            </div>
                        </div>
                        <button type="submit" class="button-danger">"Cancel my registration"</button>
                    </fieldset>
                </form>
            })}
        </section>
    }
}

/// `/events/:id/invitations/upload`: invite guests from a spreadsheet. The file
/// goes to a plain route (`multipart/form-data`, so it works without JavaScript),
/// which reads it and comes back here with the preview to confirm.
#[component]
pub fn GuestUploadPageView() -> impl IntoView {
    use super::upload::{guest_upload_page, ImportGuests};
    use leptos_router::hooks::use_query_map;
    let id = id_param();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                id.get(),
                q.get("preview").and_then(|p| p.parse::<i64>().ok()),
                q.get("error"),
            )
        },
        |(id, preview, error)| guest_upload_page(id, preview, error),
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let back = format!("/events/{}/invitations", d.event_id);
                        let action = format!("/events/{}/invitations/upload", d.event_id);
                        let heading = format!("Invite guests from a file: {}", d.title);
                        let event_id = d.event_id;
                        view! {
                            <crate::ui::PageHeading parent_href=back parent="Invitations" heading=heading crumb="From a file"/>
                            <FormNotice state=d.form.clone()/>
                            {d.error.clone().map(|e| view! { <div class="notice notice-warning" role="alert" data-testid="form-error">{e}</div> })}
                            {match (d.closed_reason.clone(), d.preview.clone()) {
                                (Some(why), _) => view! { <p class="notice notice-warning" role="note">{why}</p> }.into_any(),
                                (None, Some((upload, p))) => {
                                    let count = p.rows.len();
                                    view! {
                                        <section aria-labelledby="preview-heading">
                                            <h2 id="preview-heading">"Check before inviting"</h2>
                                            <p role="status" data-testid="upload-summary">{format!(
                                                "{} to invite; {}.",
                                                crate::ui::count_sentence(count as i64, "guest", "guests"),
                                                match p.problems.len() { 0 => "no line refused".to_owned(), n => crate::ui::count(n as i64, "line refused", "lines refused") }
                                            )}</p>
                                            {(!p.problems.is_empty()).then(|| view! {
                                                <h3>"Lines refused"</h3>
                                                <p>"These lines are left out. Correct them in the spreadsheet and read the file again, or invite these people one by one."</p>
                                                <ul data-testid="upload-problems">
                                                    {p.problems.iter().map(|(line, why)| view! { <li>{format!("Line {line}: {why}")}</li> }).collect_view()}
                                                </ul>
                                            })}
                                            {(count > 0).then(|| view! {
                                                <div class="table-wrap">
                                                    <table class="data-table">
                                                        <caption class="visually-hidden">"The guests the file invites"</caption>
                                                        <thead><tr><th scope="col">"Line"</th><th scope="col">"Name"</th><th scope="col">"Email address"</th><th scope="col">"Organisation"</th><th scope="col">"Member State"</th></tr></thead>
                                                        <tbody>
                                                            {p.rows.iter().map(|r| view! {
                                                                <tr>
                                                                    <td data-label="Line">{r.line}</td>
                                                                    <td data-label="Name">{r.name.clone()}</td>
                                                                    <td data-label="Email address">{r.email.clone()}</td>
                                                                    <td data-label="Organisation">{r.organisation.clone()}</td>
                                                                    <td data-label="Member State">{crate::domain::MemberState::name_of((!r.member_state.is_empty()).then_some(r.member_state.as_str()))}</td>
                                                                </tr>
                                                            }).collect_view()}
                                                        </tbody>
                                                    </table>
                                                </div>
                                                <form method="post" action=ImportGuests::url()>
                                                    <input type="hidden" name="event_id" value=event_id/>
                                                    <input type="hidden" name="upload_id" value=upload/>
                                                    <button type="submit">{match count { 1 => "Invite this guest".to_owned(), n => format!("Invite these {n} guests") }}</button>
                                                </form>
                                            })}
                                            <p><a href=action.clone()>"Read another file"</a></p>
                                        </section>
                                    }.into_any()
                                }
                                (None, None) => view! {
                                    <p>"A spreadsheet saved as CSV, one guest per line: name, email address, organisation (optional), Member State (optional: its code such as DE, or its name). A first line naming the columns is skipped. You see every guest and every refused line before anyone is invited."</p>
                                    <form method="post" action=action.clone() enctype="multipart/form-data" class="narrow">
                                        <div class="field">
                                            <label for="upload-file">"CSV file"<span class="required" aria-hidden="true">" *"</span></label>
                                            <input id="upload-file" type="file" name="file" accept=".csv,text/csv" required=true/>
                                        </div>
                                        <button type="submit">"Read the file"</button>
                                    </form>
                                }.into_any(),
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
