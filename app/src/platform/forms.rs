//! The server half of `ui::forms`: after a plain form post, send the browser on to
//! the next page (success) or back to the form with what was typed and the message
//! at the wrong field (refusal). The round trip state travels in a short-lived,
//! HttpOnly cookie that the form's page reads once and clears.
use super::request::{current_cookie, set_cookie, RequestInfo};
use crate::ui::forms::FormState;
use crate::AppError;
use base64::Engine as _;

const FLASH_COOKIE: &str = "convene_flash";

/// Where a successful form sends the browser, and what it tells them there.
pub struct Done {
    pub to: String,
    pub notice: Option<String>,
}

impl Done {
    pub fn to(to: impl Into<String>) -> Self {
        Self {
            to: to.into(),
            notice: None,
        }
    }

    pub fn with_notice(mut self, notice: impl Into<String>) -> Self {
        self.notice = Some(notice.into());
        self
    }
}

/// Ends a form's server function. For a browser's form post: success redirects to
/// `done.to` with its notice; a validation or conflict error redirects back to
/// `back` with `values` (never passwords) and the error at its field. Scripts get
/// the plain result. Other errors (sign-in needed, forbidden, internal) pass through.
pub fn finish(
    form: &str,
    back: &str,
    values: &[(&str, &str)],
    result: Result<Done, AppError>,
) -> Result<(), AppError> {
    let info = RequestInfo::current();
    match result {
        Ok(done) => {
            if let Some(notice) = done.notice {
                flash(&FormState {
                    form: form.to_owned(),
                    notice: Some(notice),
                    ..Default::default()
                });
            }
            leptos_axum::redirect(&done.to);
            Ok(())
        }
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) if info.wants_html => {
            let mut state = FormState {
                form: form.to_owned(),
                values: values
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                ..Default::default()
            };
            match e {
                AppError::Validation(d) => {
                    state.errors.insert(d.field, d.message);
                }
                other => {
                    state.notice = Some(other.to_string());
                    state.failed = true;
                }
            }
            flash(&state);
            leptos_axum::redirect(back);
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Sends the browser back to `back` with a failure notice for the whole form (e.g. a
/// wrong password), keeping `values`.
pub fn refuse(
    form: &str,
    back: &str,
    values: &[(&str, &str)],
    notice: &str,
) -> Result<(), AppError> {
    let info = RequestInfo::current();
    if !info.wants_html {
        return Err(AppError::Conflict(notice.to_owned()));
    }
    flash(&FormState {
        form: form.to_owned(),
        values: values
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        notice: Some(notice.to_owned()),
        failed: true,
        ..Default::default()
    });
    leptos_axum::redirect(back);
    Ok(())
}

/// Browsers keep a cookie of up to 4 KB; this leaves room for its name and flags.
const FLASH_LIMIT: usize = 3800;

/// `; Secure` when the site is served over HTTPS: the round trip carries what was
/// typed, which must not travel in clear.
fn secure_flag() -> &'static str {
    match super::AppState::current() {
        Ok(s) if s.security.https() => "; Secure",
        _ => "",
    }
}

fn flash(state: &FormState) {
    if let Some(value) = encode_within_limit(state) {
        set_cookie(&format!(
            "{FLASH_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=300{}",
            secure_flag()
        ));
    }
}

/// The cookie value for `state`. When it would be too long, the longest typed values
/// are left out (the form shows their saved values instead) until it fits; the
/// messages always stay.
fn encode_within_limit(state: &FormState) -> Option<String> {
    let mut state = state.clone();
    loop {
        let json = serde_json::to_vec(&state).ok()?;
        let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        if value.len() < FLASH_LIMIT {
            return Some(value);
        }
        let longest = state
            .values
            .iter()
            .max_by_key(|(_, v)| v.len())
            .map(|(k, _)| k.clone())?;
        state.values.remove(&longest);
    }
}

/// The round-trip state for `form`, read once: the cookie is cleared with this
/// response. An empty state when there is none.
pub fn take(form: &str) -> FormState {
    let Some(raw) = current_cookie(FLASH_COOKIE) else {
        return FormState::default();
    };
    let state: Option<FormState> = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    match state {
        Some(s) if s.form == form => {
            set_cookie(&format!(
                "{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
                secure_flag()
            ));
            s
        }
        _ => FormState::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_round_trip_drops_the_longest_values_and_keeps_the_messages() {
        let mut state = FormState {
            form: "event".into(),
            ..Default::default()
        };
        state.values.insert("title".into(), "Plenary".into());
        state.values.insert("summary".into(), "x".repeat(5000));
        state.errors.insert("title".into(), "Too short.".into());
        let value = encode_within_limit(&state).expect("fits once the summary is left out");
        assert!(value.len() < FLASH_LIMIT);
        let back: FormState = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(value)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(back.value("title").as_deref(), Some("Plenary"));
        assert_eq!(back.value("summary"), None);
        assert_eq!(back.error("title").as_deref(), Some("Too short."));
    }
}
