//! `burst`: the load generator of the registration benchmark (`scripts/bench`).
//!
//! Every line of the links file (`convene seed-bench --burst N --links FILE`) is one
//! invited person with a browser of their own: their own cookie jar, and their own
//! connection. First each opens their personal link as a browser does
//! (`GET /guest/TOKEN`, which keeps the guest cookie and redirects, then the
//! invitation page with the registration form), unmeasured. Then all of them send
//! the registration form at the same moment, as a browser with JavaScript off
//! sends it (`application/x-www-form-urlencoded`, with `Origin` and `Referer`),
//! and each post's time to its answer is measured. A post counts as done when it is
//! answered with the redirect to the invitation page's notice, as a registration
//! is; anything else is an error.
//!
//! With several `--base` URLs (several `convene serve` processes on one database)
//! the people are dealt out to them in turn.
#![forbid(unsafe_code)]

use clap::Parser;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "burst",
    about = "Registers every invitee of a links file at once through the registration form"
)]
struct Args {
    /// The personal links' tokens, one a line.
    #[arg(long, value_name = "FILE")]
    links: PathBuf,
    /// A Convene server, such as http://127.0.0.1:3900; repeat it for several processes.
    #[arg(long = "base", value_name = "URL", required = true)]
    bases: Vec<String>,
}

/// The form's address, as the registration form's `action` names it.
const FORM_ACTION: &str = "/api/register_as_guest";
/// What a browser sends in `Accept` for a page.
const ACCEPT_HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// One browser's cookies for the site: name → value, from `Set-Cookie`.
#[derive(Default)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn absorb(&mut self, res: &reqwest::Response) {
        for header in res.headers().get_all(reqwest::header::SET_COOKIE) {
            let Ok(text) = header.to_str() else { continue };
            let mut parts = text.split(';');
            let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
                continue;
            };
            let expired = parts.any(|a| a.trim().eq_ignore_ascii_case("max-age=0"));
            if expired || value.is_empty() {
                self.0.remove(name.trim());
            } else {
                self.0
                    .insert(name.trim().to_owned(), value.trim().to_owned());
            }
        }
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// An invitee whose browser has their invitation page open.
struct Invitee {
    n: usize,
    client: reqwest::Client,
    base: String,
    jar: Jar,
    event_id: String,
}

fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A browser of its own: no shared connection pool, no redirects followed (the
/// redirect is what is measured and checked).
fn browser() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .pool_max_idle_per_host(1)
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {e}"))
}

/// Opens the personal link and the invitation page it leads to; the page must
/// hold the registration form.
async fn open(n: usize, base: String, token: String) -> Result<Invitee, String> {
    let client = browser()?;
    let mut jar = Jar::default();
    let res = client
        .get(format!("{base}/guest/{token}"))
        .header("accept", ACCEPT_HTML)
        .send()
        .await
        .map_err(|e| format!("person {n}: opening the link: {e}"))?;
    jar.absorb(&res);
    let to = location(&res);
    let event_id = to
        .strip_prefix("/guest/events/")
        .map(str::to_owned)
        .ok_or_else(|| {
            format!(
                "person {n}: the link answered {} without the redirect to an invitation",
                res.status()
            )
        })?;
    let res = client
        .get(format!("{base}{to}"))
        .header("accept", ACCEPT_HTML)
        .header("cookie", jar.header())
        .send()
        .await
        .map_err(|e| format!("person {n}: the invitation page: {e}"))?;
    jar.absorb(&res);
    let status = res.status();
    let page = res
        .text()
        .await
        .map_err(|e| format!("person {n}: reading the invitation page: {e}"))?;
    if !status.is_success() || !page.contains(&format!("action=\"{FORM_ACTION}\"")) {
        return Err(format!(
            "person {n}: the invitation page ({status}) has no registration form"
        ));
    }
    Ok(Invitee {
        n,
        client,
        base,
        jar,
        event_id,
    })
}

/// Sends the registration form; answers the time to the answer and what went
/// wrong, if anything.
async fn register(p: &Invitee) -> (Duration, Result<(), String>) {
    // The fields in the form's order, as a browser sends them: the consent to the
    // participant list is a checkbox that most tick (unticked, it is not sent).
    let mut fields = vec![
        ("event_id", p.event_id.as_str()),
        ("attendance", "in_person"),
        ("dietary", if p.n % 7 == 3 { "Vegetarian" } else { "" }),
        ("accessibility", ""),
        ("privacy", "yes"),
    ];
    if !p.n.is_multiple_of(5) {
        fields.push(("list_consent", "yes"));
    }
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&fields)
        .finish();
    let started = Instant::now();
    let res = p
        .client
        .post(format!("{}{FORM_ACTION}", p.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", ACCEPT_HTML)
        .header("origin", &p.base)
        .header("referer", format!("{}/guest/events/{}", p.base, p.event_id))
        .header("cookie", p.jar.header())
        .body(body)
        .send()
        .await;
    let outcome = match res {
        Err(e) => Err(format!("no answer: {e}")),
        Ok(res) => {
            let status = res.status();
            let to = location(&res);
            // The body, too: the answer is complete only then.
            let _ = res.bytes().await;
            if status.is_redirection() && to.ends_with("#register-notice") {
                Ok(())
            } else {
                Err(format!("{status} to {to:?}"))
            }
        }
    };
    (started.elapsed(), outcome)
}

/// The nearest-rank percentile of sorted durations.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn run(args: Args) -> Result<bool, String> {
    let text = std::fs::read_to_string(&args.links)
        .map_err(|e| format!("cannot read {}: {e}", args.links.display()))?;
    let tokens: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if tokens.is_empty() {
        return Err(format!("{} holds no links", args.links.display()));
    }
    let bases: Vec<String> = args
        .bases
        .iter()
        .map(|b| b.trim_end_matches('/').to_owned())
        .collect();

    // Everyone opens their link and invitation page (not measured).
    let opening = Instant::now();
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(i, token)| {
            let base = bases[i % bases.len()].clone();
            tokio::spawn(open(i + 1, base, token))
        })
        .collect();
    let mut invitees = Vec::with_capacity(tasks.len());
    for t in tasks {
        invitees.push(t.await.map_err(|e| format!("a task failed: {e}"))??);
    }
    let people = invitees.len();
    println!(
        "opened {people} personal links and invitation pages in {:.2} s",
        opening.elapsed().as_secs_f64()
    );

    // Everyone sends the form at the same moment.
    let gate = Arc::new(tokio::sync::Barrier::new(people));
    let tasks: Vec<_> = invitees
        .into_iter()
        .map(|p| {
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.wait().await;
                let at = Instant::now();
                let (took, outcome) = register(&p).await;
                (at, took, outcome)
            })
        })
        .collect();
    let mut first: Option<Instant> = None;
    let mut last: Option<Instant> = None;
    let mut times = Vec::with_capacity(people);
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    for t in tasks {
        let (at, took, outcome) = t.await.map_err(|e| format!("a task failed: {e}"))?;
        first = Some(first.map_or(at, |f| f.min(at)));
        last = Some(last.map_or(at + took, |l| l.max(at + took)));
        times.push(took);
        if let Err(e) = outcome {
            *errors.entry(e).or_default() += 1;
        }
    }
    times.sort();
    let wall = match (first, last) {
        (Some(f), Some(l)) => l - f,
        _ => Duration::ZERO,
    };
    let failed: usize = errors.values().sum();
    println!(
        "{people} registration forms sent at once to {} server process{}: {} answered with the registration's redirect, {failed} errors, all answered in {:.2} s ({:.0} registrations/s)",
        bases.len(),
        if bases.len() == 1 { "" } else { "es" },
        people - failed,
        wall.as_secs_f64(),
        people as f64 / wall.as_secs_f64().max(1e-9),
    );
    println!(
        "latency of a registration post: p50 {}, p99 {}, max {}",
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 99.0)),
        ms(times.last().copied().unwrap_or_default()),
    );
    for (error, count) in errors.iter().take(5) {
        println!("  {count} × {error}");
    }
    // One line for scripts.
    println!(
        "burst count={people} errors={failed} p50_ms={:.1} p99_ms={:.1} max_ms={:.1} wall_s={:.2}",
        percentile(&times, 50.0).as_secs_f64() * 1000.0,
        percentile(&times, 99.0).as_secs_f64() * 1000.0,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        wall.as_secs_f64(),
    );
    Ok(failed == 0)
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("burst: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("burst: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_rank_percentiles_of_a_thousand_are_the_500th_and_990th() {
        let sorted: Vec<Duration> = (1..=1000).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 50.0), Duration::from_millis(500));
        assert_eq!(percentile(&sorted, 99.0), Duration::from_millis(990));
        assert_eq!(percentile(&sorted, 100.0), Duration::from_millis(1000));
        assert_eq!(percentile(&sorted[..1], 99.0), Duration::from_millis(1));
    }
}
