//! `convene seed-bench`: the benchmark copy of the First Plenary Meeting and the
//! burst event, kept (never duplicated) when seeded again.
use crate::helpers::{test_clock, TestStore};
use app::on_pool;
use app::platform::guests::open_link;
use app::platform::Store;
use convene_server::bench::{self, Burst, Options, BURST_SLUG, PLENARY_SLUG};

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
        registrations,
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
            assert_eq!(open_link(store, t, now).await.unwrap().map(|(e, _)| e), Some(burst.event_id), "each link opens the burst event");
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
        let fewer = bench::seed(store, now, &Options { registrations: 15, burst: None }).await.unwrap();
        assert_eq!(fewer.confirmed, 15);
        assert_eq!(scalar(store, &format!("SELECT COUNT(*) FROM registrations WHERE event_id = {}", first.plenary_id)).await, 15);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
