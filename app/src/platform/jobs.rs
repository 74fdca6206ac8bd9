//! Work that runs later or in the background (sending a requested link now;
//! reminders, waiting-list promotions and report sending later): one durable table
//! beside the outbox, claimed with a lease like the outbox's rows, and done exactly
//! once across every server process. A job's effects, and the row that marks it
//! done, commit in one transaction, and only while the claim is still the runner's
//! own: a runner whose lease ran out (it stalled or died) cannot commit after
//! another runner took the job over.
use super::auth::SecuritySettings;
use super::db::{Backend, Store, StoreResult, Tx};
use super::Clock;
use crate::{on_pool, on_tx};
use chrono::{DateTime, Duration, Utc};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{watch, Notify};

/// What a job handler may use besides its transaction.
#[derive(Clone, Debug)]
pub struct JobContext {
    pub clock: Clock,
    pub security: SecuritySettings,
    /// The domain of Message-IDs for mail the job queues.
    pub message_id_domain: String,
}

/// A handler: does the job's work inside `tx`. An error is retried with backoff.
pub type Handler = for<'a> fn(
    &'a JobContext,
    &'a mut Tx<'static>,
    &'a serde_json::Value,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: serde_json::Value,
    pub person_id: Option<i64>,
    /// At most one job with this key is ever queued.
    pub dedupe_key: Option<String>,
    pub due_at: DateTime<Utc>,
}

/// Queues a job inside the caller's transaction: it exists exactly when the change
/// that asks for it does. None when the dedupe key was already there.
pub async fn enqueue(
    tx: &mut Tx<'_>,
    job: &NewJob,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    let payload = job.payload.to_string();
    Ok(on_tx!(tx, conn => {
        sqlx::query_scalar(
            "INSERT INTO jobs (kind, payload, person_id, dedupe_key, status, due_at, attempts, created_at)
             VALUES ($1, $2, $3, $4, 'queued', $5, 0, $6)
             ON CONFLICT (dedupe_key) DO NOTHING
             RETURNING id",
        )
        .bind(job.kind)
        .bind(&payload)
        .bind(job.person_id)
        .bind(job.dedupe_key.as_deref())
        .bind(job.due_at)
        .bind(now)
        .fetch_optional(conn)
        .await?
    }))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// Counts claims too, so (id, attempts) names this claim.
    pub attempts: i32,
}

/// What one step of the runner did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct JobReport {
    pub claimed: usize,
    pub done: usize,
    pub retried: usize,
    pub failed: usize,
    /// Claims lost to another runner (the lease ran out first).
    pub lost: usize,
}

/// Runs due jobs; one per server process, woken when a job is queued.
#[derive(Clone)]
pub struct Runner {
    store: Store,
    context: Arc<JobContext>,
    handlers: &'static [(&'static str, Handler)],
    wake: Arc<Notify>,
    pub lease: Duration,
    pub max_attempts: i32,
    pub poll: std::time::Duration,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("lease", &self.lease)
            .finish()
    }
}

impl Runner {
    pub fn new(
        store: Store,
        context: JobContext,
        handlers: &'static [(&'static str, Handler)],
    ) -> Self {
        Runner {
            store,
            context: Arc::new(context),
            handlers,
            wake: Arc::new(Notify::new()),
            lease: Duration::seconds(120),
            max_attempts: 8,
            poll: std::time::Duration::from_millis(500),
        }
    }

    /// Lets the runner look at the table now instead of at its next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Claims up to `limit` due jobs (or jobs whose runner's lease ran out).
    async fn claim(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<JobRow>> {
        let lock = match self.store.backend() {
            Backend::Sqlite(_) => "",
            Backend::Postgres(_) => " FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', locked_until = $1, attempts = attempts + 1
             WHERE id IN (SELECT id FROM jobs
                          WHERE (status = 'queued' AND due_at <= $2)
                             OR (status = 'running' AND locked_until <= $2)
                          ORDER BY due_at, id LIMIT $3{lock})
             RETURNING id, kind, payload, attempts"
        );
        let mut rows: Vec<JobRow> = on_pool!(self.store, pool => {
            sqlx::query_as(&sql)
                .bind(now + self.lease)
                .bind(now)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        rows.sort_by_key(|r| r.id);
        Ok(rows)
    }

    /// One step: claims due jobs and runs each in its own transaction. Public so
    /// tests can drive it.
    pub async fn run_once(&self) -> anyhow::Result<JobReport> {
        let now = self.context.clock.now();
        super::mail::outbox::forget_expired_secrets(&self.store, now).await?;
        super::forms::forget_expired(&self.store, now).await?;
        let rows = self.claim(now, 16).await?;
        let mut report = JobReport {
            claimed: rows.len(),
            ..Default::default()
        };
        for row in rows {
            match self.run_job(&row).await {
                Ok(true) => report.done += 1,
                Ok(false) => report.lost += 1,
                Err(e) => {
                    let now = self.context.clock.now();
                    let retry = row.attempts < self.max_attempts;
                    tracing::warn!(job = row.id, kind = %row.kind, attempt = row.attempts, error = format!("{e:#}"), retry, "job failed");
                    let error: String = format!("{e:#}").chars().take(2000).collect();
                    let backoff =
                        Duration::seconds(30 * 2i64.pow(row.attempts.clamp(1, 12) as u32 - 1));
                    let sql = if retry {
                        "UPDATE jobs SET status = 'queued', due_at = $2, locked_until = NULL, last_error = $3
                         WHERE id = $1 AND status = 'running' AND attempts = $4"
                    } else {
                        "UPDATE jobs SET status = 'failed', locked_until = NULL, last_error = $3, payload = '{}'
                         WHERE id = $1 AND status = 'running' AND attempts = $4"
                    };
                    on_pool!(self.store, pool => {
                        sqlx::query(sql)
                            .bind(row.id)
                            .bind(now + backoff)
                            .bind(&error)
                            .bind(row.attempts)
                            .execute(pool)
                            .await?;
                    });
                    if retry {
                        report.retried += 1;
                    } else {
                        report.failed += 1;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Runs one claimed job: its handler and the "done" mark in one transaction,
    /// committed only if the claim is still ours. Ok(false): another runner took
    /// it over, nothing was committed.
    async fn run_job(&self, row: &JobRow) -> anyhow::Result<bool> {
        let handler = self
            .handlers
            .iter()
            .find(|(kind, _)| *kind == row.kind)
            .map(|(_, h)| *h)
            .ok_or_else(|| anyhow::anyhow!("no handler for jobs of kind {:?}", row.kind))?;
        let payload: serde_json::Value = serde_json::from_str(&row.payload)?;
        let mut tx = self.store.begin().await?;
        handler(&self.context, &mut tx, &payload).await?;
        let now = self.context.clock.now();
        let ours = on_tx!(&mut tx, conn => {
            sqlx::query(
                "UPDATE jobs SET status = 'done', done_at = $2, locked_until = NULL, payload = '{}', last_error = NULL
                 WHERE id = $1 AND status = 'running' AND attempts = $3",
            )
            .bind(row.id)
            .bind(now)
            .bind(row.attempts)
            .execute(conn)
            .await?
            .rows_affected()
        });
        if ours != 1 {
            tracing::warn!(
                job = row.id,
                "job taken over by another runner; its work is left to it"
            );
            return Ok(false);
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let wake = self.wake.clone();
        let poll = self.poll;
        background_loop("job runner", &wake, poll, shutdown, || async {
            self.run_once().await.map(|r| r.claimed == 0)
        })
        .await;
    }
}

/// The loop of a background worker (the job runner, the mail worker): one step
/// after another while there is work; when a step found none (`Ok(true)`: idle)
/// or failed, waits for a wake-up, the poll interval or shutdown. The step in
/// flight always finishes before the loop ends.
pub async fn background_loop<F, Fut>(
    name: &str,
    wake: &Notify,
    poll: std::time::Duration,
    mut shutdown: watch::Receiver<bool>,
    mut step: F,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<bool>>,
{
    loop {
        if *shutdown.borrow() {
            break;
        }
        let idle = match step().await {
            Ok(idle) => idle,
            Err(e) => {
                tracing::error!(error = format!("{e:#}"), "{name} step failed");
                true
            }
        };
        if idle {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => {}
            }
        }
    }
    tracing::info!("{name} stopped");
}

/// How many jobs are waiting or running (tests wait for zero).
pub async fn pending(store: &Store) -> StoreResult<i64> {
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')")
            .fetch_one(pool)
            .await?
    }))
}

/// Erases the jobs about a person (a done job keeps no payload; a pending one is
/// dropped: it was about someone who no longer is).
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    on_tx!(tx, conn => {
        sqlx::query("DELETE FROM jobs WHERE person_id = $1")
            .bind(e.person_id)
            .execute(conn)
            .await?;
    });
    Ok(())
}
