//! Invitations and registration: the places, the waiting list and their exactness
//! under concurrency (store, both backends), and the path through the real server:
//! a chair invites, the invitee opens the personal link from the mail and
//! registers, declines or cancels.
use crate::helpers::*;
use app::on_pool;
use app::platform::Store;
use app::registration::store::{self as reg, RegistrationInput, Standing};

pub(crate) async fn event_id(store: &Store, slug: &str) -> i64 {
    on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM events WHERE slug = $1").bind(slug).fetch_one(pool).await.unwrap()
    })
}

pub(crate) async fn scalar_i64(store: &Store, sql: &str) -> i64 {
    on_pool!(store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

pub(crate) async fn exec(store: &Store, sql: &str) {
    on_pool!(store, pool => { sqlx::query(sql).execute(pool).await.unwrap(); });
}

/// `n` people of the demo data (by id), to register.
pub(crate) async fn people(store: &Store, n: i64) -> Vec<i64> {
    on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM people ORDER BY id LIMIT $1").bind(n).fetch_all(pool).await.unwrap()
    })
}

pub(crate) const IN_PERSON: RegistrationInput<'static> = RegistrationInput {
    online: false,
    dietary: "",
    accessibility: "",
    privacy_version: "test",
    list_consent: false,
    registered_by: None,
    delegation_role: "",
};

pub(crate) async fn register(store: &Store, event: i64, person: i64) -> Standing {
    let mut tx = store.begin().await.unwrap();
    let s = reg::register(&mut tx, event, person, &IN_PERSON, test_clock().now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    s
}

async fn cancel(store: &Store, event: i64, person: i64) -> Option<i64> {
    let mut tx = store.begin().await.unwrap();
    let promoted = reg::cancel(&mut tx, event, person, test_clock().now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    promoted
}

/// The waiting list of an event, in order: (person, position).
pub(crate) async fn waiting(store: &Store, event: i64) -> Vec<(i64, i64)> {
    on_pool!(store, pool => {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT person_id, CAST(waitlist_position AS BIGINT) FROM registrations
             WHERE event_id = $1 AND status = 'waitlisted' ORDER BY waitlist_position",
        ).bind(event).fetch_all(pool).await.unwrap()
    })
}

mod places {
    use super::*;

    crate::on_both_backends! { DemoStore;

        async fn places_fill_then_the_waiting_list_and_a_freed_place_goes_to_the_first_waiting(f) {
            let store = &f.0.store;
            let spring = event_id(store, "plenary-meeting-spring-2027").await;
            exec(store, &format!("UPDATE events SET capacity = 2 WHERE id = {spring}")).await;
            let p = people(store, 5).await;
            assert_eq!(register(store, spring, p[0]).await, Standing::Confirmed);
            assert_eq!(register(store, spring, p[1]).await, Standing::Confirmed);
            assert_eq!(register(store, spring, p[2]).await, Standing::Waitlisted(1), "the third waits");
            assert_eq!(register(store, spring, p[3]).await, Standing::Waitlisted(2));
            assert_eq!(register(store, spring, p[4]).await, Standing::Waitlisted(3));
            // Registering twice is refused.
            let mut tx = store.begin().await.unwrap();
            assert!(reg::register(&mut tx, spring, p[0], &IN_PERSON, test_clock().now()).await.is_err());
            drop(tx);
            // Online places do not count against the in-person capacity.
            let online = people(store, 6).await[5];
            let mut tx = store.begin().await.unwrap();
            let s = reg::register(&mut tx, spring, online, &RegistrationInput { online: true, ..IN_PERSON }, test_clock().now()).await.unwrap();
            tx.commit().await.unwrap();
            assert_eq!(s, Standing::Confirmed);

            // A confirmed person cancels: the first waiting is promoted, the list closes up.
            assert_eq!(cancel(store, spring, p[0]).await, Some(p[2]));
            assert_eq!(waiting(store, spring).await, vec![(p[3], 1), (p[4], 2)]);
            // A waiting person cancels: those after move up; nobody is promoted.
            assert_eq!(cancel(store, spring, p[3]).await, None);
            assert_eq!(waiting(store, spring).await, vec![(p[4], 1)]);
            // Cancelling again changes nothing; registering again goes to the end.
            assert_eq!(cancel(store, spring, p[3]).await, None);
            assert_eq!(register(store, spring, p[3]).await, Standing::Waitlisted(2));
            assert_eq!(scalar_i64(store, &format!(
                "SELECT COUNT(*) FROM registrations WHERE event_id = {spring} AND status = 'confirmed' AND attendance = 'in_person'")).await, 2);
        }

        async fn the_demo_first_plenary_has_its_participants_and_attendance_register(f) {
            let store = &f.0.store;
            let first = event_id(store, "first-plenary-meeting").await;
            let registered = scalar_i64(store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {first} AND status = 'confirmed'")).await;
            assert_eq!(registered, 54 / 2, "every EJOCN contact point");
            let days = scalar_i64(store, &format!("SELECT COUNT(DISTINCT day) FROM attendance_register WHERE event_id = {first}")).await;
            assert_eq!(days, 2, "both days of the meeting");
            let present = scalar_i64(store, &format!("SELECT COUNT(*) FROM attendance_register WHERE event_id = {first} AND status = 'present'")).await;
            assert!(present > registered && present < 2 * registered, "most present, some excused or absent: {present}");
        }

        async fn concurrent_registrations_never_exceed_the_places_nor_repeat_a_position(f) {
            let store = f.0.store.clone();
            let spring = event_id(&store, "plenary-meeting-spring-2027").await;
            exec(&store, &format!("UPDATE events SET capacity = 7 WHERE id = {spring}")).await;
            let all = people(&store, 40).await;
            let tasks: Vec<_> = all.iter().map(|&person| {
                let store = store.clone();
                tokio::spawn(async move {
                    // No retry: every registration gets its answer at the first try,
                    // on SQLite as on PostgreSQL (the event's lock queues them).
                    let mut tx = store.begin().await.unwrap();
                    let s = reg::register(&mut tx, spring, person, &IN_PERSON, test_clock().now()).await.unwrap();
                    tx.commit().await.unwrap();
                    s
                })
            }).collect();
            let mut confirmed = 0;
            let mut positions = Vec::new();
            for t in tasks {
                match t.await.unwrap() {
                    Standing::Confirmed => confirmed += 1,
                    Standing::Waitlisted(p) => positions.push(p),
                    other => unreachable!("{other:?}"),
                }
            }
            assert_eq!(confirmed, 7, "exactly the places");
            positions.sort();
            assert_eq!(positions, (1..=33).collect::<Vec<i64>>(), "positions 1 to 33, no gap, no repeat");
            assert_eq!(waiting(&store, spring).await.len(), 33);
        }
    }
}

/// Reads the personal link's token of the newest invitation mail to `email`
/// (it waits beside the message until delivery).
pub(crate) async fn invitation_token(store: &Store, email: &str) -> String {
    on_pool!(store, pool => {
        sqlx::query_scalar::<_, String>(
            "SELECT secret FROM mail_outbox WHERE kind IN ('invitation', 'invitation_reminder') AND lower(recipient_email) = lower($1) ORDER BY id DESC LIMIT 1",
        ).bind(email).fetch_one(pool).await.unwrap()
    })
}

/// The calendar part of the newest mail of `kind` to `email`, read by a strict
/// iCalendar parser: (METHOD, the VEVENT's properties as "NAME;PARAMS" → value).
pub(crate) async fn calendar_of(
    store: &Store,
    kind: &str,
    email: &str,
) -> (String, std::collections::BTreeMap<String, String>) {
    let (method, ics): (Option<String>, Option<String>) = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT calendar_method, calendar_ics FROM mail_outbox WHERE kind = $1 AND lower(recipient_email) = lower($2) ORDER BY id DESC LIMIT 1",
        ).bind(kind).bind(email).fetch_one(pool).await.unwrap()
    });
    let ics = ics.unwrap_or_else(|| panic!("{kind} to {email} has a calendar part"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line}");
    }
    let unfolded = icalendar::parser::unfold(&ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid calendar");
    let cal_method = cal
        .properties
        .iter()
        .find(|p| p.name.as_str() == "METHOD")
        .map(|p| p.val.as_str().to_owned());
    assert_eq!(
        cal_method, method,
        "the part's METHOD is the content type's"
    );
    let event = cal
        .components
        .iter()
        .find(|c| c.name.as_str() == "VEVENT")
        .expect("one VEVENT");
    let props = event
        .properties
        .iter()
        .map(|p| {
            let params: Vec<String> = p
                .params
                .iter()
                .map(|q| {
                    format!(
                        "{}={}",
                        q.key.as_str(),
                        q.val.as_ref().map(|v| v.as_str()).unwrap_or("")
                    )
                })
                .collect();
            let key = if params.is_empty() {
                p.name.as_str().to_owned()
            } else {
                format!("{};{}", p.name.as_str(), params.join(";"))
            };
            (key, p.val.as_str().to_owned())
        })
        .collect();
    (method.unwrap_or_default(), props)
}

pub(crate) fn prop<'a>(
    props: &'a std::collections::BTreeMap<String, String>,
    name: &str,
) -> (&'a str, &'a str) {
    props
        .iter()
        .find(|(k, _)| k.as_str() == name || k.starts_with(&format!("{name};")))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .unwrap_or_else(|| panic!("{name} in {props:?}"))
}

pub(crate) async fn as_guest_get(app: &TestApp, path: &str, token: &str) -> (u16, String) {
    let res = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", format!("convene_guest={token}"))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

pub(crate) async fn as_guest_post(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    token: &str,
) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.base))
        .header("origin", &app.base)
        .header("accept", "text/html,application/xhtml+xml")
        .header("cookie", format!("convene_guest={token}"))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// Follows a guest's form answer back to its page, with the round-trip cookie.
pub(crate) async fn guest_landing(app: &TestApp, res: &reqwest::Response, token: &str) -> String {
    let to = location(res);
    let to = to.split('#').next().unwrap().to_owned();
    let mut cookie = format!("convene_guest={token}");
    if let Some((v, _)) = set_cookie(res, "convene_form") {
        cookie.push_str(&format!("; convene_form={v}"));
    }
    app.client
        .get(format!("{}{to}", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

mod http {
    use super::*;

    crate::on_both_backends! { TestApp;

        async fn a_chair_invites_the_contact_points_and_an_invitee_registers_from_the_link(app) {
            let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
            // Registration is open today (the test clock's 1 June 2026), with one place.
            exec(&app.store, &format!("UPDATE events SET registration_opens_at = NULL, capacity = 1 WHERE id = {spring}")).await;
            let chair = app.demo(CHAIR).await;
            let page = format!("/events/{spring}/invitations");
            let body = app.get_as(&page, Some(&chair)).await.text().await.unwrap();
            assert!(body.contains("Send the invitations"), "the chair has the form on the event's own page");

            // An empty choice is refused at its field.
            let res = app.form("/api/invite_members", &[("event_id", &spring.to_string()), ("category", ""), ("member_state", "")], Some(&chair)).await;
            assert_eq!(location(&res), format!("{page}#invite-errors"));
            assert!(app.landing(&res, Some(&chair)).await.contains("Choose whom to invite from the list."));

            // The German contact points.
            let res = app.form("/api/invite_members", &[("event_id", &spring.to_string()), ("category", "national_contact_point"), ("member_state", "DE")], Some(&chair)).await;
            assert_eq!(location(&res), format!("{page}#invite-notice"));
            let invited = scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM invitations WHERE event_id = {spring}")).await;
            assert!(invited >= 1, "at least Katharina Becker");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation' AND event_id = {spring}")).await, invited, "one mail each");
            let body = app.get_as(&page, Some(&chair)).await.text().await.unwrap();
            assert!(body.contains("Katharina Becker") && body.contains("Not answered yet"));
            // Inviting again invites nobody twice.
            let res = app.form("/api/invite_members", &[("event_id", &spring.to_string()), ("category", "national_contact_point"), ("member_state", "DE")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("Nobody new to invite"));
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM invitations WHERE event_id = {spring}")).await, invited);

            // The invitation carries a calendar REQUEST that calendar programs show
            // as an invitation to answer.
            let (method, props) = calendar_of(&app.store, "invitation", MEMBER).await;
            assert_eq!(method, "REQUEST");
            assert!(prop(&props, "UID").1.starts_with(&format!("event-{spring}@")), "a stable UID per event");
            assert_eq!(prop(&props, "SEQUENCE").1, "0");
            assert_eq!(prop(&props, "DTSTART"), ("DTSTART;TZID=Europe/Amsterdam", "20270317T093000"), "09:30 in Amsterdam, in its zone");
            // The feed has the same meeting: the same UID and SEQUENCE.
            let feed = app.get("/networks/ejocn/events/plenary-meeting-spring-2027/calendar.ics").await.text().await.unwrap();
            let unfolded = feed.replace("\r\n ", "");
            assert!(unfolded.contains(&format!("UID:{}\r\n", prop(&props, "UID").1)), "the feed's UID is the mail's");
            let in_feed = unfolded.split("BEGIN:VEVENT").find(|v| v.contains(prop(&props, "UID").1)).unwrap();
            assert!(in_feed.contains(&format!("SEQUENCE:{}\r\n", prop(&props, "SEQUENCE").1)), "and its SEQUENCE");
            let (attendee, to) = prop(&props, "ATTENDEE");
            assert!(attendee.contains("PARTSTAT=NEEDS-ACTION") && attendee.contains("RSVP=TRUE"), "{attendee}");
            assert_eq!(to.to_lowercase(), format!("mailto:{MEMBER}"));
            assert!(prop(&props, "ORGANIZER").1.starts_with("mailto:"));

            // The mail holds a placeholder, never the token; the token opens the invitation.
            let stored = on_pool!(app.store, pool => {
                sqlx::query_scalar::<_, String>("SELECT body_text FROM mail_outbox WHERE kind = 'invitation' AND lower(recipient_email) = lower($1)")
                    .bind(MEMBER).fetch_one(pool).await.unwrap()
            });
            let token = invitation_token(&app.store, MEMBER).await;
            assert!(!stored.contains(&token), "the stored message never holds the token");
            assert!(stored.contains("Answer the invitation"));
            let res = app.get(&format!("/guest/{token}")).await;
            assert_eq!(location(&res), format!("/guest/events/{spring}"));
            let (status, body) = as_guest_get(&app, &format!("/guest/events/{spring}"), &token).await;
            assert_eq!(status, 200);
            assert!(body.contains("Your invitation") && body.contains("I agree to the privacy notice"));
            assert!(!body.contains("Piotr Zielinski"), "an invitation never shows who else is invited");

            // Without agreeing to the privacy notice: refused at the field, nothing saved.
            let eid = spring.to_string();
            let res = as_guest_post(&app, "/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("dietary", "Vegetarian"), ("accessibility", ""), ("privacy", ""), ("list_consent", "")], &token).await;
            assert_eq!(location(&res), format!("/guest/events/{spring}#register-errors"));
            let back = guest_landing(&app, &res, &token).await;
            assert!(back.contains("agree to the privacy notice"), "the message at the field");
            assert!(back.contains(r#"value="Vegetarian""#), "what was typed is kept");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {spring}")).await, 0);

            let res = as_guest_post(&app, "/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("dietary", "Vegetarian"), ("accessibility", ""), ("privacy", "yes"), ("list_consent", "yes")], &token).await;
            assert_eq!(location(&res), format!("/guest/events/{spring}#register-notice"));
            let registered = guest_landing(&app, &res, &token).await;
            assert!(registered.contains("You are registered."));
            assert!(registered.contains(r#"data-testid="participant-list""#) && registered.contains("<li>Katharina Becker"),
                "a confirmed participant sees the participant list, herself on it (she agreed)");
            let member = app.person_id(MEMBER).await;
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'registration_confirmed' AND person_id = {member}")).await, 1, "a confirmation mail");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'registered' AND subject_id = {spring}")).await, 1);
            let body = app.get_as(&page, Some(&chair)).await.text().await.unwrap();
            assert!(body.contains("Registered"), "the organisers see the answer");

            let (method, props) = calendar_of(&app.store, "registration_confirmed", MEMBER).await;
            assert_eq!(method, "REQUEST");
            assert!(prop(&props, "ATTENDEE").0.contains("PARTSTAT=ACCEPTED"), "the calendar entry is accepted");

            // Someone else with a link finds the one place taken: the waiting list.
            let other = guest_link(&app, PARTNER, spring).await;
            exec(&app.store, &format!("INSERT INTO invitations (event_id, person_id, invited_as, status, created_at) SELECT {spring}, id, 'person', 'invited', '2026-06-01T10:00:00Z' FROM people WHERE email = '{PARTNER}'")).await;
            let res = as_guest_post(&app, "/api/register_as_guest", &[("event_id", &eid), ("attendance", "in_person"), ("privacy", "yes")], &other).await;
            let waiting_page = guest_landing(&app, &res, &other).await;
            assert!(waiting_page.contains("waiting list, at position 1"));
            assert!(!waiting_page.contains("participant-list") && !waiting_page.contains("<li>Katharina Becker"),
                "someone waiting does not see who is coming");

            // The first cancels: the place goes to the partner, who is told by mail.
            let res = as_guest_post(&app, "/api/cancel_registration_as_guest", &[("event_id", &eid), ("confirm", "yes")], &token).await;
            assert!(guest_landing(&app, &res, &token).await.contains("Your registration is cancelled"));
            let partner = app.person_id(PARTNER).await;
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM registrations WHERE person_id = {partner} AND status = 'confirmed'")).await, 1);
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'registration_promoted' AND person_id = {partner}")).await, 1);

            let (method, props) = calendar_of(&app.store, "registration_cancelled", MEMBER).await;
            assert_eq!(method, "CANCEL", "the cancelled place leaves the calendar");
            assert_eq!(prop(&props, "STATUS").1, "CANCELLED");

            // The secretariat moves the meeting: everyone still invited or registered
            // gets the update, with the calendar's SEQUENCE raised.
            let admin = app.demo(SECRETARIAT).await;
            let ejocn: i64 = app.scalar("SELECT id FROM networks WHERE slug = 'ejocn'").await;
            let moved = [
                ("id", eid.as_str()), ("network_id", &ejocn.to_string()), ("slug", "plenary-meeting-spring-2027"),
                ("title", "Plenary Meeting, spring 2027"), ("kind", "plenary"), ("summary", ""),
                ("starts", "2027-03-18T09:30"), ("ends", "2027-03-19T13:00"), ("time_zone", "Europe/Amsterdam"),
                ("venue", "Eurojust, The Hague"), ("online_link", ""), ("chair_label", ""), ("capacity", "1"),
                ("delegation_quota", ""), ("registration_opens", ""), ("registration_closes", "2027-02-26T17:00"),
            ];
            let moved: Vec<(&str, &str)> = moved.iter().map(|(k, v)| (*k, &**v)).collect();
            let res = app.form("/api/admin/save_event", &moved, Some(&admin)).await;
            let notice = app.landing(&res, Some(&admin)).await;
            assert!(notice.contains("about the change, with their calendar entry updated"), "the secretariat is told who was told");
            let (method, props) = calendar_of(&app.store, "event_updated", PARTNER).await;
            assert_eq!(method, "REQUEST");
            assert_eq!(prop(&props, "SEQUENCE").1, "1", "raised");
            assert_eq!(prop(&props, "DTSTART").1, "20270318T093000");
            assert!(prop(&props, "ATTENDEE").0.contains("PARTSTAT=ACCEPTED"), "the partner's place stays accepted");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'event_updated' AND person_id = {member}")).await, 0,
                "a cancelled registration gets no update");

            // More places: the first waiting is confirmed at once, and told.
            let observer = app.person_id(OBSERVER).await;
            let mut tx = app.store.begin().await.unwrap();
            assert_eq!(reg::register(&mut tx, spring, observer, &IN_PERSON, test_clock().now()).await.unwrap(), Standing::Waitlisted(1));
            tx.commit().await.unwrap();
            let more: Vec<(&str, &str)> = moved.iter().map(|(k, v)| (*k, if *k == "capacity" { "2" } else { *v })).collect();
            let res = app.form("/api/admin/save_event", &more, Some(&admin)).await;
            assert!(app.landing(&res, Some(&admin)).await.contains("1 person moved from the waiting list to the new places"));
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM registrations WHERE person_id = {observer} AND status = 'confirmed'")).await, 1);
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'registration_promoted' AND person_id = {observer}")).await, 1);

            // Check-in on the day: found by name, one button, recorded per day.
            let page = format!("/events/{spring}/check-in?day=2027-03-18&q=laur");
            let found = app.get_as(&page, Some(&chair)).await.text().await.unwrap();
            assert!(found.contains("Isabelle Laurent") && !found.contains("Ana Lima"), "the search narrows the list");
            let obs = observer.to_string();
            let res = app.form("/api/mark_attendance", &[("event_id", &eid), ("person_id", &obs), ("day", "2027-03-18"), ("status", "present"), ("q", "laur")], Some(&chair)).await;
            assert_eq!(location(&res), format!("/events/{spring}/check-in?day=2027-03-18&q=laur#check-in-notice"), "back to the same search");
            assert!(app.landing(&res, Some(&chair)).await.contains("Isabelle Laurent: present on Thursday 18 March."));
            let res = app.form("/api/mark_attendance", &[("event_id", &eid), ("person_id", &obs), ("day", "2027-03-17"), ("status", "present"), ("q", "")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("That day is not a day of this event."));
            let res = app.form("/api/mark_attendance", &[("event_id", &eid), ("person_id", &member.to_string()), ("day", "2027-03-18"), ("status", "present"), ("q", "")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("Only a participant with a confirmed place can be checked in."));
            let day = app.get_as(&format!("/events/{spring}/check-in?day=2027-03-18"), Some(&chair)).await.text().await.unwrap();
            assert!(day.contains("1 of 2 present on Thursday 18 March 2027."), "the register counts");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM attendance_register WHERE status = 'present' AND event_id = {spring}")).await, 1);

            let badges = app.get_as(&format!("/events/{spring}/badges"), Some(&chair)).await.text().await.unwrap();
            assert!(badges.contains("2 badges for the confirmed participants"), "one per confirmed participant");
            assert!(badges.contains("Isabelle Laurent") && !badges.contains("Katharina Becker"), "not for a cancelled place");

            // The secretariat cancels the meeting: it leaves the calendar of everyone
            // still invited or registered (a CANCEL, SEQUENCE raised), and the feed
            // says the same.
            let res = app.form("/api/admin/set_event_status", &[("id", &eid), ("status", "cancelled"), ("confirmed", "yes")], Some(&admin)).await;
            let notice = app.landing(&res, Some(&admin)).await;
            assert!(notice.contains("taken out of their calendar"), "{notice}");
            let (method, props) = calendar_of(&app.store, "event_cancelled", PARTNER).await;
            assert_eq!(method, "CANCEL");
            assert_eq!(prop(&props, "STATUS").1, "CANCELLED");
            assert_eq!(prop(&props, "SEQUENCE").1, "2", "raised by the cancellation");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'event_cancelled' AND person_id = {member}")).await, 0,
                "a cancelled registration is not told again");
            let feed = app.get("/networks/ejocn/events/plenary-meeting-spring-2027/calendar.ics").await.text().await.unwrap();
            let in_feed = feed.split("BEGIN:VEVENT").find(|v| v.contains(&format!("UID:{}", prop(&props, "UID").1))).unwrap();
            assert!(in_feed.contains("STATUS:CANCELLED\r\n") && in_feed.contains("SEQUENCE:2\r\n"), "{in_feed}");

            // The organisers' list and its spreadsheet; a name that a spreadsheet
            // would run as a formula stays text.
            exec(&app.store, &format!("UPDATE people SET full_name = '=HYPERLINK(\"https://attacker.example\",\"Maas\")' WHERE id = {partner}")).await;
            let list = app.get_as(&format!("/events/{spring}/participants"), Some(&chair)).await.text().await.unwrap();
            assert!(list.contains("2 confirmed participants, 0 waiting, 1 cancelled."), "the counts");
            assert!(list.contains("Vegetarian"), "the needs are shown to the organisers");
            let res = app.get_as(&format!("/events/{spring}/participants.csv"), Some(&chair)).await;
            assert_eq!(res.status().as_u16(), 200);
            assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
            let csv = res.text().await.unwrap();
            assert!(csv.starts_with("\u{feff}\"Name\",\"Email\""), "BOM and header");
            assert!(csv.contains("\"'=HYPERLINK(\"\"https://attacker.example\"\",\"\"Maas\"\")\""), "{csv}");
            assert!(csv.contains("\"Confirmed\"") && csv.contains("\"Cancelled\""));
            assert!(csv.contains("\r\n"), "CRLF line ends");
            assert_eq!(scalar_i64(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action = 'participants_exported'").await, 1, "the download is audited");
            let member_session = app.demo(OBSERVER).await;
            assert_eq!(app.get_as(&format!("/events/{spring}/participants.csv"), Some(&member_session)).await.status().as_u16(), 403);

            // A link for another event gets nowhere here.
            let first = event_id(&app.store, "first-plenary-meeting").await;
            let elsewhere = guest_link(&app, OBSERVER, first).await;
            let res = as_guest_post(&app, "/api/register_as_guest", &[("event_id", &eid), ("privacy", "yes")], &elsewhere).await;
            assert_eq!(res.status().as_u16(), 403);
        }

        async fn invitees_registering_at_the_same_moment_get_exact_places_and_each_their_own_answer(app) {
            let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
            exec(&app.store, &format!("UPDATE events SET registration_opens_at = NULL, capacity = 10 WHERE id = {spring}")).await;
            let chair = app.demo(CHAIR).await;
            let res = app.form("/api/invite_members", &[("event_id", &spring.to_string()), ("category", "national_contact_point"), ("member_state", "")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("invited"));
            let invited: Vec<(i64, String)> = on_pool!(app.store, pool => {
                sqlx::query_as("SELECT p.id, p.email FROM invitations i JOIN people p ON p.id = i.person_id WHERE i.event_id = $1 ORDER BY p.id")
                    .bind(spring).fetch_all(pool).await.unwrap()
            });
            let n = invited.len();
            assert!(n >= 20, "the contact points of every Member State: {n}");
            let mut links = Vec::new();
            for (person, email) in &invited {
                links.push((*person, guest_link(&app, email, spring).await));
            }
            // Every invitee sends the form at once, and the first of them twice
            // (a double click): all through the real server, in no set order.
            let eid = spring.to_string();
            let posts = links.iter().chain(std::iter::once(&links[0])).map(|(person, token)| {
                let (app, eid) = (&app, &eid);
                async move {
                    let res = as_guest_post(app, "/api/register_as_guest", &[("event_id", eid), ("attendance", "in_person"), ("privacy", "yes")], token).await;
                    (*person, location(&res), guest_landing(app, &res, token).await)
                }
            });
            let answers = futures::future::join_all(posts).await;

            let confirmed = scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {spring} AND status = 'confirmed'")).await;
            assert_eq!(confirmed, 10, "exactly the places");
            let list = waiting(&app.store, spring).await;
            assert_eq!(list.iter().map(|(_, p)| *p).collect::<Vec<_>>(), (1..=n as i64 - 10).collect::<Vec<_>>(), "positions 1 to {}, no gap, no repeat", n - 10);
            // Each is told where they stand, on the page and by mail.
            let mut refused = 0;
            for (person, to, page) in &answers {
                if to.ends_with("#register-errors") {
                    assert_eq!(*person, links[0].0, "only the double click is refused");
                    assert!(page.contains("Already registered for this event."), "said at the form");
                    refused += 1;
                    continue;
                }
                assert!(to.ends_with("#register-notice"), "{to}");
                match list.iter().find(|(p, _)| p == person) {
                    Some((_, position)) => {
                        assert!(page.contains(&format!("waiting list, at position {position}")), "their own position on the page");
                        let text = on_pool!(app.store, pool => {
                            sqlx::query_scalar::<_, String>("SELECT body_text FROM mail_outbox WHERE kind = 'registration_waitlisted' AND person_id = $1")
                                .bind(person).fetch_one(pool).await.unwrap()
                        });
                        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                        assert!(text.contains(&format!("at position {position}.")), "their own position by mail");
                    }
                    None => {
                        assert!(page.contains("You are registered."));
                        assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'registration_confirmed' AND person_id = {person}")).await, 1);
                    }
                }
            }
            assert_eq!(refused, 1, "the second of the double click");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'registered' AND subject_id = {spring}")).await, n as i64, "one audit entry each");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind LIKE 'registration_%' AND event_id = {spring}")).await, n as i64, "one mail each");
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM invitations WHERE event_id = {spring} AND status = 'accepted'")).await, n as i64, "every invitation answered");
        }

        async fn one_person_is_invited_by_address_and_those_who_have_not_answered_are_reminded_once_a_day(app) {
            let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
            let eid = spring.to_string();
            let chair = app.demo(CHAIR).await;
            let page = format!("/events/{spring}/invitations");
            // A new address needs a name: refused at that field, what was typed kept.
            let res = app.form("/api/invite_person", &[("event_id", &eid), ("email", "ana.lima@pgr.demo.example"), ("full_name", "")], Some(&chair)).await;
            assert_eq!(location(&res), format!("{page}#invite-person-errors"));
            let back = app.landing(&res, Some(&chair)).await;
            assert!(back.contains("enter the guest&#39;s full name") || back.contains("enter the guest's full name"), "the message at the name");
            assert!(back.contains(r#"value="ana.lima@pgr.demo.example""#));
            let res = app.form("/api/invite_person", &[("event_id", &eid), ("email", "ana.lima@pgr.demo.example"), ("full_name", "Ana Lima")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("Ana Lima is added as a guest and invited"));
            let ana = app.person_id("ana.lima@pgr.demo.example").await;
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM accounts WHERE person_id = {ana}")).await, 0, "a guest has no account");
            // A known person by address, in any case; twice is refused.
            let res = app.form("/api/invite_person", &[("event_id", &eid), ("email", &OBSERVER.to_uppercase()), ("full_name", "")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("Isabelle Laurent is invited"));
            let res = app.form("/api/invite_person", &[("event_id", &eid), ("email", OBSERVER), ("full_name", "")], Some(&chair)).await;
            assert!(app.landing(&res, Some(&chair)).await.contains("Isabelle Laurent is already invited."));
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation' AND event_id = {spring}")).await, 2);

            // The observer declines; the reminder goes to Ana only, once a day.
            let token = invitation_token(&app.store, OBSERVER).await;
            as_guest_post(&app, "/api/decline_invitation", &[("event_id", &eid), ("message", "")], &token).await;
            for _ in 0..2 {
                let res = app.form("/api/remind_unanswered", &[("event_id", &eid), ("confirm", "yes")], Some(&chair)).await;
                assert!(app.landing(&res, Some(&chair)).await.contains("1 person reminded"));
            }
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation_reminder' AND person_id = {ana}")).await, 1, "once a day");
            let observer = app.person_id(OBSERVER).await;
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation_reminder' AND person_id = {observer}")).await, 0, "not who declined");
            let list = app.get_as(&page, Some(&chair)).await.text().await.unwrap();
            assert!(list.contains("1 June 2026"), "the list says when Ana was last reminded");
            // The reminder's fresh link works too.
            let fresh = invitation_token(&app.store, "ana.lima@pgr.demo.example").await;
            let (status, body) = as_guest_get(&app, &format!("/guest/events/{spring}"), &fresh).await;
            assert_eq!(status, 200);
            assert!(body.contains("Ana Lima"));
        }

        async fn a_signed_in_invitee_answers_from_their_account_without_the_link(app) {
            let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
            exec(&app.store, &format!("UPDATE events SET registration_opens_at = NULL WHERE id = {spring}")).await;
            let s = app.demo(SECRETARIAT).await;
            let res = app.form("/api/invite_person", &[("event_id", &spring.to_string()), ("email", OBSERVER), ("full_name", "")], Some(&s)).await;
            assert!(app.landing(&res, Some(&s)).await.contains("is invited"));
            let observer = app.demo(OBSERVER).await;
            let account = app.get_as("/account", Some(&observer)).await.text().await.unwrap();
            assert!(account.contains("Your invitations") && account.contains("Not answered yet"), "the invitation is on the account page");
            assert!(account.contains(&format!(r#"href="/guest/events/{spring}""#)));
            let page = app.get_as(&format!("/guest/events/{spring}"), Some(&observer)).await;
            assert_eq!(page.status().as_u16(), 200);
            let body = page.text().await.unwrap();
            assert!(body.contains("You are signed in as Isabelle Laurent") && body.contains("I agree to the privacy notice"));
            let res = app.form("/api/register_as_guest", &[("event_id", &spring.to_string()), ("attendance", "in_person"), ("privacy", "yes")], Some(&observer)).await;
            assert!(app.landing(&res, Some(&observer)).await.contains("You are registered."));
            let account = app.get_as("/account", Some(&observer)).await.text().await.unwrap();
            assert!(account.contains("Registered"));
            // Someone signed in but not invited gets nothing of it (where the event
            // has no delegations for contact points to register).
            exec(&app.store, &format!("UPDATE events SET delegation_quota = NULL WHERE id = {spring}")).await;
            let member = app.demo(MEMBER).await;
            assert_eq!(app.get_as(&format!("/guest/events/{spring}"), Some(&member)).await.status().as_u16(), 403);
            let res = app.form("/api/register_as_guest", &[("event_id", &spring.to_string()), ("privacy", "yes")], Some(&member)).await;
            assert_eq!(res.status().as_u16(), 403);
        }

        async fn an_invitee_declines_with_a_message_and_a_draft_gets_no_invitations(app) {
            let spring = event_id(&app.store, "plenary-meeting-spring-2027").await;
            let s = app.demo(SECRETARIAT).await;
            let res = app.form("/api/invite_members", &[("event_id", &spring.to_string()), ("category", "observer"), ("member_state", "")], Some(&s)).await;
            assert_eq!(location(&res), format!("/events/{spring}/invitations#invite-notice"));
            let token = invitation_token(&app.store, OBSERVER).await;
            let res = as_guest_post(&app, "/api/decline_invitation", &[("event_id", &spring.to_string()), ("message", "The Commission sends a colleague.")], &token).await;
            assert!(guest_landing(&app, &res, &token).await.contains("You have declined the invitation."));
            let observer = app.person_id(OBSERVER).await;
            let msg = on_pool!(app.store, pool => {
                sqlx::query_scalar::<_, String>("SELECT message FROM invitations WHERE person_id = $1").bind(observer).fetch_one(pool).await.unwrap()
            });
            assert_eq!(msg, "The Commission sends a colleague.");
            let body = app.get_as(&format!("/events/{spring}/invitations"), Some(&s)).await.text().await.unwrap();
            assert!(body.contains("Declined"));

            // Revoked: the personal link answers as an unknown one does, and a new
            // invitation brings a new link.
            let res = app.form("/api/revoke_invitation", &[("event_id", &spring.to_string()), ("person_id", &observer.to_string())], Some(&s)).await;
            assert!(app.landing(&res, Some(&s)).await.contains("their personal link no longer works"));
            assert_eq!(app.get(&format!("/guest/{token}")).await.status().as_u16(), 404, "like a link that never existed");
            let (status, _) = as_guest_get(&app, &format!("/guest/events/{spring}"), &token).await;
            assert_eq!(status, 401, "the cookie no longer makes a guest");
            let res = app.form("/api/invite_person", &[("event_id", &spring.to_string()), ("email", OBSERVER), ("full_name", "")], Some(&s)).await;
            assert!(app.landing(&res, Some(&s)).await.contains("Isabelle Laurent is invited"), "invited again");
            let fresh = invitation_token(&app.store, OBSERVER).await;
            assert_eq!(app.get(&format!("/guest/{fresh}")).await.status().as_u16(), 303);

            let draft = event_id(&app.store, "annual-meeting-2027").await;
            let res = app.form("/api/invite_members", &[("event_id", &draft.to_string()), ("category", "observer"), ("member_state", "")], Some(&s)).await;
            assert!(app.landing(&res, Some(&s)).await.contains("only for a published event"));
            assert_eq!(scalar_i64(&app.store, &format!("SELECT COUNT(*) FROM invitations WHERE event_id = {draft}")).await, 0);
        }
    }
}
