//! The secretariat's management of networks: list, create, edit. Server functions
//! and pages side by side; every function asks the policy first.
// A form's server function takes one argument per field.
#![allow(clippy::too_many_arguments)]
use crate::ui::{id_param, AdminNav, Choice};
use crate::ui::{
    ErrorView, Field, FormNotice, FormState, Loading, PageHeading, SelectField, TextAreaField,
};
use crate::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworksAdminData {
    /// (id, name, short name, slug)
    pub rows: Vec<(i64, String, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkAdminData {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub established: String,
    pub summary: String,
    pub mandate: String,
    /// One priority per line.
    pub priorities: String,
    pub host_organisation_id: String,
    pub organisations: Vec<Choice>,
    pub form: FormState,
}

/// `/admin/networks`.
#[server(prefix = "/api/admin", endpoint = "networks_admin", input = server_fn::codec::GetUrl)]
pub async fn networks_admin() -> Result<NetworksAdminData, AppError> {
    use crate::platform::policy::{check, Action};
    let (state, _) = check(Action::Administer).await?;
    let rows = super::store::all_network_fields(&state.store).await?;
    Ok(NetworksAdminData {
        rows: rows
            .into_iter()
            .map(|n| (n.id, n.name, n.short_name, n.slug))
            .collect(),
    })
}

/// `/admin/networks/:id` (0: new).
#[server(prefix = "/api/admin", endpoint = "network_admin", input = server_fn::codec::GetUrl)]
pub async fn network_admin(id: i64) -> Result<NetworkAdminData, AppError> {
    use crate::platform::forms;
    use crate::platform::policy::{check, Action};
    let (state, _) = check(Action::Administer).await?;
    let organisations = crate::organisations::store::organisation_choices(&state.store)
        .await?
        .into_iter()
        .map(|(i, n)| (i.to_string(), n))
        .collect();
    let form = forms::take::<NetworkForm>().await;
    if id == 0 {
        return Ok(NetworkAdminData {
            id: 0,
            slug: String::new(),
            name: String::new(),
            short_name: String::new(),
            established: String::new(),
            summary: String::new(),
            mandate: String::new(),
            priorities: String::new(),
            host_organisation_id: String::new(),
            organisations,
            form,
        });
    }
    let n = super::store::network_fields(&state.store, id).await?;
    Ok(NetworkAdminData {
        id: n.id,
        slug: n.slug,
        name: n.name,
        short_name: n.short_name,
        established: n.established,
        summary: n.summary,
        mandate: n.mandate,
        priorities: n.priorities,
        host_organisation_id: n
            .host_organisation_id
            .map(|h| h.to_string())
            .unwrap_or_default(),
        organisations,
        form,
    })
}

/// Bounds of the priorities list: one line each.
#[cfg(feature = "ssr")]
const MAX_PRIORITIES: usize = 20;
#[cfg(feature = "ssr")]
const MAX_PRIORITY_CHARS: usize = 300;

crate::ui::form_fields!(
    /// A network's public description; `slug` only when it is created.
    NetworkForm, "network", secret [] {
        slug, name, short_name, established, summary, mandate, priorities, host_organisation_id
    }
);

/// Creates (id 0) or edits a network.
#[server(prefix = "/api/admin", endpoint = "save_network")]
pub async fn save_network(id: i64, #[server(flatten)] form: NetworkForm) -> Result<(), AppError> {
    use crate::domain::{
        optional_multiline, required_multiline, required_text, DomainError, Problems, Slug,
    };
    use crate::error::ConflictAt;
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = if id == 0 {
        "/admin/networks/new".to_owned()
    } else {
        format!("/admin/networks/{id}")
    };
    forms::submit(Action::Administer, &form, back, async |state, viewer| {
        let mut p = Problems::new();
        let name = p.check(required_text("name", &form.name, "the network's name", 200));
        let short = p.check(required_text(
            "short_name",
            &form.short_name,
            "a short name such as EJOCN",
            40,
        ));
        let established = p.check(required_text(
            "established",
            &form.established,
            "when and how the network was established",
            300,
        ));
        let summary = p.check(required_text(
            "summary",
            &form.summary,
            "a one-sentence summary",
            600,
        ));
        let mandate = p.check(required_multiline(
            "mandate",
            &form.mandate,
            "the mandate",
            10_000,
        ));
        let priorities = p
            .check(optional_multiline("priorities", &form.priorities, 6_000))
            .unwrap_or_default();
        let lines: Vec<&str> = priorities
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.len() > MAX_PRIORITIES {
            p.add(DomainError::new(
                "priorities",
                format!("List at most {MAX_PRIORITIES} priorities, one per line."),
            ));
        }
        if lines.iter().any(|l| l.chars().count() > MAX_PRIORITY_CHARS) {
            p.add(DomainError::new(
                "priorities",
                format!("Keep each priority to at most {MAX_PRIORITY_CHARS} characters."),
            ));
        }
        let host = match form.host_organisation_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(h)
                    if crate::organisations::store::organisation_exists(&state.store, h)
                        .await? =>
                {
                    Some(h)
                }
                _ => {
                    p.add(DomainError::new(
                        "host_organisation_id",
                        "Choose an organisation from the list.",
                    ));
                    None
                }
            },
        };
        let slug = if id == 0 {
            p.check_opt(Slug::parse(form.slug.trim()))
        } else {
            p.check_opt(Slug::parse(
                super::store::network_fields(&state.store, id).await?.slug,
            ))
        };
        p.done()?;
        let slug = slug.expect("checked");
        let input = super::store::NewNetwork {
            slug: &slug,
            name: &name,
            short_name: &short,
            established: &established,
            summary: &summary,
            mandate: &mandate,
            priorities: &lines,
            host_organisation_id: host,
        };
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let nid = super::store::save_network(&mut tx, (id != 0).then_some(id), &input, now)
            .await
            .conflict_at("slug", "Another network already uses this address.")?;
        let action = if id == 0 {
            "network_created"
        } else {
            "network_updated"
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), action).on("network", nid),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(format!("/admin/networks/{nid}")).with_notice("Saved."))
    })
    .await
}

/// `/admin/networks`.
#[component]
pub fn NetworksAdminPageView() -> impl IntoView {
    let data = Resource::new(|| (), |_| networks_admin());
    view! {
        <AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => view! {
                            <Title text="Networks"/>
                            <h1>"Networks"</h1>
                            <p><a class="button" href="/admin/networks/new">"Add a network"</a></p>
                        <ul>
                            {d.rows.into_iter().map(|(id, name, short, slug)| view! {
                                <li>
                                    <a href=format!("/admin/networks/{id}")>{format!("{name} ({short})")}</a>
                                    " — "<a href=format!("/networks/{slug}")>"public page"</a>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/networks/:id` (`new` for a new one).
#[component]
pub fn NetworkAdminPageView() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), network_admin);
    view! {
        <AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(n) => {
                        let f = n.form.clone();
                        let heading = if n.id == 0 { "Add a network".to_owned() } else { n.name.clone() };
                        view! {
                            <PageHeading parent_href="/admin/networks" parent="Networks" heading=heading/>
                            <FormNotice state=f.clone()/>
                            <form method="post" action=SaveNetwork::url() novalidate>
                                <input type="hidden" name="id" value=n.id/>
                                {if n.id == 0 {
                                    view! { <Field state=f.clone() name="slug" label="Address" required=true hint="Lower-case letters, digits and hyphens; it becomes /networks/<address> and does not change later."/> }.into_any()
                                } else {
                                    view! { <p>"Address: "<a href=format!("/networks/{}", n.slug)>{format!("/networks/{}", n.slug)}</a></p> }.into_any()
                                }}
                                <div class="form-grid">
                                    <Field state=f.clone() name="name" label="Name" required=true value=n.name.clone()/>
                                    <Field state=f.clone() name="short_name" label="Short name" required=true value=n.short_name.clone()/>
                                </div>
                                <Field state=f.clone() name="established" label="Established" required=true value=n.established.clone()/>
                                <SelectField state=f.clone() name="host_organisation_id" label="Hosted by" options=n.organisations.clone() selected=n.host_organisation_id.clone() empty="None"/>
                                <TextAreaField state=f.clone() name="summary" label="Summary" required=true rows=3 value=n.summary.clone()/>
                                <TextAreaField state=f.clone() name="mandate" label="Mandate" required=true rows=8 hint="Paragraphs are separated by an empty line." value=n.mandate.clone()/>
                                <TextAreaField state=f.clone() name="priorities" label="Priorities" rows=5 hint="One priority per line." value=n.priorities.clone()/>
                                <button type="submit">"Save"</button>
                            </form>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
