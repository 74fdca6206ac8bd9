//! The one rule for every text a person types: trimmed, bounded, and made only of
//! characters that mean what they show. Control characters (other than line breaks
//! in multi-line fields), bidirectional overrides and embeddings (which make text
//! read differently from how it is stored) and values made only of invisible
//! characters are refused with the message at the field.
use super::DomainError;

/// Whether a field may hold several lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// Characters that change the reading order of the text around them: the
/// embeddings, overrides and isolates of Unicode's bidirectional algorithm.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that show nothing at all: whitespace, zero-width characters, joiners,
/// the byte order mark, soft hyphens and the blank "filler" letters.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{3164}'
                | '\u{FEFF}'
                | '\u{FFA0}'
        )
}

/// Why a character may not appear in a field, or None when it may.
fn refusal(c: char, lines: Lines) -> Option<&'static str> {
    if c == '\n' && lines == Lines::Many {
        return None;
    }
    if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
        return Some(match lines {
            Lines::One => {
                "Use one line of plain text, without line breaks, tabs or control characters."
            }
            Lines::Many => "Remove the tabs and control characters; line breaks are fine.",
        });
    }
    if is_bidi_control(c) {
        return Some("Remove the invisible characters that change the direction of the text.");
    }
    if matches!(c, '\u{FFF9}'..='\u{FFFB}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}') {
        return Some("Remove the invisible formatting characters.");
    }
    None
}

/// Checks and normalises a text field: line ends become `\n`, the value is trimmed,
/// a value of only invisible characters counts as empty (None), and a value longer
/// than `max` characters or with a refused character is an error at `field`.
pub fn text_field(
    field: &str,
    value: &str,
    lines: Lines,
    max: usize,
) -> Result<Option<String>, DomainError> {
    let normalised;
    let value = if lines == Lines::Many && value.contains('\r') {
        normalised = value.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        value
    };
    let v = value.trim_matches(is_invisible);
    if let Some(message) = v.chars().find_map(|c| refusal(c, lines)) {
        return Err(DomainError::new(field, message));
    }
    if v.chars().count() > max {
        return Err(DomainError::new(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    if v.chars().all(is_invisible) {
        return Ok(None);
    }
    Ok(Some(v.to_owned()))
}

/// A required one-line text field: "Enter {what}." when empty.
pub fn required_text(
    field: &str,
    value: &str,
    what: &str,
    max: usize,
) -> Result<String, DomainError> {
    text_field(field, value, Lines::One, max)?
        .ok_or_else(|| DomainError::new(field, format!("Enter {what}.")))
}

/// An optional one-line text field: None when empty.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, DomainError> {
    text_field(field, value, Lines::One, max)
}

/// A required multi-line text field.
pub fn required_multiline(
    field: &str,
    value: &str,
    what: &str,
    max: usize,
) -> Result<String, DomainError> {
    text_field(field, value, Lines::Many, max)?
        .ok_or_else(|| DomainError::new(field, format!("Enter {what}.")))
}

/// An optional multi-line text field.
pub fn optional_multiline(
    field: &str,
    value: &str,
    max: usize,
) -> Result<Option<String>, DomainError> {
    text_field(field, value, Lines::Many, max)
}

/// An optional whole number from 1 to `max` (places, how many a room holds):
/// `None` when left empty, otherwise `message` at the field.
pub fn optional_positive(
    field: &str,
    value: &str,
    max: i64,
    message: &str,
) -> Result<Option<i64>, DomainError> {
    match value.trim() {
        "" => Ok(None),
        raw => match raw.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
            _ => Err(DomainError::new(field, message)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_positive_number_is_optional_bounded_and_refused_at_its_field() {
        let p = |v| optional_positive("capacity", v, 100, "Enter places.");
        assert_eq!(p(" "), Ok(None));
        assert_eq!(p(" 40 "), Ok(Some(40)));
        for bad in ["0", "-3", "101", "4.5", "forty"] {
            assert_eq!(
                p(bad),
                Err(DomainError::new("capacity", "Enter places.")),
                "{bad}"
            );
        }
    }

    #[test]
    fn text_is_trimmed_required_and_bounded_with_the_field_named() {
        assert_eq!(
            required_text("name", "  Eurojust ", "a name", 10),
            Ok("Eurojust".into())
        );
        let missing = required_text("name", "   ", "a name", 10).unwrap_err();
        assert_eq!(
            (missing.field.as_str(), missing.message.as_str()),
            ("name", "Enter a name.")
        );
        assert_eq!(optional_text("title", " ", 5), Ok(None));
        assert_eq!(
            optional_text("title", "abcdef", 5).unwrap_err().message,
            "Use at most 5 characters."
        );
    }

    #[test]
    fn line_breaks_and_control_characters_are_refused_in_one_line_fields() {
        for hostile in [
            "Katharina\r\nURGENT: click here",
            "Katharina\nBecker",
            "Kath\0arina",
            "Tab\there",
            "Line\u{2028}separator",
            "\u{1b}[31mred",
        ] {
            let e = required_text("full_name", hostile, "a name", 200).unwrap_err();
            assert_eq!(e.field, "full_name", "{hostile:?}");
        }
    }

    #[test]
    fn multi_line_fields_keep_line_breaks_and_refuse_other_controls() {
        assert_eq!(
            required_multiline("summary", "One\r\nTwo\rThree\n", "a summary", 100),
            Ok("One\nTwo\nThree".into())
        );
        assert!(required_multiline("summary", "One\0Two", "a summary", 100).is_err());
        assert!(required_multiline("summary", "One\tTwo", "a summary", 100).is_err());
    }

    #[test]
    fn bidi_overrides_are_refused_everywhere() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2069}',
        ] {
            let value = format!("Invoice{c}fdp.exe");
            assert!(
                required_text("title", &value, "a title", 200).is_err(),
                "{c:?}"
            );
            assert!(
                required_multiline("summary", &value, "a summary", 200).is_err(),
                "{c:?}"
            );
        }
        // Right-to-left text itself is welcome.
        assert!(required_text("title", "مؤتمر", "a title", 200).is_ok());
    }

    #[test]
    fn a_value_of_only_invisible_characters_is_empty() {
        for invisible in [
            "\u{200B}",
            "\u{200B}\u{FEFF} \u{2060}",
            "\u{3164}",
            "\u{00AD}",
        ] {
            assert!(
                required_text("full_name", invisible, "a name", 200).is_err(),
                "{invisible:?}"
            );
            assert_eq!(
                optional_text("title", invisible, 200),
                Ok(None),
                "{invisible:?}"
            );
        }
        // Invisible characters at the edges are trimmed like spaces.
        assert_eq!(
            required_text("full_name", "\u{200B}Anna\u{FEFF}", "a name", 200),
            Ok("Anna".into())
        );
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(required_text("name", &"é".repeat(10), "a name", 10).is_ok());
        assert!(required_text("name", &"é".repeat(11), "a name", 10).is_err());
    }
}
