//! The SQL of registration: places within capacity, the waiting list, cancelling
//! and promoting.
//!
//! Exactness under concurrency: every change to an event's registrations starts
//! with [`lock_event`] as the first statement of its transaction. On PostgreSQL
//! that takes the event row's lock (`SELECT … FOR UPDATE`), on SQLite the
//! transaction holds the database's write lock from its start; either way the registrations of one event change one transaction at
//! a time, and each reads the counts the previous one committed. The unique index
//! on (event, waiting-list position) refuses a repeated position outright.
use crate::on_tx;
use crate::platform::db::{StoreError, StoreResult, Tx};
use chrono::{DateTime, Utc};

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Standing {
    /// Waiting for an organiser's approval (moderated events); holds no place.
    Pending,
    Confirmed,
    /// On the waiting list, at this position (1 is next).
    Waitlisted(i64),
    /// Declined by the organisers (moderated events).
    Rejected,
    Cancelled,
}

impl Standing {
    /// Whether the registration is live (awaiting approval, confirmed or waiting).
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Standing::Pending | Standing::Confirmed | Standing::Waitlisted(_)
        )
    }

    /// The stored status and waiting-list position.
    fn to_row(self) -> (&'static str, Option<i64>) {
        match self {
            Standing::Pending => ("pending", None),
            Standing::Confirmed => ("confirmed", None),
            Standing::Waitlisted(p) => ("waitlisted", Some(p)),
            Standing::Rejected => ("rejected", None),
            Standing::Cancelled => ("cancelled", None),
        }
    }

    pub(crate) fn from_row(status: &str, position: Option<i64>) -> StoreResult<Self> {
        Ok(match (status, position) {
            ("pending", _) => Standing::Pending,
            ("rejected", _) => Standing::Rejected,
            ("confirmed", _) => Standing::Confirmed,
            ("waitlisted", Some(p)) => Standing::Waitlisted(p),
            ("cancelled", _) => Standing::Cancelled,
            _ => {
                return Err(
                    anyhow::anyhow!("a registration in state {status} / {position:?}").into(),
                )
            }
        })
    }
}

/// What a person registers with.
#[derive(Debug, Clone)]
pub struct RegistrationInput<'a> {
    pub online: bool,
    pub dietary: &'a str,
    pub accessibility: &'a str,
    pub privacy_version: &'a str,
    pub list_consent: bool,
    /// Who registered the person, when not themselves (their delegation's head).
    pub registered_by: Option<i64>,
    /// The role given by whoever registered them ("Prosecutor").
    pub delegation_role: &'a str,
}

impl RegistrationInput<'_> {
    /// The `attendance` column.
    fn attendance(&self) -> &'static str {
        if self.online {
            "online"
        } else {
            "in_person"
        }
    }
}

/// Takes the event's lock for the rest of the transaction (see the module's
/// comment); the first statement of every transaction that changes registrations.
/// PostgreSQL locks the event's row (`FOR UPDATE`); SQLite's write transactions
/// hold the database's one write lock from their start. Nothing is written: the
/// event's row, and what public pages show of it, stay as they are.
pub async fn lock_event(tx: &mut Tx<'_>, event_id: i64) -> StoreResult<()> {
    let sql = format!("SELECT id FROM events WHERE id = $1{}", tx.lock_clause());
    let found: Option<i64> = on_tx!(tx, conn => {
        sqlx::query_scalar(&sql).bind(event_id).fetch_optional(conn).await?
    });
    if found.is_none() {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A person's registration for an event, if any: (status, waiting-list position).
pub async fn standing(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
) -> StoreResult<Option<Standing>> {
    let row: Option<(String, Option<i64>)> = on_tx!(tx, conn => {
        sqlx::query_as(STANDING).bind(event_id).bind(person_id).fetch_optional(conn).await?
    });
    row.map(|(s, p)| Standing::from_row(&s, p)).transpose()
}

const STANDING: &str = "SELECT status, CAST(waitlist_position AS BIGINT) FROM registrations
                        WHERE event_id = $1 AND person_id = $2";

/// [`standing`] as committed, for pages: a plain read, no transaction (on SQLite a
/// transaction here takes the write lock).
pub async fn standing_now(
    store: &crate::platform::Store,
    event_id: i64,
    person_id: i64,
) -> StoreResult<Option<Standing>> {
    let row: Option<(String, Option<i64>)> = crate::on_pool!(store, pool => {
        sqlx::query_as(STANDING).bind(event_id).bind(person_id).fetch_optional(pool).await?
    });
    row.map(|(s, p)| Standing::from_row(&s, p)).transpose()
}

/// Registers a person (again, after a cancellation): awaiting approval when the
/// event is moderated; else confirmed while in-person places remain (online places
/// have no limit), else last on the waiting list. Takes the event's lock; a live
/// or rejected registration is a conflict, and so is an in-person place beyond the
/// quota of the person's Member State. One person's [`register_many`].
pub async fn register(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    input: &RegistrationInput<'_>,
    now: DateTime<Utc>,
) -> StoreResult<Standing> {
    register_many(tx, event_id, &[(person_id, input.clone())], now)
        .await?
        .pop()
        .expect("one answer per person")
}

/// Registers several people for one event in one go, in the order given, as
/// [`register`] would one after the other: one lock of the event, one read of
/// its counts, of the people's standings and of the delegations' use, and one
/// multi-row write, whatever the number. Answers each person's standing, or the
/// conflict that refused them (already registered, declined, delegation full;
/// a person named twice is registered once); a database error fails them all.
pub async fn register_many(
    tx: &mut Tx<'_>,
    event_id: i64,
    people: &[(i64, RegistrationInput<'_>)],
    now: DateTime<Utc>,
) -> StoreResult<Vec<StoreResult<Standing>>> {
    lock_event(tx, event_id).await?;
    let rules = rules(tx, event_id).await?;
    let ids: Vec<i64> = people.iter().map(|(p, _)| *p).collect();
    let mut known = standings_of(tx, event_id, &ids).await?;
    let (mut confirmed, mut last) = places_taken(tx, event_id).await?;
    let mut delegations = match rules.delegation_quota {
        Some(quota) => Some(Delegations::read(tx, event_id, &ids, quota).await?),
        None => None,
    };
    let mut answers = Vec::with_capacity(people.len());
    let mut placed = Vec::with_capacity(people.len());
    for (person, input) in people {
        let answer = (|| {
            match known.get(person) {
                Some(Standing::Cancelled) | None => {}
                Some(Standing::Rejected) => {
                    return Err(StoreError::Conflict(
                        "The organisers have declined this registration; write to them if you think it is a mistake.".into(),
                    ))
                }
                Some(_) => {
                    return Err(StoreError::Conflict(
                        "Already registered for this event.".into(),
                    ))
                }
            }
            if !input.online {
                if let Some(d) = delegations.as_mut() {
                    d.take(*person)?;
                }
            }
            Ok(if rules.moderated {
                Standing::Pending
            } else if input.online || rules.capacity.is_none_or(|c| confirmed < c) {
                if !input.online {
                    confirmed += 1;
                }
                Standing::Confirmed
            } else {
                last += 1;
                Standing::Waitlisted(last)
            })
        })();
        if let Ok(standing) = answer {
            known.insert(*person, standing);
            placed.push((*person, input, standing));
        }
        answers.push(answer);
    }
    const COLUMNS: &str = "INSERT INTO registrations (event_id, person_id, status, waitlist_position,
            attendance, dietary, accessibility, privacy_version, list_consent, created_at, updated_at,
            registered_by, delegation_role)";
    const ON_CONFLICT: &str = "ON CONFLICT (event_id, person_id) DO UPDATE SET
            status = excluded.status, waitlist_position = excluded.waitlist_position,
            attendance = excluded.attendance, dietary = excluded.dietary,
            accessibility = excluded.accessibility, privacy_version = excluded.privacy_version,
            list_consent = excluded.list_consent, updated_at = excluded.updated_at,
            registered_by = excluded.registered_by, delegation_role = excluded.delegation_role,
            decision_message = '', cancelled_at = NULL";
    if let Tx::Postgres(conn) = tx {
        // One statement text whatever the number of people, each column an array:
        // prepared once per connection, where a VALUES list of 500 rows was parsed,
        // planned and bound (6,500 parameters) again for every batch.
        use crate::platform::db::column;
        let (statuses, positions): (Vec<&str>, Vec<Option<i64>>) =
            placed.iter().map(|(_, _, s)| s.to_row()).unzip();
        sqlx::query(&format!(
            "{COLUMNS}
             SELECT $1, v.person_id, v.status, v.position, v.attendance, v.dietary, v.accessibility,
                    v.privacy_version, v.list_consent, $2, $2, v.registered_by, v.role
             FROM UNNEST($3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                         $9::text[], $10::boolean[], $11::bigint[], $12::text[])
                  AS v(person_id, status, position, attendance, dietary, accessibility,
                       privacy_version, list_consent, registered_by, role)
             {ON_CONFLICT}"
        ))
        .bind(event_id)
        .bind(now)
        .bind(column(&placed, |(p, _, _)| *p))
        .bind(statuses)
        .bind(positions)
        .bind(column(&placed, |(_, i, _)| i.attendance()))
        .bind(column(&placed, |(_, i, _)| i.dietary))
        .bind(column(&placed, |(_, i, _)| i.accessibility))
        .bind(column(&placed, |(_, i, _)| i.privacy_version))
        .bind(column(&placed, |(_, i, _)| i.list_consent))
        .bind(column(&placed, |(_, i, _)| i.registered_by))
        .bind(column(&placed, |(_, i, _)| i.delegation_role))
        .execute(&mut **conn)
        .await?;
        return Ok(answers);
    }
    for chunk in placed.chunks(crate::platform::db::ROWS_PER_STATEMENT) {
        let sql = tx.positional(format!(
            "{COLUMNS} VALUES {} {ON_CONFLICT}",
            crate::platform::db::value_rows(1, chunk.len(), 13)
        ));
        on_tx!(tx, conn => {
            let mut q = sqlx::query(&sql);
            for (person, input, standing) in chunk {
                let (status, position) = standing.to_row();
                q = q
                    .bind(event_id)
                    .bind(*person)
                    .bind(status)
                    .bind(position)
                    .bind(input.attendance())
                    .bind(input.dietary)
                    .bind(input.accessibility)
                    .bind(input.privacy_version)
                    .bind(input.list_consent)
                    .bind(now)
                    .bind(now)
                    .bind(input.registered_by)
                    .bind(input.delegation_role);
            }
            q.execute(conn).await?;
        });
    }
    Ok(answers)
}

/// The standings of these people's registrations for the event (those who have one).
async fn standings_of(
    tx: &mut Tx<'_>,
    event_id: i64,
    people: &[i64],
) -> StoreResult<std::collections::HashMap<i64, Standing>> {
    let mut found = std::collections::HashMap::new();
    for chunk in people.chunks(crate::platform::db::ROWS_PER_STATEMENT) {
        let sql = tx.positional(format!(
            "SELECT person_id, status, CAST(waitlist_position AS BIGINT) FROM registrations
             WHERE event_id = $1 AND person_id IN ({})",
            crate::platform::db::value_list(2, chunk.len())
        ));
        let rows: Vec<(i64, String, Option<i64>)> = on_tx!(tx, conn => {
            let mut q = sqlx::query_as(&sql).bind(event_id);
            for p in chunk {
                q = q.bind(*p);
            }
            q.fetch_all(conn).await?
        });
        for (person, status, position) in rows {
            found.insert(person, Standing::from_row(&status, position)?);
        }
    }
    Ok(found)
}

/// The places taken in person and the last waiting-list position.
async fn places_taken(tx: &mut Tx<'_>, event_id: i64) -> StoreResult<(i64, i64)> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM registrations r
                      WHERE r.event_id = $1 AND r.status = 'confirmed' AND r.attendance = 'in_person'),
                    (SELECT CAST(COALESCE(MAX(r.waitlist_position), 0) AS BIGINT) FROM registrations r
                      WHERE r.event_id = $1)",
        )
        .bind(event_id)
        .fetch_one(conn)
        .await?
    }))
}

/// The in-person places each Member State's delegation uses (live in-person
/// registrations of people of that State: awaiting approval, confirmed or
/// waiting), against the event's quota. People without a Member State (EU bodies,
/// international organisations) are not counted against any quota.
struct Delegations {
    quota: i64,
    /// The Member State of each person registering.
    state_of: std::collections::HashMap<i64, String>,
    used: std::collections::HashMap<String, i64>,
}

impl Delegations {
    async fn read(tx: &mut Tx<'_>, event_id: i64, people: &[i64], quota: i64) -> StoreResult<Self> {
        let used: Vec<(String, i64)> = on_tx!(tx, conn => {
            sqlx::query_as(
                "SELECT o.member_state, COUNT(*) FROM registrations r JOIN people o ON o.id = r.person_id
                 WHERE r.event_id = $1 AND r.attendance = 'in_person'
                   AND r.status IN ('pending', 'confirmed', 'waitlisted')
                   AND o.member_state IS NOT NULL
                 GROUP BY o.member_state",
            )
            .bind(event_id)
            .fetch_all(conn)
            .await?
        });
        let mut state_of = std::collections::HashMap::new();
        for chunk in people.chunks(crate::platform::db::ROWS_PER_STATEMENT) {
            let sql = tx.positional(format!(
                "SELECT id, member_state FROM people WHERE member_state IS NOT NULL AND id IN ({})",
                crate::platform::db::value_list(1, chunk.len())
            ));
            let rows: Vec<(i64, String)> = on_tx!(tx, conn => {
                let mut q = sqlx::query_as(&sql);
                for p in chunk {
                    q = q.bind(*p);
                }
                q.fetch_all(conn).await?
            });
            state_of.extend(rows);
        }
        Ok(Self {
            quota,
            state_of,
            used: used.into_iter().collect(),
        })
    }

    /// Takes one of the person's delegation's places, or refuses: the delegation
    /// has used its quota.
    fn take(&mut self, person: i64) -> StoreResult<()> {
        let Some(code) = self.state_of.get(&person) else {
            return Ok(());
        };
        let used = self.used.entry(code.clone()).or_default();
        if *used >= self.quota {
            return Err(StoreError::Conflict(format!(
                "The delegation of {} has used its {} in person; online attendance is still possible where the event offers it.",
                crate::domain::MemberState::name_of(Some(code)),
                crate::ui::count(self.quota, "place", "places"),
            )));
        }
        *used += 1;
        Ok(())
    }
}

/// The rules of an event's registration that the store enforces.
#[derive(Debug, Clone)]
pub struct Rules {
    pub capacity: Option<i64>,
    pub delegation_quota: Option<i64>,
    pub moderated: bool,
}

/// The event's registration rules (read under its lock by the writers).
pub async fn rules(tx: &mut Tx<'_>, event_id: i64) -> StoreResult<Rules> {
    let (capacity, delegation_quota, moderated): (Option<i64>, Option<i64>, bool) = on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT CAST(capacity AS BIGINT), CAST(delegation_quota AS BIGINT), moderated
             FROM events WHERE id = $1",
        )
        .bind(event_id)
        .fetch_one(conn)
        .await?
    });
    Ok(Rules {
        capacity,
        delegation_quota,
        moderated,
    })
}

/// Where a new place goes: confirmed while in-person places remain (online ones
/// have no limit), else last on the waiting list.
async fn place(
    tx: &mut Tx<'_>,
    rules: &Rules,
    event_id: i64,
    online: bool,
) -> StoreResult<Standing> {
    let (confirmed, last) = places_taken(tx, event_id).await?;
    Ok(if online || rules.capacity.is_none_or(|c| confirmed < c) {
        Standing::Confirmed
    } else {
        Standing::Waitlisted(last + 1)
    })
}

/// Why a registration was refused that the form should name at a field.
pub const QUOTA_FIELD: &str = "attendance";

/// An organiser approves a registration awaiting approval: it takes a place or
/// joins the waiting list as a registration would. None when it was not awaiting.
pub async fn approve(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<Standing>> {
    lock_event(tx, event_id).await?;
    let attendance: Option<String> = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "SELECT attendance FROM registrations
             WHERE event_id = $1 AND person_id = $2 AND status = 'pending'",
        )
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(conn)
        .await?
    });
    let Some(attendance) = attendance else {
        return Ok(None);
    };
    let rules = rules(tx, event_id).await?;
    let standing = place(tx, &rules, event_id, attendance == "online").await?;
    let (status, position) = standing.to_row();
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE registrations SET status = $3, waitlist_position = $4, updated_at = $5
             WHERE event_id = $1 AND person_id = $2",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(status)
        .bind(position)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(Some(standing))
}

/// An organiser declines a registration awaiting approval, with a message for the
/// person; false when it was not awaiting approval.
pub async fn reject(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    message: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    lock_event(tx, event_id).await?;
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE registrations SET status = 'rejected', decision_message = $3, updated_at = $4
             WHERE event_id = $1 AND person_id = $2 AND status = 'pending'",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(message)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// An organiser gives a waiting person a place out of turn: the event gains one
/// in-person place for them (so capacity still bounds the confirmed), and the
/// waiting list closes up. False when the person was not waiting.
pub async fn give_place(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    lock_event(tx, event_id).await?;
    let position: Option<i64> = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "SELECT CAST(waitlist_position AS BIGINT) FROM registrations
             WHERE event_id = $1 AND person_id = $2 AND status = 'waitlisted'",
        )
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(conn)
        .await?
    });
    let Some(position) = position else {
        return Ok(false);
    };
    on_tx!(tx, conn => {
        sqlx::query("UPDATE events SET capacity = capacity + 1 WHERE id = $1 AND capacity IS NOT NULL")
            .bind(event_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "UPDATE registrations SET status = 'confirmed', waitlist_position = NULL, updated_at = $3
             WHERE event_id = $1 AND person_id = $2",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    close_up(tx, event_id, position).await?;
    Ok(true)
}

/// Changes what a live registration says about the person (not how they attend,
/// which decides their place: for that they cancel and register again).
pub async fn update_details(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    dietary: &str,
    accessibility: &str,
    list_consent: bool,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE registrations SET dietary = $3, accessibility = $4, list_consent = $5, updated_at = $6
             WHERE event_id = $1 AND person_id = $2 AND status IN ('pending', 'confirmed', 'waitlisted')",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(dietary)
        .bind(accessibility)
        .bind(list_consent)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// Sets who may register without an invitation and whether registrations wait
/// for approval (the caller holds the event's lock).
pub async fn set_rules(
    tx: &mut Tx<'_>,
    event_id: i64,
    open_to: &str,
    moderated: bool,
) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE events SET open_to = $2, moderated = $3 WHERE id = $1")
            .bind(event_id)
            .bind(open_to)
            .bind(moderated)
            .execute(conn)
            .await?;
    });
    Ok(())
}

/// A live registration's details: (dietary, accessibility, list consent).
pub async fn details(
    store: &crate::platform::Store,
    event_id: i64,
    person_id: i64,
) -> StoreResult<Option<(String, String, bool)>> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT dietary, accessibility, list_consent FROM registrations
             WHERE event_id = $1 AND person_id = $2 AND status IN ('pending', 'confirmed', 'waitlisted')",
        )
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(pool)
        .await?
    }))
}

/// The delegation's places of a Member State in use for an event (live in-person
/// registrations of people of that State), per State, for the seats table.
pub async fn delegation_use(
    store: &crate::platform::Store,
    event_id: i64,
) -> StoreResult<Vec<(String, i64)>> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.member_state, COUNT(*) FROM registrations r JOIN people p ON p.id = r.person_id
             WHERE r.event_id = $1 AND r.attendance = 'in_person'
               AND r.status IN ('pending', 'confirmed', 'waitlisted') AND p.member_state IS NOT NULL
             GROUP BY p.member_state ORDER BY p.member_state",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    }))
}

/// The people one person registered for an event (their delegation): (person,
/// name, email, role, status, position).
pub async fn registered_by(
    store: &crate::platform::Store,
    event_id: i64,
    by: i64,
) -> StoreResult<Vec<(i64, String, String, String, String, Option<i64>)>> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.id, p.full_name, p.email, r.delegation_role, r.status,
                    CAST(r.waitlist_position AS BIGINT)
             FROM registrations r JOIN people p ON p.id = r.person_id
             WHERE r.event_id = $1 AND r.registered_by = $2
             ORDER BY p.full_name, p.id",
        )
        .bind(event_id)
        .bind(by)
        .fetch_all(pool)
        .await?
    }))
}

/// Cancels a person's registration. A freed in-person place goes to the first on
/// the waiting list, and the list closes up; returns the person promoted, if any.
pub async fn cancel(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    lock_event(tx, event_id).await?;
    let row: Option<(String, Option<i64>, String)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT status, CAST(waitlist_position AS BIGINT), attendance FROM registrations
             WHERE event_id = $1 AND person_id = $2",
        )
        .bind(event_id)
        .bind(person_id)
        .fetch_optional(conn)
        .await?
    });
    let Some((status, position, attendance)) = row else {
        return Err(StoreError::NotFound);
    };
    if status == "cancelled" || status == "rejected" {
        return Ok(None);
    }
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE registrations SET status = 'cancelled', waitlist_position = NULL,
                    cancelled_at = $3, updated_at = $3
             WHERE event_id = $1 AND person_id = $2",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(now)
        .execute(conn)
        .await?;
    });
    if let Some(p) = position {
        close_up(tx, event_id, p).await?;
        return Ok(None);
    }
    if status == "confirmed" && attendance == "in_person" {
        return promote_first(tx, event_id, now).await;
    }
    Ok(None)
}

/// Confirms the first on the waiting list when an in-person place is free; returns
/// who was promoted.
pub async fn promote_first(
    tx: &mut Tx<'_>,
    event_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    let (capacity, confirmed): (Option<i64>, i64) = on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT CAST(e.capacity AS BIGINT),
                    (SELECT COUNT(*) FROM registrations r
                      WHERE r.event_id = e.id AND r.status = 'confirmed' AND r.attendance = 'in_person')
             FROM events e WHERE e.id = $1",
        )
        .bind(event_id)
        .fetch_one(conn)
        .await?
    });
    if capacity.is_some_and(|c| confirmed >= c) {
        return Ok(None);
    }
    let first: Option<i64> = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "SELECT person_id FROM registrations
             WHERE event_id = $1 AND waitlist_position = 1",
        )
        .bind(event_id)
        .fetch_optional(conn)
        .await?
    });
    let Some(person) = first else {
        return Ok(None);
    };
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE registrations SET status = 'confirmed', waitlist_position = NULL, updated_at = $3
             WHERE event_id = $1 AND person_id = $2",
        )
        .bind(event_id)
        .bind(person)
        .bind(now)
        .execute(conn)
        .await?;
    });
    close_up(tx, event_id, 1).await?;
    Ok(Some(person))
}

/// Moves everyone after `left` one place up the waiting list. In two steps
/// (through negative numbers) so that no moment holds a position twice.
async fn close_up(tx: &mut Tx<'_>, event_id: i64, left: i64) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE registrations SET waitlist_position = -(waitlist_position - 1)
             WHERE event_id = $1 AND waitlist_position > $2",
        )
        .bind(event_id)
        .bind(left)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE registrations SET waitlist_position = -waitlist_position
             WHERE event_id = $1 AND waitlist_position < 0",
        )
        .bind(event_id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// How an event's registrations stand: (confirmed in person, confirmed online,
/// waiting, awaiting approval).
pub async fn counts(tx: &mut Tx<'_>, event_id: i64) -> StoreResult<(i64, i64, i64, i64)> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT
                (SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed' AND attendance = 'in_person'),
                (SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'confirmed' AND attendance = 'online'),
                (SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'waitlisted'),
                (SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'pending')",
        )
        .bind(event_id)
        .fetch_one(conn)
        .await?
    }))
}

/// A person's registrations, for their export.
pub async fn export_person(
    store: &crate::platform::Store,
    person_id: i64,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    #[derive(sqlx::FromRow, serde::Serialize)]
    struct Row {
        event: String,
        status: String,
        attendance: String,
        dietary: String,
        accessibility: String,
        privacy_version: String,
        list_consent: bool,
        created_at: DateTime<Utc>,
        cancelled_at: Option<DateTime<Utc>>,
    }
    let rows: Vec<Row> = crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title AS event, r.status, r.attendance, r.dietary, r.accessibility,
                    r.privacy_version, r.list_consent, r.created_at, r.cancelled_at
             FROM registrations r JOIN events e ON e.id = r.event_id
             WHERE r.person_id = $1 ORDER BY r.id",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    #[derive(sqlx::FromRow, serde::Serialize)]
    struct Day {
        event: String,
        day: chrono::NaiveDate,
        status: String,
    }
    let days: Vec<Day> = crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT e.title AS event, a.day, a.status FROM attendance_register a
             JOIN events e ON e.id = a.event_id WHERE a.person_id = $1 ORDER BY a.day",
        )
        .bind(person_id)
        .fetch_all(pool)
        .await?
    });
    Ok(vec![
        ("registrations", serde_json::json!(rows)),
        (
            "registration_answers",
            super::questions::store::export_person(store, person_id).await?,
        ),
        ("attendance", serde_json::json!(days)),
    ])
}

/// Erases a person's registrations; a confirmed place they held goes to the
/// waiting list as a cancellation would give it.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    let events: Vec<i64> = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "SELECT event_id FROM registrations WHERE person_id = $1 AND status <> 'cancelled'",
        )
        .bind(e.person_id)
        .fetch_all(conn)
        .await?
    });
    for event in events {
        cancel(tx, event, e.person_id, e.now).await?;
    }
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM registrations WHERE person_id = $1")
            .bind(e.person_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM registration_answers WHERE person_id = $1")
            .bind(e.person_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE registrations SET registered_by = NULL WHERE registered_by = $1")
            .bind(e.person_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM attendance_register WHERE person_id = $1")
            .bind(e.person_id)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE attendance_register SET recorded_by = NULL WHERE recorded_by = $1")
            .bind(e.person_id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// One participant, as the organisers' list and its export show them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRow {
    pub person_id: i64,
    pub full_name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub member_state: Option<String>,
    pub status: String,
    pub waitlist_position: Option<i64>,
    pub attendance: String,
    pub dietary: String,
    pub accessibility: String,
    pub list_consent: bool,
    pub created_at: DateTime<Utc>,
    pub delegation_role: String,
    /// Who registered them, when it was not themselves.
    pub registered_by: Option<String>,
    pub decision_message: String,
    /// Their membership category in the event's network, if any.
    pub category: Option<String>,
}

/// The registrations of an event, all states: those awaiting approval first, then
/// the confirmed by name, the waiting list in order, the rejected and the cancelled.
pub async fn participants(
    store: &crate::platform::Store,
    event_id: i64,
) -> StoreResult<Vec<ParticipantRow>> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.id AS person_id, p.full_name, p.email, o.name AS organisation, p.member_state,
                    r.status, CAST(r.waitlist_position AS BIGINT) AS waitlist_position, r.attendance,
                    r.dietary, r.accessibility, r.list_consent, r.created_at, r.delegation_role,
                    b.full_name AS registered_by, r.decision_message,
                    (SELECT MIN(m.category) FROM memberships m JOIN events e ON e.network_id = m.network_id
                      WHERE e.id = r.event_id AND m.person_id = p.id) AS category
             FROM registrations r
             JOIN people p ON p.id = r.person_id
             LEFT JOIN organisations o ON o.id = p.organisation_id
             LEFT JOIN people b ON b.id = r.registered_by
             WHERE r.event_id = $1
             ORDER BY CASE r.status WHEN 'pending' THEN 0 WHEN 'confirmed' THEN 1
                                    WHEN 'waitlisted' THEN 2 WHEN 'rejected' THEN 3 ELSE 4 END,
                      r.waitlist_position, p.full_name, r.id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    }))
}

/// A person's name and address, for the mail about their registration.
pub async fn person_contact(tx: &mut Tx<'_>, person_id: i64) -> StoreResult<(String, String)> {
    Ok(on_tx!(tx, conn => {
        sqlx::query_as("SELECT full_name, email FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_one(conn)
            .await?
    }))
}

/// One confirmed participant at check-in, with what the register says for the day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CheckInRow {
    pub person_id: i64,
    pub full_name: String,
    pub organisation: Option<String>,
    pub member_state: Option<String>,
    pub attendance: String,
    pub status: Option<String>,
}

/// The confirmed participants of an event whose name contains `query` (any
/// case), by name, with the register's entry for `day`.
pub async fn check_in_list(
    store: &crate::platform::Store,
    event_id: i64,
    day: chrono::NaiveDate,
    query: &str,
) -> StoreResult<Vec<CheckInRow>> {
    let pattern = format!(
        "%{}%",
        crate::platform::db::like_escaped(&query.trim().to_lowercase())
    );
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.id AS person_id, p.full_name, o.name AS organisation, p.member_state,
                    r.attendance, a.status
             FROM registrations r
             JOIN people p ON p.id = r.person_id
             LEFT JOIN organisations o ON o.id = p.organisation_id
             LEFT JOIN attendance_register a
                    ON a.event_id = r.event_id AND a.person_id = r.person_id AND a.day = $2
             WHERE r.event_id = $1 AND r.status = 'confirmed'
               AND lower(p.full_name) LIKE $3 ESCAPE '\\'
             ORDER BY p.full_name, p.id",
        )
        .bind(event_id)
        .bind(day)
        .bind(pattern)
        .fetch_all(pool)
        .await?
    }))
}

/// Records a confirmed participant as present, excused or absent on a day; false
/// when they hold no confirmed place.
pub async fn mark_attendance(
    tx: &mut Tx<'_>,
    event_id: i64,
    person_id: i64,
    day: chrono::NaiveDate,
    status: &str,
    by: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO attendance_register (event_id, person_id, day, status, recorded_by, recorded_at)
             SELECT $1, $2, $3, $4, $5, $6
             WHERE EXISTS (SELECT 1 FROM registrations
                           WHERE event_id = $1 AND person_id = $2 AND status = 'confirmed')
             ON CONFLICT (event_id, person_id, day) DO UPDATE SET
                status = excluded.status, recorded_by = excluded.recorded_by,
                recorded_at = excluded.recorded_at",
        )
        .bind(event_id)
        .bind(person_id)
        .bind(day)
        .bind(status)
        .bind(by)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()
    });
    Ok(done == 1)
}

/// How many were present on a day.
pub async fn present_count(
    store: &crate::platform::Store,
    event_id: i64,
    day: chrono::NaiveDate,
) -> StoreResult<i64> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM attendance_register WHERE event_id = $1 AND day = $2 AND status = 'present'",
        )
        .bind(event_id)
        .bind(day)
        .fetch_one(pool)
        .await?
    }))
}

/// The participant list that participants see: confirmed people who agreed to
/// appear on it, by name: (name, organisation).
pub async fn consented_participants(
    store: &crate::platform::Store,
    event_id: i64,
) -> StoreResult<Vec<(String, Option<String>)>> {
    Ok(crate::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT p.full_name, o.name FROM registrations r
             JOIN people p ON p.id = r.person_id
             LEFT JOIN organisations o ON o.id = p.organisation_id
             WHERE r.event_id = $1 AND r.status = 'confirmed' AND r.list_consent
               AND p.erased_at IS NULL
             ORDER BY p.full_name, p.id",
        )
        .bind(event_id)
        .fetch_all(pool)
        .await?
    }))
}
