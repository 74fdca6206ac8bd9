//! Calendar feeds over HTTP, on both backends, each read back by a strict parser
//! (the `icalendar` crate's): what every kind of reader gets, how a published
//! change reaches a subscribed calendar (SEQUENCE, LAST-MODIFIED, CANCELLED),
//! conditional requests, and the personal feed's secret address.
use crate::agenda::published_spring_agenda;
use crate::helpers::*;
use app::agenda::store as agenda;
use app::{on_pool, on_tx};
use std::collections::BTreeMap;

use crate::agenda::SPRING_FEED;

/// One VEVENT: "NAME" (and "NAME;PARAMS") → value, escapes undone.
type Props = BTreeMap<String, String>;

/// A feed's lines checked (CRLF only, at most 75 octets), then parsed: the
/// calendar's own properties and its VEVENTs.
fn parse(body: &str) -> (Props, Vec<Props>) {
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n") && body.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !body.replace("\r\n", "").contains(['\r', '\n']),
        "CRLF line ends only"
    );
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line}");
    }
    let unfolded = icalendar::parser::unfold(body);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("a valid calendar");
    let props = |ps: &[icalendar::parser::Property<'_>]| -> Props {
        let mut out = Props::new();
        for p in ps {
            // The parser undoes the escapes of the properties it knows as text;
            // the calendar's X- names are undone here.
            let raw = p.val.as_str();
            let value = if p.name.as_str().starts_with("X-") {
                unescape(raw)
            } else {
                raw.to_owned()
            };
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
            if !params.is_empty() {
                out.insert(
                    format!("{};{}", p.name.as_str(), params.join(";")),
                    value.clone(),
                );
            }
            out.insert(p.name.as_str().to_owned(), value);
        }
        out
    };
    let head = props(&cal.properties);
    let events = cal
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| props(&c.properties))
        .collect();
    for tzid in body
        .split("TZID=")
        .skip(1)
        .filter_map(|s| s.split(':').next())
    {
        assert!(
            body.contains(&format!("BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n")),
            "a VTIMEZONE for {tzid}"
        );
    }
    (head, events)
}

/// A TEXT value as written before escaping.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn by_summary<'a>(events: &'a [Props], summary: &str) -> Option<&'a Props> {
    events
        .iter()
        .find(|e| e.get("SUMMARY").map(String::as_str) == Some(summary))
}

async fn page_as(app: &TestApp, path: &str, session: &str) -> String {
    app.get_as(path, Some(session)).await.text().await.unwrap()
}

async fn feed(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    req.send().await.unwrap()
}

crate::on_both_backends! { TestApp;

    async fn the_event_feed_is_strict_icalendar_with_the_event_and_the_agenda_its_reader_may_see(app) {
        let event = published_spring_agenda(&app.store).await;
        let res = feed(&app, SPRING_FEED, None).await;
        assert_eq!(res.status().as_u16(), 200);
        let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(header("content-type").as_deref(), Some("text/calendar; charset=utf-8"));
        assert!(header("content-disposition").unwrap().contains("filename=\"plenary-meeting-spring-2027.ics\""));
        assert!(header("etag").unwrap().starts_with("W/\""));
        assert!(header("last-modified").is_some());
        assert!(header("set-cookie").is_none(), "no cookie needed, none set");
        let body = res.text().await.unwrap();
        let (head, events) = parse(&body);
        assert_eq!(head["METHOD"], "PUBLISH");
        assert_eq!(head["VERSION"], "2.0");
        assert_eq!(head["CALSCALE"], "GREGORIAN");
        assert!(head["PRODID"].contains("Convene"));
        assert!(head["X-WR-CALNAME"].contains("Plenary"));
        assert!(head.contains_key("REFRESH-INTERVAL;VALUE=DURATION"));
        let the_event = events.iter().find(|e| e["UID"].starts_with(&format!("event-{event}@"))).expect("the event itself, with the UID its invitations carry");
        let uid_domain = the_event["UID"].split_once('@').map(|(_, d)| format!("@{d}")).unwrap();
        assert_eq!(the_event["STATUS"], "CONFIRMED");
        let opening = by_summary(&events, "Opening by the Presidency").expect("the public item");
        assert!(opening["UID"].starts_with("agenda-item-") && opening["UID"].ends_with(&uid_domain));
        assert_eq!(opening["SEQUENCE"], "0");
        // 09:00 UTC is 10:00 in the event's zone in March.
        let (zone, start) = opening.iter().find(|(k, _)| k.starts_with("DTSTART;TZID=")).expect("a zoned start");
        assert_eq!(start, "20270318T100000", "{zone}");
        assert!(opening["URL"].contains("/networks/ejocn/events/plenary-meeting-spring-2027/agenda#item-"));
        assert!(opening.contains_key("DTSTAMP") && opening.contains_key("LAST-MODIFIED"));
        assert!(opening.keys().any(|k| k.starts_with("ORGANIZER;CN=")));
        let block = by_summary(&events, "Closed session").expect("the closed session as a neutral block");
        assert!(!block.contains_key("LOCATION"), "no room for a closed block");
        assert!(by_summary(&events, "Organisers' briefing lunch").is_none());
    }

    async fn a_published_change_raises_sequence_and_last_modified_a_removed_item_stays_as_cancelled_and_conditional_requests_answer_304(app) {
        let event = published_spring_agenda(&app.store).await;
        let first = feed(&app, SPRING_FEED, None).await;
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let modified = first.headers()["last-modified"].to_str().unwrap().to_owned();
        let (_, before) = parse(&first.text().await.unwrap());
        let opening = by_summary(&before, "Opening by the Presidency").unwrap().clone();

        // Asked again with what it has, a calendar gets 304 and no body.
        let again = app.client.get(format!("{}{SPRING_FEED}", app.base)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status().as_u16(), 304);
        assert!(again.text().await.unwrap().is_empty());
        let since = app.client.get(format!("{}{SPRING_FEED}", app.base)).header("if-modified-since", &modified).send().await.unwrap();
        assert_eq!(since.status().as_u16(), 304);
        let head = app.client.head(format!("{}{SPRING_FEED}", app.base)).send().await.unwrap();
        assert_eq!(head.status().as_u16(), 200);
        assert_eq!(head.headers()["etag"].to_str().unwrap(), etag);

        // The chair moves the opening by an hour, takes the lunch off and publishes.
        let later = test_clock().now() + chrono::Duration::hours(2);
        let mut tx = app.store.begin().await.unwrap();
        let draft = agenda::draft_in(&mut tx, event).await.unwrap();
        let item = draft.iter().find(|i| i.title == "Opening by the Presidency").unwrap();
        let lunch = draft.iter().find(|i| i.title == "Organisers' briefing lunch").unwrap();
        let closed = draft.iter().find(|i| i.title == "Operation Harbour").unwrap();
        let t = &mut tx;
        on_tx!(t, conn => {
            sqlx::query("UPDATE agenda_items SET starts_at = $1, ends_at = $2 WHERE id = $3")
                .bind(item.starts_at + chrono::Duration::hours(1))
                .bind(item.ends_at + chrono::Duration::hours(1))
                .bind(item.id)
                .execute(conn).await.unwrap();
        });
        agenda::delete_item(&mut tx, event, lunch.id).await.unwrap();
        agenda::delete_item(&mut tx, event, closed.id).await.unwrap();
        agenda::publish(&mut tx, event, None, later).await.unwrap();
        tx.commit().await.unwrap();

        let changed = app.client.get(format!("{}{SPRING_FEED}", app.base)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(changed.status().as_u16(), 200, "the old ETag no longer matches");
        assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
        let (_, after) = parse(&changed.text().await.unwrap());
        let moved = after.iter().find(|e| e["UID"] == opening["UID"]).expect("the same UID");
        assert_eq!(moved["SEQUENCE"], "1", "raised by the change");
        assert!(moved["LAST-MODIFIED"] > opening["LAST-MODIFIED"], "{} after {}", moved["LAST-MODIFIED"], opening["LAST-MODIFIED"]);
        let (_, start) = moved.iter().find(|(k, _)| k.starts_with("DTSTART;TZID=")).unwrap();
        assert_eq!(start, "20270318T110000");
        assert_eq!(moved["STATUS"], "CONFIRMED");
        // The closed session, removed, stays for anyone as a cancelled block
        // (nothing more of it); the lunch was never theirs to see.
        let gone = by_summary(&after, "Closed session").expect("kept, cancelled");
        assert_eq!(gone["STATUS"], "CANCELLED");
        assert_eq!(gone["SEQUENCE"], "1");
        assert!(by_summary(&after, "Organisers' briefing lunch").is_none());
        let secretariat = format!("convene_session={}", app.demo(SECRETARIAT).await);
        let (_, organiser) = parse(&feed(&app, SPRING_FEED, Some(&secretariat)).await.text().await.unwrap());
        assert_eq!(by_summary(&organiser, "Organisers' briefing lunch").expect("kept for organisers")["STATUS"], "CANCELLED");
        assert_eq!(by_summary(&organiser, "Operation Harbour").expect("in full for organisers")["STATUS"], "CANCELLED");
    }

    async fn the_event_s_time_zone_and_hostile_titles_reach_the_feed_as_they_should(app) {
        let event = published_spring_agenda(&app.store).await;
        let title = "Συνεδρίαση ολομέλειας, Εθνικά Σημεία Επαφής; Zażółć gęślą jaźń \\ przegląd spraw, 2027";
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE events SET title = $1, time_zone = 'Europe/Lisbon', updated_at = $2 WHERE id = $3")
                .bind(title).bind(test_clock().now() + chrono::Duration::minutes(5)).bind(event)
                .execute(pool).await.unwrap();
        });
        let body = feed(&app, SPRING_FEED, None).await.text().await.unwrap();
        let (head, events) = parse(&body);
        assert_eq!(head["X-WR-CALNAME"], title, "commas, semicolons and backslashes round-trip");
        let the_event = by_summary(&events, title).expect("the long Greek and Polish title, folded and read back whole");
        assert!(the_event.keys().any(|k| k == "DTSTART;TZID=Europe/Lisbon"));
        // Every item moves to the new zone: the same instant, Lisbon's wall clock.
        let opening = by_summary(&events, "Opening by the Presidency").unwrap();
        assert_eq!(opening["DTSTART;TZID=Europe/Lisbon"], "20270318T090000");
        assert!(body.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Lisbon\r\n"));
        assert!(!body.contains("TZID=Europe/Brussels") && !body.contains("TZID=Europe/Amsterdam"));
    }

    async fn the_network_feed_lists_public_events_and_an_item_file_opens_only_for_those_who_see_the_item(app) {
        published_spring_agenda(&app.store).await;
        // The launch event goes back to draft: it must leave the feed.
        let launch = app.event_id("launch-event").await;
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE events SET status = 'draft' WHERE id = $1").bind(launch).execute(pool).await.unwrap();
        });
        let res = feed(&app, "/networks/ejocn/calendar.ics", None).await;
        assert_eq!(res.status().as_u16(), 200);
        let (head, events) = parse(&res.text().await.unwrap());
        assert!(head["X-WR-CALNAME"].contains("Organised Crime"), "{head:?}");
        assert!(events.iter().any(|e| e["SUMMARY"].contains("First Plenary Meeting")));
        assert!(events.iter().all(|e| e["UID"].starts_with("event-")), "events only");
        let public: i64 = app.scalar("SELECT count(*) FROM events e JOIN networks n ON n.id = e.network_id WHERE n.slug = 'ejocn' AND e.status IN ('published', 'closed')").await;
        assert!(public >= 2 && events.len() as i64 >= public, "every published event ({public})");
        assert!(!events.iter().any(|e| e["UID"].starts_with(&format!("event-{launch}@"))), "no draft");
        assert_eq!(feed(&app, "/networks/no-such-network/calendar.ics", None).await.status().as_u16(), 404);

        let event = app.event_id("plenary-meeting-spring-2027").await;
        let ids: Vec<(i64, String)> = on_pool!(app.store, pool => {
            sqlx::query_as("SELECT item_id, title FROM agenda_published WHERE event_id = $1").bind(event).fetch_all(pool).await.unwrap()
        });
        let id_of = |t: &str| ids.iter().find(|(_, title)| title == t).unwrap().0;
        let path = |id: i64| format!("/networks/ejocn/events/plenary-meeting-spring-2027/agenda/item-{id}.ics");
        let open = feed(&app, &path(id_of("Opening by the Presidency")), None).await;
        assert_eq!(open.status().as_u16(), 200);
        let (_, one) = parse(&open.text().await.unwrap());
        assert_eq!(one.len(), 1);
        assert_eq!(one[0]["SUMMARY"], "Opening by the Presidency");
        let closed = path(id_of("Operation Harbour"));
        let anonymous = feed(&app, &closed, None).await;
        assert_eq!(anonymous.status().as_u16(), 404, "a closed session is not there for anyone");
        assert!(!anonymous.text().await.unwrap().contains("Harbour"));
        let observer = format!("convene_session={}", app.demo(OBSERVER).await);
        assert_eq!(feed(&app, &closed, Some(&observer)).await.status().as_u16(), 404);
        let member = format!("convene_session={}", app.demo(MEMBER).await);
        let theirs = feed(&app, &closed, Some(&member)).await;
        assert_eq!(theirs.status().as_u16(), 200);
        assert_eq!(theirs.headers()["cache-control"].to_str().unwrap(), "private, no-cache");
        assert!(theirs.text().await.unwrap().contains("SUMMARY:Operation Harbour"));
        assert_eq!(feed(&app, "/networks/ejocn/events/plenary-meeting-spring-2027/agenda/item-x.ics", None).await.status().as_u16(), 404);
        let single = feed(&app, "/networks/ejocn/events/plenary-meeting-spring-2027/event.ics", None).await;
        assert_eq!(single.status().as_u16(), 200);
        let (_, alone) = parse(&single.text().await.unwrap());
        assert_eq!(alone.len(), 1, "the event alone");
    }

    async fn a_personal_feed_lives_at_a_secret_address_made_regenerated_and_revoked_on_the_account_page(app) {
        let event = published_spring_agenda(&app.store).await;
        let member = app.demo(MEMBER).await;
        let observer = app.demo(OBSERVER).await;
        for email in [MEMBER, OBSERVER] {
            let person = app.person_id(email).await;
            let mut tx = app.store.begin().await.unwrap();
            let _ = app::registration::store::register(&mut tx, event, person, &app::registration::store::RegistrationInput {
                online: false, dietary: "", accessibility: "", privacy_version: "2025-01", list_consent: false, registered_by: None, delegation_role: "",
            }, test_clock().now()).await;
            tx.commit().await.unwrap();
            assert_eq!(
                app::registration::store::standing_now(&app.store, event, person).await.unwrap(),
                Some(app::registration::store::Standing::Confirmed),
                "{email} holds a place"
            );
        }
        let page = page_as(&app, "/account", &member).await;
        assert!(page.contains("You have no personal calendar address yet."));
        let address_of = |page: &str| -> String {
            let start = page.find("data-testid=\"feed-address\"").and_then(|_| page.find("/calendar/")).expect("the new address on the page");
            let end = page[start..].find(".ics").unwrap() + start + 4;
            page[start..end].to_owned()
        };
        let made = app.form("/api/account/feed_address", &[("action", "make")], Some(&member)).await;
        let page = app.landing(&made, Some(&member)).await;
        assert!(page.contains("shown only this once"), "{page}");
        let first = address_of(&page);
        let later = page_as(&app, "/account", &member).await;
        assert!(!later.contains(&first), "shown once: the secret is not stored");
        assert!(later.contains("Your current address was made on"));

        let res = feed(&app, &first, None).await;
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.headers()["cache-control"].to_str().unwrap(), "private, no-cache");
        assert!(res.headers().get("set-cookie").is_none(), "a personal feed never sets a cookie");
        let (head, events) = parse(&res.text().await.unwrap());
        assert!(head["X-WR-CALNAME"].contains("Katharina"));
        assert!(events.iter().any(|e| e["UID"].starts_with(&format!("event-{event}@"))), "the event registered for");
        assert!(by_summary(&events, "Operation Harbour").is_some(), "a member sees the closed session");
        assert!(by_summary(&events, "Opening by the Presidency").is_some());
        assert!(by_summary(&events, "Organisers' briefing lunch").is_none());

        let made = app.form("/api/account/feed_address", &[("action", "make")], Some(&observer)).await;
        let theirs = address_of(&app.landing(&made, Some(&observer)).await);
        let (_, events) = parse(&feed(&app, &theirs, None).await.text().await.unwrap());
        assert!(by_summary(&events, "Operation Harbour").is_none(), "an observer never sees its title");
        assert!(by_summary(&events, "Closed session").is_some(), "only the neutral block");

        // Regenerated: the old address is gone at once, the new one works.
        let made = app.form("/api/account/feed_address", &[("action", "make")], Some(&member)).await;
        let second = address_of(&app.landing(&made, Some(&member)).await);
        assert_ne!(first, second);
        assert_eq!(feed(&app, &first, None).await.status().as_u16(), 404);
        assert_eq!(feed(&app, &second, None).await.status().as_u16(), 200);
        // A disabled account's feed answers as an unknown address does.
        on_pool!(app.store, pool => {
            sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE person_id = $2").bind(test_clock().now()).bind(app.person_id(OBSERVER).await).execute(pool).await.unwrap();
        });
        assert_eq!(feed(&app, &theirs, None).await.status().as_u16(), 404);
        // Revoked: not found, and nothing says why.
        let revoked = app.form("/api/account/feed_address", &[("action", "revoke")], Some(&member)).await;
        assert!(app.landing(&revoked, Some(&member)).await.contains("is taken away"));
        let gone = feed(&app, &second, None).await;
        assert_eq!(gone.status().as_u16(), 404);
        assert!(!gone.text().await.unwrap().contains("revoked"));
        assert_eq!(feed(&app, "/calendar/not-a-secret.ics", None).await.status().as_u16(), 404);
        let audit: i64 = app.scalar("SELECT count(*) FROM audit_log WHERE action IN ('calendar_address_made', 'calendar_address_revoked')").await;
        assert_eq!(audit, 4);
    }

    async fn an_erased_speaker_leaves_the_kept_feed_at_once(app) {
        let event = published_spring_agenda(&app.store).await;
        let person = app.person_id(MEMBER).await;
        let speakers = [agenda::SpeakerInput { person_id: Some(person), name: String::new(), organisation: String::new() }];
        let now = test_clock().now();
        let mut tx = app.store.begin().await.unwrap();
        agenda::add_item(&mut tx, event, &agenda::NewItem {
            kind: app::domain::AgendaItemKind::Presentation,
            title: "Financial investigations",
            description: "",
            starts_at: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 3, 18, 14, 0, 0).unwrap(),
            ends_at: chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 3, 18, 15, 0, 0).unwrap(),
            room_id: None,
            visibility: app::domain::AgendaVisibility::Public,
            capacity: None,
            moderator_id: None,
            speakers: &speakers,
        }, now).await.unwrap();
        agenda::publish(&mut tx, event, None, now + chrono::Duration::minutes(1)).await.unwrap();
        tx.commit().await.unwrap();
        let first = feed(&app, SPRING_FEED, None).await;
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert!(first.text().await.unwrap().replace("\r\n ", "").contains("Katharina Becker"));
        // Asked again: the kept copy, compressed as the client asks.
        let again = feed(&app, SPRING_FEED, None).await;
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.text().await.unwrap().replace("\r\n ", "").contains("Katharina Becker"), "the kept copy, decompressed by the client");

        let mut tx = app.store.begin().await.unwrap();
        app::privacy::erase_person(&mut tx, person, now + chrono::Duration::minutes(2)).await.unwrap();
        tx.commit().await.unwrap();
        let after = app.client.get(format!("{}{SPRING_FEED}", app.base)).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(after.status().as_u16(), 200, "the feed changed");
        let body = after.text().await.unwrap().replace("\r\n ", "");
        assert!(!body.contains("Katharina Becker"), "the erased speaker's name is gone from the feed");
        assert!(body.contains("Financial investigations"));
    }
}
