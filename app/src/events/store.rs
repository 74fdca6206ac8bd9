//! The SQL of events.
use super::{EventAdminRow, EventDetails, EventSummary};
use crate::domain::{EventKind, EventStatus, Slug, TimeRange};
use crate::platform::db::{Store, StoreError, StoreResult, Tx};
use crate::platform::localtime;
use crate::{on_pool, on_tx};
use anyhow::anyhow;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
struct EventRow {
    id: i64,
    network_id: i64,
    network_slug: String,
    network_name: String,
    network_short_name: String,
    slug: String,
    title: String,
    kind: String,
    status: String,
    summary: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    venue: String,
    online_link: Option<String>,
    chair_label: Option<String>,
    capacity: Option<i32>,
    registration_opens_at: Option<DateTime<Utc>>,
    registration_closes_at: Option<DateTime<Utc>>,
    open_to: String,
    delegation_quota: Option<i32>,
    /// The agenda's last published version, if it was ever published.
    agenda_version: Option<i64>,
}

const EVENT_FIELDS: &str = "e.id, e.network_id, n.slug AS network_slug, n.name AS network_name,
    n.short_name AS network_short_name, e.slug, e.title, e.kind, e.status, e.summary,
    e.starts_at, e.ends_at, e.time_zone, e.venue, e.online_link, e.chair_label, e.capacity,
    e.registration_opens_at, e.registration_closes_at, e.open_to, e.delegation_quota,
    CAST((SELECT max(v.number) FROM agenda_versions v WHERE v.event_id = e.id) AS BIGINT)
        AS agenda_version";
const EVENT_FROM: &str = "FROM events e JOIN networks n ON n.id = e.network_id";

struct Decoded {
    kind: EventKind,
    status: EventStatus,
    zone: chrono_tz::Tz,
}

fn decode(row: &EventRow) -> StoreResult<Decoded> {
    let bad = |what: &str| StoreError::Other(anyhow!("event {} has an invalid {what}", row.id));
    Ok(Decoded {
        kind: EventKind::parse(&row.kind).map_err(|_| bad("kind"))?,
        status: EventStatus::parse(&row.status).map_err(|_| bad("status"))?,
        zone: localtime::parse_zone(&row.time_zone).ok_or_else(|| bad("time zone"))?,
    })
}

fn summary(row: EventRow) -> StoreResult<EventSummary> {
    let d = decode(&row)?;
    Ok(EventSummary {
        dates: localtime::date_span(row.starts_at, row.ends_at, d.zone),
        starts_iso: localtime::machine(row.starts_at, d.zone),
        network_slug: row.network_slug,
        network_short_name: row.network_short_name,
        slug: row.slug,
        title: row.title,
        kind: d.kind,
        status: d.status,
        venue: row.venue,
        has_agenda: row.agenda_version.is_some(),
    })
}

/// Public events (anything but drafts), optionally of one network, in one
/// statement: at most `upcoming` not yet over, soonest first, and at most `past`
/// over, most recent first (a limit of 0: none of that kind).
pub async fn list_public(
    store: &Store,
    network_id: Option<i64>,
    now: DateTime<Utc>,
    upcoming: i64,
    past: i64,
) -> StoreResult<(Vec<EventSummary>, Vec<EventSummary>)> {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let side = |n: u8, over: &str, order: &str, limit: &str| {
            format!(
                "SELECT * FROM (SELECT {n} AS past, {EVENT_FIELDS} {EVENT_FROM}
                 WHERE e.status <> 'draft' AND ($1 IS NULL OR e.network_id = $1) AND {over}
                 ORDER BY e.starts_at {order} LIMIT {limit}) s{n}"
            )
        };
        format!(
            "{} UNION ALL {}",
            side(0, "e.ends_at > $2", "ASC", "$3"),
            side(1, "e.ends_at <= $2", "DESC", "$4")
        )
    });
    let rows: Vec<(bool, EventRow)> = on_pool!(store, pool => {
        sqlx::query(SQL.as_str())
            .bind(network_id)
            .bind(now)
            .bind(upcoming)
            .bind(past)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                use sqlx::{FromRow, Row};
                Ok((r.try_get::<i32, _>("past")? != 0, EventRow::from_row(r)?))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    // Each half was ordered in its own subquery; their union keeps no order.
    let (mut later, mut over) = (Vec::new(), Vec::new());
    for (past, row) in rows {
        if past { &mut over } else { &mut later }.push(row);
    }
    later.sort_by_key(|r| r.starts_at);
    over.sort_by_key(|r| std::cmp::Reverse(r.starts_at));
    Ok((
        later.into_iter().map(summary).collect::<StoreResult<_>>()?,
        over.into_iter().map(summary).collect::<StoreResult<_>>()?,
    ))
}

/// The public page of an event; drafts are not found.
pub async fn public_event(
    store: &Store,
    network: &str,
    slug: &str,
    now: DateTime<Utc>,
) -> StoreResult<EventDetails> {
    Ok(event_details(store, network, slug, None, |_, _| false, now)
        .await?
        .0)
}

/// What the statement of an event's page reads for the person viewing it, beside
/// the event: so that the page needs no statement of its own for each.
#[derive(Debug, Clone, Default)]
pub struct ReaderFacts {
    /// Whose standing and report these are (None: an anonymous reader's).
    pub person: Option<i64>,
    /// Their registration for the event, if they hold one.
    pub standing: Option<crate::registration::store::Standing>,
    /// The summary of the report's latest published version, which anyone reads.
    pub published_report: Option<String>,
    /// The summary of the latest version `person` may read
    /// ([`crate::reports::store::readable_condition`]); without a person, the
    /// published one.
    pub person_report: Option<String>,
}

/// The page of an event. A draft is found only when `may_see_draft(network id,
/// event id)` says so (its organisers and the secretariat); for everyone else it is
/// "not found", exactly like an event that does not exist. With it, what
/// [`ReaderFacts`] holds for the person `reader`.
pub async fn event_details(
    store: &Store,
    network: &str,
    slug: &str,
    reader: Option<i64>,
    may_see_draft: impl Fn(i64, i64) -> bool,
    now: DateTime<Utc>,
) -> StoreResult<(EventDetails, ReaderFacts)> {
    // One round trip: the event row repeats once per organisation (LEFT JOIN, so an
    // event without any still comes back once) and is folded here; the reader's
    // registration (one at most) and the report versions are read beside it, by the
    // reports' one rule of who reads which version.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT {EVENT_FIELDS},
                 g.status AS reader_status, CAST(g.waitlist_position AS BIGINT) AS reader_position,
                 (SELECT r.summary FROM outcome_reports r WHERE r.event_id = e.id AND {}
                  ORDER BY r.version DESC LIMIT 1) AS published_report,
                 (SELECT r.summary FROM outcome_reports r WHERE r.event_id = e.id AND {}
                  ORDER BY r.version DESC LIMIT 1) AS person_report,
                 eo.role AS org_role, o.name AS org_name {EVENT_FROM}
             LEFT JOIN registrations g ON g.event_id = e.id AND g.person_id = $3
             LEFT JOIN event_organisations eo ON eo.event_id = e.id
             LEFT JOIN organisations o ON o.id = eo.organisation_id
             WHERE n.slug = $1 AND e.slug = $2
             ORDER BY eo.role, o.name",
            crate::reports::store::readable_condition("NULL", "$4"),
            crate::reports::store::readable_condition("$3", "$4")
        )
    });
    type Extra = (Option<String>, Option<i64>, Option<String>, Option<String>);
    let rows: Vec<(EventRow, Extra, Option<String>, Option<String>)> = on_pool!(store, pool => {
        sqlx::query(SQL.as_str())
            .bind(network)
            .bind(slug)
            .bind(reader)
            .bind(crate::reports::store::KEY_PREFIX)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                use sqlx::{FromRow, Row};
                let extra = (
                    r.try_get("reader_status")?,
                    r.try_get("reader_position")?,
                    r.try_get("published_report")?,
                    r.try_get("person_report")?,
                );
                Ok((EventRow::from_row(r)?, extra, r.try_get("org_role")?, r.try_get("org_name")?))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    let Some((_, (status, position, published, personal), _, _)) = rows.first() else {
        return Err(StoreError::NotFound);
    };
    let facts = ReaderFacts {
        person: reader,
        standing: status
            .as_deref()
            .map(|s| crate::registration::store::Standing::from_row(s, *position))
            .transpose()?,
        published_report: published.clone(),
        person_report: personal.clone(),
    };
    let mut rows = rows
        .into_iter()
        .map(|(row, _, role, name)| (row, role, name));
    let (row, role, name) = rows.next().ok_or(StoreError::NotFound)?;
    let orgs: Vec<(String, String)> = std::iter::once((role, name))
        .chain(rows.map(|(_, r, n)| (r, n)))
        .filter_map(|(r, n)| Some((r?, n?)))
        .collect();
    let d = decode(&row)?;
    if d.status == EventStatus::Draft && !may_see_draft(row.network_id, row.id) {
        return Err(StoreError::NotFound);
    }
    let named = |role: &str| -> Vec<String> {
        orgs.iter()
            .filter(|(r, _)| r == role)
            .map(|(_, n)| n.clone())
            .collect()
    };
    let open = crate::platform::policy::Categories::parse(&row.open_to);
    let open_to = [
        crate::domain::MembershipCategory::NationalContactPoint,
        crate::domain::MembershipCategory::AssociatePartner,
        crate::domain::MembershipCategory::Observer,
    ]
    .into_iter()
    .filter(|c| open.contains(*c))
    .map(|c| format!("{}s", c.label()))
    .collect::<Vec<_>>();
    let details = EventDetails {
        agenda_version: row.agenda_version,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        id: row.id,
        network_id: row.network_id,
        open_to_members: (!open_to.is_empty()).then(|| open_to.join(" and ")),
        register_href: None,
        agenda_outline: Vec::new(),
        calendar: Default::default(),
        report: None,
        open_to: row.open_to.clone(),
        delegation_quota: row.delegation_quota,
        dates: localtime::date_span(row.starts_at, row.ends_at, d.zone),
        starts: localtime::date_time(row.starts_at, d.zone),
        ends: localtime::date_time(row.ends_at, d.zone),
        starts_iso: localtime::machine(row.starts_at, d.zone),
        ends_iso: localtime::machine(row.ends_at, d.zone),
        hosts: named("host"),
        co_organisers: named("co_organiser"),
        network_slug: row.network_slug,
        network_name: row.network_name,
        slug: row.slug,
        title: row.title,
        kind: d.kind,
        status: d.status,
        summary: row.summary,
        time_zone: row.time_zone,
        venue: row.venue,
        online: row.online_link.is_some(),
        chair: row.chair_label,
        capacity: row.capacity,
        registration: localtime::registration_window(
            row.registration_opens_at,
            row.registration_closes_at,
            d.zone,
            now,
        ),
    };
    Ok((details, facts))
}

pub struct NewEvent<'a> {
    pub network_id: i64,
    pub slug: &'a Slug,
    pub title: &'a str,
    pub kind: EventKind,
    pub status: EventStatus,
    pub summary: &'a str,
    pub when: TimeRange,
    pub time_zone: chrono_tz::Tz,
    pub venue: &'a str,
    pub online_link: Option<&'a str>,
    pub chair_label: Option<&'a str>,
    pub capacity: Option<i32>,
    pub delegation_quota: Option<i32>,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
}

/// The insert of a new event; its values are bound by [`bind_new_event!`].
const INSERT_EVENT: &str = "INSERT INTO events (network_id, slug, title, kind, status, summary, starts_at, ends_at,
                 time_zone, venue, online_link, chair_label, capacity, delegation_quota,
                 registration_opens_at, registration_closes_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)";

/// Binds a [`NewEvent`] and the creation time to the placeholders of [`INSERT_EVENT`].
macro_rules! bind_new_event {
    ($query:expr, $e:expr, $now:expr) => {
        $query
            .bind($e.network_id)
            .bind($e.slug.as_str())
            .bind($e.title)
            .bind($e.kind.as_str())
            .bind($e.status.as_str())
            .bind($e.summary)
            .bind($e.when.start())
            .bind($e.when.end())
            .bind($e.time_zone.name())
            .bind($e.venue)
            .bind($e.online_link)
            .bind($e.chair_label)
            .bind($e.capacity)
            .bind($e.delegation_quota)
            .bind($e.registration_opens_at)
            .bind($e.registration_closes_at)
            .bind($now)
    };
}

/// Inserts or updates by (network, slug); returns the id.
pub async fn upsert_event(store: &Store, e: &NewEvent<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    let sql = format!(
        "{INSERT_EVENT}
         ON CONFLICT (network_id, slug) DO UPDATE SET title = excluded.title, kind = excluded.kind,
             status = excluded.status, summary = excluded.summary, starts_at = excluded.starts_at,
             ends_at = excluded.ends_at, time_zone = excluded.time_zone, venue = excluded.venue,
             online_link = excluded.online_link, chair_label = excluded.chair_label,
             capacity = excluded.capacity, delegation_quota = excluded.delegation_quota,
             registration_opens_at = excluded.registration_opens_at,
             registration_closes_at = excluded.registration_closes_at,
             updated_at = excluded.updated_at
         RETURNING id"
    );
    Ok(on_pool!(store, pool => {
        bind_new_event!(sqlx::query_scalar(&sql), e, now).fetch_one(pool).await?
    }))
}

/// Records an organisation's role in an event (`host` or `co_organiser`); repeating it is a no-op.
pub async fn add_event_organisation(
    store: &Store,
    event_id: i64,
    organisation_id: i64,
    role: &str,
) -> StoreResult<()> {
    on_pool!(store, pool => {
        sqlx::query(
            "INSERT INTO event_organisations (event_id, organisation_id, role) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(event_id)
        .bind(organisation_id)
        .bind(role)
        .execute(pool)
        .await?;
    });
    Ok(())
}

// ---------------------------------------------------------------------------
// The secretariat's event management.

/// Every event, drafts included, optionally of one network (by slug) and/or in one
/// status; latest first.
pub async fn list_admin(
    store: &Store,
    network: Option<&str>,
    status: Option<&str>,
) -> StoreResult<Vec<EventAdminRow>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        network_short_name: String,
        slug: String,
        network_slug: String,
        title: String,
        status: String,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        time_zone: String,
    }
    let rows: Vec<Row> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.id, n.short_name AS network_short_name, e.slug, n.slug AS network_slug,
                    e.title, e.status, e.starts_at, e.ends_at, e.time_zone
             FROM events e JOIN networks n ON n.id = e.network_id
             WHERE ($1 IS NULL OR n.slug = $1) AND ($2 IS NULL OR e.status = $2)
             ORDER BY e.starts_at DESC, e.id DESC
             LIMIT 1000",
        )
        .bind(network)
        .bind(status)
        .fetch_all(pool)
        .await?
    });
    rows.into_iter()
        .map(|r| {
            let bad =
                |what: &str| StoreError::Other(anyhow!("event {} has an invalid {what}", r.id));
            let zone = localtime::parse_zone(&r.time_zone).ok_or_else(|| bad("time zone"))?;
            Ok(EventAdminRow {
                id: r.id,
                network_short_name: r.network_short_name,
                public_href: super::event_href(&r.network_slug, &r.slug),
                slug: r.slug,
                title: r.title,
                status: EventStatus::parse(&r.status).map_err(|_| bad("status"))?,
                dates: localtime::date_span(r.starts_at, r.ends_at, zone),
                starts_iso: localtime::machine(r.starts_at, zone),
            })
        })
        .collect()
}

/// An event's stored fields, as the edit form needs them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRecord {
    pub id: i64,
    pub network_id: i64,
    pub network_slug: String,
    pub slug: String,
    pub title: String,
    pub kind: String,
    pub status: String,
    pub summary: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub venue: String,
    pub online_link: Option<String>,
    pub chair_label: Option<String>,
    pub capacity: Option<i32>,
    pub delegation_quota: Option<i32>,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    /// The iCalendar SEQUENCE of the event's invitations (raised by changes to its
    /// times, venue or title).
    pub calendar_sequence: i64,
    /// Membership categories that may register without an invitation,
    /// comma-separated (`national_contact_point,observer`).
    pub open_to: String,
    /// Whether registrations wait for an organiser's approval.
    pub moderated: bool,
}

/// The columns of [`EventRecord`].
const RECORD_SQL: &str =
    "SELECT e.id, e.network_id, n.slug AS network_slug, e.slug, e.title, e.kind, e.status,
                    e.summary, e.starts_at, e.ends_at, e.time_zone, e.venue, e.online_link,
                    e.chair_label, e.capacity, e.delegation_quota, e.registration_opens_at,
                    e.registration_closes_at, e.calendar_sequence, e.open_to, e.moderated
             FROM events e JOIN networks n ON n.id = e.network_id
             WHERE e.id = $1";

/// One event by id, drafts included; read once for the requests that ask for the
/// same event at the same moment ([`Store::read_together`]).
pub async fn event_record(store: &Store, id: i64) -> StoreResult<EventRecord> {
    store
        .read_together(id, (), |store, id, asking: Vec<()>| async move {
            let read: StoreResult<EventRecord> = async {
                Ok(on_pool!(store, pool => {
                    sqlx::query_as(RECORD_SQL).bind(id).fetch_one(pool).await?
                }))
            }
            .await;
            asking
                .iter()
                .map(|()| match &read {
                    Ok(e) => Ok(e.clone()),
                    Err(err) => Err(err.shared()),
                })
                .collect()
        })
        .await
}

/// [`event_record`] inside a transaction (it sees the transaction's own changes).
pub async fn event_record_in(tx: &mut Tx<'_>, id: i64) -> StoreResult<EventRecord> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_as(RECORD_SQL).bind(id).fetch_one(conn).await?
    }))
}

/// Creates an event; returns its id. A second event with the same slug in the same
/// network is a [`StoreError::Conflict`].
pub async fn insert_event(
    tx: &mut Tx<'_>,
    e: &NewEvent<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let sql = format!("{INSERT_EVENT} RETURNING id");
    Ok(on_tx!(tx, conn => {
        bind_new_event!(sqlx::query_scalar(&sql), e, now).fetch_one(conn).await?
    }))
}

/// Rewrites an event's fields by id; its status is left as it is (see
/// [`change_status`]). Not found when there is no such event; a slug another event
/// of the network uses is a [`StoreError::Conflict`].
pub async fn update_event(
    tx: &mut Tx<'_>,
    id: i64,
    e: &NewEvent<'_>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE events SET network_id = $1, slug = $2, title = $3, kind = $4, summary = $5,
                 starts_at = $6, ends_at = $7, time_zone = $8, venue = $9, online_link = $10,
                 chair_label = $11, capacity = $12, delegation_quota = $13,
                 registration_opens_at = $14, registration_closes_at = $15, updated_at = $16,
                 calendar_sequence = calendar_sequence
                     + CASE WHEN starts_at <> $6 OR ends_at <> $7 OR venue <> $9 OR title <> $3
                            THEN 1 ELSE 0 END
             WHERE id = $17",
        )
        .bind(e.network_id)
        .bind(e.slug.as_str())
        .bind(e.title)
        .bind(e.kind.as_str())
        .bind(e.summary)
        .bind(e.when.start())
        .bind(e.when.end())
        .bind(e.time_zone.name())
        .bind(e.venue)
        .bind(e.online_link)
        .bind(e.chair_label)
        .bind(e.capacity)
        .bind(e.delegation_quota)
        .bind(e.registration_opens_at)
        .bind(e.registration_closes_at)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    if done == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Moves an event from status `from` to `to` (a cancellation, or its undoing,
/// raises its calendar SEQUENCE); false when it was no longer in `from`
/// (someone else changed it meanwhile) or does not exist.
pub async fn change_status(
    tx: &mut Tx<'_>,
    id: i64,
    from: EventStatus,
    to: EventStatus,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        // Calendars hear of a cancellation (and of its undoing) as a new version.
        sqlx::query(
            "UPDATE events SET status = $1, updated_at = $2,
                 calendar_sequence = calendar_sequence
                     + CASE WHEN status = 'cancelled' OR $1 = 'cancelled' THEN 1 ELSE 0 END
             WHERE id = $3 AND status = $4",
        )
            .bind(to.as_str())
            .bind(now)
            .bind(id)
            .bind(from.as_str())
            .execute(conn)
            .await?
            .rows_affected()
    });
    Ok(done == 1)
}

/// The event of network `network_id` (other than `except`) that already has web
/// address name `slug`: its title and the address, for the message at the field.
pub async fn slug_taken_by(
    store: &Store,
    network_id: i64,
    slug: &str,
    except: i64,
) -> StoreResult<Option<(String, String)>> {
    let found: Option<(String, String)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title, n.slug FROM events e JOIN networks n ON n.id = e.network_id
             WHERE e.network_id = $1 AND e.slug = $2 AND e.id <> $3",
        )
        .bind(network_id)
        .bind(slug)
        .bind(except)
        .fetch_optional(pool)
        .await?
    });
    Ok(found.map(|(title, network)| (title, super::event_href(&network, slug))))
}

/// Deletes an event that is still a draft (with its roles, hosts and guest links,
/// which cascade); false when it is not a draft (any more) or does not exist.
pub async fn delete_draft(tx: &mut Tx<'_>, id: i64) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query("DELETE FROM events WHERE id = $1 AND status = 'draft'")
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
    });
    Ok(done == 1)
}

/// A person's role in an event, with the person's name and address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventPersonRow {
    pub person_id: i64,
    pub full_name: String,
    pub email: String,
    pub role: String,
}

/// The chairs and organisers of an event: chairs first, then by name.
pub async fn event_people(store: &Store, event_id: i64) -> StoreResult<Vec<EventPersonRow>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.id AS person_id, p.full_name, p.email, r.role
             FROM event_roles r JOIN people p ON p.id = r.person_id
             WHERE r.event_id = $1
             ORDER BY r.role, p.full_name, p.id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    }))
}

/// Gives a person a role in an event (`chair` or `organiser`), inside a transaction;
/// false when they already had it.
pub async fn add_event_role(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    role: crate::domain::EventRole,
) -> StoreResult<bool> {
    // Never for an erased person.
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO event_roles (event_id, person_id, role)
             SELECT $1, id, $3 FROM people WHERE id = $2 AND erased_at IS NULL
             ON CONFLICT DO NOTHING",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(role)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// Takes a role in an event away from a person; false when they did not have it.
pub async fn remove_event_role(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    role: &str,
) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query("DELETE FROM event_roles WHERE event_id = $1 AND person_id = $2 AND role = $3")
            .bind(event_id)
            .bind(person_id)
            .bind(role)
            .execute(conn)
            .await?
            .rows_affected()
    });
    Ok(done == 1)
}

/// What events hold about a person: their roles.
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    let roles = crate::accounts::store::event_roles_of(store, person_id).await?;
    Ok(vec![("event_roles", serde_json::json!(roles
        .into_iter()
        .map(|r| serde_json::json!({
            "network": r.network, "event": r.event, "title": r.title, "role": r.role, "starts_at": r.starts_at,
        }))
        .collect::<Vec<_>>()))])
}

/// Erases a person's roles in events.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM event_roles WHERE person_id = $1")
            .bind(e.person_id)
            .execute(conn)
            .await?;
    });
    Ok(())
}
