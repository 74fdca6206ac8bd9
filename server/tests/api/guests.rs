//! Guests with a personal link, through the real server, on both backends.
use crate::helpers::*;
use app::on_pool;
use app::platform::Store;

async fn event_id(store: &Store, slug: &str) -> i64 {
    on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM events WHERE slug = $1").bind(slug).fetch_one(pool).await.unwrap()
    })
}

crate::on_both_backends! { TestApp;

    async fn a_personal_link_lets_its_guest_in_for_its_event_only(app) {
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        let token = guest_link(&app, PARTNER, spring).await;
        let stored: i64 = on_pool!(app.store, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM guest_links WHERE token_hash = $1").bind(&token).fetch_one(pool).await.unwrap()
        });
        assert_eq!(stored, 0, "only the hash is stored");
        let res = app.get(&format!("/guest/{token}")).await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(location(&res), format!("/guest/events/{spring}"), "the token leaves the address bar");
        let (cookie, header) = set_cookie(&res, "convene_guest").expect("the link is kept in a cookie");
        assert!(header.contains("HttpOnly") && header.contains("SameSite=Lax"), "{header}");
        assert_eq!(cookie, token);
        let page = app.client.get(format!("{}/guest/events/{spring}", app.base))
            .header("cookie", format!("convene_guest={token}")).send().await.unwrap();
        assert_eq!(page.status().as_u16(), 200);
        let body = page.text().await.unwrap();
        assert!(body.contains("personal link of Henrik Maas"), "the guest is named");
        assert!(body.contains("accept or decline"), "and what the link allows");
        // The same browser gets nothing else: no account, no other event.
        let other = event_id(&app.store, "first-plenary-meeting").await;
        let res = app.client.get(format!("{}/guest/events/{other}", app.base))
            .header("cookie", format!("convene_guest={token}")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 403);
        let res = app.client.get(format!("{}/api/account_page", app.base))
            .header("cookie", format!("convene_guest={token}")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 401, "a guest has no account");
        let res = app.client.get(format!("{}/admin", app.base))
            .header("cookie", format!("convene_guest={token}")).send().await.unwrap();
        assert_eq!(res.status().as_u16(), 401);
    }

    async fn a_revoked_expired_or_erased_link_answers_404_like_an_unknown_one(app) {
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        let unknown = app.get("/guest/no-such-token").await;
        assert_eq!(unknown.status().as_u16(), 404);
        let unknown_body = unknown.text().await.unwrap();
        let revoked = guest_link(&app, PARTNER, spring).await;
        let expired = guest_link(&app, MEMBER, spring).await;
        let erased = guest_link(&app, OBSERVER, spring).await;
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE guest_links SET revoked_at = $1 WHERE person_id = (SELECT id FROM people WHERE email = $2)")
                .bind(test_clock().now()).bind(PARTNER).execute(pool).await.unwrap();
            sqlx::query("UPDATE guest_links SET expires_at = $1 WHERE person_id = (SELECT id FROM people WHERE email = $2)")
                .bind(test_clock().now()).bind(MEMBER).execute(pool).await.unwrap();
        });
        let admin = app.demo(SECRETARIAT).await;
        let observer: i64 = on_pool!(app.store, pool => {
            sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(OBSERVER).fetch_one(pool).await.unwrap()
        });
        app.form("/api/admin/erase_person", &[("person_id", &observer.to_string()), ("confirm", "yes")], Some(&admin)).await;
        for token in [revoked, expired, erased] {
            let res = app.get(&format!("/guest/{token}")).await;
            assert_eq!(res.status().as_u16(), 404);
            assert!(set_cookie(&res, "convene_guest").is_none());
            assert_eq!(res.text().await.unwrap(), unknown_body, "the same answer as for a link that never existed");
            let page = app.client.get(format!("{}/guest/events/{spring}", app.base))
                .header("cookie", format!("convene_guest={token}")).send().await.unwrap();
            assert_eq!(page.status().as_u16(), 401, "and the cookie no longer works either");
        }
    }

    // Links opened at the same moment are looked up together (one read for all):
    // each guest still gets their own identity, and a dead link among them none.
    async fn guests_opening_their_pages_at_the_same_moment_each_see_only_themselves(app) {
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        let mut live = Vec::new();
        for (email, name) in [(PARTNER, "Henrik Maas"), (MEMBER, "Katharina Becker"), (CHAIR, "Aoife Byrne")] {
            live.push((guest_link(&app, email, spring).await, name));
        }
        let revoked = guest_link(&app, OBSERVER, spring).await;
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE guest_links SET revoked_at = $1 WHERE person_id = (SELECT id FROM people WHERE email = $2)")
                .bind(test_clock().now()).bind(OBSERVER).execute(pool).await.unwrap();
        });
        let page = |token: String| {
            let app = &app;
            async move {
                let res = app.client.get(format!("{}/guest/events/{spring}", app.base))
                    .header("cookie", format!("convene_guest={token}")).send().await.unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            }
        };
        let mut asked = Vec::new();
        for _ in 0..8 {
            for (token, name) in &live {
                asked.push((page(token.clone()), Some(*name)));
            }
            asked.push((page(revoked.clone()), None));
        }
        let (pages, expected): (Vec<_>, Vec<_>) = asked.into_iter().unzip();
        let answers = futures::future::join_all(pages).await;
        for ((status, body), name) in answers.into_iter().zip(expected) {
            match name {
                Some(name) => {
                    assert_eq!(status, 200);
                    assert!(body.contains(&format!("personal link of {name}")), "{name} sees their own page");
                    for (_, other) in live.iter().filter(|(_, n)| *n != name) {
                        assert!(!body.contains(other), "{name} never sees {other}");
                    }
                }
                None => assert_eq!(status, 401, "a revoked link opens nothing, even among live ones"),
            }
        }
    }

    async fn forgetting_a_link_clears_it_from_the_browser(app) {
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        let token = guest_link(&app, PARTNER, spring).await;
        let res = app.client.post(format!("{}/api/forget_guest_link", app.base))
            .header("origin", &app.base).header("accept", "text/html")
            .header("cookie", format!("convene_guest={token}"))
            .send().await.unwrap();
        assert_eq!(res.status().as_u16(), 302);
        assert_eq!(set_cookie(&res, "convene_guest").map(|(v, _)| v).as_deref(), Some(""));
    }
}

mod https {
    use super::*;

    crate::on_both_backends! { HttpsApp;

        async fn over_https_the_guest_cookie_is_host_only_and_secure(app) {
            let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
            let token = guest_link(&app, PARTNER, spring).await;
            let res = app.get(&format!("/guest/{token}")).await;
            let (_, header) = set_cookie(&res, "__Host-convene_guest").expect("a __Host- cookie");
            assert!(header.contains("; Secure") && header.contains("Path=/"), "{header}");
        }
    }
}
