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
