//! Invitations: the event's chairs, organisers and the secretariat invite members
//! of the event's network by category (and Member State); each invitee gets a
//! personal link (`platform::guests`) by mail and answers through it, without an
//! account: accept (the registration form) or decline with a message.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
pub mod upload;

use crate::ui::{Choice, FormState};
use serde::{Deserialize, Serialize};

crate::ui::form_fields!(
    /// Inviting the members of one category (and Member State) of the network.
    InviteForm, "invite", secret [] { category, member_state }
);
crate::ui::form_fields!(
    /// Inviting one person by address: someone known to Convene, or a guest who is
    /// added (then the name is needed).
    InvitePersonForm, "invite-person", secret [] { email, full_name }
);
crate::ui::form_fields!(
    /// Revoking one person's invitation (and their personal links).
    RevokeForm, "revoke", secret [] { person_id }
);
crate::ui::form_fields!(
    /// Reminding everyone who has not answered.
    RemindForm, "remind", secret [] { confirm }
);
crate::ui::form_fields!(
    /// Declining an invitation, with an optional message to the organisers.
    DeclineForm, "decline", secret [] { message }
);

/// One invitee in the organisers' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationLine {
    pub person_id: i64,
    /// Whether the organisers may revoke it (not registered, not revoked).
    pub revocable: bool,
    pub name: String,
    pub email: String,
    /// "National Contact Point".
    pub invited_as: String,
    pub member_state: String,
    /// "Invited", "Declined", "Registered", "On the waiting list (3)".
    pub status: String,
    /// The invitation mail: "Sent", "Queued", "Failed".
    pub mail: String,
    /// When they were last reminded, in the event's zone ("" if never).
    pub reminded: String,
}

/// `/events/:id/invitations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationsData {
    pub event_id: i64,
    pub title: String,
    pub dates: String,
    pub network: String,
    /// Whether invitations can go out (published, not over).
    pub open: bool,
    /// Why not, when they cannot.
    pub closed_reason: Option<String>,
    pub categories: Vec<Choice>,
    pub member_states: Vec<Choice>,
    /// "12 invited: 9 registered, 1 on the waiting list, 2 declined".
    pub summary: String,
    /// "40 places: 9 taken in person, 1 online, 1 waiting".
    pub places: String,
    pub rows: Vec<InvitationLine>,
    /// How many have not answered (and could be reminded).
    pub unanswered: i64,
    pub form: FormState,
    pub person_form: FormState,
    pub remind_form: FormState,
    pub revoke_form: FormState,
    /// The notice of guests imported from a file.
    pub import_form: FormState,
}

/// What the invitee sees on their link's page about their invitation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    /// `invited`, `accepted`, `declined`; `member` for a member registering
    /// without an invitation, `delegation` for someone their delegation's head
    /// registered.
    pub status: String,
    /// Where their registration stands, in words, when they have one.
    pub registration: Option<String>,
    /// Whether they hold a live registration (and may cancel it).
    pub registered: bool,
    /// "Opens …", "Open now, until …", "Closed on …".
    pub window: Option<String>,
    /// Whether the registration form may be sent now.
    pub may_register: bool,
    /// Whether the event offers online participation.
    pub online: bool,
    /// For a confirmed participant only: the participant list, the confirmed people
    /// who agreed to appear on it ("Name, Organisation").
    pub participants: Option<Vec<String>>,
    /// The event's own questions, and this person's answers so far.
    pub questions: Vec<crate::registration::questions::Question>,
    pub answers: Vec<(String, String)>,
    /// Whether the registration waits for the organisers' approval.
    pub moderated: bool,
    /// The delegation section, for a National Contact Point where the event sets
    /// places per Member State.
    pub delegation: Option<crate::registration::DelegationView>,
    pub register_form: FormState,
    pub change_form: FormState,
    pub decline_form: FormState,
    pub cancel_form: FormState,
}

/// Registering: in person or online, needs, consents, and the answers to the
/// event's own questions (`q12`, `q12_0`: see `registration::questions`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub attendance: String,
    #[serde(default)]
    pub dietary: String,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub privacy: String,
    #[serde(default)]
    pub list_consent: String,
    /// Every other field the form sent: the answers.
    #[serde(flatten)]
    pub answers: std::collections::BTreeMap<String, String>,
}

impl crate::ui::FormFields for RegistrationForm {
    const ID: &'static str = "register";
}

/// Changing one's registration: needs, list consent and answers (how one attends
/// decides the place, so that is changed by cancelling and registering again).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeRegistrationForm {
    #[serde(default)]
    pub dietary: String,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub list_consent: String,
    #[serde(flatten)]
    pub answers: std::collections::BTreeMap<String, String>,
}

impl crate::ui::FormFields for ChangeRegistrationForm {
    const ID: &'static str = "change-registration";
}
crate::ui::form_fields!(
    /// Cancelling one's registration.
    CancelRegistrationForm, "cancel-registration", secret [] { confirm }
);

/// The version of the privacy notice a registration agrees to; stored with it.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11";

/// The privacy notice, as the registration form shows it.
pub const PRIVACY_NOTICE: &str = "Convene keeps your registration (name, address, organisation, how you attend, and what you tell us about diet and access needs) for the organisation of this meeting and its outcome report. The organisers and the secretariat see it; other participants see your name only if you agree below. You can ask the secretariat for a copy or for erasure at any time.";
