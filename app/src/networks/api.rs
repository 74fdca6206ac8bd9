//! Server functions of networks: thin, they ask the store and shape the answer.
use super::{HomeOverview, NetworkDetails};
use crate::AppError;
use leptos::prelude::*;

/// Everything anyone may see on the home page: networks and upcoming public events.
#[server(endpoint = "home", input = server_fn::codec::GetUrl)]
pub async fn home_page() -> Result<HomeOverview, AppError> {
    use super::store;
    use crate::events::store::list_public;
    use crate::platform::AppState;

    async {
        let state = AppState::current()?;
        let now = state.clock.now();
        let (networks, events) = tokio::join!(
            store::list_networks(&state.store),
            list_public(&state.store, None, now, 10, 0),
        );
        Ok(HomeOverview {
            networks: networks?,
            upcoming: events?.0,
        })
    }
    .await
}

/// The public page of a network.
#[server(endpoint = "network", input = server_fn::codec::GetUrl)]
pub async fn network_page(slug: String) -> Result<NetworkDetails, AppError> {
    use super::store;
    use crate::events::store::list_public;
    use crate::platform::AppState;

    async {
        let state = AppState::current()?;
        let now = state.clock.now();
        let network = store::network_by_slug(&state.store, &slug).await?;
        let (membership, events, reports) = tokio::join!(
            store::membership_overview(&state.store, network.id, now.date_naive()),
            list_public(&state.store, Some(network.id), now, 50, 50),
            crate::reports::store::published_in_network(&state.store, network.id),
        );
        let (upcoming, past) = events?;
        let reports = reports?
            .into_iter()
            .map(|(event, title, _, zone, published)| {
                let zone = crate::platform::localtime::parse_zone(&zone).unwrap_or(chrono_tz::UTC);
                (
                    crate::reports::report_href(&network.slug, &event),
                    title,
                    format!(
                        "Published {}",
                        crate::platform::localtime::local_date(published, zone)
                    ),
                )
            })
            .collect();
        Ok(NetworkDetails {
            slug: network.slug,
            name: network.name,
            short_name: network.short_name,
            established: network.established,
            summary: network.summary,
            mandate: network.mandate,
            priorities: network
                .priorities
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            host: network.host_name,
            membership: membership?,
            upcoming,
            past,
            reports,
        })
    }
    .await
}
