use super::DomainError;
use serde::{Deserialize, Serialize};

/// Generates the string round trip every stored enum needs: `as_str` for the
/// database and URLs, `parse` that names the field on failure, and a label for pages.
macro_rules! stored_enum {
    ($(#[$m:meta])* $name:ident, $field:literal, { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn parse(s: &str) -> Result<Self, DomainError> {
                match s {
                    $($code => Ok($name::$variant),)+
                    _ => Err(DomainError::new($field, "Choose one of the listed values.")),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

stored_enum!(
    /// How a person belongs to a network.
    MembershipCategory, "category", {
        NationalContactPoint => ("national_contact_point", "National Contact Point"),
        AssociatePartner => ("associate_partner", "Associate Partner"),
        Observer => ("observer", "Observer"),
        Secretariat => ("secretariat", "Secretariat"),
    }
);

stored_enum!(
    EventKind, "kind", {
        LaunchEvent => ("launch_event", "Launch event"),
        Plenary => ("plenary", "Plenary meeting"),
        FocusGroupMeeting => ("focus_group_meeting", "Focus-group meeting"),
        WorkshopDay => ("workshop_day", "Workshop day"),
    }
);

stored_enum!(
    /// Draft events are seen only by their organisers and the secretariat.
    EventStatus, "status", {
        Draft => ("draft", "Draft"),
        Published => ("published", "Published"),
        Cancelled => ("cancelled", "Cancelled"),
        Closed => ("closed", "Closed"),
    }
);

stored_enum!(
    /// What kind of body an organisation is.
    OrganisationKind, "kind", {
        NationalAuthority => ("national_authority", "National authority"),
        EuAgency => ("eu_agency", "EU agency or body"),
        EuInstitution => ("eu_institution", "EU institution"),
        ThirdCountry => ("third_country", "Third-country authority"),
        International => ("international", "International organisation"),
        Other => ("other", "Other"),
    }
);

stored_enum!(
    /// A person's role in one event: both manage it; the chair also presides.
    EventRole, "role", {
        Chair => ("chair", "Chair"),
        Organiser => ("organiser", "Organiser"),
    }
);

stored_enum!(
    /// Where a message of the outbox is.
    MailStatus, "status", {
        Queued => ("queued", "Queued"),
        Sending => ("sending", "Being sent"),
        Sent => ("sent", "Sent"),
        Failed => ("failed", "Failed"),
    }
);

/// Choices for a select, from a stored enum: (code, label).
pub fn enum_choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| (code(*v).to_owned(), label(*v).to_owned()))
        .collect()
}

impl EventStatus {
    /// Whether anyone without an organiser's role may see the event at all.
    pub fn is_public(self) -> bool {
        !matches!(self, EventStatus::Draft)
    }
}

/// The one rule for whether a membership counts on `day`: from its first day
/// (inclusive) to its end (exclusive: a membership ended today no longer counts
/// today). The SQL form is [`ACTIVE_MEMBERSHIP_SQL`].
pub fn membership_active(
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    day: chrono::NaiveDate,
) -> bool {
    from.is_none_or(|f| f <= day) && to.is_none_or(|t| t > day)
}

/// [`membership_active`] as SQL over a memberships row `m`, with the day as `$DAY`
/// (replace it with the parameter's number).
pub const ACTIVE_MEMBERSHIP_SQL: &str =
    "(m.active_from IS NULL OR m.active_from <= $DAY) AND (m.active_to IS NULL OR m.active_to > $DAY)";

/// The SQL condition of [`membership_active`] for the parameter `$n`.
pub fn active_membership_sql(n: usize) -> String {
    ACTIVE_MEMBERSHIP_SQL.replace("$DAY", &format!("${n}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_membership_ended_today_no_longer_counts_today() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2026-06-01");
        assert!(super::membership_active(None, None, today));
        assert!(
            !super::membership_active(None, Some(today), today),
            "ended today"
        );
        assert!(
            super::membership_active(Some(today), None, today),
            "started today"
        );
        assert!(!super::membership_active(
            Some(d("2026-06-02")),
            None,
            today
        ));
    }

    use super::*;

    #[test]
    fn every_stored_value_round_trips() {
        for c in MembershipCategory::ALL {
            assert_eq!(MembershipCategory::parse(c.as_str()).unwrap(), *c);
        }
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()).unwrap(), *k);
        }
        for s in EventStatus::ALL {
            assert_eq!(EventStatus::parse(s.as_str()).unwrap(), *s);
        }
    }

    #[test]
    fn an_unknown_value_names_its_field() {
        assert_eq!(EventKind::parse("party").unwrap_err().field, "kind");
        assert_eq!(EventStatus::parse("").unwrap_err().field, "status");
    }

    #[test]
    fn only_drafts_are_hidden() {
        assert!(!EventStatus::Draft.is_public());
        assert!(EventStatus::Cancelled.is_public());
    }
}

stored_enum!(
    /// What an agenda item is.
    AgendaItemKind, "kind", {
        PlenarySession => ("plenary_session", "Plenary session"),
        Presentation => ("presentation", "Presentation"),
        Panel => ("panel", "Panel"),
        Workshop => ("workshop", "Workshop"),
        Break => ("break", "Break"),
        Meal => ("meal", "Meal"),
        Reception => ("reception", "Reception"),
        ClosedSession => ("closed_session", "Closed session"),
    }
);

stored_enum!(
    /// Who may see an agenda item in full; the policy
    /// ([`crate::platform::policy`]) decides who that is for each reader.
    AgendaVisibility, "visibility", {
        Public => ("public", "Everyone"),
        Registered => ("registered", "Registered participants"),
        MembersAndPartners => ("members_and_partners", "Members and partners"),
        MembersOnly => ("members_only", "Members only"),
        OrganisersOnly => ("organisers_only", "Organisers only"),
    }
);

stored_enum!(
    /// What a published version of an agenda changed of an item: moved is its
    /// time or room, changed anything else.
    AgendaChange, "change", {
        Added => ("added", "Added"),
        Removed => ("removed", "Removed"),
        Moved => ("moved", "Moved"),
        Changed => ("changed", "Changed"),
    }
);
