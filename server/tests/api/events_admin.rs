//! The secretariat's event pages and their server functions, through the real server.
use crate::helpers::*;
use app::on_pool;
use app::platform::Store;
use chrono::{DateTime, TimeZone, Utc};

async fn count(store: &Store, sql: &str) -> i64 {
    on_pool!(store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

async fn id_of(store: &Store, sql: &str) -> i64 {
    on_pool!(store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

async fn text_of(store: &Store, sql: &str) -> String {
    on_pool!(store, pool => sqlx::query_scalar::<_, String>(sql).fetch_one(pool).await.unwrap())
}

async fn network_id(store: &Store, slug: &str) -> String {
    id_of(
        store,
        &format!("SELECT id FROM networks WHERE slug = '{slug}'"),
    )
    .await
    .to_string()
}

async fn event_id(store: &Store, slug: &str) -> i64 {
    id_of(
        store,
        &format!("SELECT id FROM events WHERE slug = '{slug}'"),
    )
    .await
}

/// A complete, valid event form; tests change single fields.
fn event_form(network_id: &str, slug: &str, title: &str) -> Vec<(&'static str, String)> {
    [
        ("id", "0"),
        ("network_id", network_id),
        ("slug", slug),
        ("title", title),
        ("kind", "workshop_day"),
        ("summary", "A day of workshops on seaport casework."),
        ("starts", "2027-10-20T09:30"),
        ("ends", "2027-10-20T17:00"),
        ("time_zone", "Europe/Amsterdam"),
        ("venue", "Eurojust, The Hague"),
        ("online_link", "https://meet.example.eu/autumn"),
        ("chair_label", ""),
        ("capacity", "40"),
        ("delegation_quota", "2"),
        ("registration_opens", "2027-09-01T09:00"),
        ("registration_closes", "2027-10-10T17:00"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn with(
    mut form: Vec<(&'static str, String)>,
    key: &str,
    value: &str,
) -> Vec<(&'static str, String)> {
    for (k, v) in form.iter_mut() {
        if *k == key {
            *v = value.to_owned();
        }
    }
    form
}

async fn post(
    app: &TestApp,
    path: &str,
    form: &[(&'static str, String)],
    session: &str,
) -> reqwest::Response {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.form(path, &fields, Some(session)).await
}

/// Follows a form's answer back to `page` with the round-trip cookie, like a browser.
async fn after(app: &TestApp, res: &reqwest::Response, page: &str, session: &str) -> String {
    let (token, _) = set_cookie(res, "convene_form").expect("the form comes back with a message");
    app.client
        .get(format!("{}{page}", app.base))
        .header(
            "cookie",
            format!("convene_session={session}; convene_form={token}"),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A script's request (no `Accept: text/html`) from the site's own origin.
async fn api_post(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    session: Option<&str>,
) -> u16 {
    let mut req = app
        .client
        .post(format!("{}{path}", app.base))
        .header("origin", &app.base)
        .form(fields);
    if let Some(s) = session {
        req = req.header("cookie", format!("convene_session={s}"));
    }
    req.send().await.unwrap().status().as_u16()
}

crate::on_both_backends! { TestApp;

    async fn the_secretariat_creates_a_draft_that_is_public_only_once_published(app) {
        let s = app.demo(SECRETARIAT).await;
        let ejocn = network_id(&app.store, "ejocn").await;
        let res = post(&app, "/api/admin/save_event", &event_form(&ejocn, "autumn-workshop-2027", "Autumn workshop 2027"), &s).await;
        assert_eq!(res.status().as_u16(), 302);
        let id = event_id(&app.store, "autumn-workshop-2027").await;
        assert_eq!(location(&res), format!("/admin/events/{id}#event-notice"), "lands on the notice");
        let page = format!("/admin/events/{id}");
        assert_eq!(text_of(&app.store, &format!("SELECT status FROM events WHERE id = {id}")).await, "draft");
        let starts: DateTime<Utc> = on_pool!(app.store, pool => {
            sqlx::query_scalar(&format!("SELECT starts_at FROM events WHERE id = {id}")).fetch_one(pool).await.unwrap()
        });
        assert_eq!(starts, Utc.with_ymd_and_hms(2027, 10, 20, 7, 30, 0).unwrap(), "read in the event's zone (CEST)");
        let quota: Option<i32> = on_pool!(app.store, pool => {
            sqlx::query_scalar(&format!("SELECT delegation_quota FROM events WHERE id = {id}")).fetch_one(pool).await.unwrap()
        });
        assert_eq!(quota, Some(2));

        let body = after(&app, &res, &page, &s).await;
        assert!(body.contains("Saved."), "the notice shows");
        assert!(body.contains(r#"value="2027-10-20T09:30""#), "times shown as typed, in the event's zone");
        assert!(body.contains("Publish the event"));

        let list = app.get_as("/admin/events", Some(&s)).await;
        assert_eq!(list.status().as_u16(), 200);
        let list = list.text().await.unwrap();
        assert!(list.contains("Autumn workshop 2027") && list.contains(&format!("href=\"/admin/events/{id}\"")));
        assert!(list.contains("Focus Group annual meeting 2027"), "drafts are listed");
        let drafts = app.get_as("/admin/events?network=ejocn&status=draft", Some(&s)).await.text().await.unwrap();
        assert!(drafts.contains("Autumn workshop 2027"));
        assert!(!drafts.contains("Focus Group annual meeting 2027"), "another network");
        assert!(!drafts.contains("First Plenary Meeting"), "another status");

        let public = "/networks/ejocn/events/autumn-workshop-2027";
        assert_eq!(app.get(public).await.status().as_u16(), 404, "a draft is not public");
        let res = app.form("/api/admin/set_event_status", &[("id", &id.to_string()), ("status", "published")], Some(&s)).await;
        assert_eq!(res.status().as_u16(), 302);
        assert_eq!(location(&res), format!("{page}#event-status-notice"));
        let (status, body) = app.page(public).await;
        assert_eq!(status, 200);
        assert!(body.contains("Autumn workshop 2027"));
        assert!(!body.contains("meet.example.eu"), "the online link stays private");

        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'event_created' AND subject_kind = 'event' AND subject_id = {id}")).await, 1);
        assert_eq!(text_of(&app.store, &format!("SELECT detail FROM audit_log WHERE action = 'event_status_changed' AND subject_id = {id}")).await, "draft → published");
    }

    async fn bad_input_comes_back_at_the_field_with_what_was_typed(app) {
        let s = app.demo(SECRETARIAT).await;
        let ejocn = network_id(&app.store, "ejocn").await;
        let form = event_form(&ejocn, "spring-seminar", "My typed title");

        let res = post(&app, "/api/admin/save_event", &with(form.clone(), "ends", "2027-10-19T17:00"), &s).await;
        assert_eq!(location(&res), "/admin/events/new#event-errors");
        let body = after(&app, &res, "/admin/events/new", &s).await;
        assert!(body.contains("The end must be after the start."), "message at the field");
        assert!(body.contains(r#"id="event-ends-error""#));
        assert!(body.contains(r#"aria-invalid="true""#));
        assert!(body.contains(r#"value="My typed title""#), "the title typed is kept");
        assert!(body.contains(r#"value="2027-10-19T17:00""#), "the end typed is kept");

        let res = post(&app, "/api/admin/save_event", &with(form.clone(), "slug", "Spring Seminar!"), &s).await;
        let body = after(&app, &res, "/admin/events/new", &s).await;
        assert!(body.contains("Use 1 to 80 lower-case letters, digits and single hyphens."));
        assert!(body.contains(r#"id="event-slug-error""#));
        assert!(body.contains(r#"value="My typed title""#));

        for (field, value) in [("capacity", "many"), ("time_zone", "Europe/Atlantis"), ("online_link", "http://meet.example.eu"), ("registration_closes", "2027-08-01T09:00")] {
            let res = post(&app, "/api/admin/save_event", &with(form.clone(), field, value), &s).await;
            let body = after(&app, &res, "/admin/events/new", &s).await;
            assert!(body.contains(&format!(r#"id="event-{field}-error""#)), "{field}: error at the field");
        }
        assert_eq!(count(&app.store, "SELECT COUNT(*) FROM events WHERE title = 'My typed title'").await, 0);
        assert_eq!(count(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'event_%'").await, 0);
    }

    async fn a_slug_used_in_the_same_network_is_refused_at_the_slug_field(app) {
        let s = app.demo(SECRETARIAT).await;
        let ejocn = network_id(&app.store, "ejocn").await;
        let res = post(&app, "/api/admin/save_event", &event_form(&ejocn, "first-plenary-meeting", "Another first plenary"), &s).await;
        assert_eq!(location(&res), "/admin/events/new#event-errors");
        let body = after(&app, &res, "/admin/events/new", &s).await;
        assert!(body.contains("This web address, /networks/ejocn/events/first-plenary-meeting, is already used by the event “First Plenary Meeting”"), "names the address and the event");
        assert!(body.contains(r#"id="event-slug-error""#));
        assert!(body.contains(r#"value="Another first plenary""#));
        // Left empty, the address derived from the title is the one shown.
        let res = post(&app, "/api/admin/save_event", &with(event_form(&ejocn, "", "First Plenary Meeting"), "slug", ""), &s).await;
        let body = after(&app, &res, "/admin/events/new", &s).await;
        assert!(body.contains("The web address derived from the title, /networks/ejocn/events/first-plenary-meeting, is already used"), "the derived address is shown");
        assert_eq!(count(&app.store, "SELECT COUNT(*) FROM events WHERE slug = 'first-plenary-meeting'").await, 1);

        // The same slug in another network is fine.
        let thb = network_id(&app.store, "thb-focus-group").await;
        let res = post(&app, "/api/admin/save_event", &event_form(&thb, "first-plenary-meeting", "THB plenary"), &s).await;
        assert!(location(&res).starts_with("/admin/events/"), "{}", location(&res));
        assert_ne!(location(&res), "/admin/events/new");

        // Renaming an event onto a taken slug is refused too, and changes nothing.
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        let form = with(with(event_form(&ejocn, "launch-event", "Plenary Meeting, spring 2027"), "id", &spring.to_string()), "kind", "plenary");
        let res = post(&app, "/api/admin/save_event", &form, &s).await;
        assert_eq!(location(&res), format!("/admin/events/{spring}#event-errors"));
        let body = after(&app, &res, &format!("/admin/events/{spring}"), &s).await;
        assert!(body.contains(r#"id="event-slug-error""#));
        assert_eq!(text_of(&app.store, &format!("SELECT slug FROM events WHERE id = {spring}")).await, "plenary-meeting-spring-2027");
    }

    async fn editing_an_event_keeps_its_status_and_is_audited(app) {
        let s = app.demo(SECRETARIAT).await;
        let ejocn = network_id(&app.store, "ejocn").await;
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        let page = format!("/admin/events/{spring}");
        let body = app.get_as(&page, Some(&s)).await.text().await.unwrap();
        assert!(body.contains(r#"value="2027-03-17T09:30""#), "the saved start, in the event's zone");
        assert!(body.contains(r#"value="120""#), "the saved capacity");
        let form = with(with(with(event_form(&ejocn, "plenary-meeting-spring-2027", "Plenary Meeting, spring 2027 (Vilnius)"), "id", &spring.to_string()), "capacity", ""), "time_zone", "Europe/Vilnius");
        // A new zone alone is ambiguous: nothing is saved until the person says
        // whether the meeting keeps its moment or its clock times, and the page
        // shows what each gives.
        let res = post(&app, "/api/admin/save_event", &form, &s).await;
        assert_eq!(location(&res), format!("{page}#event-errors"));
        let asked = after(&app, &res, &page, &s).await;
        assert!(asked.contains("Keep the moment: it starts Wednesday 20 October 2027, 10:30 EEST"), "09:30 CEST read in Amsterdam, shown in Vilnius");
        assert!(asked.contains("Keep the clock times: it starts Wednesday 20 October 2027, 09:30 EEST"), "typed time read in Vilnius");
        assert!(asked.contains("08:30 CEST"), "and what that is in the old zone");
        assert_eq!(text_of(&app.store, &format!("SELECT time_zone FROM events WHERE id = {spring}")).await, "Europe/Amsterdam", "nothing saved yet");
        let form = [form, vec![("zone_change", "clock".to_owned())]].concat();
        let res = post(&app, "/api/admin/save_event", &form, &s).await;
        assert_eq!(location(&res), format!("{page}#event-notice"));
        assert_eq!(text_of(&app.store, &format!("SELECT status FROM events WHERE id = {spring}")).await, "published");
        let capacity: Option<i32> = on_pool!(app.store, pool => {
            sqlx::query_scalar(&format!("SELECT capacity FROM events WHERE id = {spring}")).fetch_one(pool).await.unwrap()
        });
        assert_eq!(capacity, None, "an empty field is stored as nothing");
        let starts: DateTime<Utc> = on_pool!(app.store, pool => {
            sqlx::query_scalar(&format!("SELECT starts_at FROM events WHERE id = {spring}")).fetch_one(pool).await.unwrap()
        });
        assert_eq!(starts, Utc.with_ymd_and_hms(2027, 10, 20, 6, 30, 0).unwrap(), "09:30 in Vilnius (EEST)");
        let detail = text_of(&app.store, &format!("SELECT detail FROM audit_log WHERE action = 'event_updated' AND subject_id = {spring}")).await;
        assert!(detail.contains("Plenary Meeting, spring 2027 (Vilnius)"), "{detail}");
        assert!(detail.contains("time zone: Europe/Amsterdam → Europe/Vilnius (kept the clock times)"), "{detail}");
        assert!(detail.contains("starts: 2027-03-17 09:30 CET (Europe/Amsterdam) → 2027-10-20 09:30 EEST (Europe/Vilnius)"), "{detail}");

        let (status, body) = app.page("/networks/ejocn/events/plenary-meeting-spring-2027").await;
        assert_eq!(status, 200);
        assert!(body.contains("Europe/Vilnius"));

        // Back to Amsterdam keeping the moment: the stored instant stays, and the
        // form then shows it in Amsterdam's clock.
        let back = with(with(form.clone(), "time_zone", "Europe/Amsterdam"), "zone_change", "instant");
        let res = post(&app, "/api/admin/save_event", &back, &s).await;
        assert_eq!(location(&res), format!("{page}#event-notice"));
        let kept: DateTime<Utc> = on_pool!(app.store, pool => {
            sqlx::query_scalar(&format!("SELECT starts_at FROM events WHERE id = {spring}")).fetch_one(pool).await.unwrap()
        });
        assert_eq!(kept, starts, "the same instant");
        let body = app.get_as(&page, Some(&s)).await.text().await.unwrap();
        assert!(body.contains(r#"value="2027-10-20T08:30""#), "08:30 in Amsterdam");
    }

    async fn only_the_allowed_status_changes_are_made(app) {
        let s = app.demo(SECRETARIAT).await;
        let closed = event_id(&app.store, "first-plenary-meeting").await;
        let res = app.form("/api/admin/set_event_status", &[("id", &closed.to_string()), ("status", "published")], Some(&s)).await;
        assert_eq!(location(&res), format!("/admin/events/{closed}#event-status-errors"));
        let body = after(&app, &res, &format!("/admin/events/{closed}"), &s).await;
        assert!(body.contains("A closed event cannot become published."), "refused, with the reason");
        assert_eq!(text_of(&app.store, &format!("SELECT status FROM events WHERE id = {closed}")).await, "closed");
        assert!(!body.contains("Publish the event"), "no button for a change that is not allowed");

        let draft = event_id(&app.store, "annual-meeting-2027").await;
        for to in ["closed", "cancelled", "draft", "archived"] {
            let res = app.form("/api/admin/set_event_status", &[("id", &draft.to_string()), ("status", to)], Some(&s)).await;
            let (token, _) = set_cookie(&res, "convene_form").expect("refused");
            assert!(token.starts_with("event-status."), "{to}");
            assert_eq!(text_of(&app.store, &format!("SELECT status FROM events WHERE id = {draft}")).await, "draft", "{to}");
        }
        assert_eq!(count(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action = 'event_status_changed'").await, 0);

        // published → cancelled → draft → published, each audited.
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        // Cancelling (and closing) first asks: the button is a link to a
        // confirmation that says what happens; without it the change is refused.
        let admin_page = app.get_as(&format!("/admin/events/{spring}"), Some(&s)).await.text().await.unwrap();
        assert!(admin_page.contains(&format!("/admin/events/{spring}?confirm=cancelled")));
        let asking = app.get_as(&format!("/admin/events/{spring}?confirm=cancelled"), Some(&s)).await.text().await.unwrap();
        assert!(asking.contains("Its public page will say that it is cancelled"), "says what happens");
        let res = app.form("/api/admin/set_event_status", &[("id", &spring.to_string()), ("status", "cancelled")], Some(&s)).await;
        assert!(after(&app, &res, &format!("/admin/events/{spring}"), &s).await.contains("Confirm first"));
        assert_eq!(text_of(&app.store, &format!("SELECT status FROM events WHERE id = {spring}")).await, "published");
        for to in ["cancelled", "draft", "published", "closed"] {
            let res = app.form("/api/admin/set_event_status", &[("id", &spring.to_string()), ("status", to), ("confirmed", "yes")], Some(&s)).await;
            assert_eq!(res.status().as_u16(), 302);
            assert_eq!(text_of(&app.store, &format!("SELECT status FROM events WHERE id = {spring}")).await, to);
        }
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'event_status_changed' AND subject_id = {spring}")).await, 4);
        let missing = app.form("/api/admin/set_event_status", &[("id", "999999"), ("status", "published")], Some(&s)).await;
        assert_eq!(missing.status().as_u16(), 404);
    }

    async fn a_draft_is_deleted_after_confirmation_and_nothing_else_is(app) {
        let s = app.demo(SECRETARIAT).await;
        let draft = event_id(&app.store, "annual-meeting-2027").await;
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        let page = app.get_as(&format!("/admin/events/{draft}?confirm=delete"), Some(&s)).await.text().await.unwrap();
        assert!(page.contains("Delete the draft"), "the confirmation names the draft");
        let res = app.form("/api/admin/delete_event", &[("id", &draft.to_string())], Some(&s)).await;
        assert!(after(&app, &res, &format!("/admin/events/{draft}"), &s).await.contains("Confirm first"));
        let res = app.form("/api/admin/delete_event", &[("id", &spring.to_string()), ("confirmed", "yes")], Some(&s)).await;
        assert!(after(&app, &res, &format!("/admin/events/{spring}"), &s).await.contains("Only a draft can be deleted"));
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM events WHERE id = {spring}")).await, 1, "a published event stays");
        let res = app.form("/api/admin/delete_event", &[("id", &draft.to_string()), ("confirmed", "yes")], Some(&s)).await;
        assert_eq!(location(&res), "/admin/events#event-delete-notice");
        let list = after(&app, &res, "/admin/events", &s).await;
        assert!(list.contains("is deleted"), "the notice lands on the list");
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM events WHERE id = {draft}")).await, 0);
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM event_roles WHERE event_id = {draft}")).await, 0, "its roles went with it");
        let detail = text_of(&app.store, "SELECT detail FROM audit_log WHERE action = 'event_deleted'").await;
        assert!(detail.contains("annual-meeting-2027"), "{detail}");
    }

    async fn a_chair_added_by_email_sees_the_event_on_their_account(app) {
        let s = app.demo(SECRETARIAT).await;
        let draft = event_id(&app.store, "annual-meeting-2027").await;
        let page = format!("/admin/events/{draft}");
        let eid = draft.to_string();

        let res = app.form("/api/admin/add_event_person", &[("event_id", &eid), ("email", "nobody@nowhere.example"), ("role", "chair")], Some(&s)).await;
        let body = after(&app, &res, &page, &s).await;
        assert!(body.contains("No person with this email address is known to Convene."));
        assert!(body.contains(r#"id="event-people-email-error""#));
        assert!(body.contains(r#"value="nobody@nowhere.example""#), "the address typed is kept");

        let res = app.form("/api/admin/add_event_person", &[("event_id", &eid), ("email", &MEMBER.to_uppercase()), ("role", "chair")], Some(&s)).await;
        assert_eq!(location(&res), format!("{page}#event-people-notice"), "lands on the notice in the section");
        let body = after(&app, &res, &page, &s).await;
        assert!(body.contains("Katharina Becker is now a chair of this event."));
        assert!(body.contains(MEMBER), "listed with the address");
        let member = app.demo(MEMBER).await;
        let account = app.get_as("/account", Some(&member)).await.text().await.unwrap();
        assert!(account.contains("Focus Group annual meeting 2027"), "on their account page");

        let person = id_of(&app.store, &format!("SELECT id FROM people WHERE email = '{MEMBER}'")).await;
        let res = app.form("/api/admin/add_event_person", &[("event_id", &eid), ("email", MEMBER), ("role", "organiser")], Some(&s)).await;
        assert_eq!(location(&res), format!("{page}#event-people-notice"));
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM event_roles WHERE event_id = {draft} AND person_id = {person}")).await, 2);
        let res = app.form("/api/admin/remove_event_person", &[("event_id", &eid), ("person_id", &person.to_string()), ("role", "chair")], Some(&s)).await;
        assert_eq!(location(&res), format!("{page}#event-people-notice"));
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM event_roles WHERE event_id = {draft} AND person_id = {person} AND role = 'chair'")).await, 0);
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM event_roles WHERE event_id = {draft} AND person_id = {person}")).await, 1, "the other role stays");

        let res = app.form("/api/admin/add_event_person", &[("event_id", &eid), ("email", MEMBER), ("role", "host")], Some(&s)).await;
        let body = after(&app, &res, &page, &s).await;
        assert!(body.contains(r#"id="event-people-role-error""#));

        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'event_role_added' AND subject_kind = 'event' AND subject_id = {draft}")).await, 2);
        assert_eq!(count(&app.store, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'event_role_removed' AND subject_id = {draft}")).await, 1);
        let detail = text_of(&app.store, "SELECT detail FROM audit_log WHERE action = 'event_role_removed'").await;
        assert_eq!(detail, format!("chair: person {person}"), "the person by id, never by name");
    }

    async fn only_the_secretariat_reaches_the_event_pages_and_functions(app) {
        let member = app.demo(MEMBER).await;
        let chair = app.demo(CHAIR).await;
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await.to_string();
        let ejocn = network_id(&app.store, "ejocn").await;
        let pages = ["/admin/events".to_owned(), "/admin/events/new".to_owned(), format!("/admin/events/{spring}"),
            "/api/admin/events_admin".to_owned(), "/api/admin/event_admin?id=0".to_owned(), format!("/api/admin/event_admin?id={spring}")];
        for path in &pages {
            assert_eq!(app.get_as(path, None).await.status().as_u16(), 401, "anonymous {path}");
            assert_eq!(app.get_as(path, Some(&member)).await.status().as_u16(), 403, "member {path}");
            assert_eq!(app.get_as(path, Some(&chair)).await.status().as_u16(), 403, "a chair is not the secretariat: {path}");
        }
        let body = app.get_as("/admin/events", Some(&member)).await.text().await.unwrap();
        assert!(!body.contains("Focus Group annual meeting 2027"), "nothing leaks");

        let save = event_form(&ejocn, "sneaky", "Sneaky event");
        let save: Vec<(&str, &str)> = save.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let posts: [(&str, Vec<(&str, &str)>); 4] = [
            ("/api/admin/save_event", save),
            ("/api/admin/set_event_status", vec![("id", spring.as_str()), ("status", "cancelled")]),
            ("/api/admin/add_event_person", vec![("event_id", spring.as_str()), ("email", MEMBER), ("role", "chair")]),
            ("/api/admin/remove_event_person", vec![("event_id", spring.as_str()), ("person_id", "1"), ("role", "chair")]),
        ];
        for (path, fields) in &posts {
            assert_eq!(api_post(&app, path, fields, None).await, 401, "anonymous {path}");
            assert_eq!(api_post(&app, path, fields, Some(&member)).await, 403, "member {path}");
            assert_eq!(app.form(path, fields, Some(&member)).await.status().as_u16(), 403, "member's form post {path}");
            let res = app.form(path, fields, None).await;
            assert!(location(&res).starts_with("/sign-in"), "anonymous form post {path} is sent to sign in");
        }
        assert_eq!(count(&app.store, "SELECT COUNT(*) FROM events WHERE slug = 'sneaky'").await, 0);
        assert_eq!(text_of(&app.store, &format!("SELECT status FROM events WHERE id = {spring}")).await, "published");
        assert_eq!(count(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'event_%'").await, 0);

        let s = app.demo(SECRETARIAT).await;
        assert_eq!(app.get_as("/api/admin/events_admin", Some(&s)).await.status().as_u16(), 200);
        assert_eq!(app.get_as("/admin/events/999999", Some(&s)).await.status().as_u16(), 404);
        assert_eq!(app.get_as("/admin/events/abc", Some(&s)).await.status().as_u16(), 404);
    }
}

mod organisers {
    use super::*;

    crate::on_both_backends! { TestApp;

        async fn a_new_chair_is_mailed_sees_the_event_once_and_manages_it_from_their_own_page(app) {
            let admin = app.demo(SECRETARIAT).await;
            let spring = app.event_id("plenary-meeting-spring-2027").await;
            for role in ["chair", "organiser"] {
                let res = app.form("/api/admin/add_event_person", &[("event_id", &spring.to_string()), ("email", PARTNER), ("role", role)], Some(&admin)).await;
                assert_eq!(res.status().as_u16(), 302);
            }
            let mails = app::platform::mail::outbox::list(&app.store, None, None, 50, 0).await.unwrap();
            let to_partner: Vec<_> = mails.iter().filter(|m| m.kind == "event_role" && m.recipient_email == PARTNER).collect();
            assert_eq!(to_partner.len(), 2, "one message per role given");
            assert!(to_partner.iter().any(|m| m.subject == "You are chair of Plenary Meeting, spring 2027"), "{:?}", to_partner.iter().map(|m| &m.subject).collect::<Vec<_>>());
            assert!(to_partner[0].body_text.contains(&format!("{}/events/{spring}/manage", app.base)), "with a link to the event's own page");
            let s = app.demo(PARTNER).await;
            let account = app.get_as("/account", Some(&s)).await.text().await.unwrap();
            assert_eq!(account.matches("Plenary Meeting, spring 2027</a>").count(), 1, "the event is listed once");
            assert!(account.contains("Chair and organiser"), "with both roles");
            assert!(account.contains(&format!("href=\"/events/{spring}/manage\"")));
            let page = app.get_as(&format!("/events/{spring}/manage"), Some(&s)).await;
            assert_eq!(page.status().as_u16(), 200);
            assert!(page.text().await.unwrap().contains("You are chair and organiser of this event."));
        }

        async fn the_account_page_dates_an_event_in_its_own_zone(app) {
            // 01:00 in Helsinki on 10 November is still 9 November in UTC.
            on_pool!(app.store, pool => {
                sqlx::query("UPDATE events SET starts_at = $1, ends_at = $2, time_zone = 'Europe/Helsinki' WHERE slug = 'plenary-meeting-spring-2027'")
                    .bind(Utc.with_ymd_and_hms(2026, 11, 9, 23, 0, 0).unwrap())
                    .bind(Utc.with_ymd_and_hms(2026, 11, 10, 15, 0, 0).unwrap())
                    .execute(pool).await.unwrap();
            });
            let s = app.demo(CHAIR).await;
            let account = app.get_as("/account", Some(&s)).await.text().await.unwrap();
            assert!(account.contains("Chair, 10 November 2026"), "the local date, without a leading zero");
        }
    }
}
