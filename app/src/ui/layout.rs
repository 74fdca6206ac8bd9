use crate::accounts::api::{site_info, SignOut};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::components::A;

/// The frame of every page: skip link, header, the main landmark, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let site = Resource::new(|| (), |_| site_info());
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

/// What a page shows while its data loads after a client-side navigation.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">"Loading…"</p> }
}
