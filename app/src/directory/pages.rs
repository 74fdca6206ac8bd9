//! The secretariat's pages for people, accounts, memberships and organisations.
//! Plain forms: everything works with JavaScript off.
use super::api::{
    people_admin, person_admin, AccountAction, AddMembership, ChangeMembership, ErasePerson,
    SavePerson,
};
use super::{MembershipItem, PersonLine};
use crate::ui::{
    id_param, AdminNav, ErrorView, Field, FormNotice, FormState, Loading, PageHeading, SelectField,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/admin/people`.
#[component]
pub fn PeopleAdminPageView() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("network"),
                q.get("member_state"),
                q.get("category"),
                q.get("q"),
                q.get("page").and_then(|p| p.parse::<i64>().ok()),
            )
        },
        |(n, m, c, q, p)| people_admin(n, m, c, q, p),
    );
    view! {
        <AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => {
                        let q = query.read_untracked();
                        let get = |k: &str| q.get(k).unwrap_or_default();
                        let (network, member_state, category, text) = (get("network"), get("member_state"), get("category"), get("q"));
                        let link = |page: i64| {
                            let pairs = [("network", &network), ("member_state", &member_state), ("category", &category), ("q", &text)];
                            let mut s = String::new();
                            for (k, v) in pairs {
                                if !v.is_empty() {
                                    s.push_str(&format!("{k}={}&", crate::ui::query_value(v)));
                                }
                            }
                            format!("/admin/people?{s}page={page}")
                        };
                        let prev = (d.page > 1).then(|| link(d.page - 1));
                        let next = (d.page < d.pages).then(|| link(d.page + 1));
                        view! {
                            <Title text="People"/>
                            <h1>"People"</h1>
                            <FormNotice state=d.notice.clone()/>
                            <p><a class="button" href="/admin/people/new">"Add a person"</a></p>
                            <form method="get" class="filter-form" aria-label="Filter people">
                                <div class="form-grid">
                                    <SelectField state=FormState::new("people") name="network" label="Network" options=d.networks.clone() selected=network.clone() empty="Any network"/>
                                    <SelectField state=FormState::new("people") name="member_state" label="Member State" options=d.member_states.clone() selected=member_state.clone() empty="Any Member State"/>
                                    <SelectField state=FormState::new("people") name="category" label="Category" options=d.categories.clone() selected=category.clone() empty="Any category"/>
                                    <Field state=FormState::new("people") name="q" label="Name or address contains" kind="search" value=text.clone()/>
                                </div>
                                <button type="submit">"Show"</button>
                            </form>
                            <p role="status" data-testid="people-count">{match d.total { 0 => "Nobody matches.".to_owned(), 1 => "1 person matches.".to_owned(), n => format!("{n} people match.") }}</p>
                            <div class="table-wrap">
                                <table class="data-table">
                                    <caption class="visually-hidden">"People, by name"</caption>
                                    <thead><tr>
                                        <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Organisation"</th>
                                        <th scope="col">"Member State"</th><th scope="col">"Account"</th>
                                    </tr></thead>
                                    <tbody>{d.rows.into_iter().map(person_row).collect_view()}</tbody>
                                </table>
                            </div>
                            <nav class="pager" aria-label="Pages">
                                {prev.map(|h| view! { <a href=h rel="prev">"Previous page"</a> })}
                                <span>{format!("Page {} of {}", d.page, d.pages)}</span>
                                {next.map(|h| view! { <a href=h rel="next">"Next page"</a> })}
                            </nav>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn person_row(p: PersonLine) -> impl IntoView {
    let href = format!("/admin/people/{}", p.id);
    view! {
        <tr>
            <td data-label="Name"><a href=href>{p.full_name}</a></td>
            <td data-label="Email">{p.email}</td>
            <td data-label="Organisation">{p.organisation.unwrap_or_default()}</td>
            <td data-label="Member State">{p.member_state.unwrap_or_default()}</td>
            <td data-label="Account">{p.account}</td>
        </tr>
    }
}

/// `/admin/people/:id` (`new` for a new person): details, account, memberships,
/// export and erasure.
#[component]
pub fn PersonAdminPageView() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let data = Resource::new(move || id.get(), person_admin);
    view! {
        <AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(p) => {
                        let f = p.person_form.clone();
                        let heading = if p.id == 0 { "Add a person".to_owned() } else { p.full_name.clone() };
                        view! {
                            <PageHeading parent_href="/admin/people" parent="People" heading=heading/>
                            <section aria-labelledby="details-heading">
                                <h2 id="details-heading">"Details"</h2>
                                <FormNotice state=f.clone()/>
                                <form method="post" action=SavePerson::url() novalidate>
                                    <input type="hidden" name="id" value=p.id/>
                                    <div class="form-grid">
                                        <Field state=f.clone() name="full_name" label="Full name" required=true value=p.full_name.clone()/>
                                        <Field state=f.clone() name="email" label="Email address" kind="email" required=true value=p.email.clone()/>
                                        <Field state=f.clone() name="title" label="Title or function" value=p.title.clone()/>
                                        <SelectField state=f.clone() name="organisation_id" label="Organisation" options=p.organisations.clone() selected=p.organisation_id.clone() empty="None"/>
                                        <SelectField state=f.clone() name="member_state" label="Member State" options=p.member_states.clone() selected=p.member_state.clone() empty="None"/>
                                    </div>
                                    <button type="submit">{if p.id == 0 { "Add the person" } else { "Save details" }}</button>
                                </form>
                            </section>
                            {(p.id != 0).then(|| person_sections(p, query.read_untracked().get("confirm")))}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `confirm` (from `?confirm=ACTION`) shows the confirmation of an account action.
fn person_sections(p: super::PersonData, confirm: Option<String>) -> impl IntoView {
    let id = p.id;
    let a = p.account.clone();
    let af = p.account_form.clone();
    let mf = p.membership_form.clone();
    let ef = p.erase_form.clone();
    let button = move |action: &'static str, label: &'static str, class: &'static str| {
        view! {
            <form method="post" action=AccountAction::url() class="inline-form">
                <input type="hidden" name="person_id" value=id/>
                <input type="hidden" name="action" value=action/>
                <button type="submit" class=class>{label}</button>
            </form>
        }
    };
    // An action that asks first is a link to this page with `?confirm=`, which shows
    // what will happen and the real button.
    let asking = move |action: &'static str, label: &'static str, class: &'static str| {
        let href = format!("/admin/people/{id}?confirm={action}#confirm-heading");
        let class = format!("button {class}");
        view! { <a href=href class=class>{label}"…"</a> }
    };
    let confirmation = confirm
        .as_deref()
        .filter(|c| match *c {
            "disable" => a.exists && !a.disabled && !p.is_self,
            "grant_secretariat" => a.exists && !a.secretariat,
            _ => false,
        })
        .and_then(|c| super::account_action_confirmation(c, &p.full_name).map(|q| (c.to_owned(), q)))
        .map(|(action, (question, consequence, yes))| {
            let keep = format!("/admin/people/{id}#account-heading");
            view! {
                <div class="panel confirm-panel" role="group" aria-labelledby="confirm-heading" data-testid="confirmation">
                    <h3 id="confirm-heading">{question}</h3>
                    <p>{consequence}</p>
                    <div class="actions">
                        <form method="post" action=AccountAction::url() class="inline-form">
                            <input type="hidden" name="person_id" value=id/>
                            <input type="hidden" name="action" value=action/>
                            <input type="hidden" name="confirmed" value="yes"/>
                            <button type="submit" class="button-danger">{yes}</button>
                        </form>
                        <a href=keep class="button button-secondary">"No, leave it as it is"</a>
                    </div>
                </div>
            }
        });
    let status = match (a.exists, a.disabled, a.secretariat) {
        (false, _, _) => "No account: this person cannot sign in.".to_owned(),
        (true, true, _) => "Account disabled: this person cannot sign in.".to_owned(),
        (true, false, s) => format!(
            "Active account{}{}. {}",
            if s {
                ", with the secretariat's rights"
            } else {
                ""
            },
            if a.password_set {
                ", password set"
            } else {
                ", no password yet (sign-in links work)"
            },
            a.last_sign_in
                .map(|t| format!("Last signed in {t}."))
                .unwrap_or_else(|| "Never signed in.".into())
        ),
    };
    view! {
        <section aria-labelledby="account-heading">
            <h2 id="account-heading">"Account"</h2>
            <FormNotice state=af/>
            <p data-testid="account-status">{status}</p>
            {confirmation}
            <div class="actions">
                {(!a.exists).then(|| button("create", "Create an account and send a welcome", ""))}
                {a.exists.then(|| button("send_password_link", "Email a password link", "button-secondary"))}
                {(a.exists && !a.disabled && !p.is_self).then(|| asking("disable", "Disable the account", "button-danger"))}
                {(a.exists && a.disabled).then(|| button("enable", "Enable the account", "button-secondary"))}
                {(a.exists && !a.secretariat).then(|| asking("grant_secretariat", "Give the secretariat's rights", "button-secondary"))}
                {(a.exists && a.secretariat && !p.is_self).then(|| button("revoke_secretariat", "Withdraw the secretariat's rights", "button-secondary"))}
            </div>
        </section>
        <section aria-labelledby="memberships-heading">
            <h2 id="memberships-heading">"Memberships"</h2>
            <FormNotice state=mf.clone()/>
            {if p.memberships.is_empty() {
                view! { <p>"No membership yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data-table">
                            <caption class="visually-hidden">"Memberships"</caption>
                            <thead><tr><th scope="col">"Network"</th><th scope="col">"Category"</th><th scope="col">"Member State"</th><th scope="col">"From"</th><th scope="col">"Until"</th><th scope="col">"Change"</th></tr></thead>
                            <tbody>{p.memberships.into_iter().map(move |m| membership_row(id, m)).collect_view()}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <form method="post" action=AddMembership::url() novalidate>
                <fieldset>
                    <legend>"Add a membership"</legend>
                    <input type="hidden" name="person_id" value=id/>
                    // Full width: network names are long.
                    <SelectField state=mf.clone() name="network_id" label="Network" required=true options=p.networks.clone() empty="Choose a network"/>
                    <div class="form-grid">
                        <SelectField state=mf.clone() name="category" label="Category" required=true options=p.categories.clone() empty="Choose a category"/>
                        <SelectField state=mf.clone() name="member_state" label="Member State" hint="Required for National Contact Points. The person's own is chosen." options=p.member_states.clone() selected=p.member_state.clone() empty="None"/>
                        <Field state=mf.clone() name="active_from" label="Active from" kind="date"/>
                        <Field state=mf.clone() name="active_to" label="Active until" kind="date"/>
                    </div>
                    <button type="submit">"Add the membership"</button>
                </fieldset>
            </form>
        </section>
        <section aria-labelledby="events-heading">
            <h2 id="events-heading">"Event roles"</h2>
            {if p.events.is_empty() {
                view! { <p>"No event role."</p> }.into_any()
            } else {
                view! { <ul>{p.events.into_iter().map(|(t, r, h)| view! { <li><a href=h>{t}</a>{format!(" — {r}")}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="privacy-heading">
            <h2 id="privacy-heading">"Personal data"</h2>
            <p><a href=format!("/admin/people/{id}/export.json") download=format!("convene-person-{id}.json")>"Export everything held about this person (JSON)"</a></p>
            {(!p.is_self).then(|| view! {
                <FormNotice state=ef.clone()/>
                <form method="post" action=ErasePerson::url() novalidate>
                    <fieldset>
                        <legend>"Erase this person"</legend>
                        <p>"Removes the name, address and every personal detail, the account, memberships and event roles, and the content of mail sent to them. Records that others depend on stay, anonymised. This cannot be undone."</p>
                        <input type="hidden" name="person_id" value=id/>
                        <div class=if ef.error("confirm").is_some() { "field field-error" } else { "field" }>
                            {ef.error("confirm").map(|e| view! { <p class="error-message" id="erase-confirm-error">{e}</p> })}
                            <input type="checkbox" id="erase-confirm" name="confirm" value="yes" class="checkbox" aria-describedby=ef.error("confirm").map(|_| "erase-confirm-error")/>
                            <label for="erase-confirm" class="checkbox-label">"I understand that erasing cannot be undone"</label>
                        </div>
                        <button type="submit" class="button-danger">"Erase this person"</button>
                    </fieldset>
                </form>
            })}
        </section>
    }
}

fn membership_row(person_id: i64, m: MembershipItem) -> impl IntoView {
    let id = m.id;
    view! {
        <tr>
            <td data-label="Network">{m.network}</td>
            <td data-label="Category">{m.category}</td>
            <td data-label="Member State">{m.member_state.unwrap_or_default()}</td>
            <td data-label="From">{m.from.unwrap_or_default()}</td>
            <td data-label="Until">{m.to.unwrap_or_else(|| if m.active { "—".into() } else { String::new() })}</td>
            <td data-label="Change">
                {m.active.then(|| view! {
                    <form method="post" action=ChangeMembership::url() class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="person_id" value=person_id/>
                        <button type="submit" class="button-secondary">"End today"</button>
                    </form>
                })}
                " "
                <form method="post" action=ChangeMembership::url() class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="person_id" value=person_id/>
                    <input type="hidden" name="remove" value="yes"/>
                    <button type="submit" class="button-secondary">"Remove"</button>
                </form>
            </td>
        </tr>
    }
}
