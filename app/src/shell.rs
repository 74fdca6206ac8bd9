use crate::accounts::pages::{
    AccountPageView, LinkPageView, PasswordPageView, ResetPageView, SignInPageView,
};
use crate::admin::pages::{AdminHomePageView, AuditLogPageView, MailLogPage, MailMessagePage};
use crate::directory::pages::{
    OrganisationAdminPageView, OrganisationsAdminPageView, PeopleAdminPageView, PersonAdminPageView,
};
use crate::events::manage::{EventAdminPageView, EventsAdminPageView};
use crate::events::pages::EventPageView;
use crate::guests::pages::GuestEventPageView;
use crate::networks::manage::{NetworkAdminPageView, NetworksAdminPageView};
use crate::networks::pages::{HomePageView, NetworkPageView};
use crate::ui::{Layout, NotFound};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only. Sets the page's
/// Content-Security-Policy: scripts only with this response's nonce (Leptos puts it
/// on the hydration script) and what they load, no inline scripts otherwise.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: routes and the page frame.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every route waits for its data before sending HTML: pages are complete
    // without JavaScript and carry the right status code.
    view! {
        <Title formatter=page_title/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePageView ssr=SsrMode::Async/>
                    <Route path=path!("/networks/:network") view=NetworkPageView ssr=SsrMode::Async/>
                    <Route
                        path=path!("/networks/:network/events/:event")
                        view=EventPageView
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/sign-in") view=SignInPageView ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in/reset") view=ResetPageView ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in/link") view=LinkPageView ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPageView ssr=SsrMode::Async/>
                    <Route path=path!("/guest/events/:id") view=GuestEventPageView ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view=PasswordPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=AdminHomePageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/people") view=PeopleAdminPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/people/:id") view=PersonAdminPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/organisations") view=OrganisationsAdminPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/organisations/:id") view=OrganisationAdminPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/networks") view=NetworksAdminPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/networks/:id") view=NetworkAdminPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=AuditLogPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/mail") view=MailLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/mail/:id") view=MailMessagePage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/events") view=EventsAdminPageView ssr=SsrMode::Async/>
                    <Route path=path!("/admin/events/:id") view=EventAdminPageView ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}

/// Every page's `<title>`: the page's own title and the site's name. leptos_meta
/// 0.8 writes the formatted title into the head as raw HTML (it never escapes it), so
/// this formatter — the one every `<Title>` passes through — escapes it: stored names
/// and titles reach the head as text, never as markup.
fn page_title(text: String) -> String {
    let title = format!("{text} — Convene");
    // In the browser the title is set as text (document.title), which needs no escape.
    #[cfg(feature = "ssr")]
    let title = crate::ui::escape_html(&title);
    title
}

#[cfg(feature = "ssr")]
fn content_security_policy() {
    use axum::http::{header, request::Parts, HeaderValue};
    let (Some(nonce), Some(res)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    // The mail log previews HTML mail, whose styles are inline by necessity (mail
    // clients ignore style sheets); it is shown in a sandboxed frame without scripts.
    let mail_preview =
        use_context::<Parts>().is_some_and(|p| p.uri.path().starts_with("/admin/mail/"));
    let style = if mail_preview {
        "'self' 'unsafe-inline'"
    } else {
        "'self'"
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src {style}; img-src 'self' data:; connect-src 'self'; frame-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}
