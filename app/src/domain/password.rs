use super::DomainError;

/// The shortest password accepted. Length matters more than composition rules
/// (NIST SP 800-63B); 12 characters keeps an offline guess out of reach.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Long enough for any passphrase, short enough to bound the hashing work.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Passwords of the accepted length that appear near the top of published
/// breach-frequency lists, plus the obvious ones for this application.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789123",
    "111111111111",
    "000000000000",
    "123123123123",
    "password1234",
    "password12345",
    "password123456",
    "passwordpassword",
    "qwertyuiopasdf",
    "qwertyuiop123",
    "qwertyuiopasdfgh",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "iloveyou1234",
    "letmein12345",
    "welcome12345",
    "administrator",
    "administrator1",
    "changeme1234",
    "abcdefghijkl",
    "abcd1234abcd",
    "abc123abc123",
    "trustno1trustno1",
    "baseball1234",
    "football1234",
    "princess1234",
    "sunshine1234",
    "superman1234",
    "monkey123456",
    "dragon123456",
    "passw0rd1234",
    "p@ssw0rd1234",
    "p@ssword1234",
    "qazwsxedcrfv",
    "zaq12wsxcde3",
    "1234qwerasdf",
    "asdfghjkl123",
    "asdfasdfasdf",
    "qwerqwerqwer",
    "europeanunion",
    "eurojust2024",
    "eurojust2025",
    "eurojust2026",
    "convene12345",
    "conveneconvene",
    "prosecutor123",
    "justice12345",
];

/// Checks a new password: length, not a well-known one, not made of the address,
/// not one character or a simple run repeated.
pub fn check_new_password(password: &str, email: &str) -> Result<(), DomainError> {
    let field = "password";
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(DomainError::new(
            field,
            format!("Use at least {MIN_PASSWORD_CHARS} characters; a few unrelated words make a good password."),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(DomainError::new(
            field,
            format!("Use at most {MAX_PASSWORD_CHARS} characters."),
        ));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) {
        return Err(DomainError::new(
            field,
            "This password is on the lists attackers try first. Choose another.",
        ));
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if lower == email.to_lowercase()
        || (local.len() >= 4 && lower.contains(&local) && chars < local.chars().count() + 6)
    {
        return Err(DomainError::new(
            field,
            "The password cannot be (mostly) your email address.",
        ));
    }
    if is_repetitive(&lower) {
        return Err(DomainError::new(
            field,
            "The password is one short pattern repeated. Choose something less predictable.",
        ));
    }
    Ok(())
}

/// A string made of a run of at most 4 characters repeated, or a run of
/// consecutive characters (`abcdef…`, `98765…`).
fn is_repetitive(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    for period in 1..=4 {
        if chars.len() > period && (period..chars.len()).all(|i| chars[i] == chars[i - period]) {
            return true;
        }
    }
    let step = |d: i64| chars.windows(2).all(|w| w[1] as i64 - w[0] as i64 == d);
    step(1) || step(-1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_patterned_passwords_are_refused_with_a_reason() {
        let email = "anna.example@justice.example";
        let short = check_new_password("short-pass", email).unwrap_err();
        assert_eq!(short.field, "password");
        assert!(short.message.contains("at least 12"));
        assert!(check_new_password("Password1234", email)
            .unwrap_err()
            .message
            .contains("lists"));
        assert!(check_new_password("abababababab", email)
            .unwrap_err()
            .message
            .contains("pattern"));
        assert!(check_new_password("abcdefghijklmnop", email).is_err());
        assert!(check_new_password("anna.example@justice.example", email).is_err());
        assert!(check_new_password("anna.example1", email).is_err());
        assert!(check_new_password(&"x".repeat(257), email).is_err());
    }

    #[test]
    fn ordinary_passphrases_are_accepted() {
        let email = "anna.example@justice.example";
        assert_eq!(
            check_new_password("correct horse battery staple", email),
            Ok(())
        );
        assert_eq!(check_new_password("Tram-Lindeboom-42-Regen", email), Ok(()));
    }
}
