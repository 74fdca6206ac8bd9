//! The Convene server: configuration, the HTTP router, the demo data and the
//! start-up sequence shared by the binary and the tests.
#![forbid(unsafe_code)]

pub mod config;
pub mod demo;
pub mod http;

use app::platform::{AppState, Clock, Store};
use config::Config;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::path::Path;

/// Connects to the database and applies pending migrations. Errors are one sentence.
pub async fn open_store(config: &Config) -> Result<Store, String> {
    let store = Store::connect(&config.database_url).await?;
    store
        .migrate()
        .await
        .map_err(|e| format!("Migrating {:?} failed: {e:#}.", config.database_url))?;
    Ok(store)
}

/// The Leptos options, built from our configuration so the binary runs without
/// cargo-leptos's environment. Hashed file names are used when cargo-leptos wrote
/// the `hash.txt` that maps them, next to the binary.
pub fn leptos_options(config: &Config, listen: SocketAddr) -> LeptosOptions {
    let hash_file_present = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
        .is_some_and(|p| p.exists());
    LeptosOptions::builder()
        .output_name("convene")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(listen)
        .hash_files(hash_file_present)
        .build()
}

/// Whether the store holds the demo data.
pub async fn is_demo(store: &Store) -> bool {
    matches!(store.setting(demo::DEMO_SETTING).await, Ok(Some(_)))
}

/// A server listening on its socket, not yet serving.
pub struct Prepared {
    pub listener: tokio::net::TcpListener,
    pub addr: SocketAddr,
    pub router: axum::Router,
    pub store: Store,
}

/// Opens the store, seeds the demo data into an empty database when configured,
/// binds the socket and builds the router.
pub async fn prepare(config: &Config, clock: Clock) -> Result<Prepared, String> {
    let store = open_store(config).await?;
    if config.demo_on_first_start && demo::is_empty(&store).await.map_err(|e| format!("{e:#}"))? {
        tracing::info!("empty database: adding the demo networks and events");
        demo::seed(&store, clock.now())
            .await
            .map_err(|e| format!("Adding the demo data failed: {e:#}."))?;
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("Cannot listen on {}: {e}.", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let state = AppState {
        leptos_options: leptos_options(config, addr),
        demo: is_demo(&store).await,
        store: store.clone(),
        clock,
    };
    Ok(Prepared {
        listener,
        addr,
        router: http::router(state),
        store,
    })
}

/// Serves until `shutdown` resolves; requests in flight finish first.
pub async fn serve(
    prepared: Prepared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let Prepared {
        listener,
        router,
        store,
        ..
    } = prepared;
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await?;
    store.close().await;
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// `convene backup FILE`.
pub async fn backup(config: &Config, target: &Path) -> Result<(), String> {
    let store = Store::connect(&config.database_url).await?;
    store
        .backup_to(target)
        .await
        .map_err(|e| format!("Backup failed: {e:#}."))?;
    store.close().await;
    Ok(())
}
