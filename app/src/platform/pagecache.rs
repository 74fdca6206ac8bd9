//! Public pages for anonymous readers, kept as rendered and compressed.
//!
//! Most readers of the home, network, event, agenda and report pages are
//! anonymous, and those pages change a few times a day. An anonymous GET of one of
//! them (no cookie of Convene's at all: no session, no guest link, no form round
//! trip) is answered from memory while nothing it shows has changed: brotli or
//! gzip as the client accepts, a strong ETag, 304 to a conditional request.
//!
//! What "changed" means is exact: `content_version` is one number that triggers
//! raise in the transaction of every write to a table those pages read (networks,
//! events, their organisations, memberships, people, the published agenda, outcome
//! reports and their files). A kept page carries the number it was rendered under
//! (read before rendering, so a page never claims a newer number than its data)
//! and is answered only while the number is the same; how a process learns the
//! number, from every process sharing the database, is [`super::versions`]'s.
//! Pages also go after `CONVENE_PAGE_CACHE_SECONDS` (default 10; 0 keeps none),
//! since some words follow the clock ("registration open until…"). At most
//! `CONVENE_PAGE_CACHE_BYTES` (default 32 MiB) are kept, the oldest going first.
//!
//! A kept page is answered with the headers it was rendered with, its
//! Content-Security-Policy nonce included: the nonce is the same for every
//! anonymous reader until the page is rendered again. Nothing on those pages comes
//! from the reader, and a write that could change their content renders them
//! afresh with a new nonce.
use super::kept::{limit_from_env, Bounded, Kept, Weighed};
use super::versions::{self, Counter};
use super::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A page as rendered for anyone.
pub struct Page {
    version: i64,
    made: Instant,
    /// Milliseconds after `made` at which a request took it upon itself to render
    /// the page again once it had aged (0: none has). See [`Page::fresh_enough`].
    refreshing: AtomicU64,
    etag: HeaderValue,
    /// The response's headers as rendered (security headers, its CSP).
    headers: HeaderMap,
    body: Kept,
}

/// How long a request that renders an aged page afresh may take before another
/// request takes over (it may have been dropped: its client went away).
const REFRESH_TIMEOUT: Duration = Duration::from_secs(5);

impl Page {
    /// Whether this page may answer a request made now under content version
    /// `version`: only with that version (a change to what it shows is never
    /// answered from before it); within its lifetime `ttl`; and once it has aged,
    /// for up to another lifetime while one request renders it again, which this
    /// request is not (the first to find it aged is told `false` and renders).
    /// Without that, every request of the moment a page ages rendered it at once
    /// and compressed it, and a kept page's answers stalled for up to 170 ms
    /// every ten seconds (wrk's p99 of the kept event page 4–127 ms, 3 ms with a
    /// lifetime of an hour).
    fn fresh_enough(&self, version: i64, ttl: Duration, may_render: bool) -> bool {
        if self.version != version {
            return false;
        }
        let age = self.made.elapsed();
        if age < ttl {
            return true;
        }
        if age >= ttl * 2 {
            return false;
        }
        if !may_render {
            // A HEAD request renders nothing to keep: it is answered meanwhile.
            return true;
        }
        let now = (age.as_millis() as u64).max(1);
        let claimed = self.refreshing.load(Ordering::Acquire);
        let free = claimed == 0 || now.saturating_sub(claimed) > REFRESH_TIMEOUT.as_millis() as u64;
        // Whoever claims the refresh renders; everyone else is answered with this.
        !(free
            && self
                .refreshing
                .compare_exchange(claimed, now, Ordering::AcqRel, Ordering::Acquire)
                .is_ok())
    }
}

impl Weighed for Page {
    fn bytes(&self) -> usize {
        self.body.size() + 1024
    }
}

fn ttl() -> Duration {
    static TTL: OnceLock<Duration> = OnceLock::new();
    *TTL.get_or_init(
        || Duration::from_secs(limit_from_env("CONVENE_PAGE_CACHE_SECONDS", 10) as u64),
    )
}

fn cache() -> &'static Mutex<Bounded<Page>> {
    static CACHE: OnceLock<Mutex<Bounded<Page>>> = OnceLock::new();
    CACHE.get_or_init(|| {
        Mutex::new(Bounded::new(limit_from_env(
            "CONVENE_PAGE_CACHE_BYTES",
            32 << 20,
        )))
    })
}

/// Whether a path is one of the public pages: `/`, `/networks/N`,
/// `/networks/N/events/E`, and an event's `agenda` and `report`.
fn public_page(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    let plain = |s: &&str| !s.is_empty() && !s.contains('.');
    match parts.as_slice() {
        [""] => true,
        ["networks", n] => plain(n),
        ["networks", n, "events", e] => plain(n) && plain(e),
        ["networks", n, "events", e, "agenda" | "report"] => plain(n) && plain(e),
        _ => false,
    }
}

/// Whether this request may be answered with what anyone gets: a GET or HEAD of
/// a public page, without any cookie of Convene's, with a short query.
fn anonymous_page(req: &Request<Body>) -> bool {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return false;
    }
    let ours = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .any(|c| c.to_str().map_or(true, |c| c.contains("convene")));
    !ours && public_page(req.uri().path()) && req.uri().query().is_none_or(|q| q.len() <= 200)
}

/// The middleware: kept pages for anonymous readers, everything else passes.
pub async fn layer(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    if ttl().is_zero() || !anonymous_page(&req) {
        return next.run(req).await;
    }
    let version = match versions::current(&state.store, Counter::Content).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!(error = %e, "content version unreadable: the page is rendered");
            return next.run(req).await;
        }
    };
    let head = req.method() == Method::HEAD;
    let key = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path(), |p| p.as_str());
    let hit = cache()
        .lock()
        .ok()
        .and_then(|c| c.get(key))
        .filter(|p| p.fresh_enough(version, ttl(), !head));
    if let Some(page) = hit {
        return answer(&page, req.headers(), head);
    }
    // Only a page rendered afresh needs the request's key and headers after it.
    let key = key.to_owned();
    let asked = req.headers().clone();
    let res = next.run(req).await;
    let keepable = res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && !res.headers().contains_key(header::CONTENT_ENCODING)
        && res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
    if !keepable || head {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 16 << 20).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "a page's body could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let etag = HeaderValue::from_str(&format!("\"{}\"", super::kept::digest(&[&bytes])))
        .unwrap_or(HeaderValue::from_static("\"\""));
    let page = Arc::new(Page {
        version,
        made: Instant::now(),
        refreshing: AtomicU64::new(0),
        etag,
        headers,
        body: Kept::of(bytes),
    });
    if let Ok(mut c) = cache().lock() {
        c.put(&key, page.clone());
    }
    answer(&page, &asked, false)
}

/// A kept page for one request: 304 when the client has it, else the body in the
/// encoding it takes best.
fn answer(page: &Page, asked: &HeaderMap, head: bool) -> Response {
    let mut headers = page.headers.clone();
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Encoding"),
    );
    if super::kept::etag_matches(asked, page.etag.to_str().unwrap_or("")) {
        headers.remove(header::CONTENT_TYPE);
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let (coding, body) = page.body.negotiate(asked);
    if let Some(coding) = coding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    if head {
        return (StatusCode::OK, headers).into_response();
    }
    (StatusCode::OK, headers, body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_public_pages_are_kept() {
        for yes in [
            "/",
            "/networks/ejocn",
            "/networks/ejocn/events/first-plenary-meeting",
            "/networks/ejocn/events/first-plenary-meeting/agenda",
            "/networks/ejocn/events/first-plenary-meeting/report",
        ] {
            assert!(public_page(yes), "{yes}");
        }
        for no in [
            "/account",
            "/admin",
            "/api/event",
            "/networks/ejocn/calendar.ics",
            "/networks/ejocn/events/x/calendar.ics",
            "/networks/ejocn/events/x/agenda/item-1.ics",
            "/events/1/report",
            "/guest/events/1",
            "/networks//events/x",
        ] {
            assert!(!public_page(no), "{no}");
        }
    }

    fn page(version: i64, age: Duration) -> Page {
        Page {
            version,
            made: Instant::now() - age,
            refreshing: AtomicU64::new(0),
            etag: HeaderValue::from_static("\"x\""),
            headers: HeaderMap::new(),
            body: Kept::of("page"),
        }
    }

    #[test]
    fn an_aged_page_is_rendered_again_by_one_request_while_the_others_are_answered() {
        let ttl = Duration::from_secs(10);
        let young = page(7, Duration::from_secs(1));
        assert!(young.fresh_enough(7, ttl, true));
        assert!(
            !young.fresh_enough(8, ttl, true),
            "a change is never answered from before it"
        );
        let aged = page(7, Duration::from_secs(11));
        assert!(
            aged.fresh_enough(7, ttl, false),
            "a HEAD request never renders it"
        );
        assert!(!aged.fresh_enough(7, ttl, true), "the first GET renders");
        assert!(
            aged.fresh_enough(7, ttl, true),
            "the next ones are answered meanwhile"
        );
        assert!(aged.fresh_enough(7, ttl, true));
        assert!(
            !aged.fresh_enough(8, ttl, true),
            "unless what it shows changed"
        );
        assert!(!aged.fresh_enough(8, ttl, false));
        assert!(
            !page(7, Duration::from_secs(21)).fresh_enough(7, ttl, false),
            "never past two lifetimes"
        );
        // A refresh whose request went away is taken over.
        let dropped = page(7, Duration::from_secs(11));
        dropped.refreshing.store(1, Ordering::Release);
        assert!(
            !dropped.fresh_enough(7, ttl, true),
            "claimed 11 s ago: taken over"
        );
        assert!(dropped.fresh_enough(7, ttl, true));
    }

    #[test]
    fn a_request_with_any_of_our_cookies_is_never_answered_from_the_cache() {
        let req = |cookie: Option<&str>| {
            let mut b = Request::builder().uri("/networks/ejocn");
            if let Some(c) = cookie {
                b = b.header(header::COOKIE, c);
            }
            b.body(Body::empty()).unwrap()
        };
        assert!(anonymous_page(&req(None)));
        assert!(anonymous_page(&req(Some("theme=dark"))));
        for ours in [
            "convene_session=x",
            "__Host-convene_session=x",
            "convene_guest=y",
            "convene_form=z",
            "a=1; convene_session=x",
        ] {
            assert!(!anonymous_page(&req(Some(ours))), "{ours}");
        }
        let post = Request::builder()
            .method(Method::POST)
            .uri("/networks/ejocn")
            .body(Body::empty())
            .unwrap();
        assert!(!anonymous_page(&post));
    }
}
