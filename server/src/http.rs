//! The axum router: Leptos pages and server functions, static files, health.
use app::platform::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{MatchedPath, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
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
        .leptos_routes(&state, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest(&format!("/{}", options.site_pkg_dir), pkg)
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(middleware::from_fn_with_state(state.clone(), admin_gate))
        .layer(middleware::from_fn(response_headers))
        // Level 2: HTML pages shrink about as much as at the default level, for a
        // fraction of the CPU per request (measured with scripts/bench).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(2)))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// The secretariat's pages and their server functions: 404 unless an admin password
/// is configured, 401 with a Basic challenge unless the request carries it. The
/// server functions check again themselves.
async fn admin_gate(State(state): State<AppState>, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path();
    let protected =
        path == "/admin" || path.starts_with("/admin/") || path.starts_with("/api/admin/");
    if protected {
        if state.admin_password.is_none() {
            return (StatusCode::NOT_FOUND, "Not found\n").into_response();
        }
        if !app::platform::admin::is_admin(&state, req.headers()) {
            return (
                StatusCode::UNAUTHORIZED,
                [(
                    header::WWW_AUTHENTICATE,
                    "Basic realm=\"Convene secretariat\", charset=\"UTF-8\"",
                )],
                "Sign in as admin with CONVENE_ADMIN_PASSWORD.\n",
            )
                .into_response();
        }
    }
    next.run(req).await
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

/// Headers every response carries: caching for pages and files, and the basic
/// protections (a full Content-Security-Policy comes with accounts).
async fn response_headers(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
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
            // Pages change whenever the data does; let the browser revalidate.
            "no-cache"
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
