//! A signed-in person's viewer, kept by the server between their requests
//! (`platform::auth::viewer_for_session`): whatever changes in who they are or what
//! they may do shows at their next request, on both backends, and through another
//! server process sharing PostgreSQL within a second. `viewer_version`, which the
//! kept viewers follow, is raised by exactly those changes. The event page's
//! agenda outline, kept by reach, is each reader's own and follows each publish.
use crate::agenda::published_spring_agenda;
use crate::helpers::*;
use crate::invitations::exec;
use app::on_pool;
use std::time::{Duration, Instant};

const EVENT: &str = "/networks/ejocn/events/plenary-meeting-spring-2027";
const AGENDA: &str = "/networks/ejocn/events/plenary-meeting-spring-2027/agenda";

/// The agenda outline of the spring plenary's page as `session` gets it (None:
/// anonymous).
async fn outline(app: &TestApp, session: Option<&str>) -> String {
    let res = app.get_as(EVENT, session).await;
    assert_eq!(res.status().as_u16(), 200);
    let page = res.text().await.unwrap();
    let start = page
        .find("data-testid=\"agenda-outline\"")
        .expect("an outline");
    page[start..start + page[start..].find("</section>").unwrap()].to_owned()
}

async fn viewer_version(app: &TestApp) -> i64 {
    app.scalar("SELECT n FROM viewer_version").await
}

/// Moves every session's `last_seen_at` to `minutes` from the test clock's now.
async fn seen(app: &TestApp, minutes: i64) {
    on_pool!(app.store, pool => {
        sqlx::query("UPDATE sessions SET last_seen_at = $1")
            .bind(test_clock().now() + chrono::Duration::minutes(minutes))
            .execute(pool).await.unwrap();
    });
}

crate::on_both_backends! { TestApp;

    async fn what_a_signed_in_person_is_and_may_do_shows_at_their_very_next_request(app) {
        let event = published_spring_agenda(&app.store).await;
        let member = app.demo(MEMBER).await;
        let person = app.person_id(MEMBER).await;
        let page = || async {
            let res = app.get_as(AGENDA, Some(&member)).await;
            assert_eq!(res.status().as_u16(), 200);
            res.text().await.unwrap()
        };
        let first = page().await;
        assert!(first.contains("Katharina Becker"), "signed in");
        assert!(first.contains("Operation Harbour"), "a member sees the members-only session in full");
        assert!(!first.contains("briefing lunch"), "not an organiser");
        // Renamed by the secretariat.
        exec(&app.store, &format!("UPDATE people SET full_name = 'Katharina Becker-Schulz' WHERE id = {person}")).await;
        assert!(page().await.contains("Katharina Becker-Schulz"), "the new name at once");
        // Made a chair of the event, then no longer.
        exec(&app.store, &format!("INSERT INTO event_roles (event_id, person_id, role) VALUES ({event}, {person}, 'chair')")).await;
        assert!(page().await.contains("briefing lunch"), "a chair sees what only organisers see");
        exec(&app.store, &format!("DELETE FROM event_roles WHERE person_id = {person}")).await;
        assert!(!page().await.contains("briefing lunch"), "and no longer once the role is gone");
        // The membership ends today.
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE memberships SET active_to = $1 WHERE person_id = $2")
                .bind(test_clock().now().date_naive()).bind(person)
                .execute(pool).await.unwrap();
        });
        let former = page().await;
        assert!(former.contains("Katharina Becker-Schulz"), "still signed in");
        assert!(!former.contains("Operation Harbour"), "a former member sees the closed session as a block");
        // Ended on another device.
        exec(&app.store, "DELETE FROM sessions").await;
        let gone = page().await;
        assert!(!gone.contains("Katharina") && gone.contains("Sign in"), "signed out at once");
        assert_eq!(app.get_as("/api/account_page", Some(&member)).await.status().as_u16(), 401);
        // Signed in again, then disabled.
        let again = app.demo(MEMBER).await;
        assert_eq!(app.get_as("/api/account_page", Some(&again)).await.status().as_u16(), 200);
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE person_id = $2")
                .bind(test_clock().now()).bind(person)
                .execute(pool).await.unwrap();
        });
        assert_eq!(app.get_as("/api/account_page", Some(&again)).await.status().as_u16(), 401, "a disabled account's session stops at once");
    }

    async fn each_reader_gets_the_outline_of_their_own_reach_and_each_publish_shows_at_once(app) {
        let event = published_spring_agenda(&app.store).await;
        let member = app.demo(MEMBER).await;
        let partner = app.demo(PARTNER).await;
        let chair = app.demo(CHAIR).await;
        for round in 0..3 {
            let m = outline(&app, Some(&member)).await;
            assert!(m.contains("Operation Harbour") && !m.contains("briefing lunch"), "round {round}, member: {m}");
            for (who, o) in [("partner", outline(&app, Some(&partner)).await), ("anonymous", outline(&app, None).await)] {
                assert!(!o.contains("Operation Harbour") && o.contains("Closed session"), "round {round}, {who}: a block");
                assert!(!o.contains("briefing lunch"), "round {round}, {who}");
            }
            let c = outline(&app, Some(&chair)).await;
            assert!(c.contains("Operation Harbour") && c.contains("briefing lunch"), "round {round}, chair: {c}");
        }
        // The chair renames the opening and publishes: every reader's next page shows it.
        let mut tx = app.store.begin().await.unwrap();
        let t = &mut tx;
        app::on_tx!(t, conn => {
            sqlx::query("UPDATE agenda_items SET title = 'Opening by the Polish Presidency' WHERE event_id = $1 AND title = 'Opening by the Presidency'")
                .bind(event).execute(conn).await.unwrap();
        });
        app::agenda::store::publish(&mut tx, event, None, test_clock().now()).await.unwrap();
        tx.commit().await.unwrap();
        for (who, session) in [("member", Some(member.as_str())), ("partner", Some(partner.as_str())), ("chair", Some(chair.as_str())), ("anonymous", None)] {
            assert!(outline(&app, session).await.contains("Opening by the Polish Presidency"), "{who}");
        }
    }

    async fn the_viewer_version_rises_with_what_viewers_are_made_of_and_nothing_else(app) {
        let event = published_spring_agenda(&app.store).await;
        let member = app.demo(MEMBER).await;
        let person = app.person_id(MEMBER).await;
        let item: i64 = app.scalar(&format!("SELECT MIN(id) FROM agenda_items WHERE event_id = {event}")).await;
        let raising = [
            format!("UPDATE people SET email = 'k.becker@ejocn.demo.example' WHERE id = {person}"),
            format!("UPDATE accounts SET secretariat = TRUE WHERE person_id = {person}"),
            format!("UPDATE memberships SET member_state = 'AT' WHERE person_id = {person}"),
            format!("INSERT INTO event_roles (event_id, person_id, role) VALUES ({event}, {person}, 'organiser')"),
            format!("DELETE FROM event_roles WHERE person_id = {person}"),
            format!("INSERT INTO invitations (event_id, person_id, invited_as, status, created_at) VALUES ({event}, {person}, 'person', 'invited', '2026-06-01T10:00:00Z')"),
            format!("UPDATE invitations SET status = 'revoked' WHERE person_id = {person}"),
            format!("UPDATE events SET status = 'draft' WHERE id = {event}"),
            format!("UPDATE events SET status = 'published' WHERE id = {event}"),
            format!("INSERT INTO agenda_item_chairs (item_id, person_id) VALUES ({item}, {person})"),
            format!("DELETE FROM agenda_item_chairs WHERE person_id = {person}"),
            format!("DELETE FROM memberships WHERE person_id = {person}"),
        ];
        for sql in &raising {
            let before = viewer_version(&app).await;
            exec(&app.store, sql).await;
            assert!(viewer_version(&app).await > before, "raised by: {sql}");
        }
        let before = viewer_version(&app).await;
        seen(&app, -5).await;
        assert!(viewer_version(&app).await > before, "a session last seen earlier than was kept");
        let unchanged = [
            format!("UPDATE events SET title = 'Plenary, renamed' WHERE id = {event}"),
            format!("UPDATE invitations SET opened_at = '2026-06-01T10:00:00Z' WHERE person_id = {person}"),
            format!("UPDATE accounts SET last_sign_in_at = '2026-06-01T10:00:00Z' WHERE person_id = {person}"),
            format!("UPDATE people SET title = 'Public prosecutor' WHERE id = {person}"),
            format!("UPDATE agenda_items SET title = 'Opening, renamed' WHERE id = {item}"),
        ];
        for sql in &unchanged {
            let before = viewer_version(&app).await;
            exec(&app.store, sql).await;
            assert_eq!(viewer_version(&app).await, before, "raised by: {sql}");
        }
        // A request that touches its session (last seen over a minute ago) and a
        // new sign-in change no one's viewer.
        let before = viewer_version(&app).await;
        assert_eq!(app.get_as("/api/account_page", Some(&member)).await.status().as_u16(), 200);
        let touched: i64 = app.scalar(&format!("SELECT COUNT(*) FROM sessions WHERE last_seen_at > '{}'", (test_clock().now() - chrono::Duration::minutes(1)).format("%Y-%m-%dT%H:%M:%S"))).await;
        assert_eq!(touched, 1, "the session was touched");
        app.demo(PARTNER).await;
        assert_eq!(viewer_version(&app).await, before, "a touch and a sign-in raise nothing");
    }
}

/// Through two `convene serve` processes sharing PostgreSQL: a session signed out
/// through one, or its account disabled there, stops working through the other
/// within a second, though the other kept its viewer.
#[tokio::test]
async fn a_sign_out_and_a_disabled_account_through_one_process_end_the_session_in_another() {
    let Some(two) = TwoServers::start().await else {
        return;
    };
    let (base_a, base_b, client) = (two.a.clone(), two.b.clone(), two.client.clone());
    let account = |session: String| {
        let (client, base_b) = (client.clone(), base_b.clone());
        async move {
            client
                .get(format!("{base_b}/api/account_page"))
                .header("cookie", format!("convene_session={session}"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Within a second B answers 401; it answered 200 a moment before.
    let ends_in_b = |session: String| async move {
        let t = Instant::now();
        loop {
            let status = account(session.clone()).await;
            if status == 401 {
                return true;
            }
            assert_eq!(status, 200);
            if t.elapsed() > Duration::from_secs(1) {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    let member = two.sign_in(MEMBER).await;
    for _ in 0..3 {
        assert_eq!(account(member.clone()).await, 200, "signed in, through B");
    }
    let out = client
        .post(format!("{base_a}/api/sign_out"))
        .header("origin", &base_a)
        .header("cookie", format!("convene_session={member}"))
        .send()
        .await
        .unwrap();
    assert!(out.status().is_redirection() || out.status().is_success());
    assert!(
        ends_in_b(member).await,
        "signed out through A, B still let the session in after a second"
    );
    // The secretariat disables the observer's account through A.
    let observer = two.sign_in(OBSERVER).await;
    assert_eq!(account(observer.clone()).await, 200);
    let secretariat = two.sign_in(SECRETARIAT).await;
    let person: i64 = {
        let pool = sqlx::PgPool::connect(&two.database_url).await.unwrap();
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
            .bind(OBSERVER)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let disabled = client
        .post(format!("{base_a}/api/admin/account_action"))
        .header("origin", &base_a)
        .header("cookie", format!("convene_session={secretariat}"))
        .form(&[
            ("person_id", person.to_string().as_str()),
            ("action", "disable"),
            ("confirmed", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        disabled.status().is_redirection() || disabled.status().is_success(),
        "{}: {}",
        disabled.status(),
        disabled.text().await.unwrap()
    );
    assert!(
        ends_in_b(observer).await,
        "disabled through A, B still let the session in after a second"
    );
}
