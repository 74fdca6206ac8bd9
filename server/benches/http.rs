//! Requests per second and latency of the event and network pages over loopback,
//! against the optimised `convene` binary with the demo data, on SQLite and on
//! PostgreSQL. Run with `cargo bench -p convene --bench http` (or `scripts/bench`).
//!
//! Settings: BENCH_SECONDS (default 10 per page and backend), BENCH_CONNECTIONS
//! (default 8), CONVENE_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432).
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn start(database_url: &str) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_convene"))
        .env("DATABASE_URL", database_url)
        .env("CONVENE_LISTEN", format!("127.0.0.1:{port}"))
        .env("CONVENE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start convene");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "convene did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

struct Outcome {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies_us: Vec<u64>,
}

async fn load(url: String, connections: usize, duration: Duration) -> Outcome {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .unwrap();
    // Warm-up: caches, connection set-up, the first SQLite pages.
    for _ in 0..50 {
        let _ = client
            .get(&url)
            .send()
            .await
            .and_then(|r| r.error_for_status());
    }
    let deadline = Instant::now() + duration;
    let url = Arc::new(url);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let client = client.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(16_384);
            let mut errors = 0;
            while Instant::now() < deadline {
                let t = Instant::now();
                match client
                    .get(url.as_str())
                    .header("accept-encoding", "br")
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed().as_micros() as u64);
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut latencies_us = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (lat, e) = t.await.unwrap();
        latencies_us.extend(lat);
        errors += e;
    }
    let elapsed = started.elapsed();
    latencies_us.sort_unstable();
    Outcome {
        requests: latencies_us.len(),
        errors,
        elapsed,
        latencies_us,
    }
}

fn pct(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn main() {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let connections: usize = std::env::var("BENCH_CONNECTIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let pg_base = std::env::var("CONVENE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let dir = std::env::temp_dir().join(format!("convene_bench_{tag}"));
    let backends = [
        ("sqlite", format!("sqlite://{}/bench.db", dir.display())),
        (
            "postgres",
            format!("{pg_base}/convene_test_bench_{}", &tag[..12]),
        ),
    ];
    // The load generator gets one thread; the server process has the rest.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    println!("{connections} connections, {seconds} s per page, release build, demo data");
    println!(
        "{:<9} {:<8} {:>10} {:>9} {:>9} {:>7}",
        "backend", "page", "req/s", "p50 ms", "p99 ms", "errors"
    );
    for (name, url) in backends {
        if name == "postgres"
            && std::net::TcpStream::connect("127.0.0.1:5432").is_err()
            && pg_base.contains("127.0.0.1:5432")
        {
            println!("postgres  skipped: no server at 127.0.0.1:5432");
            continue;
        }
        let server = start(&url);
        for (page, path) in [
            ("event", "/networks/ejocn/events/first-plenary-meeting"),
            ("network", "/networks/ejocn"),
        ] {
            let o = rt.block_on(load(
                format!("{}{path}", server.base),
                connections,
                Duration::from_secs(seconds),
            ));
            println!(
                "{:<9} {:<8} {:>10.0} {:>9.2} {:>9.2} {:>7}",
                name,
                page,
                o.requests as f64 / o.elapsed.as_secs_f64(),
                pct(&o.latencies_us, 0.50),
                pct(&o.latencies_us, 0.99),
                o.errors
            );
        }
        drop(server);
    }
}
