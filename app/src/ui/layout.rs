use crate::networks::api::site_info;
use leptos::prelude::*;
use leptos_router::components::A;

/// The frame of every page: skip link, header, the main landmark, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let demo = Resource::new(|| (), |_| site_info());
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
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" tabindex="-1" class="container">{children()}</main>
        <footer class="site-footer">
            <div class="container">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        matches!(demo.await, Ok(true)).then(|| view! {
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

/// What a page shows while its data loads after a client-side navigation.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading…"</p> }
}
