//! Pure types and rules: no IO, compiled for the server and for the browser.
//!
//! Values here are parsed, not validated: a constructor either returns a value that
//! is valid for the rest of its life or a [`DomainError`] naming the field.

pub mod agenda;
mod email;
mod error;
mod kinds;
mod member_state;
mod password;
mod slug;
mod text;
mod time_range;

pub use email::EmailAddress;
pub use error::{DomainError, Problems};
pub use kinds::{
    active_membership_sql, enum_choices, membership_active, AgendaChange, AgendaItemKind,
    AgendaVisibility, EventKind, EventRole, EventStatus, MailStatus, MembershipCategory,
    OrganisationKind,
};
pub use member_state::MemberState;
pub use password::{check_new_password, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
pub use slug::Slug;
pub use text::{
    is_bidi_control, is_invisible, optional_multiline, optional_positive, optional_text,
    required_multiline, required_text, text_field, Lines,
};
pub use time_range::TimeRange;
