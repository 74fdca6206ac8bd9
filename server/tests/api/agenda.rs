//! The agenda in the store, on both backends: the draft, numbered versions with
//! what each changed, and what each kind of reader is given of a closed session
//! (in full, as a neutral block, or nothing), decided in the query.
use crate::helpers::*;
use crate::invitations::event_id;
use app::agenda::store::{self as agenda, NewItem, SpeakerInput};
use app::agenda::Change;
use app::domain::{AgendaItemKind as Kind, AgendaVisibility as Vis};
use app::platform::policy::{AgendaReach, Audience};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 18, hour, minute, 0).unwrap()
}

fn item<'a>(
    kind: Kind,
    title: &'a str,
    from: DateTime<Utc>,
    vis: Vis,
    room: Option<i64>,
) -> NewItem<'a> {
    NewItem {
        kind,
        title,
        description: "",
        starts_at: from,
        ends_at: from + Duration::minutes(60),
        room_id: room,
        visibility: vis,
        capacity: None,
        moderator_id: None,
        speakers: &[],
    }
}

/// Every reader the policy tells apart, with what they may see.
fn readers() -> Vec<(&'static str, AgendaReach)> {
    vec![
        ("anonymous", AgendaReach::of(Audience::Public, false)),
        ("observer", AgendaReach::of(Audience::Observer, false)),
        (
            "registered observer",
            AgendaReach::of(Audience::Observer, true),
        ),
        ("partner", AgendaReach::of(Audience::Partner, false)),
        ("member", AgendaReach::of(Audience::Member, false)),
        ("organiser", AgendaReach::of(Audience::Organiser, false)),
    ]
}

crate::on_both_backends! { DemoStore;

    async fn a_published_agenda_shows_a_closed_session_in_full_only_to_members_and_nothing_of_it_to_others(db) {
        let store = &db.store;
        let event = event_id(store, "plenary-meeting-spring-2027").await;
        let mut tx = store.begin().await.unwrap();
        let room = agenda::add_room(&mut tx, event, "Room Vesalius", Some(40), "Floor 2").await.unwrap();
        let speakers = [SpeakerInput { person_id: None, name: "Marta Kowalska".into(), organisation: "Prokuratura Krajowa".into() }];
        let mut closed = item(Kind::ClosedSession, "Operation Harbour: exchange on joint investigation", at(10, 0), Vis::MembersOnly, Some(room));
        closed.description = "Vessel routes and the next steps.";
        closed.speakers = &speakers;
        agenda::add_item(&mut tx, event, &item(Kind::PlenarySession, "Opening by the Presidency", at(9, 0), Vis::Public, Some(room)), test_clock().now()).await.unwrap();
        agenda::add_item(&mut tx, event, &closed, test_clock().now()).await.unwrap();
        agenda::add_item(&mut tx, event, &item(Kind::Meal, "Organisers' briefing lunch", at(12, 0), Vis::OrganisersOnly, None), test_clock().now()).await.unwrap();
        let first = agenda::publish(&mut tx, event, None, test_clock().now()).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(first.number, 1);
        assert_eq!(first.changes.len(), 3);
        assert!(first.changes.iter().all(|(_, c)| *c == Change::Added));

        for (who, reach) in readers() {
            let shown = agenda::published(store, event, &reach).await.unwrap();
            let text = format!("{shown:?}");
            let entitled = matches!(who, "member" | "organiser");
            assert_eq!(text.contains("Operation Harbour"), entitled, "{who}: the closed session's title");
            assert_eq!(text.contains("Vessel routes"), entitled, "{who}: its description");
            assert_eq!(text.contains("Kowalska"), entitled, "{who}: its speaker");
            let block = shown.iter().find(|i| i.starts_at == at(10, 0)).expect("the closed session's time is there for everyone");
            assert_eq!(block.closed, !entitled, "{who}");
            if !entitled {
                assert_eq!((block.title.as_str(), block.room.as_str(), block.kind.as_str()), ("", "", "closed_session"), "{who}: a neutral block");
                assert!(block.people.is_empty());
            }
            assert_eq!(text.contains("briefing lunch"), who == "organiser", "{who}: organisers only");
            assert_eq!(shown.len(), if who == "organiser" { 3 } else { 2 }, "{who}: an organisers-only item does not exist for others");
            assert!(shown[0].title == "Opening by the Presidency" && shown[0].room == "Room Vesalius", "{who}: the public item in full");
        }
    }

    async fn a_speaker_erased_leaves_no_name_on_the_published_agenda_and_their_export_lists_their_roles(db) {
        let store = &db.store;
        let event = event_id(store, "plenary-meeting-spring-2027").await;
        let person: i64 = app::on_pool!(store, pool => {
            sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(MEMBER).fetch_one(pool).await.unwrap()
        });
        let speakers = [
            SpeakerInput { person_id: Some(person), name: String::new(), organisation: String::new() },
            SpeakerInput { person_id: None, name: "Guest Expert".into(), organisation: "University of Leiden".into() },
        ];
        let mut talk = item(Kind::Presentation, "Financial investigations", at(9, 0), Vis::Public, None);
        talk.speakers = &speakers;
        let now = test_clock().now();
        let mut tx = store.begin().await.unwrap();
        agenda::add_item(&mut tx, event, &talk, now).await.unwrap();
        agenda::publish(&mut tx, event, Some(person), now).await.unwrap();
        tx.commit().await.unwrap();
        let public = AgendaReach::of(Audience::Public, false);
        let before = agenda::published(store, event, &public).await.unwrap();
        assert_eq!(before[0].people.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Katharina Becker", "Guest Expert"]);
        assert!(before[0].people.iter().all(|s| s.person.is_none()), "readers are not given directory ids");
        let export = app::privacy::export_person(store, person).await.unwrap();
        assert_eq!(export["agenda_roles"][0]["item"], "Financial investigations");
        assert_eq!(export["agenda_roles"][0]["role"], "speaker");

        let mut tx = store.begin().await.unwrap();
        app::privacy::erase_person(&mut tx, person, now).await.unwrap();
        tx.commit().await.unwrap();
        let after = agenda::published(store, event, &public).await.unwrap();
        assert_eq!(after[0].people.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Guest Expert"], "the erased speaker's name is gone");
    }

    async fn each_version_records_what_was_added_moved_changed_and_removed_and_raises_the_items_sequence(db) {
        let store = &db.store;
        let event = event_id(store, "plenary-meeting-spring-2027").await;
        let now = test_clock().now();
        let mut tx = store.begin().await.unwrap();
        let opening = agenda::add_item(&mut tx, event, &item(Kind::PlenarySession, "Opening", at(9, 0), Vis::Public, None), now).await.unwrap();
        let talk = agenda::add_item(&mut tx, event, &item(Kind::Presentation, "Casework from Italy", at(10, 0), Vis::Public, None), now).await.unwrap();
        let panel = agenda::add_item(&mut tx, event, &item(Kind::Panel, "Panel on cryptophones", at(11, 0), Vis::Public, None), now).await.unwrap();
        let closed = agenda::add_item(&mut tx, event, &item(Kind::ClosedSession, "Harbour exchange", at(14, 0), Vis::MembersOnly, None), now).await.unwrap();
        agenda::publish(&mut tx, event, None, now).await.unwrap();
        tx.commit().await.unwrap();

        // Nothing changed: nothing to publish, and no empty version.
        let mut tx = store.begin().await.unwrap();
        assert!(matches!(agenda::publish(&mut tx, event, None, now).await, Err(app::platform::StoreError::Conflict(_))));
        drop(tx);

        let mut tx = store.begin().await.unwrap();
        agenda::update_item(&mut tx, event, talk, &item(Kind::Presentation, "Casework from Italy", at(10, 30), Vis::Public, None), now).await.unwrap();
        agenda::update_item(&mut tx, event, panel, &item(Kind::Panel, "Panel on encrypted phones", at(11, 0), Vis::Public, None), now).await.unwrap();
        agenda::update_item(&mut tx, event, closed, &item(Kind::ClosedSession, "Harbour exchange, part two", at(14, 0), Vis::MembersOnly, None), now).await.unwrap();
        agenda::delete_item(&mut tx, event, opening).await.unwrap();
        let drinks = agenda::add_item(&mut tx, event, &item(Kind::Reception, "Reception", at(18, 0), Vis::Public, None), now).await.unwrap();
        let second = agenda::publish(&mut tx, event, None, now).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(second.number, 2);
        let mut expected = vec![
            (opening, Change::Removed),
            (talk, Change::Moved),
            (panel, Change::Changed),
            (closed, Change::Changed),
            (drinks, Change::Added),
        ];
        expected.sort();
        assert_eq!(second.changes, expected);
        assert_eq!(agenda::latest_version(store, event).await.unwrap(), Some(2));

        let member = AgendaReach::of(Audience::Member, false);
        let shown = agenda::published(store, event, &member).await.unwrap();
        assert!(!shown.iter().any(|i| i.id == opening), "a removed item leaves the agenda");
        let seq = |id: i64| shown.iter().find(|i| i.id == id).unwrap().sequence;
        assert_eq!((seq(talk), seq(panel), seq(drinks)), (1, 1, 0), "a changed item's sequence rises once per version");

        // The changelog of version 2, for a member and for the public.
        let log = agenda::changelog(store, event, 2, &member).await.unwrap();
        let lines: Vec<(Change, &str)> = log.iter().map(|c| (c.change, c.item.title.as_str())).collect();
        assert_eq!(lines, vec![
            (Change::Removed, "Opening"),
            (Change::Moved, "Casework from Italy"),
            (Change::Changed, "Panel on encrypted phones"),
            (Change::Changed, "Harbour exchange, part two"),
            (Change::Added, "Reception"),
        ], "in order of time, each change once");
        let public = agenda::changelog(store, event, 2, &AgendaReach::of(Audience::Public, false)).await.unwrap();
        let text = format!("{public:?}");
        assert!(!text.contains("Harbour"), "the public's changelog never names the closed session");
        assert_eq!(public.iter().filter(|c| c.item.closed).count(), 1, "it sees that a closed session changed, no more");
    }
}

/// Adds a public opening, a members' closed session with a speaker and room, and an
/// organisers' briefing to the spring plenary, and publishes them.
pub(crate) async fn published_spring_agenda(store: &app::platform::Store) -> i64 {
    let event = event_id(store, "plenary-meeting-spring-2027").await;
    let now = test_clock().now();
    let mut tx = store.begin().await.unwrap();
    let room = agenda::add_room(&mut tx, event, "Room Vesalius", Some(40), "")
        .await
        .unwrap();
    let speakers = [SpeakerInput {
        person_id: None,
        name: "Marta Kowalska".into(),
        organisation: "Prokuratura Krajowa".into(),
    }];
    let mut closed = item(
        Kind::ClosedSession,
        "Operation Harbour",
        at(10, 0),
        Vis::MembersOnly,
        Some(room),
    );
    closed.description = "Vessel routes";
    closed.speakers = &speakers;
    agenda::add_item(
        &mut tx,
        event,
        &item(
            Kind::PlenarySession,
            "Opening by the Presidency",
            at(9, 0),
            Vis::Public,
            None,
        ),
        now,
    )
    .await
    .unwrap();
    agenda::add_item(&mut tx, event, &closed, now)
        .await
        .unwrap();
    agenda::add_item(
        &mut tx,
        event,
        &item(
            Kind::Meal,
            "Organisers' briefing lunch",
            at(12, 0),
            Vis::OrganisersOnly,
            None,
        ),
        now,
    )
    .await
    .unwrap();
    agenda::publish(&mut tx, event, None, now).await.unwrap();
    tx.commit().await.unwrap();
    event
}

const SPRING_AGENDA: &str = "/networks/ejocn/events/plenary-meeting-spring-2027/agenda";
const SPRING_AGENDA_API: &str = "/api/agenda?network=ejocn&slug=plenary-meeting-spring-2027";
const SPRING_EVENT: &str = "/networks/ejocn/events/plenary-meeting-spring-2027";
const SPRING_EVENT_API: &str = "/api/event?network=ejocn&slug=plenary-meeting-spring-2027";
/// The event's calendar feed, with its agenda.
pub(crate) const SPRING_FEED: &str =
    "/networks/ejocn/events/plenary-meeting-spring-2027/calendar.ics";

mod http {
    use super::*;
    crate::on_both_backends! { TestApp;

        // The leak test of the agenda's channels (its page, its server function,
        // the event page's outline and the calendar feed): for every kind of reader, the closed session's title,
        // description, speaker and room appear exactly where they may.
        async fn every_reader_sees_of_a_closed_session_exactly_what_the_policy_allows_on_every_channel(app) {
            let event = published_spring_agenda(&app.store).await;
            let guest = guest_link(&app, OBSERVER, event).await;
            let mut readers: Vec<(&str, Option<String>, bool, bool)> = vec![("anonymous", None, false, false)];
            for (who, email, full, organiser) in [
                ("observer", OBSERVER, false, false),
                ("partner", PARTNER, false, false),
                ("member", MEMBER, true, false),
                ("secretariat", SECRETARIAT, true, true),
            ] {
                readers.push((who, Some(format!("convene_session={}", app.demo(email).await)), full, organiser));
            }
            readers.push(("guest of the event", Some(format!("convene_guest={guest}")), false, false));
            for (who, cookie, full, organiser) in readers {
                for path in [SPRING_AGENDA, SPRING_AGENDA_API, SPRING_EVENT, SPRING_EVENT_API, SPRING_FEED] {
                    let mut req = app.client.get(format!("{}{path}", app.base));
                    if let Some(c) = &cookie {
                        req = req.header("cookie", c);
                    }
                    let res = req.send().await.unwrap();
                    assert_eq!(res.status().as_u16(), 200, "{who} {path}");
                    // A calendar's long lines are folded: read them whole.
                    let body = res.text().await.unwrap().replace("\r\n ", "");
                    assert!(body.contains("Opening by the Presidency"), "{who} {path}: the public item");
                    // The event page's outline has times and titles only.
                    let outline = path == SPRING_EVENT || path == SPRING_EVENT_API;
                    for secret in ["Operation Harbour", "Vessel routes", "Kowalska", "Room Vesalius"] {
                        let shown = full && (!outline || secret == "Operation Harbour");
                        assert_eq!(body.contains(secret), shown, "{who} {path}: {secret}");
                    }
                    assert_eq!(body.contains("briefing lunch"), organiser, "{who} {path}: organisers only");
                    if path == SPRING_AGENDA && !full {
                        assert!(body.contains("Closed session") && body.contains("10:00"), "{who}: the neutral block with its time");
                    }
                }
                // The network's feed lists events only: nothing of any item.
                let mut req = app.client.get(format!("{}/networks/ejocn/calendar.ics", app.base));
                if let Some(c) = &cookie {
                    req = req.header("cookie", c);
                }
                let body = req.send().await.unwrap().text().await.unwrap().replace("\r\n ", "");
                assert!(body.contains("BEGIN:VCALENDAR"), "{who}: the network feed");
                for secret in ["Operation Harbour", "Vessel routes", "Kowalska", "Room Vesalius", "briefing lunch"] {
                    assert!(!body.contains(secret), "{who} network feed: {secret}");
                }
            }
        }

        async fn the_agenda_page_reads_in_the_events_zone_with_an_anchor_per_item_and_the_event_page_links_to_it(app) {
            let (_, network_page) = app.page("/networks/ejocn").await;
            assert!(!network_page.contains(&format!("href=\"{SPRING_AGENDA}\"")), "a draft agenda is not linked");
            assert!(network_page.contains("href=\"/networks/ejocn/events/first-plenary-meeting/agenda\""), "the demo's published agenda is");
            published_spring_agenda(&app.store).await;
            let (status, page) = app.page(SPRING_AGENDA).await;
            assert_eq!(status, 200);
            assert!(page.contains("Version 1. Times are in the event&#x27;s time zone") || page.contains("Version 1. Times are in the event's time zone"), "{page}");
            assert!(page.contains("Thursday 18 March 2027"), "the day, in the event's zone");
            // 09:00 UTC is 10:00 in Brussels/Amsterdam in March.
            assert!(page.contains("10:00–11:00"), "local times");
            assert!(page.contains("id=\"item-"), "an anchor for every item");
            let (_, event_page) = app.page(SPRING_EVENT).await;
            assert!(event_page.contains(SPRING_AGENDA), "the event page links to its agenda");
            let outline = event_page.split("data-testid=\"agenda-outline\"").nth(1).expect("the agenda's outline on the event page");
            assert!(outline.contains("Opening by the Presidency") && outline.contains("Closed session") && outline.contains(&format!("{SPRING_AGENDA}#item-")), "{outline}");
            let (_, network_page) = app.page("/networks/ejocn").await;
            assert!(network_page.contains(&format!("href=\"{SPRING_AGENDA}\"")), "the network page's events link to their agendas");
            let (status, _) = app.page("/networks/ejocn/events/no-such-event/agenda").await;
            assert_eq!(status, 404);
        }
    }
}

mod builder {
    use super::*;

    crate::on_both_backends! { TestApp;

        // A chair builds through the plain forms: a room, two items that clash in
        // it, a refused item that keeps what was typed; publishes; readers see it.
        async fn a_chair_adds_rooms_and_items_sees_the_conflict_publishes_and_readers_see_the_version(app) {
            let event = event_id(&app.store, "plenary-meeting-spring-2027").await;
            let chair = app.demo(SECRETARIAT).await;
            let builder = format!("/events/{event}/agenda");
            let ev = event.to_string();
            let res = app.form("/api/add_agenda_room", &[("event_id", &ev), ("name", "Room Vesalius"), ("capacity", "30"), ("note", "")], Some(&chair)).await;
            assert_eq!(res.status().as_u16(), 302);
            let (_, page) = {
                let res = app.get_as(&builder, Some(&chair)).await;
                (res.status().as_u16(), res.text().await.unwrap())
            };
            let room = page.split("<option value=\"").filter_map(|s| s.split_once("\">")).find(|(_, rest)| rest.starts_with("Room Vesalius")).map(|(v, _)| v.to_owned()).expect("the room is offered");
            // The event's first day, as the day select offers it.
            let day = page.split("name=\"day\"").nth(1).unwrap().split("<option value=\"").nth(2).unwrap().split('"').next().unwrap().to_owned();
            for (title, starts, ends) in [("Workshop on seaports", "10:00", "11:00"), ("Workshop on cryptophones", "10:30", "11:30")] {
                let res = app.form("/api/add_agenda_item", &[
                    ("event_id", &ev), ("kind", "workshop"), ("title", title), ("day", &day), ("starts", starts), ("ends", ends),
                    ("room_id", &room), ("visibility", "public"), ("capacity", "40"), ("speakers", "Marta Kowalska, Prokuratura Krajowa"), ("description", ""),
                ], Some(&chair)).await;
                assert_eq!(res.status().as_u16(), 302, "{title}");
            }
            // Refused: an end before the start; what was typed comes back.
            let res = app.form("/api/add_agenda_item", &[
                ("event_id", &ev), ("kind", "panel"), ("title", "Panel <b>late</b>"), ("day", &day), ("starts", "12:00"), ("ends", "11:00"),
                ("room_id", ""), ("visibility", "members_only"), ("capacity", ""), ("speakers", ""), ("description", ""),
            ], Some(&chair)).await;
            assert_eq!(res.status().as_u16(), 302);
            let page = app.landing(&res, Some(&chair)).await;
            assert!(page.contains("The end must be after the start."), "the error at its field");
            assert!(page.contains("Panel &lt;b&gt;late&lt;/b&gt;") && !page.contains("<b>late</b>"), "the typed title comes back, escaped");
            assert!(page.contains("Room Vesalius is booked at the same time for"), "the room conflict is named");
            assert!(page.contains("Takes more people than Room Vesalius holds."), "and the capacity");
            assert!(page.contains("conflicts in the draft"));
            // Not published yet: readers see nothing.
            let (_, public) = app.page(SPRING_AGENDA).await;
            assert!(public.contains("has not been published yet") && !public.contains("seaports"));
            let res = app.form("/api/publish_agenda", &[("event_id", &ev), ("confirm", "yes")], Some(&chair)).await;
            assert_eq!(res.status().as_u16(), 302);
            let (_, public) = app.page(SPRING_AGENDA).await;
            assert!(public.contains("Version 1.") && public.contains("Workshop on seaports") && public.contains("Marta Kowalska (Prokuratura Krajowa)"));
            // Publishing again with nothing changed is refused with a reason.
            let res = app.form("/api/publish_agenda", &[("event_id", &ev), ("confirm", "yes")], Some(&chair)).await;
            let page = app.landing(&res, Some(&chair)).await;
            assert!(page.contains("Nothing has changed since the last published version."));
        }

        async fn only_the_events_managers_may_build_its_agenda(app) {
            let event = event_id(&app.store, "plenary-meeting-spring-2027").await;
            let ev = event.to_string();
            let member = app.demo(MEMBER).await;
            let res = app.get_as(&format!("/events/{event}/agenda"), Some(&member)).await;
            assert_eq!(res.status().as_u16(), 403);
            let res = app.form("/api/add_agenda_room", &[("event_id", &ev), ("name", "Hijacked"), ("capacity", ""), ("note", "")], Some(&member)).await;
            assert_eq!(res.status().as_u16(), 403);
            let res = app.form("/api/publish_agenda", &[("event_id", &ev), ("confirm", "yes")], None).await;
            assert!(location(&res).starts_with("/sign-in"), "anonymous: asked to sign in, {}", location(&res));
            let rooms = app::agenda::store::rooms(&app.store, event).await.unwrap();
            assert!(rooms.is_empty(), "nothing was written");
        }
    }
}
