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
}

impl std::fmt::Debug for Batches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batches").finish_non_exhaustive()
    }
}

impl Batches {
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
            tokio::spawn(self.clone().drain::<J, R, F, Fut>(id, run));
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
            let results = run(id.1, jobs).await;
            for (answer, result) in answers.into_iter().zip(results) {
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
/// and the next job starts a new batch.
struct Running<'a> {
    batches: &'a Batches,
    id: (TypeId, i64),
    finished: bool,
}

impl Drop for Running<'_> {
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
        let batches = Batches::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let mut waiting = Vec::new();
        for n in 0..200i64 {
            let batches = batches.clone();
            let runs = runs.clone();
            waiting.push(tokio::spawn(async move {
                batches
                    .submit(7, n, move |key, jobs: Vec<i64>| {
                        let runs = runs.clone();
                        async move {
                            runs.fetch_add(1, Ordering::SeqCst);
                            tokio::task::yield_now().await;
                            jobs.into_iter().map(|j| j * 10 + key).collect::<Vec<_>>()
                        }
                    })
                    .await
            }));
        }
        for (n, w) in waiting.into_iter().enumerate() {
            assert_eq!(
                w.await.unwrap(),
                Some(n as i64 * 10 + 7),
                "each job gets its own answer"
            );
        }
        let runs = runs.load(Ordering::SeqCst);
        assert!((1..200).contains(&runs), "200 jobs in {runs} batches");
        assert_eq!(batches.open(), 0, "no queue is left behind");
    }

    #[tokio::test]
    async fn a_batch_that_panics_answers_none_and_the_next_job_runs() {
        let batches = Batches::default();
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
