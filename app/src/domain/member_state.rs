use super::DomainError;
use serde::{Deserialize, Serialize};

/// One of the 27 Member States of the European Union, by ISO 3166-1 alpha-2 code
/// (with `EL` for Greece, as the EU's own style guide writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MemberState(&'static str);

/// Code and English short name, in the EU's protocol order (alphabetical by the
/// country's name in its own language).
const MEMBER_STATES: [(&str, &str); 27] = [
    ("BE", "Belgium"),
    ("BG", "Bulgaria"),
    ("CZ", "Czechia"),
    ("DK", "Denmark"),
    ("DE", "Germany"),
    ("EE", "Estonia"),
    ("IE", "Ireland"),
    ("EL", "Greece"),
    ("ES", "Spain"),
    ("FR", "France"),
    ("HR", "Croatia"),
    ("IT", "Italy"),
    ("CY", "Cyprus"),
    ("LV", "Latvia"),
    ("LT", "Lithuania"),
    ("LU", "Luxembourg"),
    ("HU", "Hungary"),
    ("MT", "Malta"),
    ("NL", "Netherlands"),
    ("AT", "Austria"),
    ("PL", "Poland"),
    ("PT", "Portugal"),
    ("RO", "Romania"),
    ("SI", "Slovenia"),
    ("SK", "Slovakia"),
    ("FI", "Finland"),
    ("SE", "Sweden"),
];

impl MemberState {
    /// The name of a stored code, or "" when there is none (or it is unknown).
    pub fn name_of(code: Option<&str>) -> String {
        code.and_then(|c| Self::parse(c).ok())
            .map(|m| m.name().to_owned())
            .unwrap_or_default()
    }

    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let upper = code.trim().to_ascii_uppercase();
        let upper = if upper == "GR" {
            "EL".to_owned()
        } else {
            upper
        };
        MEMBER_STATES
            .iter()
            .find(|(c, _)| *c == upper)
            .map(|(c, _)| MemberState(c))
            .ok_or_else(|| DomainError::new("member_state", "Choose one of the 27 Member States."))
    }

    /// All Member States in protocol order.
    pub fn all() -> impl Iterator<Item = MemberState> {
        MEMBER_STATES.iter().map(|(c, _)| MemberState(c))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    pub fn name(self) -> &'static str {
        MEMBER_STATES
            .iter()
            .find(|(c, _)| *c == self.0)
            .map(|(_, n)| *n)
            .unwrap_or(self.0)
    }

    /// Position in protocol order, for sorting lists the way EU documents do.
    pub fn protocol_order(self) -> usize {
        MEMBER_STATES
            .iter()
            .position(|(c, _)| *c == self.0)
            .unwrap_or(usize::MAX)
    }
}

impl TryFrom<String> for MemberState {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<MemberState> for String {
    fn from(value: MemberState) -> Self {
        value.0.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_27_member_states_each_with_a_name() {
        let all: Vec<_> = MemberState::all().collect();
        assert_eq!(all.len(), 27);
        assert!(all.iter().all(|m| m.name() != m.code()));
    }

    #[test]
    fn codes_are_case_insensitive_and_gr_means_greece() {
        assert_eq!(MemberState::parse("pl").unwrap().name(), "Poland");
        assert_eq!(MemberState::parse("GR").unwrap().code(), "EL");
    }

    #[test]
    fn a_non_member_country_is_refused_on_the_member_state_field() {
        let err = MemberState::parse("NO").unwrap_err();
        assert_eq!(err.field, "member_state");
    }
}
