//! The real server on port 0, fetched over HTTP, on both backends.
use crate::helpers::TestApp;

crate::on_both_backends! { TestApp;

    async fn the_home_page_lists_both_networks_and_only_the_upcoming_public_event(app) {
        let (status, body) = app.page("/").await;
        assert_eq!(status, 200);
        assert!(body.contains("European Judicial Organised Crime Network"));
        assert!(body.contains("Focus Group of prosecutors on trafficking in human beings"));
        assert!(body.contains("Plenary Meeting, spring 2027"));
        assert!(body.contains("17–18 March 2027"));
        // Past events belong on the network pages, drafts nowhere.
        assert!(!body.contains("EJOCN launch event"));
        assert!(!body.contains("annual meeting 2027"));
        assert!(body.contains(r#"<main id="main""#), "main landmark");
        assert!(body.contains(r#"lang="en""#));
    }

    async fn the_network_page_shows_mandate_priorities_membership_and_events(app) {
        let (status, body) = app.page("/networks/ejocn").await;
        assert_eq!(status, 200);
        assert!(body.contains("<title>European Judicial Organised Crime Network — Convene</title>"));
        assert!(body.contains("seaports"));
        assert!(body.contains("National Contact Points"));
        for state in ["Belgium", "Poland", "Sweden", "Greece"] {
            assert!(body.contains(state), "{state} missing");
        }
        assert!(body.contains("Europol") && body.contains("EPPO") && body.contains("EUDA"));
        assert!(body.contains("Showing 32 of 32 entries."), "27 contact points, 3 partners, 1 observer, 1 secretariat");
        assert!(body.contains("First Plenary Meeting") && body.contains("EJOCN launch event"));
        // Names of contact points are members-only personal data.
        assert!(!body.contains("Agnieszka Nowak"));
        assert!(!body.contains("demo.example"));
    }

    async fn the_membership_filter_works_without_javascript(app) {
        let (status, body) = app.page("/networks/ejocn?q=Poland").await;
        assert_eq!(status, 200);
        assert!(body.contains("Showing 1 of"), "filtered count");
        assert!(body.contains(r#"data-member-state="PL""#));
        assert!(!body.contains(r#"data-member-state="BE""#));
        assert!(body.contains(r#"value="Poland""#), "the filter keeps what was typed");
    }

    async fn the_event_page_shows_local_times_with_the_zone_chair_and_venue(app) {
        let (status, body) = app.page("/networks/ejocn/events/first-plenary-meeting").await;
        assert_eq!(status, 200);
        assert!(body.contains("Wednesday 19 March 2025, 09:00 CET"));
        assert!(body.contains("Europe/Amsterdam"));
        assert!(body.contains("Polish Presidency of the Council of the European Union"));
        assert!(body.contains("Eurojust, The Hague"));
        assert!(body.contains(r#"datetime="2025-03-19T09:00:00+01:00""#));
        assert!(body.contains("Plenary meeting"));
        assert!(body.contains("Closed"));
    }

    async fn the_focus_group_meeting_names_its_co_organiser(app) {
        let (_, body) = app.page("/networks/thb-focus-group/events/annual-meeting-2025").await;
        assert!(body.contains("Co-organised with"));
        assert!(body.contains("European Commission"));
    }

    async fn the_online_link_of_an_event_never_reaches_a_public_page(app) {
        let (status, body) = app.page("/networks/ejocn/events/plenary-meeting-spring-2027").await;
        assert_eq!(status, 200);
        assert!(body.contains("the link is sent to registered participants"));
        assert!(!body.contains("meet.demo.example"));
    }

    async fn unknown_pages_and_draft_events_answer_404_with_a_helpful_page(app) {
        for path in ["/nowhere", "/networks/unknown", "/networks/thb-focus-group/events/annual-meeting-2027", "/networks/ejocn/events/nope"] {
            let (status, body) = app.page(path).await;
            assert_eq!(status, 404, "{path}");
            assert!(body.contains("Page not found"), "{path}");
            assert!(!body.contains("In preparation"), "draft content leaked at {path}");
        }
    }

    async fn every_page_says_it_holds_demo_data(app) {
        let (_, body) = app.page("/networks/thb-focus-group").await;
        assert!(body.contains("Demonstration data."));
    }

    async fn pages_are_compressed_and_carry_protective_headers(app) {
        let client = reqwest::Client::builder().no_gzip().no_brotli().build().unwrap();
        let res = client.get(format!("{}/", app.base)).header("accept-encoding", "br, gzip").send().await.unwrap();
        assert_eq!(res.headers()["content-encoding"], "br");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.headers()["cache-control"], "private, no-cache");
        let res = client.get(format!("{}/", app.base)).header("accept-encoding", "gzip").send().await.unwrap();
        assert_eq!(res.headers()["content-encoding"], "gzip");
        // What is rendered for each request (the sign-in page is never kept) is
        // compressed as it goes out, and reads back as the page.
        let res = client.get(format!("{}/sign-in", app.base)).header("accept-encoding", "gzip").send().await.unwrap();
        assert_eq!(res.headers()["content-encoding"], "gzip");
        let mut page = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&res.bytes().await.unwrap()[..]), &mut page).unwrap();
        assert!(page.contains("Sign in"), "{page}");
    }

    async fn health_is_ok_while_the_database_answers_and_503_when_it_does_not(app) {
        let res = app.get("/healthz").await;
        assert_eq!(res.status().as_u16(), 200);
        app.store.close().await;
        let res = app.get("/healthz").await;
        assert_eq!(res.status().as_u16(), 503);
        assert_eq!(res.text().await.unwrap(), "database unavailable\n");
    }

    async fn a_server_function_answers_json_for_a_client_side_navigation(app) {
        let res = app.get("/api/event?network=ejocn&slug=launch-event").await;
        assert_eq!(res.status().as_u16(), 200);
        let json: serde_json::Value = serde_json::from_str(&res.text().await.unwrap()).unwrap();
        assert_eq!(json["title"], "EJOCN launch event");
        assert!(json.get("online_link").is_none());
        let res = app.get("/api/event?network=thb-focus-group&slug=annual-meeting-2027").await;
        assert_eq!(res.status().as_u16(), 404);
        let body = res.text().await.unwrap();
        assert!(!body.contains("In preparation"));
    }
}
