use serde::{Deserialize, Serialize};

/// A value that could not be accepted, with the field it belongs to, so the page can
/// show the message next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct DomainError {
    pub field: String,
    pub message: String,
}

impl DomainError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The problems of a form's fields, collected so that every one is shown at once
/// rather than one per submission.
#[derive(Debug, Default)]
pub struct Problems(Vec<DomainError>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    /// The value, or (noting the problem) a default that is never used: call
    /// [`Problems::done`] before using any checked value.
    pub fn check<T: Default>(&mut self, result: Result<T, DomainError>) -> T {
        self.check_opt(result).unwrap_or_default()
    }

    /// The value, or None (noting the problem).
    pub fn check_opt<T>(&mut self, result: Result<T, DomainError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(e);
                None
            }
        }
    }

    /// Notes a problem (one per field: the first one found stays).
    pub fn add(&mut self, e: DomainError) {
        if !self.0.iter().any(|p| p.field == e.field) {
            self.0.push(e);
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|p| p.field == field)
    }

    /// Ok when nothing was noted, else every problem in the order found.
    pub fn done(self) -> Result<(), Vec<DomainError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}
