//! The `convene` binary itself: configuration errors, CLI subcommands, shutdown.
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn convene(args: &[&str], database_url: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("CONVENE_LOG", "warn")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run convene")
}

fn assert_refused_with_one_sentence(out: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail: {stderr}");
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    assert!(!stderr.contains("panicked"), "no panic: {stderr}");
    assert!(
        !stderr.contains("stack backtrace"),
        "no backtrace: {stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
}

#[test]
fn an_unknown_database_scheme_stops_start_up_with_one_sentence() {
    let out = convene(&["migrate"], "mysql://root@127.0.0.1/convene");
    assert_refused_with_one_sentence(&out, "scheme \"mysql\" is not supported");
}

#[test]
fn a_malformed_postgres_url_stops_start_up_with_one_sentence() {
    let out = convene(
        &["migrate"],
        "postgres://postgres@127.0.0.1:notaport/convene",
    );
    assert_refused_with_one_sentence(&out, "not a valid PostgreSQL URL");
}

#[test]
fn an_unreachable_postgres_server_stops_start_up_with_one_sentence() {
    // Port 9 (discard) is closed on loopback here: the connection is refused at once.
    let out = convene(&["serve"], "postgres://postgres:secret@127.0.0.1:9/convene");
    assert_refused_with_one_sentence(&out, "Cannot reach PostgreSQL at 127.0.0.1:9");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("secret"),
        "password leaked"
    );
}

#[test]
fn migrate_seed_demo_and_backup_work_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("convene_cli_{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}/nested/convene.db", dir.display());
    let out = convene(&["migrate"], &url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.join("nested/convene.db").exists(),
        "the folder and file are created"
    );
    for _ in 0..2 {
        let out = convene(&["seed-demo"], &url);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let backup = dir.join("backup.db");
    let out = convene(&["backup", backup.to_str().unwrap()], &url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Wrote a consistent copy"));
    // The copy is a working database: the binary can migrate and serve it.
    let out = convene(&["migrate"], &format!("sqlite://{}", backup.display()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = std::env::temp_dir().join(format!("convene_sig_{}", uuid::Uuid::new_v4().simple()));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_convene"))
        .env("DATABASE_URL", format!("sqlite://{}/c.db", dir.display()))
        .env("CONVENE_LISTEN", format!("127.0.0.1:{port}"))
        .env("CONVENE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let stopped = Instant::now();
    loop {
        if let Some(code) = child.try_wait().unwrap() {
            assert!(code.success(), "exit status {code:?}");
            break;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "server ignored SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn send_test_mail_reports_acceptance_by_the_smtp_server() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let dir = std::env::temp_dir().join(format!("convene_mail_{}", uuid::Uuid::new_v4().simple()));
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["send-test-mail", "--to", "operator@example.eu"])
        .env("DATABASE_URL", format!("sqlite://{}/c.db", dir.display()))
        .env("SMTP_URL", sink.url())
        .env("MAIL_FROM", "Convene <convene@example.eu>")
        .env("CONVENE_LOG", "warn")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Accepted by the SMTP server"), "{stdout}");
    assert_eq!(sink.count(), 1);
    assert_eq!(
        sink.received()[0].header("Subject").unwrap(),
        "Convene test message"
    );
}

#[test]
fn a_bad_smtp_url_stops_start_up_with_one_sentence() {
    let out = Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["serve"])
        .env("SMTP_URL", "http://mail.example.eu")
        .env("DATABASE_URL", "sqlite:///tmp/never-created/c.db")
        .output()
        .unwrap();
    assert_refused_with_one_sentence(&out, "SMTP_URL must start with smtp://");
}

#[test]
fn bad_security_settings_stop_start_up_with_one_sentence() {
    for (var, value, needle) in [
        (
            "CONVENE_PUBLIC_URL",
            "convene.example.eu",
            "CONVENE_PUBLIC_URL \"convene.example.eu\" is not a URL",
        ),
        (
            "CONVENE_PUBLIC_URL",
            "ftp://convene.example.eu",
            "must start with https://",
        ),
        (
            "CONVENE_SESSION_IDLE_MINUTES",
            "0",
            "CONVENE_SESSION_IDLE_MINUTES \"0\" is not a number of minutes",
        ),
        (
            "CONVENE_SESSION_IDLE_MINUTES",
            "an hour",
            "is not a number of minutes",
        ),
        (
            "CONVENE_SESSION_MAX_HOURS",
            "0",
            "CONVENE_SESSION_MAX_HOURS \"0\" is not a number of hours",
        ),
        (
            "CONVENE_TRUSTED_PROXIES",
            "127.0.0.1, proxy.local",
            "CONVENE_TRUSTED_PROXIES: \"proxy.local\" is not an IP address",
        ),
        // Reachable from elsewhere, Convene must be told its public address: it
        // never builds links or trusts origins from what a request claims.
        (
            "CONVENE_LISTEN",
            "0.0.0.0:3000",
            "not a loopback address, but CONVENE_PUBLIC_URL is not set",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_convene"))
            .args(["serve"])
            .env(var, value)
            .env("DATABASE_URL", "sqlite:///tmp/never-created/c.db")
            .output()
            .unwrap();
        assert_refused_with_one_sentence(&out, needle);
    }
}

/// Kills the server (SIGKILL) in the middle of a batch and restarts it: every
/// message arrives, and at most the ones in flight at the kill arrive twice, with
/// the same Message-ID so the receiving server can drop them.
async fn kill_and_restart(database_url: String) {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    sink.set_delay(Duration::from_millis(15));
    // Fill the outbox before the first start.
    let url = app::platform::db::DatabaseUrl::parse(&database_url).unwrap();
    let store = app::platform::Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let mails: Vec<_> = (0..120)
        .map(|i| crate::mail::mail(&format!("kill{i}"), &format!("p{i}@b.eu"), None))
        .collect();
    crate::mail::enqueue_all(&store, &mails).await;
    let start = || {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Command::new(env!("CARGO_BIN_EXE_convene"))
            .env("DATABASE_URL", &database_url)
            .env("CONVENE_LISTEN", format!("127.0.0.1:{port}"))
            .env("SMTP_URL", sink.url())
            .env("MAIL_CONCURRENCY", "4")
            .env("MAIL_LEASE_SECONDS", "2")
            .env("CONVENE_DEMO", "off")
            .env("CONVENE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut first = start();
    let t = Instant::now();
    while sink.count() < 30 {
        assert!(t.elapsed() < Duration::from_secs(60), "no delivery started");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    let at_kill = sink.count();
    assert!(at_kill < 120, "killed before the end");
    let mut second = start();
    let t = Instant::now();
    loop {
        let pending = app::platform::mail::outbox::list(&store, None, None, 1000, 0)
            .await
            .unwrap()
            .iter()
            .filter(|r| r.status != "sent")
            .count();
        if pending == 0 {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "{pending} messages never delivered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status();
    second.wait().unwrap();
    let got = sink.received();
    let mut ids: Vec<_> = got
        .iter()
        .map(|r| r.header("Message-ID").unwrap())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 120, "every message arrived");
    let duplicates = got.len() - ids.len();
    assert!(
        duplicates <= 4,
        "{duplicates} duplicates: more than the 4 in flight at the kill"
    );
    store.close().await;
}

#[tokio::test]
async fn sqlite_a_killed_server_loses_nothing_and_duplicates_at_most_what_was_in_flight() {
    let dir = std::env::temp_dir().join(format!("convene_kill_{}", uuid::Uuid::new_v4().simple()));
    kill_and_restart(format!("sqlite://{}/c.db", dir.display())).await;
}

#[tokio::test]
async fn postgres_a_killed_server_loses_nothing_and_duplicates_at_most_what_was_in_flight() {
    let Some((url, _)) = crate::helpers::fresh_database(crate::helpers::Kind::Postgres).await
    else {
        return;
    };
    let app::platform::db::DatabaseUrl::Postgres(raw) = url else {
        unreachable!()
    };
    kill_and_restart(raw).await;
}

/// Runs `convene create-admin …` with `stdin` on standard input.
fn create_admin(args: &[&str], database_url: &str, stdin: &str) -> std::process::Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_convene"))
        .arg("create-admin")
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("CONVENE_LOG", "warn")
        .env_remove("SMTP_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run convene");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn create_admin_bootstraps_a_fresh_deployment_that_can_sign_in() {
    let dir = std::env::temp_dir().join(format!("convene_admin_{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}/c.db", dir.display());
    let weak = create_admin(
        &[
            "--name",
            "Ana Admin",
            "--email",
            "ana@secretariat.example",
            "--password-stdin",
        ],
        &url,
        "password1234\n",
    );
    assert_refused_with_one_sentence(&weak, "The password:");
    let out = create_admin(
        &[
            "--name",
            "Ana Admin",
            "--email",
            "ana@secretariat.example",
            "--password-stdin",
        ],
        &url,
        "river stone lantern 58\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout)
        .contains("Secretariat account for Ana Admin <ana@secretariat.example> is ready"));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .env("DATABASE_URL", &url)
        .env("CONVENE_LISTEN", format!("127.0.0.1:{port}"))
        .env("CONVENE_DEMO", "off")
        .env("CONVENE_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let res = client
        .post(format!("{base}/api/sign_in"))
        .header("origin", &base)
        .header("accept", "text/html")
        .form(&[
            ("email", "ana@secretariat.example"),
            ("password", "river stone lantern 58"),
        ])
        .send()
        .await
        .unwrap();
    let session = crate::helpers::session_cookie(&res).expect("signed in");
    let admin = client
        .get(format!("{base}/admin"))
        .header("cookie", format!("convene_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        admin.status().as_u16(),
        200,
        "the new account is the secretariat"
    );
    let _ = child.kill().await;
}

#[test]
fn create_admin_without_smtp_prints_the_password_link() {
    let dir = std::env::temp_dir().join(format!("convene_admin_{}", uuid::Uuid::new_v4().simple()));
    let url = format!("sqlite://{}/c.db", dir.display());
    let out = create_admin(
        &["--name", "Bo Admin", "--email", "bo@secretariat.example"],
        &url,
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("No SMTP server is configured"), "{stdout}");
    assert!(
        stdout.contains("http://127.0.0.1:3000/account/password?token="),
        "{stdout}"
    );
    let bad = create_admin(
        &["--name", "Bo Admin", "--email", "not-an-address"],
        &url,
        "",
    );
    assert_refused_with_one_sentence(&bad, "--email:");
}

/// Two server processes on one PostgreSQL database run queued jobs: every job is
/// done exactly once (each link job queues one message, so a job done twice would
/// leave two).
#[tokio::test]
async fn postgres_two_processes_do_every_job_exactly_once() {
    use app::accounts::links::link_job;
    use app::platform::auth::TokenPurpose;
    let Some((url, _)) = crate::helpers::fresh_database(crate::helpers::Kind::Postgres).await
    else {
        return;
    };
    let app::platform::db::DatabaseUrl::Postgres(raw) = url.clone() else {
        unreachable!()
    };
    let store = app::platform::Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    convene_server::demo::seed(&store, crate::helpers::test_clock().now())
        .await
        .unwrap();
    let accounts = [
        crate::helpers::SECRETARIAT,
        crate::helpers::CHAIR,
        crate::helpers::MEMBER,
        crate::helpers::PARTNER,
        crate::helpers::OBSERVER,
    ];
    const JOBS: usize = 150;
    let now = app::platform::Clock::System.now();
    let mut tx = store.begin().await.unwrap();
    for i in 0..JOBS {
        let email = app::domain::EmailAddress::parse(accounts[i % accounts.len()]).unwrap();
        app::platform::jobs::enqueue(
            &mut tx,
            &link_job(&email, TokenPurpose::SignIn, None, now),
            now,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let start = || {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Command::new(env!("CARGO_BIN_EXE_convene"))
            .env("DATABASE_URL", &raw)
            .env("CONVENE_LISTEN", format!("127.0.0.1:{port}"))
            .env("CONVENE_DEMO", "off")
            .env("CONVENE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (start(), start());
    let t = Instant::now();
    while app::platform::jobs::pending(&store).await.unwrap() > 0 {
        assert!(t.elapsed() < Duration::from_secs(60), "jobs never finished");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for child in [&mut a, &mut b] {
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        child.wait().unwrap();
    }
    let (done, mails): (i64, i64) = app::on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM jobs WHERE status = 'done'),
                    (SELECT COUNT(*) FROM mail_outbox WHERE kind = 'sign_in_link')",
        )
        .fetch_one(pool)
        .await
        .unwrap()
    });
    assert_eq!(done, JOBS as i64, "every job done");
    assert_eq!(mails, JOBS as i64, "and each once");
    store.close().await;
}
