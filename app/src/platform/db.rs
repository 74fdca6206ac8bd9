//! One store over two backends. SQL is written once in the dialect SQLite and
//! PostgreSQL share (`$1` placeholders, `RETURNING`, `ON CONFLICT`, times bound from
//! Rust); [`on_pool!`] runs one body on whichever pool is configured.
use anyhow::Context as _;
use sqlx::postgres::PgConnectOptions;
use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, PgPool, SqlitePool};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

/// The database Convene uses when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/convene.db";

#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    /// Two connections of their own for group commits (see [`Store::begin_batch`]),
    /// one of them opened in the background at start, ready for the first batch.
    batches: Backend,
    /// The reads that many requests make at the same moment, made once for all of
    /// them ([`Store::read_together`]).
    reads: super::batch::Batches,
}

/// Runs `$body` with `$pool` bound to the configured pool. The body is compiled once
/// per backend, so it must be valid SQL for both.
#[macro_export]
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store.backend() {
            $crate::platform::db::Backend::Sqlite($pool) => $body,
            $crate::platform::db::Backend::Postgres($pool) => $body,
        }
    };
}
pub use on_pool;

/// A transaction on either backend; see [`on_tx!`].
pub enum Tx<'a> {
    Sqlite(sqlx::Transaction<'a, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'a, sqlx::Postgres>),
}

impl Tx<'_> {
    /// ` FOR UPDATE` on PostgreSQL, nothing on SQLite (whose transactions here
    /// take the write lock at once): appended to a SELECT that locks the rows it
    /// reads until the transaction ends.
    pub fn lock_clause(&self) -> &'static str {
        match self {
            Tx::Sqlite(_) => "",
            Tx::Postgres(_) => " FOR UPDATE",
        }
    }

    /// A statement written with `$1, $2, $3…` numbered in the order they appear
    /// (each once), as this backend takes it best: unchanged on PostgreSQL, with
    /// plain `?` on SQLite, which looks every named or numbered parameter up in a
    /// list when it prepares and binds, so a statement with thousands of them (a
    /// multi-row write) costs quadratic time there.
    pub fn positional(&self, sql: String) -> String {
        match self {
            Tx::Postgres(_) => sql,
            Tx::Sqlite(_) => question_marks(&sql),
        }
    }

    pub async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        super::versions::note_commit();
        Ok(())
    }
}

/// Runs `$body` with `$conn` bound to the transaction's connection.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::platform::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::platform::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
pub use on_tx;

/// `$1, $2, $3…` (numbered in the order they appear, each once) as plain `?`.
fn question_marks(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut expected = 1usize;
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut n = 0usize;
            while let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                n = n * 10 + d as usize;
                chars.next();
            }
            debug_assert_eq!(n, expected, "parameters numbered in order: {sql}");
            expected += 1;
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

/// The connections a store keeps for group commits: a batch per event at a time,
/// two events' batches at once.
const BATCH_CONNECTIONS: u32 = 2;

/// The most rows one multi-row statement writes: far below the parameter limits of
/// both backends (SQLite 32,766, PostgreSQL 65,535) at the widest row (16 columns).
pub const ROWS_PER_STATEMENT: usize = 500;

/// One column of `rows`, for a PostgreSQL array parameter (`UNNEST($1::text[],
/// …)`): a multi-row write with one statement text whatever the number of rows.
pub fn column<'a, R, T>(rows: &'a [R], value: impl FnMut(&'a R) -> T) -> Vec<T> {
    rows.iter().map(value).collect()
}

/// `($1, $2, $3), ($4, $5, $6)`: the placeholders of `rows` rows of `columns`
/// values each, numbered from `$first`, for a multi-row `VALUES` or `IN` list
/// (valid on both backends, as every `$n` in this code base).
pub fn value_rows(first: usize, rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        if row > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for column in 0..columns {
            if column > 0 {
                out.push_str(", ");
            }
            out.push('$');
            out.push_str(&(first + row * columns + column).to_string());
        }
        out.push(')');
    }
    out
}

/// `$2, $3, $4`: `n` placeholders from `$first`, for `IN (…)`.
pub fn value_list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Escapes `%`, `_` and `\\` for a `LIKE … ESCAPE '\\'` pattern.
pub fn like_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What the store reports; features turn it into an [`crate::AppError`].
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl StoreError {
    /// The same error for another request that shared the read that failed.
    pub fn shared(&self) -> StoreError {
        match self {
            StoreError::NotFound => StoreError::NotFound,
            StoreError::Conflict(why) => StoreError::Conflict(why.clone()),
            StoreError::Other(err) => StoreError::Other(anyhow::anyhow!("{err:#}")),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().unwrap_or("unique value").to_owned())
            }
            _ => StoreError::Other(anyhow::Error::new(err)),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A `DATABASE_URL` that was understood.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    /// Never prints a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DatabaseUrl {
    /// Understands `sqlite://PATH`, `sqlite:PATH` and `postgres://…` / `postgresql://…`.
    /// The error is one sentence for an operator.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some(rest) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(
                    "DATABASE_URL names SQLite but no file: use sqlite://data/convene.db or another path."
                        .into(),
                );
            }
            if path == ":memory:" {
                return Err("DATABASE_URL sqlite::memory: would lose everything at exit: name a file instead.".into());
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let parsed = url::Url::parse(raw).map_err(|e| {
                format!("DATABASE_URL is not a valid PostgreSQL URL ({e}): use postgres://USER@HOST:5432/DATABASE.")
            })?;
            if parsed.host_str().unwrap_or_default().is_empty() {
                return Err(
                    "DATABASE_URL has no host: use postgres://USER@HOST:5432/DATABASE.".into(),
                );
            }
            if parsed.path().trim_start_matches('/').is_empty() {
                return Err("DATABASE_URL names no database: add it after the host, as in postgres://postgres@127.0.0.1:5432/convene.".into());
            }
            return Ok(DatabaseUrl::Postgres(raw.to_owned()));
        }
        let scheme = raw.split_once(':').map(|(s, _)| s).unwrap_or(raw);
        Err(format!(
            "DATABASE_URL scheme {scheme:?} is not supported: use sqlite://PATH (the default) or postgres://USER@HOST:PORT/DATABASE."
        ))
    }

    /// The URL with any password replaced, for logs and messages.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(raw) => match url::Url::parse(raw) {
                Ok(mut u) => {
                    if u.password().is_some() {
                        let _ = u.set_password(Some("***"));
                    }
                    u.to_string()
                }
                Err(_) => "postgres://(unparsable)".into(),
            },
        }
    }
}

/// A connection idle longer than this is tested (pinged) before it is handed out.
const TEST_AFTER_IDLE: Duration = Duration::from_secs(1);

/// The settings every pool shares. sqlx tests each connection with a ping before
/// handing it out (and again when it comes back, which cannot be turned off): on
/// PostgreSQL a round trip to the server, on SQLite a hop to the connection's
/// thread and back, for every statement run on a pool. Under load a connection
/// comes back and goes out again within milliseconds, just after its return ping
/// found it alive; only one idle for longer than a second (time enough for the
/// server to restart or a firewall to drop it) is tested first.
fn pool_options<DB: sqlx::Database>(max: u32) -> sqlx::pool::PoolOptions<DB> {
    sqlx::pool::PoolOptions::new()
        .max_connections(max)
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > TEST_AFTER_IDLE {
                    sqlx::Connection::ping(conn).await?;
                }
                Ok(true)
            })
        })
}

impl Store {
    /// Connects, creating what the default set-up needs (the SQLite file and its
    /// folder, or a missing PostgreSQL database on a reachable server). The error is
    /// one sentence an operator can act on.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, String> {
        match url {
            DatabaseUrl::Sqlite(path) => Self::connect_sqlite(path).await,
            DatabaseUrl::Postgres(raw) => Self::connect_postgres(raw).await,
        }
    }

    async fn connect_sqlite(path: &Path) -> Result<Self, String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!(
                    "Cannot create the folder {} for the SQLite database: {e}.",
                    dir.display()
                )
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = pool_options::<sqlx::Sqlite>(8)
            .connect_with(options.clone())
            .await
            .map_err(|e| format!("Cannot open the SQLite database {}: {e}.", path.display()))?;
        let batches = super::batch::on_runtime(move || {
            pool_options::<sqlx::Sqlite>(BATCH_CONNECTIONS)
                .min_connections(1)
                .connect_lazy_with(options)
        })
        .await;
        Ok(Store {
            backend: Backend::Sqlite(pool),
            batches: Backend::Sqlite(batches),
            reads: Default::default(),
        })
    }

    async fn connect_postgres(raw: &str) -> Result<Self, String> {
        let options = PgConnectOptions::from_str(raw)
            .map_err(|e| format!("DATABASE_URL is not a valid PostgreSQL URL: {e}."))?;
        let where_ = format!("{}:{}", options.get_host(), options.get_port());
        let database = options.get_database().unwrap_or("postgres").to_owned();
        // One plain connection first: it fails fast and says why, where a pool would
        // keep retrying until its timeout.
        let probe =
            tokio::time::timeout(Duration::from_secs(5), PgConnection::connect_with(&options))
                .await;
        match probe {
            Ok(Ok(conn)) => {
                let _ = conn.close().await;
            }
            Ok(Err(sqlx::Error::Database(db))) if db.code().as_deref() == Some("3D000") => {
                // The server answers but the database is missing: create it, as the
                // embedded default creates its file.
                let mut admin = PgConnection::connect_with(&options.clone().database("postgres"))
                    .await
                    .map_err(|e| format!("PostgreSQL at {where_} has no database {database:?} and Convene could not connect to create it: {e}."))?;
                let quoted = format!("\"{}\"", database.replace('"', "\"\""));
                sqlx::query(&format!("CREATE DATABASE {quoted}"))
                    .execute(&mut admin)
                    .await
                    .map_err(|e| format!("PostgreSQL at {where_} has no database {database:?} and creating it failed: {e}. Create it with createdb."))?;
                let _ = admin.close().await;
                tracing::info!(%database, "created the PostgreSQL database");
            }
            Ok(Err(sqlx::Error::Io(e))) => {
                return Err(format!(
                    "Cannot reach PostgreSQL at {where_} ({e}): is the server running and DATABASE_URL right?"
                ))
            }
            Ok(Err(e)) => return Err(format!("Cannot connect to PostgreSQL at {where_}: {e}.")),
            Err(_) => {
                return Err(format!(
                    "PostgreSQL at {where_} did not answer within 5 seconds: is the server running and DATABASE_URL right?"
                ))
            }
        }
        // Every statement is prepared once per connection, and PostgreSQL then
        // plans it again for each execution whenever a plan for the values at hand
        // looks cheaper than the general one: the event page's statement, whose
        // reader's standing and report fold away for an anonymous reader, was
        // planned anew every time (a millisecond of the server's CPU each, measured
        // 30 November 2026: the page answered 790-1,150 requests a second instead
        // of 1,550-1,860). Convene's statements are short lookups by key, which one
        // general plan serves.
        let options = options.options([("plan_cache_mode", "force_generic_plan")]);
        let pool = pool_options::<sqlx::Postgres>(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.clone())
            .await
            .map_err(|e| format!("Cannot connect to PostgreSQL at {where_}: {e}."))?;
        // Made on the batches' thread, whose reactor its connections then use.
        let batches = super::batch::on_runtime(move || {
            pool_options::<sqlx::Postgres>(BATCH_CONNECTIONS)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(5))
                .connect_lazy_with(options)
        })
        .await;
        Ok(Store {
            backend: Backend::Postgres(pool),
            batches: Backend::Postgres(batches),
            reads: Default::default(),
        })
    }

    /// Starts a transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so two writers wait for each other instead of failing.
    pub async fn begin(&self) -> StoreResult<Tx<'static>> {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A transaction for reading several statements at one moment: on SQLite a
    /// deferred one (it takes no write lock), on PostgreSQL a plain one.
    pub async fn begin_read(&self) -> StoreResult<Tx<'static>> {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN").await?),
            Backend::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A transaction on the connections kept for group commits
    /// ([`super::batch`]): a batch never waits behind the requests queued for the
    /// shared pool. With a thousand registrations at once, that wait was most of a
    /// batch's time, and every request waited for the batch.
    pub async fn begin_batch(&self) -> StoreResult<Tx<'static>> {
        Ok(match &self.batches {
            Backend::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Makes one read for the requests that ask for it at the same moment: `read`
    /// gets the key and the jobs of everyone waiting (in the order they came) and answers each
    /// in that order, with one statement for all instead of one each. A read
    /// starts only after every job in it was handed over, so each request sees
    /// the database as it was when it asked, or later; never older. One request
    /// alone is read at once. With a thousand registrations posted at once, the
    /// database work per request was most of their latency on PostgreSQL.
    pub async fn read_together<J, R, F, Fut>(&self, key: i64, job: J, read: F) -> StoreResult<R>
    where
        J: Send + 'static,
        R: Send + 'static,
        F: Fn(Store, i64, Vec<J>) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Vec<StoreResult<R>>> + Send + 'static,
    {
        let store = self.clone();
        self.reads
            .submit(key, job, move |key, jobs| read(store.clone(), key, jobs))
            .await
            .unwrap_or_else(|| {
                Err(StoreError::Other(anyhow::anyhow!(
                    "a read made together ended without an answer"
                )))
            })
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Applies the migrations of this backend that have not run yet. Before the
    /// migration that makes addresses unique regardless of case, people whose
    /// addresses differ only in case are named, and nothing is changed: merging two
    /// people is a decision for the secretariat, not for a migration.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        self.refuse_case_clashes().await?;
        match &self.backend {
            Backend::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite")
                .run(pool)
                .await
                .context("migrating the SQLite database")?,
            Backend::Postgres(pool) => sqlx::migrate!("../migrations/postgres")
                .run(pool)
                .await
                .context("migrating the PostgreSQL database")?,
        }
        Ok(())
    }

    async fn refuse_case_clashes(&self) -> anyhow::Result<()> {
        // (migration, what, table, column): the migration makes `column` unique
        // regardless of case.
        const CHECKS: [(i64, &str, &str, &str); 2] = [
            (4, "people share an address", "people", "email"),
            (5, "organisations share a name", "organisations", "name"),
        ];
        let applied: Vec<i64> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(pool)
                .await
                .unwrap_or_default()
        });
        // A fresh database has nothing to clash yet.
        if applied.is_empty() {
            return Ok(());
        }
        let mut problems = Vec::new();
        for (version, what, table, column) in CHECKS {
            if applied.contains(&version) {
                continue;
            }
            let sql = format!(
                "SELECT lower({column}), id FROM {table}
                 WHERE lower({column}) IN (SELECT lower({column}) FROM {table} GROUP BY lower({column}) HAVING COUNT(*) > 1)
                 ORDER BY lower({column}), id"
            );
            let clashes: Vec<(String, i64)> = on_pool!(self, pool => {
                sqlx::query_as(&sql)
                    .fetch_all(pool)
                    .await
                    .with_context(|| format!("looking for {table} whose {column} differs only in case"))?
            });
            let mut groups: Vec<(String, Vec<i64>)> = Vec::new();
            for (value, id) in clashes {
                match groups.last_mut() {
                    Some((v, ids)) if *v == value => ids.push(id),
                    _ => groups.push((value, vec![id])),
                }
            }
            for (value, ids) in groups {
                let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
                problems.push(format!("{what}: {value} ({table} {})", ids.join(", ")));
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        anyhow::bail!(
            "addresses and organisation names must now be unique regardless of case, and {}. Correct one of each (or erase the duplicate person) with the previous version of Convene, then start this one again; nothing was changed",
            problems.join("; ")
        )
    }

    /// Whether the database answers a trivial query; used by `/healthz`.
    pub async fn ping(&self) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(pool).await?;
        });
        Ok(())
    }

    /// Writes a consistent copy of a live SQLite database to `target` (which must not
    /// exist). PostgreSQL is backed up with its own tools.
    pub async fn backup_to(&self, target: &Path) -> anyhow::Result<()> {
        match &self.backend {
            Backend::Sqlite(pool) => {
                anyhow::ensure!(
                    !target.exists(),
                    "{} already exists; choose a new file",
                    target.display()
                );
                let target = target
                    .to_str()
                    .context("the backup path is not valid UTF-8")?;
                sqlx::query("VACUUM INTO $1")
                    .bind(target)
                    .execute(pool)
                    .await
                    .context("writing the SQLite backup")?;
                Ok(())
            }
            Backend::Postgres(_) => anyhow::bail!(
                "convene backup copies SQLite databases; for PostgreSQL use pg_dump (see README)"
            ),
        }
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
        match &self.batches {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }

    /// Reads a value from the key/value `settings` table.
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// The value of `key`, stored as `value` first when there is none.
    pub async fn setting_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        Ok(on_pool!(self, pool => {
            sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
                .bind(key)
                .bind(value)
                .execute(pool)
                .await?;
            sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_one(pool)
                .await?
        }))
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_placeholders_are_numbered_in_order_and_plain_on_sqlite() {
        assert_eq!(value_rows(2, 2, 3), "($2, $3, $4), ($5, $6, $7)");
        assert_eq!(value_list(5, 3), "$5, $6, $7");
        let sql = format!("SELECT 1 WHERE a = $1 AND b IN ({})", value_list(2, 11));
        assert_eq!(
            question_marks(&sql),
            format!("SELECT 1 WHERE a = ? AND b IN ({})", ["?"; 11].join(", "))
        );
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(like_escaped("a_b%c\\d@x.eu"), "a\\_b\\%c\\\\d@x.eu");
    }

    #[test]
    fn sqlite_urls_name_a_file() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/convene.db").unwrap(),
            DatabaseUrl::Sqlite("data/convene.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:/var/lib/convene/c.db?mode=rwc").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/convene/c.db".into())
        );
    }

    #[test]
    fn an_unknown_scheme_is_refused_with_the_supported_ones_named() {
        let err = DatabaseUrl::parse("mysql://root@localhost/convene").unwrap_err();
        assert!(
            err.contains("\"mysql\"") && err.contains("postgres://"),
            "{err}"
        );
    }

    #[test]
    fn a_postgres_url_without_database_is_refused() {
        assert!(DatabaseUrl::parse("postgres://postgres@127.0.0.1:5432").is_err());
        assert!(DatabaseUrl::parse("postgres://postgres@127.0.0.1:5432/convene").is_ok());
    }

    #[test]
    fn passwords_never_appear_in_debug_output() {
        let url = DatabaseUrl::parse("postgres://convene:s3cret@db.example.eu/convene").unwrap();
        let shown = format!("{url:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("***"));
    }
}

/// Stored enums are read and written as their codes, here and nowhere else: a row
/// decodes straight into `EventRole`, `MembershipCategory`, …, and a code the
/// program does not know is an error that names the value (never a silent skip).
macro_rules! stored_enums {
    ($($t:ty),* $(,)?) => {$(
        impl<DB: sqlx::Database> sqlx::Type<DB> for $t
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $t
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <&str as sqlx::Decode<DB>>::decode(value)?;
                <$t>::parse(code).map_err(|_| {
                    format!("unknown stored {} {code:?}", stringify!($t)).into()
                })
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $t
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, DB>>::encode_by_ref(&self.as_str(), buf)
            }
        }
    )*};
}

stored_enums!(
    crate::domain::MembershipCategory,
    crate::domain::EventKind,
    crate::domain::EventStatus,
    crate::domain::EventRole,
    crate::domain::OrganisationKind,
    crate::domain::MailStatus,
);
