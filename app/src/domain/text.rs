use super::DomainError;

/// A required text field: trimmed, not empty ("Enter {what}."), at most `max`
/// characters.
pub fn required_text(
    field: &str,
    value: &str,
    what: &str,
    max: usize,
) -> Result<String, DomainError> {
    match optional_text(field, value, max)? {
        Some(v) => Ok(v),
        None => Err(DomainError::new(field, format!("Enter {what}."))),
    }
}

/// An optional text field: trimmed, None when empty, at most `max` characters.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, DomainError> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(DomainError::new(
            field,
            format!("Use at most {max} characters."),
        ));
    }
    Ok((!v.is_empty()).then(|| v.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
