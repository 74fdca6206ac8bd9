//! The Convene server: configuration, the HTTP router, the demo data and the
//! start-up sequence shared by the binary and the tests.
#![forbid(unsafe_code)]

pub mod bench;
pub mod config;
pub mod demo;
pub mod http;

use app::platform::auth::SecuritySettings;
use app::platform::jobs::{JobContext, Runner};
use app::platform::mail::Mailer;
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
    pub mailer: Mailer,
    pub jobs: Runner,
    /// [`Config::listen_for_changes`].
    pub listen_for_changes: bool,
}

/// Opens the store, seeds the demo data into an empty database when configured,
/// binds the socket and builds the router.
pub async fn prepare(config: &Config, clock: Clock) -> Result<Prepared, String> {
    config.security.check_exposure(config.listen)?;
    let store = open_store(config).await?;
    if config.demo_on_first_start && demo::is_empty(&store).await.map_err(|e| format!("{e:#}"))? {
        tracing::info!("empty database: adding the demo networks and events");
        demo::seed(&store, clock.now())
            .await
            .map_err(|e| format!("Adding the demo data failed: {e:#}."))?;
        if config.demo_registrations {
            demo::seed_spring_registrations(&store, clock.now())
                .await
                .map_err(|e| format!("Adding the demo registrations failed: {e:#}."))?;
        }
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("Cannot listen on {}: {e}.", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let security = SecuritySettings {
        listen: Some(addr),
        ..config.security.clone()
    };
    let mailer = Mailer::new(store.clone(), clock, config.mail.clone())?;
    let jobs = Runner::new(
        store.clone(),
        JobContext {
            clock,
            security: security.clone(),
            message_id_domain: config.mail.message_id_domain(),
        },
        app::JOB_HANDLERS,
    );
    let signing_key = app::platform::auth::SigningKey::of(&store)
        .await
        .map_err(|e| format!("Reading the signing key from the database failed: {e}."))?;
    let state = AppState::new(app::platform::state::Shared {
        leptos_options: leptos_options(config, addr),
        signing_key,
        demo: is_demo(&store).await,
        store: store.clone(),
        clock,
        mailer: mailer.clone(),
        security,
        jobs: jobs.clone(),
        batches: app::platform::batch::Batches::on_own_thread(),
    });
    Ok(Prepared {
        listener,
        addr,
        router: http::router(state),
        store,
        mailer,
        jobs,
        listen_for_changes: config.listen_for_changes,
    })
}

/// Serves and delivers mail until `shutdown` resolves; requests in flight and the
/// mail batch in flight finish first.
pub async fn serve(
    prepared: Prepared,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let Prepared {
        listener,
        router,
        store,
        mailer,
        jobs,
        listen_for_changes,
        ..
    } = prepared;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(mailer.run(stop_rx.clone()));
    let runner = tokio::spawn(jobs.run(stop_rx));
    if listen_for_changes {
        // Ends when the store closes.
        tokio::spawn(app::platform::versions::listen(store.clone()));
    }
    let result = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    })
    .await;
    let _ = worker.await;
    let _ = runner.await;
    store.close().await;
    result
}

/// Listens for SIGTERM and Ctrl-C from the moment it is called (so a signal that
/// arrives during start-up is not lost to the default action) and resolves on the
/// first of them.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let mut signals = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let term = async {
                match signals.0.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let int = async {
                match signals.1.as_mut() {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = term => {},
                _ = int => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing requests and mail in flight");
    }
}

/// `convene send-test-mail --to ADDRESS`: queues a test message through the outbox,
/// delivers it, and answers whether the SMTP server accepted it.
pub async fn send_test_mail(store: &Store, config: &Config, to: &str) -> Result<String, String> {
    use app::platform::mail::{outbox, Block, Email, NewMail};
    let recipient =
        app::domain::EmailAddress::parse(to).map_err(|e| format!("--to: {}", e.message))?;
    let clock = Clock::System;
    let mailer = Mailer::new(store.clone(), clock, config.mail.clone())?;
    let mail = NewMail {
        dedupe_key: format!(
            "test-mail:{}",
            clock.now().timestamp_nanos_opt().unwrap_or_default()
        ),
        kind: "test".into(),
        event_id: None,
        person_id: None,
        recipient,
        recipient_name: None,
        content: Email {
            subject: "Convene test message".into(),
            greeting: None,
            blocks: vec![Block::Paragraph(
                "This message checks Convene's mail settings. If you read it, they work.".into(),
            )],
            reason: "An operator sent this with convene send-test-mail.".into(),
        }
        .render(),
        calendar: None,
        attachments: vec![],
        secret: None,
    };
    let fail = |e: app::platform::StoreError| format!("Queueing the test message failed: {e}.");
    let mut tx = store.begin().await.map_err(fail)?;
    let id = outbox::enqueue(
        &mut tx,
        &mail,
        &config.mail.message_id_domain(),
        clock.now(),
    )
    .await
    .map_err(fail)?
    .ok_or("The test message was already queued.")?;
    tx.commit().await.map_err(fail)?;
    if !mailer.is_configured() {
        return Err(format!(
            "Queued as message {id}, not sent: no SMTP server configured (set SMTP_URL)."
        ));
    }
    for _ in 0..60 {
        mailer
            .run_once()
            .await
            .map_err(|e| format!("Delivery failed: {e:#}."))?;
        let row = outbox::get(store, id).await.map_err(fail)?;
        match row.status.as_str() {
            "sent" => {
                return Ok(format!(
                    "Accepted by the SMTP server: message {id}, Message-ID <{}>.",
                    row.message_id
                ))
            }
            "failed" => {
                return Err(format!(
                    "Not accepted: {}.",
                    row.last_error.unwrap_or_default()
                ))
            }
            _ if row.attempts > 0 && row.last_error.is_some() => {
                return Err(format!(
                    "Not accepted (will be retried): {}.",
                    row.last_error.unwrap_or_default()
                ))
            }
            _ => tokio::time::sleep(std::time::Duration::from_millis(250)).await,
        }
    }
    Err(format!(
        "Message {id} is still queued after 15 seconds; see the mail log."
    ))
}

/// `convene create-admin`: a secretariat account for NAME <EMAIL>. With a password
/// it is ready to use; without, a link to choose one is queued (and printed when no
/// SMTP server is configured, so the first operator can still get in).
pub async fn create_admin(
    store: &Store,
    config: &Config,
    name: &str,
    email: &str,
    password: Option<&str>,
) -> Result<String, String> {
    use app::accounts::{links, store as accounts};
    use app::platform::{audit, auth};
    let name = app::domain::required_text("name", name, "the person's full name", 200)
        .map_err(|e| format!("--name: {}", e.message))?;
    let name = name.as_str();
    let address =
        app::domain::EmailAddress::parse(email).map_err(|e| format!("--email: {}", e.message))?;
    let hash = match password {
        Some(p) => {
            app::domain::check_new_password(p, address.as_str())
                .map_err(|e| format!("The password: {}", e.message))?;
            Some(
                auth::hash_password_blocking(p.to_owned())
                    .await
                    .map_err(|e| format!("{e:#}"))?,
            )
        }
        None => None,
    };
    let now = Clock::System.now();
    let fail = |e: app::platform::StoreError| format!("Creating the account failed: {e}.");
    let base = SecuritySettings {
        listen: Some(config.listen),
        ..config.security.clone()
    }
    .origin();
    // The account, its audit entry and the link (mailed or printed): one transaction.
    let mut tx = store.begin().await.map_err(fail)?;
    let id = accounts::ensure_account(&mut tx, name, &address, true, now)
        .await
        .map_err(fail)?;
    if let Some(hash) = &hash {
        accounts::set_password_hash(&mut tx, id, hash, now)
            .await
            .map_err(fail)?;
    }
    let entry = audit::Entry {
        detail: Some("secretariat account, by convene create-admin".into()),
        ..audit::Entry::new(None, "account_created").on("person", id)
    };
    audit::record(&mut tx, entry, now).await.map_err(fail)?;
    let outcome = match (&hash, config.mail.smtp_url.is_some()) {
        (Some(_), _) => format!(
            "Secretariat account for {name} <{address}> is ready: sign in at {base}/sign-in."
        ),
        (None, true) => {
            links::queue_link(
                &mut tx,
                &config.mail.message_id_domain(),
                &base,
                id,
                name,
                address.as_str(),
                auth::TokenPurpose::Password,
                now,
            )
            .await
            .map_err(fail)?;
            format!("Secretariat account for {name} <{address}> is ready; a link to choose the password is queued for that address (valid 24 hours).")
        }
        (None, false) => {
            // Nothing could deliver a mail: the link is printed, and never stored.
            let token = auth::issue_token(
                &mut tx,
                id,
                auth::TokenPurpose::Password,
                auth::PASSWORD_LINK_VALIDITY,
                now,
            )
            .await
            .map_err(fail)?;
            format!("Secretariat account for {name} <{address}> is ready. No SMTP server is configured, so here is the link to choose the password (valid 24 hours, once): {base}/account/password?token={token}")
        }
    };
    tx.commit().await.map_err(fail)?;
    Ok(outcome)
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
