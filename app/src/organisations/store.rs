//! The SQL of organisations.
use crate::platform::db::{Store, StoreResult, Tx};
use crate::{on_pool, on_tx};

/// An organisation as it is written.
pub struct NewOrganisation<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub kind: &'a str,
    pub country: Option<&'a str>,
}

/// The organisation of this name (any case), if the directory has it.
pub async fn find_by_name(tx: &mut Tx<'_>, name: &str) -> StoreResult<Option<i64>> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT id FROM organisations WHERE lower(name) = lower($1) ORDER BY id LIMIT 1")
            .bind(name.trim())
            .fetch_optional(conn)
            .await?
    }))
}

/// Inserts or updates by slug; returns the id.
pub async fn upsert_organisation(store: &Store, o: &NewOrganisation<'_>) -> StoreResult<i64> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar(
            "INSERT INTO organisations (slug, name, short_name, kind, country)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (slug) DO UPDATE SET name = excluded.name,
                 short_name = excluded.short_name, kind = excluded.kind, country = excluded.country
             RETURNING id",
        )
        .bind(o.slug)
        .bind(o.name)
        .bind(o.short_name)
        .bind(o.kind)
        .bind(o.country)
        .fetch_one(pool)
        .await?
    }))
}

/// Whether an organisation exists.
pub async fn organisation_exists(store: &Store, id: i64) -> StoreResult<bool> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await? > 0
    }))
}

/// Every organisation as (id, name), for choices.
pub async fn organisation_choices(store: &Store) -> StoreResult<Vec<(i64, String)>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as("SELECT id, name FROM organisations ORDER BY name")
            .fetch_all(pool)
            .await?
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OrganisationRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub country: Option<String>,
    pub people: i64,
}

const ORGANISATION_SELECT: &str = "SELECT o.id, o.slug, o.name, o.short_name, o.kind, o.country,
        (SELECT COUNT(*) FROM people p WHERE p.organisation_id = o.id) AS people
     FROM organisations o";

pub async fn organisations(store: &Store) -> StoreResult<Vec<OrganisationRow>> {
    let sql = format!("{ORGANISATION_SELECT} ORDER BY o.name");
    Ok(on_pool!(store, pool => sqlx::query_as(&sql).fetch_all(pool).await?))
}

pub async fn organisation(store: &Store, id: i64) -> StoreResult<OrganisationRow> {
    let sql = format!("{ORGANISATION_SELECT} WHERE o.id = $1");
    Ok(on_pool!(store, pool => sqlx::query_as(&sql).bind(id).fetch_one(pool).await?))
}

pub async fn create_organisation(tx: &mut Tx<'_>, o: &NewOrganisation<'_>) -> StoreResult<i64> {
    Ok(on_tx!(tx, pool => {
        sqlx::query_scalar(
            "INSERT INTO organisations (slug, name, short_name, kind, country) VALUES ($1, $2, $3, $4, $5)
             RETURNING id",
        )
        .bind(o.slug)
        .bind(o.name)
        .bind(o.short_name)
        .bind(o.kind)
        .bind(o.country)
        .fetch_one(pool)
        .await?
    }))
}

/// Updates an organisation (its slug stays: links and seeds use it).
pub async fn update_organisation(
    tx: &mut Tx<'_>,
    id: i64,
    o: &NewOrganisation<'_>,
) -> StoreResult<()> {
    let n = on_tx!(tx, pool => {
        sqlx::query("UPDATE organisations SET name = $1, short_name = $2, kind = $3, country = $4 WHERE id = $5")
            .bind(o.name)
            .bind(o.short_name)
            .bind(o.kind)
            .bind(o.country)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
    });
    if n == 0 {
        return Err(crate::platform::StoreError::NotFound);
    }
    Ok(())
}
