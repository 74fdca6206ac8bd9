//! What the server knows about the current request: the client address, the user
//! agent, cookies, and the base URL it came in on.
use axum::extract::ConnectInfo;
use axum::http::{header, request::Parts, HeaderMap};
use std::net::SocketAddr;

#[derive(Debug, Clone, Default)]
pub struct RequestInfo {
    /// The peer address (IP only). Behind a reverse proxy this is the proxy.
    pub client: Option<String>,
    pub user_agent: Option<String>,
    /// `http://host[:port]` as the request named it.
    pub base_url: String,
    /// Whether a browser navigated here (a plain form post or link), as opposed to a
    /// script asking for data.
    pub wants_html: bool,
    headers: HeaderMap,
}

impl RequestInfo {
    pub fn from_parts(parts: &Parts) -> Self {
        let headers = parts.headers.clone();
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let host = text(header::HOST).unwrap_or_else(|| "127.0.0.1".into());
        Self {
            client: parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
            user_agent: text(header::USER_AGENT).map(|ua| ua.chars().take(200).collect()),
            base_url: format!("http://{host}"),
            wants_html: text(header::ACCEPT).is_some_and(|a| a.contains("text/html")),
            headers,
        }
    }

    /// The current request's information, inside a server function or a page render;
    /// empty outside of one (command line, background work).
    pub fn current() -> Self {
        leptos::prelude::use_context::<Parts>()
            .map(|p| Self::from_parts(&p))
            .unwrap_or_default()
    }

    /// The value of a cookie, if the request carries it.
    pub fn cookie(&self, name: &str) -> Option<String> {
        cookie(&self.headers, name)
    }
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
