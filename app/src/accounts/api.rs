//! Server functions of sign-in and the own account. Forms post here without
//! JavaScript; `platform::forms` sends the browser on or back.
use super::{
    AccountData, ChangePasswordForm, LinkRequestForm, OwnDetailsForm, ResetForm, SetPasswordForm,
    SignInData, SignInForm, SiteSummary, TokenPageData, UseLinkForm,
};
use crate::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use super::super::store;
    use crate::platform::auth;
    use crate::platform::db::Tx;
    use crate::platform::request::{rate_limit_key, set_cookie, RequestInfo};
    use crate::platform::{audit, AppState};
    use crate::AppError;
    use chrono::Duration;

    pub const WINDOW: Duration = Duration::minutes(15);
    /// Counted attempts per address and per client within [`WINDOW`].
    pub const PER_ADDRESS: i64 = 5;
    pub const PER_CLIENT: i64 = 10;

    pub const TOO_MANY: &str =
        "Too many attempts. For your protection, wait 15 minutes before trying again.";
    pub const WRONG: &str = "The email address or the password is not right.";
    pub const LINK_SENT: &str = "If an account exists for that address, a message with a link is on its way. It can take a minute to arrive.";

    /// The scopes an attempt counts against: the address and the client (an IPv6
    /// client by its /64, which one household or one attacker holds whole).
    pub fn scopes(kind: &str, email: &str, info: &RequestInfo) -> [(String, i64); 2] {
        [
            (
                format!("{kind}:{}", email.trim().to_lowercase()),
                PER_ADDRESS,
            ),
            (
                format!(
                    "{kind}-client:{}",
                    info.client
                        .as_deref()
                        .map(rate_limit_key)
                        .unwrap_or_else(|| "unknown".into())
                ),
                PER_CLIENT,
            ),
        ]
    }

    /// Counts this attempt in every scope, then says whether any scope is over its
    /// limit. Counting first means concurrent attempts cannot all slip under the
    /// limit: the n-th attempt always sees at least n. Returns the ids of the
    /// counted rows (a successful sign-in takes its own back).
    pub async fn count_and_check(
        state: &AppState,
        scopes: &[(String, i64)],
    ) -> Result<(bool, Vec<i64>), AppError> {
        let now = state.clock.now();
        let mut ids = Vec::with_capacity(scopes.len());
        for (scope, _) in scopes {
            ids.push(store::count_attempt(&state.store, scope, now).await?);
        }
        let since = now - WINDOW;
        for (scope, limit) in scopes {
            if store::attempts_since(&state.store, scope, since).await? > *limit {
                return Ok((true, ids));
            }
        }
        Ok((false, ids))
    }

    /// Signs `person_id` in: ends the session the request came with (the id is
    /// always new after sign-in), starts a fresh one and audits how.
    pub async fn start_session(
        tx: &mut Tx<'_>,
        state: &AppState,
        person_id: i64,
        how: &str,
    ) -> Result<(), AppError> {
        let info = RequestInfo::current();
        let now = state.clock.now();
        if let Some(old) = info.cookie(state.security.session_cookie_name()) {
            auth::end_session(tx, &auth::hash_secret(&old)).await?;
        }
        let secret = auth::create_session(tx, person_id, &info, now).await?;
        set_cookie(&auth::session_cookie(&secret, &state.security));
        store::mark_signed_in(tx, person_id, now).await?;
        audit::record(
            tx,
            audit::Entry::new(Some(person_id), "sign_in")
                .on("person", person_id)
                .detail(how),
            now,
        )
        .await?;
        Ok(())
    }

    /// `next` when it is a page of this site, else the account page. `next` is
    /// resolved the way a browser would resolve it against the site's own origin
    /// (browsers drop tabs and line breaks, and read `\` as `/`), and must stay on
    /// that origin; control characters and backslashes are refused outright.
    pub fn local_next(next: Option<&str>) -> String {
        const FALLBACK: &str = "/account";
        let Some(next) = next else {
            return FALLBACK.to_owned();
        };
        if !next.starts_with('/') || next.chars().any(|c| c.is_control() || c == '\\') {
            return FALLBACK.to_owned();
        }
        let own = url::Url::parse("http://convene.local/").expect("a valid base");
        match own.join(next) {
            Ok(u) if u.origin() == own.origin() => {
                let mut out = u.path().to_owned();
                if let Some(q) = u.query() {
                    out.push('?');
                    out.push_str(q);
                }
                out
            }
            _ => FALLBACK.to_owned(),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::local_next;

        #[test]
        fn next_stays_on_this_site() {
            assert_eq!(local_next(Some("/admin/people?q=a")), "/admin/people?q=a");
            assert_eq!(local_next(None), "/account");
            for hostile in [
                "//evil.example/",
                "/\t/evil.example/",
                "/\n/evil.example/",
                "/\\evil.example/",
                "\\\\evil.example",
                "https://evil.example/",
                "/%09/evil.example/",
                "javascript:alert(1)",
                "",
            ] {
                let landed = local_next(Some(hostile));
                assert!(
                    landed.starts_with('/') && !landed.starts_with("//"),
                    "{hostile:?} -> {landed:?}"
                );
                let resolved = url::Url::parse("https://convene.example.eu/")
                    .unwrap()
                    .join(&landed)
                    .unwrap();
                assert_eq!(
                    resolved.host_str(),
                    Some("convene.example.eu"),
                    "{hostile:?}"
                );
            }
        }
    }
}

/// The header's view of the site: demo data or not, and who is signed in.
#[server(endpoint = "site", input = server_fn::codec::GetUrl)]
pub async fn site_info() -> Result<SiteSummary, AppError> {
    let state = crate::platform::AppState::current()?;
    let viewer = crate::platform::auth::current_viewer().await?;
    Ok(SiteSummary {
        demo: state.demo,
        signed_in_as: viewer.as_ref().map(|v| v.name.clone()),
        secretariat: viewer.is_some_and(|v| v.secretariat),
        contact: state.mailer.settings().from.email.to_string(),
    })
}

/// What the sign-in page shows after a round trip.
#[server(endpoint = "sign_in_page", input = server_fn::codec::GetUrl)]
pub async fn sign_in_page() -> Result<SignInData, AppError> {
    use crate::platform::forms::take;
    let viewer = crate::platform::auth::current_viewer().await?;
    Ok(SignInData {
        signed_in_as: viewer.filter(|v| !v.is_guest()).map(|v| v.name),
        password_form: take::<SignInForm>().await,
        link_form: take::<LinkRequestForm>().await,
        reset_form: take::<ResetForm>().await,
    })
}

/// Signs in with an address and a password.
#[server(endpoint = "sign_in")]
pub async fn sign_in(#[server(flatten)] form: SignInForm) -> Result<(), AppError> {
    use crate::domain::EmailAddress;
    use crate::platform::request::RequestInfo;
    use crate::platform::{audit, auth, forms};
    let next = Some(form.next.as_str()).filter(|n| !n.is_empty());
    let back = match next {
        Some(n) => format!("/sign-in?next={}", crate::ui::query_value(n)),
        None => "/sign-in".to_owned(),
    };
    let info = RequestInfo::current();
    let state = crate::platform::AppState::current()?;
    // Nothing is stored about an address that is not one (such as 2 MB of text).
    let address = match EmailAddress::parse(&form.email) {
        Ok(a) => a,
        Err(e) => return forms::finish(&form, &back, Err(e.into())).await,
    };
    let scopes = server::scopes("password", address.as_str(), &info);
    let (limited, counted) = server::count_and_check(&state, &scopes).await?;
    if limited {
        let mut tx = state.store.begin().await?;
        audit::record_refusal(
            &mut tx,
            audit::Entry::new(None, "sign_in_refused").detail(format!("rate limit for {address}")),
            state.clock.now(),
        )
        .await?;
        tx.commit().await?;
        return forms::refuse(&form, &back, server::TOO_MANY).await;
    }
    let cred = super::store::credentials_by_email(&state.store, address.as_str()).await?;
    let hash = cred.as_ref().and_then(|c| c.password_hash.clone());
    // Always verify (against a dummy hash when needed): timing does not tell
    // whether the address exists.
    let ok = auth::verify_password_blocking(form.password.clone(), hash).await;
    match cred {
        Some(c) if ok && c.has_account && !c.disabled => {
            // Only failures count against the limits.
            super::store::forget_attempts(&state.store, &scopes[0].0, &counted).await?;
            let mut tx = state.store.begin().await?;
            server::start_session(&mut tx, &state, c.person_id, "password").await?;
            tx.commit().await?;
            let to = match next {
                // The secretariat's work is at /admin; everyone else's at /account.
                None if c.secretariat => "/admin".to_owned(),
                next => server::local_next(next),
            };
            forms::finish(&form, &back, Ok(forms::Done::to(to))).await
        }
        cred => {
            let entry = match &cred {
                Some(c) => audit::Entry::new(None, "sign_in_failed")
                    .on("person", c.person_id)
                    .detail(if c.disabled {
                        "disabled account"
                    } else {
                        "wrong password"
                    }),
                None => audit::Entry::new(None, "sign_in_failed")
                    .detail(format!("unknown address {address}")),
            };
            let mut tx = state.store.begin().await?;
            audit::record(&mut tx, entry, state.clock.now()).await?;
            tx.commit().await?;
            forms::refuse(&form, &back, server::WRONG).await
        }
    }
}

/// Emails a one-time sign-in link. Answers the same whether or not the address has
/// an account.
#[server(endpoint = "request_sign_in_link")]
pub async fn request_sign_in_link(
    #[server(flatten)] form: LinkRequestForm,
) -> Result<(), AppError> {
    use crate::platform::auth::TokenPurpose;
    send_link_for(&form, &form.email, TokenPurpose::SignIn, "/sign-in").await
}

/// Emails a link to choose a new password. Same answer whether or not the address
/// has an account.
#[server(endpoint = "request_password_link")]
pub async fn request_password_link(#[server(flatten)] form: ResetForm) -> Result<(), AppError> {
    use crate::platform::auth::TokenPurpose;
    send_link_for(&form, &form.email, TokenPurpose::Password, "/sign-in/reset").await
}

/// A link request does the same work for every address — count the attempt, queue
/// one job — so neither its answer nor its timing tells whether the address has an
/// account. The job sends the link, or nothing (see `links::run_link_job`).
#[cfg(feature = "ssr")]
async fn send_link_for<F: crate::ui::FormFields>(
    form: &F,
    email: &str,
    purpose: crate::platform::auth::TokenPurpose,
    back: &str,
) -> Result<(), AppError> {
    use crate::domain::EmailAddress;
    use crate::platform::request::RequestInfo;
    use crate::platform::{audit, forms, jobs, AppState};
    let state = AppState::current()?;
    let info = RequestInfo::current();
    let address = match EmailAddress::parse(email) {
        Ok(a) => a,
        Err(e) => return forms::finish(form, back, Err(e.into())).await,
    };
    let scopes = server::scopes("link", address.as_str(), &info);
    let (limited, _) = server::count_and_check(&state, &scopes).await?;
    if limited {
        let mut tx = state.store.begin().await?;
        audit::record_refusal(
            &mut tx,
            audit::Entry::new(None, "link_request_refused")
                .detail(format!("rate limit for {address}")),
            state.clock.now(),
        )
        .await?;
        tx.commit().await?;
        return forms::refuse(form, back, server::TOO_MANY).await;
    }
    let now = state.clock.now();
    let mut tx = state.store.begin().await?;
    jobs::enqueue(
        &mut tx,
        &super::links::link_job(&address, purpose, None, now),
        now,
    )
    .await?;
    tx.commit().await?;
    state.jobs.wake();
    forms::finish(
        form,
        back,
        Ok(forms::Done::to(back).with_notice(server::LINK_SENT)),
    )
    .await
}

/// The page behind an emailed link: whether the link still works, and for whom.
/// Looking does not use the link up (mail scanners open links); the button does.
#[server(endpoint = "token_page", input = server_fn::codec::GetUrl)]
pub async fn token_page(token: String, purpose: String) -> Result<TokenPageData, AppError> {
    use crate::platform::auth::{self, TokenPurpose};
    use crate::platform::{forms, AppState};
    let state = AppState::current()?;
    let purpose = match purpose.as_str() {
        "password" => TokenPurpose::Password,
        _ => TokenPurpose::SignIn,
    };
    let person = auth::peek_token(&state.store, &token, purpose, state.clock.now()).await?;
    let name = match person {
        Some(id) => Some(
            super::store::credentials_by_id(&state.store, id)
                .await?
                .full_name,
        ),
        None => None,
    };
    Ok(TokenPageData {
        valid: name.is_some(),
        name,
        form: forms::take::<SetPasswordForm>().await,
    })
}

/// Uses a sign-in link: signs in and goes on to the account page.
#[server(endpoint = "use_sign_in_link")]
pub async fn use_sign_in_link(#[server(flatten)] form: UseLinkForm) -> Result<(), AppError> {
    use crate::platform::auth::{self, TokenPurpose};
    use crate::platform::{forms, AppState};
    let state = AppState::current()?;
    let mut tx = state.store.begin().await?;
    match auth::consume_token(
        &mut tx,
        &form.token,
        TokenPurpose::SignIn,
        state.clock.now(),
    )
    .await?
    {
        Some(person) => {
            server::start_session(&mut tx, &state, person, "sign-in link").await?;
            tx.commit().await?;
            let secretariat = super::store::credentials_by_id(&state.store, person)
                .await?
                .secretariat;
            let to = if secretariat { "/admin" } else { "/account" };
            forms::finish(&form, "/sign-in", Ok(forms::Done::to(to))).await
        }
        None => {
            forms::refuse(
                &LinkRequestForm::default(),
                "/sign-in",
                "That sign-in link has expired or was already used. Ask for a new one below.",
            )
            .await
        }
    }
}

/// Sets a new password from an emailed link: every session of the account ends, and
/// the person is signed in afresh.
#[server(endpoint = "set_password")]
pub async fn set_password(#[server(flatten)] form: SetPasswordForm) -> Result<(), AppError> {
    use crate::domain::{check_new_password, DomainError};
    use crate::platform::auth::{self, TokenPurpose};
    use crate::platform::{audit, forms, AppState};
    const GONE: &str = "That link has expired or was already used. Ask for a new one.";
    let state = AppState::current()?;
    let now = state.clock.now();
    let token = form.token.clone();
    let back = format!("/account/password?token={token}");
    let Some(person) = auth::peek_token(&state.store, &token, TokenPurpose::Password, now).await?
    else {
        return forms::refuse(&ResetForm::default(), "/sign-in/reset", GONE).await;
    };
    let cred = super::store::credentials_by_id(&state.store, person).await?;
    let mut problems = Vec::new();
    if let Err(e) = check_new_password(&form.password, &cred.email) {
        problems.push(e);
    }
    if form.password != form.confirm {
        problems.push(DomainError::new(
            "confirm",
            "The two passwords differ. Type the same password twice.",
        ));
    }
    if !problems.is_empty() {
        return forms::finish(&form, &back, Err(problems.into())).await;
    }
    let hash = auth::hash_password_blocking(form.password.clone())
        .await
        .map_err(AppError::internal)?;
    // Use the token only now, so a typo above does not cost the link. Using it,
    // the new password, the end of every session and the new one: one transaction.
    let mut tx = state.store.begin().await?;
    if auth::consume_token(&mut tx, &token, TokenPurpose::Password, now).await? != Some(person) {
        return forms::refuse(&ResetForm::default(), "/sign-in/reset", GONE).await;
    }
    super::store::set_password_hash(&mut tx, person, &hash, now).await?;
    auth::revoke_tokens(&mut tx, person).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(person), "password_set").on("person", person),
        now,
    )
    .await?;
    let ended = auth::end_sessions_of(&mut tx, person, None).await?;
    server::start_session(&mut tx, &state, person, "password link").await?;
    tx.commit().await?;
    let notice = if ended == 0 {
        "Your password is set.".to_owned()
    } else {
        format!(
            "Your password is set. {ended} other session{} of your account ended.",
            if ended == 1 { "" } else { "s" }
        )
    };
    forms::finish(
        &form,
        &back,
        Ok(forms::Done::to("/account").with_notice(notice)),
    )
    .await
}

/// Ends this session.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::platform::request::set_cookie;
    use crate::platform::{audit, auth, forms, AppState};
    let state = AppState::current()?;
    if let Some((v, hash)) = auth::current_viewer()
        .await?
        .and_then(|v| v.session_hash().map(str::to_owned).map(|h| (v, h)))
    {
        let mut tx = state.store.begin().await?;
        auth::end_session(&mut tx, &hash).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(v.person_id), "sign_out").on("person", v.person_id),
            state.clock.now(),
        )
        .await?;
        tx.commit().await?;
    }
    set_cookie(&auth::clear_session_cookie(&state.security));
    set_cookie(&crate::platform::guests::clear_guest_cookie(
        &state.security,
    ));
    forms::finish(
        &SignInForm::default(),
        "/",
        Ok(forms::Done::to("/sign-in").with_notice("You are signed out.")),
    )
    .await
}

/// Ends every session of the signed-in person, on every device.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::platform::policy::{check, Action};
    use crate::platform::request::set_cookie;
    use crate::platform::{audit, auth, forms};
    let (state, v) = check(Action::UseOwnAccount).await?;
    let mut tx = state.store.begin().await?;
    let ended = auth::end_sessions_of(&mut tx, v.person_id, None).await?;
    audit::record(
        &mut tx,
        audit::Entry::new(Some(v.person_id), "sign_out_everywhere")
            .on("person", v.person_id)
            .detail(format!("{ended} sessions ended")),
        state.clock.now(),
    )
    .await?;
    tx.commit().await?;
    set_cookie(&auth::clear_session_cookie(&state.security));
    forms::finish(
        &SignInForm::default(),
        "/account",
        Ok(forms::Done::to("/sign-in").with_notice("You are signed out on every device.")),
    )
    .await
}

/// The own account page.
#[server(endpoint = "account_page", input = server_fn::codec::GetUrl)]
pub async fn account_page() -> Result<AccountData, AppError> {
    use super::{OwnEventRole, OwnMembership};
    use crate::domain::{MemberState, MembershipCategory};
    use crate::platform::forms;
    use crate::platform::policy::{check, Action};
    let (state, v) = check(Action::UseOwnAccount).await?;
    let d = super::store::own_details(&state.store, v.person_id).await?;
    let date = |t: Option<chrono::NaiveDate>| t.map(crate::ui::long_date);
    let memberships = super::store::memberships_of(&state.store, v.person_id)
        .await?
        .into_iter()
        .map(|(network, category, ms, from, to)| OwnMembership {
            network,
            category: MembershipCategory::parse(&category)
                .map(|c| c.label().to_owned())
                .unwrap_or(category),
            member_state: ms
                .and_then(|m| MemberState::parse(&m).ok())
                .map(|m| m.name().to_owned()),
            from: date(from),
            to: date(to),
        })
        .collect();
    // One line per event, with every role the person holds in it.
    let mut events: Vec<OwnEventRole> = Vec::new();
    let mut seen: Vec<i64> = Vec::new();
    for r in super::store::event_roles_of(&state.store, v.person_id).await? {
        let label = crate::events::event_role_label(&r.role);
        match seen.iter().position(|e| *e == r.event_id) {
            Some(i) => events[i].role = format!("{} and {}", events[i].role, label.to_lowercase()),
            None => {
                seen.push(r.event_id);
                events.push(OwnEventRole {
                    href: crate::events::event_href(&r.network, &r.event),
                    manage_href: format!("/events/{}/manage", r.event_id),
                    starts: r.starts_on(),
                    title: r.title,
                    role: label,
                });
            }
        }
    }
    let invitations = crate::invitations::store::of_person(&state.store, v.person_id)
        .await?
        .into_iter()
        .map(
            |(id, title, starts, zone, status, registration, position)| {
                let zone = crate::platform::localtime::parse_zone(&zone).unwrap_or(chrono_tz::UTC);
                let standing = match (registration.as_deref(), position, status.as_str()) {
                    (Some("confirmed"), _, _) => "Registered".to_owned(),
                    (Some("waitlisted"), Some(p), _) => format!("On the waiting list ({p})"),
                    (Some("cancelled"), _, _) => "Registration cancelled".to_owned(),
                    (Some("pending"), _, _) => "Awaiting the organisers' approval".to_owned(),
                    (Some("rejected"), _, _) => "Declined by the organisers".to_owned(),
                    (_, _, "declined") => "Declined".to_owned(),
                    _ => "Not answered yet".to_owned(),
                };
                (
                    title,
                    crate::platform::localtime::local_date(starts, zone),
                    standing,
                    format!("/guest/events/{id}"),
                )
            },
        )
        .collect();
    Ok(AccountData {
        invitations,
        full_name: d.full_name,
        email: d.email,
        title: d.title,
        organisation: d.organisation,
        member_state: d
            .member_state
            .and_then(|m| MemberState::parse(&m).ok())
            .map(|m| m.name().to_owned()),
        password_set: d.password_set,
        secretariat: d.secretariat,
        memberships,
        events,
        details_form: forms::take::<OwnDetailsForm>().await,
        password_form: forms::take::<ChangePasswordForm>().await,
        notice: forms::take::<SetPasswordForm>().await,
        personal_feed: crate::calendar::account::panel(&state, v.person_id).await?,
    })
}

/// Corrects the signed-in person's own name and title.
#[server(endpoint = "update_own_details")]
pub async fn update_own_details(#[server(flatten)] form: OwnDetailsForm) -> Result<(), AppError> {
    use crate::domain::{optional_text, required_text, Problems};
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    forms::submit(
        Action::UseOwnAccount,
        &form,
        "/account",
        async |state, v| {
            let mut p = Problems::new();
            let name = p.check(required_text(
                "full_name",
                &form.full_name,
                "your name as it should appear to others",
                200,
            ));
            let title = p.check(optional_text("title", &form.title, 200));
            p.done()?;
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            super::store::update_own_details(&mut tx, v.person_id, &name, title.as_deref(), now)
                .await?;
            audit::record(
                &mut tx,
                audit::Entry::new(Some(v.person_id), "person_updated")
                    .on("person", v.person_id)
                    .detail("own details"),
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(forms::Done::to("/account").with_notice("Your details are saved."))
        },
    )
    .await
}

/// Changes the password, knowing the current one; ends every other session.
#[server(endpoint = "change_password")]
pub async fn change_password(#[server(flatten)] form: ChangePasswordForm) -> Result<(), AppError> {
    use crate::domain::{check_new_password, DomainError, Problems};
    use crate::platform::policy::Action;
    use crate::platform::{audit, auth, forms};
    forms::submit(
        Action::UseOwnAccount,
        &form,
        "/account",
        async |state, v| {
            let cred = super::store::credentials_by_id(&state.store, v.person_id).await?;
            let mut p = Problems::new();
            if cred.password_hash.is_some()
                && !auth::verify_password_blocking(form.current.clone(), cred.password_hash.clone())
                    .await
            {
                p.add(DomainError::new(
                    "current",
                    "This is not your current password.",
                ));
            }
            p.check(check_new_password(&form.password, &cred.email));
            if form.password != form.confirm {
                p.add(DomainError::new(
                    "confirm",
                    "The two passwords differ. Type the same password twice.",
                ));
            }
            p.done()?;
            let hash = auth::hash_password_blocking(form.password.clone())
                .await
                .map_err(AppError::internal)?;
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            super::store::set_password_hash(&mut tx, v.person_id, &hash, now).await?;
            auth::revoke_tokens(&mut tx, v.person_id).await?;
            audit::record(
                &mut tx,
                audit::Entry::new(Some(v.person_id), "password_changed").on("person", v.person_id),
                now,
            )
            .await?;
            let ended = auth::end_sessions_of(&mut tx, v.person_id, v.session_hash()).await?;
            tx.commit().await?;
            Ok(forms::Done::to("/account").with_notice(format!(
                "Your password is changed. {ended} other session{} ended.",
                if ended == 1 { "" } else { "s" }
            )))
        },
    )
    .await
}
