use super::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The URL-safe name of a network or an event: lower-case ASCII letters, digits and
/// single hyphens, 1 to 80 characters, not starting or ending with a hyphen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(input: impl AsRef<str>) -> Result<Self, DomainError> {
        let s = input.as_ref();
        let ok = !s.is_empty()
            && s.len() <= 80
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::new(
                "slug",
                "Use 1 to 80 lower-case letters, digits and single hyphens.",
            ))
        }
    }

    /// Derives a slug from a title: "First Plenary Meeting" → "first-plenary-meeting".
    pub fn from_title(title: &str) -> Result<Self, DomainError> {
        let mut out = String::with_capacity(title.len());
        for c in title.chars().flat_map(char::to_lowercase) {
            let c = fold_accent(c);
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(80).collect();
        Self::parse(trimmed.trim_end_matches('-'))
            .map_err(|_| DomainError::new("title", "The title needs at least one letter or digit."))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ł' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ś' | 'š' => 's',
        'ù' | 'ú' | 'û' | 'ü' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        other => other,
    }
}

impl TryFrom<String> for Slug {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_becomes_a_readable_slug() {
        assert_eq!(
            Slug::from_title("First Plenary Meeting (2025)")
                .unwrap()
                .as_str(),
            "first-plenary-meeting-2025"
        );
        assert_eq!(
            Slug::from_title("Łódź — Spotkanie").unwrap().as_str(),
            "lodz-spotkanie"
        );
    }

    #[test]
    fn upper_case_spaces_and_edge_hyphens_are_refused() {
        for bad in [
            "",
            "EJOCN",
            "two words",
            "-lead",
            "trail-",
            "dou--ble",
            "a/b",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Slug::parse("ejocn").is_ok());
    }

    #[test]
    fn a_title_without_letters_names_the_title_field() {
        assert_eq!(Slug::from_title("— !").unwrap_err().field, "title");
    }
}
