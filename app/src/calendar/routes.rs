//! The plain GET (and HEAD) routes calendar programs fetch: no Leptos, no
//! cookie needed, none ever set. Each asks the policy what its reader may see:
//! the network, event and item files read the request's session when it has one
//! (a browser's "download") and otherwise answer what anyone may see; the
//! personal feed's reader is the person its secret address belongs to.
//!
//! Answers carry a weak ETag and Last-Modified and are 304 when the client has
//! them already; the event feed's ETag is computed from what the feed is made of
//! (the event's row, its agenda's version, the reader's reach and the day) before
//! anything is written, so a calendar asking again costs one small read.
use super::feeds;
use super::store::{self as calendar_store, FeedEvent, Taking};
use crate::platform::auth::Viewer;
use crate::platform::kept::{limit_from_env, Bounded, Kept};
use crate::platform::policy::{self, AgendaReach};
use crate::platform::request::cookie;
use crate::platform::AppState;
use crate::AppError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};

/// Anonymous event feeds as written and compressed, by ETag. The ETag is made
/// from everything the feed is made of, read from the database at each request,
/// so an entry can never be stale, in this process or beside others sharing the
/// database: a change makes a new ETag, and the old entry is simply no longer
/// asked for (and goes when the cache is full, oldest first). Only anonymous
/// feeds are kept: what depends on who asks is written for each request. At most
/// `CONVENE_FEED_CACHE_BYTES` (default 32 MiB; 0 keeps none, to measure writing
/// them).
fn cache() -> &'static std::sync::Mutex<Bounded<Kept>> {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<Bounded<Kept>>> = std::sync::OnceLock::new();
    CACHE.get_or_init(|| {
        std::sync::Mutex::new(Bounded::new(limit_from_env(
            "CONVENE_FEED_CACHE_BYTES",
            32 << 20,
        )))
    })
}

fn kept(etag: &str) -> Option<std::sync::Arc<Kept>> {
    cache().lock().ok()?.get(etag)
}

fn keep(etag: &str, kept: std::sync::Arc<Kept>) {
    if let Ok(mut c) = cache().lock() {
        c.put(etag, kept);
    }
}

/// The feeds' routes, merged into the server's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{network}/calendar.ics", get(network_feed))
        .route(
            "/networks/{network}/events/{event}/calendar.ics",
            get(event_feed),
        )
        .route(
            "/networks/{network}/events/{event}/event.ics",
            get(event_file),
        )
        .route(
            "/networks/{network}/events/{event}/agenda/{file}",
            get(item_file),
        )
        .route("/calendar/{file}", get(personal_feed))
}

/// Whom an answer is for: anyone (shared caches may keep it) or one person.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Readers {
    Public,
    Private,
}

/// A feed or file, ready to answer.
struct Calendar {
    /// Weak: compression changes the bytes, not the content.
    etag: String,
    last_modified: DateTime<Utc>,
    filename: String,
    who: Readers,
    /// `None` when the client's copy is current (the body was never written).
    body: Option<Body>,
}

/// What an answer carries: written for this request (the server's compression
/// layer compresses it), or kept with its compressed forms.
enum Body {
    Written(String),
    Kept(std::sync::Arc<Kept>),
}

fn tag(parts: &[&str]) -> String {
    let bytes: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
    format!("W/\"{}\"", crate::platform::kept::digest(&bytes))
}

/// Whether the client's copy (If-None-Match, else If-Modified-Since) is current.
fn fresh(headers: &HeaderMap, etag: &str, last_modified: DateTime<Utc>) -> bool {
    if headers.contains_key(header::IF_NONE_MATCH) {
        return crate::platform::kept::etag_matches(headers, etag);
    }
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
        .is_some_and(|since| last_modified.timestamp() <= since.timestamp())
}

fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

impl Calendar {
    fn respond(self, headers: &HeaderMap) -> Response {
        let cache = match self.who {
            // Kept by whoever wants, but asked about again every time: a change
            // shows at the next refresh.
            Readers::Public => "public, no-cache",
            Readers::Private => "private, no-cache",
        };
        let mut h = HeaderMap::new();
        let mut put = |name, value: String| {
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(name, v);
            }
        };
        put(header::ETAG, self.etag.clone());
        put(header::LAST_MODIFIED, http_date(self.last_modified));
        put(header::CACHE_CONTROL, cache.to_owned());
        // A signed-in reader may see more than anyone: the answer depends on the
        // cookie, and shared caches must know.
        put(header::VARY, "Cookie".to_owned());
        let body = match self.body {
            Some(body) if !fresh(headers, &self.etag, self.last_modified) => body,
            _ => return (StatusCode::NOT_MODIFIED, h).into_response(),
        };
        put(
            header::CONTENT_TYPE,
            "text/calendar; charset=utf-8".to_owned(),
        );
        put(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", self.filename),
        );
        match body {
            Body::Kept(k) => {
                put(header::VARY, "Cookie, Accept-Encoding".to_owned());
                let (coding, body) = k.negotiate(headers);
                if let Some(coding) = coding {
                    put(header::CONTENT_ENCODING, coding.to_owned());
                }
                (StatusCode::OK, h, body).into_response()
            }
            Body::Written(text) => (StatusCode::OK, h, text).into_response(),
        }
    }
}

/// The answer to a feed's request: the calendar, or the refusal.
fn answer(result: Result<Calendar, AppError>, headers: &HeaderMap) -> Response {
    match result {
        Ok(c) => c.respond(headers),
        Err(e) => refusal(e),
    }
}

/// An error answer: not found looks the same whatever the reason; internal
/// errors are logged with their cause and said without it.
fn refusal(e: AppError) -> Response {
    let status = e.status_code();
    if status.is_server_error() {
        tracing::error!(error = ?e, "calendar feed failed");
        return (status, "The calendar could not be made.\n").into_response();
    }
    (status, format!("{e}\n")).into_response()
}

/// The reader behind the request's cookies, if any.
async fn reader(state: &AppState, headers: &HeaderMap) -> Result<Option<Viewer>, AppError> {
    if headers.get(header::COOKIE).is_none() {
        return Ok(None);
    }
    crate::platform::auth::viewer_from_cookies(state, |name| cookie(headers, name)).await
}

/// What `viewer` may see of event `e`'s agenda (anyone's reach without one): the
/// agenda page's own rule.
async fn reach_of(
    state: &AppState,
    viewer: Option<&Viewer>,
    e: &FeedEvent,
) -> Result<AgendaReach, AppError> {
    let (reach, _) =
        crate::agenda::api::server::reader_of(state, viewer, e.network_id, e.id).await?;
    Ok(reach)
}

fn who(viewer: &Option<Viewer>) -> Readers {
    if viewer.is_some() {
        Readers::Private
    } else {
        Readers::Public
    }
}

/// The start of the day `KEEP_CANCELLED` ago: what is cancelled is left out by
/// whole days, so a feed changes at most once a day by the clock alone.
fn since(now: DateTime<Utc>) -> DateTime<Utc> {
    (now - feeds::KEEP_CANCELLED)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now)
}

/// What every answer depends on besides its data: the site's address and who
/// organises (both in every entry).
fn setting(state: &AppState) -> String {
    let from = &state.mailer.settings().from;
    format!("{}|{from}", state.security.origin())
}

/// A file name without anything a header could misread.
fn file_name(slug: &str, suffix: &str) -> String {
    let clean: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("{clean}{suffix}")
}

/// `GET /networks/{network}/events/{event}/calendar.ics`: the event and its
/// agenda as the reader may see them.
async fn event_feed(
    State(state): State<AppState>,
    Path((network, event)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let viewer = reader(&state, &headers).await?;
        let e = calendar_store::public_event(&state.store, &network, &event).await?;
        let reach = reach_of(&state, viewer.as_ref(), &e).await?;
        let now = state.clock.now();
        let since = since(now);
        let etag = tag(&[
            "event",
            &format!("{e:?}"),
            &format!("{reach:?}"),
            &since.to_rfc3339(),
            &setting(&state),
        ]);
        let last_modified = e.updated_at.max(e.agenda_modified.unwrap_or(e.updated_at));
        let body = if fresh(&headers, &etag, last_modified) {
            None
        } else if viewer.is_some() {
            Some(Body::Written(
                feeds::event_feed(&state, &e, &reach, since).await?,
            ))
        } else if let Some(k) = kept(&etag) {
            Some(Body::Kept(k))
        } else {
            let written = feeds::event_feed(&state, &e, &reach, since).await?;
            if cache().lock().map_or(true, |c| c.limit() == 0) {
                Some(Body::Written(written))
            } else {
                let k = std::sync::Arc::new(Kept::of(written));
                keep(&etag, k.clone());
                Some(Body::Kept(k))
            }
        };
        Ok::<_, AppError>(Calendar {
            etag,
            last_modified,
            filename: file_name(&e.slug, ".ics"),
            who: who(&viewer),
            body,
        })
    }
    .await;
    answer(result, &headers)
}

/// A written calendar, tagged by its own bytes.
fn whole(body: String, last_modified: DateTime<Utc>, filename: String, who: Readers) -> Calendar {
    Calendar {
        etag: tag(&[&body]),
        last_modified,
        filename,
        who,
        body: Some(Body::Written(body)),
    }
}

/// `GET /networks/{network}/events/{event}/event.ics`: the event alone.
async fn event_file(
    State(state): State<AppState>,
    Path((network, event)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let e = calendar_store::public_event(&state.store, &network, &event).await?;
        let body = feeds::event_file(&state, &e);
        Ok::<_, AppError>(whole(
            body,
            e.updated_at,
            file_name(&e.slug, "-event.ics"),
            Readers::Public,
        ))
    }
    .await;
    answer(result, &headers)
}

/// `GET /networks/{network}/events/{event}/agenda/item-{id}.ics`: one item, for
/// a reader who sees it in full; anything else is not found.
async fn item_file(
    State(state): State<AppState>,
    Path((network, event, file)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let item_id: i64 = file
            .strip_prefix("item-")
            .and_then(|f| f.strip_suffix(".ics"))
            .and_then(|n| n.parse().ok())
            .ok_or(AppError::NotFound)?;
        let viewer = reader(&state, &headers).await?;
        let e = calendar_store::public_event(&state.store, &network, &event).await?;
        let reach = reach_of(&state, viewer.as_ref(), &e).await?;
        let now = state.clock.now();
        let body = feeds::item_file(&state, &e, item_id, &reach, since(now))
            .await?
            .ok_or(AppError::NotFound)?;
        let modified = e.updated_at.max(e.agenda_modified.unwrap_or(e.updated_at));
        Ok::<_, AppError>(whole(
            body,
            modified,
            file_name(&format!("{}-item-{item_id}", e.slug), ".ics"),
            who(&viewer),
        ))
    }
    .await;
    answer(result, &headers)
}

/// `GET /networks/{network}/calendar.ics`: the network's public events.
async fn network_feed(
    State(state): State<AppState>,
    Path(network): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let now = state.clock.now();
        let (name, events) =
            calendar_store::network_events(&state.store, &network, since(now)).await?;
        let body = feeds::network_feed(&state, &name, &events);
        let modified = events
            .iter()
            .map(|e| e.updated_at)
            .max()
            .unwrap_or(DateTime::UNIX_EPOCH);
        Ok::<_, AppError>(whole(
            body,
            modified,
            file_name(&network, ".ics"),
            Readers::Public,
        ))
    }
    .await;
    answer(result, &headers)
}

/// `GET /calendar/{secret}.ics`: one person's feed. An unknown or revoked
/// secret, or that of a disabled or erased account, is not found.
async fn personal_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let result = async {
        let secret = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
        let hash = crate::platform::auth::hash_secret(secret);
        let owner = calendar_store::owner_of_token(&state.store, &hash)
            .await?
            .ok_or(AppError::NotFound)?;
        let person = owner.person_id;
        let now = state.clock.now();
        let since = since(now);
        let crate::platform::auth::Grants {
            memberships,
            event_roles: roles,
            ..
        } = crate::platform::auth::grants(&state.store, person, now).await?;
        let mut events = Vec::new();
        for (event, taking) in
            calendar_store::registered_events(&state.store, person, since).await?
        {
            let items = if taking == Taking::Confirmed {
                let audience = policy::audience_of(
                    owner.secretariat,
                    &roles,
                    &memberships,
                    crate::ids::NetworkId(event.network_id),
                    crate::ids::EventId(event.id),
                );
                let reach = AgendaReach::of(audience, true);
                crate::agenda::store::feed_items(&state.store, event.id, &reach, since, None)
                    .await?
            } else {
                Vec::new()
            };
            events.push(feeds::PersonalEvent {
                event,
                taking,
                items,
            });
        }
        let chosen = calendar_store::chosen(&state.store, person).await?;
        let body = feeds::personal_feed(&state, &owner.full_name, &events, &chosen);
        let modified = events
            .iter()
            .flat_map(|p| {
                std::iter::once(p.event.updated_at).chain(p.items.iter().map(|i| i.modified_at))
            })
            .max()
            .unwrap_or(DateTime::UNIX_EPOCH);
        Ok::<_, AppError>(whole(
            body,
            modified,
            "convene-my-meetings.ics".into(),
            Readers::Private,
        ))
    }
    .await;
    answer(result, &headers)
}
