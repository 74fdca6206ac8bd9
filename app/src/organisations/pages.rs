//! The secretariat's pages for organisations. Plain forms: everything works with
//! JavaScript off.
use super::api::{organisation_admin, organisations_admin, SaveOrganisation};
use crate::ui::{
    id_param, AdminNav, ErrorView, Field, FormNotice, Loading, PageHeading, SelectField,
};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// `/admin/organisations`.
#[component]
pub fn OrganisationsAdminPageView() -> impl IntoView {
    let data = Resource::new(|| (), |_| organisations_admin());
    view! {
        <AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => view! {
                            <Title text="Organisations"/>
                            <h1>"Organisations"</h1>
                            <p><a class="button" href="/admin/organisations/new">"Add an organisation"</a></p>
                        <div class="table-wrap">
                            <table class="data-table">
                                <caption class="visually-hidden">"Organisations, by name"</caption>
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Country"</th><th scope="col">"People"</th></tr></thead>
                                <tbody>
                                    {d.rows.into_iter().map(|o| view! {
                                        <tr>
                                            <td data-label="Name"><a href=format!("/admin/organisations/{}", o.id)>{o.name}</a>{o.short_name.map(|s| format!(" ({s})"))}</td>
                                            <td data-label="Kind">{o.kind}</td>
                                            <td data-label="Country">{o.country.unwrap_or_default()}</td>
                                            <td data-label="People">{o.people}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/organisations/:id` (`new` for a new one).
#[component]
pub fn OrganisationAdminPageView() -> impl IntoView {
    let id = id_param();
    let data = Resource::new(move || id.get(), organisation_admin);
    view! {
        <AdminNav/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(o) => {
                        let f = o.form.clone();
                        let heading = if o.id == 0 { "Add an organisation".to_owned() } else { o.name.clone() };
                        view! {
                            <PageHeading parent_href="/admin/organisations" parent="Organisations" heading=heading/>
                            <FormNotice state=f.clone()/>
                            <form method="post" action=SaveOrganisation::url() novalidate class="narrow">
                                <input type="hidden" name="id" value=o.id/>
                                <Field state=f.clone() name="name" label="Name" required=true value=o.name.clone()/>
                                <Field state=f.clone() name="short_name" label="Short name" value=o.short_name.clone()/>
                                <SelectField state=f.clone() name="kind" label="Kind" required=true options=o.kinds.clone() selected=o.kind.clone()/>
                                <Field state=f.clone() name="country" label="Country code" hint="Two letters, for example NL; empty for EU bodies." value=o.country.clone()/>
                                <button type="submit">"Save"</button>
                            </form>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
