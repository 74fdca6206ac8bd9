#![allow(dead_code)]
//! Fixtures: a fresh database per test on either backend, and the real server on port 0.
use app::platform::db::DatabaseUrl;
use app::platform::{Clock, Store};
use chrono::{TimeZone, Utc};
use convene_server::config::Config;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The PostgreSQL server tests use; each test creates its own database on it.
pub fn postgres_base() -> String {
    std::env::var("CONVENE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// The demo accounts (see `convene_server::demo`), all with the demo password.
pub use convene_server::demo::DEMO_PASSWORD;
pub const SECRETARIAT: &str = "femke.visser@eurojust.demo.example";
pub const CHAIR: &str = "aoife.byrne@ejocn.demo.example";
pub const MEMBER: &str = "katharina.becker@ejocn.demo.example";
pub const PARTNER: &str = "henrik.maas@europol.demo.example";
pub const OBSERVER: &str = "isabelle.laurent@commission.demo.example";

/// "Now" for tests: between the past demo events and the upcoming plenary.
pub fn test_clock() -> Clock {
    Clock::Fixed(Utc.with_ymd_and_hms(2026, 6, 1, 10, 0, 0).unwrap())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// A database URL for a fresh database, or `None` when PostgreSQL is not reachable
/// outside CI (in CI that is a failure, never a skip).
pub async fn fresh_database(kind: Kind) -> Option<(DatabaseUrl, Option<PathBuf>)> {
    match kind {
        Kind::Sqlite => {
            let dir = std::env::temp_dir().join(unique("convene_test"));
            let path = dir.join("convene.db");
            Some((DatabaseUrl::Sqlite(path), Some(dir)))
        }
        Kind::Postgres => {
            let base = postgres_base();
            let url = format!("{base}/{}", unique("convene_test"));
            let parsed = DatabaseUrl::parse(&url).expect("test PostgreSQL URL");
            let reachable = tokio::net::TcpStream::connect(
                url::Url::parse(&base)
                    .ok()
                    .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port().unwrap_or(5432))))
                    .unwrap_or_default(),
            )
            .await
            .is_ok();
            if !reachable {
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("PostgreSQL at {base} is not reachable, and CI=true requires the PostgreSQL suite");
                }
                eprintln!("!!! PostgreSQL at {base} is not reachable: the PostgreSQL variant of this test was SKIPPED !!!");
                return None;
            }
            Some((parsed, None))
        }
    }
}

/// A migrated store on a fresh database.
pub struct TestStore {
    pub store: Store,
    pub kind: Kind,
    /// Where the database is: a second `Store::connect` to it is a second process.
    pub url: DatabaseUrl,
    dir: Option<PathBuf>,
}

impl TestStore {
    pub async fn start(kind: Kind) -> Option<Self> {
        let (url, dir) = fresh_database(kind).await?;
        let store = Store::connect(&url)
            .await
            .expect("connect to the test database");
        store.migrate().await.expect("migrate the test database");
        Some(TestStore {
            store,
            kind,
            url,
            dir,
        })
    }

    pub async fn with_demo(kind: Kind) -> Option<Self> {
        let s = Self::start(kind).await?;
        convene_server::demo::seed(&s.store, test_clock().now())
            .await
            .expect("seed demo data");
        Some(s)
    }

    pub fn sqlite_dir(&self) -> Option<&PathBuf> {
        self.dir.as_ref()
    }
}

/// The real server, with the demo data, listening on a free port.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub kind: Kind,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestApp {
    pub async fn start(kind: Kind) -> Option<Self> {
        Self::start_with(kind, Default::default()).await
    }

    pub async fn start_with(
        kind: Kind,
        security: app::platform::auth::SecuritySettings,
    ) -> Option<Self> {
        // Server logs in the test output: warnings and errors (with their cause) by
        // default, more with CONVENE_TEST_LOG=debug.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(
                std::env::var("CONVENE_TEST_LOG").unwrap_or_else(|_| "warn,sqlx=error".into()),
            )
            .try_init();
        let (database_url, _dir) = fresh_database(kind).await?;
        let config = Config {
            database_url,
            listen: "127.0.0.1:0".parse().unwrap(),
            site_root: PathBuf::from("target/site"),
            demo_on_first_start: true,
            // The tests start from an empty spring plenary and register there.
            demo_registrations: false,
            mail: app::platform::mail::MailSettings::from_env().expect("mail settings"),
            security,
            // The tests write through the pool (behind the server's back) and ask
            // at once: the server reads the version numbers for each request, so
            // such a write shows at the very next one. Listening is tested with
            // two `convene serve` processes (pagecache.rs).
            listen_for_changes: false,
        };
        let prepared = convene_server::prepare(&config, test_clock())
            .await
            .expect("server prepared");
        let addr = prepared.addr;
        let store = prepared.store.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(convene_server::serve(prepared, async {
            let _ = rx.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Some(TestApp {
            addr,
            base: format!("http://{addr}"),
            client,
            store,
            kind,
            shutdown: Some(tx),
        })
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request reaches the server")
    }

    /// GET with a session cookie (None: anonymous).
    pub async fn get_as(&self, path: &str, session: Option<&str>) -> reqwest::Response {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(s) = session {
            req = req.header("cookie", format!("convene_session={s}"));
        }
        req.send().await.expect("request reaches the server")
    }

    /// POSTs a form the way a browser does from one of the site's own pages: with
    /// `Origin`, `Accept: text/html`, and the session cookie when given.
    pub async fn form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        session: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .header("referer", format!("{}/", self.base))
            .header("accept", "text/html,application/xhtml+xml")
            .form(fields);
        if let Some(s) = session {
            req = req.header("cookie", format!("convene_session={s}"));
        }
        req.send().await.expect("request reaches the server")
    }

    /// Signs in with a password and returns the new session cookie's value.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let res = self
            .form(
                "/api/sign_in",
                &[("email", email), ("password", password)],
                None,
            )
            .await;
        session_cookie(&res).unwrap_or_else(|| {
            panic!(
                "signing in as {email} set no session cookie ({})",
                res.status()
            )
        })
    }

    /// Signs in as a demo account.
    pub async fn demo(&self, email: &str) -> String {
        self.sign_in(email, DEMO_PASSWORD).await
    }

    /// Waits until the background jobs queued so far (such as sending a requested
    /// link) are done: the server's runner does them at once when woken.
    pub async fn settle(&self) {
        for _ in 0..500 {
            if app::platform::jobs::pending(&self.store).await.unwrap() == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("background jobs still pending after 5 seconds");
    }

    /// The page a browser lands on after a form post: follows the redirect with the
    /// session (if any) and the form's round-trip cookie, as a browser would.
    pub async fn landing(&self, res: &reqwest::Response, session: Option<&str>) -> String {
        let mut cookies = Vec::new();
        if let Some(s) = session {
            cookies.push(format!("convene_session={s}"));
        }
        if let Some((v, _)) = set_cookie(res, "convene_form") {
            cookies.push(format!("convene_form={v}"));
        }
        let to = location(res);
        assert!(!to.is_empty(), "a redirect ({})", res.status());
        let to = to.split('#').next().unwrap_or_default().to_owned();
        let mut req = self.client.get(format!("{}{to}", self.base));
        if !cookies.is_empty() {
            req = req.header("cookie", cookies.join("; "));
        }
        req.send().await.unwrap().text().await.unwrap()
    }

    /// What a refused form brings back (the values, the errors by field, the
    /// notice), as the server keeps it for the page: its stored JSON.
    pub async fn returned_form(&self, res: &reqwest::Response) -> String {
        let (value, _) = set_cookie(res, "convene_form")
            .unwrap_or_else(|| panic!("the form comes back with a message: {:?}", res.headers()));
        let (_, secret) = value.split_once('.').expect("form.id");
        let hash = app::platform::auth::hash_secret(secret);
        app::on_pool!(self.store, pool => {
            sqlx::query_scalar::<_, String>("SELECT payload FROM form_returns WHERE id_hash = $1")
                .bind(&hash).fetch_one(pool).await.unwrap()
        })
    }

    /// One number from the database.
    pub async fn scalar(&self, sql: &str) -> i64 {
        app::on_pool!(self.store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
    }

    /// The id of the person with this address (any case).
    pub async fn person_id(&self, email: &str) -> i64 {
        app::on_pool!(self.store, pool => {
            sqlx::query_scalar::<_, i64>("SELECT id FROM people WHERE lower(email) = lower($1)")
                .bind(email).fetch_one(pool).await.unwrap()
        })
    }

    /// The id of the event with this web address name.
    pub async fn event_id(&self, slug: &str) -> i64 {
        app::on_pool!(self.store, pool => {
            sqlx::query_scalar::<_, i64>("SELECT id FROM events WHERE slug = $1")
                .bind(slug).fetch_one(pool).await.unwrap()
        })
    }

    /// GET a page and return its status and body.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.expect("body"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Writes each test once and runs it on both backends: `sqlite::name` and
/// `postgres::name`, so the runner's output says which backend ran what.
#[macro_export]
macro_rules! on_both_backends {
    ($fixture:ty; $(async fn $name:ident($arg:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let $arg = <$fixture>::start($crate::helpers::Kind::Sqlite).await.expect("SQLite fixture");
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let Some($arg) = <$fixture>::start($crate::helpers::Kind::Postgres).await else { return };
                    $body
                }
            )*
        }
    };
}

/// A migrated store holding the demo data.
pub struct DemoStore(pub TestStore);

impl DemoStore {
    pub async fn start(kind: Kind) -> Option<Self> {
        TestStore::with_demo(kind).await.map(DemoStore)
    }
}

impl std::ops::Deref for DemoStore {
    type Target = TestStore;
    fn deref(&self) -> &TestStore {
        &self.0
    }
}

/// Where a response redirects to (empty when it does not).
pub fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// The value of the `convene_session` cookie a response sets, if any (empty when it
/// clears it).
pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    set_cookie(res, "convene_session").map(|(v, _)| v)
}

/// A cookie a response sets: (value, the whole header).
pub fn set_cookie(res: &reqwest::Response, name: &str) -> Option<(String, String)> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| {
            let (pair, _) = h.split_once(';').unwrap_or((h, ""));
            let (k, v) = pair.split_once('=')?;
            (k.trim() == name).then(|| (v.to_owned(), h.to_owned()))
        })
}

/// The server as deployed behind HTTPS: `CONVENE_PUBLIC_URL=https://convene.example.eu`.
pub struct HttpsApp(pub TestApp);

pub const PUBLIC_URL: &str = "https://convene.example.eu";

impl HttpsApp {
    pub async fn start(kind: Kind) -> Option<Self> {
        let security = app::platform::auth::SecuritySettings {
            public_url: Some(url::Url::parse(PUBLIC_URL).unwrap()),
            ..Default::default()
        };
        TestApp::start_with(kind, security).await.map(HttpsApp)
    }
}

impl std::ops::Deref for HttpsApp {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.0
    }
}

/// The server behind a reverse proxy on loopback: `CONVENE_TRUSTED_PROXIES=127.0.0.1`.
pub struct ProxiedApp(pub TestApp);

impl ProxiedApp {
    pub async fn start(kind: Kind) -> Option<Self> {
        let security = app::platform::auth::SecuritySettings {
            trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
            ..Default::default()
        };
        TestApp::start_with(kind, security).await.map(ProxiedApp)
    }
}

impl std::ops::Deref for ProxiedApp {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.0
    }
}

/// A personal guest link for the person with `email` and `event_id` (all actions,
/// valid 30 days), as invitations will issue them; returns the token.
pub async fn guest_link(app: &TestApp, email: &str, event_id: i64) -> String {
    use app::platform::guests::{issue_link, GuestAction};
    let person: i64 = app::on_pool!(app.store, pool => {
        sqlx::query_scalar("SELECT id FROM people WHERE lower(email) = lower($1)")
            .bind(email).fetch_one(pool).await.unwrap()
    });
    let mut tx = app.store.begin().await.unwrap();
    let token = issue_link(
        &mut tx,
        person,
        event_id,
        &GuestAction::ALL,
        chrono::Duration::days(30),
        test_clock().now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    token
}

/// Starts `convene serve` on `database_url` on a free port; its base URL.
pub fn serve(database_url: &str) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("CONVENE_LISTEN", format!("127.0.0.1:{port}"))
        .env("CONVENE_DEMO", "base")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("CONVENE_LOG", "warn")
        .env_remove("SMTP_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run convene");
    (child, format!("http://127.0.0.1:{port}"))
}

/// Waits until the server at `base` answers its health check.
pub async fn up(client: &reqwest::Client, base: &str) {
    let t = std::time::Instant::now();
    while !client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .is_ok_and(|r| r.status().as_u16() == 200)
    {
        assert!(
            t.elapsed() < std::time::Duration::from_secs(60),
            "{base} did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Stops a server [`serve`] started: SIGTERM, then waits for it.
pub fn stop(child: &mut std::process::Child) {
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// Two `convene serve` processes sharing one fresh PostgreSQL database (the first
/// seeds the demo; the second starts on it), with a client that follows no
/// redirect; both stopped when dropped, a failed test's too. None when PostgreSQL
/// is not reachable outside CI.
pub struct TwoServers {
    pub a: String,
    pub b: String,
    pub client: reqwest::Client,
    pub database_url: String,
    children: Vec<std::process::Child>,
}

impl TwoServers {
    pub async fn start() -> Option<Self> {
        let (url, _) = fresh_database(Kind::Postgres).await?;
        let app::platform::db::DatabaseUrl::Postgres(database_url) = url else {
            unreachable!()
        };
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let (first, a) = serve(&database_url);
        let mut two = TwoServers {
            a,
            b: String::new(),
            client,
            database_url,
            children: vec![first],
        };
        up(&two.client, &two.a).await;
        let (second, b) = serve(&two.database_url);
        two.children.push(second);
        two.b = b;
        up(&two.client, &two.b).await;
        Some(two)
    }

    /// Signs in through the first; the session cookie's value.
    pub async fn sign_in(&self, email: &str) -> String {
        let res = self
            .client
            .post(format!("{}/api/sign_in", self.a))
            .header("origin", &self.a)
            .form(&[("email", email), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        session_cookie(&res).expect("signed in through the first server")
    }
}

impl Drop for TwoServers {
    fn drop(&mut self) {
        for child in &mut self.children {
            stop(child);
        }
    }
}
