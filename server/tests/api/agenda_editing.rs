//! Editing the draft through the item's page (moving, changing length, copying,
//! speakers and a moderator from the directory), a workshop's own chairs who edit
//! that workshop and nothing else, telling participants of a new version by mail
//! (each sees only what the policy lets them), and how the agenda page reads:
//! Markdown made safe, and days with parallel items as a grid of time by room.
use crate::helpers::*;
use crate::invitations::{event_id, register};
use app::agenda::store as agenda;
use app::on_pool;
use app::platform::Store;

const SPRING_AGENDA: &str = "/networks/ejocn/events/plenary-meeting-spring-2027/agenda";

async fn person_id(store: &Store, email: &str) -> i64 {
    on_pool!(store, pool => {
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1").bind(email).fetch_one(pool).await.unwrap()
    })
}

/// The value of the `<option>` whose label starts with `label` in `page`.
fn option(page: &str, label: &str) -> String {
    page.split("<option value=\"")
        .filter_map(|s| s.split_once("\">"))
        .find(|(_, rest)| rest.starts_with(label))
        .map(|(v, _)| v.to_owned())
        .unwrap_or_else(|| panic!("no option {label}"))
}

/// The event's first day, as the day select offers it.
fn first_day(page: &str) -> String {
    page.split("name=\"day\"")
        .nth(1)
        .unwrap()
        .split("<option value=\"")
        .nth(2)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

struct Built {
    event: i64,
    ev: String,
    chair: String,
    day: String,
    room_a: String,
    room_b: String,
}

/// The chair adds Rooms A and B through the forms; returns what the next forms need.
async fn rooms(app: &TestApp) -> Built {
    let event = event_id(&app.store, "plenary-meeting-spring-2027").await;
    let ev = event.to_string();
    let chair = app.demo(CHAIR).await;
    for name in ["Room A", "Room B"] {
        let res = app
            .form(
                "/api/add_agenda_room",
                &[
                    ("event_id", &ev),
                    ("name", name),
                    ("capacity", "40"),
                    ("note", ""),
                ],
                Some(&chair),
            )
            .await;
        assert_eq!(res.status().as_u16(), 302);
    }
    let page = app
        .get_as(&format!("/events/{event}/agenda"), Some(&chair))
        .await
        .text()
        .await
        .unwrap();
    Built {
        event,
        day: first_day(&page),
        room_a: option(&page, "Room A"),
        room_b: option(&page, "Room B"),
        ev,
        chair,
    }
}

/// Adds an item through the builder's form; returns its id.
#[allow(clippy::too_many_arguments)]
async fn add(
    app: &TestApp,
    b: &Built,
    kind: &str,
    title: &str,
    times: (&str, &str),
    room: &str,
    vis: &str,
    description: &str,
) -> i64 {
    let res = app
        .form(
            "/api/add_agenda_item",
            &[
                ("event_id", &b.ev),
                ("kind", kind),
                ("title", title),
                ("day", &b.day),
                ("starts", times.0),
                ("ends", times.1),
                ("room_id", room),
                ("visibility", vis),
                ("capacity", ""),
                ("moderator_id", ""),
                ("speakers", ""),
                ("description", description),
            ],
            Some(&b.chair),
        )
        .await;
    assert_eq!(res.status().as_u16(), 302, "{title}");
    on_pool!(app.store, pool => {
        sqlx::query_scalar("SELECT MAX(id) FROM agenda_items WHERE event_id = $1 AND title = $2").bind(b.event).bind(title).fetch_one(pool).await.unwrap()
    })
}

async fn draft(store: &Store, event: i64) -> Vec<agenda::DraftItem> {
    let mut tx = store.begin_read().await.unwrap();
    agenda::draft_in(&mut tx, event).await.unwrap()
}

crate::on_both_backends! { TestApp;

    async fn a_chair_moves_and_lengthens_an_item_copies_it_and_names_speakers_and_a_moderator_from_the_directory(app) {
        let b = rooms(&app).await;
        let talk = add(&app, &b, "presentation", "Casework from Italy", ("10:00", "10:30"), &b.room_a, "public", "").await;
        let page_path = format!("/events/{}/agenda/items/{talk}", b.event);
        let page = app.get_as(&page_path, Some(&b.chair)).await.text().await.unwrap();
        assert!(page.contains("Edit: Casework from Italy") && page.contains("value=\"10:00\"") && page.contains("value=\"10:30\""), "the saved values");
        let t = talk.to_string();
        let edit = |starts: &'static str, ends: &'static str, room: String, moderator: String| {
            vec![
                ("event_id", b.ev.clone()), ("item_id", t.clone()), ("kind", "presentation".to_owned()), ("title", "Casework from Italy".to_owned()),
                ("day", b.day.clone()), ("starts", starts.to_owned()), ("ends", ends.to_owned()), ("room_id", room), ("visibility", "public".to_owned()),
                ("capacity", String::new()), ("moderator_id", moderator), ("speakers", "Guest Expert, University of Leiden".to_owned()), ("description", String::new()),
            ]
        };
        let as_refs = |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
        // Refused: the end before the start. What was saved stays.
        let fields = as_refs(&edit("11:00", "10:45", b.room_b.clone(), String::new()));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.form("/api/update_agenda_item", &fields, Some(&b.chair)).await;
        let back = app.landing(&res, Some(&b.chair)).await;
        assert!(back.contains("The end must be after the start.") && back.contains("value=\"10:45\""), "the error at its field, what was typed kept");
        let saved = &draft(&app.store, b.event).await[0];
        assert_eq!((saved.room_name.as_str(), (saved.ends_at - saved.starts_at).num_minutes()), ("Room A", 30), "nothing saved was lost");
        // Moved to Room B at 11:00 and an hour long, with a moderator.
        let moderator = person_id(&app.store, MEMBER).await;
        let fields = as_refs(&edit("11:00", "12:00", b.room_b.clone(), moderator.to_string()));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.form("/api/update_agenda_item", &fields, Some(&b.chair)).await;
        assert_eq!(location(&res), format!("/events/{}/agenda#item-notice", b.event));
        let saved = &draft(&app.store, b.event).await[0];
        assert_eq!((saved.room_name.as_str(), (saved.ends_at - saved.starts_at).num_minutes()), ("Room B", 60));
        assert_eq!(saved.moderator_id, Some(moderator));
        // A speaker from the directory.
        let partner = person_id(&app.store, PARTNER).await.to_string();
        let res = app.form("/api/add_agenda_speaker", &[("event_id", &b.ev), ("item_id", &t), ("person_id", &partner)], Some(&b.chair)).await;
        let page = app.landing(&res, Some(&b.chair)).await;
        assert!(page.contains("The speaker is added to the draft."));
        let listed = page.split("data-testid=\"directory-speakers\"").nth(1).unwrap().split("</ul>").next().unwrap();
        assert!(listed.contains("Henrik Maas"), "{listed}");
        let res = app.form("/api/add_agenda_speaker", &[("event_id", &b.ev), ("item_id", &t), ("person_id", &partner)], Some(&b.chair)).await;
        assert!(app.landing(&res, Some(&b.chair)).await.contains("already one of the speakers"));
        let saved = &draft(&app.store, b.event).await[0];
        assert_eq!(saved.people.iter().map(|p| (p.name.as_str(), p.moderator)).collect::<Vec<_>>(),
            [("Henrik Maas", false), ("Guest Expert", false), ("Katharina Becker", true)], "directory speakers, the typed one, the moderator");
        // A copy, at the same time and place: the chair is sent to move it, and the
        // room and the people are now booked twice.
        let res = app.form("/api/duplicate_agenda_item", &[("event_id", &b.ev), ("item_id", &t)], Some(&b.chair)).await;
        let copy_page = app.landing(&res, Some(&b.chair)).await;
        assert!(copy_page.contains("A copy of \u{201c}Casework from Italy\u{201d} is in the draft"));
        assert!(copy_page.contains("Room B is booked at the same time for") && copy_page.contains("Katharina Becker is also in"), "the conflicts at the copy");
        let builder = app.get_as(&format!("/events/{}/agenda", b.event), Some(&b.chair)).await.text().await.unwrap();
        let before_publishing = builder.split("data-testid=\"conflict-list\"").nth(1).expect("the conflicts listed before publishing");
        assert!(before_publishing.contains("Casework from Italy: Room B is booked at the same time for"), "{before_publishing}");
        assert!(!builder.contains("data-testid=\"draft-grid\""), "no grid where a room is booked twice");
        let all = draft(&app.store, b.event).await;
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].people, all[1].people, "the copy has the same speakers");
        // Removing the directory speaker.
        let res = app.form("/api/remove_agenda_speaker", &[("event_id", &b.ev), ("item_id", &t), ("person_id", &partner)], Some(&b.chair)).await;
        assert!(app.landing(&res, Some(&b.chair)).await.contains("The speaker is removed"));
        // A speaker who is not of the network nor invited is refused at the field.
        let stranger: i64 = on_pool!(app.store, pool => {
            sqlx::query_scalar("SELECT p.id FROM people p WHERE NOT EXISTS (SELECT 1 FROM memberships m JOIN events e ON e.network_id = m.network_id WHERE e.id = $1 AND m.person_id = p.id) AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.person_id = p.id AND i.event_id = $1) AND NOT EXISTS (SELECT 1 FROM registrations r WHERE r.person_id = p.id AND r.event_id = $1) LIMIT 1")
                .bind(b.event).fetch_one(pool).await.unwrap()
        });
        let res = app.form("/api/add_agenda_speaker", &[("event_id", &b.ev), ("item_id", &t), ("person_id", &stranger.to_string())], Some(&b.chair)).await;
        assert!(app.landing(&res, Some(&b.chair)).await.contains("Choose a person from the list."));
    }

    async fn a_workshops_own_chair_edits_its_words_and_speakers_and_nothing_else(app) {
        let b = rooms(&app).await;
        let w = add(&app, &b, "workshop", "Workshop on seaports", ("10:00", "11:00"), &b.room_a, "public", "").await;
        let other = add(&app, &b, "workshop", "Workshop on cryptophones", ("10:00", "11:00"), &b.room_b, "public", "").await;
        let partner_id = person_id(&app.store, PARTNER).await.to_string();
        let (wid, oid) = (w.to_string(), other.to_string());
        let builder = app.get_as(&format!("/events/{}/agenda", b.event), Some(&b.chair)).await.text().await.unwrap();
        let grid = builder.split("data-testid=\"draft-grid\"").nth(1).expect("the draft's day as a grid");
        assert!(grid.contains("<th scope=\"col\">Room A</th>") && grid.contains("Workshop on cryptophones"), "{grid}");
        // An organisers' item booked in the same room at the same time: a conflict
        // the chairs see, naming it.
        add(&app, &b, "meal", "Secret briefing lunch", ("10:00", "11:00"), &b.room_a, "organisers_only", "").await;
        let res = app.form("/api/add_workshop_chair", &[("event_id", &b.ev), ("item_id", &wid), ("person_id", &partner_id)], Some(&b.chair)).await;
        let page = app.landing(&res, Some(&b.chair)).await;
        assert!(page.contains("The workshop&#x27;s chair is added") || page.contains("The workshop's chair is added"), "{page}");
        let export = app::privacy::export_person(&app.store, person_id(&app.store, PARTNER).await).await.unwrap();
        assert_eq!(export["workshops_chaired"][0]["workshop"], "Workshop on seaports");
        // The partner signs in afterwards: their workshop's page, with its words only.
        let partner = app.demo(PARTNER).await;
        let mine = format!("/events/{}/agenda/items/{w}", b.event);
        let res = app.get_as(&mine, Some(&partner)).await;
        assert_eq!(res.status().as_u16(), 200);
        let page = res.text().await.unwrap();
        assert!(page.contains("You chair this workshop") && !page.contains("name=\"starts\"") && !page.contains("name=\"room_id\""));
        assert!(!page.contains("Secret briefing"), "no other item of the draft, not even in a conflict's sentence");
        let as_chair = app.get_as(&mine, Some(&b.chair)).await.text().await.unwrap();
        assert!(as_chair.contains("Room A is booked at the same time for \u{201c}Secret briefing lunch\u{201d}"), "the event's chairs see it");
        // They send a new title and, by hand, a new time: the title only is taken.
        let res = app.form("/api/update_agenda_item", &[
            ("event_id", &b.ev), ("item_id", &wid), ("title", "Seaports and containers"), ("description", "**Bring** your cases."),
            ("speakers", "Ana Costa, Procuradoria-Geral da República"), ("starts", "15:00"), ("ends", "16:00"), ("day", &b.day), ("visibility", "organisers_only"),
        ], Some(&partner)).await;
        assert_eq!(res.status().as_u16(), 302);
        let saved = draft(&app.store, b.event).await.into_iter().find(|i| i.id == w).unwrap();
        assert_eq!(saved.title, "Seaports and containers");
        assert_eq!(saved.people[0].name, "Ana Costa");
        assert_eq!((saved.visibility.as_str(), saved.room_name.as_str()), ("public", "Room A"), "nothing else changed");
        let before = draft(&app.store, b.event).await.into_iter().find(|i| i.id == other).unwrap();
        assert_eq!(saved.starts_at, before.starts_at, "the time is not theirs to change");
        // Everything else is refused.
        for path in [format!("/events/{}/agenda/items/{other}", b.event), format!("/events/{}/agenda", b.event)] {
            assert_eq!(app.get_as(&path, Some(&partner)).await.status().as_u16(), 403, "{path}");
        }
        for (path, fields) in [
            ("/api/update_agenda_item", vec![("event_id", b.ev.as_str()), ("item_id", oid.as_str()), ("title", "Hijacked")]),
            ("/api/duplicate_agenda_item", vec![("event_id", b.ev.as_str()), ("item_id", wid.as_str())]),
            ("/api/remove_agenda_item", vec![("event_id", b.ev.as_str()), ("item_id", wid.as_str())]),
            ("/api/add_workshop_chair", vec![("event_id", b.ev.as_str()), ("item_id", wid.as_str()), ("person_id", partner_id.as_str())]),
            ("/api/publish_agenda", vec![("event_id", b.ev.as_str()), ("confirm", "yes")]),
        ] {
            assert_eq!(app.form(path, &fields, Some(&partner)).await.status().as_u16(), 403, "{path}");
        }
        assert_eq!(draft(&app.store, b.event).await.len(), 3);
        // Published, the agenda page offers them their workshop's page.
        app.form("/api/publish_agenda", &[("event_id", &b.ev), ("confirm", "yes")], Some(&b.chair)).await;
        let page = app.get_as(SPRING_AGENDA, Some(&partner)).await.text().await.unwrap();
        assert!(page.contains(&format!("href=\"{mine}\"")), "a link to edit it");
        assert!(!page.contains(&format!("/agenda/items/{other}")));
        assert!(page.contains("<strong>Bring</strong> your cases."), "its Markdown rendered");
    }

    // Telling participants: one mail per person per version, each with only the
    // changes they may see; the mail channel of the leak test.
    async fn publishing_tells_each_participant_only_what_they_may_see(app) {
        let b = rooms(&app).await;
        add(&app, &b, "plenary_session", "Opening <script>alert(1)</script>", ("09:00", "10:00"), "", "public", "").await;
        add(&app, &b, "closed_session", "Operation Harbour exchange", ("10:00", "11:00"), &b.room_a, "members_only", "Vessel routes").await;
        add(&app, &b, "meal", "Organisers' briefing lunch", ("12:00", "13:00"), "", "organisers_only", "").await;
        for who in [MEMBER, OBSERVER, PARTNER] {
            let id = person_id(&app.store, who).await;
            register(&app.store, b.event, id).await;
        }
        let res = app.form("/api/publish_agenda", &[("event_id", &b.ev), ("confirm", "yes"), ("notify", "yes")], Some(&b.chair)).await;
        let page = app.landing(&res, Some(&b.chair)).await;
        assert!(page.contains("Version 1 is published, with 3 changes. 3 participants are told of the changes by mail."), "{page}");
        let mails: Vec<(String, String, String, String)> = on_pool!(app.store, pool => {
            sqlx::query_as("SELECT recipient_email, subject, body_text, body_html FROM mail_outbox WHERE kind = 'agenda_changed' ORDER BY recipient_email")
                .fetch_all(pool).await.unwrap()
        });
        assert_eq!(mails.len(), 3);
        for (to, subject, text, html) in &mails {
            assert!(subject.starts_with("Agenda changed: "), "{subject}");
            let member = to == MEMBER;
            for body in [text, html] {
                assert_eq!(body.contains("Operation Harbour"), member, "{to}: the closed session's title");
                assert!(!body.contains("Room A"), "{to}: rooms are not listed");
                assert!(!body.contains("briefing lunch"), "{to}: organisers only");
                assert!(body.contains("Added"), "{to}");
            }
            assert_eq!(text.contains("Closed session"), !member, "{to}: the neutral block");
            assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"), "{to}: escaped in HTML");
        }
        // An organisers-only change tells no participant: none may see it.
        let lunch = draft(&app.store, b.event).await.into_iter().find(|i| i.title.contains("briefing")).unwrap().id;
        app.form("/api/remove_agenda_item", &[("event_id", &b.ev), ("item_id", &lunch.to_string())], Some(&b.chair)).await;
        let res = app.form("/api/publish_agenda", &[("event_id", &b.ev), ("confirm", "yes"), ("notify", "yes")], Some(&b.chair)).await;
        assert!(app.landing(&res, Some(&b.chair)).await.contains("Version 2 is published, with 1 change. 0 participants are told"));
        let count: i64 = on_pool!(app.store, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'agenda_changed'").fetch_one(pool).await.unwrap()
        });
        assert_eq!(count, 3);
    }

    async fn the_agenda_page_renders_markdown_safely_and_shows_parallel_items_as_a_grid_without_placing_closed_ones(app) {
        let b = rooms(&app).await;
        add(&app, &b, "plenary_session", "Opening", ("09:00", "10:00"), "", "public",
            "Chaired by the **Presidency**.\n\n<script>alert(1)</script>\n\nSee [the site](javascript:alert(1)).").await;
        add(&app, &b, "workshop", "Workshop on seaports", ("10:00", "11:30"), &b.room_a, "public", "").await;
        add(&app, &b, "closed_session", "Operation Harbour", ("10:00", "11:00"), &b.room_b, "members_only", "").await;
        app.form("/api/publish_agenda", &[("event_id", &b.ev), ("confirm", "yes")], Some(&b.chair)).await;
        let (_, page) = app.page(SPRING_AGENDA).await;
        assert!(page.contains("Chaired by the <strong>Presidency</strong>."));
        assert!(!page.contains("<script>alert") && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "raw HTML is shown as text");
        assert!(!page.contains("href=\"javascript"), "a link to a script is no link");
        let grid = page.split("data-testid=\"agenda-grid\"").nth(1).expect("a grid for the day with parallel items");
        assert!(grid.contains("<th scope=\"col\">Room A</th>"));
        // The public does not see where the closed session is: no Room B column,
        // the block in the column of items without a room.
        assert!(!page.contains("Room B") && grid.contains("<th scope=\"col\">Other</th>"), "{grid}");
        let member = app.demo(MEMBER).await;
        let page = app.get_as(SPRING_AGENDA, Some(&member)).await.text().await.unwrap();
        let grid = page.split("data-testid=\"agenda-grid\"").nth(1).unwrap();
        assert!(grid.contains("<th scope=\"col\">Room B</th>") && grid.contains("Operation Harbour"));
        // 09:00 alone, 10:00 the two in parallel, 11:00 the workshop alone: the
        // workshop spans two rows.
        assert!(grid.contains("rowspan=\"2\""), "{grid}");
    }
}
