use super::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An email address in a shape a mail server will accept: one `@`, a non-empty local
/// part, a domain with a dot, no spaces or control characters (so it can never carry
/// a header injection). Stored lower-cased in the domain part only, as RFC 5321 allows
/// the local part to be case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: impl AsRef<str>) -> Result<Self, DomainError> {
        let field = "email";
        let s = input.as_ref().trim();
        if s.is_empty() {
            return Err(DomainError::new(field, "Enter an email address."));
        }
        if s.len() > 254 {
            return Err(DomainError::new(
                field,
                "An email address can be at most 254 characters long.",
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(DomainError::new(
                field,
                "An email address cannot contain spaces or line breaks.",
            ));
        }
        if s.chars()
            .any(|c| super::is_bidi_control(c) || super::is_invisible(c))
        {
            return Err(DomainError::new(
                field,
                "An email address cannot contain invisible characters. Type it again by hand.",
            ));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(DomainError::new(
                field,
                "Enter an email address like name@example.eu.",
            ));
        };
        if local.is_empty() || local.len() > 64 || local.contains('@') {
            return Err(DomainError::new(
                field,
                "The part before the @ must be 1 to 64 characters long.",
            ));
        }
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if !domain_ok {
            return Err(DomainError::new(
                field,
                "The part after the @ must be a domain such as example.eu.",
            ));
        }
        let domain = domain.to_lowercase();
        // `.invalid` never receives mail (RFC 2606); Convene uses it for erased people.
        if domain == "invalid" || domain.ends_with(".invalid") {
            return Err(DomainError::new(
                field,
                "Addresses ending in .invalid cannot receive mail. Enter a real address.",
            ));
        }
        Ok(Self(format!("{local}@{domain}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_address_is_accepted_and_its_domain_lower_cased() {
        let e = EmailAddress::parse("  Anna.Kowalska@Prokuratura.GOV.pl ").unwrap();
        assert_eq!(e.as_str(), "Anna.Kowalska@prokuratura.gov.pl");
    }

    #[test]
    fn an_address_without_at_is_refused_on_the_email_field() {
        let err = EmailAddress::parse("anna.example.eu").unwrap_err();
        assert_eq!(err.field, "email");
        assert!(err.message.contains("name@example.eu"));
    }

    #[test]
    fn an_address_with_a_line_break_is_refused() {
        assert!(EmailAddress::parse("a@b.eu\r\nBcc: x@y.eu").is_err());
    }

    #[test]
    fn a_domain_without_a_dot_or_with_double_dots_is_refused() {
        assert!(EmailAddress::parse("a@localhost").is_err());
        assert!(EmailAddress::parse("a@eurojust..europa.eu").is_err());
        assert!(EmailAddress::parse("@eurojust.europa.eu").is_err());
    }

    #[test]
    fn invisible_and_direction_changing_characters_are_refused() {
        assert!(EmailAddress::parse("anna\u{202E}lpmaxe@eurojust.eu").is_err());
        assert!(EmailAddress::parse("anna\u{200B}@eurojust.eu").is_err());
        assert!(EmailAddress::parse("anna@euro\u{2066}just.eu").is_err());
    }

    #[test]
    fn the_invalid_domain_of_erased_people_is_refused() {
        assert!(EmailAddress::parse("erased-65@erased.invalid").is_err());
        assert!(EmailAddress::parse("someone@ERASED.INVALID").is_err());
        assert!(EmailAddress::parse("someone@invalid.eu").is_ok());
    }

    #[test]
    fn deserialising_an_invalid_address_fails() {
        let r: Result<EmailAddress, _> = serde_json::from_str("\"not an address\"");
        assert!(r.is_err());
    }
}
