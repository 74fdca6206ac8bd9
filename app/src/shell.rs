use crate::admin::pages::{MailLogPage, MailMessagePage};
use crate::events::pages::EventPageView;
use crate::networks::pages::{HomePageView, NetworkPageView};
use crate::ui::{Layout, NotFound};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
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
        <Title formatter=|text: String| format!("{text} — Convene")/>
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
                    <Route path=path!("/admin/mail") view=MailLogPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/mail/:id") view=MailMessagePage ssr=SsrMode::Async/>
                </Routes>
            </Layout>
        </Router>
    }
}
