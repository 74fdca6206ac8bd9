//! Benchmark data (`convene seed-bench`): a copy of the demo's First Plenary
//! Meeting with many confirmed registrations or a long published agenda (or both),
//! the organiser who manages it, a member of the network who reads its closed
//! sessions, optionally an open event for the registration burst of
//! `scripts/bench`, and optionally an ended meeting with an approved outcome
//! report for many confirmed participants, for the report-sending benchmark.
//!
//! Written through the stores, as the demo data is; every person, organisation and
//! event is found again by its natural key (address, slug), so a repeated run
//! keeps what is there and duplicates nothing.
use anyhow::Context as _;
use app::domain::{
    AgendaItemKind, AgendaVisibility, EmailAddress, EventKind, EventRole, EventStatus, MemberState,
    MembershipCategory, Slug, TimeRange,
};
use app::events::store::{add_event_organisation, event_record, upsert_event, NewEvent};
use app::invitations::store as invitations;
use app::networks::store::{upsert_membership, upsert_person, NewPerson};
use app::on_pool;
use app::organisations::store::{upsert_organisation, NewOrganisation};
use app::platform::guests::{issue_link, revoke_links, GuestAction};
use app::platform::Store;
use app::registration::store::{self as registration, RegistrationInput, Standing};
use chrono::{DateTime, Duration, NaiveDate, TimeZone as _, Utc};
use chrono_tz::Tz;
use std::collections::HashSet;
use std::path::PathBuf;

/// The web address name of the copy of the First Plenary Meeting.
pub const PLENARY_SLUG: &str = "first-plenary-meeting-bench";
/// The web address name of the event the registration burst registers for.
pub const BURST_SLUG: &str = "registration-burst-bench";
/// The web address name of the ended meeting whose outcome report is sent.
pub const REPORT_SLUG: &str = "report-bench";
/// The organiser of the benchmark events, who signs in to read the lists (and
/// chairs the report benchmark's meeting, so may send its report).
pub const ORGANISER: &str = "bench.organiser@bench.demo.example";
/// The organiser's password, and the member's. For benchmark databases only.
pub const PASSWORD: &str = "convene-bench-2026";
/// A National Contact Point of the copy's network, who sees its closed sessions.
pub const MEMBER: &str = "bench.member@bench.demo.example";

/// The registrations are written this many to a transaction.
const BATCH: usize = 250;

/// What `convene seed-bench` is asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Confirmed registrations of the plenary's copy (None: those there are kept).
    pub registrations: Option<usize>,
    /// Talks on the copy's published agenda (None: its agenda is left as it is).
    pub items: Option<usize>,
    pub burst: Option<Burst>,
}

/// `--burst N --capacity C --links FILE`.
#[derive(Debug, Clone)]
pub struct Burst {
    /// People invited to the burst event, each with a fresh personal link.
    pub people: usize,
    /// Its in-person places.
    pub capacity: i32,
    /// Where the links' tokens go, one a line.
    pub links: PathBuf,
}

/// What is in place afterwards.
#[derive(Debug, Clone)]
pub struct Report {
    pub plenary_id: i64,
    pub plenary_path: String,
    pub confirmed: i64,
    pub organiser_id: i64,
    pub member_id: i64,
    pub agenda: Option<AgendaReport>,
    /// With an agenda: the organiser's personal feed address (a path with its
    /// secret), registered for [`FEED_EVENTS`] events.
    pub personal_feed: Option<String>,
    pub burst: Option<BurstReport>,
}

/// The report benchmark's meeting and its approved report.
#[derive(Debug, Clone)]
pub struct ReportBench {
    pub event_id: i64,
    pub report_id: i64,
    pub version: i64,
    /// Its confirmed participants: the recipients of a sending to them.
    pub recipients: i64,
}

/// The events the benchmark organiser is registered for, the copy included:
/// their personal feed is measured with this many.
pub const FEED_EVENTS: usize = 20;

/// The copy's agenda as `--items` made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaReport {
    /// Everything published: the blocks, the breaks and the talks.
    pub items: usize,
    pub talks: usize,
    /// Items only members see in full (the others see a closed block).
    pub members_only: usize,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct BurstReport {
    pub event_id: i64,
    pub invited: usize,
    pub capacity: i32,
}

/// Fictitious names, combined into `FIRST.len() × LAST.len()` different people.
const FIRST: [&str; 40] = [
    "Anna", "Bram", "Chiara", "Dmitar", "Eva", "Filip", "Greta", "Hugo", "Ilse", "Janis", "Karin",
    "Luca", "Maja", "Niels", "Olga", "Pavel", "Quentin", "Rita", "Stefan", "Tanja", "Ugo", "Vera",
    "Wim", "Xenia", "Yannick", "Zofia", "Agnes", "Bruno", "Carla", "Dario", "Elsa", "Felix",
    "Gaia", "Henrik", "Irena", "Joao", "Klara", "Lars", "Mirela", "Nuno",
];
const LAST: [&str; 40] = [
    "Jansen",
    "Rossi",
    "Novak",
    "Schmidt",
    "Dubois",
    "Garcia",
    "Nielsen",
    "Kowalski",
    "Horvat",
    "Popescu",
    "Virtanen",
    "Murphy",
    "Silva",
    "Papadopoulos",
    "Berzins",
    "Kazlauskas",
    "Weber",
    "Farrugia",
    "Andersson",
    "Tamm",
    "Kovacs",
    "Ivanova",
    "Martin",
    "Bianchi",
    "Svoboda",
    "Lindqvist",
    "Costa",
    "Meyer",
    "Leroy",
    "Ferrari",
    "Nowak",
    "Kralj",
    "Dimitrov",
    "Vasile",
    "Laine",
    "Byrne",
    "Santos",
    "Georgiou",
    "Ozols",
    "Petrauskas",
];

/// Prosecution offices of the benchmark people: (Member State, city).
const OFFICES: [(&str, &str); 36] = [
    ("BE", "Antwerp"),
    ("BE", "Brussels"),
    ("BG", "Sofia"),
    ("CZ", "Brno"),
    ("CZ", "Prague"),
    ("DK", "Copenhagen"),
    ("DE", "Berlin"),
    ("DE", "Hamburg"),
    ("DE", "Munich"),
    ("EE", "Tallinn"),
    ("IE", "Dublin"),
    ("EL", "Athens"),
    ("ES", "Barcelona"),
    ("ES", "Madrid"),
    ("FR", "Marseille"),
    ("FR", "Paris"),
    ("HR", "Zagreb"),
    ("IT", "Milan"),
    ("IT", "Rome"),
    ("CY", "Nicosia"),
    ("LV", "Riga"),
    ("LT", "Vilnius"),
    ("LU", "Luxembourg"),
    ("HU", "Budapest"),
    ("MT", "Valletta"),
    ("NL", "Amsterdam"),
    ("NL", "Rotterdam"),
    ("AT", "Vienna"),
    ("PL", "Warsaw"),
    ("PT", "Lisbon"),
    ("RO", "Bucharest"),
    ("SI", "Ljubljana"),
    ("SK", "Bratislava"),
    ("FI", "Helsinki"),
    ("SE", "Gothenburg"),
    ("SE", "Stockholm"),
];

/// A benchmark person: (full name, address). The address is the natural key, and
/// derives from `prefix` and `n` only.
fn person(prefix: &str, n: usize) -> anyhow::Result<(String, EmailAddress)> {
    let name = format!(
        "{} {}",
        FIRST[n % FIRST.len()],
        LAST[(n / FIRST.len()) % LAST.len()]
    );
    let address = EmailAddress::parse(format!("{prefix}.{n:05}@bench.demo.example"))?;
    Ok((name, address))
}

/// The offices (id, Member State), created or found again.
async fn offices(store: &Store) -> anyhow::Result<Vec<(i64, MemberState)>> {
    let mut out = Vec::with_capacity(OFFICES.len());
    for (code, city) in OFFICES {
        let state = MemberState::parse(code)?;
        let slug = format!("bench-prosecution-{}", Slug::from_title(city)?.as_str());
        let id = upsert_organisation(
            store,
            &NewOrganisation {
                slug: &slug,
                name: &format!("Prosecution office of {city}"),
                short_name: None,
                kind: "national_authority",
                country: Some(code),
            },
        )
        .await?;
        out.push((id, state));
    }
    Ok(out)
}

/// `n` people `prefix.00001`… spread over the offices (and so over the Member
/// States); their ids in order.
async fn people(
    store: &Store,
    prefix: &str,
    n: usize,
    offices: &[(i64, MemberState)],
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(n);
    for i in 1..=n {
        let (name, address) = person(prefix, i)?;
        let (office, state) = offices[i % offices.len()];
        ids.push(
            upsert_person(
                store,
                &NewPerson {
                    full_name: &name,
                    email: &address,
                    title: Some("Prosecutor"),
                    organisation_id: Some(office),
                    member_state: Some(state),
                },
                now,
            )
            .await?,
        );
    }
    Ok(ids)
}

/// An account with [`PASSWORD`] for the person at `address` (created as `name`
/// when there is none), made once.
async fn account(
    store: &Store,
    address: &str,
    name: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<i64> {
    use app::accounts::store::{credentials_by_email, ensure_account, set_password_hash};
    let existing = credentials_by_email(store, address).await?;
    let hash = match &existing {
        Some(c) if c.password_hash.is_some() => None,
        _ => Some(app::platform::auth::hash_password_blocking(PASSWORD.to_owned()).await?),
    };
    let mut tx = store.begin().await?;
    let id = ensure_account(&mut tx, name, &EmailAddress::parse(address)?, false, now).await?;
    if let Some(hash) = hash {
        set_password_hash(&mut tx, id, &hash, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The benchmark organiser's account.
async fn organiser(store: &Store, now: DateTime<Utc>) -> anyhow::Result<i64> {
    account(store, ORGANISER, "Bench Organiser", now).await
}

/// The benchmark member: the National Contact Point of the Rotterdam office in
/// `network`, with an account, so that a signed-in member's agenda (closed
/// sessions in full) can be measured.
async fn member(
    store: &Store,
    network: i64,
    offices: &[(i64, MemberState)],
    now: DateTime<Utc>,
) -> anyhow::Result<i64> {
    let at = OFFICES
        .iter()
        .position(|(_, city)| *city == "Rotterdam")
        .context("the Rotterdam office")?;
    let (office, state) = offices[at];
    upsert_person(
        store,
        &NewPerson {
            full_name: "Bench Member",
            email: &EmailAddress::parse(MEMBER)?,
            title: Some("Prosecutor, National Contact Point"),
            organisation_id: Some(office),
            member_state: Some(state),
        },
        now,
    )
    .await?;
    let id = account(store, MEMBER, "Bench Member", now).await?;
    upsert_membership(
        store,
        network,
        id,
        MembershipCategory::NationalContactPoint,
        Some(state),
        NaiveDate::from_ymd_opt(2024, 9, 25),
        now,
    )
    .await?;
    Ok(id)
}

/// Adds (or keeps) the benchmark data. On a database without any network the demo
/// data comes first, as `convene serve` adds it to an empty database; the copy
/// needs the demo's First Plenary Meeting.
pub async fn seed(store: &Store, now: DateTime<Utc>, options: &Options) -> anyhow::Result<Report> {
    if crate::demo::is_empty(store).await? {
        crate::demo::seed(store, now).await?;
    }
    let original = crate::demo::ejocn_event(store, "first-plenary-meeting")
        .await?
        .context("the database has no First Plenary Meeting of the EJOCN to copy: run seed-bench on an empty database or on one with the demo data (convene seed-demo)")?;
    let original = event_record(store, original).await?;
    let organiser = organiser(store, now).await?;
    let offices = offices(store).await?;
    let member = member(store, original.network_id, &offices, now).await?;

    // The copy: the original's fields, its own slug and title.
    let zone = app::platform::localtime::parse_zone(&original.time_zone)
        .context("the First Plenary Meeting's time zone")?;
    let plenary = upsert_event(
        store,
        &NewEvent {
            network_id: original.network_id,
            slug: &Slug::parse(PLENARY_SLUG)?,
            title: "First Plenary Meeting (benchmark copy)",
            kind: EventKind::parse(&original.kind)?,
            status: EventStatus::parse(&original.status)?,
            summary: &original.summary,
            when: TimeRange::new(original.starts_at, original.ends_at)?,
            time_zone: zone,
            venue: &original.venue,
            online_link: original.online_link.as_deref(),
            chair_label: original.chair_label.as_deref(),
            capacity: original.capacity,
            delegation_quota: original.delegation_quota,
            registration_opens_at: original.registration_opens_at,
            registration_closes_at: original.registration_closes_at,
        },
        now,
    )
    .await?;
    let host: i64 = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT id FROM organisations WHERE slug = 'eurojust'")
            .fetch_one(pool)
            .await?
    });
    add_event_organisation(store, plenary, host, "host").await?;
    let mut tx = store.begin().await?;
    app::events::store::add_event_role(&mut tx, plenary, organiser, EventRole::Organiser).await?;
    tx.commit().await?;

    if let Some(r) = options.registrations {
        registrations(store, plenary, organiser, r, &offices, now).await?;
    }
    let mut tx = store.begin().await?;
    let (in_person, online, _, _) = registration::counts(&mut tx, plenary).await?;
    tx.commit().await?;
    let agenda = match options.items {
        Some(talks) => {
            let first_day = original.starts_at.with_timezone(&zone).date_naive();
            Some(agenda(store, plenary, organiser, talks, zone, first_day, now).await?)
        }
        None => None,
    };
    let personal_feed = match options.items {
        Some(_) => {
            Some(personal_feed(store, &original, plenary, organiser, host, zone, now).await?)
        }
        None => None,
    };

    let burst = match &options.burst {
        Some(b) => Some(
            burst(
                store,
                now,
                b,
                original.network_id,
                host,
                organiser,
                &offices,
            )
            .await?,
        ),
        None => None,
    };
    Ok(Report {
        plenary_id: plenary,
        plenary_path: app::events::event_href(&original.network_slug, PLENARY_SLUG),
        confirmed: in_person + online,
        organiser_id: organiser,
        member_id: member,
        agenda,
        personal_feed,
        burst,
    })
}

/// The organiser registered for the copy and for `FEED_EVENTS - 1` focus-group
/// meetings of the network (one a week after the copy), with a new personal feed
/// address each run: its path, secret included. (The organiser rather than the
/// member, whose agenda page is measured as a reader who has not registered.)
async fn personal_feed(
    store: &Store,
    original: &app::events::store::EventRecord,
    plenary: i64,
    person: i64,
    host: i64,
    zone: Tz,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let mut events = vec![plenary];
    for k in 1..FEED_EVENTS {
        let slug = Slug::parse(format!("focus-group-bench-{k}"))?;
        let title = format!("Focus group meeting {k} (benchmark)");
        let shift = Duration::weeks(k as i64);
        let id = upsert_event(
            store,
            &NewEvent {
                network_id: original.network_id,
                slug: &slug,
                title: &title,
                kind: EventKind::parse(&original.kind)?,
                status: EventStatus::Published,
                summary: &original.summary,
                when: TimeRange::new(original.starts_at + shift, original.ends_at + shift)?,
                time_zone: zone,
                venue: &original.venue,
                online_link: None,
                chair_label: None,
                capacity: None,
                delegation_quota: None,
                registration_opens_at: None,
                registration_closes_at: None,
            },
            now,
        )
        .await?;
        add_event_organisation(store, id, host, "host").await?;
        events.push(id);
    }
    let mut tx = store.begin().await?;
    for &event in &events {
        if registration::standing(&mut tx, event, person).await? != Some(Standing::Confirmed) {
            if registration::standing(&mut tx, event, person)
                .await?
                .is_some()
            {
                registration::cancel(&mut tx, event, person, now).await?;
            }
            registration::register(
                &mut tx,
                event,
                person,
                &RegistrationInput {
                    // Online places have no limit: the copy's in-person ones may
                    // all be taken.
                    online: true,
                    dietary: "",
                    accessibility: "",
                    privacy_version: "2025-01",
                    list_consent: false,
                    registered_by: None,
                    delegation_role: "",
                },
                now,
            )
            .await?;
        }
    }
    let (secret, hash) = app::platform::auth::new_secret();
    app::calendar::store::set_token(&mut tx, person, &hash, now).await?;
    tx.commit().await?;
    Ok(app::calendar::personal_feed_href(&secret))
}

/// R people, each invited to the copy and registered as the original's were
/// (before the meeting, most in person, some online); nobody else registered.
async fn registrations(
    store: &Store,
    plenary: i64,
    organiser: i64,
    r: usize,
    offices: &[(i64, MemberState)],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let ids = people(store, "participant", r, offices, now).await?;
    let (invited_at, registered_at) = crate::demo::first_plenary_invited_and_registered()?;
    for (batch_no, batch) in ids.chunks(BATCH).enumerate() {
        let mut tx = store.begin().await?;
        for (k, &person) in batch.iter().enumerate() {
            let i = batch_no * BATCH + k;
            if invitations::invite_person(&mut tx, plenary, person, organiser, invited_at)
                .await?
                .is_some()
            {
                invitations::answer(&mut tx, plenary, person, "accepted", None, registered_at)
                    .await?;
            }
            match registration::standing(&mut tx, plenary, person).await? {
                Some(Standing::Confirmed) => continue,
                // The copy is never moderated: nothing waits for approval or is declined.
                Some(Standing::Waitlisted(_) | Standing::Pending | Standing::Rejected) => {
                    registration::cancel(&mut tx, plenary, person, registered_at).await?;
                }
                Some(Standing::Cancelled) | None => {}
            }
            let standing = registration::register(
                &mut tx,
                plenary,
                person,
                &RegistrationInput {
                    online: i % 9 == 4,
                    dietary: if i % 7 == 3 { "Vegetarian" } else { "" },
                    accessibility: if i % 23 == 11 {
                        "Step-free access, please"
                    } else {
                        ""
                    },
                    privacy_version: "2025-01",
                    list_consent: !i.is_multiple_of(5),
                    registered_by: None,
                    delegation_role: "",
                },
                registered_at,
            )
            .await?;
            anyhow::ensure!(
                standing == Standing::Confirmed,
                "registration {i} of the copy was not confirmed ({standing:?}): the First Plenary Meeting has a capacity"
            );
        }
        tx.commit().await?;
    }
    // A smaller R than before: the registrations beyond it go.
    let wanted: HashSet<i64> = ids.iter().copied().collect();
    let registered: Vec<i64> = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT person_id FROM registrations WHERE event_id = $1")
            .bind(plenary)
            .fetch_all(pool)
            .await?
    });
    let extra: Vec<i64> = registered
        .into_iter()
        .filter(|p| !wanted.contains(p))
        .collect();
    if !extra.is_empty() {
        let mut tx = store.begin().await?;
        for person in extra {
            app::on_tx!(&mut tx, conn => {
                sqlx::query("DELETE FROM registrations WHERE event_id = $1 AND person_id = $2")
                    .bind(plenary)
                    .bind(person)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("DELETE FROM invitations WHERE event_id = $1 AND person_id = $2")
                    .bind(plenary)
                    .bind(person)
                    .execute(&mut *conn)
                    .await?;
            });
        }
        tx.commit().await?;
    }
    Ok(())
}

/// A local time of day: (hour, minute).
type HourMinute = (u32, u32);

/// The blocks of a benchmark day, in order: (kind, local start, room, title). Each
/// lasts 90 minutes; the three workshops of a slot run in parallel.
const BLOCKS: [(AgendaItemKind, HourMinute, &str, &str); 8] = [
    (
        AgendaItemKind::PlenarySession,
        (9, 0),
        "Plenary hall",
        "Plenary: casework and policy",
    ),
    (
        AgendaItemKind::Workshop,
        (11, 0),
        "Room A",
        "Workshop A: seaports and container logistics",
    ),
    (
        AgendaItemKind::Workshop,
        (11, 0),
        "Room B",
        "Workshop B: criminal money and asset recovery",
    ),
    (
        AgendaItemKind::Workshop,
        (11, 0),
        "Room C",
        "Workshop C: encrypted communications as evidence",
    ),
    (
        AgendaItemKind::Workshop,
        (14, 0),
        "Room A",
        "Workshop A: joint investigation teams",
    ),
    (
        AgendaItemKind::Workshop,
        (14, 0),
        "Room B",
        "Workshop B: the leaders of criminal networks",
    ),
    // For members only: the others see a closed block, its talks too.
    (
        AgendaItemKind::ClosedSession,
        (14, 0),
        "Room C",
        "Closed session: exchange of non-personal operational information",
    ),
    (
        AgendaItemKind::PlenarySession,
        (16, 0),
        "Plenary hall",
        "Plenary: reports from the workshops",
    ),
];

/// The breaks of a benchmark day: (kind, local start, local end, title).
const BREAKS: [(AgendaItemKind, HourMinute, HourMinute, &str); 3] = [
    (AgendaItemKind::Break, (10, 30), (11, 0), "Coffee break"),
    (AgendaItemKind::Meal, (12, 30), (14, 0), "Lunch"),
    (AgendaItemKind::Break, (15, 30), (16, 0), "Coffee break"),
];

/// What the benchmark talks are about.
const TOPICS: [&str; 12] = [
    "Cocaine in reefer containers",
    "Corrupted port workers and insiders",
    "Extraction teams in the terminals",
    "Front companies in the fruit trade",
    "Underground banking and cash couriers",
    "Seizing crypto-assets",
    "Evidence from encrypted phone networks",
    "Controlled deliveries across borders",
    "Mutual recognition of freezing orders",
    "Synthetic drugs and precursor chemicals",
    "Violence linked to the drug markets",
    "Leaders directing from abroad",
];

/// The benchmark agenda of the copy, replacing any earlier one: rooms, the 16
/// blocks and 6 breaks of its two days, and `talks` presentations (one speaker
/// each) spread evenly over the blocks, each inside its block; published as
/// version 1. One transaction.
async fn agenda(
    store: &Store,
    plenary: i64,
    organiser: i64,
    talks: usize,
    zone: Tz,
    first_day: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<AgendaReport> {
    use app::agenda::store::{self as agenda, NewItem, SpeakerInput};
    const BLOCK_MINUTES: usize = 90;
    let blocks = 2 * BLOCKS.len();
    anyhow::ensure!(
        talks <= blocks * BLOCK_MINUTES,
        "--items is at most {}: a talk lasts a minute at least",
        blocks * BLOCK_MINUTES
    );
    let local = |day: NaiveDate, (h, m): HourMinute| -> anyhow::Result<DateTime<Utc>> {
        zone.from_local_datetime(&day.and_hms_opt(h, m, 0).context("a time of day")?)
            .single()
            .map(|t| t.with_timezone(&Utc))
            .context("a benchmark time that the clocks skip or repeat")
    };
    let mut tx = store.begin().await?;
    // The earlier agenda goes: its versions, what readers saw, the draft, the rooms.
    app::on_tx!(&mut tx, conn => {
        for sql in [
            "DELETE FROM agenda_changes WHERE event_id = $1",
            "DELETE FROM agenda_versions WHERE event_id = $1",
            "DELETE FROM agenda_published WHERE event_id = $1",
            "DELETE FROM agenda_speakers WHERE item_id IN (SELECT id FROM agenda_items WHERE event_id = $1)",
            "DELETE FROM agenda_items WHERE event_id = $1",
            "DELETE FROM agenda_rooms WHERE event_id = $1",
        ] {
            sqlx::query(sql).bind(plenary).execute(&mut *conn).await?;
        }
    });
    let mut rooms = std::collections::HashMap::new();
    for (name, holds) in [
        ("Plenary hall", 120),
        ("Room A", 40),
        ("Room B", 40),
        ("Room C", 30),
    ] {
        rooms.insert(
            name,
            agenda::add_room(&mut tx, plenary, name, Some(holds), "").await?,
        );
    }
    let mut items = 0;
    let mut members_only = 0;
    let mut talk = 0;
    for (d, day) in first_day.iter_days().take(2).enumerate() {
        for (kind, from, to, title) in BREAKS {
            let item = NewItem {
                kind,
                title,
                description: "",
                starts_at: local(day, from)?,
                ends_at: local(day, to)?,
                room_id: None,
                visibility: AgendaVisibility::Public,
                capacity: None,
                moderator_id: None,
                speakers: &[],
            };
            agenda::add_item(&mut tx, plenary, &item, now).await?;
            items += 1;
        }
        for (b, (kind, from, room, title)) in BLOCKS.into_iter().enumerate() {
            let block = d * BLOCKS.len() + b;
            let starts = local(day, from)?;
            let visibility = match kind {
                AgendaItemKind::ClosedSession => AgendaVisibility::MembersOnly,
                _ => AgendaVisibility::Public,
            };
            let room_id = rooms.get(room).copied();
            // The block is the session's heading; its talks take the room.
            let description = format!("In {room}, day {}.", d + 1);
            let heading = NewItem {
                kind,
                title,
                description: &description,
                starts_at: starts,
                ends_at: starts + Duration::minutes(BLOCK_MINUTES as i64),
                room_id: None,
                visibility,
                capacity: None,
                moderator_id: None,
                speakers: &[],
            };
            agenda::add_item(&mut tx, plenary, &heading, now).await?;
            items += 1;
            members_only += usize::from(visibility == AgendaVisibility::MembersOnly);
            // talks / blocks each, the first (talks % blocks) blocks one more.
            let here = talks / blocks + usize::from(block < talks % blocks);
            for j in 0..here {
                talk += 1;
                let (name, _) = person("speaker", talk)?;
                let city = OFFICES[talk % OFFICES.len()].1;
                let topic = TOPICS[talk % TOPICS.len()];
                let title = format!("{topic}: the experience of {city}");
                let description = format!(
                    "Talk {talk} of the benchmark: what the prosecution office of {city} learned about {} in its recent cases.",
                    topic.to_lowercase()
                );
                let speakers = [SpeakerInput {
                    person_id: None,
                    name,
                    organisation: format!("Prosecution office of {city}"),
                }];
                let minutes = |k: usize| Duration::minutes((BLOCK_MINUTES * k / here) as i64);
                let item = NewItem {
                    kind: AgendaItemKind::Presentation,
                    title: &title,
                    description: &description,
                    starts_at: starts + minutes(j),
                    ends_at: starts + minutes(j + 1),
                    room_id,
                    visibility,
                    capacity: None,
                    moderator_id: None,
                    speakers: &speakers,
                };
                agenda::add_item(&mut tx, plenary, &item, now).await?;
                items += 1;
                members_only += usize::from(visibility == AgendaVisibility::MembersOnly);
            }
        }
    }
    let publication = agenda::publish(&mut tx, plenary, Some(organiser), now).await?;
    tx.commit().await?;
    Ok(AgendaReport {
        items,
        talks: talk,
        members_only,
        version: publication.number,
    })
}

/// The burst event: published, registration open from a day ago for two months,
/// the meeting in three months; `people` invited, none registered, each with a
/// fresh personal link (the earlier ones revoked), written to the links file.
async fn burst(
    store: &Store,
    now: DateTime<Utc>,
    b: &Burst,
    network: i64,
    host: i64,
    organiser: i64,
    offices: &[(i64, MemberState)],
) -> anyhow::Result<BurstReport> {
    anyhow::ensure!(
        b.capacity >= 0,
        "--capacity is a number of places, 0 or more"
    );
    let starts = now + Duration::days(90);
    let event = upsert_event(
        store,
        &NewEvent {
            network_id: network,
            slug: &Slug::parse(BURST_SLUG)?,
            title: "Registration burst (benchmark)",
            kind: EventKind::Plenary,
            status: EventStatus::Published,
            summary: "An open meeting for the registration benchmark: many invitees register at once for fewer places.",
            when: TimeRange::new(starts, starts + Duration::days(1))?,
            time_zone: chrono_tz::Europe::Amsterdam,
            venue: "Eurojust, The Hague",
            online_link: None,
            chair_label: None,
            capacity: Some(b.capacity),
            delegation_quota: None,
            registration_opens_at: Some(now - Duration::days(1)),
            registration_closes_at: Some(now + Duration::days(60)),
        },
        now,
    )
    .await?;
    add_event_organisation(store, event, host, "host").await?;
    let record = event_record(store, event).await?;
    let valid = app::invitations::api::server::link_validity(&record, now);
    let ids = people(store, "invitee", b.people, offices, now).await?;

    let mut tx = store.begin().await?;
    app::events::store::add_event_role(&mut tx, event, organiser, EventRole::Organiser).await?;
    // A new round: nobody registered or answered, every earlier link revoked.
    app::on_tx!(&mut tx, conn => {
        sqlx::query("DELETE FROM registrations WHERE event_id = $1")
            .bind(event)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE invitations SET status = 'invited', message = NULL, answered_at = NULL,
                    opened_at = NULL
             WHERE event_id = $1",
        )
        .bind(event)
        .execute(&mut *conn)
        .await?;
    });
    let mut tokens = String::with_capacity(ids.len() * 44);
    for &person in &ids {
        revoke_links(&mut tx, person, Some(event), now).await?;
        invitations::invite_person(&mut tx, event, person, organiser, now).await?;
        let token = issue_link(
            &mut tx,
            person,
            event,
            &[
                GuestAction::View,
                GuestAction::Respond,
                GuestAction::Register,
            ],
            valid,
            now,
        )
        .await?;
        tokens.push_str(&token);
        tokens.push('\n');
    }
    // The links only once the data that makes them work is committed.
    tx.commit().await?;
    std::fs::write(&b.links, tokens)
        .with_context(|| format!("writing the personal links to {}", b.links.display()))?;
    Ok(BurstReport {
        event_id: event,
        invited: ids.len(),
        capacity: b.capacity,
    })
}

/// The report benchmark's texts: what a chair writes after a plenary (Markdown),
/// with a members-only annex.
const REPORT_TEXTS: app::reports::store::Texts<'static> = app::reports::store::Texts {
    summary: "Over two days in The Hague, the network's National Contact Points, its Associate Partners and guests from the prosecution offices of the Member States met for a plenary meeting on **drug trafficking through seaports**. The meeting was chaired by the Presidency and prepared with the secretariat at Eurojust.\n\nThe first day was given to casework: prosecutors from Antwerp, Rotterdam, Hamburg and Valencia described how criminal networks use corrupted insiders and extraction teams in container terminals, and how their offices organised joint investigation teams with the police, customs and the port authorities. Europol presented its latest analysis of the main routes, and the European Union Drugs Agency the figures behind them.\n\nOn the second day, three workshops discussed evidence from encrypted communication services, the financial investigation of the networks' leaders, and the recovery of criminal assets held abroad. Their rapporteurs reported to the closing plenary, which adopted the conclusions below.",
    conclusions: "- Seaports remain the network's first priority; the next plenary meeting turns to the leaders of the networks and their money.\n- Joint investigation teams work best when the judicial authorities are involved from the first operational meeting; the network offers its contact points to set them up quickly.\n- The admissibility of evidence from encrypted communication services differs between the Member States; a comparative note is needed before the next meeting.\n- Financial investigations should start with the criminal investigation, not after it: members will share their offices' guidance on parallel financial investigations.\n- Practitioners asked for more time for exchanges between colleagues and fewer presentations.",
    next_steps: "1. The secretariat circulates the comparative questionnaire on evidence from encrypted services within a month; members answer within six weeks.\n2. National Contact Points send their offices' guidance on parallel financial investigations to the secretariat, which publishes a compendium on the network's pages.\n3. Members propose cases for the closed session of the next plenary meeting through their contact points.\n4. The secretariat and the Associate Partners prepare a joint publication on corruption in port logistics.",
    annex: "**Closed session.** Members exchanged non-personal operational information on recurring methods of extraction from containers in three ports, and on a new pattern of payments to insiders through prepaid cards and crypto-assets. Two offices agreed to contact each other about comparable proceedings through their National Contact Points.\n\n**Requests for assistance.** Four requests for mutual legal assistance that were delayed were discussed with the offices concerned; the secretariat follows them up with Eurojust's national desks.\n\nThe session's notes are kept by the secretariat and are not distributed.",
    change_note: "",
};

/// `--report-recipients N`: an ended copy of the First Plenary Meeting
/// ([`REPORT_SLUG`], closed) chaired by the benchmark organiser, `n` people (no
/// accounts; `report-bench.00001@bench.demo.example`…) each with a confirmed
/// registration and most marked present, and its outcome report approved by the
/// demo's secretariat, not yet sent: what a chair finds on the report's page when
/// pressing send. Seeded again, the people and registrations are kept; a report
/// already sent to someone is followed by an approved correction, so that a new
/// sending goes to everyone again.
pub async fn seed_report(
    store: &Store,
    now: DateTime<Utc>,
    n: usize,
    organiser: i64,
) -> anyhow::Result<ReportBench> {
    use app::reports::store as reports;
    let original = crate::demo::ejocn_event(store, "first-plenary-meeting")
        .await?
        .context("the demo's First Plenary Meeting of the EJOCN is missing")?;
    let original = event_record(store, original).await?;
    let zone = app::platform::localtime::parse_zone(&original.time_zone)
        .context("the First Plenary Meeting's time zone")?;
    let secretariat =
        app::accounts::store::credentials_by_email(store, crate::demo::DEMO_ACCOUNTS[0].0)
            .await?
            .context("the demo's secretariat is missing")?
            .person_id;
    let host: i64 = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT id FROM organisations WHERE slug = 'eurojust'")
            .fetch_one(pool)
            .await?
    });
    let event = upsert_event(
        store,
        &NewEvent {
            network_id: original.network_id,
            slug: &Slug::parse(REPORT_SLUG)?,
            title: "Plenary meeting on seaports (report benchmark)",
            kind: EventKind::Plenary,
            status: EventStatus::Closed,
            summary: &original.summary,
            when: TimeRange::new(original.starts_at, original.ends_at)?,
            time_zone: zone,
            venue: &original.venue,
            online_link: None,
            chair_label: original.chair_label.as_deref(),
            capacity: None,
            delegation_quota: None,
            registration_opens_at: original.registration_opens_at,
            registration_closes_at: original.registration_closes_at,
        },
        now,
    )
    .await?;
    add_event_organisation(store, event, host, "host").await?;
    let mut tx = store.begin().await?;
    app::events::store::add_event_role(&mut tx, event, organiser, EventRole::Chair).await?;
    tx.commit().await?;

    // The participants: registered before the meeting, a few online.
    let offices = offices(store).await?;
    let ids = people(store, "report-bench", n, &offices, now).await?;
    let (_, registered_at) = crate::demo::first_plenary_invited_and_registered()?;
    let registered: HashSet<i64> = on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>(
            "SELECT person_id FROM registrations WHERE event_id = $1 AND status = 'confirmed'",
        )
        .bind(event)
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect()
    });
    let inputs: Vec<(i64, RegistrationInput<'_>)> = ids
        .iter()
        .enumerate()
        .filter(|(_, p)| !registered.contains(p))
        .map(|(i, &p)| {
            (
                p,
                RegistrationInput {
                    online: i % 9 == 4,
                    dietary: if i % 7 == 3 { "Vegetarian" } else { "" },
                    accessibility: "",
                    privacy_version: "2025-01",
                    list_consent: !i.is_multiple_of(5),
                    registered_by: None,
                    delegation_role: "",
                },
            )
        })
        .collect();
    let mut tx = store.begin().await?;
    for (k, answer) in registration::register_many(&mut tx, event, &inputs, registered_at)
        .await?
        .into_iter()
        .enumerate()
    {
        let standing = answer?;
        anyhow::ensure!(
            standing == Standing::Confirmed,
            "the report benchmark's registration {k} was not confirmed ({standing:?})"
        );
    }
    // The attendance register of both days: most present, some excused or absent.
    let recorded_at = original.starts_at + Duration::hours(1);
    for (d, day) in original
        .starts_at
        .with_timezone(&zone)
        .date_naive()
        .iter_days()
        .take(2)
        .enumerate()
    {
        app::on_tx!(&mut tx, conn => {
            sqlx::query(
                "INSERT INTO attendance_register (event_id, person_id, day, status, recorded_by, recorded_at)
                 SELECT event_id, person_id, $2,
                        CASE (person_id + $3) % 13 WHEN 6 THEN 'excused' WHEN 11 THEN 'absent' ELSE 'present' END,
                        $4, $5
                 FROM registrations WHERE event_id = $1 AND status = 'confirmed'
                 ON CONFLICT (event_id, person_id, day) DO NOTHING",
            )
            .bind(event)
            .bind(day)
            .bind(3 * d as i64)
            .bind(organiser)
            .bind(recorded_at)
            .execute(&mut *conn)
            .await?;
        });
    }
    tx.commit().await?;

    // The report: written by the chair, approved by the secretariat, not sent.
    let latest = reports::latest(store, event).await?;
    let reuse = match &latest {
        Some(r) if r.status().approved() => {
            let mut tx = store.begin().await?;
            let sent = reports::already_sent(&mut tx, r.id).await?;
            tx.commit().await?;
            sent.is_empty().then_some(r.id)
        }
        _ => None,
    };
    let report_id = match reuse {
        Some(id) => id,
        None => {
            let attendance = serde_json::to_string(&reports::attendance(store, event).await?)?;
            let approved_at = now - Duration::days(1);
            // After an earlier version, the next one (a correction once approved).
            let mut tx = store.begin().await?;
            let id = reports::create(
                &mut tx,
                event,
                latest.as_ref(),
                organiser,
                approved_at - Duration::days(6),
            )
            .await?;
            let texts = reports::Texts {
                change_note: if latest.is_some() {
                    "Sent again for the report benchmark: the texts are unchanged."
                } else {
                    ""
                },
                ..REPORT_TEXTS
            };
            reports::save_texts(&mut tx, id, &texts, approved_at - Duration::days(4)).await?;
            app::on_tx!(&mut tx, conn => {
                sqlx::query(
                    "UPDATE outcome_reports SET status = 'approved', attendance = $2, submitted_by = $3,
                         submitted_at = $4, approved_by = $5, approved_at = $6, updated_at = $6
                     WHERE id = $1",
                )
                .bind(id)
                .bind(&attendance)
                .bind(organiser)
                .bind(approved_at - Duration::days(3))
                .bind(secretariat)
                .bind(approved_at)
                .execute(conn)
                .await?;
            });
            tx.commit().await?;
            id
        }
    };
    let row = reports::by_id(store, report_id).await?;
    let recipients: i64 = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed'")
            .bind(event)
            .fetch_one(pool)
            .await?
    });
    Ok(ReportBench {
        event_id: event,
        report_id,
        version: row.version,
        recipients,
    })
}

/// What `convene seed-bench --report-recipients N` adds to [`describe`]'s lines;
/// `scripts/bench` reads the ids from its first line.
pub fn describe_report(r: &ReportBench, config: &crate::config::Config) -> String {
    let origin = app::platform::auth::SecuritySettings {
        listen: Some(config.listen),
        ..config.security.clone()
    }
    .origin();
    format!(
        "Report benchmark event: {}, report: {} (version {}, approved, not sent), {} confirmed participants\n\
         \x20 report page:       {origin}/events/{}/report (the organiser chairs it and may send it)",
        r.event_id, r.report_id, r.version, r.recipients, r.event_id,
    )
}

/// What `convene seed-bench` prints: where the events are and who manages them.
/// `scripts/bench` reads the event ids from the `/events/ID/participants` lines.
pub fn describe(report: &Report, options: &Options, config: &crate::config::Config) -> String {
    let origin = app::platform::auth::SecuritySettings {
        listen: Some(config.listen),
        ..config.security.clone()
    }
    .origin();
    let mut out = format!(
        "Benchmark data is in place in {:?}.\n\
         First Plenary Meeting (benchmark copy): {} confirmed registrations\n\
         \x20 event page:        {origin}{}\n\
         \x20 participant list:  {origin}/events/{}/participants\n\
         Organiser of the benchmark events: {ORGANISER}, password {PASSWORD} (sign in at {origin}/sign-in)\n\
         Member of the network, who sees the closed sessions: {MEMBER}, password {PASSWORD}",
        config.database_url, report.confirmed, report.plenary_path, report.plenary_id,
    );
    if let Some(a) = &report.agenda {
        out.push_str(&format!(
            "\nAgenda of the copy: version {}, {} items ({} talks; {} for members only, a closed block to others)\n\
             \x20 agenda page:       {origin}{}/agenda\n\
             \x20 event feed:        {origin}{}/calendar.ics",
            a.version, a.items, a.talks, a.members_only, report.plenary_path, report.plenary_path,
        ));
    }
    if let Some(feed) = &report.personal_feed {
        out.push_str(&format!(
            "\nPersonal feed of the organiser ({FEED_EVENTS} events): {origin}{feed}"
        ));
    }
    if let (Some(b), Some(asked)) = (&report.burst, &options.burst) {
        out.push_str(&format!(
            "\nRegistration burst (benchmark): {} places, {} people invited, nobody registered yet\n\
             \x20 personal links:    {} ({} tokens; {origin}/guest/TOKEN opens one)\n\
             \x20 invitation page:   {origin}/guest/events/{}\n\
             \x20 participant list:  {origin}/events/{}/participants",
            b.capacity,
            b.invited,
            asked.links.display(),
            b.invited,
            b.event_id,
            b.event_id,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benchmark_people_have_distinct_addresses_and_names_for_the_first_1600() {
        let mut names = HashSet::new();
        let mut addresses = HashSet::new();
        for n in 1..=FIRST.len() * LAST.len() {
            let (name, address) = person("participant", n).unwrap();
            names.insert(name);
            addresses.insert(address.as_str().to_owned());
        }
        assert_eq!(names.len(), 1600);
        assert_eq!(addresses.len(), 1600);
        assert_eq!(
            person("invitee", 7).unwrap().1.as_str(),
            "invitee.00007@bench.demo.example"
        );
    }
}
