//! Server functions of the guest's page.
use super::GuestEventData;
use crate::AppError;
use leptos::prelude::*;

/// The guest's view of their link's event.
#[server(endpoint = "guest_event", input = server_fn::codec::GetUrl)]
pub async fn guest_event(event_id: i64) -> Result<GuestEventData, AppError> {
    use crate::platform::auth::Identity;
    use crate::platform::guests::GuestAction;
    let (state, v, e, access) =
        crate::invitations::api::server::participant(event_id, GuestAction::View).await?;
    let scope = match &v.identity {
        Identity::Guest { scope, .. } => scope.clone(),
        Identity::Session { .. } => vec![
            GuestAction::View,
            GuestAction::Respond,
            GuestAction::Register,
        ],
    };
    let public = crate::domain::EventStatus::parse(&e.status).is_ok_and(|s| s.is_public());
    let invitation = crate::invitations::api::server::view_for(&state, &e, &v, access).await?;
    Ok(GuestEventData {
        signed_in: !v.is_guest(),
        event_id,
        invitation,
        name: v.name,
        event_title: e.title,
        event_href: public.then(|| crate::events::event_href(&e.network_slug, &e.slug)),
        may: scope.iter().map(|a| a.label().to_owned()).collect(),
    })
}

/// Forgets the guest link on this device (the link itself keeps working).
#[server(endpoint = "forget_guest_link")]
pub async fn forget_guest_link() -> Result<(), AppError> {
    use crate::platform::request::set_cookie;
    use crate::platform::{forms, guests, AppState};
    let state = AppState::current()?;
    set_cookie(&guests::clear_guest_cookie(&state.security));
    forms::finish(
        &crate::accounts::SignInForm::default(),
        "/",
        Ok(forms::Done::to("/sign-in").with_notice(
            "This device has forgotten your personal link. Open it from your mail to use it again.",
        )),
    )
    .await
}
