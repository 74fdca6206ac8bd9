//! The agenda's server functions. Each asks the policy how much the reader may see
//! and lets the store fetch only that.
use super::AgendaData;
use crate::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::super::{AgendaDay, AgendaEntry, ShownItem};
    use crate::platform::localtime;
    use chrono_tz::Tz;

    /// A day as the agenda writes it: "Thursday 18 March 2027".
    pub fn day_label(day: chrono::NaiveDate) -> String {
        day.format("%A %-d %B %Y").to_string()
    }

    /// An item's span in `zone`: "09:30–10:15".
    pub fn time_span(
        starts: chrono::DateTime<chrono::Utc>,
        ends: chrono::DateTime<chrono::Utc>,
        zone: Tz,
    ) -> String {
        format!(
            "{}–{}",
            starts.with_timezone(&zone).format("%H:%M"),
            ends.with_timezone(&zone).format("%H:%M")
        )
    }

    /// An item as the page writes it, in `zone`.
    pub fn entry(item: &ShownItem, zone: Tz) -> AgendaEntry {
        let kind = crate::domain::AgendaItemKind::parse(&item.kind)
            .map(|k| k.label())
            .unwrap_or("Item");
        AgendaEntry {
            anchor: format!("item-{}", item.id),
            closed: item.closed,
            kind: kind.to_owned(),
            title: if item.closed {
                "Closed session".to_owned()
            } else {
                item.title.clone()
            },
            description: item.description.clone(),
            time: time_span(item.starts_at, item.ends_at, zone),
            starts_iso: localtime::machine(item.starts_at, zone),
            ends_iso: localtime::machine(item.ends_at, zone),
            room: item.room.clone(),
            people: item
                .people
                .iter()
                .map(|p| {
                    let who = if p.organisation.is_empty() {
                        p.name.clone()
                    } else {
                        format!("{} ({})", p.name, p.organisation)
                    };
                    if p.moderator {
                        format!("{who}, moderator")
                    } else {
                        who
                    }
                })
                .collect(),
        }
    }

    /// The items by the day they fall on in `zone`, in order.
    pub fn days(items: &[ShownItem], zone: Tz) -> Vec<AgendaDay> {
        let mut days: Vec<AgendaDay> = Vec::new();
        for item in items {
            let date = item.starts_at.with_timezone(&zone).date_naive();
            let anchor = format!("day-{}", date.format("%Y-%m-%d"));
            if days.last().is_none_or(|d| d.anchor != anchor) {
                days.push(AgendaDay {
                    label: day_label(date),
                    anchor,
                    items: Vec::new(),
                });
            }
            days.last_mut()
                .expect("a day")
                .items
                .push(entry(item, zone));
        }
        days
    }
}

/// The published agenda of an event, as the viewer may see it: closed sessions in
/// full for those entitled, as a neutral block for the others, organisers-only
/// items for organisers only; with what the last version changed.
#[server(endpoint = "agenda", input = server_fn::codec::GetUrl)]
pub async fn agenda_page(network: String, slug: String) -> Result<AgendaData, AppError> {
    use super::ChangeLine;
    use crate::platform::policy::{audience, AgendaReach};
    let (state, viewer, e) = crate::events::api::readable_event(&network, &slug).await?;
    let seen = audience(
        viewer.as_ref(),
        crate::ids::NetworkId(e.network_id),
        crate::ids::EventId(e.id),
    );
    // A guest's link speaks for them at its own event only.
    let speaks_here = |v: &crate::platform::auth::Viewer| match &v.identity {
        crate::platform::auth::Identity::Guest { event_id, .. } => event_id.0 == e.id,
        _ => true,
    };
    let registered = match viewer.as_ref().filter(|v| speaks_here(v)) {
        Some(v) => matches!(
            crate::registration::store::standing_now(&state.store, e.id, v.person_id).await?,
            Some(crate::registration::store::Standing::Confirmed)
        ),
        None => false,
    };
    let reach = AgendaReach::of(seen, registered);
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let items = super::store::published(&state.store, e.id, &reach).await?;
    let version = super::store::latest_version(&state.store, e.id).await?;
    let changes = match version {
        Some(n) if n > 1 => super::store::changelog(&state.store, e.id, n, &reach)
            .await?
            .into_iter()
            .map(|c| ChangeLine {
                change: c.change,
                day: crate::platform::localtime::local_date(c.item.starts_at, zone),
                entry: server::entry(&c.item, zone),
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(AgendaData {
        network_slug: e.network_slug,
        network_name: e.network_name,
        event_slug: e.slug,
        event_title: e.title,
        time_zone: e.time_zone,
        version,
        days: server::days(&items, zone),
        changes,
    })
}
