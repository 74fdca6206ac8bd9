//! Calendar feeds: the network, event, personal and per-item iCalendar files that
//! calendar programs subscribe to, and the links pages offer to them. The
//! iCalendar writing itself (`ics`) is the one place every feed and every mail
//! with a calendar part is written.
use serde::{Deserialize, Serialize};

pub mod account;
#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub mod ics;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod store;

/// The ways a page offers its calendar: subscribe (a `webcal://` address that
/// calendar programs keep fetching), download the file, and for a single event
/// add it to Google Calendar or Outlook on the web.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CalendarLinks {
    pub subscribe: String,
    pub download: String,
    pub google: Option<String>,
    pub outlook: Option<String>,
}

/// `/networks/ejocn/calendar.ics`
pub fn network_feed_href(network: &str) -> String {
    format!("/networks/{network}/calendar.ics")
}

/// `/networks/ejocn/events/first-plenary/calendar.ics`: the event and its agenda.
pub fn event_feed_href(network: &str, event: &str) -> String {
    format!("/networks/{network}/events/{event}/calendar.ics")
}

/// `/networks/ejocn/events/first-plenary/event.ics`: the event alone.
pub fn event_file_href(network: &str, event: &str) -> String {
    format!("/networks/{network}/events/{event}/event.ics")
}

/// `/networks/ejocn/events/first-plenary/agenda/item-12.ics`
pub fn item_file_href(network: &str, event: &str, item_id: i64) -> String {
    format!("/networks/{network}/events/{event}/agenda/item-{item_id}.ics")
}

/// `/calendar/SECRET.ics`: a person's own feed.
pub fn personal_feed_href(secret: &str) -> String {
    format!("/calendar/{secret}.ics")
}

/// The `webcal://` form of an absolute `http(s)://` address, which calendar
/// programs open as a subscription.
pub fn webcal(absolute: &str) -> String {
    match absolute.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => absolute.to_owned(),
    }
}

/// The links of an event's page: subscribe to the event and its agenda, download
/// the event alone, or add it to Google Calendar or Outlook on the web.
#[cfg(feature = "ssr")]
pub fn event_links(
    state: &crate::platform::AppState,
    e: &crate::events::EventDetails,
) -> CalendarLinks {
    let (starts, ends) = (e.starts_at, e.ends_at);
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let page = state
        .security
        .link(&crate::events::event_href(&e.network_slug, &e.slug));
    let utc = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let iso = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    CalendarLinks {
        subscribe: webcal(&state.security.link(&event_feed_href(&e.network_slug, &e.slug))),
        download: event_file_href(&e.network_slug, &e.slug),
        google: Some(format!(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&ctz={}&location={}&details={}",
            enc(&e.title),
            utc(starts),
            utc(ends),
            enc(&e.time_zone),
            enc(&e.venue),
            enc(&page)
        )),
        outlook: Some(format!(
            "https://outlook.office.com/calendar/action/compose?rru=addevent&subject={}&startdt={}&enddt={}&location={}&body={}",
            enc(&e.title),
            enc(&iso(starts)),
            enc(&iso(ends)),
            enc(&e.venue),
            enc(&page)
        )),
    }
}

/// The agenda page's links: subscribe to the event and its agenda, or download it.
#[cfg(feature = "ssr")]
pub fn agenda_links(
    state: &crate::platform::AppState,
    network: &str,
    event: &str,
) -> CalendarLinks {
    let feed = event_feed_href(network, event);
    CalendarLinks {
        subscribe: webcal(&state.security.link(&feed)),
        download: feed,
        google: None,
        outlook: None,
    }
}

/// "Subscribe", "Download" and, for one event, "Google Calendar" and "Outlook on
/// the web": plain links, for the event and agenda pages.
#[leptos::component]
pub fn CalendarLinkList(links: CalendarLinks, what: &'static str) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        <nav aria-label=format!("Calendar: {what}") class="calendar-links no-print" data-testid="calendar-links">
            <ul>
                <li><a href=links.subscribe data-testid="subscribe-link">"Subscribe in your calendar"</a></li>
                <li><a href=links.download download="" data-testid="download-link">"Download (.ics)"</a></li>
                {links.google.map(|g| view! { <li><a href=g rel="noopener noreferrer">"Add to Google Calendar"</a></li> })}
                {links.outlook.map(|o| view! { <li><a href=o rel="noopener noreferrer">"Add to Outlook on the web"</a></li> })}
            </ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriptions_are_webcal_addresses_of_the_same_place() {
        assert_eq!(
            webcal("https://convene.example/networks/ejocn/calendar.ics"),
            "webcal://convene.example/networks/ejocn/calendar.ics"
        );
        assert_eq!(
            webcal("http://127.0.0.1:3000/calendar/abc.ics"),
            "webcal://127.0.0.1:3000/calendar/abc.ics"
        );
    }
}
