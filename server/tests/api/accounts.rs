//! Sign-in, sessions, links, protections and privacy, through the real server.
use crate::helpers::*;
use app::on_pool;
use app::platform::mail::outbox;
use app::platform::Store;

/// The last link of `kind` mailed to `to`, as delivery will write it: the stored
/// message holds a placeholder, and the token waits beside it until delivery.
pub async fn mailed_link(app: &TestApp, to: &str, kind: &str) -> String {
    app.settle().await;
    let rows = outbox::list(&app.store, None, None, 100, 0).await.unwrap();
    let row = rows
        .iter()
        .find(|r| r.kind == kind && r.recipient_email == to)
        .unwrap_or_else(|| panic!("no {kind} mail to {to}"));
    assert!(
        !row.body_text.contains("token=")
            || row
                .body_text
                .contains(&format!("token={}", outbox::SECRET_MARKER)),
        "the stored text holds no token"
    );
    let start = row.body_text.find("http").expect("a link in the text part");
    let link = row.body_text[start..].split_whitespace().next().unwrap();
    link.replace(
        outbox::SECRET_MARKER,
        row.secret.as_deref().expect("the token waits for delivery"),
    )
}

async fn count(store: &Store, sql: &str) -> i64 {
    on_pool!(store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

crate::on_both_backends! { TestApp;

    async fn a_password_sign_in_sets_a_protected_session_cookie_and_shows_the_name(app) {
        let res = app.form("/api/sign_in", &[("email", MEMBER), ("password", DEMO_PASSWORD)], None).await;
        assert_eq!(res.status().as_u16(), 302);
        assert_eq!(location(&res), "/account");
        let (session, header) = set_cookie(&res, "convene_session").expect("session cookie");
        assert!(header.contains("HttpOnly"), "{header}");
        assert!(header.contains("SameSite=Lax"), "{header}");
        assert!(!header.contains("Secure"), "plain http on loopback: {header}");
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM sessions WHERE id_hash = '{session}'")).await, 0, "only the hash is stored");
        let hash = app::platform::auth::hash_secret(&session);
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM sessions WHERE id_hash = '{hash}'")).await, 1, "the hash is what is stored");
        let body = app.get_as("/account", Some(&session)).await.text().await.unwrap();
        assert!(body.contains("Katharina Becker"));
        assert!(body.contains("National Contact Point"), "own memberships are listed");
        let body = app.get_as("/", Some(&session)).await.text().await.unwrap();
        assert!(body.contains("Sign out"));
    }

    async fn a_wrong_password_and_an_unknown_address_get_the_same_answer(app) {
        let wrong = app.form("/api/sign_in", &[("email", MEMBER), ("password", "not the password at all")], None).await;
        let unknown = app.form("/api/sign_in", &[("email", "nobody@nowhere.example"), ("password", "not the password at all")], None).await;
        for res in [&wrong, &unknown] {
            assert_eq!(res.status().as_u16(), 302);
            assert_eq!(location(res), "/sign-in#sign-in-errors", "back to the form's message");
            assert!(session_cookie(res).is_none());
        }
        let body = app.landing(&wrong, None).await;
        let other = app.landing(&unknown, None).await.replace("nobody@nowhere.example", MEMBER);
        assert_eq!(without_nonces(&body), without_nonces(&other), "the same page for both");
        assert!(body.contains("The email address or the password is not right."));
        assert!(body.contains(&format!("value=\"{MEMBER}\"")), "the address typed is kept");
        assert!(!body.contains("not the password at all"), "the password is never sent back");
        assert_eq!(count(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'").await, 2);
    }

    async fn signing_in_rotates_the_session_id(app) {
        let first = app.demo(MEMBER).await;
        let res = app.form("/api/sign_in", &[("email", MEMBER), ("password", DEMO_PASSWORD)], Some(&first)).await;
        let second = session_cookie(&res).expect("a new session");
        assert_ne!(first, second);
        assert_eq!(app.get_as("/api/account_page", Some(&first)).await.status().as_u16(), 401, "the old id is dead");
        assert_eq!(app.get_as("/api/account_page", Some(&second)).await.status().as_u16(), 200);
    }

    async fn sign_out_ends_the_session(app) {
        let s = app.demo(MEMBER).await;
        let res = app.form("/api/sign_out", &[], Some(&s)).await;
        assert_eq!(res.status().as_u16(), 302);
        assert_eq!(session_cookie(&res).as_deref(), Some(""), "the cookie is cleared");
        assert_eq!(app.get_as("/api/account_page", Some(&s)).await.status().as_u16(), 401);
    }

    async fn an_emailed_link_signs_in_once(app) {
        let res = app.form("/api/request_sign_in_link", &[("email", PARTNER)], None).await;
        assert_eq!(res.status().as_u16(), 302);
        let link = mailed_link(&app, PARTNER, "sign_in_link").await;
        let token = link.split("token=").nth(1).unwrap().to_owned();
        assert!(token.len() >= 43, "at least 256 bits");
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM auth_tokens WHERE token_hash = '{token}'")).await, 0, "stored hashed");
        // Opening the page (as a mail scanner would) does not use the link.
        let path = link.trim_start_matches(&app.base).to_owned();
        let body = app.get(&path).await.text().await.unwrap();
        assert!(body.contains("Sign in as Henrik Maas"));
        let res = app.form("/api/use_sign_in_link", &[("token", &token)], None).await;
        assert_eq!(location(&res), "/account");
        let session = session_cookie(&res).expect("signed in");
        assert_eq!(app.get_as("/api/account_page", Some(&session)).await.status().as_u16(), 200);
        let again = app.form("/api/use_sign_in_link", &[("token", &token)], None).await;
        assert!(session_cookie(&again).is_none(), "a link works once");
        assert!(app.get(&path).await.text().await.unwrap().contains("expired or was already used"));
    }

    async fn asking_for_a_link_says_the_same_for_unknown_addresses_and_sends_nothing(app) {
        let known = app.form("/api/request_sign_in_link", &[("email", OBSERVER)], None).await;
        let unknown = app.form("/api/request_sign_in_link", &[("email", "nobody@nowhere.example")], None).await;
        assert_eq!(location(&known), location(&unknown));
        let known_page = app.landing(&known, None).await.replace(OBSERVER, "");
        let unknown_page = app.landing(&unknown, None).await.replace("nobody@nowhere.example", "");
        assert!(known_page.contains("If an account exists for that address"));
        assert_eq!(without_nonces(&known_page), without_nonces(&unknown_page), "the same page");
        app.settle().await;
        // (The demo's outcome report went out in 2025.)
        let rows: Vec<_> = outbox::list(&app.store, None, None, 100, 0).await.unwrap()
            .into_iter().filter(|r| r.kind != "report").collect();
        assert_eq!(rows.len(), 1, "one message, to the known address");
        assert_eq!(rows[0].recipient_email, OBSERVER);
    }

    async fn a_password_link_sets_a_new_password_and_ends_other_sessions(app) {
        let elsewhere = app.demo(CHAIR).await;
        app.form("/api/request_password_link", &[("email", CHAIR)], None).await;
        let link = mailed_link(&app, CHAIR, "password_link").await;
        let token = link.split("token=").nth(1).unwrap().to_owned();
        let weak = app.form("/api/set_password", &[("token", &token), ("password", "password1234"), ("confirm", "password1234")], None).await;
        assert!(location(&weak).starts_with("/account/password?token="), "back to the form");
        assert!(session_cookie(&weak).is_none());
        let new = "lantern orchard gravel 42";
        let res = app.form("/api/set_password", &[("token", &token), ("password", new), ("confirm", new)], None).await;
        assert_eq!(location(&res), "/account#password-notice");
        assert!(session_cookie(&res).is_some());
        assert_eq!(app.get_as("/api/account_page", Some(&elsewhere)).await.status().as_u16(), 401, "other sessions ended");
        app.sign_in(CHAIR, new).await;
        let old = app.form("/api/sign_in", &[("email", CHAIR), ("password", DEMO_PASSWORD)], None).await;
        assert!(session_cookie(&old).is_none(), "the old password no longer works");
    }

    async fn changing_the_password_keeps_this_session_and_ends_the_others(app) {
        let here = app.demo(MEMBER).await;
        let there = app.demo(MEMBER).await;
        let new = "quiet harbour lamp 7781";
        let res = app.form("/api/change_password", &[("current", DEMO_PASSWORD), ("password", new), ("confirm", new)], Some(&here)).await;
        assert_eq!(location(&res), "/account#change-password-notice");
        assert_eq!(app.get_as("/api/account_page", Some(&here)).await.status().as_u16(), 200);
        assert_eq!(app.get_as("/api/account_page", Some(&there)).await.status().as_u16(), 401);
        let wrong_current = app.form("/api/change_password", &[("current", "not it at all!"), ("password", new), ("confirm", new)], Some(&here)).await;
        assert!(app.landing(&wrong_current, Some(&here)).await.contains("This is not your current password."));
    }

    async fn repeated_failures_are_rate_limited_even_with_the_right_password(app) {
        for _ in 0..5 {
            app.form("/api/sign_in", &[("email", OBSERVER), ("password", "wrong wrong wrong")], None).await;
        }
        let res = app.form("/api/sign_in", &[("email", OBSERVER), ("password", DEMO_PASSWORD)], None).await;
        assert!(session_cookie(&res).is_none(), "refused while limited");
        assert!(app.landing(&res, None).await.contains("Too many attempts"));
        // Another address from the same client still works (client limit is higher).
        app.demo(PARTNER).await;
    }

    async fn cross_origin_posts_are_refused(app) {
        let s = app.demo(MEMBER).await;
        for origin in [Some("https://evil.example"), Some("null"), None] {
            let mut req = app.client.post(format!("{}/api/sign_out", app.base))
                .header("cookie", format!("convene_session={s}"))
                .header("accept", "text/html");
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status().as_u16(), 403, "origin {origin:?}");
        }
        let referer_only = app.client.post(format!("{}/api/sign_out", app.base))
            .header("cookie", format!("convene_session={s}"))
            .header("referer", format!("{}/account", app.base))
            .send().await.unwrap();
        assert_ne!(referer_only.status().as_u16(), 403, "a same-site Referer is enough");
        assert_eq!(app.get_as("/api/account_page", Some(&s)).await.status().as_u16(), 401, "and it signed out");
    }

    async fn pages_carry_a_nonce_based_content_security_policy(app) {
        let res = app.get("/sign-in").await;
        let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(res.headers()["referrer-policy"], "same-origin");
        assert!(res.headers().get("strict-transport-security").is_none(), "no HSTS over plain http");
        let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_owned();
        let body = res.text().await.unwrap();
        assert!(body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
        let other = app.get("/sign-in").await.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert_ne!(csp, other, "a new nonce per response");
        let api = app.get("/api/site").await;
        assert!(api.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    }

    async fn an_idle_session_ends(app) {
        let s = app.demo(MEMBER).await;
        assert_eq!(app.get_as("/api/account_page", Some(&s)).await.status().as_u16(), 200, "its viewer kept by the server");
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1")
                .bind(test_clock().now() - chrono::Duration::minutes(61))
                .execute(pool).await.unwrap();
        });
        assert_eq!(app.get_as("/api/account_page", Some(&s)).await.status().as_u16(), 401);
        assert_eq!(count(&app.store, "SELECT COUNT(*) FROM sessions").await, 0, "and is removed");
    }

    async fn a_session_ends_twelve_hours_after_sign_in_however_busy(app) {
        let s = app.demo(MEMBER).await;
        assert_eq!(app.get_as("/api/account_page", Some(&s)).await.status().as_u16(), 200, "its viewer kept by the server");
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE sessions SET created_at = $1, last_seen_at = $2")
                .bind(test_clock().now() - chrono::Duration::hours(12) - chrono::Duration::minutes(1))
                .bind(test_clock().now())
                .execute(pool).await.unwrap();
        });
        assert_eq!(app.get_as("/api/account_page", Some(&s)).await.status().as_u16(), 401);
    }

    async fn a_disabled_account_cannot_sign_in_and_its_sessions_stop_working(app) {
        let s = app.demo(OBSERVER).await;
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE person_id = (SELECT id FROM people WHERE email = $2)")
                .bind(test_clock().now()).bind(OBSERVER)
                .execute(pool).await.unwrap();
        });
        assert_eq!(app.get_as("/api/account_page", Some(&s)).await.status().as_u16(), 401);
        let res = app.form("/api/sign_in", &[("email", OBSERVER), ("password", DEMO_PASSWORD)], None).await;
        assert!(session_cookie(&res).is_none());
    }

    async fn own_data_downloads_as_json_without_secrets(app) {
        assert_eq!(app.get("/account/export.json").await.status().as_u16(), 401);
        let s = app.demo(MEMBER).await;
        let res = app.get_as("/account/export.json", Some(&s)).await;
        assert_eq!(res.status().as_u16(), 200);
        assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
        let body = res.text().await.unwrap();
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["person"]["email"], MEMBER);
        assert_eq!(json["memberships"][0]["category"], "national_contact_point");
        assert!(!body.contains("argon2"), "no password hash");
        assert!(json["audit"].as_array().unwrap().iter().any(|a| a["action"] == "sign_in"));
    }

    async fn own_details_are_validated_at_the_field_and_saved(app) {
        let s = app.demo(MEMBER).await;
        let res = app.form("/api/update_own_details", &[("full_name", "  "), ("title", "Senior Prosecutor")], Some(&s)).await;
        let body = app.landing(&res, Some(&s)).await;
        assert!(body.contains("Enter your name"), "message at the field");
        assert!(body.contains("aria-invalid=\"true\""));
        assert!(body.contains("value=\"Senior Prosecutor\""), "what was typed is kept");
        app.form("/api/update_own_details", &[("full_name", "Katharina M. Becker"), ("title", "Senior Prosecutor")], Some(&s)).await;
        let body = app.get_as("/account", Some(&s)).await.text().await.unwrap();
        assert!(body.contains("Katharina M. Becker"));
    }
}

/// A page without its per-response nonces (Leptos also writes the nonce into the
/// preload links' `crossorigin`), to compare two answers.
pub fn without_nonces(page: &str) -> String {
    let mut out = page.to_owned();
    for attr in ["nonce=\"", "crossorigin=\""] {
        let mut kept = String::new();
        let mut rest = out.as_str();
        while let Some(at) = rest.find(attr) {
            kept.push_str(&rest[..at]);
            let after = &rest[at + attr.len()..];
            rest = after.find('"').map(|e| &after[e + 1..]).unwrap_or("");
        }
        kept.push_str(rest);
        out = kept;
    }
    out
}

mod https {
    use super::*;

    crate::on_both_backends! { HttpsApp;

        async fn behind_https_cookies_are_secure_hsts_is_sent_and_only_the_public_origin_may_post(app) {
            let post = |origin: &'static str| {
                app.client.post(format!("{}/api/sign_in", app.base))
                    .header("origin", origin)
                    .header("accept", "text/html")
                    .form(&[("email", MEMBER), ("password", DEMO_PASSWORD)])
                    .send()
            };
            let res = post(PUBLIC_URL).await.unwrap();
            let (_, header) = set_cookie(&res, "__Host-convene_session").expect("signed in from the public origin, with a __Host- cookie");
            assert!(header.contains("; Secure") && header.contains("Path=/") && !header.contains("Domain"), "{header}");
            assert_eq!(res.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
            let local = app.base.clone();
            let res = app.client.post(format!("{}/api/sign_in", app.base))
                .header("origin", local)
                .form(&[("email", MEMBER), ("password", DEMO_PASSWORD)])
                .send().await.unwrap();
            assert_eq!(res.status().as_u16(), 403, "the host's own origin is not the configured public one");
            app.client.post(format!("{}/api/request_sign_in_link", app.base))
                .header("origin", PUBLIC_URL)
                .form(&[("email", PARTNER)])
                .send().await.unwrap();
            app.settle().await;
            let rows = outbox::list(&app.store, None, None, 10, 0).await.unwrap();
            assert!(rows[0].body_text.contains("https://convene.example.eu/sign-in/link?token="), "mailed links use the public URL");
        }
    }
}

mod drafts {
    use super::*;

    crate::on_both_backends! { TestApp;

        async fn a_draft_is_previewed_by_its_chair_and_the_secretariat_and_hidden_from_everyone_else(app) {
            let draft = "/networks/ejocn/events/plenary-meeting-spring-2027";
            // The demo chair chairs this event; make it a draft for the test.
            on_pool!(app.store, pool => {
                sqlx::query("UPDATE events SET status = 'draft' WHERE slug = 'plenary-meeting-spring-2027'")
                    .execute(pool).await.unwrap();
            });
            assert_eq!(app.get(draft).await.status().as_u16(), 404);
            for who in [MEMBER, OBSERVER] {
                let s = app.demo(who).await;
                assert_eq!(app.get_as(draft, Some(&s)).await.status().as_u16(), 404, "{who}");
            }
            for who in [CHAIR, SECRETARIAT] {
                let s = app.demo(who).await;
                let res = app.get_as(draft, Some(&s)).await;
                assert_eq!(res.status().as_u16(), 200, "{who}");
                assert!(res.text().await.unwrap().contains("Draft: only its organisers"));
            }
        }
    }
}

mod proxied {
    use super::*;

    crate::on_both_backends! { ProxiedApp;

        async fn behind_a_trusted_proxy_the_forwarded_client_is_audited_and_limited(app) {
            for client in ["203.0.113.9", "203.0.113.9", "198.51.100.4"] {
                app.client.post(format!("{}/api/sign_in", app.base))
                    .header("origin", &app.base)
                    .header("x-forwarded-for", format!("6.6.6.6, {client}"))
                    .form(&[("email", OBSERVER), ("password", "not the password")])
                    .send().await.unwrap();
            }
            let clients: Vec<Option<String>> = on_pool!(app.store, pool => {
                sqlx::query_scalar("SELECT client FROM audit_log WHERE action = 'sign_in_failed' ORDER BY id")
                    .fetch_all(pool).await.unwrap()
            });
            let expected = ["203.0.113.9", "203.0.113.9", "198.51.100.4"].map(|c| Some(c.to_owned()));
            assert_eq!(clients, expected.to_vec(), "the proxy's entry, not the address the client wrote");
            let counted = count(&app.store, "SELECT COUNT(*) FROM auth_attempts WHERE scope = 'password-client:203.0.113.9'").await;
            assert_eq!(counted, 2, "the per-client limit counts the real client");
        }
    }
}
