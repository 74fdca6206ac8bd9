//! The SQL of the directory: listing and editing people, their accounts and
//! memberships, and organisations.
use crate::platform::db::{Store, StoreResult, Tx};
use crate::{on_pool, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

/// Which people a list shows.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    pub network_id: Option<i64>,
    pub member_state: Option<String>,
    pub category: Option<String>,
    /// Lower-cased words to find in the name or address.
    pub text: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonListRow {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub member_state: Option<String>,
    pub has_account: bool,
    pub disabled: bool,
    pub secretariat: bool,
}

// Erased people keep their row (others point at it) but leave every list.
const PEOPLE_WHERE: &str = "WHERE p.erased_at IS NULL
    AND ($1 IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.network_id = $1
                                 AND ($3 IS NULL OR m.category = $3)))
    AND ($2 IS NULL OR p.member_state = $2
         OR EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.member_state = $2))
    AND ($3 IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.category = $3))
    AND ($4 IS NULL OR lower(p.full_name) LIKE $4 OR lower(p.email) LIKE $4)";

/// One page of people, by name, and how many match in all.
pub async fn list_people(
    store: &Store,
    f: &PeopleFilter,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<PersonListRow>, i64)> {
    let like = f
        .text
        .as_ref()
        .map(|t| format!("%{}%", t.replace(['%', '_'], "")));
    let rows_sql = format!(
        "SELECT p.id, p.full_name, p.email, o.name AS organisation, p.member_state,
                a.person_id IS NOT NULL AS has_account,
                COALESCE(a.disabled_at IS NOT NULL, FALSE) AS disabled,
                COALESCE(a.secretariat, FALSE) AS secretariat
         FROM people p
         LEFT JOIN organisations o ON o.id = p.organisation_id
         LEFT JOIN accounts a ON a.person_id = p.id
         {PEOPLE_WHERE}
         ORDER BY p.full_name, p.id LIMIT $5 OFFSET $6"
    );
    let count_sql = format!("SELECT COUNT(*) FROM people p {PEOPLE_WHERE}");
    Ok(on_pool!(store, pool => {
        let rows: Vec<PersonListRow> = sqlx::query_as(&rows_sql)
            .bind(f.network_id)
            .bind(f.member_state.as_deref())
            .bind(f.category.as_deref())
            .bind(like.as_deref())
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query_scalar(&count_sql)
            .bind(f.network_id)
            .bind(f.member_state.as_deref())
            .bind(f.category.as_deref())
            .bind(like.as_deref())
            .fetch_one(pool)
            .await?;
        (rows, total)
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub title: Option<String>,
    pub organisation_id: Option<i64>,
    pub member_state: Option<String>,
    pub has_account: bool,
    pub disabled: bool,
    pub secretariat: bool,
    pub password_set: bool,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

pub async fn person(store: &Store, id: i64) -> StoreResult<PersonRow> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.id, p.full_name, p.email, p.title, p.organisation_id, p.member_state,
                    a.person_id IS NOT NULL AS has_account,
                    COALESCE(a.disabled_at IS NOT NULL, FALSE) AS disabled,
                    COALESCE(a.secretariat, FALSE) AS secretariat,
                    COALESCE(a.password_hash IS NOT NULL, FALSE) AS password_set,
                    a.last_sign_in_at
             FROM people p LEFT JOIN accounts a ON a.person_id = p.id
             WHERE p.id = $1 AND p.erased_at IS NULL",
        )
        .bind(id)
        .fetch_one(pool)
        .await?
    }))
}

/// The fields of a person the secretariat edits.
pub struct PersonInput<'a> {
    pub full_name: &'a str,
    pub email: &'a str,
    pub title: Option<&'a str>,
    pub organisation_id: Option<i64>,
    pub member_state: Option<&'a str>,
}

/// Creates a person; a taken address (in any case) is a conflict.
pub async fn create_person(
    tx: &mut Tx<'_>,
    p: &PersonInput<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(
            "INSERT INTO people (full_name, email, title, organisation_id, member_state, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(p.full_name)
        .bind(p.email)
        .bind(p.title)
        .bind(p.organisation_id)
        .bind(p.member_state)
        .bind(now)
        .fetch_one(conn)
        .await?
    }))
}

/// Corrects a person; returns whether the address changed (beyond its case).
pub async fn update_person(
    tx: &mut Tx<'_>,
    id: i64,
    p: &PersonInput<'_>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    on_tx!(tx, conn => {
        let before: String = sqlx::query_scalar("SELECT email FROM people WHERE id = $1 AND erased_at IS NULL")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE people SET full_name = $1, email = $2, title = $3, organisation_id = $4,
                 member_state = $5, updated_at = $6
             WHERE id = $7 AND erased_at IS NULL",
        )
        .bind(p.full_name)
        .bind(p.email)
        .bind(p.title)
        .bind(p.organisation_id)
        .bind(p.member_state)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        Ok(before.to_lowercase() != p.email.to_lowercase())
    })
}

/// Turns an account on or off; disabling also ends its sessions.
pub async fn set_disabled(
    tx: &mut Tx<'_>,
    person_id: i64,
    disabled: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE person_id = $2")
            .bind(disabled.then_some(now))
            .bind(person_id)
            .execute(&mut *conn)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE person_id = $1")
                .bind(person_id)
                .execute(&mut *conn)
                .await?;
        }
    });
    Ok(())
}

pub async fn set_secretariat(
    tx: &mut Tx<'_>,
    person_id: i64,
    secretariat: bool,
) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE accounts SET secretariat = $1 WHERE person_id = $2")
            .bind(secretariat)
            .bind(person_id)
            .execute(conn)
            .await?;
    });
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRow {
    pub id: i64,
    pub network: String,
    pub category: String,
    pub member_state: Option<String>,
    pub active_from: Option<NaiveDate>,
    pub active_to: Option<NaiveDate>,
}

pub async fn memberships(store: &Store, person_id: i64) -> StoreResult<Vec<MembershipRow>> {
    Ok(on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT m.id, n.name AS network, m.category, m.member_state, m.active_from, m.active_to
             FROM memberships m JOIN networks n ON n.id = m.network_id
             WHERE m.person_id = $1 ORDER BY n.name, m.category",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    }))
}

pub struct MembershipInput<'a> {
    pub network_id: i64,
    pub person_id: i64,
    pub category: &'a str,
    pub member_state: Option<&'a str>,
    pub active_from: Option<NaiveDate>,
    pub active_to: Option<NaiveDate>,
}

/// Adds a membership; the same category in the same network twice is a conflict.
pub async fn add_membership(
    tx: &mut Tx<'_>,
    m: &MembershipInput<'_>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(on_tx!(tx, pool => {
        sqlx::query_scalar(
            "INSERT INTO memberships (network_id, person_id, category, member_state, active_from, active_to, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(m.network_id)
        .bind(m.person_id)
        .bind(m.category)
        .bind(m.member_state)
        .bind(m.active_from)
        .bind(m.active_to)
        .bind(now)
        .fetch_one(pool)
        .await?
    }))
}

/// The person, first and last day of a membership.
pub async fn membership_dates(
    tx: &mut Tx<'_>,
    id: i64,
) -> StoreResult<(i64, Option<NaiveDate>, Option<NaiveDate>)> {
    Ok(on_tx!(tx, pool => {
        sqlx::query_as("SELECT person_id, active_from, active_to FROM memberships WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?
    }))
}

/// Ends a membership on `day` (it stays on record); returns the person's id.
pub async fn end_membership(tx: &mut Tx<'_>, id: i64, day: NaiveDate) -> StoreResult<i64> {
    Ok(on_tx!(tx, pool => {
        sqlx::query_scalar("UPDATE memberships SET active_to = $1 WHERE id = $2 RETURNING person_id")
            .bind(day)
            .bind(id)
            .fetch_one(pool)
            .await?
    }))
}

/// Removes a membership entered by mistake; returns the person's id.
pub async fn delete_membership(tx: &mut Tx<'_>, id: i64) -> StoreResult<i64> {
    Ok(on_tx!(tx, pool => {
        sqlx::query_scalar("DELETE FROM memberships WHERE id = $1 RETURNING person_id")
            .bind(id)
            .fetch_one(pool)
            .await?
    }))
}

/// What the directory holds about a person: their details and memberships.
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    use serde_json::json;
    let d = crate::accounts::store::own_details(store, person_id).await?;
    let memberships = crate::accounts::store::memberships_of(store, person_id).await?;
    Ok(vec![
        (
            "person",
            json!({
                "id": person_id,
                "full_name": d.full_name,
                "email": d.email,
                "title": d.title,
                "organisation": d.organisation,
                "member_state": d.member_state,
            }),
        ),
        (
            "memberships",
            json!(memberships
                .into_iter()
                .map(|(network, category, member_state, from, to)| json!({
                    "network": network, "category": category, "member_state": member_state,
                    "active_from": from, "active_to": to,
                }))
                .collect::<Vec<_>>()),
        ),
    ])
}

/// Erases what the directory holds: memberships go; the person row stays so that
/// what points at it remains consistent, with a placeholder for every detail and
/// `erased_at` set. Runs last.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM memberships WHERE person_id = $1")
            .bind(e.person_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE people SET full_name = $2, email = $3, title = NULL, organisation_id = NULL,
                 member_state = NULL, updated_at = $4, erased_at = $4 WHERE id = $1",
        )
        .bind(e.person_id)
        .bind(&e.placeholder_name)
        .bind(&e.placeholder_email)
        .bind(e.now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}
