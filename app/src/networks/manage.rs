//! The secretariat's management of networks: list, create, edit. Server functions
//! and pages side by side; every function asks the policy first.
// A form's server function takes one argument per field.
#![allow(clippy::too_many_arguments)]
use crate::directory::pages::{id_param, AdminNav};
use crate::directory::Choice;
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
    let organisations = crate::directory::store::organisation_choices(&state.store)
        .await?
        .into_iter()
        .map(|(i, n)| (i.to_string(), n))
        .collect();
    let form = forms::take("network");
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

/// Creates (id 0) or edits a network.
#[server(prefix = "/api/admin", endpoint = "save_network")]
pub async fn save_network(
    id: i64,
    slug: Option<String>,
    name: String,
    short_name: String,
    established: String,
    summary: String,
    mandate: String,
    priorities: String,
    host_organisation_id: String,
) -> Result<(), AppError> {
    use crate::domain::{DomainError, Slug};
    use crate::error::ConflictAt;
    use crate::platform::policy::{check, Action};
    use crate::platform::{audit, forms};
    let (state, viewer) = check(Action::Administer).await?;
    let back = if id == 0 {
        "/admin/networks/new".to_owned()
    } else {
        format!("/admin/networks/{id}")
    };
    let slug_typed = slug.clone().unwrap_or_default();
    let kept = [
        ("slug", slug_typed.as_str()),
        ("name", name.as_str()),
        ("short_name", short_name.as_str()),
        ("established", established.as_str()),
        ("summary", summary.as_str()),
        ("mandate", mandate.as_str()),
        ("priorities", priorities.as_str()),
        ("host_organisation_id", host_organisation_id.as_str()),
    ];
    let result = async {
        let text = crate::domain::required_text;
        let name = text("name", &name, "the network's name", 200)?;
        let short = text("short_name", &short_name, "a short name such as EJOCN", 40)?;
        let established = text(
            "established",
            &established,
            "when and how the network was established",
            300,
        )?;
        let summary = text("summary", &summary, "a one-sentence summary", 600)?;
        let mandate =
            crate::domain::required_multiline("mandate", &mandate, "the mandate", 10_000)?;
        let priorities = crate::domain::optional_multiline("priorities", &priorities, 6_000)?
            .unwrap_or_default();
        let lines: Vec<&str> = priorities
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.len() > MAX_PRIORITIES {
            return Err(DomainError::new(
                "priorities",
                format!("List at most {MAX_PRIORITIES} priorities, one per line."),
            )
            .into());
        }
        if lines.iter().any(|l| l.chars().count() > MAX_PRIORITY_CHARS) {
            return Err(DomainError::new(
                "priorities",
                format!("Keep each priority to at most {MAX_PRIORITY_CHARS} characters."),
            )
            .into());
        }
        let host = match host_organisation_id.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| {
                DomainError::new(
                    "host_organisation_id",
                    "Choose an organisation from the list.",
                )
            })?),
        };
        if let Some(h) = host {
            if !crate::directory::store::organisation_exists(&state.store, h).await? {
                return Err(DomainError::new(
                    "host_organisation_id",
                    "Choose an organisation from the list.",
                )
                .into());
            }
        }
        let slug = if id == 0 {
            Slug::parse(slug_typed.trim())?
        } else {
            Slug::parse(super::store::network_fields(&state.store, id).await?.slug)?
        };
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
    }
    .await;
    forms::finish("network", &back, &kept, result)
}

/// `/admin/networks`.
#[component]
pub fn NetworksAdminPageView() -> impl IntoView {
    let data = Resource::new(|| (), |_| networks_admin());
    view! {
        <Title text="Networks"/>
        <AdminNav/>
        <h1>"Networks"</h1>
        <p><a class="button" href="/admin/networks/new">"Add a network"</a></p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error nested=true/> }.into_any(),
                    Ok(d) => view! {
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
                            <PageHeading parent=("/admin/networks", "Networks") heading=heading/>
                            <FormNotice state=f.clone()/>
                            <form method="post" action=SaveNetwork::url() novalidate>
                                <input type="hidden" name="id" value=n.id/>
                                {if n.id == 0 {
                                    view! { <Field form="network" name="slug" label="Address" required=true hint="Lower-case letters, digits and hyphens; it becomes /networks/<address> and does not change later." value=f.value_or("slug", "") error=f.error("slug")/> }.into_any()
                                } else {
                                    view! { <p>"Address: "<a href=format!("/networks/{}", n.slug)>{format!("/networks/{}", n.slug)}</a></p> }.into_any()
                                }}
                                <div class="form-grid">
                                    <Field form="network" name="name" label="Name" required=true value=f.value_or("name", n.name.clone()) error=f.error("name")/>
                                    <Field form="network" name="short_name" label="Short name" required=true value=f.value_or("short_name", n.short_name.clone()) error=f.error("short_name")/>
                                </div>
                                <Field form="network" name="established" label="Established" required=true value=f.value_or("established", n.established.clone()) error=f.error("established")/>
                                <SelectField form="network" name="host_organisation_id" label="Hosted by" options=n.organisations.clone() selected=f.value_or("host_organisation_id", n.host_organisation_id.clone()) error=f.error("host_organisation_id") empty="None"/>
                                <TextAreaField form="network" name="summary" label="Summary" required=true rows=3 value=f.value_or("summary", n.summary.clone()) error=f.error("summary")/>
                                <TextAreaField form="network" name="mandate" label="Mandate" required=true rows=8 hint="Paragraphs are separated by an empty line." value=f.value_or("mandate", n.mandate.clone()) error=f.error("mandate")/>
                                <TextAreaField form="network" name="priorities" label="Priorities" rows=5 hint="One priority per line." value=f.value_or("priorities", n.priorities.clone()) error=f.error("priorities")/>
                                <button type="submit">"Save"</button>
                            </form>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
