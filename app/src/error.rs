//! The error that crosses the wire between server and browser.
use crate::domain::DomainError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a server function can answer instead of its value. Internal causes never
/// cross the wire: they are logged on the server and the browser gets a reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Validation(DomainError),
    /// Several fields refused at once (a form checks every field).
    #[error("{} fields need correcting", .0.len())]
    Invalid(Vec<DomainError>),
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You are not allowed to do this.")]
    Forbidden,
    #[error("The page or item you asked for does not exist.")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error(
        "Something went wrong on our side. If it keeps happening, quote reference {reference}."
    )]
    Internal { reference: String },
    /// The request itself failed (network, encoding): said plainly, without causes.
    #[error("The request could not be completed. Please try again.")]
    Transport,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        tracing::warn!(error = %value, "server function transport error");
        #[cfg(not(feature = "ssr"))]
        let _ = value;
        AppError::Transport
    }
}

impl From<DomainError> for AppError {
    fn from(value: DomainError) -> Self {
        AppError::Validation(value)
    }
}

impl From<Vec<DomainError>> for AppError {
    fn from(mut value: Vec<DomainError>) -> Self {
        if value.len() == 1 {
            AppError::Validation(value.remove(0))
        } else {
            AppError::Invalid(value)
        }
    }
}

impl AppError {
    /// The field errors this error carries, in order (none for other errors).
    pub fn field_errors(&self) -> Vec<DomainError> {
        match self {
            AppError::Validation(d) => vec![d.clone()],
            AppError::Invalid(all) => all.clone(),
            _ => Vec::new(),
        }
    }
}

#[cfg(feature = "ssr")]
pub use server::ConflictAt;

#[cfg(feature = "ssr")]
mod server {
    use super::AppError;
    use crate::platform::db::StoreError;
    use axum::http::StatusCode;

    impl AppError {
        /// Logs the whole cause chain under a fresh reference and returns the opaque
        /// error the user sees.
        pub fn internal(cause: anyhow::Error) -> Self {
            let reference = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
            tracing::error!(%reference, error = format!("{cause:#}"), "internal error");
            AppError::Internal { reference }
        }

        /// The HTTP status of an error answer; `server`'s middleware gives it to every
        /// server function's error, and error pages set it on themselves.
        pub fn status_code(&self) -> StatusCode {
            match self {
                AppError::Validation(_) | AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Unauthorized => StatusCode::UNAUTHORIZED,
                AppError::Forbidden => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
                AppError::Transport => StatusCode::BAD_REQUEST,
            }
        }
    }

    impl From<StoreError> for AppError {
        /// A conflict nobody mapped to a field is said in a sentence; the
        /// constraint's name goes to the log, never to the user.
        fn from(value: StoreError) -> Self {
            match value {
                StoreError::NotFound => AppError::NotFound,
                StoreError::Conflict(constraint) => {
                    tracing::warn!(%constraint, "conflict with a saved value");
                    AppError::Conflict(
                        "This clashes with something already saved. Look at the values and try again."
                            .into(),
                    )
                }
                StoreError::Other(cause) => AppError::internal(cause),
            }
        }
    }

    /// Turns a store conflict (a unique value already taken) into a sentence at the
    /// field it concerns; the constraint is logged.
    pub trait ConflictAt<T> {
        fn conflict_at(self, field: &str, message: &str) -> Result<T, AppError>;
    }

    impl<T> ConflictAt<T> for Result<T, StoreError> {
        fn conflict_at(self, field: &str, message: &str) -> Result<T, AppError> {
            self.map_err(|e| match e {
                StoreError::Conflict(constraint) => {
                    tracing::info!(%constraint, field, "refused: a saved value is taken");
                    crate::domain::DomainError::new(field, message).into()
                }
                other => other.into(),
            })
        }
    }
}
