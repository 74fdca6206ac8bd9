//! The directory the secretariat keeps: people (with their accounts), organisations
//! and memberships of networks; exporting and erasing a person. Secretariat only:
//! every server function asks `policy::check(Action::Administer)` (or the export
//! and erase actions) first.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::ui::{form_fields, FormState};

form_fields!(
    /// A person's details.
    PersonForm, "person", secret [] { full_name, email, title, organisation_id, member_state }
);
form_fields!(
    /// An action on a person's account (`create`, `send_password_link`, `disable`,
    /// `enable`, `grant_secretariat`, `revoke_secretariat`).
    AccountActionForm, "account", secret [] { action, confirmed }
);
form_fields!(
    /// A new membership of a network.
    MembershipForm, "membership", secret [] { network_id, category, member_state, active_from, active_to }
);
form_fields!(
    /// Ending (`remove` empty) or removing a membership.
    MembershipChangeForm, "membership", secret [] { remove }
);
form_fields!(
    /// Erasing a person: `confirm` must be `yes`.
    EraseForm, "erase", secret [] { confirm }
);
use serde::{Deserialize, Serialize};

pub use crate::ui::Choice;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonLine {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub member_state: Option<String>,
    /// "no account", "active", "disabled", "secretariat".
    pub account: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeopleData {
    pub rows: Vec<PersonLine>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub networks: Vec<Choice>,
    pub member_states: Vec<Choice>,
    pub categories: Vec<Choice>,
    /// The notice of an erasure, which lands here.
    pub notice: crate::ui::FormState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipItem {
    pub id: i64,
    pub network: String,
    pub category: String,
    pub member_state: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountState {
    pub exists: bool,
    pub disabled: bool,
    pub secretariat: bool,
    pub password_set: bool,
    pub last_sign_in: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonData {
    /// 0 for a new person.
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub title: String,
    pub organisation_id: String,
    pub member_state: String,
    pub account: AccountState,
    pub memberships: Vec<MembershipItem>,
    /// (title, role, href)
    pub events: Vec<(String, String, String)>,
    /// Whether this is the signed-in person (who cannot disable or erase themselves).
    pub is_self: bool,
    pub organisations: Vec<Choice>,
    pub networks: Vec<Choice>,
    pub member_states: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub person_form: FormState,
    pub account_form: FormState,
    pub membership_form: FormState,
    pub erase_form: FormState,
}

/// Whether an account action asks for confirmation first: it takes effect at once
/// and cannot be taken back without another person noticing.
pub fn account_action_needs_confirmation(action: &str) -> bool {
    matches!(action, "disable" | "grant_secretariat")
}

/// The confirmation of an account action: its question and what will happen.
pub fn account_action_confirmation(
    action: &str,
    name: &str,
) -> Option<(String, &'static str, &'static str)> {
    match action {
        "disable" => Some((
            format!("Disable the account of {name}?"),
            "They are signed out on every device at once, the sign-in and password links already mailed to them stop working, and they cannot sign in until the account is enabled again. They are not mailed about it. Their memberships and event roles stay.",
            "Yes, disable the account",
        )),
        "grant_secretariat" => Some((
            format!("Give {name} the secretariat's rights?"),
            "They will see and change every person, organisation, network and event, read the mail and audit logs, and can erase people. They are not mailed about it; the audit log records that you gave the rights.",
            "Yes, give the secretariat's rights",
        )),
        _ => None,
    }
}
