//! Convene: the Leptos application, compiled as `ssr` for the server and as
//! `hydrate` for the browser. One folder per feature; each keeps its page, its
//! server functions and (server side only) its SQL side by side.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod accounts;
pub mod admin;
pub mod agenda;
pub mod calendar;
pub mod directory;
pub mod domain;
pub mod error;
pub mod events;
pub mod guests;
pub mod ids;
pub mod invitations;
pub mod networks;
pub mod organisations;
#[cfg(feature = "ssr")]
pub mod platform;
#[cfg(feature = "ssr")]
pub mod privacy;
pub mod registration;
pub mod reports;
mod shell;
pub mod ui;

pub use error::AppError;

/// Every kind of background job and the feature function that does it.
#[cfg(feature = "ssr")]
pub const JOB_HANDLERS: &[(&str, platform::jobs::Handler)] = &[(
    accounts::links::SEND_LINK_JOB,
    accounts::links::run_link_job,
)];
pub use shell::{shell, App};
