//! `convene seed-bench`: the benchmark copy of the First Plenary Meeting, its
//! agenda and the burst event, kept (never duplicated) when seeded again; and the
//! demo's agendas, which the copy's starts from.
use crate::helpers::{test_clock, TestStore};
use app::agenda::store as agenda;
use app::agenda::ShownItem;
use app::on_pool;
use app::platform::guests::open_link;
use app::platform::policy::{AgendaReach, Audience};
use app::platform::Store;
use convene_server::bench::{self, AgendaReport, Burst, Options, BURST_SLUG, PLENARY_SLUG};

async fn scalar(store: &Store, sql: &str) -> i64 {
    on_pool!(store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

async fn confirmed(store: &Store, event: i64) -> i64 {
    scalar(
        store,
        &format!("SELECT COUNT(DISTINCT person_id) FROM registrations WHERE event_id = {event} AND status = 'confirmed'"),
    )
    .await
}

fn options(registrations: usize, links: &std::path::Path) -> Options {
    Options {
        registrations: Some(registrations),
        items: None,
        burst: Some(Burst {
            people: 25,
            capacity: 10,
            links: links.to_owned(),
        }),
    }
}

fn tokens(links: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(links)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

crate::on_both_backends! { TestStore;

    async fn seeding_the_benchmark_twice_keeps_r_registrations_and_duplicates_nobody(db) {
        let store = &db.store;
        let now = test_clock().now();
        let dir = std::env::temp_dir().join(format!("convene_bench_{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let links = dir.join("links.txt");

        // On an empty database the demo data comes first, then the copy.
        let first = bench::seed(store, now, &options(40, &links)).await.unwrap();
        assert_eq!(first.confirmed, 40);
        assert_eq!(confirmed(store, first.plenary_id).await, 40, "40 people, each confirmed once");
        assert_eq!(first.plenary_path, format!("/networks/ejocn/events/{PLENARY_SLUG}"));
        let same = scalar(store, &format!(
            "SELECT COUNT(*) FROM events c JOIN events o ON o.slug = 'first-plenary-meeting'
             WHERE c.id = {} AND c.network_id = o.network_id AND c.starts_at = o.starts_at
               AND c.ends_at = o.ends_at AND c.time_zone = 'Europe/Amsterdam'
               AND c.venue = 'Eurojust, The Hague'", first.plenary_id)).await;
        assert_eq!(same, 1, "a copy of the First Plenary Meeting: network, dates, zone, venue");
        let without_org = scalar(store, &format!(
            "SELECT COUNT(*) FROM registrations r JOIN people p ON p.id = r.person_id
             WHERE r.event_id = {} AND (p.organisation_id IS NULL OR p.member_state IS NULL)", first.plenary_id)).await;
        assert_eq!(without_org, 0, "everyone has an organisation and a Member State");
        let states = scalar(store, &format!(
            "SELECT COUNT(DISTINCT p.member_state) FROM registrations r JOIN people p ON p.id = r.person_id
             WHERE r.event_id = {}", first.plenary_id)).await;
        assert!(states >= 20, "spread over the Member States: {states}");

        let burst = first.burst.clone().expect("the burst event");
        let old = tokens(&links);
        assert_eq!(old.len(), 25, "one link a line");
        for t in &old {
            assert_eq!(open_link(store, t, now).await.unwrap().map(|(e, _, _)| e), Some(burst.event_id), "each link opens the burst event");
        }
        // A burst happened: some registered.
        let invitees: Vec<i64> = on_pool!(store, pool => {
            sqlx::query_scalar("SELECT person_id FROM invitations WHERE event_id = $1 ORDER BY person_id")
                .bind(burst.event_id).fetch_all(pool).await.unwrap()
        });
        assert_eq!(invitees.len(), 25);
        for &p in &invitees[..12] {
            let mut tx = store.begin().await.unwrap();
            app::registration::store::register(&mut tx, burst.event_id, p, &app::registration::store::RegistrationInput {
                online: false, dietary: "", accessibility: "", privacy_version: "test", list_consent: false,
                registered_by: None, delegation_role: "",
            }, now).await.unwrap();
            tx.commit().await.unwrap();
        }

        let tables = "SELECT (SELECT COUNT(*) FROM people) * 1000000 + (SELECT COUNT(*) FROM organisations) * 1000 + (SELECT COUNT(*) FROM events)";
        let before = scalar(store, tables).await;
        let again = bench::seed(store, now, &options(40, &links)).await.unwrap();
        assert_eq!(scalar(store, tables).await, before, "no person, organisation or event twice");
        assert_eq!(again.plenary_id, first.plenary_id);
        assert_eq!(confirmed(store, first.plenary_id).await, 40, "still 40");
        assert_eq!(scalar(store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {}", first.plenary_id)).await, 40);
        assert_eq!(scalar(store, &format!("SELECT COUNT(*) FROM events WHERE slug IN ('{PLENARY_SLUG}', '{BURST_SLUG}')")).await, 2);

        // The burst starts over: nobody registered, everyone invited, new links only.
        let burst_again = again.burst.expect("the burst event");
        assert_eq!(burst_again.event_id, burst.event_id);
        assert_eq!(scalar(store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {}", burst.event_id)).await, 0);
        assert_eq!(scalar(store, &format!("SELECT COUNT(*) FROM invitations WHERE event_id = {} AND status = 'invited'", burst.event_id)).await, 25);
        let fresh = tokens(&links);
        assert_eq!(fresh.len(), 25);
        assert!(open_link(store, &old[0], now).await.unwrap().is_none(), "the earlier links are revoked");
        assert!(open_link(store, &fresh[24], now).await.unwrap().is_some());

        // Fewer asked for: the copy holds that many.
        let fewer = bench::seed(store, now, &Options { registrations: Some(15), items: None, burst: None }).await.unwrap();
        assert_eq!(fewer.confirmed, 15);
        assert_eq!(scalar(store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {}", first.plenary_id)).await, 15);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn items(talks: usize) -> Options {
    Options {
        registrations: None,
        items: Some(talks),
        burst: None,
    }
}

/// The copy's published agenda as `audience` sees it.
async fn seen(store: &Store, event: i64, audience: Audience) -> Vec<ShownItem> {
    agenda::published(store, event, &AgendaReach::of(audience, false))
        .await
        .unwrap()
}

/// Rows of the event's agenda tables: (rooms, draft items, versions, published).
async fn agenda_rows(store: &Store, event: i64) -> (i64, i64, i64, i64) {
    let count = |table: &str| format!("(SELECT COUNT(*) FROM {table} WHERE event_id = {event})");
    let sql = format!(
        "SELECT {}, {}, {}, {}",
        count("agenda_rooms"),
        count("agenda_items"),
        count("agenda_versions"),
        count("agenda_published")
    );
    on_pool!(store, pool => sqlx::query_as(&sql).fetch_one(pool).await.unwrap())
}

/// `seed-bench --items` and the demo's agendas.
mod agenda_data {
    use super::*;

    crate::on_both_backends! { TestStore;

        async fn seed_bench_with_items_publishes_the_talks_inside_the_blocks_of_two_days_and_replaces_the_agenda_when_run_again(db) {
            let store = &db.store;
            let now = test_clock().now();
            let first = bench::seed(store, now, &items(60)).await.unwrap();
            let plenary = first.plenary_id;
            // 16 blocks of 60 talks: 12 blocks of 4, then 4 of 3; the closed sessions
            // are the 7th block of each day (4 talks, then 3).
            assert_eq!(first.agenda, Some(AgendaReport { items: 82, talks: 60, members_only: 2 + 4 + 3, version: 1 }));
            assert_eq!(first.confirmed, 0, "no registrations asked for");

            let organiser = seen(store, plenary, Audience::Organiser).await;
            assert_eq!(organiser.len(), 16 + 6 + 60, "blocks, breaks and talks, all published");
            let kinds = |kind: &str| organiser.iter().filter(|i| i.kind == kind).count();
            assert_eq!(
                (kinds("plenary_session"), kinds("workshop"), kinds("closed_session"), kinds("break"), kinds("meal"), kinds("presentation")),
                (4, 10, 2, 4, 2, 60)
            );
            let zone = chrono_tz::Europe::Amsterdam;
            let days: std::collections::BTreeSet<String> = organiser.iter().map(|i| i.starts_at.with_timezone(&zone).date_naive().to_string()).collect();
            assert_eq!(days.into_iter().collect::<Vec<_>>(), ["2025-03-19", "2025-03-20"], "the copy's two days");
            let blocks: Vec<&ShownItem> = organiser.iter().filter(|i| matches!(i.kind.as_str(), "plenary_session" | "workshop" | "closed_session")).collect();
            // Each talk inside its block (same room, within its time), the blocks
            // holding 3 or 4 each.
            let talks: Vec<&ShownItem> = organiser.iter().filter(|i| i.kind == "presentation").collect();
            let in_block = |b: &ShownItem, t: &ShownItem| {
                b.starts_at <= t.starts_at && t.ends_at <= b.ends_at && b.description_html.starts_with(&format!("<p>In {},", t.room))
            };
            for talk in &talks {
                assert_eq!(talk.people.len(), 1, "one speaker: {talk:?}");
                assert!(talk.ends_at > talk.starts_at);
                assert_eq!(blocks.iter().filter(|b| in_block(b, talk)).count(), 1, "{} at {} in {}: inside one block", talk.title, talk.starts_at, talk.room);
            }
            let mut per_block: Vec<usize> = blocks.iter().map(|b| talks.iter().filter(|t| in_block(b, t)).count()).collect();
            per_block.sort();
            assert_eq!((per_block[0], per_block[15]), (3, 4), "spread evenly: {per_block:?}");

            // The public sees every item, the closed ones as neutral blocks; a member in full.
            let public = seen(store, plenary, Audience::Public).await;
            assert_eq!(public.len(), 82);
            let closed: Vec<_> = public.iter().filter(|i| i.closed).collect();
            assert_eq!(closed.len(), 9);
            assert!(closed.iter().all(|i| i.title.is_empty() && i.people.is_empty() && i.room.is_empty()));
            let member = seen(store, plenary, Audience::Member).await;
            assert_eq!((member.len(), member.iter().filter(|i| i.closed).count()), (82, 0));
            let member_id = scalar(store, &format!("SELECT person_id FROM memberships WHERE category = 'national_contact_point' AND person_id = {}", first.member_id)).await;
            assert_eq!(member_id, first.member_id, "the benchmark member is a contact point of the network");
            // The organiser's personal feed: registered for 20 events, the copy among them.
            assert!(first.personal_feed.as_deref().is_some_and(|f| f.starts_with("/calendar/") && f.ends_with(".ics")));
            let registered = scalar(store, &format!("SELECT COUNT(*) FROM registrations WHERE person_id = {} AND status = 'confirmed'", first.organiser_id)).await;
            assert_eq!(registered, bench::FEED_EVENTS as i64);

            // Run again, longer: the agenda is replaced, still version 1, nothing kept of the first.
            let again = bench::seed(store, now, &items(600)).await.unwrap();
            assert_eq!(again.plenary_id, plenary);
            assert_eq!(again.agenda.as_ref().map(|a| (a.items, a.talks, a.version)), Some((622, 600, 1)));
            assert_eq!(agenda_rows(store, plenary).await, (4, 622, 1, 622));
            assert_eq!(seen(store, plenary, Audience::Public).await.len(), 622);
            let tables = "SELECT (SELECT COUNT(*) FROM people) * 1000 + (SELECT COUNT(*) FROM memberships)";
            let before = scalar(store, tables).await;
            let same = bench::seed(store, now, &items(600)).await.unwrap();
            assert_eq!(same.agenda, again.agenda, "the same agenda again");
            assert_eq!(agenda_rows(store, plenary).await, (4, 622, 1, 622));
            assert_eq!(scalar(store, tables).await, before, "no person or membership twice");
            assert!(agenda::changelog(store, plenary, 1, &AgendaReach::of(Audience::Organiser, false)).await.unwrap().len() == 622);

            // The demo's own First Plenary agenda is not touched.
            let original = crate::invitations::event_id(store, "first-plenary-meeting").await;
            assert_eq!(agenda_rows(store, original).await, (3, 15, 1, 15));
            // Too many talks for the blocks' minutes: refused with a reason.
            let refused = bench::seed(store, now, &items(1441)).await.unwrap_err();
            assert!(format!("{refused:#}").contains("at most 1440"), "{refused:#}");
        }

        async fn the_demo_publishes_the_first_plenarys_agenda_drafts_the_springs_and_seeding_again_changes_neither(db) {
            let store = &db.store;
            let now = test_clock().now();
            convene_server::demo::seed(store, now).await.unwrap();
            convene_server::demo::seed_spring_registrations(store, now).await.unwrap();
            let first = crate::invitations::event_id(store, "first-plenary-meeting").await;
            let spring = crate::invitations::event_id(store, "plenary-meeting-spring-2027").await;
            assert_eq!(agenda_rows(store, first).await, (3, 15, 1, 15), "published once");
            assert_eq!(agenda_rows(store, spring).await, (3, 12, 0, 0), "a draft, not published");

            let public = seen(store, first, Audience::Public).await;
            let text = format!("{public:?}");
            assert!(text.contains("Opening by the Polish Presidency") && text.contains("Workshop 1: the network's guidelines") && text.contains("Workshop 2: the network's work plan"));
            assert!(text.contains("Recent casework") && text.contains("Policy developments"));
            assert!(text.contains("Sanne de Vries"), "a speaker of the directory, by name");
            let closed: Vec<_> = public.iter().filter(|i| i.closed).collect();
            assert_eq!(closed.len(), 1, "the closed session, as a neutral block");
            assert!(!text.contains("non-personal operational information"));
            let member = seen(store, first, Audience::Member).await;
            assert!(member.iter().any(|i| i.kind == "closed_session" && i.title == "Exchange of non-personal operational information" && !i.closed));
            let zone = chrono_tz::Europe::Amsterdam;
            assert_eq!(public[0].starts_at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(), "2025-03-19 09:00");
            assert_eq!(public.last().unwrap().ends_at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(), "2025-03-20 13:00", "within the meeting's times");
            assert!(agenda::latest_version(store, spring).await.unwrap().is_none(), "readers are told the spring agenda is not published yet");

            convene_server::demo::seed(store, now).await.unwrap();
            convene_server::demo::seed_spring_registrations(store, now).await.unwrap();
            assert_eq!(agenda_rows(store, first).await, (3, 15, 1, 15));
            assert_eq!(agenda_rows(store, spring).await, (3, 12, 0, 0));
        }
    }
}
