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
    /// The address people write to (the mail sender, `MAIL_FROM`).
    pub contact: String,
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

/// The secretariat's address as a mail link, for "write to the secretariat".
#[component]
pub fn SecretariatContact() -> impl IntoView {
    let site = use_context::<SiteResource>();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let contact = match site {
                    Some(site) => site.await.map(|s| s.contact).unwrap_or_default(),
                    None => String::new(),
                };
                let href = format!("mailto:{contact}");
                (!contact.is_empty()).then(|| view! { <a href=href data-testid="secretariat-contact">{contact}</a> })
            })}
        </Suspense>
    }
}

/// The `:id` of the route: `new` is 0 (the form for a new one), a positive number
/// is itself, and anything else (`abc`, `-3`, `1.5`) is -1, which every page answers
/// with "not found".
pub fn id_param() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| parse_id(params.read().get("id").as_deref()))
}

/// See [`id_param`].
pub fn parse_id(raw: Option<&str>) -> i64 {
    match raw {
        Some("new") => 0,
        Some(n) => n.parse::<i64>().ok().filter(|n| *n > 0).unwrap_or(-1),
        None => -1,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_new_and_positive_numbers_are_ids() {
        use super::parse_id;
        assert_eq!(parse_id(Some("new")), 0);
        assert_eq!(parse_id(Some("17")), 17);
        for bad in ["abc", "0", "-3", "1.5", "", " 2"] {
            assert_eq!(parse_id(Some(bad)), -1, "{bad:?}");
        }
        assert_eq!(parse_id(None), -1);
    }
}
