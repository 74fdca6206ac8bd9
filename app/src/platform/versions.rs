//! What this process knows of the numbers that say whether something it keeps in
//! memory is still true: `content_version` (what the public pages show, see
//! [`super::pagecache`]) and `viewer_version` (who each session's person is and
//! what they may do, see [`super::auth`]). Triggers raise each number in the
//! transaction of every write to a table it covers; whatever was made under a
//! number is used only while the number is the same.
//!
//! How a process learns a new number: on PostgreSQL every process LISTENs for
//! both, which the triggers NOTIFY, so a write through any process reaches every
//! other as it commits (within a millisecond or so: in that window another process
//! may still answer with what it kept). A process reads the numbers itself after
//! each transaction it commits (its own writes show at once, before their
//! notification comes back) and whenever it is not listening: on SQLite, while
//! the listening connection is lost, and where the server was started without
//! listening (the in-process tests, which write behind the server's back and ask
//! at once). A read is one statement for both numbers and for every request that
//! asks at the same moment.
use super::db::{Store, StoreResult};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// One of the numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counter {
    /// `content_version`: what the public pages show.
    Content = 0,
    /// `viewer_version`: what a session's viewer is made of.
    Viewers = 1,
}

/// The channels the triggers NOTIFY on, in [`Counter`]'s order.
const CHANNELS: [&str; 2] = ["convene_content", "convene_viewers"];

struct Known {
    /// The highest number known of each counter, or -1 when it must be read.
    numbers: [AtomicI64; 2],
    /// Whether a PostgreSQL listener is receiving every new number.
    listening: AtomicBool,
    /// Transactions this process has committed.
    commits: AtomicU64,
    /// The value of `commits` when the numbers were last read.
    read_after: AtomicU64,
}

static KNOWN: Known = Known {
    numbers: [AtomicI64::new(-1), AtomicI64::new(-1)],
    listening: AtomicBool::new(false),
    commits: AtomicU64::new(0),
    read_after: AtomicU64::new(0),
};

/// Called by every transaction this process commits: the next request that could
/// be answered from what is kept reads the numbers first, so this process's own
/// writes show at once, before their notification comes back.
pub fn note_commit() {
    KNOWN.commits.fetch_add(1, Ordering::SeqCst);
}

/// The current number of `counter`: what the notifications said, when listening
/// and this process has committed nothing since it last read; otherwise read.
/// Read it before reading what is to be kept under it, so that nothing kept ever
/// claims a newer number than its data.
pub async fn current(store: &Store, counter: Counter) -> StoreResult<i64> {
    let commits = KNOWN.commits.load(Ordering::SeqCst);
    let known = KNOWN.numbers[counter as usize].load(Ordering::SeqCst);
    if KNOWN.listening.load(Ordering::SeqCst)
        && known >= 0
        && KNOWN.read_after.load(Ordering::SeqCst) == commits
    {
        return Ok(known);
    }
    let read = store
        .read_together(0, (), |store, _, asked: Vec<()>| async move {
            let read: StoreResult<(i64, i64)> = async {
                Ok(crate::on_pool!(store, pool => {
                    sqlx::query_as(
                        "SELECT (SELECT n FROM content_version WHERE id = 1),
                                (SELECT n FROM viewer_version WHERE id = 1)",
                    )
                    .fetch_one(pool)
                    .await?
                }))
            }
            .await;
            match read {
                Ok(both) => asked.iter().map(|_| Ok(both)).collect(),
                Err(e) => asked.iter().map(|_| Err(e.shared())).collect(),
            }
        })
        .await?;
    KNOWN.numbers[0].fetch_max(read.0, Ordering::SeqCst);
    KNOWN.numbers[1].fetch_max(read.1, Ordering::SeqCst);
    KNOWN.read_after.fetch_max(commits, Ordering::SeqCst);
    Ok(match counter {
        Counter::Content => read.0,
        Counter::Viewers => read.1,
    })
}

/// Forgets every number known: the next look reads them.
fn forget() {
    for n in &KNOWN.numbers {
        n.store(-1, Ordering::SeqCst);
    }
}

/// On PostgreSQL: receives every new number as its writing transaction commits,
/// in whichever process (LISTEN on both channels), until the store closes. While
/// the connection is lost (and until it listens again) the numbers are read for
/// each request instead. Nothing to do on SQLite.
pub async fn listen(store: Store) {
    let crate::platform::db::Backend::Postgres(pool) = store.backend() else {
        return;
    };
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect_with(pool).await {
            Ok(l) => l,
            Err(sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for changes; reading them instead");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen_all(CHANNELS).await {
            tracing::warn!(error = %e, "LISTEN failed; reading changes instead");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        // Listening from here on: what was written before is read once more.
        forget();
        KNOWN.listening.store(true, Ordering::SeqCst);
        loop {
            match listener.try_recv().await {
                Ok(Some(note)) => {
                    let which = CHANNELS.iter().position(|c| *c == note.channel());
                    if let (Some(i), Ok(n)) = (which, note.payload().parse::<i64>()) {
                        KNOWN.numbers[i].fetch_max(n, Ordering::SeqCst);
                    }
                }
                Ok(None) => {
                    // The connection was lost: notifications may have been missed.
                    KNOWN.listening.store(false, Ordering::SeqCst);
                    forget();
                    tracing::warn!("the listening connection was lost; listening again");
                    break;
                }
                Err(sqlx::Error::PoolClosed) => {
                    KNOWN.listening.store(false, Ordering::SeqCst);
                    return;
                }
                Err(e) => {
                    KNOWN.listening.store(false, Ordering::SeqCst);
                    forget();
                    tracing::warn!(error = %e, "listening failed; listening again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    break;
                }
            }
        }
    }
}
