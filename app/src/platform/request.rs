//! What the server knows about the current request: the client address, the user
//! agent and cookies. Links are never built from it (see `SecuritySettings::link`).
use axum::extract::ConnectInfo;
use axum::http::{header, request::Parts, HeaderMap};
use std::net::{IpAddr, SocketAddr};

#[derive(Debug, Clone, Default)]
pub struct RequestInfo {
    /// The peer address (IP only). Behind a reverse proxy this is the proxy.
    pub client: Option<String>,
    pub user_agent: Option<String>,
    /// Whether a browser navigated here (a plain form post or link), as opposed to a
    /// script asking for data.
    pub wants_html: bool,
    headers: HeaderMap,
}

impl RequestInfo {
    pub fn from_parts(parts: &Parts, trusted_proxies: &[IpAddr]) -> Self {
        let headers = parts.headers.clone();
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            client: client_address(
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip()),
                &parts.headers,
                trusted_proxies,
            ),
            user_agent: text(header::USER_AGENT).map(|ua| ua.chars().take(200).collect()),
            wants_html: text(header::ACCEPT).is_some_and(|a| a.contains("text/html")),
            headers,
        }
    }

    /// The current request's information, inside a server function or a page render;
    /// empty outside of one (command line, background work).
    pub fn current() -> Self {
        let state = leptos::prelude::use_context::<super::AppState>();
        let trusted = state
            .as_ref()
            .map_or(&[][..], |s| &s.security.trusted_proxies[..]);
        leptos::prelude::use_context::<Parts>()
            .map(|p| Self::from_parts(&p, trusted))
            .unwrap_or_default()
    }

    /// The value of a cookie, if the request carries it.
    pub fn cookie(&self, name: &str) -> Option<String> {
        cookie(&self.headers, name)
    }
}

/// The client's address: the peer, or, when the peer is a trusted reverse proxy,
/// the nearest address in `X-Forwarded-For` that is not one of the trusted proxies
/// (addresses further left could have been written by the client itself). The walk
/// from the right stops at the first entry that is not an address: what lies beyond
/// it was not written by a trusted proxy, so the request is attributed to the last
/// trusted hop rather than to anything the client wrote.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<String> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer.to_string());
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| v.to_str().unwrap_or("(not text)"))
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in entries.iter().rev() {
        let Ok(address) = entry.parse::<IpAddr>() else {
            break;
        };
        client = address;
        if !trusted.contains(&address) {
            break;
        }
    }
    Some(client.to_string())
}

/// The key rate limits count a client under: an IPv4 address as it is, an IPv6
/// address by its /64 (the smallest block one subscriber is given, so one attacker
/// cannot become 2^64 clients).
pub fn rate_limit_key(client: &str) -> String {
    match client.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        _ => client.to_owned(),
    }
}

/// A cookie of the current request, read in place (no copy of the request), for the
/// paths every page takes; None outside a request.
pub fn current_cookie(name: &str) -> Option<String> {
    leptos::prelude::with_context::<Parts, _>(|p| cookie(&p.headers, name)).flatten()
}

/// Reads one cookie from the `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Adds a `Set-Cookie` header to the response of the current request.
pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(value),
    ) {
        res.append_header(header::SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trusted_proxy_passes_on_the_client_and_nobody_else_can() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        assert_eq!(
            client_address(Some(proxy), &h, &[proxy]).as_deref(),
            Some("203.0.113.7"),
            "the proxy's own entry, not the client's claim"
        );
        assert_eq!(
            client_address(Some(proxy), &h, &[]).as_deref(),
            Some("10.0.0.2"),
            "untrusted: the header is ignored"
        );
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(
            client_address(Some(stranger), &h, &[proxy]).as_deref(),
            Some("198.51.100.1")
        );
        assert_eq!(
            client_address(Some(proxy), &HeaderMap::new(), &[proxy]).as_deref(),
            Some("10.0.0.2")
        );
    }

    #[test]
    fn an_unparseable_forwarded_entry_ends_the_walk() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let mut h = HeaderMap::new();
        // The client wrote "6.6.6.6, garbage"; the proxy appended the real peer.
        h.insert(
            "x-forwarded-for",
            "6.6.6.6, not-an-address, 10.0.0.2".parse().unwrap(),
        );
        assert_eq!(
            client_address(Some(proxy), &h, &[proxy]).as_deref(),
            Some("10.0.0.2"),
            "stops at the garbage instead of skipping to the client's claim"
        );
        h.insert("x-forwarded-for", "6.6.6.6, unknown".parse().unwrap());
        assert_eq!(
            client_address(Some(proxy), &h, &[proxy]).as_deref(),
            Some("10.0.0.2")
        );
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_64_block() {
        assert_eq!(
            rate_limit_key("2001:db8:1:2:aaaa::1"),
            rate_limit_key("2001:db8:1:2:ffff:ffff:ffff:ffff")
        );
        assert_ne!(
            rate_limit_key("2001:db8:1:2::1"),
            rate_limit_key("2001:db8:1:3::1")
        );
        assert_eq!(rate_limit_key("203.0.113.7"), "203.0.113.7");
        assert_eq!(rate_limit_key("::ffff:203.0.113.7"), "203.0.113.7");
    }

    #[test]
    fn finds_a_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "a=1; convene_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, "convene_session").as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
    }
}
