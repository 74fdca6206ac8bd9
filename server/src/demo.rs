//! Demonstration data: the two networks as publicly described, with fictitious
//! people. Every write is an upsert on a natural key, so seeding twice changes nothing.
use anyhow::Context as _;
use app::domain::{
    AgendaItemKind, AgendaVisibility, EmailAddress, EventKind, EventStatus, MemberState,
    MembershipCategory, Slug, TimeRange,
};
use app::events::store::{add_event_organisation, upsert_event, NewEvent};
use app::networks::store::{
    upsert_membership, upsert_network, upsert_person, NewNetwork, NewPerson,
};
use app::on_pool;
use app::organisations::store::{upsert_organisation, NewOrganisation};
use app::platform::Store;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

/// The `settings` key whose presence marks a database holding demo data.
pub const DEMO_SETTING: &str = "demo_data";

/// Fictitious contact points: (Member State, EJOCN contact point, THB Focus Group prosecutor).
const PEOPLE: [(&str, &str, &str); 27] = [
    ("BE", "Lotte Peeters", "Julien Lambert"),
    ("BG", "Nikolay Petrov", "Elena Dimitrova"),
    ("CZ", "Tereza Novakova", "Jakub Dvorak"),
    ("DK", "Mads Kristensen", "Freja Nielsen"),
    ("DE", "Katharina Becker", "Jonas Hoffmann"),
    ("EE", "Kadri Tamm", "Rasmus Saar"),
    ("IE", "Aoife Byrne", "Cian Murphy"),
    ("EL", "Dimitris Papadakis", "Eleni Georgiou"),
    ("ES", "Lucia Fernandez", "Javier Moreno"),
    ("FR", "Claire Moreau", "Antoine Girard"),
    ("HR", "Ivana Horvat", "Marko Babic"),
    ("IT", "Giulia Romano", "Marco Esposito"),
    ("CY", "Andreas Christodoulou", "Maria Nikolaou"),
    ("LV", "Liga Berzina", "Martins Ozols"),
    ("LT", "Ruta Kazlauskiene", "Tomas Petrauskas"),
    ("LU", "Claude Weber", "Anne Schmit"),
    ("HU", "Eszter Nagy", "Balazs Kovacs"),
    ("MT", "Daniel Camilleri", "Sarah Borg"),
    ("NL", "Sanne de Vries", "Daan Bakker"),
    ("AT", "Lukas Gruber", "Sophie Huber"),
    ("PL", "Agnieszka Nowak", "Piotr Zielinski"),
    ("PT", "Ines Ferreira", "Tiago Santos"),
    ("RO", "Andrei Popescu", "Ioana Constantin"),
    ("SI", "Nina Kranjc", "Matej Novak"),
    ("SK", "Zuzana Horvathova", "Martin Kollar"),
    ("FI", "Aino Virtanen", "Mikko Korhonen"),
    ("SE", "Elin Johansson", "Oskar Lindberg"),
];

fn email(name: &str, domain: &str) -> anyhow::Result<EmailAddress> {
    let local = Slug::from_title(name)?.as_str().replace('-', ".");
    Ok(EmailAddress::parse(format!("{local}@{domain}"))?)
}

/// A local time in The Hague.
fn hague(y: i32, m: u32, d: u32, h: u32, min: u32) -> anyhow::Result<DateTime<Utc>> {
    Amsterdam
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .context("an ambiguous local time in the demo data")
}

/// True when no network exists yet: the moment to offer the demo data.
pub async fn is_empty(store: &Store) -> anyhow::Result<bool> {
    let n: i64 = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM networks").fetch_one(pool).await?
    });
    Ok(n == 0)
}

struct Orgs {
    eurojust: i64,
    commission: i64,
    partners: Vec<(i64, &'static str)>,
}

async fn organisations(store: &Store) -> anyhow::Result<Orgs> {
    let org = |slug, name, short_name, kind| NewOrganisation {
        slug,
        name,
        short_name,
        kind,
        country: None,
    };
    let eurojust =
        upsert_organisation(store, &org("eurojust", "Eurojust", None, "eu_agency")).await?;
    let commission = upsert_organisation(
        store,
        &org(
            "european-commission",
            "European Commission",
            None,
            "eu_institution",
        ),
    )
    .await?;
    let mut partners = Vec::new();
    for (slug, name, short) in [
        ("europol", "Europol", "Europol"),
        ("euda", "European Union Drugs Agency (EUDA)", "EUDA"),
        ("eppo", "European Public Prosecutor’s Office (EPPO)", "EPPO"),
    ] {
        let id = upsert_organisation(store, &org(slug, name, Some(short), "eu_agency")).await?;
        partners.push((id, short));
    }
    Ok(Orgs {
        eurojust,
        commission,
        partners,
    })
}

/// Adds or refreshes the demo networks, organisations, people, memberships and events.
pub async fn seed(store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    let orgs = organisations(store).await?;

    let ejocn = upsert_network(
        store,
        &NewNetwork {
            slug: &Slug::parse("ejocn")?,
            name: "European Judicial Organised Crime Network",
            short_name: "EJOCN",
            established: "2024, at Eurojust, following Council conclusions on a proposal of the European Commission",
            summary: "Prosecutors and investigative judges of the Member States working together, directly and strategically, against organised crime.",
            mandate: "The network connects the judicial authorities that investigate and prosecute organised crime, so that they can exchange information, expertise and practical guidance beyond any single case. Its mandate covers every aspect of the fight against organised crime.\n\nEurojust hosts the network and takes part in all of its activities. Its regular meetings give practitioners the contacts, knowledge and experience to meet the legal and practical obstacles of cross-border investigations, building on Eurojust's work with joint investigation teams and other tools of judicial cooperation.",
            priorities: &[
                "Drug trafficking, in particular through the seaports that organised crime groups use to bring illegal drugs into Europe (the first priority proposed by the Council)",
                "The structural, poly-criminal and leadership aspects of criminal networks",
                "Better operational results through direct contacts between practitioners",
            ],
            host_organisation_id: Some(orgs.eurojust),
        },
        now,
    )
    .await?;

    let thb = upsert_network(
        store,
        &NewNetwork {
            slug: &Slug::parse("thb-focus-group")?,
            name: "Focus Group of prosecutors on trafficking in human beings",
            short_name: "THB Focus Group",
            established: "June 2022, under the EU Strategy on Combatting Trafficking in Human Beings 2021–2025",
            summary: "Judicial experts specialised in human trafficking cases from every Member State and selected third countries, supported by Eurojust.",
            mandate: "The Focus Group is a hub that keeps the key judicial actors against trafficking in human beings regularly in touch, within the EU and beyond, and supports their joint operational response.\n\nEurojust keeps the group running and organises its annual meeting together with the European Commission's EU Anti-Trafficking Coordinator. The group works alongside the EU agencies and networks active against trafficking in human beings.",
            priorities: &[
                "Sharing good practice from significant human trafficking investigations",
                "Better and more consistent prosecutions through judicial cooperation",
                "Analysing trends and developments in trafficking in human beings",
                "Collecting practitioners' views on current challenges and on closer cooperation",
            ],
            host_organisation_id: Some(orgs.eurojust),
        },
        now,
    )
    .await?;

    let ejocn_from = NaiveDate::from_ymd_opt(2024, 9, 25);
    let thb_from = NaiveDate::from_ymd_opt(2022, 6, 1);
    for (code, ejocn_name, thb_name) in PEOPLE {
        let state = MemberState::parse(code)?;
        let authority = upsert_organisation(
            store,
            &NewOrganisation {
                slug: &format!("prosecution-{}", code.to_lowercase()),
                name: &format!("Prosecution service of {}", state.name()),
                short_name: None,
                kind: "national_authority",
                country: Some(code),
            },
        )
        .await?;
        for (name, network, domain, title, from) in [
            (
                ejocn_name,
                ejocn,
                "ejocn.demo.example",
                "Prosecutor, National Contact Point",
                ejocn_from,
            ),
            (
                thb_name,
                thb,
                "thb.demo.example",
                "Specialised prosecutor (trafficking in human beings)",
                thb_from,
            ),
        ] {
            let address = email(name, domain)?;
            let person = upsert_person(
                store,
                &NewPerson {
                    full_name: name,
                    email: &address,
                    title: Some(title),
                    organisation_id: Some(authority),
                    member_state: Some(state),
                },
                now,
            )
            .await?;
            upsert_membership(
                store,
                network,
                person,
                MembershipCategory::NationalContactPoint,
                Some(state),
                from,
                now,
            )
            .await?;
        }
    }

    // One representative each for the partners, the observer and the secretariat.
    let mut reps: Vec<(i64, &str, &str, i64, MembershipCategory)> = Vec::new();
    for ((org, short), name) in
        orgs.partners
            .iter()
            .zip(["Henrik Maas", "Paula Ribeiro", "Stefan Wolff"])
    {
        reps.push((
            *org,
            short,
            name,
            ejocn,
            MembershipCategory::AssociatePartner,
        ));
    }
    reps.push((
        orgs.commission,
        "Commission",
        "Isabelle Laurent",
        ejocn,
        MembershipCategory::Observer,
    ));
    reps.push((
        orgs.commission,
        "Commission",
        "Roberta Conti",
        thb,
        MembershipCategory::Observer,
    ));
    reps.push((
        orgs.eurojust,
        "Eurojust",
        "Femke Visser",
        ejocn,
        MembershipCategory::Secretariat,
    ));
    reps.push((
        orgs.eurojust,
        "Eurojust",
        "Joost van Dam",
        thb,
        MembershipCategory::Secretariat,
    ));
    for (org, short, name, network, category) in reps {
        let address = email(name, &format!("{}.demo.example", short.to_lowercase()))?;
        let person = upsert_person(
            store,
            &NewPerson {
                full_name: name,
                email: &address,
                title: Some(category.label()),
                organisation_id: Some(org),
                member_state: None,
            },
            now,
        )
        .await?;
        upsert_membership(store, network, person, category, None, ejocn_from, now).await?;
    }

    let events = [
        (
            ejocn,
            "launch-event",
            "EJOCN launch event",
            EventKind::LaunchEvent,
            EventStatus::Closed,
            "Two days at Eurojust where prosecutors appointed by the Member States met high-level representatives of Eurojust, Europol, the EUDA, the EPPO and the European Commission to share needs and approaches against drug-related organised crime, and to shape the scope, vision and working methods of the new network.",
            hague(2024, 9, 25, 9, 0)?,
            hague(2024, 9, 26, 13, 0)?,
            None,
            None,
        ),
        (
            ejocn,
            "first-plenary-meeting",
            "First Plenary Meeting",
            EventKind::Plenary,
            EventStatus::Closed,
            "The network's first plenary set its immediate and long-term priorities and how it works, with presentations on recent casework and policy against organised crime groups and drug trafficking, workshops on the guidelines and work plan, and a closed session where members exchanged non-personal operational information.",
            hague(2025, 3, 19, 9, 0)?,
            hague(2025, 3, 20, 13, 0)?,
            Some("Polish Presidency of the Council of the European Union"),
            None,
        ),
        (
            ejocn,
            "plenary-meeting-spring-2027",
            "Plenary Meeting, spring 2027",
            EventKind::Plenary,
            EventStatus::Published,
            "The next plenary of the network: progress on the work plan, casework on drug trafficking through seaports, workshops in parallel tracks and a closed session for members. Registration is open to National Contact Points, Associate Partners and Observers.",
            hague(2027, 3, 17, 9, 30)?,
            hague(2027, 3, 18, 13, 0)?,
            Some("Lithuanian Presidency of the Council of the European Union"),
            Some(120),
        ),
        (
            thb,
            "annual-meeting-2025",
            "Focus Group annual meeting 2025",
            EventKind::FocusGroupMeeting,
            EventStatus::Closed,
            "The yearly gathering of the Focus Group: recent human trafficking investigations, trends in trafficking in human beings, and the practical obstacles prosecutors meet in cross-border cases.",
            hague(2025, 10, 8, 9, 0)?,
            hague(2025, 10, 9, 13, 0)?,
            None,
            Some(90),
        ),
        (
            thb,
            "annual-meeting-2027",
            "Focus Group annual meeting 2027",
            EventKind::FocusGroupMeeting,
            EventStatus::Draft,
            "In preparation; not yet announced.",
            hague(2027, 10, 6, 9, 0)?,
            hague(2027, 10, 7, 13, 0)?,
            None,
            Some(90),
        ),
    ];
    for (network, slug, title, kind, status, summary, start, end, chair, capacity) in events {
        let upcoming = status == EventStatus::Published;
        let id = upsert_event(
            store,
            &NewEvent {
                network_id: network,
                slug: &Slug::parse(slug)?,
                title,
                kind,
                status,
                summary,
                when: TimeRange::new(start, end)?,
                time_zone: Amsterdam,
                venue: "Eurojust, The Hague",
                online_link: upcoming.then_some("https://meet.demo.example/ejocn-plenary"),
                chair_label: chair,
                capacity,
                delegation_quota: upcoming.then_some(3),
                registration_opens_at: upcoming.then_some(hague(2026, 11, 2, 9, 0)?),
                registration_closes_at: upcoming.then_some(hague(2027, 2, 26, 17, 0)?),
            },
            now,
        )
        .await?;
        add_event_organisation(store, id, orgs.eurojust, "host").await?;
        if network == thb {
            add_event_organisation(store, id, orgs.commission, "co_organiser").await?;
        }
    }

    demo_accounts(store, now).await?;
    demo_first_plenary(store).await?;
    first_plenary_agenda(store).await?;
    demo_reports(store).await?;
    store.set_setting(DEMO_SETTING, "true").await?;
    Ok(())
}

/// The password of every demo account. For the demo only: README lists the accounts.
pub const DEMO_PASSWORD: &str = "convene-demo-2026";

/// (address, role, what it shows) of the demo accounts, one per role.
pub const DEMO_ACCOUNTS: [(&str, &str); 5] = [
    ("femke.visser@eurojust.demo.example", "secretariat"),
    ("aoife.byrne@ejocn.demo.example", "chair"),
    ("katharina.becker@ejocn.demo.example", "contact point"),
    ("henrik.maas@europol.demo.example", "partner"),
    ("isabelle.laurent@commission.demo.example", "observer"),
];

/// Accounts for the demo people above, with [`DEMO_PASSWORD`]; the chair chairs the
/// spring 2027 plenary (the Irish Presidency's).
async fn demo_accounts(store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    use app::accounts::store::{credentials_by_email, ensure_account, set_password_hash};
    let hash = app::platform::auth::hash_password(DEMO_PASSWORD)?;
    for (address, role) in DEMO_ACCOUNTS {
        let person = credentials_by_email(store, address)
            .await?
            .with_context(|| format!("demo person {address} is missing"))?;
        let mut tx = store.begin().await?;
        let id = ensure_account(
            &mut tx,
            &person.full_name,
            &EmailAddress::parse(address)?,
            role == "secretariat",
            now,
        )
        .await?;
        if person.password_hash.is_none() {
            set_password_hash(&mut tx, id, &hash, now).await?;
        }
        tx.commit().await?;
        if role == "chair" {
            let event = ejocn_event(store, "plenary-meeting-spring-2027")
                .await?
                .with_context(|| "the demo event plenary-meeting-spring-2027 is missing")?;
            let mut tx = store.begin().await?;
            app::events::store::add_event_role(&mut tx, event, id, app::domain::EventRole::Chair)
                .await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// The First Plenary Meeting as it happened: every EJOCN National Contact Point
/// invited and registered (a few online), and its attendance register for both
/// days (most present, some excused or absent). Idempotent, like the rest.
/// When the First Plenary Meeting's participants were invited and registered (the
/// benchmark's copy of it keeps the same dates).
pub fn first_plenary_invited_and_registered() -> anyhow::Result<(DateTime<Utc>, DateTime<Utc>)> {
    let at = |m, d, h| {
        Utc.with_ymd_and_hms(2025, m, d, h, 0, 0)
            .single()
            .context("a date")
    };
    Ok((at(1, 15, 9)?, at(2, 3, 10)?))
}

async fn demo_first_plenary(store: &Store) -> anyhow::Result<()> {
    let event = ejocn_event(store, "first-plenary-meeting")
        .await?
        .with_context(|| "the demo event first-plenary-meeting is missing")?;
    let (invited_at, registered_at) = first_plenary_invited_and_registered()?;
    let recorded_at = Utc
        .with_ymd_and_hms(2025, 3, 19, 8, 30, 0)
        .single()
        .context("a date")?;
    let people: Vec<i64> = on_pool!(store, pool => {
        sqlx::query_scalar(
            "SELECT m.person_id FROM memberships m JOIN networks n ON n.id = m.network_id
             WHERE n.slug = 'ejocn' AND m.category = 'national_contact_point' ORDER BY m.person_id",
        )
        .fetch_all(pool)
        .await?
    });
    let mut tx = store.begin().await?;
    for (i, person) in people.iter().enumerate() {
        let online = i % 9 == 4;
        app::on_tx!(&mut tx, conn => {
            sqlx::query(
                "INSERT INTO invitations (event_id, person_id, invited_as, status, created_at, opened_at, answered_at)
                 VALUES ($1, $2, 'national_contact_point', 'accepted', $3, $4, $4)
                 ON CONFLICT (event_id, person_id) DO NOTHING",
            )
            .bind(event)
            .bind(person)
            .bind(invited_at)
            .bind(registered_at)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "INSERT INTO registrations (event_id, person_id, status, attendance, privacy_version,
                        list_consent, created_at, updated_at)
                 VALUES ($1, $2, 'confirmed', $3, '2025-01', $4, $5, $5)
                 ON CONFLICT (event_id, person_id) DO NOTHING",
            )
            .bind(event)
            .bind(person)
            .bind(if online { "online" } else { "in_person" })
            .bind(i % 5 != 0)
            .bind(registered_at)
            .execute(&mut *conn)
            .await?;
            for (day, shift) in [(chrono::NaiveDate::from_ymd_opt(2025, 3, 19), 0), (chrono::NaiveDate::from_ymd_opt(2025, 3, 20), 3)] {
                let status = match (i + shift) % 13 {
                    6 => "excused",
                    11 => "absent",
                    _ => "present",
                };
                sqlx::query(
                    "INSERT INTO attendance_register (event_id, person_id, day, status, recorded_at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (event_id, person_id, day) DO NOTHING",
                )
                .bind(event)
                .bind(person)
                .bind(day.context("a date")?)
                .bind(status)
                .bind(recorded_at)
                .execute(&mut *conn)
                .await?;
            }
        });
    }
    tx.commit().await?;
    Ok(())
}

/// The event with `slug` in the EJOCN, if any.
pub async fn ejocn_event(store: &Store, slug: &str) -> anyhow::Result<Option<i64>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar(
            "SELECT e.id FROM events e JOIN networks n ON n.id = e.network_id
             WHERE n.slug = 'ejocn' AND e.slug = $1",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await?
    }))
}

/// Colleagues that contact points register for their delegations to the spring
/// 2027 plenary: (Member State, name, role). Germany's fills its three places with
/// its contact point.
const DELEGATES: [(&str, &str, &str); 9] = [
    ("DE", "Lukas Schneider", "Prosecutor, organised crime unit"),
    ("DE", "Miriam Wolf", "Investigative judge"),
    ("FR", "Camille Durand", "Magistrate, JIRS Marseille"),
    ("FR", "Hugo Bernard", "Prosecutor"),
    ("IT", "Giulia Conti", "Anti-mafia prosecutor"),
    (
        "ES",
        "Lucia Navarro",
        "Prosecutor, Special Prosecutor's Office against Drugs",
    ),
    ("NL", "Daan de Vries", "Public prosecutor, Rotterdam port"),
    (
        "PL",
        "Zofia Kaminska",
        "Prosecutor, National Prosecutor's Office",
    ),
    ("BE", "Pieter Wouters", "Federal prosecutor, Antwerp port"),
];

/// The spring 2027 plenary as it stands in the demo: registration under way
/// (below) and the chairs' draft of its agenda, not yet published.
/// `CONVENE_DEMO=base` leaves both out, so the tests start from an empty plenary.
pub async fn seed_spring_registrations(store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    spring_registrations(store, now).await?;
    spring_agenda_draft(store, now).await
}

/// The spring 2027 plenary as registration stands in the demo: every EJOCN
/// contact point, partner and observer invited; most registered (a few online),
/// some declined, two cancelled; Germany's delegation of three and colleagues of
/// other delegations; a room of 26, so a waiting list; and, from a while when the
/// organisers approved each registration, one still awaiting approval and one
/// declined. Every registration goes through the registration store, so places,
/// quotas and positions hold as they do for real. Done once: an event that has
/// registrations is left as it is.
async fn spring_registrations(store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    use app::registration::store::{self as reg, RegistrationInput};
    let event = ejocn_event(store, "plenary-meeting-spring-2027")
        .await?
        .with_context(|| "the demo event plenary-meeting-spring-2027 is missing")?;
    let done: i64 = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE event_id = $1")
            .bind(event)
            .fetch_one(pool)
            .await?
    });
    // The meeting room at Eurojust holds 26 for this plenary; others follow online.
    // (Set on every run: seeding the events again puts back their usual capacity.)
    on_pool!(store, pool => {
        sqlx::query("UPDATE events SET capacity = 26, delegation_quota = 3 WHERE id = $1")
            .bind(event)
            .execute(pool)
            .await?;
    });
    if done > 0 {
        return Ok(());
    }
    let at = |d: u32, h: u32| {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0)
            .single()
            .context("a date")
    };
    let members: Vec<(i64, String, Option<String>, String)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT m.person_id, m.category, m.member_state, p.email FROM memberships m
             JOIN networks n ON n.id = m.network_id JOIN people p ON p.id = m.person_id
             WHERE n.slug = 'ejocn' AND m.category <> 'secretariat' ORDER BY m.category, m.person_id",
        )
        .fetch_all(pool)
        .await?
    });
    let chair = on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM people WHERE email = 'aoife.byrne@ejocn.demo.example'")
            .fetch_optional(pool)
            .await?
    });
    // The colleagues are added to the directory first (outside the transaction
    // below, which holds SQLite's write lock).
    let mut delegates = Vec::new();
    for (state, name, _) in DELEGATES {
        delegates.push(
            upsert_person(
                store,
                &NewPerson {
                    full_name: name,
                    email: &email(name, "delegations.demo.example")?,
                    title: None,
                    organisation_id: None,
                    member_state: Some(MemberState::parse(state)?),
                },
                now,
            )
            .await?,
        );
    }
    let mut tx = store.begin().await?;
    let input = |online: bool, i: usize| RegistrationInput {
        online,
        dietary: ["", "", "Vegetarian", "", "No pork", ""][i % 6],
        accessibility: if i % 11 == 5 { "Step-free access" } else { "" },
        privacy_version: app::invitations::PRIVACY_NOTICE_VERSION,
        list_consent: i % 4 != 1,
        registered_by: None,
        delegation_role: "",
    };
    let mut heads = std::collections::BTreeMap::new();
    for (i, (person, category, state, email)) in members.iter().enumerate() {
        let day = 2 + (i as u32 % 20);
        app::on_tx!(&mut tx, conn => {
            sqlx::query(
                "INSERT INTO invitations (event_id, person_id, invited_by, invited_as, status, created_at, opened_at)
                 VALUES ($1, $2, $3, $4, 'invited', $5, $6)
                 ON CONFLICT (event_id, person_id) DO NOTHING",
            )
            .bind(event)
            .bind(person)
            .bind(chair)
            .bind(category)
            .bind(at(2, 10)?)
            .bind((i % 8 != 7).then_some(at(day, 9)?))
            .execute(&mut *conn)
            .await?;
        });
        if category == "national_contact_point" {
            if let Some(s) = state {
                heads.insert(s.clone(), *person);
            }
        }
        let katharina = email == "katharina.becker@ejocn.demo.example";
        match i % 10 {
            7 if !katharina => {
                app::invitations::store::answer(
                    &mut tx,
                    event,
                    *person,
                    "declined",
                    Some("Another member of our office attends instead."),
                    at(day, 11)?,
                )
                .await?;
            }
            8 if !katharina => {} // not answered yet
            _ => {
                reg::register(
                    &mut tx,
                    event,
                    *person,
                    &input(i % 9 == 4 && !katharina, i),
                    at(day, 11)?,
                )
                .await?;
                app::invitations::store::answer(
                    &mut tx,
                    event,
                    *person,
                    "accepted",
                    None,
                    at(day, 11)?,
                )
                .await?;
            }
        }
    }
    // Delegations: each colleague registered by their contact point.
    for (i, ((state, _, role), person)) in DELEGATES.iter().zip(&delegates).enumerate() {
        let Some(head) = heads.get(*state) else {
            continue;
        };
        let person = *person;
        app::invitations::store::invite_delegate(&mut tx, event, person, *head, at(20, 9)?).await?;
        let mut with = input(false, i);
        with.registered_by = Some(*head);
        with.delegation_role = role;
        reg::register(&mut tx, event, person, &with, at(20 + i as u32 % 5, 9)?).await?;
    }
    // Two change their minds: the places go to the first waiting.
    let live: Vec<i64> = app::on_tx!(&mut tx, conn => {
        sqlx::query_scalar(
            "SELECT r.person_id FROM registrations r JOIN people p ON p.id = r.person_id
             WHERE r.event_id = $1 AND r.status = 'confirmed' AND r.attendance = 'in_person'
               AND COALESCE(p.member_state, '') <> 'DE'
             ORDER BY r.person_id LIMIT 2 OFFSET 3",
        )
        .bind(event)
        .fetch_all(&mut *conn)
        .await?
    });
    for person in live {
        reg::cancel(&mut tx, event, person, at(25, 15)?).await?;
    }
    tx.commit().await?;
    // For a while the organisers approved each registration: one still waits,
    // one was declined.
    let late: Vec<i64> = on_pool!(store, pool => {
        sqlx::query_scalar(
            "SELECT i.person_id FROM invitations i WHERE i.event_id = $1 AND i.status = 'invited'
             ORDER BY i.person_id LIMIT 2",
        )
        .bind(event)
        .fetch_all(pool)
        .await?
    });
    let mut tx = store.begin().await?;
    app::on_tx!(&mut tx, conn => {
        sqlx::query("UPDATE events SET moderated = TRUE WHERE id = $1")
            .bind(event)
            .execute(&mut *conn)
            .await?;
    });
    for (i, person) in late.iter().enumerate() {
        reg::register(&mut tx, event, *person, &input(true, i), at(26, 10)?).await?;
        app::invitations::store::answer(&mut tx, event, *person, "accepted", None, at(26, 10)?)
            .await?;
        if i == 1 {
            reg::reject(
                &mut tx,
                event,
                *person,
                "Please register through your national contact point's delegation.",
                at(27, 10)?,
            )
            .await?;
        }
    }
    app::on_tx!(&mut tx, conn => {
        sqlx::query("UPDATE events SET moderated = FALSE WHERE id = $1")
            .bind(event)
            .execute(&mut *conn)
            .await?;
    });
    tx.commit().await?;
    Ok(())
}

/// Who speaks or moderates in a demo agenda: a person of the directory (their
/// name and the domain of their demo address), or a name with an organisation, as
/// a chair types in a guest speaker.
#[derive(Clone, Copy)]
enum Who {
    Directory(&'static str, &'static str),
    Named(&'static str, &'static str),
}

/// An item of a demo agenda, on a day of the event's month, local times in The
/// Hague.
struct Slot {
    kind: AgendaItemKind,
    title: &'static str,
    description: &'static str,
    day: u32,
    from: (u32, u32),
    to: (u32, u32),
    room: Option<&'static str>,
    visibility: AgendaVisibility,
    capacity: Option<i64>,
    /// Always a person of the directory.
    moderator: Option<Who>,
    speakers: &'static [Who],
}

/// A public item without room, people or description; the rest is added with
/// `..slot(…)`.
const fn slot(
    kind: AgendaItemKind,
    day: u32,
    from: (u32, u32),
    to: (u32, u32),
    title: &'static str,
) -> Slot {
    Slot {
        kind,
        title,
        description: "",
        day,
        from,
        to,
        room: None,
        visibility: AgendaVisibility::Public,
        capacity: None,
        moderator: None,
        speakers: &[],
    }
}

use AgendaItemKind as K;

const POLISH_PRESIDENCY: Who = Who::Named("Marek Wojcik", "Polish Presidency of the Council");
const EUROJUST_SPEAKER: Who = Who::Named("Pieter Claes", "Eurojust");
const AGNIESZKA: Who = Who::Directory("Agnieszka Nowak", "ejocn.demo.example");
const GIULIA: Who = Who::Directory("Giulia Romano", "ejocn.demo.example");
const LUCIA: Who = Who::Directory("Lucia Fernandez", "ejocn.demo.example");

/// The First Plenary Meeting's agenda as it was published: the Polish Presidency in
/// the chair, presentations on casework and policy, two workshops on the
/// network's guidelines and work plan, and a closed session for members.
const FIRST_PLENARY_AGENDA: [Slot; 15] = [
    Slot {
        description: "Welcome to the network's first plenary by the Presidency, which chairs the meeting, and by Eurojust as host.",
        room: Some("Plenary hall"),
        moderator: Some(AGNIESZKA),
        speakers: &[POLISH_PRESIDENCY, EUROJUST_SPEAKER],
        ..slot(K::PlenarySession, 19, (9, 0), (9, 30), "Opening by the Polish Presidency")
    },
    Slot {
        description: "How the network is meant to work from day to day, what its contact points, partners and observers each bring, and the areas it will work in.",
        room: Some("Plenary hall"),
        speakers: &[EUROJUST_SPEAKER],
        ..slot(K::PlenarySession, 19, (9, 30), (10, 30), "How the network works: its functioning and working areas")
    },
    slot(K::Break, 19, (10, 30), (11, 0), "Coffee break"),
    Slot {
        description: "Two contact points take recent cases of drugs shipped through container terminals and show where cooperation through Eurojust made the difference.",
        room: Some("Plenary hall"),
        speakers: &[
            Who::Directory("Sanne de Vries", "ejocn.demo.example"),
            Who::Directory("Lotte Peeters", "ejocn.demo.example"),
        ],
        ..slot(K::Presentation, 19, (11, 0), (11, 45), "Recent casework: drug trafficking through seaports")
    },
    Slot {
        description: "What has changed lately in EU policy against organised crime groups and on the drug markets, and what that means for prosecutors.",
        room: Some("Plenary hall"),
        speakers: &[
            Who::Directory("Paula Ribeiro", "euda.demo.example"),
            Who::Directory("Roberta Conti", "commission.demo.example"),
        ],
        ..slot(K::Presentation, 19, (11, 45), (12, 30), "Policy developments against organised crime and drug trafficking")
    },
    slot(K::Meal, 19, (12, 30), (13, 45), "Lunch"),
    Slot {
        description: "Drafting the guidelines: how contact points reach each other, pass on requests and bring in the partners.",
        room: Some("Room A"),
        capacity: Some(30),
        moderator: Some(GIULIA),
        ..slot(K::Workshop, 19, (13, 45), (15, 15), "Workshop 1: the network's guidelines")
    },
    Slot {
        description: "Choosing the first actions of the work plan, starting with drug trafficking through seaports, and the themes that should follow.",
        room: Some("Room B"),
        capacity: Some(30),
        moderator: Some(LUCIA),
        ..slot(K::Workshop, 19, (13, 45), (15, 15), "Workshop 2: the network's work plan")
    },
    slot(K::Break, 19, (15, 15), (15, 45), "Coffee break"),
    Slot {
        description: "Practitioners share what they see in their cases (routes, methods, the way groups are organised) without exchanging any personal data.",
        room: Some("Plenary hall"),
        visibility: AgendaVisibility::MembersOnly,
        moderator: Some(AGNIESZKA),
        ..slot(K::ClosedSession, 19, (15, 45), (17, 15), "Exchange of non-personal operational information")
    },
    Slot {
        description: "An informal evening for the members to get to know each other.",
        ..slot(K::Reception, 19, (17, 30), (19, 0), "Networking reception")
    },
    Slot {
        description: "The moderators bring back the workshops' proposals for the guidelines and the work plan, and the plenary discusses them.",
        room: Some("Plenary hall"),
        speakers: &[GIULIA, LUCIA],
        ..slot(K::PlenarySession, 20, (9, 0), (10, 30), "Reports from the workshops")
    },
    slot(K::Break, 20, (10, 30), (11, 0), "Coffee break"),
    Slot {
        description: "What the network takes on first, and what it builds up to: the structural, poly-criminal and leadership sides of organised crime.",
        room: Some("Plenary hall"),
        moderator: Some(AGNIESZKA),
        ..slot(K::PlenarySession, 20, (11, 0), (12, 15), "The network's priorities, now and in the long term")
    },
    Slot {
        room: Some("Plenary hall"),
        speakers: &[POLISH_PRESIDENCY, EUROJUST_SPEAKER],
        ..slot(K::PlenarySession, 20, (12, 15), (13, 0), "Conclusions and close")
    },
];

/// The chairs' draft for the spring 2027 plenary, still being put together: some
/// items have no speakers yet.
const SPRING_AGENDA_DRAFT: [Slot; 12] = [
    Slot {
        room: Some("Plenary room"),
        speakers: &[Who::Named("Egle Vaitkute", "Lithuanian Presidency of the Council")],
        ..slot(K::PlenarySession, 17, (9, 30), (10, 0), "Opening by the Lithuanian Presidency")
    },
    Slot {
        description: "Where each action agreed at the first plenary stands, told by the contact points who lead it.",
        room: Some("Plenary room"),
        ..slot(K::PlenarySession, 17, (10, 0), (11, 0), "The work plan: progress so far")
    },
    slot(K::Break, 17, (11, 0), (11, 30), "Coffee break"),
    Slot {
        description: "Cases from smaller ports, where the groups moved when the largest terminals tightened their controls.",
        room: Some("Plenary room"),
        speakers: &[
            Who::Directory("Daniel Camilleri", "ejocn.demo.example"),
            Who::Directory("Ines Ferreira", "ejocn.demo.example"),
        ],
        ..slot(K::Presentation, 17, (11, 30), (12, 30), "Casework: drug trafficking through seaports")
    },
    slot(K::Meal, 17, (12, 30), (13, 30), "Lunch"),
    Slot {
        description: "Following the money of criminal networks across borders, and freezing and confiscating it.",
        room: Some("Room A"),
        capacity: Some(14),
        ..slot(K::Workshop, 17, (13, 30), (15, 0), "Track 1: criminal money and asset recovery")
    },
    Slot {
        description: "Prosecuting those who lead criminal networks, rather than those they send.",
        room: Some("Room B"),
        capacity: Some(14),
        ..slot(K::Workshop, 17, (13, 30), (15, 0), "Track 2: the leaders of criminal networks")
    },
    slot(K::Break, 17, (15, 0), (15, 30), "Coffee break"),
    Slot {
        description: "Members share what they see in ongoing cases, without any personal data.",
        room: Some("Plenary room"),
        visibility: AgendaVisibility::MembersOnly,
        ..slot(K::ClosedSession, 17, (15, 30), (17, 0), "Exchange of non-personal operational information")
    },
    Slot {
        room: Some("Plenary room"),
        ..slot(K::PlenarySession, 18, (9, 30), (11, 0), "Reports from the tracks")
    },
    slot(K::Break, 18, (11, 0), (11, 30), "Coffee break"),
    Slot {
        room: Some("Plenary room"),
        ..slot(K::PlenarySession, 18, (11, 30), (12, 45), "Next steps and close")
    },
];

/// The person of the directory behind `who`, if it is one.
async fn directory_person(store: &Store, who: Who) -> anyhow::Result<Option<i64>> {
    let Who::Directory(name, domain) = who else {
        return Ok(None);
    };
    let address = email(name, domain)?;
    let id: Option<i64> = on_pool!(store, pool => {
        sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
            .bind(address.as_str())
            .fetch_optional(pool)
            .await?
    });
    id.map(Some)
        .with_context(|| format!("the demo person {address} is missing"))
}

/// A demo agenda for the EJOCN event `slug`: its rooms and items (`month` of
/// `year`), written through the agenda store in one transaction, and published as
/// version 1 at `published` (when, by whom) if given. An event whose agenda was
/// begun (a room, an item or a version) is left as it is: seeding again changes
/// nothing, and keeps what its organisers have done since.
async fn demo_agenda(
    store: &Store,
    slug: &str,
    (year, month): (i32, u32),
    rooms: &[(&str, Option<i64>)],
    slots: &[Slot],
    written_at: DateTime<Utc>,
    published: Option<(DateTime<Utc>, Option<i64>)>,
) -> anyhow::Result<()> {
    use app::agenda::store::{self as agenda, NewItem, SpeakerInput};
    let event = ejocn_event(store, slug)
        .await?
        .with_context(|| format!("the demo event {slug} is missing"))?;
    let begun: i64 = on_pool!(store, pool => {
        sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM agenda_rooms WHERE event_id = $1)
                  + (SELECT COUNT(*) FROM agenda_items WHERE event_id = $1)
                  + (SELECT COUNT(*) FROM agenda_versions WHERE event_id = $1)",
        )
        .bind(event)
        .fetch_one(pool)
        .await?
    });
    if begun > 0 {
        return Ok(());
    }
    // The people first: the transaction below holds SQLite's write lock.
    let mut people = Vec::with_capacity(slots.len());
    for s in slots {
        let moderator = match s.moderator {
            Some(who) => directory_person(store, who).await?,
            None => None,
        };
        let mut speakers = Vec::with_capacity(s.speakers.len());
        for &who in s.speakers {
            speakers.push(match who {
                Who::Named(name, organisation) => SpeakerInput {
                    person_id: None,
                    name: name.to_owned(),
                    organisation: organisation.to_owned(),
                },
                // The directory gives the name and organisation.
                Who::Directory(..) => SpeakerInput {
                    person_id: directory_person(store, who).await?,
                    name: String::new(),
                    organisation: String::new(),
                },
            });
        }
        people.push((moderator, speakers));
    }
    let mut tx = store.begin().await?;
    let mut room_ids = std::collections::HashMap::new();
    for (name, capacity) in rooms {
        let id = agenda::add_room(&mut tx, event, name, *capacity, "").await?;
        room_ids.insert(*name, id);
    }
    for (s, (moderator, speakers)) in slots.iter().zip(&people) {
        let room_id = match s.room {
            Some(name) => Some(
                *room_ids
                    .get(name)
                    .with_context(|| format!("the demo room {name} is missing"))?,
            ),
            None => None,
        };
        agenda::add_item(
            &mut tx,
            event,
            &NewItem {
                kind: s.kind,
                title: s.title,
                description: s.description,
                starts_at: hague(year, month, s.day, s.from.0, s.from.1)?,
                ends_at: hague(year, month, s.day, s.to.0, s.to.1)?,
                room_id,
                visibility: s.visibility,
                capacity: s.capacity,
                moderator_id: *moderator,
                speakers,
            },
            written_at,
        )
        .await?;
    }
    if let Some((at, by)) = published {
        agenda::publish(&mut tx, event, by, at).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The First Plenary Meeting's agenda, published by the secretariat before the
/// meeting (one version).
async fn first_plenary_agenda(store: &Store) -> anyhow::Result<()> {
    let secretariat = directory_person(
        store,
        Who::Directory("Femke Visser", "eurojust.demo.example"),
    )
    .await?;
    demo_agenda(
        store,
        "first-plenary-meeting",
        (2025, 3),
        &[
            ("Plenary hall", Some(120)),
            ("Room A", Some(35)),
            ("Room B", Some(35)),
        ],
        &FIRST_PLENARY_AGENDA,
        hague(2025, 2, 24, 10, 0)?,
        Some((hague(2025, 3, 5, 12, 0)?, secretariat)),
    )
    .await
}

/// The spring 2027 plenary's agenda as its chairs are drafting it: not published,
/// so readers are still told it has not been.
async fn spring_agenda_draft(store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    demo_agenda(
        store,
        "plenary-meeting-spring-2027",
        (2027, 3),
        &[
            ("Plenary room", Some(26)),
            ("Room A", Some(14)),
            ("Room B", Some(14)),
        ],
        &SPRING_AGENDA_DRAFT,
        now,
        None,
    )
    .await
}

/// The outcome reports of the demo: the launch event's, published; the First
/// Plenary Meeting's, approved and sent to its confirmed participants (the
/// messages stand as delivered in April 2025), with a members-only annex on the
/// closed session. Written for the demo, from the public description of the
/// network. Idempotent: an event that has a report keeps it.
async fn demo_reports(store: &Store) -> anyhow::Result<()> {
    use app::reports::store as reports;
    let secretariat = app::accounts::store::credentials_by_email(store, DEMO_ACCOUNTS[0].0)
        .await?
        .with_context(|| "the demo secretariat is missing")?
        .person_id;
    let at = |y, m, d| {
        Utc.with_ymd_and_hms(y, m, d, 10, 0, 0)
            .single()
            .context("a date")
    };
    let texts = [
        (
            "launch-event",
            at(2024, 10, 2)?,
            reports::Texts {
                summary: "For two days at Eurojust in The Hague, prosecutors appointed by the Member States met representatives of Eurojust, Europol, the European Union Drugs Agency (EUDA), the European Public Prosecutor's Office (EPPO) and the European Commission to start the **European Judicial Organised Crime Network**.\n\nParticipants set out what they need from the network, how their authorities approach drug-related organised crime today, and what they expect the network to achieve in its first years.",
                conclusions: "- Trafficking of drugs through seaports is the network's first priority, as the Council proposed.\n- The network remains open to other forms of organised crime as its members identify them.\n- Meetings should leave room for practitioners to exchange experience directly, not only for presentations.",
                next_steps: "1. National Contact Points confirm their appointment to the secretariat.\n2. The secretariat prepares a draft work plan for the first plenary meeting.\n3. The first plenary meeting takes place in spring 2025 under the Polish Presidency.",
                annex: "",
                change_note: "",
            },
            true,
        ),
        (
            "first-plenary-meeting",
            at(2025, 4, 9)?,
            reports::Texts {
                summary: "The network's first plenary meeting, chaired by the Polish Presidency of the Council of the European Union, agreed how the network works and what it concentrates on first. Members heard about recent casework and policy against organised crime groups and drug trafficking, and built the working relationships the network depends on.",
                conclusions: "- The immediate priority is drug trafficking through seaports; the longer-term priorities cover the leadership and finances of organised crime groups.\n- Workshops on the guidelines and the work plan produced comments that the secretariat will fold into both texts.\n- Members value the closed session and want one at every plenary meeting.",
                next_steps: "1. The secretariat circulates the revised guidelines and work plan for written comments.\n2. Members propose topics for the next plenary meeting.\n3. The network's first publication on seaport-related drug trafficking is prepared with the Associate Partners.",
                annex: "**Closed session.** Members exchanged non-personal operational information on recurring methods used to move drugs through container terminals, and agreed to flag comparable cases to each other early through their National Contact Points.\n\nThe session's notes are kept by the secretariat and are not distributed.",
                change_note: "",
            },
            false,
        ),
    ];
    for (slug, approved_at, t, publish) in texts {
        let event = ejocn_event(store, slug)
            .await?
            .with_context(|| format!("the demo event {slug} is missing"))?;
        if reports::latest(store, event).await?.is_some() {
            continue;
        }
        let attendance = serde_json::to_string(&reports::attendance(store, event).await?)?;
        let mut tx = store.begin().await?;
        let id = reports::create(&mut tx, event, None, secretariat, approved_at).await?;
        reports::save_texts(&mut tx, id, &t, approved_at).await?;
        let submitted = approved_at - chrono::Duration::days(5);
        app::on_tx!(&mut tx, conn => {
            sqlx::query(
                "UPDATE outcome_reports SET status = $2, attendance = $3, submitted_at = $4,
                     approved_by = $5, approved_at = $6, published_at = $7, created_by = NULL
                 WHERE id = $1",
            )
            .bind(id)
            .bind(if publish { "published" } else { "approved" })
            .bind(&attendance)
            .bind(submitted)
            .bind(secretariat)
            .bind(approved_at)
            .bind(publish.then_some(approved_at + chrono::Duration::days(1)))
            .execute(conn)
            .await?;
        });
        tx.commit().await?;
        if !publish {
            let mut tx = store.begin().await?;
            let e = app::events::store::event_record(store, event).await?;
            let report = reports::by_id(store, id).await?;
            let sent_at = approved_at + chrono::Duration::days(1);
            let groups = [app::reports::RecipientGroup::Confirmed];
            let queued = app::reports::api::server::queue(
                &mut tx,
                store,
                &app::platform::auth::SecuritySettings::default(),
                "demo.example",
                &e,
                &report,
                &groups,
                sent_at,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            reports::record_sending(&mut tx, id, &groups, queued, Some(secretariat), sent_at)
                .await?;
            // Delivered in 2025: the messages stand as sent, their links' secrets gone.
            app::on_tx!(&mut tx, conn => {
                sqlx::query(
                    "UPDATE mail_outbox SET status = 'sent', sent_at = $2, attempts = 1, secret = NULL,
                         secret_expires_at = NULL
                     WHERE kind = 'report' AND event_id = $1",
                )
                .bind(event)
                .bind(sent_at + chrono::Duration::minutes(2))
                .execute(conn)
                .await?;
            });
            tx.commit().await?;
        }
    }
    Ok(())
}
