//! Workshop sign-up: capacity held under concurrent choices (one backend, and two
//! processes sharing the database), one workshop per time slot, only workshops the
//! reader sees in full; and the path through the real server with "My agenda".
use crate::helpers::*;
use crate::invitations::{event_id, people, register};
use app::agenda::store::{self as agenda, Chosen, NewItem};
use app::domain::{AgendaItemKind as Kind, AgendaVisibility as Vis};
use app::platform::policy::{AgendaReach, Audience};
use app::platform::{Store, StoreError};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 18, hour, minute, 0).unwrap()
}

fn workshop(title: &str, from: DateTime<Utc>, vis: Vis, capacity: Option<i64>) -> NewItem<'_> {
    NewItem {
        kind: Kind::Workshop,
        title,
        description: "",
        starts_at: from,
        ends_at: from + Duration::minutes(90),
        room_id: None,
        visibility: vis,
        capacity,
        moderator_id: None,
        speakers: &[],
    }
}

/// The spring plenary's published workshops: two in parallel at 10:00 (the first
/// with 5 places), a members-only one at 14:00, and a presentation.
async fn published_workshops(store: &Store) -> (i64, [i64; 4]) {
    let event = event_id(store, "plenary-meeting-spring-2027").await;
    let now = test_clock().now();
    let mut tx = store.begin().await.unwrap();
    let seaports = agenda::add_item(
        &mut tx,
        event,
        &workshop("Workshop on seaports", at(10, 0), Vis::Public, Some(5)),
        now,
    )
    .await
    .unwrap();
    let crypto = agenda::add_item(
        &mut tx,
        event,
        &workshop("Workshop on cryptophones", at(10, 0), Vis::Public, None),
        now,
    )
    .await
    .unwrap();
    let closed = agenda::add_item(
        &mut tx,
        event,
        &workshop(
            "Members' workshop on Operation Harbour",
            at(14, 0),
            Vis::MembersOnly,
            Some(5),
        ),
        now,
    )
    .await
    .unwrap();
    let mut talk = workshop("Casework from Italy", at(16, 0), Vis::Public, None);
    talk.kind = Kind::Presentation;
    let talk = agenda::add_item(&mut tx, event, &talk, now).await.unwrap();
    agenda::publish(&mut tx, event, None, now).await.unwrap();
    tx.commit().await.unwrap();
    (event, [seaports, crypto, closed, talk])
}

async fn choose(
    store: &Store,
    event: i64,
    item: i64,
    person: i64,
    reach: &AgendaReach,
) -> Result<Chosen, StoreError> {
    let mut tx = store.begin().await.unwrap();
    let chosen =
        agenda::choose_workshop(&mut tx, event, item, person, reach, test_clock().now()).await;
    if chosen.is_ok() {
        tx.commit().await.unwrap();
    }
    chosen
}

crate::on_both_backends! { DemoStore;

    // 24 people at once for 5 places, half of them through a second connection
    // pool to the same database (a second process): exactly 5 get a place.
    async fn a_workshops_places_hold_when_many_choose_it_at_once_from_two_processes(db) {
        let (event, [seaports, ..]) = published_workshops(&db.store).await;
        let other = Store::connect(&db.url).await.expect("a second process's pool");
        let reach = AgendaReach::of(Audience::Public, true);
        let all = people(&db.store, 24).await;
        let tasks: Vec<_> = all.iter().enumerate().map(|(i, &person)| {
            let store = if i % 2 == 0 { db.store.clone() } else { other.clone() };
            let reach = reach.clone();
            tokio::spawn(async move { choose(&store, event, seaports, person, &reach).await })
        }).collect();
        let (mut taken, mut full) = (0, 0);
        for t in tasks {
            match t.await.unwrap() {
                Ok(Chosen::Taken { replaced: 0 }) => taken += 1,
                Err(StoreError::Conflict(why)) => {
                    assert!(why.contains("full"), "{why}");
                    full += 1;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((taken, full), (5, 19), "exactly the places, the others told it is full");
        let places = agenda::places_taken(&db.store, event).await.unwrap();
        assert_eq!(places.get(&seaports), Some(&5));
    }

    async fn a_choice_at_the_same_time_replaces_the_earlier_one_and_only_workshops_seen_in_full_are_chosen(db) {
        let store = &db.store;
        let (event, [seaports, crypto, closed, talk]) = published_workshops(store).await;
        let person = people(store, 1).await[0];
        let public = AgendaReach::of(Audience::Public, true);
        assert_eq!(choose(store, event, seaports, person, &public).await.unwrap(), Chosen::Taken { replaced: 0 });
        assert_eq!(choose(store, event, seaports, person, &public).await.unwrap(), Chosen::Already);
        assert_eq!(choose(store, event, crypto, person, &public).await.unwrap(), Chosen::Taken { replaced: 1 }, "one workshop per slot");
        let mine = agenda::choices(store, event, person, &public).await.unwrap();
        assert_eq!(mine.iter().map(|(i, _)| i.title.as_str()).collect::<Vec<_>>(), ["Workshop on cryptophones"]);
        // A members-only workshop answers to the public as a missing item does;
        // a presentation is not chosen at all.
        for item in [closed, talk, 999_999] {
            assert!(matches!(choose(store, event, item, person, &public).await, Err(StoreError::NotFound)), "item {item}");
        }
        let member = AgendaReach::of(Audience::Member, true);
        assert_eq!(choose(store, event, closed, person, &member).await.unwrap(), Chosen::Taken { replaced: 0 });
        // Removed from the agenda: the choice stays, marked cancelled.
        let mut tx = store.begin().await.unwrap();
        agenda::delete_item(&mut tx, event, crypto).await.unwrap();
        agenda::publish(&mut tx, event, None, test_clock().now()).await.unwrap();
        tx.commit().await.unwrap();
        let mine = agenda::choices(store, event, person, &member).await.unwrap();
        assert_eq!(mine.iter().map(|(i, c)| (i.title.as_str(), *c)).collect::<Vec<_>>(), [
            ("Workshop on cryptophones", true),
            ("Members' workshop on Operation Harbour", false),
        ]);
        // Given up, and exported then erased with the person.
        let mut tx = store.begin().await.unwrap();
        assert!(agenda::withdraw_workshop(&mut tx, event, crypto, person).await.unwrap());
        assert!(!agenda::withdraw_workshop(&mut tx, event, crypto, person).await.unwrap());
        tx.commit().await.unwrap();
        let export = app::privacy::export_person(store, person).await.unwrap();
        assert_eq!(export["workshop_choices"][0]["workshop"], "Members' workshop on Operation Harbour");
        let mut tx = store.begin().await.unwrap();
        app::privacy::erase_person(&mut tx, person, test_clock().now()).await.unwrap();
        tx.commit().await.unwrap();
        assert!(agenda::choices(store, event, person, &member).await.unwrap().is_empty());
    }
}

const SPRING_AGENDA: &str = "/networks/ejocn/events/plenary-meeting-spring-2027/agenda";

mod http {
    use super::*;

    fn choice(item: &str) -> [(&str, &str); 3] {
        [
            ("network", "ejocn"),
            ("slug", "plenary-meeting-spring-2027"),
            ("item_id", item),
        ]
    }

    crate::on_both_backends! { TestApp;

        async fn a_registered_participant_chooses_a_workshop_and_sees_it_in_my_agenda_and_others_are_refused(app) {
            let (event, [seaports, crypto, closed, _]) = published_workshops(&app.store).await;
            let member_id = person_id(&app.store, MEMBER).await;
            register(&app.store, event, member_id).await;
            let member = app.demo(MEMBER).await;
            let page = app.get_as(SPRING_AGENDA, Some(&member)).await.text().await.unwrap();
            assert!(page.contains("My agenda") && page.contains("You have not chosen a workshop yet"), "{page}");
            assert!(page.contains("5 places left") && page.contains("Choose \u{201c}Workshop on seaports\u{201d}"));
            let seaports_id = seaports.to_string();
            let res = app.form("/api/choose_workshop", &choice(&seaports_id), Some(&member)).await;
            assert_eq!(res.status().as_u16(), 302);
            let page = app.landing(&res, Some(&member)).await;
            assert!(page.contains("Your place in the workshop is kept."), "the notice");
            assert!(page.contains("4 places left") && page.contains("Your choice"));
            let mine = page.split("id=\"mine\"").nth(1).unwrap().split("</section>").next().unwrap();
            assert!(mine.contains("Workshop on seaports"), "My agenda lists it: {mine}");
            // With a link that adds it to the member's calendar, one item's file.
            let ics = format!("/agenda/item-{seaports}.ics");
            assert!(mine.contains(&ics), "My agenda links the workshop's calendar file: {mine}");
            let href = mine.split("href=\"").find(|h| h.starts_with("/networks/") && h.contains(&ics)).unwrap().split('"').next().unwrap().to_owned();
            let file = app.get_as(&href, Some(&member)).await;
            assert_eq!(file.status().as_u16(), 200);
            assert!(file.text().await.unwrap().contains("SUMMARY:Workshop on seaports"));
            // The parallel workshop instead: the earlier choice goes.
            let crypto_id = crypto.to_string();
            let res = app.form("/api/choose_workshop", &choice(&crypto_id), Some(&member)).await;
            let page = app.landing(&res, Some(&member)).await;
            assert!(page.contains("instead of your earlier choice"), "told");
            assert!(page.contains("5 places left"), "the place in the first is free again");
            let res = app.form("/api/give_up_workshop", &choice(&crypto_id), Some(&member)).await;
            let page = app.landing(&res, Some(&member)).await;
            assert!(page.contains("You gave up your place"));

            // Not registered: told to register first, nothing written.
            let observer = app.demo(OBSERVER).await;
            let page = app.get_as(SPRING_AGENDA, Some(&observer)).await.text().await.unwrap();
            assert!(!page.contains("Choose this workshop") && !page.contains("My agenda"));
            let res = app.form("/api/choose_workshop", &choice(&seaports_id), Some(&observer)).await;
            let page = app.landing(&res, Some(&observer)).await;
            assert!(page.contains("register for the meeting first"), "the reason");
            // Anonymous: asked to sign in.
            let res = app.form("/api/choose_workshop", &choice(&seaports_id), None).await;
            assert!(location(&res).starts_with("/sign-in"), "{}", location(&res));
            // A registered observer choosing the members-only workshop gets the answer
            // a missing item gets, word for word.
            let observer_id = person_id(&app.store, OBSERVER).await;
            register(&app.store, event, observer_id).await;
            let closed_id = closed.to_string();
            let hidden = app.form("/api/choose_workshop", &choice(&closed_id), Some(&observer)).await;
            let missing = app.form("/api/choose_workshop", &choice("999999"), Some(&observer)).await;
            assert_eq!(hidden.status(), missing.status());
            let (hidden, missing) = (hidden.text().await.unwrap(), missing.text().await.unwrap());
            assert_eq!(hidden, missing);
            assert!(!hidden.contains("Harbour"));
            assert_eq!(agenda::places_taken(&app.store, event).await.unwrap().get(&closed), None);
        }

        async fn the_organisers_see_each_workshops_count_and_list(app) {
            let (event, [seaports, ..]) = published_workshops(&app.store).await;
            let member_id = person_id(&app.store, MEMBER).await;
            register(&app.store, event, member_id).await;
            let member = app.demo(MEMBER).await;
            app.form("/api/choose_workshop", &choice(&seaports.to_string()), Some(&member)).await;
            let chair = app.demo(CHAIR).await;
            let page = app.get_as(&format!("/events/{event}/agenda"), Some(&chair)).await.text().await.unwrap();
            let signups = page.split("data-testid=\"workshop-signups\"").nth(1).expect("the sign-ups section");
            assert!(signups.contains("1 of 5 places taken") && signups.contains("Katharina Becker"), "{signups}");
            assert!(signups.contains("0 people chose it"));
        }
    }
}

async fn person_id(store: &Store, email: &str) -> i64 {
    app::on_pool!(store, pool => {
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(email).fetch_one(pool).await.unwrap()
    })
}
