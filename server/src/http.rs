//! The axum router: Leptos pages and server functions, static files, health.
use app::platform::audit;
use app::platform::auth::{self, Viewer, ViewerMemo};
use app::platform::policy::{self, Action};
use app::platform::request::cookie;
use app::platform::AppState;
use app::AppError;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{MatchedPath, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::time::{Duration, Instant};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::CompressionLevel;

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let options = state.leptos_options.clone();
    let pkg_dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let pkg_cache = if options.hash_files {
        // File names carry a content hash: a changed file is a new URL.
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("public, max-age=300")
    };
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(middleware::from_fn(
            move |req: Request<Body>, next: Next| {
                let value = pkg_cache.clone();
                async move {
                    let mut res = next.run(req).await;
                    if res.status().is_success() {
                        res.headers_mut().insert(header::CACHE_CONTROL, value);
                    }
                    res
                }
            },
        ));

    Router::new()
        .route("/healthz", get(healthz))
        .route("/account/export.json", get(own_export))
        .route("/admin/people/{id}/export.json", get(person_export))
        .route("/guest/{token}", get(open_guest_link))
        .route("/events/{id}/participants.csv", get(participants_csv))
        .route(
            "/events/{id}/invitations/upload",
            axum::routing::post(read_guest_file),
        )
        .merge(app::calendar::routes::routes())
        .merge(app::reports::files::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            // One session lookup per request, however many server functions ask.
            || provide_context(ViewerMemo::default()),
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .nest(&format!("/{}", options.site_pkg_dir), pkg)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn(server_fn_errors))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            same_origin_only,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            response_headers,
        ))
        // Anonymous public pages as rendered and compressed, while nothing they
        // show has changed (`platform::pagecache`); they carry their own encoding,
        // which the compression layer leaves alone.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            app::platform::pagecache::layer,
        ))
        // The fastest setting for what is written per request (kept pages and
        // feeds carry their own brotli and gzip, compressed once at quality 5 and
        // level 6): brotli at quality 0, gzip at level 1. Against quality 1 (7
        // December 2026, instructions counted by callgrind over ten requests) the
        // 600-talk feed took 10 % fewer instructions on PostgreSQL and 7 % fewer
        // on SQLite, for 36 KB instead of 28; the 9 KB event page and the network
        // page about as many (+1.9 %, -0.7 %). gzip at level 1 for brotli's
        // clients was no cheaper inside the server, and its feed is 46 KB.
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// Refuses every state-changing request (server functions, form posts) whose
/// `Origin` (or, without one, `Referer`) is not the site's own: the configured
/// public URL, or else the loopback address Convene listens on.
async fn same_origin_only(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let claimed = text(header::ORIGIN)
        .filter(|o| *o != "null")
        .map(str::to_owned)
        .or_else(|| {
            text(header::REFERER)
                .and_then(|r| url::Url::parse(r).ok())
                .map(|u| u.origin().ascii_serialization())
        });
    // The site's own origins come from the configuration, never from the request's
    // `Host` (which the client writes).
    let allowed = claimed
        .as_ref()
        .is_some_and(|c| state.security.allowed_origins().contains(c));
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(
            origin = claimed.as_deref().unwrap_or("(none)"),
            path = req.uri().path(),
            "cross-origin request refused"
        );
        (
            StatusCode::FORBIDDEN,
            "Refused: this request did not come from Convene's own pages.\n",
        )
            .into_response()
    }
}

/// Gives every server function's error answer its proper status, in one place so
/// no function can forget: Leptos answers errors with 500 (or, for a browser's form
/// post, a redirect back). A browser that posted a form gets a page instead of
/// JSON, and "please sign in" sends it to the sign-in page.
async fn server_fn_errors(req: Request<Body>, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let back = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .map(|u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        })
        .unwrap_or_else(|| "/".into());
    let res = next.run(req).await;
    if !(res.status().is_server_error() || res.status().is_redirection()) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The answer could not be read.\n",
        )
            .into_response();
    };
    let Ok(error) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if wants_html {
        if error == AppError::Unauthorized {
            let next = url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>();
            return axum::response::Redirect::to(&format!("/sign-in?next={next}")).into_response();
        }
        let message = app::platform::mail::template::escape_html(&error.to_string());
        let back = app::platform::mail::template::escape_html(&back);
        let page = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not done — Convene</title>\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\
             <body><main><h1>Not done</h1><p>{message}</p><p><a href=\"{back}\">Go back</a></p></main></body></html>"
        );
        return (error.status_code(), axum::response::Html(page)).into_response();
    }
    parts.status = error.status_code();
    parts.headers.remove(header::LOCATION);
    Response::from_parts(parts, Body::from(bytes))
}

/// The viewer behind the request's session cookie, for plain routes.
async fn viewer_of(state: &AppState, headers: &HeaderMap) -> Result<Option<Viewer>, AppError> {
    let Some(secret) = cookie(headers, state.security.session_cookie_name()) else {
        return Ok(None);
    };
    Ok(auth::viewer_for_session(&state.store, &secret, &state.security, state.clock.now()).await?)
}

/// The signed-in viewer, when the policy lets them manage event `id`.
async fn managing(state: &AppState, headers: &HeaderMap, id: i64) -> Result<Viewer, AppError> {
    let action = Action::ManageEvent {
        event_id: app::ids::EventId(id),
    };
    policy::require(viewer_of(state, headers).await?, action)
}

fn client_of(state: &AppState, req: &Request<Body>) -> Option<String> {
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    app::platform::request::client_address(peer, req.headers(), &state.security.trusted_proxies)
}

/// An error answer for a plain route: the status, and the same words as pages use.
fn refusal(e: AppError) -> Response {
    (e.status_code(), format!("{e}\n")).into_response()
}

/// Everything held about a person, as a JSON download, audited.
async fn export_response(
    state: &AppState,
    actor: i64,
    person: i64,
    client: Option<String>,
    filename: &str,
) -> Result<Response, AppError> {
    let data = app::privacy::export_person(&state.store, person).await?;
    let mut entry = audit::Entry::new(Some(actor), "person_exported").on("person", person);
    entry.client = client;
    let mut tx = state.store.begin().await?;
    audit::record(&mut tx, entry, state.clock.now()).await?;
    tx.commit().await?;
    let body = serde_json::to_string_pretty(&data).map_err(|e| AppError::internal(e.into()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

/// `GET /account/export.json`: the signed-in person's own data.
async fn own_export(State(state): State<AppState>, req: Request<Body>) -> Response {
    let (client, headers) = (client_of(&state, &req), req.headers().clone());
    let result = async {
        let viewer = policy::require(viewer_of(&state, &headers).await?, Action::UseOwnAccount)?;
        export_response(
            &state,
            viewer.person_id,
            viewer.person_id,
            client,
            "convene-my-data.json",
        )
        .await
    }
    .await;
    result.unwrap_or_else(refusal)
}

/// `GET /admin/people/{id}/export.json`: the secretariat's export of one person.
async fn person_export(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request<Body>,
) -> Response {
    let (client, headers) = (client_of(&state, &req), req.headers().clone());
    let result = async {
        let viewer = policy::require(viewer_of(&state, &headers).await?, Action::ExportPerson)?;
        export_response(
            &state,
            viewer.person_id,
            id,
            client,
            &format!("convene-person-{id}.json"),
        )
        .await
    }
    .await;
    result.unwrap_or_else(refusal)
}

/// `GET /events/{id}/participants.csv`: the organisers' spreadsheet of an event's
/// registrations (UTF-8 with BOM, every field quoted, formulas made inert), audited.
async fn participants_csv(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request<Body>,
) -> Response {
    let (client, headers) = (client_of(&state, &req), req.headers().clone());
    let result = async {
        let viewer = managing(&state, &headers, id).await?;
        let e = app::events::store::event_record(&state.store, id).await?;
        let zone = app::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
        let rows = app::registration::store::participants(&state.store, id).await?;
        let questions = app::registration::questions::store::list(&state.store, id).await?;
        let answers = app::registration::questions::store::event_answers(&state.store, id).await?;
        let body = app::registration::participants_csv(&rows, &questions, &answers, zone);
        let mut entry = audit::Entry::new(Some(viewer.person_id), "participants_exported")
            .on("event", id)
            .detail(format!("{} rows", rows.len()));
        entry.client = client;
        let mut tx = state.store.begin().await?;
        audit::record(&mut tx, entry, state.clock.now()).await?;
        tx.commit().await?;
        Ok::<_, AppError>(
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"participants-{id}.csv\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                body,
            )
                .into_response(),
        )
    }
    .await;
    result.unwrap_or_else(refusal)
}

/// `POST /events/{id}/invitations/upload`: reads a guests' CSV file sent as
/// `multipart/form-data` (a plain form, no JavaScript needed) into a preview, kept
/// for the organiser who sent it, and sends the browser to the page showing it.
/// Nothing is invited here.
async fn read_guest_file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    use app::invitations::upload::{self, MAX_BYTES};
    let page = format!("/events/{id}/invitations/upload");
    let back =
        |code: &str| axum::response::Redirect::to(&format!("{page}?error={code}")).into_response();
    let result = async {
        let viewer = managing(&state, &headers, id).await?;
        let Ok(mut multipart) = multipart else {
            return Ok(back("empty"));
        };
        let mut bytes = Vec::new();
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => return Ok(back("too_large")),
            };
            if field.name() != Some("file") {
                continue;
            }
            let mut field = field;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        if bytes.len() + chunk.len() > MAX_BYTES {
                            return Ok(back("too_large"));
                        }
                        bytes.extend_from_slice(&chunk);
                    }
                    Ok(None) => break,
                    Err(_) => return Ok(back("too_large")),
                }
            }
        }
        if bytes.is_empty() {
            return Ok(back("empty"));
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return Ok(back("not_text"));
        };
        if text.contains('\0') {
            return Ok(back("not_text"));
        }
        let invited = upload::store::invited(&state.store, id).await?;
        let preview = upload::read(&text, &invited);
        let saved = upload::store::save(
            &state.store,
            id,
            viewer.person_id,
            &preview,
            state.clock.now(),
        )
        .await?;
        Ok::<_, AppError>(
            axum::response::Redirect::to(&format!("{page}?preview={saved}")).into_response(),
        )
    }
    .await;
    result.unwrap_or_else(refusal)
}

/// `GET /guest/{token}`: a personal link. A working link is kept in an HttpOnly
/// cookie and the browser goes on to the link's page (so the token leaves the
/// address bar and never reaches a Referer): an invitation's to the guest's page
/// of the event, a report's (it allows only reading the report) to the report.
/// Any other answers 404, the same for a link that never existed, expired, or was
/// revoked.
async fn open_guest_link(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    use app::platform::guests;
    let now = state.clock.now();
    match guests::open_link(&state.store, &token, now).await {
        Ok(Some((event_id, expires, scope))) => {
            let cookie = guests::guest_cookie(&token, &state.security, expires, now);
            let to = if scope == [guests::GuestAction::ReadReport] {
                match app::events::store::event_record(&state.store, event_id).await {
                    Ok(e) => app::reports::report_href(&e.network_slug, &e.slug),
                    Err(e) => return refusal(AppError::from(e)),
                }
            } else {
                format!("/guest/events/{event_id}")
            };
            let mut res = axum::response::Redirect::to(&to).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Ok(None) => (
            StatusCode::NOT_FOUND,
            axum::response::Html(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Link not valid — Convene</title>\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body><main>\
                 <h1>This link does not work</h1><p>It has expired or was withdrawn. Ask the secretariat for a new one, or \
                 <a href=\"/sign-in\">sign in</a> if you have an account.</p></main></body></html>",
            ),
        )
            .into_response(),
        Err(e) => refusal(AppError::from(e)),
    }
}

/// 200 when the database answers within two seconds, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), state.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok\n").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "health check: database error");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
        Err(_) => {
            tracing::warn!("health check: database did not answer within 2 s");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// Headers every response carries: caching for pages and files, and the
/// protections. Pages set their own Content-Security-Policy with the nonce of their
/// hydration script (`app::shell`); everything else gets one that allows nothing.
async fn response_headers(
    State(state): State<AppState>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            ),
        );
    }
    if state.security.https() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        // Full referrer to our own pages (the origin check may need it), none elsewhere.
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        let is_html_or_data = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| {
                t.starts_with("text/html")
                    || t.starts_with("application/json")
                    || t.starts_with("text/plain")
            });
        let value = if is_html_or_data {
            // Pages change whenever the data does and may be personal: revalidate,
            // and never keep them in a shared cache.
            "private, no-cache"
        } else {
            // Other files of the site root (icons): a week.
            "public, max-age=604800"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// Logs one line per request with the route pattern, never the raw path or query,
/// which may carry tokens.
async fn log_request(req: Request<Body>, next: Next) -> Response {
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(unrouted)".into());
    let started = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(%method, %route, status, ms, "request failed");
    } else {
        tracing::debug!(%method, %route, status, ms, "request");
    }
    res
}
