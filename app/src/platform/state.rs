use super::{Clock, Store};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

/// Everything a request needs, handed to axum handlers and (as Leptos context) to
/// server functions. One shared allocation: a request clones it several times
/// (each extractor, the Leptos context, every `AppState::current`), and a clone is
/// one reference count, not one per field (the Leptos options alone hold a dozen
/// shared strings; their clones and drops were a few per cent of a burst's CPU).
#[derive(Clone)]
pub struct AppState(std::sync::Arc<Shared>);

/// What [`AppState`] shares; its fields are read through the state.
pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub clock: Clock,
    /// Whether the database holds the demo data; shown in every page footer.
    pub demo: bool,
    /// Queues and delivers mail; without SMTP_URL it only queues.
    pub mailer: super::mail::Mailer,
    /// Public URL, session idle time: what cookies, links and origin checks follow.
    pub security: super::auth::SecuritySettings,
    /// Signs the notices a successful form hands the browser (see `forms`).
    pub signing_key: super::auth::SigningKey,
    /// Runs queued jobs; woken when a request queues one.
    pub jobs: super::jobs::Runner,
    /// Group commit of this process (the registrations of one event in batches),
    /// run on a thread of their own.
    pub batches: super::batch::Batches,
}

impl AppState {
    pub fn new(shared: Shared) -> Self {
        AppState(std::sync::Arc::new(shared))
    }

    /// The state of the current request, inside a server function or a component
    /// rendered on the server.
    pub fn current() -> Result<Self, crate::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            crate::AppError::internal(anyhow::anyhow!("AppState missing from the Leptos context"))
        })
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What leptos_axum's handlers extract from the router's state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
