use crate::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// What every page's frame needs: demo data or not, and who is signed in. The
/// shell looks it up once per request and provides it as a [`SiteResource`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSummary {
    pub demo: bool,
    pub signed_in_as: Option<String>,
    pub secretariat: bool,
}

/// The request's [`SiteSummary`], in the Leptos context.
pub type SiteResource = Resource<Result<SiteSummary, AppError>>;

/// A choice for a select: (value, label).
pub type Choice = (String, String);

/// What a page shows while its data loads after a client-side navigation.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading…"</p> }
}

/// The secretariat's sections, on every page of theirs; shown to the secretariat
/// only (anyone else gets the refusal without it).
#[component]
pub fn AdminNav() -> impl IntoView {
    let site = use_context::<SiteResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let secretariat = match site {
                    Some(site) => matches!(site.await, Ok(s) if s.secretariat),
                    None => false,
                };
                secretariat.then(|| view! {
                    <nav class="admin-nav" aria-label="Secretariat">
                        <ul>
                            <li><a href="/admin">"Overview"</a></li>
                            <li><a href="/admin/people">"People"</a></li>
                            <li><a href="/admin/organisations">"Organisations"</a></li>
                            <li><a href="/admin/networks">"Networks"</a></li>
                            <li><a href="/admin/events">"Events"</a></li>
                            <li><a href="/admin/mail">"Mail log"</a></li>
                            <li><a href="/admin/audit">"Audit log"</a></li>
                        </ul>
                    </nav>
                })
            })}
        </Suspense>
    }
}

/// The `:id` of the route as a number; `new` (or anything else) is 0.
pub fn id_param() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|i| i.parse().ok())
            .unwrap_or(0)
    })
}
