//! The SQL of networks, organisations, people and memberships.
use super::{MembershipLine, NetworkSummary};
use crate::domain::{MemberState, MembershipCategory};
use crate::platform::db::{Store, StoreResult, Tx};
use crate::{on_pool, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NetworkRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub established: String,
    pub summary: String,
    pub mandate: String,
    pub priorities: String,
    pub host_name: Option<String>,
}

pub async fn list_networks(store: &Store) -> StoreResult<Vec<NetworkSummary>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name: String,
        short_name: String,
        summary: String,
    }
    let rows: Vec<Row> = on_pool!(store, pool => {
        sqlx::query_as("SELECT slug, name, short_name, summary FROM networks ORDER BY name")
            .fetch_all(pool)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| NetworkSummary {
            slug: r.slug,
            name: r.name,
            short_name: r.short_name,
            summary: r.summary,
        })
        .collect())
}

pub async fn network_by_slug(store: &Store, slug: &str) -> StoreResult<NetworkRow> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT n.id, n.slug, n.name, n.short_name, n.established, n.summary, n.mandate,
                    n.priorities, o.name AS host_name
             FROM networks n LEFT JOIN organisations o ON o.id = n.host_organisation_id
             WHERE n.slug = $1",
        )
        .bind(slug)
        .fetch_one(pool)
        .await?
    }))
}

/// Membership by category: contact points by Member State, everyone else by
/// organisation. Only memberships active on `today` count.
pub async fn membership_overview(
    store: &Store,
    network_id: i64,
    today: NaiveDate,
) -> StoreResult<Vec<MembershipLine>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        category: String,
        member_state: Option<String>,
        organisation: Option<String>,
        people: i64,
    }
    let sql = format!(
        "SELECT m.category, m.member_state, o.name AS organisation, COUNT(*) AS people
         FROM memberships m
         JOIN people p ON p.id = m.person_id
         LEFT JOIN organisations o ON o.id = p.organisation_id
         WHERE m.network_id = $1 AND {}
         GROUP BY m.category, m.member_state, o.name",
        crate::domain::active_membership_sql(2)
    );
    let rows: Vec<Row> = on_pool!(store, pool => {
        sqlx::query_as(&sql)
        .bind(network_id)
        .bind(today)
        .fetch_all(pool)
        .await?
    });
    let mut lines: Vec<MembershipLine> = rows
        .into_iter()
        .filter_map(|r| {
            let category = MembershipCategory::parse(&r.category).ok()?;
            let state = r
                .member_state
                .as_deref()
                .and_then(|c| MemberState::parse(c).ok());
            let label = match (category, state) {
                (MembershipCategory::NationalContactPoint, Some(ms)) => ms.name().to_owned(),
                _ => r
                    .organisation
                    .clone()
                    .unwrap_or_else(|| "Individual member".into()),
            };
            Some(MembershipLine {
                category,
                label,
                member_state: state.map(|s| s.code().to_owned()),
                people: r.people,
            })
        })
        .collect();
    // Contact points in the EU's protocol order, organisations by name.
    lines.sort_by(|a, b| {
        let order = |l: &MembershipLine| {
            l.member_state
                .as_deref()
                .and_then(|c| MemberState::parse(c).ok())
                .map(|s| s.protocol_order())
                .unwrap_or(usize::MAX)
        };
        (a.category, order(a), &a.label).cmp(&(b.category, order(b), &b.label))
    });
    Ok(lines)
}

// --- writes (used by the demo seed now, by the secretariat pages later) ---------

pub struct NewPerson<'a> {
    pub full_name: &'a str,
    pub email: &'a crate::domain::EmailAddress,
    pub title: Option<&'a str>,
    pub organisation_id: Option<i64>,
    pub member_state: Option<MemberState>,
}

/// Inserts or updates by email; returns the id.
pub async fn upsert_person(
    store: &Store,
    p: &NewPerson<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar(
            "INSERT INTO people (full_name, email, title, organisation_id, member_state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (email) DO UPDATE SET full_name = excluded.full_name, title = excluded.title,
                 organisation_id = excluded.organisation_id, member_state = excluded.member_state,
                 updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(p.full_name)
        .bind(p.email.as_str())
        .bind(p.title)
        .bind(p.organisation_id)
        .bind(p.member_state.map(|m| m.code()))
        .bind(now)
        .fetch_one(pool)
        .await?
    }))
}

pub struct NewNetwork<'a> {
    pub slug: &'a crate::domain::Slug,
    pub name: &'a str,
    pub short_name: &'a str,
    pub established: &'a str,
    pub summary: &'a str,
    pub mandate: &'a str,
    pub priorities: &'a [&'a str],
    pub host_organisation_id: Option<i64>,
}

pub async fn upsert_network(
    store: &Store,
    n: &NewNetwork<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let priorities = n.priorities.join("\n");
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar(
            "INSERT INTO networks (slug, name, short_name, established, summary, mandate, priorities,
                                   host_organisation_id, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name, short_name = excluded.short_name,
                 established = excluded.established, summary = excluded.summary,
                 mandate = excluded.mandate, priorities = excluded.priorities,
                 host_organisation_id = excluded.host_organisation_id, updated_at = excluded.updated_at
             RETURNING id",
        )
        .bind(n.slug.as_str())
        .bind(n.name)
        .bind(n.short_name)
        .bind(n.established)
        .bind(n.summary)
        .bind(n.mandate)
        .bind(&priorities)
        .bind(n.host_organisation_id)
        .bind(now)
        .fetch_one(pool)
        .await?
    }))
}

pub async fn upsert_membership(
    store: &Store,
    network_id: i64,
    person_id: i64,
    category: MembershipCategory,
    member_state: Option<MemberState>,
    active_from: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar(
            "INSERT INTO memberships (network_id, person_id, category, member_state, active_from, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (network_id, person_id, category) DO UPDATE
                 SET member_state = excluded.member_state, active_from = excluded.active_from
             RETURNING id",
        )
        .bind(network_id)
        .bind(person_id)
        .bind(category.as_str())
        .bind(member_state.map(|m| m.code()))
        .bind(active_from)
        .bind(now)
        .fetch_one(pool)
        .await?
    }))
}

/// A network's editable fields, by id.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NetworkFields {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub established: String,
    pub summary: String,
    pub mandate: String,
    pub priorities: String,
    pub host_organisation_id: Option<i64>,
}

pub async fn network_fields(store: &Store, id: i64) -> StoreResult<NetworkFields> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT id, slug, name, short_name, established, summary, mandate, priorities, host_organisation_id
             FROM networks WHERE id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await?
    }))
}

/// Every network's fields, by name.
pub async fn all_network_fields(store: &Store) -> StoreResult<Vec<NetworkFields>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT id, slug, name, short_name, established, summary, mandate, priorities, host_organisation_id
             FROM networks ORDER BY name",
        )
        .fetch_all(pool)
        .await?
    }))
}

/// Creates a network (a taken slug is a conflict) or, with `id`, updates one; the
/// slug of an existing network does not change (it is in every link to it).
pub async fn save_network(
    tx: &mut Tx<'_>,
    id: Option<i64>,
    n: &NewNetwork<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let priorities = n.priorities.join("\n");
    Ok(on_tx!(tx, pool => {
        match id {
            None => sqlx::query_scalar(
                "INSERT INTO networks (slug, name, short_name, established, summary, mandate, priorities,
                                       host_organisation_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(n.slug.as_str())
            .bind(n.name)
            .bind(n.short_name)
            .bind(n.established)
            .bind(n.summary)
            .bind(n.mandate)
            .bind(&priorities)
            .bind(n.host_organisation_id)
            .bind(now)
            .fetch_one(pool)
            .await?,
            Some(id) => sqlx::query_scalar(
                "UPDATE networks SET name = $1, short_name = $2, established = $3, summary = $4,
                     mandate = $5, priorities = $6, host_organisation_id = $7, updated_at = $8
                 WHERE id = $9 RETURNING id",
            )
            .bind(n.name)
            .bind(n.short_name)
            .bind(n.established)
            .bind(n.summary)
            .bind(n.mandate)
            .bind(&priorities)
            .bind(n.host_organisation_id)
            .bind(now)
            .bind(id)
            .fetch_one(pool)
            .await?,
        }
    }))
}

/// Every network as (id, slug, name), by name, for choices.
pub async fn network_choices(store: &Store) -> StoreResult<Vec<(i64, String, String)>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as("SELECT id, slug, name FROM networks ORDER BY name")
            .fetch_all(pool)
            .await?
    }))
}
