//! Public pages kept for anonymous readers (`platform::pagecache`): answered from
//! memory with a strong ETag and 304s, rendered afresh after any write to what they
//! show (in this process and in another sharing the database), and never the bytes
//! of a signed-in reader's page, or the other way round.
use crate::helpers::*;
use std::time::{Duration, Instant};

const EVENT: &str = "/networks/ejocn/events/first-plenary-meeting";

/// GET as a browser without a cookie sends it; the answer's encoding as sent (the
/// client decompresses nothing).
async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let raw = reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = raw.get(format!("{}{path}", app.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

crate::on_both_backends! { TestApp;

    async fn an_anonymous_page_is_kept_answered_304_and_rendered_afresh_after_any_write(app) {
        let first = get(&app, EVENT, &[("accept-encoding", "br")]).await;
        assert_eq!(first.status().as_u16(), 200);
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with('"'), "a strong ETag: {etag}");
        assert_eq!(first.headers()["content-encoding"], "br");
        let csp = first.headers()["content-security-policy"].to_str().unwrap().to_owned();
        // Asked again: the same page, kept.
        let again = get(&app, EVENT, &[("accept-encoding", "gzip")]).await;
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert_eq!(again.headers()["content-encoding"], "gzip");
        assert_eq!(again.headers()["content-security-policy"].to_str().unwrap(), csp, "with the headers it was rendered with");
        let body = get(&app, EVENT, &[]).await.text().await.unwrap();
        assert!(body.contains("First Plenary Meeting"), "unencoded for a client that takes no encoding");
        let not_modified = get(&app, EVENT, &[("if-none-match", &etag)]).await;
        assert_eq!(not_modified.status().as_u16(), 304);
        assert!(not_modified.bytes().await.unwrap().is_empty());
        // A change committed through the application's transactions (`Tx`, as every
        // form does) shows at the very next request, on both backends.
        let mut tx = app.store.begin().await.unwrap();
        app::on_tx!(&mut tx, conn => {
            sqlx::query("UPDATE events SET venue = 'Eurojust, Johan de Wittlaan 9' WHERE slug = 'first-plenary-meeting'")
                .execute(&mut *conn).await.unwrap();
        });
        tx.commit().await.unwrap();
        let moved = get(&app, EVENT, &[("if-none-match", &etag)]).await;
        assert_eq!(moved.status().as_u16(), 200, "the old ETag no longer matches at once");
        let etag = moved.headers()["etag"].to_str().unwrap().to_owned();
        assert!(moved.text().await.unwrap().contains("Johan de Wittlaan 9"));
        // Any write to what the page shows, whatever path it takes (here plain SQL
        // outside the application), shows at the next request: this server reads
        // the number for each request (a served `convene serve` on PostgreSQL
        // listens instead; see the two-process test below).
        app::on_pool!(app.store, pool => {
            sqlx::query("UPDATE events SET title = 'First Plenary Meeting (renamed)' WHERE slug = 'first-plenary-meeting'")
                .execute(pool).await.unwrap();
        });
        let after = get(&app, EVENT, &[("if-none-match", &etag)]).await;
        assert_eq!(after.status().as_u16(), 200, "the old ETag no longer matches");
        assert_ne!(after.headers()["etag"].to_str().unwrap(), etag);
        assert!(after.text().await.unwrap().contains("First Plenary Meeting (renamed)"));
        // A write elsewhere (a registration) changes nothing public: the page stays kept.
        let kept = get(&app, EVENT, &[]).await.headers()["etag"].to_str().unwrap().to_owned();
        app::on_pool!(app.store, pool => {
            sqlx::query("UPDATE registrations SET dietary = 'vegetarian' WHERE id = (SELECT MIN(id) FROM registrations)")
                .execute(pool).await.unwrap();
        });
        assert_eq!(get(&app, EVENT, &[]).await.headers()["etag"].to_str().unwrap(), kept);
        // A page that does not exist is never kept.
        assert_eq!(get(&app, "/networks/ejocn/events/no-such-event", &[]).await.status().as_u16(), 404);
    }

    async fn a_signed_in_reader_and_an_anonymous_one_never_get_each_others_page(app) {
        let member = app.demo(MEMBER).await;
        let mut anonymous_tags = std::collections::HashSet::new();
        for round in 0..12 {
            for path in ["/", "/networks/ejocn", EVENT, &format!("{EVENT}/agenda"), "/networks/ejocn/events/launch-event/report"] {
                let signed = app.get_as(path, Some(&member)).await;
                assert_eq!(signed.status().as_u16(), 200, "{path}");
                assert!(signed.headers().get("etag").is_none(), "{path}: a signed-in page is not kept");
                let signed = signed.text().await.unwrap();
                assert!(signed.contains("Katharina Becker"), "round {round} {path}: the member's own page");
                let anon = get(&app, path, &[]).await;
                assert_eq!(anon.status().as_u16(), 200, "{path}");
                assert!(anon.headers().get("set-cookie").is_none());
                anonymous_tags.insert(anon.headers()["etag"].to_str().unwrap().to_owned());
                let anon = anon.text().await.unwrap();
                assert!(!anon.contains("Katharina Becker") && anon.contains("Sign in"), "round {round} {path}: anyone's page");
            }
        }
        assert_eq!(anonymous_tags.len(), 5, "each anonymous page was rendered once and kept");
        // A guest's link and a form's round trip are cookies of ours too.
        let first = app.event_id("first-plenary-meeting").await;
        let token = guest_link(&app, OBSERVER, first).await;
        let guest = get(&app, EVENT, &[("cookie", &format!("convene_guest={token}"))]).await;
        assert!(guest.headers().get("etag").is_none(), "a guest's page is not kept");
    }
}

#[tokio::test]
async fn an_edit_through_one_process_is_seen_through_another_sharing_postgresql() {
    let Some(two) = TwoServers::start().await else {
        return;
    };
    let (base_a, base_b, client) = (two.a.as_str(), two.b.as_str(), &two.client);
    let page = |base: &str| client.get(format!("{base}/networks/ejocn")).send();
    let kept = page(base_b).await.unwrap();
    let etag = kept.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(
        page(base_b).await.unwrap().headers()["etag"]
            .to_str()
            .unwrap(),
        etag,
        "kept in B"
    );
    // The secretariat changes the network's summary through A.
    let session = two.sign_in(SECRETARIAT).await;
    let saved = client
        .post(format!("{base_a}/api/admin/save_network"))
        .header("origin", base_a)
        .header("cookie", format!("convene_session={session}"))
        .form(&[
            ("id", "1"),
            ("name", "European Judicial Organised Crime Network"),
            ("short_name", "EJOCN"),
            ("established", "Established at Eurojust in 2024."),
            ("summary", "A summary changed through the first process."),
            ("mandate", "Judicial cooperation against organised crime."),
            ("priorities", ""),
            ("host_organisation_id", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        saved.status().is_success() || saved.status().is_redirection(),
        "{}: {}",
        saved.status(),
        saved.text().await.unwrap()
    );
    // B answers with the new page within a second (its listener hears the commit).
    let t = Instant::now();
    let fresh = loop {
        let fresh = page(base_b).await.unwrap();
        if fresh.headers()["etag"].to_str().unwrap() != etag || t.elapsed() > Duration::from_secs(1)
        {
            break fresh;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    assert_ne!(
        fresh.headers()["etag"].to_str().unwrap(),
        etag,
        "B still answers the old page after a second"
    );
    assert!(fresh
        .text()
        .await
        .unwrap()
        .contains("A summary changed through the first process."));
}
