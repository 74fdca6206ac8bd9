//! The store contract: the same behaviour from SQLite and PostgreSQL.
use crate::helpers::{test_clock, DemoStore};
use app::domain::{EventStatus, MemberState, MembershipCategory};
use app::events::store::{list_public, public_event};
use app::networks::store::{
    list_networks, membership_overview, network_by_slug, upsert_membership, upsert_person,
    NewPerson,
};
use app::on_pool;
use app::platform::{Store, StoreError};

async fn count(store: &Store, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    on_pool!(store, pool => sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await.unwrap())
}

crate::on_both_backends! { DemoStore;

    async fn seeding_the_demo_twice_changes_nothing(db) {
        let before: Vec<i64> = futures_counts(&db.store).await;
        convene_server::demo::seed(&db.store, test_clock().now()).await.unwrap();
        let after: Vec<i64> = futures_counts(&db.store).await;
        assert_eq!(before, after);
        // 2 networks; 27 + 27 contact points, 3 partners, 2 observers, 2 secretariat.
        assert_eq!(after[0], 2);
        assert_eq!(after[1], 61);
        assert_eq!(after[3], 5);
    }

    async fn ejocn_has_a_contact_point_for_every_member_state_in_protocol_order(db) {
        let network = network_by_slug(&db.store, "ejocn").await.unwrap();
        let lines = membership_overview(&db.store, network.id, test_clock().now().date_naive()).await.unwrap();
        let ncps: Vec<_> = lines.iter().filter(|l| l.category == MembershipCategory::NationalContactPoint).collect();
        assert_eq!(ncps.len(), 27);
        assert_eq!(ncps.first().unwrap().label, "Belgium");
        assert_eq!(ncps.last().unwrap().label, "Sweden");
        let partners: Vec<_> = lines.iter().filter(|l| l.category == MembershipCategory::AssociatePartner).map(|l| l.label.as_str()).collect();
        assert_eq!(partners, ["European Public Prosecutor’s Office (EPPO)", "European Union Drugs Agency (EUDA)", "Europol"]);
        let observers: Vec<_> = lines.iter().filter(|l| l.category == MembershipCategory::Observer).map(|l| l.label.as_str()).collect();
        assert_eq!(observers, ["European Commission"]);
    }

    async fn a_membership_that_has_not_started_is_not_counted(db) {
        let network = network_by_slug(&db.store, "ejocn").await.unwrap();
        let today = test_clock().now().date_naive();
        let email = app::domain::EmailAddress::parse("future.member@ejocn.demo.example").unwrap();
        let person = upsert_person(&db.store, &NewPerson {
            full_name: "Future Member", email: &email, title: None, organisation_id: None,
            member_state: Some(MemberState::parse("MT").unwrap()),
        }, test_clock().now()).await.unwrap();
        upsert_membership(&db.store, network.id, person, MembershipCategory::Observer, None,
            today.succ_opt(), test_clock().now()).await.unwrap();
        let lines = membership_overview(&db.store, network.id, today).await.unwrap();
        assert!(lines.iter().all(|l| l.label != "Individual member"), "{lines:?}");
        let tomorrow = membership_overview(&db.store, network.id, today.succ_opt().unwrap()).await.unwrap();
        assert!(tomorrow.iter().any(|l| l.label == "Individual member"));
    }

    async fn upcoming_and_past_events_split_at_now_and_drafts_never_appear(db) {
        let now = test_clock().now();
        let (upcoming, past) = list_public(&db.store, None, now, 50, 50).await.unwrap();
        let titles: Vec<_> = upcoming.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Plenary Meeting, spring 2027"]);
        let titles: Vec<_> = past.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Focus Group annual meeting 2025", "First Plenary Meeting", "EJOCN launch event"]);
        assert!(past.iter().chain(&upcoming).all(|e| e.status != EventStatus::Draft));
        // Each kind has its own limit: the most recent past events, none upcoming.
        let (none, recent) = list_public(&db.store, None, now, 0, 2).await.unwrap();
        assert!(none.is_empty());
        let titles: Vec<_> = recent.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["Focus Group annual meeting 2025", "First Plenary Meeting"]);
    }

    async fn a_draft_event_is_not_found_by_its_address(db) {
        let err = public_event(&db.store, "thb-focus-group", "annual-meeting-2027", test_clock().now()).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound), "{err:?}");
    }

    async fn event_times_come_back_in_utc_and_read_in_the_hague(db) {
        let e = public_event(&db.store, "ejocn", "launch-event", test_clock().now()).await.unwrap();
        assert_eq!(e.starts_iso, "2024-09-25T09:00:00+02:00");
        assert_eq!(e.starts, "Wednesday 25 September 2024, 09:00 CEST");
        assert_eq!(e.dates, "25–26 September 2024");
        let p = public_event(&db.store, "ejocn", "first-plenary-meeting", test_clock().now()).await.unwrap();
        assert_eq!(p.starts, "Wednesday 19 March 2025, 09:00 CET");
        assert_eq!(p.chair.as_deref(), Some("Polish Presidency of the Council of the European Union"));
        let fg = public_event(&db.store, "thb-focus-group", "annual-meeting-2025", test_clock().now()).await.unwrap();
        assert_eq!(fg.co_organisers, ["European Commission"]);
        assert_eq!(fg.hosts, ["Eurojust"]);
    }

    async fn networks_are_listed_by_name(db) {
        let names: Vec<_> = list_networks(&db.store).await.unwrap().into_iter().map(|n| n.short_name).collect();
        assert_eq!(names, ["EJOCN", "THB Focus Group"]);
    }

    async fn a_duplicate_email_is_reported_as_a_conflict(db) {
        let sql = "INSERT INTO people (full_name, email, created_at, updated_at) VALUES ($1, $2, $3, $3)";
        let now = test_clock().now();
        let err: StoreError = on_pool!(db.store, pool => {
            sqlx::query(sql).bind("Copy").bind("lotte.peeters@ejocn.demo.example").bind(now)
                .execute(pool).await.map(|_| ()).map_err(StoreError::from)
        }).unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    }

    async fn settings_round_trip(db) {
        assert_eq!(db.store.setting("demo_data").await.unwrap().as_deref(), Some("true"));
        db.store.set_setting("k", "v1").await.unwrap();
        db.store.set_setting("k", "v2").await.unwrap();
        assert_eq!(db.store.setting("k").await.unwrap().as_deref(), Some("v2"));
        assert_eq!(db.store.setting("missing").await.unwrap(), None);
    }
}

async fn futures_counts(store: &Store) -> Vec<i64> {
    let mut out = Vec::new();
    for t in [
        "networks",
        "people",
        "memberships",
        "events",
        "organisations",
        "event_organisations",
    ] {
        out.push(count(store, t).await);
    }
    out
}

#[tokio::test]
async fn sqlite_backup_is_a_consistent_copy_that_opens_with_the_same_data() {
    let db = crate::helpers::TestStore::with_demo(crate::helpers::Kind::Sqlite)
        .await
        .unwrap();
    let target = db.sqlite_dir().unwrap().join("backup.db");
    db.store.backup_to(&target).await.unwrap();
    let copy = Store::connect(&app::platform::db::DatabaseUrl::Sqlite(target.clone()))
        .await
        .unwrap();
    assert_eq!(
        count(&copy, "people").await,
        count(&db.store, "people").await
    );
    assert_eq!(count(&copy, "events").await, 5);
    // A second backup to the same file is refused instead of overwriting it.
    assert!(db.store.backup_to(&target).await.is_err());
}
