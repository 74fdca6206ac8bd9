//! Server functions of events.
use super::EventDetails;
use crate::AppError;
use leptos::prelude::*;

/// The public page of an event. Drafts answer "not found", exactly like an event
/// that does not exist, so their existence does not leak.
#[server(endpoint = "event", input = server_fn::codec::GetUrl)]
pub async fn event_page(network: String, slug: String) -> Result<EventDetails, AppError> {
    AppError::answer(
        async {
            let state = crate::platform::AppState::current()?;
            Ok(super::store::public_event(&state.store, &network, &slug).await?)
        }
        .await,
    )
}
