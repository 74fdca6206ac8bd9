//! The defects of the security review (issue 8), each tried the way an attacker
//! would, through the real server, on both backends.
use crate::accounts::mailed_link;
use crate::helpers::*;
use app::on_pool;
use app::platform::mail::outbox;
use app::platform::Store;

async fn scalar(store: &Store, sql: &str) -> i64 {
    on_pool!(store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

async fn exec(store: &Store, sql: &str, binds: &[&str]) {
    on_pool!(store, pool => {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(pool).await.unwrap();
    });
}

async fn person_id(store: &Store, email: &str) -> i64 {
    on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM people WHERE lower(email) = lower($1)")
            .bind(email).fetch_one(pool).await.unwrap()
    })
}

/// The text of the page's `<title>`, and how many title elements the page has.
fn title_of(body: &str) -> (String, usize) {
    let count = body.matches("<title>").count();
    let start = body.find("<title>").expect("a title") + "<title>".len();
    let end = body[start..].find("</title>").expect("a closed title") + start;
    (body[start..end].to_owned(), count)
}

/// The page's `<head>`.
fn head_of(body: &str) -> &str {
    let end = body.find("</head>").expect("a head");
    &body[..end]
}

const HOSTILE_TITLE: &str = "Katharina</title><meta http-equiv=\"refresh\" content=\"0;url=https://attacker.example/\"><form action=/api/admin/account_action>";

crate::on_both_backends! { TestApp;

    async fn markup_in_stored_names_and_titles_reaches_every_head_as_text(app) {
        // A contact point writes markup into their own name through the account page.
        let member = app.demo(MEMBER).await;
        let res = app.form("/api/update_own_details", &[("full_name", HOSTILE_TITLE), ("title", "")], Some(&member)).await;
        assert_eq!(location(&res), "/account#details-notice");
        // Titles and descriptions of the public pages hold markup too (stored by an
        // earlier version, an import, or a careless edit).
        exec(&app.store, "UPDATE events SET title = $1 WHERE slug = 'plenary-meeting-spring-2027'", &[HOSTILE_TITLE]).await;
        exec(&app.store, "UPDATE networks SET name = $1, summary = $2 WHERE slug = 'ejocn'",
            &[HOSTILE_TITLE, "Summary\"></textarea><script>alert(1)</script>"]).await;
        exec(&app.store, "UPDATE organisations SET name = $1 WHERE id = (SELECT MIN(id) FROM organisations)", &[HOSTILE_TITLE]).await;
        let member_id = person_id(&app.store, MEMBER).await;
        let event_id = scalar(&app.store, "SELECT id FROM events WHERE slug = 'plenary-meeting-spring-2027'").await;
        let network_id = scalar(&app.store, "SELECT id FROM networks WHERE slug = 'ejocn'").await;
        let org_id = scalar(&app.store, "SELECT MIN(id) FROM organisations").await;
        let admin = app.demo(SECRETARIAT).await;
        let pages = [
            format!("/admin/people/{member_id}"),
            format!("/admin/events/{event_id}"),
            format!("/admin/networks/{network_id}"),
            format!("/admin/organisations/{org_id}"),
            "/networks/ejocn".to_owned(),
            "/networks/ejocn/events/plenary-meeting-spring-2027".to_owned(),
            "/".to_owned(),
        ];
        for page in pages {
            let res = app.get_as(&page, Some(&admin)).await;
            assert_eq!(res.status().as_u16(), 200, "{page}");
            let body = res.text().await.unwrap();
            let head = head_of(&body);
            let (title, titles) = title_of(&body);
            assert_eq!(titles, 1, "{page}: one title element");
            assert!(!title.contains('<') && !title.contains('>'), "{page}: markup in the title: {title}");
            assert!(!head.contains("<meta http-equiv"), "{page}: a live meta refresh in the head");
            assert!(!body.contains("<form action=/api/admin/account_action"), "{page}: a live form");
            assert!(!body.contains("<script>alert(1)"), "{page}: a live script");
            if page.starts_with("/admin/people/") {
                assert!(title.contains("Katharina&lt;/title&gt;"), "{page}: the name is shown as text: {title}");
            }
        }
        let network = app.get("/networks/ejocn").await.text().await.unwrap();
        assert!(head_of(&network).contains("content=\"Summary&quot;&gt;&lt;/textarea&gt;"), "the description is an escaped attribute");
        let form = app.get_as(&format!("/admin/networks/{network_id}"), Some(&admin)).await.text().await.unwrap();
        assert!(form.contains("Summary&quot;&gt;&lt;/textarea&gt;&lt;script&gt;"), "a text area shows stored markup as text");
    }

    async fn mailed_links_never_follow_the_host_header(app) {
        // An attacker's Host and a matching Origin: refused as cross-origin.
        let res = app.client.post(format!("{}/api/request_password_link", app.base))
            .header("host", "evil.example")
            .header("origin", "http://evil.example")
            .header("accept", "text/html")
            .form(&[("email", MEMBER)])
            .send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403, "an origin built from the Host header is not the site's");
        // A genuine request that also claims another Host: the link uses the
        // address Convene listens on.
        let res = app.client.post(format!("{}/api/request_password_link", app.base))
            .header("host", "evil.example")
            .header("origin", &app.base)
            .header("accept", "text/html")
            .form(&[("email", MEMBER)])
            .send().await.unwrap();
        assert_eq!(res.status().as_u16(), 302);
        let link = mailed_link(&app, MEMBER, "password_link").await;
        assert!(link.starts_with(&format!("{}/account/password?token=", app.base)), "{link}");
        assert!(!link.contains("evil"));
    }

    async fn sign_in_never_redirects_to_another_site(app) {
        for next in ["/\t/evil.example/", "//evil.example/", "/\\evil.example", "https://evil.example/", "/\n/evil.example"] {
            let res = app.form("/api/sign_in", &[("email", MEMBER), ("password", DEMO_PASSWORD), ("next", next)], None).await;
            assert_eq!(res.status().as_u16(), 302, "{next:?}");
            assert_eq!(location(&res), "/account", "{next:?}");
        }
        let res = app.form("/api/sign_in", &[("email", MEMBER), ("password", DEMO_PASSWORD), ("next", "/networks/ejocn?x=1")], None).await;
        assert_eq!(location(&res), "/networks/ejocn?x=1", "a page of the site is kept");
    }

    async fn the_mail_log_and_the_database_never_hold_a_live_sign_in_link(app) {
        app.form("/api/request_sign_in_link", &[("email", PARTNER)], None).await;
        let link = mailed_link(&app, PARTNER, "sign_in_link").await;
        let token = link.split("token=").nth(1).unwrap().to_owned();
        let row = outbox::list(&app.store, None, None, 10, 0).await.unwrap().into_iter().find(|r| r.kind == "sign_in_link").unwrap();
        assert!(!row.body_text.contains(&token) && !row.body_html.contains(&token), "the stored message holds no token");
        let admin = app.demo(SECRETARIAT).await;
        let page = app.get_as(&format!("/admin/mail/{}", row.id), Some(&admin)).await.text().await.unwrap();
        assert!(!page.contains(&token), "the mail log shows no token");
        assert!(page.contains("personal-token-hidden"), "and says it is hidden");
        // Resending issues a fresh token: the secretariat still never sees one.
        let res = app.form("/api/admin/resend_mail", &[("id", &row.id.to_string())], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 302);
        let again = outbox::list(&app.store, None, None, 10, 0).await.unwrap().into_iter().find(|r| r.resend_of == Some(row.id)).unwrap();
        let fresh = again.secret.clone().expect("a fresh token waits for delivery");
        assert_ne!(fresh, token);
        assert!(!again.body_text.contains(&fresh));
        // The original link still signs in once; the fresh one does too.
        for t in [&token, &fresh] {
            let res = app.form("/api/use_sign_in_link", &[("token", t)], None).await;
            assert!(session_cookie(&res).is_some());
        }
    }

    async fn a_flood_of_refused_sign_ins_is_one_audit_entry_and_huge_addresses_store_nothing(app) {
        let admin = app.demo(SECRETARIAT).await;
        let huge = format!("{}@flood.example", "a".repeat(300));
        let before = scalar(&app.store, "SELECT COUNT(*) FROM audit_log").await;
        let res = app.form("/api/sign_in", &[("email", &huge), ("password", "whatever whatever")], None).await;
        assert!(app.returned_form(&res).await.contains("at most 254 characters"), "refused at the field");
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM audit_log").await, before, "nothing audited");
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM auth_attempts").await, 0, "nothing counted");
        for _ in 0..25 {
            app.form("/api/sign_in", &[("email", OBSERVER), ("password", "wrong wrong wrong")], None).await;
        }
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'").await, 5);
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_refused'").await, 1, "one entry");
        assert_eq!(scalar(&app.store, "SELECT CAST(MAX(occurrences) AS BIGINT) FROM audit_log WHERE action = 'sign_in_refused'").await, 20, "with a count");
        let log = app.get_as("/admin/audit?action=sign_in_refused", Some(&admin)).await.text().await.unwrap();
        assert!(log.contains("20 times"), "the audit log shows the count");
        let longest = scalar(&app.store, "SELECT CAST(MAX(LENGTH(detail)) AS BIGINT) FROM audit_log").await;
        assert!(longest <= 500, "every detail is bounded: {longest}");
    }

    async fn concurrent_guesses_cannot_outrun_the_rate_limit(app) {
        let guesses = (0..12).map(|i| {
            let app = &app;
            async move {
                app.form("/api/sign_in", &[("email", OBSERVER), ("password", &format!("guess number {i} wrong"))], None).await
            }
        });
        futures::future::join_all(guesses).await;
        let checked = scalar(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in_failed'").await;
        assert!(checked <= 5, "at most the limit reaches the password check, however many race: {checked}");
        // The owner of the address still gets in with an emailed link.
        let res = app.form("/api/sign_in", &[("email", OBSERVER), ("password", DEMO_PASSWORD)], None).await;
        assert!(session_cookie(&res).is_none(), "password sign-in is throttled for the address");
        app.form("/api/request_sign_in_link", &[("email", OBSERVER)], None).await;
        let link = mailed_link(&app, OBSERVER, "sign_in_link").await;
        let token = link.split("token=").nth(1).unwrap();
        let res = app.form("/api/use_sign_in_link", &[("token", token)], None).await;
        assert!(session_cookie(&res).is_some(), "the emailed link still works");
    }

    async fn addresses_that_differ_only_in_case_are_one_person(app) {
        let admin = app.demo(SECRETARIAT).await;
        let res = app.form("/api/admin/save_person", &[
            ("id", "0"), ("full_name", "K. Becker"), ("email", "Katharina.Becker@EJOCN.demo.example"),
            ("title", ""), ("organisation_id", ""), ("member_state", "DE"),
        ], Some(&admin)).await;
        assert!(app.returned_form(&res).await.contains("Another person already has this address."));
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM people WHERE lower(email) = 'katharina.becker@ejocn.demo.example'").await, 1);
        // Nor can a rename make two of them.
        let other = person_id(&app.store, PARTNER).await;
        let res = app.form("/api/admin/save_person", &[
            ("id", &other.to_string()), ("full_name", "Henrik Maas"), ("email", "KATHARINA.BECKER@ejocn.demo.example"),
            ("title", ""), ("organisation_id", ""), ("member_state", ""),
        ], Some(&admin)).await;
        assert!(app.returned_form(&res).await.contains("Another person already has this address."));
    }

    async fn erasure_follows_the_person_not_the_address_of_the_day(app) {
        let admin = app.demo(SECRETARIAT).await;
        let id = person_id(&app.store, OBSERVER).await;
        // A link mailed to the old address, then the address changes.
        app.form("/api/request_sign_in_link", &[("email", OBSERVER)], None).await;
        app.settle().await;
        let res = app.form("/api/admin/save_person", &[
            ("id", &id.to_string()), ("full_name", "Isabelle Laurent"), ("email", "i.laurent@commission.demo.example"),
            ("title", ""), ("organisation_id", ""), ("member_state", ""),
        ], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 302);
        // Someone whose address differs by one character that LIKE would match.
        exec(&app.store, "INSERT INTO audit_log (at, action, detail) VALUES ('2026-06-01T10:00:00Z', 'note', 'about iXlaurent@commission.demo.example')", &[]).await;
        let res = app.form("/api/admin/erase_person", &[("person_id", &id.to_string()), ("confirm", "yes")], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 302);
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM mail_outbox WHERE lower(recipient_email) LIKE '%laurent%' OR lower(body_text) LIKE '%laurent%'").await, 0,
            "mail to the earlier address is erased too");
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%iXlaurent%'").await, 1,
            "an address that only matches an unescaped pattern is left alone");
        assert_eq!(scalar(&app.store, &format!("SELECT COUNT(*) FROM people WHERE id = {id} AND erased_at IS NOT NULL")).await, 1);
    }

    async fn erasure_cannot_be_blocked_and_an_erased_person_is_left_alone(app) {
        let admin = app.demo(SECRETARIAT).await;
        let member = person_id(&app.store, MEMBER).await;
        // The placeholder domain is refused at the field.
        let res = app.form("/api/admin/save_person", &[
            ("id", &member.to_string()), ("full_name", "Katharina Becker"), ("email", "erased-65@erased.invalid"),
            ("title", ""), ("organisation_id", ""), ("member_state", "DE"),
        ], Some(&admin)).await;
        assert!(app.returned_form(&res).await.contains(".invalid"));
        // Even a placeholder-looking address already in the database blocks nothing.
        let chair = person_id(&app.store, CHAIR).await;
        exec(&app.store, &format!("UPDATE people SET email = 'erased-{member}@erased.invalid' WHERE id = {chair}"), &[]).await;
        app.form("/api/request_sign_in_link", &[("email", PARTNER)], None).await;
        app.settle().await;
        let res = app.form("/api/admin/erase_person", &[("person_id", &member.to_string()), ("confirm", "yes")], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 302, "erased despite the look-alike address");
        assert_eq!(scalar(&app.store, &format!("SELECT COUNT(*) FROM people WHERE id = {member} AND erased_at IS NOT NULL")).await, 1);
        // No action applies to an erased person any more.
        let res = app.form("/api/admin/account_action", &[("person_id", &member.to_string()), ("action", "create")], Some(&admin)).await;
        assert_ne!(res.status().as_u16(), 302, "no account for an erased person");
        assert_eq!(app.get_as(&format!("/admin/people/{member}"), Some(&admin)).await.status().as_u16(), 404);
        let event = scalar(&app.store, "SELECT id FROM events WHERE slug = 'plenary-meeting-spring-2027'").await;
        let placeholder: String = on_pool!(app.store, pool => {
            sqlx::query_scalar("SELECT email FROM people WHERE id = $1").bind(member).fetch_one(pool).await.unwrap()
        });
        let res = app.form("/api/admin/add_event_person", &[("event_id", &event.to_string()), ("email", &placeholder), ("role", "chair")], Some(&admin)).await;
        assert!(app.returned_form(&res).await.contains("email"), "no role for an erased person");
        assert_eq!(scalar(&app.store, &format!("SELECT COUNT(*) FROM event_roles WHERE person_id = {member}")).await, 0);
        // Their old mail cannot be sent again.
        exec(&app.store, &format!("UPDATE mail_outbox SET person_id = {member} WHERE kind = 'sign_in_link'"), &[]).await;
        let mail = scalar(&app.store, "SELECT MIN(id) FROM mail_outbox WHERE kind = 'sign_in_link'").await;
        let res = app.form("/api/admin/resend_mail", &[("id", &mail.to_string())], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 409);
    }

    async fn a_secretariat_membership_alone_does_not_show_drafts(app) {
        exec(&app.store, "UPDATE events SET status = 'draft' WHERE slug = 'plenary-meeting-spring-2027'", &[]).await;
        let member = person_id(&app.store, MEMBER).await;
        let network = scalar(&app.store, "SELECT id FROM networks WHERE slug = 'ejocn'").await;
        on_pool!(app.store, pool => {
            sqlx::query("INSERT INTO memberships (network_id, person_id, category, created_at) VALUES ($1, $2, 'secretariat', $3)")
                .bind(network).bind(member).bind(test_clock().now()).execute(pool).await.unwrap();
        });
        let s = app.demo(MEMBER).await;
        assert_eq!(app.get_as("/networks/ejocn/events/plenary-meeting-spring-2027", Some(&s)).await.status().as_u16(), 404,
            "only the secretariat's rights on the account show drafts");
        assert_eq!(app.get_as("/admin", Some(&s)).await.status().as_u16(), 403);
    }

    async fn unused_links_die_when_the_password_or_address_changes_or_the_account_is_disabled(app) {
        let admin = app.demo(SECRETARIAT).await;
        let link_for = |who: &'static str| {
            let app = &app;
            async move {
                app.form("/api/request_sign_in_link", &[("email", who)], None).await;
                let link = mailed_link(app, who, "sign_in_link").await;
                link.split("token=").nth(1).unwrap().to_owned()
            }
        };
        let works = |token: String| {
            let app = &app;
            async move { session_cookie(&app.form("/api/use_sign_in_link", &[("token", &token)], None).await).is_some() }
        };
        // A password change.
        let token = link_for(MEMBER).await;
        let s = app.demo(MEMBER).await;
        let new = "quiet harbour lamp 7781";
        app.form("/api/change_password", &[("current", DEMO_PASSWORD), ("password", new), ("confirm", new)], Some(&s)).await;
        assert!(!works(token).await, "after a password change");
        // An address change.
        let token = link_for(PARTNER).await;
        let partner = person_id(&app.store, PARTNER).await;
        app.form("/api/admin/save_person", &[
            ("id", &partner.to_string()), ("full_name", "Henrik Maas"), ("email", "h.maas@europol.demo.example"),
            ("title", ""), ("organisation_id", ""), ("member_state", ""),
        ], Some(&admin)).await;
        assert!(!works(token).await, "after an address change");
        // A disable and re-enable.
        let token = link_for(OBSERVER).await;
        let observer = person_id(&app.store, OBSERVER).await;
        for action in ["disable", "enable"] {
            app.form("/api/admin/account_action", &[("person_id", &observer.to_string()), ("action", action), ("confirmed", "yes")], Some(&admin)).await;
        }
        assert!(!works(token).await, "after a disable and enable");
    }

    async fn link_requests_do_the_same_work_for_known_and_unknown_addresses(app) {
        for email in [OBSERVER, "nobody@nowhere.example"] {
            let res = app.form("/api/request_sign_in_link", &[("email", email)], None).await;
            assert_eq!(res.status().as_u16(), 302);
        }
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM jobs WHERE kind = 'send_link'").await, 2,
            "each request queued one job, and the request did nothing else");
        app.settle().await;
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM mail_outbox WHERE kind <> 'report'").await, 1, "one message, to the account (the demo's report went out in 2025)");
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM jobs WHERE payload <> '{}'").await, 0, "done jobs keep no address");
    }

    async fn text_that_is_not_text_is_refused_at_its_field(app) {
        let s = app.demo(MEMBER).await;
        for (name, why) in [
            ("Katharina\r\nURGENT: confirm your account at https://attacker.example", "line breaks"),
            ("Kath\u{0}arina", "NUL"),
            ("\u{200B}", "only a zero-width space"),
            ("Katharina\u{202E}renkceB", "a bidi override"),
        ] {
            let res = app.form("/api/update_own_details", &[("full_name", name), ("title", "")], Some(&s)).await;
            assert_eq!(res.status().as_u16(), 302, "{why}: {:?}", res.headers());
            let text = app.returned_form(&res).await;
            assert!(text.contains("full_name"), "{why}: {text}");
        }
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM people WHERE full_name LIKE '%URGENT%'").await, 0);
        let admin = app.demo(SECRETARIAT).await;
        let res = app.form("/api/admin/save_person", &[
            ("id", "0"), ("full_name", "Anna"), ("email", "anna\u{202E}@prokuratura.demo.example"),
            ("title", ""), ("organisation_id", ""), ("member_state", ""),
        ], Some(&admin)).await;
        assert!(app.returned_form(&res).await.contains("invisible"), "bidi in an address");
        let network = scalar(&app.store, "SELECT id FROM networks WHERE slug = 'ejocn'").await;
        let huge = "Drug trafficking through seaports\n".repeat(45_000);
        let res = app.form("/api/admin/save_network", &[
            ("id", &network.to_string()), ("name", "European Judicial Organised Crime Network"), ("short_name", "EJOCN"),
            ("established", "2024"), ("summary", "A network."), ("mandate", "The mandate."),
            ("priorities", &huge), ("host_organisation_id", ""),
        ], Some(&admin)).await;
        assert!(app.returned_form(&res).await.contains("priorities"), "1.6 MB of priorities refused");
        assert!(scalar(&app.store, "SELECT CAST(MAX(LENGTH(priorities)) AS BIGINT) FROM networks").await < 10_000);
    }
}

mod https {
    use super::*;

    crate::on_both_backends! { HttpsApp;

        async fn the_round_trip_cookie_is_secure_over_https(app) {
            let res = app.client.post(format!("{}/api/sign_in", app.base))
                .header("origin", PUBLIC_URL)
                .header("accept", "text/html")
                .form(&[("email", MEMBER), ("password", "wrong wrong wrong")])
                .send().await.unwrap();
            let (_, header) = set_cookie(&res, "convene_form").expect("a refused form comes back");
            assert!(header.contains("; Secure"), "{header}");
            assert!(set_cookie(&res, "convene_session").is_none());
        }
    }
}

mod proxied {
    use super::*;

    crate::on_both_backends! { ProxiedApp;

        async fn an_ipv6_client_is_limited_by_its_64_block(app) {
            for (i, client) in ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"].iter().enumerate() {
                app.client.post(format!("{}/api/sign_in", app.base))
                    .header("origin", &app.base)
                    .header("x-forwarded-for", *client)
                    .form(&[("email", format!("nobody{i}@nowhere.example")), ("password", "not the password".into())])
                    .send().await.unwrap();
            }
            assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM auth_attempts WHERE scope = 'password-client:2001:db8:1:2::/64'").await, 3);
        }
    }
}

/// Migrating a database where two people's addresses differ only in case names
/// them and changes nothing.
async fn case_clashes_are_reported_before_migrating(kind: Kind) {
    let Some((url, _dir)) = fresh_database(kind).await else {
        return;
    };
    let store = Store::connect(&url).await.unwrap();
    let keep = |m: &sqlx::migrate::Migration| m.version <= 3;
    match store.backend() {
        app::platform::Backend::Sqlite(pool) => {
            let mut m = sqlx::migrate!("../migrations/sqlite");
            m.migrations = m
                .migrations
                .iter()
                .filter(|x| keep(x))
                .cloned()
                .collect::<Vec<_>>()
                .into();
            m.run(pool).await.unwrap();
        }
        app::platform::Backend::Postgres(pool) => {
            let mut m = sqlx::migrate!("../migrations/postgres");
            m.migrations = m
                .migrations
                .iter()
                .filter(|x| keep(x))
                .cloned()
                .collect::<Vec<_>>()
                .into();
            m.run(pool).await.unwrap();
        }
    }
    for (name, email) in [
        ("Alice", "Alice@x.eu"),
        ("Alice again", "alice@x.eu"),
        ("Bob", "bob@x.eu"),
    ] {
        on_pool!(store, pool => {
            sqlx::query("INSERT INTO people (full_name, email, created_at, updated_at) VALUES ($1, $2, $3, $3)")
                .bind(name).bind(email).bind(test_clock().now()).execute(pool).await.unwrap();
        });
    }
    let err = format!("{:#}", store.migrate().await.unwrap_err());
    assert!(
        err.contains("people share an address: alice@x.eu (people 1, 2)"),
        "{err}"
    );
    assert!(!err.contains("bob"), "{err}");
    assert_eq!(
        scalar(&store, "SELECT COUNT(*) FROM people").await,
        3,
        "nothing merged"
    );
}

#[tokio::test]
async fn sqlite_case_clashes_are_reported_before_migrating() {
    case_clashes_are_reported_before_migrating(Kind::Sqlite).await;
}

#[tokio::test]
async fn postgres_case_clashes_are_reported_before_migrating() {
    case_clashes_are_reported_before_migrating(Kind::Postgres).await;
}
