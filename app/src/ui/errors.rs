use crate::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the HTTP status of the page being rendered on the server to the one the
/// error answers with everywhere else (`AppError::status_code`).
fn set_status(error: &AppError) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status_code());
    }
    #[cfg(not(feature = "ssr"))]
    let _ = error;
}

/// The page for an error answer: the user sees what they can do about it, never the cause.
#[component]
pub fn ErrorView(
    error: AppError,
    /// The page already has its `<h1>`: the error's heading is then an `<h2>`.
    #[prop(optional)]
    nested: bool,
) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound/> }.into_any();
    }
    set_status(&error);
    if error == AppError::Unauthorized {
        let next = leptos_router::hooks::use_location()
            .pathname
            .get_untracked();
        let href = format!("/sign-in?next={}", super::query_value(&next));
        return view! {
            <Title text="Please sign in"/>
            <section class="error-page" aria-labelledby="error-heading">
                {heading(nested, "Please sign in")}
                <p>"This page is for signed-in members of the networks."</p>
                <p><a class="button" href=href>"Sign in"</a></p>
            </section>
        }
        .into_any();
    }
    view! {
        <Title text="Something went wrong"/>
        <section class="error-page" aria-labelledby="error-heading">
            {heading(nested, if error == AppError::Forbidden { "Not allowed" } else { "Something went wrong" })}
            <p>{error.to_string()}</p>
            <p><a href="/">"Go to the home page"</a></p>
        </section>
    }
    .into_any()
}

/// The 404 page, with the status code set when rendered on the server.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(&AppError::NotFound);
    view! {
        <Title text="Page not found"/>
        <section class="error-page" aria-labelledby="error-heading">
            <h1 id="error-heading">"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p><a href="/">"See all networks and upcoming events"</a></p>
        </section>
    }
}

/// The error's heading: the page's `<h1>`, or an `<h2>` under the page's own.
fn heading(nested: bool, text: &'static str) -> impl IntoView {
    if nested {
        view! { <h2 id="error-heading">{text}</h2> }.into_any()
    } else {
        view! { <h1 id="error-heading">{text}</h1> }.into_any()
    }
}
