use crate::accounts::api::{site_info, SignOut};
use crate::accounts::pages::{
    AccountPageView, LinkPageView, PasswordPageView, ResetPageView, SignInPageView,
};
use crate::admin::pages::{AdminHomePageView, AuditLogPageView, MailLogPage, MailMessagePage};
use crate::agenda::builder::AgendaBuilderPageView;
use crate::agenda::item::AgendaItemPageView;
use crate::agenda::pages::AgendaPageView;
use crate::directory::pages::{PeopleAdminPageView, PersonAdminPageView};
use crate::events::manage::{EventAdminPageView, EventsAdminPageView};
use crate::events::organise::EventManagePageView;
use crate::events::pages::EventPageView;
use crate::guests::pages::GuestEventPageView;
use crate::invitations::pages::{GuestUploadPageView, InvitationsPageView};
use crate::networks::manage::{NetworkAdminPageView, NetworksAdminPageView};
use crate::networks::pages::{HomePageView, NetworkPageView};
use crate::organisations::pages::{OrganisationAdminPageView, OrganisationsAdminPageView};
use crate::registration::pages::{
    BadgesPageView, CheckInPageView, ParticipantsPageView, PrintableListPageView,
    RegistrationSettingsPageView,
};
use crate::reports::pages::{ReportManagePageView, ReportPageView, ReportSendPageView};
use crate::ui::{NotFound, SiteResource};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::A;
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
                <link rel="stylesheet" id="leptos" href=stylesheet_href(&options)/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The stylesheet's address, `/pkg/convene.css` or with the content hash that
/// `hash.txt` beside the binary names (`/pkg/convene.HASH.css`), as leptos_meta's
/// `HashedStylesheet` writes it; read once per process rather than once per page
/// (that component opens and reads the file for every render).
fn stylesheet_href(options: &LeptosOptions) -> String {
    static HREF: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HREF.get_or_init(|| {
        let name = options.output_name.to_string();
        let name = match css_hash(options) {
            Some(hash) => format!("{name}.{hash}"),
            None => name,
        };
        format!("/{}/{name}.css", options.site_pkg_dir)
    })
    .clone()
}

/// The stylesheet's content hash from `hash.txt`, when file names are hashed.
#[cfg(feature = "ssr")]
fn css_hash(options: &LeptosOptions) -> Option<String> {
    if !options.hash_files {
        return None;
    }
    let path = std::env::current_exe()
        .ok()?
        .parent()?
        .join(options.hash_file.as_ref());
    std::fs::read_to_string(path)
        .ok()?
        .lines()
        .filter_map(|line| line.trim().split_once(':'))
        .find(|(file, _)| *file == "css")
        .map(|(_, hash)| hash.trim().to_owned())
}

/// The browser never renders the document's head.
#[cfg(not(feature = "ssr"))]
fn css_hash(_: &LeptosOptions) -> Option<String> {
    None
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
                    <Route
                        path=path!("/networks/:network/events/:event/agenda")
                        view=AgendaPageView
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/networks/:network/events/:event/report") view=ReportPageView ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in") view=SignInPageView ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in/reset") view=ResetPageView ssr=SsrMode::Async/>
                    <Route path=path!("/sign-in/link") view=LinkPageView ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/manage") view=EventManagePageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/agenda") view=AgendaBuilderPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/agenda/items/:item") view=AgendaItemPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/invitations") view=InvitationsPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/invitations/upload") view=GuestUploadPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/participants") view=ParticipantsPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/check-in") view=CheckInPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/badges") view=BadgesPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/participants/print") view=PrintableListPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/registration") view=RegistrationSettingsPageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/report") view=ReportManagePageView ssr=SsrMode::Async/>
                    <Route path=path!("/events/:id/report/send") view=ReportSendPageView ssr=SsrMode::Async/>
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

/// The frame of every page: skip link, header, the main landmark, footer.
#[component]
fn Layout(children: Children) -> impl IntoView {
    let site: SiteResource = Resource::new(|| (), |_| site_info());
    provide_context(site);
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="container header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-name">"Convene"</span>
                    <span class="brand-tagline">"Meetings of European judicial networks"</span>
                </A>
                <nav aria-label="Main">
                    <ul class="nav-list">
                        <li><A href="/">"Networks and events"</A></li>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                match site.await {
                                    Ok(s) => match s.signed_in_as {
                                        Some(name) => view! {
                                            {s.secretariat.then(|| view! { <li><a href="/admin">"Secretariat"</a></li> })}
                                            <li><a href="/account"><span class="visually-hidden">"Your account: "</span>{name}</a></li>
                                            <li>
                                                <form method="post" action=SignOut::url() class="inline-form">
                                                    <button type="submit" class="link-button">"Sign out"</button>
                                                </form>
                                            </li>
                                        }.into_any(),
                                        None => view! { <li><a href="/sign-in">"Sign in"</a></li> }.into_any(),
                                    },
                                    Err(_) => ().into_any(),
                                }
                            })}
                        </Suspense>
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" tabindex="-1" class="container">{children()}</main>
        <footer class="site-footer">
            <div class="container">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        matches!(site.await, Ok(s) if s.demo).then(|| view! {
                            <p class="demo-notice" data-testid="demo-notice">
                                <strong>"Demonstration data."</strong>
                                " The networks and events shown here follow public descriptions; every person and address is fictitious."
                            </p>
                        })
                    })}
                </Suspense>
                <p>"Convene — free software under the EUPL-1.2 licence."</p>
            </div>
        </footer>
    }
}
