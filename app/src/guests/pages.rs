//! `/guest/events/:id`: where a personal link lands.
use super::api::{guest_event, ForgetGuestLink};
use crate::ui::{ErrorView, Loading};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn GuestEventPageView() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").and_then(|i| i.parse::<i64>().ok()),
        |id| async move {
            match id {
                Some(id) => guest_event(id).await,
                None => Err(crate::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => view! {
                        <Title text=d.event_title.clone()/>
                        <h1>{d.event_title.clone()}</h1>
                        {if d.signed_in {
                            view! { <p>{format!("You are signed in as {}: your invitation and registration are below.", d.name)}</p> }.into_any()
                        } else {
                            view! { <p>{format!("You are using the personal link of {}. It works without an account, for this event only.", d.name)}</p> }.into_any()
                        }}
                        {d.event_href.clone().map(|href| view! { <p><a href=href>"See the event's page"</a>" (dates in its own time zone, venue, programme)"</p> })}
                        {d.invitation.clone().map(|i| view! { <crate::invitations::pages::InvitationPanel event_id=d.event_id view=i/> })}
                        {(!d.signed_in).then(|| view! {
                            <h2>"With this link you can"</h2>
                            <ul>{d.may.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
                            <form method="post" action=ForgetGuestLink::url() class="inline-form">
                            <button type="submit" class="secondary">"Forget this link on this device"</button>
                        </form>
                        <p class="hint">"Not you? Forget the link here, and tell the secretariat that it reached the wrong person."</p>
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
