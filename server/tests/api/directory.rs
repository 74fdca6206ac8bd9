//! The secretariat's directory through the real server: people, accounts,
//! memberships, organisations, networks, export and erasure, audit log.
use crate::helpers::*;
use app::on_pool;
use app::platform::mail::outbox;
use app::platform::Store;

/// The page a browser lands on after a form post: follows the redirect with the
/// round-trip cookie.
async fn landing(app: &TestApp, res: &reqwest::Response, session: &str) -> String {
    let mut cookie = format!("convene_session={session}");
    if let Some((token, _)) = set_cookie(res, "convene_form") {
        cookie.push_str(&format!("; convene_form={token}"));
    }
    let to = location(res);
    app.client
        .get(format!(
            "{}{}",
            app.base,
            to.split('#').next().unwrap_or_default()
        ))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn person_id(store: &Store, email: &str) -> i64 {
    on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM people WHERE email = $1").bind(email).fetch_one(pool).await.unwrap()
    })
}

async fn audit_count(store: &Store, action: &str) -> i64 {
    on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE action = $1").bind(action).fetch_one(pool).await.unwrap()
    })
}

/// Every text column of every table that could hold personal data, searched for `needle`.
async fn traces(store: &Store, needle: &str) -> Vec<String> {
    let checks = [
        ("people", "full_name || ' ' || email || ' ' || COALESCE(title, '')"),
        ("mail_outbox", "recipient_email || ' ' || COALESCE(recipient_name, '') || ' ' || subject || ' ' || body_text || ' ' || body_html"),
        ("audit_log", "COALESCE(detail, '') || ' ' || COALESCE(client, '')"),
        ("auth_attempts", "scope"),
        ("sessions", "COALESCE(client, '') || ' ' || COALESCE(user_agent, '')"),
    ];
    let mut found = Vec::new();
    for (table, expr) in checks {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE lower({expr}) LIKE $1");
        let n: i64 = on_pool!(store, pool => {
            sqlx::query_scalar(&sql).bind(format!("%{}%", needle.to_lowercase())).fetch_one(pool).await.unwrap()
        });
        if n > 0 {
            found.push(format!("{table}: {n}"));
        }
    }
    found
}

crate::on_both_backends! { TestApp;

    async fn the_secretariat_adds_a_person_and_finds_them_by_filter(app) {
        let admin = app.demo(SECRETARIAT).await;
        let res = app.form("/api/admin/save_person", &[
            ("id", "0"), ("full_name", "Marta Kowalczyk"), ("email", "marta.kowalczyk@pg.demo.example"),
            ("title", "Prosecutor"), ("organisation_id", ""), ("member_state", "PL"),
        ], Some(&admin)).await;
        assert!(location(&res).starts_with("/admin/people/"), "{}", location(&res));
        let body = landing(&app, &res, &admin).await;
        assert!(body.contains("Saved."));
        assert!(body.contains("No account: this person cannot sign in."));
        let list = app.get_as("/admin/people?member_state=PL&q=kowal", Some(&admin)).await.text().await.unwrap();
        assert!(list.contains("Marta Kowalczyk"));
        assert!(list.contains("1 person matches."), "the filter narrows the list");
        let ncps = app.get_as("/admin/people?category=national_contact_point", Some(&admin)).await.text().await.unwrap();
        assert!(ncps.contains("54 people match."), "27 contact points in each of the two networks");
        assert!(!ncps.contains("Marta Kowalczyk"), "she holds no membership yet");
        assert_eq!(audit_count(&app.store, "person_created").await, 1);
    }

    async fn a_wrong_field_comes_back_with_its_message_and_the_typed_values(app) {
        let admin = app.demo(SECRETARIAT).await;
        let res = app.form("/api/admin/save_person", &[
            ("id", "0"), ("full_name", "Jan Novak"), ("email", "not an address"),
            ("title", "Judge"), ("organisation_id", ""), ("member_state", ""),
        ], Some(&admin)).await;
        assert_eq!(location(&res), "/admin/people/new#person-errors", "back to the form's error summary");
        let body = landing(&app, &res, &admin).await;
        assert!(body.contains("value=\"Jan Novak\""), "the name typed is kept");
        assert!(body.contains("value=\"not an address\""), "the wrong address is shown to correct");
        assert!(body.contains("id=\"person-email-error\""), "the message sits at the email field");
        let taken = app.form("/api/admin/save_person", &[
            ("id", "0"), ("full_name", "Someone Else"), ("email", MEMBER),
            ("title", ""), ("organisation_id", ""), ("member_state", ""),
        ], Some(&admin)).await;
        let body = landing(&app, &taken, &admin).await;
        assert!(body.contains("Another person already has this address."));
    }

    async fn an_account_is_created_disabled_and_enabled(app) {
        let admin = app.demo(SECRETARIAT).await;
        let res = app.form("/api/admin/save_person", &[
            ("id", "0"), ("full_name", "Pieter Janssens"), ("email", "pieter.janssens@be.demo.example"),
            ("title", ""), ("organisation_id", ""), ("member_state", "BE"),
        ], Some(&admin)).await;
        let id = location(&res).split('#').next().unwrap().rsplit('/').next().unwrap().to_owned();
        app.form("/api/admin/account_action", &[("person_id", &id), ("action", "create")], Some(&admin)).await;
        let mail = outbox::list(&app.store, None, None, 50, 0).await.unwrap();
        // A welcome, not a password reset: who added them, how long the link lasts,
        // whom to ask, and no "ignore this message".
        let welcome = mail.iter().find(|m| m.kind == "welcome" && m.recipient_email == "pieter.janssens@be.demo.example").expect("a welcome");
        assert!(welcome.subject == "Your Convene account", "{}", welcome.subject);
        assert!(welcome.body_text.contains("of the secretariat has created an account for you in Convene"), "{}", welcome.body_text);
        assert!(welcome.body_text.contains("within 7 days"));
        assert!(welcome.body_text.contains("write to the secretariat at "));
        assert!(!welcome.body_text.contains("ignore this"), "a new contact point is not told to ignore it");
        // Disabling ends the person's sessions and stops sign-in.
        let member = app.demo(MEMBER).await;
        let member_id = person_id(&app.store, MEMBER).await.to_string();
        // One click does not disable: the button leads to a confirmation that says
        // what happens, and the action without it is refused.
        let person_page = app.get_as(&format!("/admin/people/{member_id}"), Some(&admin)).await.text().await.unwrap();
        assert!(person_page.contains(&format!("/admin/people/{member_id}?confirm=disable")), "disable is a link to its confirmation");
        let asking = app.get_as(&format!("/admin/people/{member_id}?confirm=disable"), Some(&admin)).await.text().await.unwrap();
        assert!(asking.contains("signed out on every device"), "the confirmation says what happens");
        assert!(asking.contains(r#"name="confirmed" value="yes""#));
        let res = app.form("/api/admin/account_action", &[("person_id", &member_id), ("action", "disable")], Some(&admin)).await;
        assert!(landing(&app, &res, &admin).await.contains("Confirm first"));
        assert_eq!(audit_count(&app.store, "account_disabled").await, 0);
        app.demo(MEMBER).await;
        let res = app.form("/api/admin/account_action", &[("person_id", &member_id), ("action", "disable"), ("confirmed", "yes")], Some(&admin)).await;
        assert!(landing(&app, &res, &admin).await.contains("Account disabled"));
        assert_eq!(app.get_as("/api/account_page", Some(&member)).await.status().as_u16(), 401);
        let refused = app.form("/api/sign_in", &[("email", MEMBER), ("password", DEMO_PASSWORD)], None).await;
        assert!(session_cookie(&refused).is_none());
        app.form("/api/admin/account_action", &[("person_id", &member_id), ("action", "enable")], Some(&admin)).await;
        app.demo(MEMBER).await;
        // The secretariat cannot lock itself out.
        let own = person_id(&app.store, SECRETARIAT).await.to_string();
        let res = app.form("/api/admin/account_action", &[("person_id", &own), ("action", "disable"), ("confirmed", "yes")], Some(&admin)).await;
        assert!(landing(&app, &res, &admin).await.contains("You cannot do this to your own account"));
        assert_eq!(audit_count(&app.store, "account_disabled").await, 1);
        assert_eq!(audit_count(&app.store, "account_enabled").await, 1);
    }

    async fn memberships_are_added_checked_and_ended(app) {
        let admin = app.demo(SECRETARIAT).await;
        let observer = person_id(&app.store, OBSERVER).await.to_string();
        let network: i64 = on_pool!(app.store, pool => {
            sqlx::query_scalar("SELECT id FROM networks WHERE slug = 'thb-focus-group'").fetch_one(pool).await.unwrap()
        });
        let network = network.to_string();
        let res = app.form("/api/admin/add_membership", &[
            ("person_id", &observer), ("network_id", &network), ("category", "national_contact_point"),
            ("member_state", ""), ("active_from", "2026-01-01"), ("active_to", ""),
        ], Some(&admin)).await;
        let body = landing(&app, &res, &admin).await;
        assert!(body.contains("A National Contact Point represents a Member State"));
        let res = app.form("/api/admin/add_membership", &[
            ("person_id", &observer), ("network_id", &network), ("category", "observer"),
            ("member_state", ""), ("active_from", "2026-01-01"), ("active_to", "2025-01-01"),
        ], Some(&admin)).await;
        assert!(landing(&app, &res, &admin).await.contains("The end must come after the start."));
        let res = app.form("/api/admin/add_membership", &[
            ("person_id", &observer), ("network_id", &network), ("category", "observer"),
            ("member_state", ""), ("active_from", "2026-01-01"), ("active_to", ""),
        ], Some(&admin)).await;
        assert!(landing(&app, &res, &admin).await.contains("Membership added."));
        let s = app.demo(OBSERVER).await;
        let account = app.get_as("/account", Some(&s)).await.text().await.unwrap();
        assert!(account.contains("Focus Group of prosecutors on trafficking in human beings: Observer"));
        let mid: i64 = on_pool!(app.store, pool => {
            sqlx::query_scalar("SELECT id FROM memberships WHERE person_id = $1 AND network_id = $2")
                .bind(observer.parse::<i64>().unwrap()).bind(network.parse::<i64>().unwrap()).fetch_one(pool).await.unwrap()
        });
        app.form("/api/admin/change_membership", &[("id", &mid.to_string()), ("person_id", &observer)], Some(&admin)).await;
        let account = app.get_as("/account", Some(&s)).await.text().await.unwrap();
        assert!(account.contains("(until 1 June 2026)"), "ended today");
        assert_eq!(audit_count(&app.store, "membership_ended").await, 1);
    }

    async fn erasing_a_person_leaves_no_personal_data_behind(app) {
        let admin = app.demo(SECRETARIAT).await;
        // Give the partner some history: a session, a failed sign-in, a mailed link.
        app.demo(PARTNER).await;
        app.form("/api/sign_in", &[("email", PARTNER), ("password", "wrong password here")], None).await;
        app.form("/api/request_sign_in_link", &[("email", PARTNER)], None).await;
        app.settle().await;
        let id = person_id(&app.store, PARTNER).await;
        assert!(!traces(&app.store, PARTNER).await.is_empty(), "the fixture left traces to erase");
        let unconfirmed = app.form("/api/admin/erase_person", &[("person_id", &id.to_string())], Some(&admin)).await;
        assert!(landing(&app, &unconfirmed, &admin).await.contains("Tick the box to confirm"));
        let res = app.form("/api/admin/erase_person", &[("person_id", &id.to_string()), ("confirm", "yes")], Some(&admin)).await;
        assert_eq!(location(&res), "/admin/people#erase-notice");
        for needle in [PARTNER, "Henrik Maas", "henrik.maas"] {
            assert_eq!(traces(&app.store, needle).await, Vec::<String>::new(), "{needle} is gone");
        }
        let leftovers: (i64, i64, i64, i64) = on_pool!(app.store, pool => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM accounts WHERE person_id = $1),
                        (SELECT COUNT(*) FROM memberships WHERE person_id = $1),
                        (SELECT COUNT(*) FROM auth_tokens WHERE person_id = $1),
                        (SELECT COUNT(*) FROM sessions WHERE person_id = $1)",
            ).bind(id).fetch_one(pool).await.unwrap()
        });
        assert_eq!(leftovers, (0, 0, 0, 0));
        assert_eq!(audit_count(&app.store, "person_erased").await, 1, "the erasure itself is audited");
        let log = app.get_as("/admin/audit?action=person_erased", Some(&admin)).await.text().await.unwrap();
        assert!(log.contains(&format!("erased an erased person (number {id})")), "a sentence, and no name left");
        assert!(!log.contains(&format!(r#"href="/admin/people/{id}""#)), "no link to a page that is gone");
        // The log reads as sentences with names, and filters by name.
        let by_name = app.get_as("/admin/audit?name=visser", Some(&admin)).await.text().await.unwrap();
        assert!(by_name.contains("Femke Visser"), "entries by the secretariat member");
        assert!(!by_name.contains("event_role_added ·"), "no internal codes");
        assert_eq!(app.get_as(&format!("/admin/people/{id}"), Some(&admin)).await.status().as_u16(), 404);
        let refused = app.form("/api/sign_in", &[("email", PARTNER), ("password", DEMO_PASSWORD)], None).await;
        assert!(session_cookie(&refused).is_none());
    }

    async fn the_secretariat_exports_a_person_and_others_cannot(app) {
        let id = person_id(&app.store, CHAIR).await;
        let path = format!("/admin/people/{id}/export.json");
        assert_eq!(app.get(&path).await.status().as_u16(), 401);
        let member = app.demo(MEMBER).await;
        assert_eq!(app.get_as(&path, Some(&member)).await.status().as_u16(), 403);
        let admin = app.demo(SECRETARIAT).await;
        let json: serde_json::Value = serde_json::from_str(&app.get_as(&path, Some(&admin)).await.text().await.unwrap()).unwrap();
        assert_eq!(json["person"]["email"], CHAIR);
        assert_eq!(json["event_roles"][0]["role"], "chair");
        assert_eq!(audit_count(&app.store, "person_exported").await, 1);
    }

    async fn organisations_and_networks_are_managed_through_forms(app) {
        let admin = app.demo(SECRETARIAT).await;
        let res = app.form("/api/admin/save_organisation", &[("id", "0"), ("name", "Ministry of Justice of Ireland"), ("short_name", ""), ("kind", "national_authority"), ("country", "IRL")], Some(&admin)).await;
        assert!(landing(&app, &res, &admin).await.contains("Use at most 2 characters."));
        let res = app.form("/api/admin/save_organisation", &[("id", "0"), ("name", "Ministry of Justice of Ireland"), ("short_name", ""), ("kind", "national_authority"), ("country", "ie")], Some(&admin)).await;
        assert!(location(&res).starts_with("/admin/organisations/"));
        let list = app.get_as("/admin/organisations", Some(&admin)).await.text().await.unwrap();
        assert!(list.contains("Ministry of Justice of Ireland"));
        let res = app.form("/api/admin/save_network", &[
            ("id", "0"), ("slug", "Not A Slug"), ("name", "European Judicial Cybercrime Network"), ("short_name", "EJCN"),
            ("established", "2016"), ("summary", "Cybercrime practitioners."), ("mandate", "Cooperation."), ("priorities", "One\nTwo"), ("host_organisation_id", ""),
        ], Some(&admin)).await;
        let body = landing(&app, &res, &admin).await;
        assert!(body.contains("network-slug-error"), "the slug is refused at its field");
        assert!(body.contains("European Judicial Cybercrime Network"), "typed values kept");
        let res = app.form("/api/admin/save_network", &[
            ("id", "0"), ("slug", "ejcn"), ("name", "European Judicial Cybercrime Network"), ("short_name", "EJCN"),
            ("established", "2016"), ("summary", "Cybercrime practitioners."), ("mandate", "Cooperation."), ("priorities", "One\nTwo"), ("host_organisation_id", ""),
        ], Some(&admin)).await;
        assert!(location(&res).starts_with("/admin/networks/"));
        let public = app.get("/networks/ejcn").await.text().await.unwrap();
        assert!(public.contains("European Judicial Cybercrime Network"));
        assert!(public.contains("Two"), "priorities are listed");
        assert_eq!(audit_count(&app.store, "network_created").await, 1);
        assert_eq!(audit_count(&app.store, "organisation_created").await, 1);
    }

    async fn the_audit_log_records_sign_ins_and_is_for_the_secretariat(app) {
        app.form("/api/sign_in", &[("email", OBSERVER), ("password", "not the right one")], None).await;
        let admin = app.demo(SECRETARIAT).await;
        let log = app.get_as("/admin/audit", Some(&admin)).await.text().await.unwrap();
        assert!(log.contains("sign_in_failed"));
        assert!(log.contains("Femke Visser"), "the secretariat's own sign-in is there");
        assert!(log.contains("127.0.0.1"), "from where");
        let only_failed = app.get_as("/admin/audit?action=sign_in_failed", Some(&admin)).await.text().await.unwrap();
        assert!(log.contains("data-action=\"sign_in\""), "unfiltered, sign-ins are listed");
        assert!(only_failed.contains("data-action=\"sign_in_failed\""));
        assert!(!only_failed.contains("data-action=\"sign_in\""));
        let member = app.demo(MEMBER).await;
        assert_eq!(app.get_as("/admin/audit", Some(&member)).await.status().as_u16(), 403);
        // The database itself refuses to rewrite history.
        let deleted = on_pool!(app.store, pool => sqlx::query("DELETE FROM audit_log").execute(pool).await.is_err());
        assert!(deleted, "deleting audit entries fails");
    }
}
