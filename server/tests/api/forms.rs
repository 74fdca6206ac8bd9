//! The form round trip: a refused form comes back whole, with every error, on its
//! own page only, again on reload, until it succeeds; the notice after success is
//! shown once, on its page only, and cannot be forged.
use crate::helpers::*;

crate::on_both_backends! { TestApp;

    async fn a_refused_form_of_any_size_comes_back_whole_with_every_error(app) {
        let admin = app.demo(SECRETARIAT).await;
        let network = app.scalar("SELECT id FROM networks WHERE slug = 'ejocn'").await.to_string();
        // A long summary (kept whole) and three mistakes at once.
        let summary = "The plenary discusses drug trafficking through seaports. ".repeat(60);
        let res = app.form("/api/admin/save_event", &[
            ("id", "0"), ("network_id", &network), ("slug", ""), ("title", ""), ("kind", "plenary"),
            ("summary", summary.trim()), ("starts", "2027-10-20T09:00"), ("ends", "2027-10-19T17:00"),
            ("time_zone", "Europe/Atlantis"), ("venue", "Eurojust, The Hague"), ("online_link", ""),
            ("chair_label", ""), ("capacity", "0"), ("delegation_quota", ""),
            ("registration_opens", ""), ("registration_closes", ""),
        ], Some(&admin)).await;
        assert_eq!(location(&res), "/admin/events/new#event-errors", "lands on the error summary");
        let page = app.landing(&res, Some(&admin)).await;
        assert!(page.contains("There are 4 problems"), "every error at once");
        for (field, message) in [
            ("title", "Enter the title of the event."),
            ("time_zone", "Choose a time zone from the list"),
            ("capacity", "Enter a whole number above zero"),
        ] {
            assert!(page.contains(&format!("href=\"#event-{field}\"")), "the summary links to {field}");
            assert!(page.contains(message), "{message}");
        }
        assert!(page.contains(summary.trim()), "the 3,000-character summary came back whole");
        assert!(page.contains("value=\"Eurojust, The Hague\""));
        // A reload shows it again.
        let again = app.landing(&res, Some(&admin)).await;
        assert!(again.contains("There are 4 problems") && again.contains(summary.trim()));
    }

    async fn a_refused_form_appears_only_on_its_own_page_and_goes_once_it_succeeds(app) {
        let admin = app.demo(SECRETARIAT).await;
        let member = app.person_id(MEMBER).await;
        let partner = app.person_id(PARTNER).await;
        let res = app.form("/api/admin/save_person", &[
            ("id", &member.to_string()), ("full_name", "Typed Name"), ("email", "not an address"),
            ("title", ""), ("organisation_id", ""), ("member_state", "DE"),
        ], Some(&admin)).await;
        let (cookie, _) = set_cookie(&res, "convene_form").expect("a round trip");
        let on = |path: String| {
            let (app, admin, cookie) = (&app, &admin, &cookie);
            async move {
                app.client.get(format!("{}{path}", app.base))
                    .header("cookie", format!("convene_session={admin}; convene_form={cookie}"))
                    .send().await.unwrap().text().await.unwrap()
            }
        };
        assert!(on(format!("/admin/people/{member}")).await.contains("value=\"Typed Name\""));
        let other = on(format!("/admin/people/{partner}")).await;
        assert!(!other.contains("Typed Name") && !other.contains("There is a problem"),
            "another person's page does not show what was typed for this one");
        // The browser sends its round-trip cookie with the corrected form.
        let ok = app.client.post(format!("{}/api/admin/save_person", app.base))
            .header("origin", &app.base).header("accept", "text/html")
            .header("cookie", format!("convene_session={admin}; convene_form={cookie}"))
            .form(&[
                ("id", member.to_string().as_str()), ("full_name", "Katharina Becker"), ("email", MEMBER),
                ("title", ""), ("organisation_id", ""), ("member_state", "DE"),
            ])
            .send().await.unwrap();
        assert_eq!(location(&ok), format!("/admin/people/{member}#person-notice"));
        let after = on(format!("/admin/people/{member}")).await;
        assert!(!after.contains("Typed Name"), "the refused values are gone once the form succeeded");
        assert!(app.landing(&ok, Some(&admin)).await.contains("Saved."));
    }

    async fn the_notice_after_success_is_shown_once_on_its_page_and_cannot_be_forged(app) {
        let admin = app.demo(SECRETARIAT).await;
        let member = app.person_id(MEMBER).await;
        let rows = app.scalar("SELECT COUNT(*) FROM form_returns").await;
        let ok = app.form("/api/admin/save_person", &[
            ("id", &member.to_string()), ("full_name", "Katharina Becker"), ("email", MEMBER),
            ("title", ""), ("organisation_id", ""), ("member_state", "DE"),
        ], Some(&admin)).await;
        assert_eq!(location(&ok), format!("/admin/people/{member}#person-notice"));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM form_returns").await, rows, "a notice costs no write");
        let (cookie, attributes) = set_cookie(&ok, "convene_form").expect("the notice rides in the cookie");
        assert!(attributes.contains("HttpOnly") && attributes.contains("SameSite=Lax"), "{attributes}");
        let get = |path: String, cookie: String| {
            let (app, admin) = (&app, &admin);
            async move {
                let res = app.client.get(format!("{}{path}", app.base))
                    .header("cookie", format!("convene_session={admin}; convene_form={cookie}"))
                    .send().await.unwrap();
                let cleared = set_cookie(&res, "convene_form").is_some_and(|(v, a)| v.is_empty() && a.contains("Max-Age=0"));
                (res.text().await.unwrap(), cleared)
            }
        };
        let page = format!("/admin/people/{member}");
        let (elsewhere, _) = get("/admin/people".into(), cookie.clone()).await;
        assert!(!elsewhere.contains("Saved."), "not on another page");
        // Changed by the browser (another sentence, or a signature of its own): nothing.
        let (form, rest) = cookie.split_once('.').unwrap();
        let (payload, signature) = rest.rsplit_once('.').unwrap();
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let json = String::from_utf8(b64.decode(payload.trim_start_matches("n.")).unwrap()).unwrap();
        assert!(json.contains("Saved."), "{json}");
        let forged = b64.encode(json.replace("Saved.", "Call +00 000 to confirm your account."));
        let (shown, _) = get(page.clone(), format!("{form}.n.{forged}.{signature}")).await;
        assert!(!shown.contains("Call +00 000"), "a changed notice is not shown");
        let flipped: String = signature.chars().rev().collect();
        let (shown, _) = get(page.clone(), format!("{form}.{payload}.{flipped}")).await;
        assert!(!shown.contains("Saved."), "a wrong signature shows nothing");
        // The real one: shown on its page, and the browser is told to drop it.
        let (shown, cleared) = get(page.clone(), cookie.clone()).await;
        assert!(shown.contains("Saved."));
        assert!(cleared, "shown once: the cookie is cleared");
    }
}
