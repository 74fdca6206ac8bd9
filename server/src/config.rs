//! Configuration from environment variables, with defaults that need no set-up.
use app::platform::auth::SecuritySettings;
use app::platform::db::{DatabaseUrl, DEFAULT_DATABASE_URL};
use app::platform::mail::MailSettings;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub listen: SocketAddr,
    /// Where cargo-leptos put the compiled site (`pkg/`, favicon).
    pub site_root: PathBuf,
    /// Fill an empty database with the demo networks and events on start.
    pub demo_on_first_start: bool,
    /// With the demo, the spring 2027 plenary's invitations and registrations
    /// (`CONVENE_DEMO=base` leaves them out: the browser tests start from there).
    pub demo_registrations: bool,
    pub mail: MailSettings,
    /// `CONVENE_PUBLIC_URL`, `CONVENE_SESSION_IDLE_MINUTES`.
    pub security: SecuritySettings,
    /// On PostgreSQL, learn of other processes' changes as they commit (LISTEN,
    /// see `app::platform::versions`) instead of reading the numbers for each
    /// request. Always for `convene serve`; the in-process tests turn it off,
    /// since they write behind the server's back and ask at once.
    pub listen_for_changes: bool,
}

impl std::fmt::Debug for Config {
    // DatabaseUrl's Debug hides the password; the rest holds no secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &self.database_url)
            .field("listen", &self.listen)
            .field("site_root", &self.site_root)
            .field("demo_on_first_start", &self.demo_on_first_start)
            .field("demo_registrations", &self.demo_registrations)
            .field("mail", &self.mail)
            .field("security", &self.security)
            .field("listen_for_changes", &self.listen_for_changes)
            .finish()
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    /// Reads `DATABASE_URL`, `CONVENE_LISTEN` (or cargo-leptos's `LEPTOS_SITE_ADDR`),
    /// `LEPTOS_SITE_ROOT` and `CONVENE_DEMO`. Errors are one sentence.
    pub fn from_env() -> Result<Self, String> {
        let database_url = DatabaseUrl::parse(
            &var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
        )?;
        let listen_raw = var("CONVENE_LISTEN")
            .or_else(|| var("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let listen = listen_raw.parse().map_err(|_| {
            format!(
                "CONVENE_LISTEN {listen_raw:?} is not an address and port such as 127.0.0.1:3000."
            )
        })?;
        let site_root =
            PathBuf::from(var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()));
        let (demo_on_first_start, demo_registrations) = match var("CONVENE_DEMO").as_deref() {
            None | Some("1" | "true" | "on" | "yes") => (true, true),
            Some("base") => (true, false),
            Some("0" | "false" | "off" | "no") => (false, false),
            Some(other) => return Err(format!("CONVENE_DEMO {other:?} is not on, base or off.")),
        };
        let security = security_from_env()?;
        security.check_exposure(listen)?;
        Ok(Config {
            database_url,
            listen,
            site_root,
            demo_on_first_start,
            demo_registrations,
            mail: MailSettings::from_env()?,
            security,
            listen_for_changes: true,
        })
    }
}

/// `CONVENE_PUBLIC_URL` (http or https, no path), `CONVENE_SESSION_IDLE_MINUTES`,
/// `CONVENE_SESSION_MAX_HOURS`, `CONVENE_TRUSTED_PROXIES`.
fn security_from_env() -> Result<SecuritySettings, String> {
    let public_url = match var("CONVENE_PUBLIC_URL") {
        None => None,
        Some(raw) => {
            let url = url::Url::parse(&raw).map_err(|_| {
                format!(
                    "CONVENE_PUBLIC_URL {raw:?} is not a URL such as https://convene.example.eu."
                )
            })?;
            if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
                return Err(format!(
                    "CONVENE_PUBLIC_URL {raw:?} must start with https:// (or http:// for a test) and name a host."
                ));
            }
            Some(url)
        }
    };
    let session_idle = match var("CONVENE_SESSION_IDLE_MINUTES") {
        None => chrono::Duration::minutes(60),
        Some(raw) => match raw.parse::<i64>() {
            Ok(m) if (1..=60 * 24 * 30).contains(&m) => chrono::Duration::minutes(m),
            _ => {
                return Err(format!(
                    "CONVENE_SESSION_IDLE_MINUTES {raw:?} is not a number of minutes between 1 and 43200."
                ))
            }
        },
    };
    let session_max = match var("CONVENE_SESSION_MAX_HOURS") {
        None => chrono::Duration::hours(12),
        Some(raw) => match raw.parse::<i64>() {
            Ok(h) if (1..=24 * 90).contains(&h) => chrono::Duration::hours(h),
            _ => {
                return Err(format!(
                    "CONVENE_SESSION_MAX_HOURS {raw:?} is not a number of hours between 1 and 2160."
                ))
            }
        },
    };
    let trusted_proxies = match var("CONVENE_TRUSTED_PROXIES") {
        None => Vec::new(),
        Some(raw) => raw
            .split(',')
            .map(|a| {
                a.trim().parse().map_err(|_| {
                    format!("CONVENE_TRUSTED_PROXIES: {:?} is not an IP address (list them separated by commas).", a.trim())
                })
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(SecuritySettings {
        public_url,
        session_idle,
        session_max,
        trusted_proxies,
        listen: None,
    })
}
