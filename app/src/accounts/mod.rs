//! Accounts: signing in (password or emailed link), setting a password, signing
//! out, and each person's own account page.
pub mod api;
#[cfg(feature = "ssr")]
pub mod links;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::ui::FormState;
use serde::{Deserialize, Serialize};

pub use crate::ui::SiteSummary;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignInData {
    pub signed_in_as: Option<String>,
    pub password_form: FormState,
    pub link_form: FormState,
    pub reset_form: FormState,
}

/// The page behind an emailed link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenPageData {
    pub valid: bool,
    pub name: Option<String>,
    pub form: FormState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnMembership {
    pub network: String,
    pub category: String,
    pub member_state: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnEventRole {
    pub href: String,
    /// The organisers' page of the event.
    pub manage_href: String,
    pub title: String,
    pub role: String,
    pub starts: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    pub full_name: String,
    pub email: String,
    pub title: Option<String>,
    pub organisation: Option<String>,
    pub member_state: Option<String>,
    pub password_set: bool,
    pub secretariat: bool,
    pub memberships: Vec<OwnMembership>,
    pub events: Vec<OwnEventRole>,
    /// (title, "17 March 2027", where the invitation stands, the page to answer).
    pub invitations: Vec<(String, String, String, String)>,
    pub details_form: FormState,
    pub password_form: FormState,
    pub notice: FormState,
    /// "Your calendar": the personal feed's address.
    pub personal_feed: crate::calendar::account::PersonalFeedPanel,
}

use crate::ui::form_fields;

form_fields!(
    /// Signing in with a password; `next` is where to go afterwards.
    SignInForm, "sign-in", secret ["password"] { email, password, next }
);
form_fields!(
    /// Asking for a sign-in link.
    LinkRequestForm, "sign-in-link", secret [] { email }
);
form_fields!(
    /// Asking for a link to choose a password.
    ResetForm, "reset", secret [] { email }
);
form_fields!(
    /// Using a sign-in link (the button behind the link).
    UseLinkForm, "link", secret ["token"] { token }
);
form_fields!(
    /// Choosing a password with an emailed link.
    SetPasswordForm, "password", secret ["token", "password", "confirm"] { token, password, confirm }
);
form_fields!(
    /// The own name and title.
    OwnDetailsForm, "details", secret [] { full_name, title }
);
form_fields!(
    /// Changing the password, knowing the current one.
    ChangePasswordForm, "change-password", secret ["current", "password", "confirm"] { current, password, confirm }
);
