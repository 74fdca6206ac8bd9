//! The rules of registration beyond places: moderation, delegation quotas per
//! Member State (also under concurrency), members registering where the event is
//! open to their category, the organisers' own questions, and a National Contact
//! Point registering their delegation; in the store on both backends and through
//! the real server.
use crate::helpers::*;
use crate::invitations::{
    as_guest_get, as_guest_post, calendar_of, event_id, exec, guest_landing, people, prop,
    register, scalar_i64, IN_PERSON,
};
use app::on_pool;
use app::platform::Store;
use app::registration::store::{self as reg, RegistrationInput, Standing};

/// Adds `n` people of one Member State to the directory; their ids.
async fn compatriots(store: &Store, state: &str, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id: i64 = on_pool!(store, pool => {
            sqlx::query_scalar(
                "INSERT INTO people (full_name, email, member_state, created_at, updated_at)
                 VALUES ($1, $2, $3, '2026-06-01T09:00:00Z', '2026-06-01T09:00:00Z') RETURNING id",
            )
            .bind(format!("Delegate {state} {i}"))
            .bind(format!("delegate{i}.{}@rules.example", state.to_lowercase()))
            .bind(state)
            .fetch_one(pool)
            .await
            .unwrap()
        });
        ids.push(id);
    }
    ids
}

async fn try_register(
    store: &Store,
    event: i64,
    person: i64,
    online: bool,
) -> Result<Standing, String> {
    let mut tx = store.begin().await.unwrap();
    let input = RegistrationInput {
        online,
        ..IN_PERSON
    };
    match reg::register(&mut tx, event, person, &input, test_clock().now()).await {
        Ok(s) => {
            tx.commit().await.unwrap();
            Ok(s)
        }
        Err(e) => Err(e.to_string()),
    }
}

mod store {
    use super::*;

    crate::on_both_backends! { DemoStore;

        async fn a_moderated_event_holds_no_place_until_the_organisers_approve(f) {
            let store = &f.0.store;
            let spring = event_id(store, "plenary-meeting-spring-2027").await;
            exec(store, &format!("UPDATE events SET capacity = 1, delegation_quota = NULL, moderated = TRUE WHERE id = {spring}")).await;
            let p = people(store, 3).await;
            for &person in &p {
                assert_eq!(register(store, spring, person).await, Standing::Pending, "waits for approval");
            }
            let now = test_clock().now();
            let mut tx = store.begin().await.unwrap();
            assert_eq!(reg::approve(&mut tx, spring, p[0], now).await.unwrap(), Some(Standing::Confirmed));
            assert_eq!(reg::approve(&mut tx, spring, p[1], now).await.unwrap(), Some(Standing::Waitlisted(1)), "the one place is taken");
            assert_eq!(reg::approve(&mut tx, spring, p[1], now).await.unwrap(), None, "approving twice does nothing");
            assert!(reg::reject(&mut tx, spring, p[2], "Not a member of a competent authority", now).await.unwrap());
            assert!(!reg::reject(&mut tx, spring, p[2], "again", now).await.unwrap());
            tx.commit().await.unwrap();
            let again = try_register(store, spring, p[2], false).await.unwrap_err();
            assert!(again.contains("declined"), "a declined registration is not simply sent again: {again}");
            // Giving the waiting person a place adds one to the event, so capacity
            // still bounds the confirmed.
            let mut tx = store.begin().await.unwrap();
            assert!(reg::give_place(&mut tx, spring, p[1], now).await.unwrap());
            tx.commit().await.unwrap();
            assert_eq!(scalar_i64(store, &format!("SELECT CAST(capacity AS BIGINT) FROM events WHERE id = {spring}")).await, 2);
            assert_eq!(scalar_i64(store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {spring} AND status = 'confirmed'")).await, 2);
        }

        async fn a_member_state_never_holds_more_in_person_places_than_its_quota(f) {
            let store = &f.0.store;
            let spring = event_id(store, "plenary-meeting-spring-2027").await;
            exec(store, &format!("UPDATE events SET capacity = 100, delegation_quota = 2 WHERE id = {spring}")).await;
            let dutch = compatriots(store, "NL", 4).await;
            assert_eq!(try_register(store, spring, dutch[0], false).await, Ok(Standing::Confirmed));
            assert_eq!(try_register(store, spring, dutch[1], false).await, Ok(Standing::Confirmed));
            let refused = try_register(store, spring, dutch[2], false).await.unwrap_err();
            assert!(refused.contains("Netherlands") && refused.contains("2 places"), "{refused}");
            assert_eq!(try_register(store, spring, dutch[2], true).await, Ok(Standing::Confirmed), "online is not counted");
            // A cancelled place is free again for the delegation.
            let mut tx = store.begin().await.unwrap();
            reg::cancel(&mut tx, spring, dutch[0], test_clock().now()).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(try_register(store, spring, dutch[3], false).await, Ok(Standing::Confirmed));
            // Nobody of another State is held back.
            let belgian = compatriots(store, "BE", 1).await[0];
            assert_eq!(try_register(store, spring, belgian, false).await, Ok(Standing::Confirmed));
        }

        async fn a_batch_of_registrations_answers_each_person_as_one_after_the_other_would(f) {
            let store = &f.0.store;
            let spring = event_id(store, "plenary-meeting-spring-2027").await;
            exec(store, &format!("UPDATE events SET capacity = 3, delegation_quota = 2 WHERE id = {spring}")).await;
            let dutch = compatriots(store, "NL", 3).await;
            let others = compatriots(store, "BE", 2).await;
            let before = compatriots(store, "LU", 1).await[0];
            assert_eq!(register(store, spring, before).await, Standing::Confirmed);
            let online = RegistrationInput { online: true, ..IN_PERSON };
            let batch = vec![
                (dutch[0], IN_PERSON),
                (before, IN_PERSON),        // registered before the batch
                (dutch[1], IN_PERSON),
                (dutch[0], IN_PERSON),      // named twice
                (dutch[2], IN_PERSON),      // the delegation's quota of 2 is used
                (dutch[2], online.clone()), // online is not counted against it
                (others[0], IN_PERSON),     // the last place was the second Dutch one
                (others[1], IN_PERSON),
            ];
            let mut tx = store.begin().await.unwrap();
            let answers = reg::register_many(&mut tx, spring, &batch, test_clock().now()).await.unwrap();
            tx.commit().await.unwrap();
            let answers: Vec<Result<Standing, String>> = answers.into_iter().map(|a| a.map_err(|e| e.to_string())).collect();
            assert_eq!(answers[0], Ok(Standing::Confirmed));
            assert!(answers[1].as_ref().unwrap_err().contains("Already registered"));
            assert_eq!(answers[2], Ok(Standing::Confirmed), "the third and last place");
            assert!(answers[3].as_ref().unwrap_err().contains("Already registered"), "registered once");
            assert!(answers[4].as_ref().unwrap_err().contains("Netherlands"), "{:?}", answers[4]);
            assert_eq!(answers[5], Ok(Standing::Confirmed), "online");
            assert_eq!(answers[6], Ok(Standing::Waitlisted(1)));
            assert_eq!(answers[7], Ok(Standing::Waitlisted(2)));
            // What the database holds is what each was told.
            assert_eq!(scalar_i64(store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {spring} AND status = 'confirmed' AND attendance = 'in_person'")).await, 3);
            assert_eq!(scalar_i64(store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {spring} AND person_id = {} AND attendance = 'online'", dutch[2])).await, 1);
            assert_eq!(crate::invitations::waiting(store, spring).await, vec![(others[0], 1), (others[1], 2)]);
        }

        async fn concurrent_registrations_of_one_delegation_never_exceed_its_quota(f) {
            let store = f.0.store.clone();
            let spring = event_id(&store, "plenary-meeting-spring-2027").await;
            exec(&store, &format!("UPDATE events SET capacity = 100, delegation_quota = 3 WHERE id = {spring}")).await;
            let austrians = compatriots(&store, "AT", 12).await;
            let tasks: Vec<_> = austrians.iter().map(|&person| {
                let store = store.clone();
                tokio::spawn(async move { try_register(&store, spring, person, false).await })
            }).collect();
            let mut placed = 0;
            let mut refused = 0;
            for t in tasks {
                match t.await.unwrap() {
                    Ok(Standing::Confirmed) => placed += 1,
                    Ok(other) => panic!("{other:?}"),
                    Err(e) if e.contains("Austria") => refused += 1,
                    Err(e) => panic!("an unexpected refusal: {e}"),
                }
            }
            assert_eq!((placed, refused), (3, 9), "exactly the delegation's places");
        }

        async fn the_demo_spring_plenary_has_registrations_in_every_state_and_keeps_them(f) {
            let store = &f.0.store;
            convene_server::demo::seed_spring_registrations(store, test_clock().now()).await.unwrap();
            let spring = event_id(store, "plenary-meeting-spring-2027").await;
            let q = |sql: &str| sql.replace("{e}", &spring.to_string());
            let count = |status: &str| q(&format!("SELECT COUNT(*) FROM registrations WHERE event_id = {{e}} AND status = '{status}'"));
            let confirmed_in_person = scalar_i64(store, &q("SELECT COUNT(*) FROM registrations WHERE event_id = {e} AND status = 'confirmed' AND attendance = 'in_person'")).await;
            assert_eq!(confirmed_in_person, 26, "the room is full");
            let waiting: Vec<i64> = crate::invitations::waiting(store, spring).await.into_iter().map(|(_, p)| p).collect();
            assert!(waiting.len() >= 3, "a waiting list: {waiting:?}");
            assert_eq!(waiting, (1..=waiting.len() as i64).collect::<Vec<_>>(), "numbered without gaps");
            for status in ["pending", "rejected", "cancelled"] {
                assert!(scalar_i64(store, &count(status)).await >= 1, "someone {status}");
            }
            assert!(scalar_i64(store, &q("SELECT COUNT(*) FROM registrations WHERE event_id = {e} AND status = 'confirmed' AND attendance = 'online'")).await >= 1);
            assert!(scalar_i64(store, &q("SELECT COUNT(*) FROM invitations WHERE event_id = {e} AND status = 'declined'")).await >= 1);
            let germans = scalar_i64(store, &q("SELECT COUNT(*) FROM registrations r JOIN people p ON p.id = r.person_id
                 WHERE r.event_id = {e} AND p.member_state = 'DE' AND r.attendance = 'in_person' AND r.status IN ('pending', 'confirmed', 'waitlisted')")).await;
            assert_eq!(germans, 3, "the German delegation of three");
            let over_quota = scalar_i64(store, &q("SELECT COUNT(*) FROM (SELECT p.member_state FROM registrations r JOIN people p ON p.id = r.person_id
                 WHERE r.event_id = {e} AND r.attendance = 'in_person' AND r.status IN ('pending', 'confirmed', 'waitlisted') AND p.member_state IS NOT NULL
                 GROUP BY p.member_state HAVING COUNT(*) > 3) x")).await;
            assert_eq!(over_quota, 0, "no delegation over its places");
            // Seeding again changes nothing.
            let before = scalar_i64(store, &q("SELECT COUNT(*) FROM registrations WHERE event_id = {e}")).await;
            convene_server::demo::seed(store, test_clock().now()).await.unwrap();
            convene_server::demo::seed_spring_registrations(store, test_clock().now()).await.unwrap();
            assert_eq!(scalar_i64(store, &q("SELECT COUNT(*) FROM registrations WHERE event_id = {e}")).await, before);
            assert_eq!(scalar_i64(store, &q("SELECT CAST(capacity AS BIGINT) FROM events WHERE id = {e}")).await, 26);
        }

        async fn questions_keep_their_order_and_answers_go_with_them(f) {
            use app::registration::questions::store as q;
            let store = &f.0.store;
            let spring = event_id(store, "plenary-meeting-spring-2027").await;
            let now = test_clock().now();
            let mut tx = store.begin().await.unwrap();
            let a = q::add(&mut tx, spring, "short_text", "Your role", &[], true, now).await.unwrap();
            let b = q::add(&mut tx, spring, "single_choice", "Workshop", &["A".into(), "B".into()], false, now).await.unwrap();
            let c = q::add(&mut tx, spring, "checkbox", "Dinner", &[], false, now).await.unwrap();
            assert!(q::shift(&mut tx, spring, c, true).await.unwrap());
            assert!(!q::shift(&mut tx, spring, a, true).await.unwrap(), "the first cannot move up");
            let person = people(store, 1).await[0];
            q::save_answers(&mut tx, spring, person, &[(a, "Prosecutor".into()), (b, "B".into())]).await.unwrap();
            tx.commit().await.unwrap();
            let order: Vec<i64> = q::list(store, spring).await.unwrap().iter().map(|q| q.id).collect();
            assert_eq!(order, vec![a, c, b]);
            assert_eq!(q::answers_of(store, spring, person).await.unwrap().len(), 2);
            let mut tx = store.begin().await.unwrap();
            assert_eq!(q::remove(&mut tx, spring, b).await.unwrap().as_deref(), Some("Workshop"));
            tx.commit().await.unwrap();
            assert_eq!(q::answers_of(store, spring, person).await.unwrap(), vec![(a, "Prosecutor".to_owned())], "its answers went with it");
        }
    }
}

mod http {
    use super::*;

    /// Opens the spring plenary's registration today (the test clock's 1 June 2026).
    async fn open_spring(app: &TestApp, extra: &str) -> i64 {
        let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
        exec(
            &app.store,
            &format!("UPDATE events SET registration_opens_at = NULL{extra} WHERE id = {spring}"),
        )
        .await;
        spring
    }

    crate::on_both_backends! { TestApp;

        async fn members_register_from_their_account_where_the_event_is_open_to_their_category(app) {
            let spring = open_spring(&app, ", delegation_quota = NULL").await;
            let page = format!("/guest/events/{spring}");
            let observer = app.demo(OBSERVER).await;
            assert_eq!(app.get_as(&page, Some(&observer)).await.status().as_u16(), 403, "by invitation only");
            let chair = app.demo(CHAIR).await;
            let eid = spring.to_string();
            let res = app.form("/api/save_registration_rules", &[("event_id", &eid), ("open_national_contact_point", "yes"), ("open_associate_partner", "yes")], Some(&chair)).await;
            assert_eq!(location(&res), format!("/events/{spring}/registration#rules-notice"));
            let settings = app.landing(&res, Some(&chair)).await;
            assert!(settings.contains(r#"id="rules-open_national_contact_point" name="open_national_contact_point" value="yes" checked"#), "saved and shown");
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'registration_rules_changed' AND subject_id = {spring}")).await, 1);

            // An observer still may not; a contact point may.
            assert_eq!(app.get_as(&page, Some(&observer)).await.status().as_u16(), 403, "not their category");
            let res = app.form("/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("privacy", "yes")], Some(&observer)).await;
            assert_eq!(res.status().as_u16(), 403);
            let member = app.demo(MEMBER).await;
            let event_page = app.get_as("/networks/ejocn/events/plenary-meeting-spring-2027", Some(&member)).await.text().await.unwrap();
            assert!(event_page.contains(&format!(r#"href="/guest/events/{spring}""#)), "the event page leads the member to register");
            assert!(event_page.contains("National Contact Points and Associate Partners of the network may also register"));
            let body = app.get_as(&page, Some(&member)).await.text().await.unwrap();
            assert!(body.contains("Your registration") && body.contains("I agree to the privacy notice"));
            let res = app.form("/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("privacy", "yes")], Some(&member)).await;
            assert_eq!(location(&res), format!("{page}#register-notice"));
            assert!(app.landing(&res, Some(&member)).await.contains("You are registered."));
            let katharina = app.person_id(MEMBER).await;
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM registrations WHERE person_id = {katharina} AND event_id = {spring} AND status = 'confirmed'")).await, 1);
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'registration_confirmed' AND person_id = {katharina}")).await, 1);
            let account = app.get_as("/account", Some(&member)).await.text().await.unwrap();
            assert!(account.contains("Plenary Meeting, spring 2027") && account.contains("Registered"), "on the account page without an invitation");
            // Her confirmation carries the online meeting's link, which only participants get.
            let confirmation = on_pool!(app.store, pool => {
                sqlx::query_scalar::<_, String>("SELECT body_text FROM mail_outbox WHERE kind = 'registration_confirmed' AND person_id = $1")
                    .bind(katharina).fetch_one(pool).await.unwrap()
            });
            assert!(confirmation.contains("https://meet.demo.example/ejocn-plenary"));
            // The secretariat changes the link and moves the meeting: she is told both,
            // though she was never invited.
            let admin = app.demo(SECRETARIAT).await;
            let ejocn: i64 = app.scalar("SELECT id FROM networks WHERE slug = 'ejocn'").await;
            let form = [
                ("id", eid.as_str()), ("network_id", &ejocn.to_string()), ("slug", "plenary-meeting-spring-2027"),
                ("title", "Plenary Meeting, spring 2027"), ("kind", "plenary"), ("summary", ""),
                ("starts", "2027-03-18T09:30"), ("ends", "2027-03-19T13:00"), ("time_zone", "Europe/Amsterdam"),
                ("venue", "Eurojust, The Hague"), ("online_link", "https://meet.demo.example/new-room"), ("chair_label", ""),
                ("capacity", "120"), ("delegation_quota", ""), ("registration_opens", ""), ("registration_closes", "2027-02-26T17:00"),
            ];
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, &**v)).collect();
            let res = app.form("/api/admin/save_event", &form, Some(&admin)).await;
            assert!(app.landing(&res, Some(&admin)).await.contains("1 participant gets the new online link."));
            let text = on_pool!(app.store, pool => {
                sqlx::query_scalar::<_, String>("SELECT body_text FROM mail_outbox WHERE kind = 'online_link_changed' AND person_id = $1")
                    .bind(katharina).fetch_one(pool).await.unwrap()
            });
            assert!(text.contains("https://meet.demo.example/new-room"));
            let (method, props) = calendar_of(&app.store, "event_updated", MEMBER).await;
            assert_eq!(method, "REQUEST");
            assert_eq!(prop(&props, "DTSTART").1, "20270318T093000", "the moved meeting reaches her calendar");
            // Closing the event to contact points again leaves her registration hers to see and cancel.
            let res = app.form("/api/save_registration_rules", &[("event_id", &eid)], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("Saved."));
            let res = app.form("/api/cancel_registration_as_guest", &[("event_id", &eid), ("confirm", "yes")], Some(&member)).await;
            assert!(app.landing(&res, Some(&member)).await.contains("Your registration is cancelled"));
        }

        async fn the_organisers_questions_are_asked_checked_kept_and_exported(app) {
            let spring = open_spring(&app, "").await;
            let eid = spring.to_string();
            let chair = app.demo(CHAIR).await;
            let settings = format!("/events/{spring}/registration");
            // A choice with one choice only is refused at its field, the rest kept.
            let res = app.form("/api/add_question", &[("event_id", &eid), ("label", "Which workshop?"), ("kind", "single_choice"), ("choices", "Seaports"), ("required", "yes")], Some(&chair)).await;
            assert_eq!(location(&res), format!("{settings}#question-errors"));
            let back = app.landing(&res, Some(&chair)).await;
            assert!(back.contains(r#"id="question-choices-error""#) && back.contains("at least two choices"));
            assert!(back.contains(r#"value="Which workshop?""#));
            let res = app.form("/api/add_question", &[("event_id", &eid), ("label", "Which workshop?"), ("kind", "single_choice"), ("choices", "Seaports\nLeadership <b>structures</b>"), ("required", "yes")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("is added"));
            let res = app.form("/api/add_question", &[("event_id", &eid), ("label", "Anything for the chair?"), ("kind", "long_text"), ("choices", "")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("is added"));
            let workshop: i64 = app.scalar(&format!("SELECT id FROM registration_questions WHERE event_id = {spring} AND kind = 'single_choice'")).await;
            let note: i64 = app.scalar(&format!("SELECT id FROM registration_questions WHERE event_id = {spring} AND kind = 'long_text'")).await;

            // The invitee's form asks them; a required one unanswered is named at its field.
            exec(&app.store, &format!("INSERT INTO invitations (event_id, person_id, invited_as, status, created_at) SELECT {spring}, id, 'person', 'invited', '2026-06-01T10:00:00Z' FROM people WHERE email = '{PARTNER}'")).await;
            let token = guest_link(&app, PARTNER, spring).await;
            let (_, form) = as_guest_get(&app, &format!("/guest/events/{spring}"), &token).await;
            assert!(form.contains("Which workshop?") && form.contains("Leadership &lt;b&gt;structures&lt;/b&gt;"), "asked, its words escaped");
            let (wf, nf) = (format!("q{workshop}"), format!("q{note}"));
            let hostile = "</textarea><script>alert(1)</script>";
            let res = as_guest_post(&app, "/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("privacy", "yes"), (&nf, hostile)], &token).await;
            assert_eq!(location(&res), format!("/guest/events/{spring}#register-errors"));
            let back = guest_landing(&app, &res, &token).await;
            assert!(back.contains(&format!(r#"id="register-{wf}-error""#)) && back.contains("this question is required"));
            assert!(back.contains("&lt;/textarea&gt;&lt;script&gt;") && !back.contains("<script>alert(1)"), "what was typed comes back, inert");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {spring}")).await, 0);
            // A choice not offered is refused too.
            let res = as_guest_post(&app, "/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("privacy", "yes"), (&wf, "7")], &token).await;
            assert!(guest_landing(&app, &res, &token).await.contains("Choose one of the answers offered."));
            let res = as_guest_post(&app, "/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("privacy", "yes"), (&wf, "1"), (&nf, hostile)], &token).await;
            let done = guest_landing(&app, &res, &token).await;
            assert!(done.contains("You are registered.") && done.contains("Leadership &lt;b&gt;structures&lt;/b&gt;"), "the answers are shown");

            // The organisers see the answers and get one column per question.
            let list = app.get_as(&format!("/events/{spring}/participants"), Some(&chair)).await.text().await.unwrap();
            assert!(list.contains("Which workshop?") && !list.contains("<script>alert(1)"));
            let csv = app.get_as(&format!("/events/{spring}/participants.csv"), Some(&chair)).await.text().await.unwrap();
            let header = csv.lines().next().unwrap();
            assert!(header.ends_with(r#""Which workshop?","Anything for the chair?""#), "{header}");
            assert!(csv.contains(r#""Leadership <b>structures</b>""#), "the chosen choice in its column");

            // The participant changes their answer; the change is kept.
            let res = as_guest_post(&app, "/api/change_registration", &[("event_id", &eid), ("dietary", "Vegan"), (&wf, "0")], &token).await;
            assert_eq!(location(&res), format!("/guest/events/{spring}#change-registration-notice"));
            let changed = guest_landing(&app, &res, &token).await;
            assert!(changed.contains("Your registration is changed.") && changed.contains("<dd>Seaports</dd>"));
            assert!(changed.contains(r#"value="Vegan""#), "the change form shows what is saved");

            // Removing a question removes its answers.
            let res = app.form("/api/change_question", &[("event_id", &eid), ("question_id", &workshop.to_string()), ("action", "remove")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("and its answers are removed"));
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM registration_answers WHERE question_id = {workshop}")).await, 0);
        }

        async fn organisers_approve_and_decline_and_each_person_is_told(app) {
            let spring = open_spring(&app, ", capacity = 1, delegation_quota = NULL, moderated = TRUE").await;
            let eid = spring.to_string();
            for email in [MEMBER, PARTNER] {
                exec(&app.store, &format!("INSERT INTO invitations (event_id, person_id, invited_as, status, created_at) SELECT {spring}, id, 'person', 'invited', '2026-06-01T10:00:00Z' FROM people WHERE email = '{email}'")).await;
            }
            let member = app.demo(MEMBER).await;
            let res = app.form("/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("privacy", "yes")], Some(&member)).await;
            assert!(app.landing(&res, Some(&member)).await.contains("waits for the organisers' approval"));
            let partner_link = guest_link(&app, PARTNER, spring).await;
            as_guest_post(&app, "/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("privacy", "yes")], &partner_link).await;
            let (katharina, henrik) = (app.person_id(MEMBER).await, app.person_id(PARTNER).await);
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'registration_received' AND event_id = {spring}")).await, 2);

            let chair = app.demo(CHAIR).await;
            let list = app.get_as(&format!("/events/{spring}/participants?status=pending"), Some(&chair)).await.text().await.unwrap();
            assert!(list.contains("Awaiting approval") && list.contains("Approve"));
            let res = app.form("/api/decide_registration", &[("event_id", &eid), ("person_id", &katharina.to_string()), ("decision", "approve")], Some(&chair)).await;
            assert_eq!(location(&res), format!("/events/{spring}/participants#decision-notice"));
            assert!(app.landing(&res, Some(&chair)).await.contains("Katharina Becker is approved and has a place."));
            let (method, props) = calendar_of(&app.store, "registration_approved", MEMBER).await;
            assert_eq!(method, "REQUEST");
            assert!(prop(&props, "ATTENDEE").0.contains("PARTSTAT=ACCEPTED"));
            let res = app.form("/api/decide_registration", &[("event_id", &eid), ("person_id", &henrik.to_string()), ("decision", "reject"), ("message", "The meeting is for judicial authorities only.")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("is declined, and they are told"));
            let text = on_pool!(app.store, pool => {
                sqlx::query_scalar::<_, String>("SELECT body_text FROM mail_outbox WHERE kind = 'registration_rejected' AND person_id = $1")
                    .bind(henrik).fetch_one(pool).await.unwrap()
            });
            assert!(text.contains("judicial authorities only"), "the organisers' message reaches the person");
            let (_, page) = as_guest_get(&app, &format!("/guest/events/{spring}"), &partner_link).await;
            assert!(page.contains("declined your registration") && !page.contains(">Register</button>"), "no second try from the link");
            // Approving what no longer waits is refused with a message.
            let res = app.form("/api/decide_registration", &[("event_id", &eid), ("person_id", &henrik.to_string()), ("decision", "approve")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("no longer awaits approval"));
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM audit_log WHERE action IN ('registration_approved', 'registration_rejected') AND subject_id IN ({katharina}, {henrik})")).await, 2);
            // Cancelling someone asks first, on the page itself (no JavaScript needed).
            let k = katharina.to_string();
            let res = app.form("/api/decide_registration", &[("event_id", &eid), ("person_id", &k), ("decision", "cancel")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("Confirm first"));
            let ask = app.get_as(&format!("/events/{spring}/participants?confirm={katharina}"), Some(&chair)).await.text().await.unwrap();
            assert!(ask.contains("Cancel the registration of Katharina Becker?") && ask.contains(r#"name="confirmed" value="yes""#));
            let res = app.form("/api/decide_registration", &[("event_id", &eid), ("person_id", &k), ("decision", "cancel"), ("confirmed", "yes"), ("message", "The room changed.")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("registration is cancelled, and they are told"));
            let (method, _) = calendar_of(&app.store, "registration_cancelled", MEMBER).await;
            assert_eq!(method, "CANCEL");
        }

        async fn an_erased_participants_place_goes_to_the_first_waiting_who_is_told(app) {
            let spring = open_spring(&app, ", capacity = 1").await;
            let (observer, partner) = (app.person_id(OBSERVER).await, app.person_id(PARTNER).await);
            assert_eq!(register(&app.store, spring, observer).await, Standing::Confirmed);
            assert_eq!(register(&app.store, spring, partner).await, Standing::Waitlisted(1));
            let admin = app.demo(SECRETARIAT).await;
            let res = app.form("/api/admin/erase_person", &[("person_id", &observer.to_string()), ("confirm", "yes")], Some(&admin)).await;
            assert!(app.landing(&res, Some(&admin)).await.contains("The person is erased"));
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM registrations WHERE person_id = {observer}")).await, 0, "nothing of theirs is left");
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM registrations WHERE person_id = {partner} AND status = 'confirmed'")).await, 1);
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'registration_promoted' AND person_id = {partner}")).await, 1, "the promoted person is told");
        }

        async fn a_contact_point_registers_colleagues_within_the_delegations_places(app) {
            let spring = open_spring(&app, ", delegation_quota = 2").await;
            let eid = spring.to_string();
            let member = app.demo(MEMBER).await;
            let page = format!("/guest/events/{spring}");
            let body = app.get_as(&page, Some(&member)).await.text().await.unwrap();
            assert!(body.contains("The delegation of Germany") && body.contains("0 of the 2 places"));
            assert!(!body.contains(">Register</button>"), "not open to contact points themselves: the delegation only");

            // Missing fields are named; nothing is saved.
            let res = app.form("/api/register_delegate", &[("event_id", &eid), ("full_name", "Lena Vogel"), ("email", "not an address"), ("role", ""), ("privacy", "yes")], Some(&member)).await;
            assert_eq!(location(&res), format!("{page}#delegate-errors"));
            let back = app.landing(&res, Some(&member)).await;
            assert!(back.contains(r#"id="delegate-email-error""#) && back.contains(r#"id="delegate-role-error""#));
            assert!(back.contains(r#"value="Lena Vogel""#));

            let res = app.form("/api/register_delegate", &[("event_id", &eid), ("full_name", "Lena Vogel"), ("email", "lena.vogel@justiz.demo.example"), ("organisation", "Staatsanwaltschaft Köln"), ("role", "Prosecutor"), ("privacy", "yes")], Some(&member)).await;
            assert!(app.landing(&res, Some(&member)).await.contains("Lena Vogel is registered for your delegation: a place is theirs."));
            let lena = app.person_id("lena.vogel@justiz.demo.example").await;
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM people WHERE id = {lena} AND member_state = 'DE'")).await, 1, "of her delegation's State");
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM registrations WHERE person_id = {lena} AND status = 'confirmed' AND delegation_role = 'Prosecutor, Staatsanwaltschaft Köln'")).await, 1);
            // She is told, with her own link, which opens her registration.
            let token = on_pool!(app.store, pool => {
                sqlx::query_scalar::<_, String>("SELECT secret FROM mail_outbox WHERE kind = 'delegation_registered' AND person_id = $1")
                    .bind(lena).fetch_one(pool).await.unwrap()
            });
            let (status, own) = as_guest_get(&app, &page, &token).await;
            assert_eq!(status, 200);
            assert!(own.contains("You are registered.") && own.contains("Cancel my registration"));
            let (method, props) = calendar_of(&app.store, "delegation_registered", "lena.vogel@justiz.demo.example").await;
            assert_eq!(method, "REQUEST");
            assert!(prop(&props, "ATTENDEE").0.contains("PARTSTAT=ACCEPTED"));

            // Someone of another Member State is not hers to register.
            let res = app.form("/api/register_delegate", &[("event_id", &eid), ("full_name", "x"), ("email", CHAIR), ("role", "Prosecutor"), ("privacy", "yes")], Some(&member)).await;
            assert!(app.landing(&res, Some(&member)).await.contains("only your own delegation"));
            // The second place, then the quota is used up: refused at the address.
            let res = app.form("/api/register_delegate", &[("event_id", &eid), ("full_name", "Jonas Brandt"), ("email", "jonas.brandt@justiz.demo.example"), ("role", "Investigative judge"), ("privacy", "yes")], Some(&member)).await;
            assert!(app.landing(&res, Some(&member)).await.contains("a place is theirs"));
            let body = app.get_as(&page, Some(&member)).await.text().await.unwrap();
            assert!(body.contains("2 of the 2 places") && body.contains("Jonas Brandt") && body.contains("places are all taken"));
            let res = app.form("/api/register_delegate", &[("event_id", &eid), ("full_name", "Third Person"), ("email", "third@justiz.demo.example"), ("role", "Analyst"), ("privacy", "yes")], Some(&member)).await;
            let back = app.landing(&res, Some(&member)).await;
            assert!(back.contains(r#"id="delegate-email-error""#) && back.contains("The delegation of Germany has used its 2 places"), "at the field");
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM registrations WHERE event_id = {spring}")).await, 2);
            // The organisers see the seats per Member State.
            let chair = app.demo(CHAIR).await;
            let list = app.get_as(&format!("/events/{spring}/participants"), Some(&chair)).await.text().await.unwrap();
            assert!(list.contains(r#"data-testid="delegations""#) && list.contains("2 of 2") && list.contains("registered by Katharina Becker"));
            // An observer is no delegation's head.
            let observer = app.demo(OBSERVER).await;
            let res = app.form("/api/register_delegate", &[("event_id", &eid), ("full_name", "x"), ("email", "x@example.eu"), ("role", "x"), ("privacy", "yes")], Some(&observer)).await;
            assert_eq!(res.status().as_u16(), 403);
        }
    }
}

mod upload {
    use super::*;

    /// Sends a file as a browser's plain form does (`multipart/form-data`).
    async fn send_file(
        app: &TestApp,
        event: i64,
        content: &[u8],
        session: &str,
    ) -> reqwest::Response {
        let boundary = "----convene-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"guests.csv\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        app.client
            .post(format!("{}/events/{event}/invitations/upload", app.base))
            .header("origin", &app.base)
            .header("cookie", format!("convene_session={session}"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap()
    }

    crate::on_both_backends! { TestApp;

        async fn a_guests_file_is_previewed_line_by_line_and_imported_once_confirmed(app) {
            let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
            let chair = app.demo(CHAIR).await;
            let people_before = app.scalar("SELECT COUNT(*) FROM people").await;
            let file = "Name;Email;Organisation;Member State\r\n\
                        Anna Schmidt;anna.schmidt@guests.example;Eurojust;DE\r\n\
                        Jean Martin;jean.martin(at)guests.example;;FR\r\n\
                        <script>alert(1)</script>;script@guests.example;;Atlantis\r\n\
                        Anna Again;ANNA.SCHMIDT@guests.example;;\r\n\
                        Henrik Maas;henrik.maas@europol.demo.example;Europol;\r\n";
            let res = send_file(&app, spring, file.as_bytes(), &chair).await;
            assert_eq!(res.status().as_u16(), 303);
            let to = location(&res);
            assert!(to.starts_with(&format!("/events/{spring}/invitations/upload?preview=")), "{to}");
            let preview = app.get_as(&to, Some(&chair)).await.text().await.unwrap();
            assert!(preview.contains("2 guests to invite; 3 lines refused."), "{preview}");
            assert!(preview.contains("Line 3: “jean.martin(at)guests.example” is not a valid e-mail address."));
            assert!(preview.contains("Line 4: “Atlantis” is not a Member State"));
            assert!(preview.contains("Line 5: ANNA.SCHMIDT@guests.example is already on line 2 of this file."));
            assert!(!preview.contains("<script>alert(1)"), "the file's text is escaped");
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM invitations WHERE event_id = {spring}")).await, 0, "nothing imported before the confirmation");
            assert_eq!(app.scalar("SELECT COUNT(*) FROM people").await, people_before);

            // Another organiser does not see this preview.
            let upload = to.rsplit('=').next().unwrap().to_owned();
            let admin = app.demo(SECRETARIAT).await;
            let theirs = app.get_as(&to, Some(&admin)).await.text().await.unwrap();
            assert!(!theirs.contains("anna.schmidt@guests.example"), "a preview is its uploader's");

            let eid = spring.to_string();
            let res = app.form("/api/import_guests", &[("event_id", &eid), ("upload_id", &upload)], Some(&chair)).await;
            assert_eq!(location(&res), format!("/events/{spring}/invitations#import-notice"));
            assert!(app.landing(&res, Some(&chair)).await.contains("2 guests invited from the file, 1 new to the directory"));
            let anna = app.person_id("anna.schmidt@guests.example").await;
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM people WHERE id = {anna} AND member_state = 'DE' AND organisation_id IS NOT NULL")).await, 1, "her State, and Eurojust from the directory");
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation' AND event_id = {spring}")).await, 2, "a mail with a link each");
            // Confirming again imports nothing twice.
            let res = app.form("/api/import_guests", &[("event_id", &eid), ("upload_id", &upload)], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("imported already"));
            assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM invitations WHERE event_id = {spring}")).await, 2);
            // Read again, the same file finds them invited.
            let res = send_file(&app, spring, file.as_bytes(), &chair).await;
            let again = app.get_as(&location(&res), Some(&chair)).await.text().await.unwrap();
            assert!(again.contains("anna.schmidt@guests.example is already invited to this event."));

            // Too large, not text, or not an organiser.
            let big = vec![b'a'; 600 * 1024];
            let res = send_file(&app, spring, &big, &chair).await;
            assert_eq!(location(&res), format!("/events/{spring}/invitations/upload?error=too_large"));
            let page = app.get_as(&location(&res), Some(&chair)).await.text().await.unwrap();
            assert!(page.contains("larger than 512 KB"));
            let res = send_file(&app, spring, &[0xff, 0xfe, 0x00, 0x41], &chair).await;
            assert_eq!(location(&res), format!("/events/{spring}/invitations/upload?error=not_text"));
            let member = app.demo(MEMBER).await;
            assert_eq!(send_file(&app, spring, file.as_bytes(), &member).await.status().as_u16(), 403);
            let res = app.client.post(format!("{}/events/{spring}/invitations/upload", app.base)).header("origin", "https://attacker.example")
                .header("cookie", format!("convene_session={chair}")).body("x").send().await.unwrap();
            assert_eq!(res.status().as_u16(), 403, "another site's form is refused");
        }
    }
}
