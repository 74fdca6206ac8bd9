//! The interim protection of the secretariat's pages: HTTP Basic authentication as
//! user `admin` with `CONVENE_ADMIN_PASSWORD`. Replaced by accounts and roles.
use super::AppState;
use axum::http::{header, HeaderMap};
use base64::Engine as _;

/// Whether the request carries the admin credentials. Always false when no admin
/// password is configured.
pub fn is_admin(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(password) = &state.admin_password else {
        return false;
    };
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Some(encoded) = value.strip_prefix("Basic ") else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let expected = format!("admin:{}", password.expose());
    constant_time_eq(&decoded, expected.as_bytes())
}

/// Compares without an early exit, so timing does not tell how much matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        diff |= (a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0xff)) as usize;
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn equal_only_when_every_byte_and_the_length_match() {
        assert!(constant_time_eq(b"admin:s3cret", b"admin:s3cret"));
        assert!(!constant_time_eq(b"admin:s3cre", b"admin:s3cret"));
        assert!(!constant_time_eq(b"admin:s3creT", b"admin:s3cret"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
