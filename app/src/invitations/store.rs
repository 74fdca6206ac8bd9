//! The SQL of invitations.
use crate::on_tx;
use crate::platform::db::{Store, StoreResult, Tx};
use chrono::{DateTime, NaiveDate, Utc};

/// A person just invited: (invitation id, person id, name, address).
pub type Invited = (i64, i64, String, String);

/// Invites every member of `network_id` in `category` (and `member_state`, when
/// given) whose membership is active on `today` and who is not erased or already
/// invited; returns those newly invited.
#[allow(clippy::too_many_arguments)]
pub async fn invite_members(
    tx: &mut Tx<'_>,
    event_id: i64,
    network_id: i64,
    category: &str,
    member_state: Option<&str>,
    invited_by: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Invited>> {
    let sql = format!(
        "INSERT INTO invitations (event_id, person_id, invited_by, invited_as, status, created_at)
         SELECT DISTINCT $1, m.person_id, $2, m.category, 'invited', $3
         FROM memberships m JOIN people p ON p.id = m.person_id
         WHERE m.network_id = $4 AND m.category = $5 AND ($6 IS NULL OR m.member_state = $6)
           AND p.erased_at IS NULL AND {}
         ON CONFLICT (event_id, person_id) DO NOTHING
         RETURNING id, person_id",
        crate::domain::active_membership_sql(7)
    );
    let rows: Vec<(i64, i64)> = on_tx!(tx, conn => {
        sqlx::query_as(&sql)
            .bind(event_id)
            .bind(invited_by)
            .bind(now)
            .bind(network_id)
            .bind(category)
            .bind(member_state)
            .bind(today)
            .fetch_all(conn)
            .await?
    });
    let mut out = Vec::with_capacity(rows.len());
    for (id, person) in rows {
        let (name, email): (String, String) = on_tx!(tx, conn => {
            sqlx::query_as("SELECT full_name, email FROM people WHERE id = $1")
                .bind(person)
                .fetch_one(conn)
                .await?
        });
        out.push((id, person, name, email));
    }
    Ok(out)
}

/// One line of the organisers' invitation list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub email: String,
    pub invited_as: String,
    pub member_state: Option<String>,
    pub status: String,
    pub registration: Option<String>,
    pub waitlist_position: Option<i64>,
    pub mail_status: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub last_reminded_at: Option<DateTime<Utc>>,
}

/// Every invitation of an event, by name, with the registration and the delivery
/// status of the latest invitation mail.
pub async fn list(store: &Store, event_id: i64) -> StoreResult<Vec<InvitationRow>> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT i.id, i.person_id, p.full_name, p.email, i.invited_as, p.member_state, i.status,
                    r.status AS registration, CAST(r.waitlist_position AS BIGINT) AS waitlist_position,
                    (SELECT o.status FROM mail_outbox o
                      WHERE o.event_id = i.event_id AND o.person_id = i.person_id AND o.kind = 'invitation'
                      ORDER BY o.id DESC LIMIT 1) AS mail_status,
                    i.answered_at, i.last_reminded_at
             FROM invitations i
             JOIN people p ON p.id = i.person_id
             LEFT JOIN registrations r ON r.event_id = i.event_id AND r.person_id = i.person_id
             WHERE i.event_id = $1
             ORDER BY p.full_name, i.id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    }))
}

/// A person's invitation to an event: (status, declining message).
pub async fn of(
    store: &Store,
    event_id: i64,
    person_id: i64,
) -> StoreResult<Option<(String, Option<String>)>> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as("SELECT status, message FROM invitations WHERE event_id = $1 AND person_id = $2")
            .bind(event_id)
            .bind(person_id)
            .fetch_optional(pool)
            .await?
    }))
}

/// Which of these people hold a live (not revoked) invitation to the event.
pub async fn invited_among(
    tx: &mut Tx<'_>,
    event_id: i64,
    people: &[i64],
) -> StoreResult<std::collections::HashSet<i64>> {
    let mut found = std::collections::HashSet::new();
    for chunk in people.chunks(crate::platform::db::ROWS_PER_STATEMENT) {
        let sql = tx.positional(format!(
            "SELECT person_id FROM invitations
             WHERE event_id = $1 AND status <> 'revoked' AND person_id IN ({})",
            crate::platform::db::value_list(2, chunk.len())
        ));
        let rows: Vec<i64> = on_tx!(tx, conn => {
            let mut q = sqlx::query_scalar(&sql).bind(event_id);
            for p in chunk {
                q = q.bind(*p);
            }
            q.fetch_all(conn).await?
        });
        found.extend(rows);
    }
    Ok(found)
}

/// Notes that the invitee opened their invitation (the first time only).
pub async fn mark_opened(
    store: &Store,
    event_id: i64,
    person_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    crate::on_pool!(store, pool => {
        sqlx::query(
            "UPDATE invitations SET opened_at = $3
             WHERE event_id = $1 AND person_id = $2 AND opened_at IS NULL",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(now)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// Records the invitee's answer (`accepted` or `declined`, with their message);
/// false when there is no live invitation to answer.
pub async fn answer(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    status: &str,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    Ok(answer_many(tx, event_id, &[person_id], status, message, now).await? == 1)
}

/// [`answer`] for several people at once; how many invitations were answered.
pub async fn answer_many(
    tx: &mut Tx<'_>,
    event_id: i64,
    people: &[i64],
    status: &str,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let mut done = 0;
    for chunk in people.chunks(crate::platform::db::ROWS_PER_STATEMENT) {
        let sql = tx.positional(format!(
            "UPDATE invitations SET status = $1, message = $2, answered_at = $3,
                    opened_at = COALESCE(opened_at, $4)
             WHERE event_id = $5 AND status <> 'revoked' AND person_id IN ({})",
            crate::platform::db::value_list(6, chunk.len())
        ));
        done += on_tx!(tx, conn => {
            let mut q = sqlx::query(&sql).bind(status).bind(message).bind(now).bind(now).bind(event_id);
            for p in chunk {
                q = q.bind(*p);
            }
            q.execute(conn).await?.rows_affected()
        });
    }
    Ok(done)
}

/// A person's invitations, for their export.
pub async fn export_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    #[derive(sqlx::FromRow, serde::Serialize)]
    struct Row {
        event: String,
        invited_as: String,
        status: String,
        message: Option<String>,
        created_at: DateTime<Utc>,
        opened_at: Option<DateTime<Utc>>,
        answered_at: Option<DateTime<Utc>>,
    }
    let rows: Vec<Row> = crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title AS event, i.invited_as, i.status, i.message, i.created_at, i.opened_at, i.answered_at
             FROM invitations i JOIN events e ON e.id = i.event_id
             WHERE i.person_id = $1 ORDER BY i.id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    Ok(vec![("invitations", serde_json::json!(rows))])
}

/// Erases a person's invitations (and the record of whom they invited).
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM invitations WHERE person_id = $1")
            .bind(e.person_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE invitations SET invited_by = NULL WHERE invited_by = $1")
            .bind(e.person_id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Whom a change to the event's calendar entry goes to: everyone invited who has
/// not declined (or been revoked, or cancelled), and everyone holding a live
/// registration (members who registered without an invitation too), not erased,
/// and whether their place is confirmed: (person, name, address, confirmed).
pub async fn calendar_recipients(
    tx: &mut Tx<'_>,
    event_id: i64,
) -> StoreResult<Vec<(i64, String, String, bool)>> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT p.id, p.full_name, p.email, COALESCE(r.status = 'confirmed', FALSE)
             FROM people p
             LEFT JOIN invitations i ON i.event_id = $1 AND i.person_id = p.id
             LEFT JOIN registrations r ON r.event_id = $1 AND r.person_id = p.id
             WHERE p.id IN (SELECT person_id FROM invitations WHERE event_id = $1
                            UNION SELECT person_id FROM registrations WHERE event_id = $1)
               AND p.erased_at IS NULL
               AND ((COALESCE(i.status, '') IN ('invited', 'accepted')
                     AND COALESCE(r.status, '') NOT IN ('cancelled', 'rejected'))
                    OR r.status IN ('pending', 'confirmed', 'waitlisted'))
             ORDER BY p.id",
        )
        .bind(event_id)
        .fetch_all(conn)
        .await?
    }))
}

/// Invites one person (again, after a revocation); `None` when they already are.
pub async fn invite_person(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    invited_by: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(
            "INSERT INTO invitations (event_id, person_id, invited_by, invited_as, status, created_at)
             VALUES ($1, $2, $3, 'person', 'invited', $4)
             ON CONFLICT (event_id, person_id) DO UPDATE SET
                status = 'invited', invited_by = excluded.invited_by, message = NULL,
                answered_at = NULL, created_at = excluded.created_at
             WHERE invitations.status = 'revoked'
             RETURNING id",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(invited_by)
        .bind(now)
        .fetch_optional(conn)
        .await?
    }))
}

/// Records that a delegation's head brought this person in: an invitation
/// already accepted (their registration follows in the same transaction), so
/// that their personal link and their account open the event. A live invitation
/// is kept as it is.
pub async fn invite_delegate(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    invited_by: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO invitations (event_id, person_id, invited_by, invited_as, status, created_at, answered_at)
             VALUES ($1, $2, $3, 'delegation', 'accepted', $4, $4)
             ON CONFLICT (event_id, person_id) DO UPDATE SET
                status = 'accepted', invited_by = excluded.invited_by, answered_at = excluded.answered_at
             WHERE invitations.status = 'revoked'",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(invited_by)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// Those invited who have not answered and are not registered: (person, name,
/// address).
pub async fn unanswered(tx: &mut Tx<'_>, event_id: i64) -> StoreResult<Vec<(i64, String, String)>> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT p.id, p.full_name, p.email FROM invitations i
             JOIN people p ON p.id = i.person_id
             WHERE i.event_id = $1 AND i.status = 'invited' AND p.erased_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM registrations r
                               WHERE r.event_id = i.event_id AND r.person_id = i.person_id)
             ORDER BY p.id",
        )
        .bind(event_id)
        .fetch_all(conn)
        .await?
    }))
}

/// Notes when a person was last reminded.
pub async fn mark_reminded(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE invitations SET last_reminded_at = $3 WHERE event_id = $1 AND person_id = $2")
            .bind(event_id)
            .bind(person_id)
            .bind(now)
            .execute(conn)
            .await?;
    });
    Ok(())
}

/// Revokes an invitation that holds no live registration; false otherwise (a
/// registered person keeps their link, to change or cancel).
pub async fn revoke(tx: &mut Tx<'_>, event_id: i64, person_id: i64) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE invitations SET status = 'revoked'
             WHERE event_id = $1 AND person_id = $2 AND status IN ('invited', 'declined', 'accepted')
               AND NOT EXISTS (SELECT 1 FROM registrations r
                               WHERE r.event_id = $1 AND r.person_id = $2 AND r.status <> 'cancelled')",
        )
        .bind(event_id)
        .bind(person_id)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// A person's live invitations to events that are not drafts, soonest first:
/// (event id, title, starts, zone, invitation status, registration status,
/// waiting-list position).
#[allow(clippy::type_complexity)]
pub async fn of_person(
    store: &Store,
    person_id: i64,
) -> StoreResult<
    Vec<(
        i64,
        String,
        DateTime<Utc>,
        String,
        String,
        Option<String>,
        Option<i64>,
    )>,
> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.id, e.title, e.starts_at, e.time_zone, COALESCE(i.status, 'member'), r.status,
                    CAST(r.waitlist_position AS BIGINT)
             FROM events e
             LEFT JOIN invitations i ON i.event_id = e.id AND i.person_id = $1 AND i.status <> 'revoked'
             LEFT JOIN registrations r ON r.event_id = e.id AND r.person_id = $1
             WHERE (i.id IS NOT NULL OR r.id IS NOT NULL) AND e.status <> 'draft'
             ORDER BY e.starts_at, e.id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    }))
}
