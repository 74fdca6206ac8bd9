//! Group commit: work that must be applied one at a time per key (the
//! registrations of one event, under its lock) is applied in batches instead of
//! one transaction per request. A request hands its job to the key's queue and
//! waits for its own answer; when no batch of that key is running in this process,
//! a task starts that takes every job waiting at that moment, applies them together
//! (one transaction, one commit), answers each, and goes on while more arrived
//! meanwhile. One request alone is applied at once, as before; a thousand at once
//! cost a handful of commits instead of a thousand. Processes sharing a database
//! each batch their own requests, and the work's own lock orders the batches.
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// The most jobs one batch takes.
pub const MAX_BATCH: usize = 500;

type Waiting<J, R> = Vec<(J, oneshot::Sender<R>)>;
type Queues = HashMap<(TypeId, i64), Box<dyn Any + Send>>;

/// The queues of one server process (in [`super::AppState`], and the store's
/// coalesced reads), by the kind of work and a key such as an event's id. Cheap to
/// clone.
#[derive(Clone, Default)]
pub struct Batches {
    queues: Arc<Mutex<Queues>>,
    /// Batches run on [`runtime`] rather than as tasks of the caller's runtime.
    own_thread: bool,
}

/// The runtime that batches of [`Batches::on_own_thread`] run on, and the
/// connections they use are made on ([`on_runtime`]): one thread with its own
/// reactor. Under a burst, a batch run as a task of the server's runtime was woken
/// by each answer of the database only when a busy worker next turned to the
/// reactor, and then queued behind every request ready on the workers: a handful
/// of milliseconds per statement, on the path every waiting request waits on
/// (a first batch of two registrations took 43 to 72 ms, its statements 10).
pub fn runtime() -> &'static tokio::runtime::Handle {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Handle> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the batches' runtime starts");
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("convene-batches".into())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))
            .expect("the batches' thread starts");
        handle
    })
}

/// Makes something on [`runtime`]: a pool made there opens its connections there,
/// so their answers wake the batches on that thread directly.
pub async fn on_runtime<T: Send + 'static>(make: impl FnOnce() -> T + Send + 'static) -> T {
    runtime()
        .spawn(async move { make() })
        .await
        .expect("making on the batches' runtime")
}

impl std::fmt::Debug for Batches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batches").finish_non_exhaustive()
    }
}

impl Batches {
    /// Queues whose batches run on [`runtime`], the thread of their own.
    pub fn on_own_thread() -> Self {
        Batches {
            own_thread: true,
            ..Default::default()
        }
    }

    /// Hands `job` to the queue of `key` and waits for its answer. `run` applies a
    /// batch (in the order the jobs arrived) and answers each job in that order; the
    /// `run` of whichever request started the batch runs all the batches of that
    /// stretch. `None` when the batch ended without an answer for this job (its
    /// `run` panicked, or answered fewer jobs than it was given).
    pub async fn submit<J, R, F, Fut>(&self, key: i64, job: J, run: F) -> Option<R>
    where
        J: Send + 'static,
        R: Send + 'static,
        F: Fn(i64, Vec<J>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<R>> + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        // The work itself (its function's type) names the queue with the key: two
        // kinds of work never share a queue, whatever their jobs look like.
        let id = (TypeId::of::<F>(), key);
        let lead = {
            let mut queues = self.queues.lock().expect("batch queues");
            match queues.get_mut(&id) {
                Some(queue) => {
                    queue
                        .downcast_mut::<Waiting<J, R>>()
                        .expect("one job type per queue")
                        .push((job, answer));
                    false
                }
                None => {
                    let queue: Waiting<J, R> = vec![(job, answer)];
                    queues.insert(id, Box::new(queue));
                    true
                }
            }
        };
        if lead {
            // A task of its own: the batch goes on even if the request that
            // started it is dropped (its client went away).
            let batch = self.clone().drain::<J, R, F, Fut>(id, run);
            if self.own_thread {
                runtime().spawn(batch);
            } else {
                tokio::spawn(batch);
            }
        }
        answered.await.ok()
    }

    async fn drain<J, R, F, Fut>(self, id: (TypeId, i64), run: F)
    where
        J: Send + 'static,
        R: Send + 'static,
        F: Fn(i64, Vec<J>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<R>> + Send + 'static,
    {
        let mut running = Running {
            batches: &self,
            id,
            finished: false,
            answers: Vec::new(),
        };
        loop {
            let batch: Waiting<J, R> = {
                let mut queues = self.queues.lock().expect("batch queues");
                let queue = queues
                    .get_mut(&id)
                    .and_then(|q| q.downcast_mut::<Waiting<J, R>>())
                    .expect("the queue of a running batch");
                if queue.is_empty() {
                    queues.remove(&id);
                    running.finished = true;
                    return;
                }
                let n = queue.len().min(MAX_BATCH);
                queue.drain(..n).collect()
            };
            let (jobs, answers): (Vec<J>, Vec<oneshot::Sender<R>>) = batch.into_iter().unzip();
            running.answers = answers;
            let results = run(id.1, jobs).await;
            for (answer, result) in std::mem::take(&mut running.answers)
                .into_iter()
                .zip(results)
            {
                // A request that went away no longer waits for its answer.
                let _ = answer.send(result);
            }
        }
    }

    /// How many queues are open (none once every batch is answered).
    #[cfg(test)]
    fn open(&self) -> usize {
        self.queues.lock().expect("batch queues").len()
    }
}

/// Removes a batch's queue when its task ends without finishing (it panicked or
/// was dropped): the jobs still waiting get no answer instead of waiting forever,
/// and the next job starts a new batch. The jobs of the batch that was running are
/// answered (none) after the queue is gone, so that whoever hears it finds it gone.
struct Running<'a, R> {
    batches: &'a Batches,
    id: (TypeId, i64),
    finished: bool,
    answers: Vec<oneshot::Sender<R>>,
}

impl<R> Drop for Running<'_, R> {
    fn drop(&mut self) {
        if !self.finished {
            if let Ok(mut queues) = self.batches.queues.lock() {
                queues.remove(&self.id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    // One thread: the 200 requests are all queued before the first batch runs.
    #[tokio::test]
    async fn concurrent_jobs_are_answered_each_in_fewer_batches_than_jobs() {
        jobs_are_answered_each_in_fewer_batches_than_jobs(Batches::default()).await;
    }

    // The batches on their own thread, which may start the first one while the
    // others are still being handed over.
    #[tokio::test]
    async fn on_their_own_thread_jobs_are_answered_each_in_fewer_batches_than_jobs() {
        jobs_are_answered_each_in_fewer_batches_than_jobs(Batches::on_own_thread()).await;
    }

    async fn jobs_are_answered_each_in_fewer_batches_than_jobs(batches: Batches) {
        // The first batch waits until every job was handed over.
        let (open, gate) = tokio::sync::watch::channel(false);
        let handed = Arc::new(AtomicUsize::new(0));
        let runs = Arc::new(AtomicUsize::new(0));
        let mut waiting = Vec::new();
        for n in 0..200i64 {
            let batches = batches.clone();
            let runs = runs.clone();
            let gate = gate.clone();
            let handed = handed.clone();
            waiting.push(tokio::spawn(async move {
                // Handed over in the same poll as this count (before the first await).
                handed.fetch_add(1, Ordering::SeqCst);
                batches
                    .submit(7, n, move |key, jobs: Vec<i64>| {
                        let runs = runs.clone();
                        let mut gate = gate.clone();
                        async move {
                            runs.fetch_add(1, Ordering::SeqCst);
                            gate.wait_for(|open| *open).await.expect("the gate");
                            jobs.into_iter().map(|j| j * 10 + key).collect::<Vec<_>>()
                        }
                    })
                    .await
            }));
        }
        while handed.load(Ordering::SeqCst) < 200 {
            tokio::task::yield_now().await;
        }
        open.send_replace(true);
        for (n, w) in waiting.into_iter().enumerate() {
            assert_eq!(
                w.await.unwrap(),
                Some(n as i64 * 10 + 7),
                "each job gets its own answer"
            );
        }
        let runs = runs.load(Ordering::SeqCst);
        // The first batch, and the one of every job that came while it waited.
        assert!((1..=2).contains(&runs), "200 jobs in {runs} batches");
        assert_eq!(batches.open(), 0, "no queue is left behind");
    }

    #[tokio::test]
    async fn a_batch_that_panics_answers_none_and_the_next_job_runs() {
        a_panic_answers_none_and_the_next_job_runs(Batches::default()).await;
    }

    #[tokio::test]
    async fn on_their_own_thread_a_batch_that_panics_answers_none_and_the_next_job_runs() {
        a_panic_answers_none_and_the_next_job_runs(Batches::on_own_thread()).await;
    }

    async fn a_panic_answers_none_and_the_next_job_runs(batches: Batches) {
        let lost = batches
            .submit(1, 1i64, |_, _: Vec<i64>| async {
                panic!("a bug in a batch") as Vec<i64>
            })
            .await;
        assert_eq!(lost, None);
        assert_eq!(batches.open(), 0);
        let next = batches
            .submit(1, 2i64, |_, jobs: Vec<i64>| async move { jobs })
            .await;
        assert_eq!(next, Some(2));
    }
}
