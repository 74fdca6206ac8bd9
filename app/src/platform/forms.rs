//! The server half of `ui::forms`: one way to write a form's server function.
//!
//! ```ignore
//! #[server(prefix = "/api/admin", endpoint = "save_person")]
//! pub async fn save_person(id: i64, #[server(flatten)] form: PersonForm) -> Result<(), AppError> {
//!     forms::submit(Action::Administer, &form, person_page(id), async |state, viewer| {
//!         … check, write, audit …
//!         Ok(Done::to(person_page(id)).with_notice("Saved."))
//!     })
//!     .await
//! }
//! ```
//!
//! The policy is asked first. After a plain form post, success redirects on (with
//! its notice); a refusal redirects back to the form with what was typed (never a
//! secret field) and every error at its field, landing on the error summary. The
//! round trip is kept server-side in `form_returns` for ten minutes under a random
//! id — the browser holds only the id, in an HttpOnly cookie — so a form of any size
//! comes back whole, a reload shows it again, and it appears only on the page it
//! was sent back to. The notice after success (a sentence the server chose) rides
//! in that cookie instead, signed with the database's [`super::auth::SigningKey`],
//! shown once on its page: no write. Scripts get the plain result or error.
use super::auth::{hash_secret, new_secret, Viewer};
use super::db::StoreResult;
use super::policy::{self, Action};
use super::request::{current_cookie, set_cookie, RequestInfo};
use super::AppState;
use crate::ui::forms::{FormFields, FormState};
use crate::{on_pool, AppError};
use base64::Engine as _;
use chrono::Duration;
use serde::{Deserialize, Serialize};

const RETURN_COOKIE: &str = "convene_form";
/// How long a refused form waits to be shown again.
const RETURN_LIFETIME: Duration = Duration::minutes(10);

/// Where a successful form sends the browser, and what it tells them there.
pub struct Done {
    pub to: String,
    pub notice: Option<String>,
    /// Values shown once with the notice on the page it leads to (a new feed
    /// address), in the form's state.
    pub values: std::collections::BTreeMap<String, String>,
}

impl Done {
    pub fn to(to: impl Into<String>) -> Self {
        Self {
            to: to.into(),
            notice: None,
            values: Default::default(),
        }
    }

    /// Shows `value` as the form's `field` once, beside the notice.
    pub fn with_value(mut self, field: &str, value: impl Into<String>) -> Self {
        self.values.insert(field.to_owned(), value.into());
        self
    }

    pub fn with_notice(mut self, notice: impl Into<String>) -> Self {
        self.notice = Some(notice.into());
        self
    }
}

/// Runs a form's work for a viewer who may do `action`, then answers as
/// [`finish`] does. `back` is the page of the form.
pub async fn submit<F: FormFields>(
    action: Action,
    form: &F,
    back: impl Into<String>,
    work: impl AsyncFnOnce(AppState, Viewer) -> Result<Done, AppError>,
) -> Result<(), AppError> {
    let back = back.into();
    let (state, viewer) = policy::check(action).await?;
    let result = work(state, viewer).await;
    finish(form, &back, result).await
}

/// [`submit`] for the forms of an event's chairs and organisers (and the
/// secretariat): the policy's `ManageEvent` for that event.
pub async fn submit_managing<F: FormFields>(
    event_id: i64,
    form: &F,
    back: impl Into<String>,
    work: impl AsyncFnOnce(AppState, Viewer) -> Result<Done, AppError>,
) -> Result<(), AppError> {
    let action = Action::ManageEvent {
        event_id: crate::ids::EventId(event_id),
    };
    submit(action, form, back, work).await
}

/// [`submit`] for the forms anyone may send (signing in, asking for a link).
pub async fn submit_public<F: FormFields>(
    form: &F,
    back: impl Into<String>,
    work: impl AsyncFnOnce(AppState) -> Result<Done, AppError>,
) -> Result<(), AppError> {
    let back = back.into();
    let state = AppState::current()?;
    let result = work(state).await;
    finish(form, &back, result).await
}

/// Ends a form's server function. For a browser's form post: success redirects to
/// `done.to` with its notice, landing on the notice (`#FORM-notice`); refused input (field errors or a conflict) goes back
/// to `back` with the typed values and every error. Scripts get the plain result.
/// Other errors (sign-in needed, forbidden, internal) pass through.
pub async fn finish<F: FormFields>(
    form: &F,
    back: &str,
    result: Result<Done, AppError>,
) -> Result<(), AppError> {
    let info = RequestInfo::current();
    let state = AppState::current()?;
    match result {
        Ok(done) => {
            forget(&state).await?;
            let mut to = done.to.clone();
            if let Some(notice) = done.notice {
                let shown = FormState {
                    notice: Some(notice),
                    values: done.values,
                    ..FormState::new(F::ID)
                };
                keep(&state, &shown, &done.to, true).await?;
                // Long pages reload at the notice, which sits in the section acted
                // on, not at the top where the change would be out of sight.
                if !to.contains('#') {
                    to = format!("{to}#{}-notice", F::ID);
                }
            }
            leptos_axum::redirect(&to);
            Ok(())
        }
        Err(e @ (AppError::Validation(_) | AppError::Invalid(_) | AppError::Conflict(_)))
            if info.wants_html =>
        {
            let mut shown = FormState {
                values: form.kept(),
                ..FormState::new(F::ID)
            };
            match &e {
                AppError::Conflict(message) => {
                    shown.notice = Some(message.clone());
                    shown.failed = true;
                }
                other => {
                    shown.errors = other
                        .field_errors()
                        .into_iter()
                        .map(|d| (d.field, d.message))
                        .collect();
                }
            }
            keep(&state, &shown, back, false).await?;
            leptos_axum::redirect(&format!("{back}#{}-errors", F::ID));
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Sends the browser back to `back` with a failure notice for the whole form (a
/// wrong password, a link that expired), keeping what was typed.
pub async fn refuse<F: FormFields>(form: &F, back: &str, notice: &str) -> Result<(), AppError> {
    let info = RequestInfo::current();
    if !info.wants_html {
        return Err(AppError::Conflict(notice.to_owned()));
    }
    let state = AppState::current()?;
    let shown = FormState {
        values: form.kept(),
        notice: Some(notice.to_owned()),
        failed: true,
        ..FormState::new(F::ID)
    };
    keep(&state, &shown, back, false).await?;
    leptos_axum::redirect(&format!("{back}#{}-errors", F::ID));
    Ok(())
}

/// A kept round trip, as stored.
#[derive(Serialize, Deserialize)]
struct Kept {
    /// The SHA-256 of the page it belongs to (path and query): it is shown there
    /// only, and a token in a query string is never stored.
    page: String,
    /// A notice after success is shown once; a refused form until the form
    /// succeeds or ten minutes pass.
    once: bool,
    /// When a notice carried in the cookie stops being shown (a stored round
    /// trip has its row's expiry).
    #[serde(default)]
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
    state: FormState,
}

/// The page of the current request, as the round trip is keyed.
fn current_page() -> Option<String> {
    leptos::prelude::with_context::<axum::http::request::Parts, _>(|p| {
        p.uri
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_else(|| p.uri.path().to_owned())
    })
}

/// `back` as the browser will request it (without a fragment).
fn page_key(page: &str) -> String {
    hash_secret(page.split('#').next().unwrap_or(page))
}

fn secure(state: &AppState) -> &'static str {
    if state.security.https() {
        "; Secure"
    } else {
        ""
    }
}

async fn keep(state: &AppState, shown: &FormState, page: &str, once: bool) -> StoreResult<()> {
    let now = state.clock.now();
    let kept = Kept {
        page: page_key(page),
        once,
        expires_at: Some(now + RETURN_LIFETIME),
        state: shown.clone(),
    };
    let payload = serde_json::to_string(&kept)
        .map_err(|e| anyhow::anyhow!("encoding a form's round trip: {e}"))?;
    // A notice after success is a sentence the server chose: it travels in the
    // cookie itself, signed, and costs no write (a burst of registrations measured
    // a write per post as its slowest part). One too long for a cookie (browsers
    // drop those over 4 KB) is stored like a refused form.
    let carried = once
        .then(|| carried_notice(&state.signing_key, &shown.form, &payload))
        .flatten();
    let value = if let Some(value) = carried {
        value
    } else {
        let (secret, id_hash) = new_secret();
        on_pool!(state.store, pool => {
            sqlx::query("INSERT INTO form_returns (id_hash, payload, expires_at) VALUES ($1, $2, $3)")
                .bind(&id_hash)
                .bind(&payload)
                .bind(now + RETURN_LIFETIME)
                .execute(pool)
                .await?;
        });
        format!("{}.{secret}", shown.form)
    };
    set_cookie(&format!(
        "{RETURN_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        RETURN_LIFETIME.num_seconds(),
        secure(state)
    ));
    Ok(())
}

/// The longest cookie value that carries a notice (well under browsers' 4 KB).
const MAX_CARRIED: usize = 3000;

/// The cookie value that carries a notice's round trip (`payload`, its JSON),
/// signed; `None` when too long for a cookie.
fn carried_notice(key: &super::auth::SigningKey, form: &str, payload: &str) -> Option<String> {
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
    let signed = format!("{form}.{NOTICE}.{encoded}");
    let signature = key.sign(signed.as_bytes());
    Some(format!("{signed}.{signature}")).filter(|value| value.len() <= MAX_CARRIED)
}

/// Marks a notice carried in the cookie (`FORM.n.PAYLOAD.SIGNATURE`), as opposed
/// to the id of a stored round trip (`FORM.ID`).
const NOTICE: &str = "n";

/// Deletes the round trips that expired (run by the job runner between jobs, not
/// by each form post: one write fewer in every post).
pub async fn forget_expired(
    store: &super::Store,
    now: chrono::DateTime<chrono::Utc>,
) -> StoreResult<()> {
    on_pool!(store, pool => {
        sqlx::query("DELETE FROM form_returns WHERE expires_at < $1")
            .bind(now)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Drops the round trip the browser holds (after the form succeeded).
async fn forget(state: &AppState) -> StoreResult<()> {
    let Some(raw) = current_cookie(RETURN_COOKIE) else {
        return Ok(());
    };
    let Some((_, secret)) = raw.split_once('.') else {
        return Ok(());
    };
    if secret.starts_with(&format!("{NOTICE}.")) {
        return Ok(());
    }
    on_pool!(state.store, pool => {
        sqlx::query("DELETE FROM form_returns WHERE id_hash = $1")
            .bind(hash_secret(secret))
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// The round trip of form `F` for the page being rendered: what was typed, the
/// errors and the notice; an empty state when there is none.
pub async fn take<F: FormFields>() -> FormState {
    take_for(F::ID).await
}

/// [`take`] by the form's id.
pub async fn take_for(form: &str) -> FormState {
    let empty = FormState::new(form);
    let Some(raw) = current_cookie(RETURN_COOKIE) else {
        return empty;
    };
    let Some((cookie_form, secret)) = raw.split_once('.') else {
        return empty;
    };
    if cookie_form != form {
        return empty;
    }
    let Ok(state) = AppState::current() else {
        return empty;
    };
    let now = state.clock.now();
    if let Some(carried) = secret.strip_prefix(&format!("{NOTICE}.")) {
        let kept = carried
            .rsplit_once('.')
            .filter(|(_, signature)| {
                let signed = &raw[..raw.len() - signature.len() - 1];
                state.signing_key.verify(signed.as_bytes(), signature)
            })
            .and_then(|(payload, _)| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(payload)
                    .ok()
            })
            .and_then(|json| serde_json::from_slice::<Kept>(&json).ok())
            .filter(|k| k.once && k.expires_at.is_some_and(|at| at > now));
        let Some(kept) = kept else {
            return empty;
        };
        if current_page().map(|p| page_key(&p)) != Some(kept.page) {
            return empty;
        }
        set_cookie(&format!(
            "{RETURN_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
            secure(&state)
        ));
        return kept.state;
    }
    let id_hash = hash_secret(secret);
    let row: Result<Option<String>, sqlx::Error> = on_pool!(state.store, pool => {
        sqlx::query_scalar("SELECT payload FROM form_returns WHERE id_hash = $1 AND expires_at > $2")
            .bind(&id_hash)
            .bind(now)
            .fetch_optional(pool)
            .await
    });
    let kept: Option<Kept> = match row {
        Ok(row) => row.and_then(|p| serde_json::from_str(&p).ok()),
        Err(e) => {
            tracing::warn!(error = %e, "reading a form's round trip");
            None
        }
    };
    let Some(kept) = kept else {
        return empty;
    };
    if current_page().map(|p| page_key(&p)) != Some(kept.page) {
        return empty;
    }
    if kept.once {
        let deleted: Result<(), sqlx::Error> = on_pool!(state.store, pool => {
            sqlx::query("DELETE FROM form_returns WHERE id_hash = $1")
                .bind(&id_hash)
                .execute(pool)
                .await
                .map(|_| ())
        });
        if let Err(e) = deleted {
            tracing::warn!(error = %e, "forgetting a shown notice");
        }
        set_cookie(&format!(
            "{RETURN_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
            secure(&state)
        ));
    }
    kept.state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_rides_in_its_cookie_signed_unless_too_long_for_one() {
        let key = super::super::auth::SigningKey::random();
        let value = carried_notice(&key, "person", r#"{"notice":"Saved."}"#).expect("short");
        let (signed, signature) = value.rsplit_once('.').unwrap();
        assert!(signed.starts_with("person.n."));
        assert!(key.verify(signed.as_bytes(), signature));
        assert!(
            !super::super::auth::SigningKey::random().verify(signed.as_bytes(), signature),
            "another key's"
        );
        assert!(
            !key.verify(format!("{signed}x").as_bytes(), signature),
            "changed"
        );
        let long = format!(r#"{{"notice":"{}"}}"#, "é".repeat(1500));
        assert_eq!(
            carried_notice(&key, "person", &long),
            None,
            "stored instead"
        );
    }
}
