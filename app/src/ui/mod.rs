//! Shared widgets: page layout, error views, small pieces every feature uses.
mod errors;
pub mod forms;
mod layout;

pub use errors::{ErrorView, NotFound};
pub use forms::{Field, FormNotice, FormState, SelectField, TextAreaField};
pub use layout::{Layout, Loading};

use crate::domain::EventStatus;
use leptos::prelude::*;

/// The status of an event as a labelled badge; colour is never the only signal.
#[component]
pub fn StatusBadge(status: EventStatus) -> impl IntoView {
    let class = format!("badge badge-{}", status.as_str());
    view! { <span class=class>{status.label()}</span> }
}
