//! Mail: messages written once and rendered as text and HTML, a durable outbox
//! written in the same transaction as the change that causes it, and a worker that
//! delivers it over SMTP with retries.
pub mod outbox;
pub mod template;
pub mod worker;

use chrono::Duration;
use lettre::message::Mailbox;

pub use outbox::{enqueue, NewMail};
pub use template::{Block, Email, Rendered};
pub use worker::{Mailer, StepReport};

/// A secret that never shows in logs or debug output.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("(hidden)")
    }
}

#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `SMTP_URL`; `None` keeps mail queued and readable in the mail log.
    pub smtp_url: Option<Secret>,
    pub from: Mailbox,
    /// How many messages are sent at once (`MAIL_CONCURRENCY`).
    pub concurrency: usize,
    /// At most this many messages a second (`MAIL_MAX_PER_SECOND`), for relays that throttle.
    pub max_per_second: Option<f64>,
    /// Attempts before a message is marked failed (`MAIL_MAX_ATTEMPTS`).
    pub max_attempts: i32,
    /// First retry delay; doubled each attempt up to `retry_cap` (`MAIL_RETRY_SECONDS`).
    pub retry_base: Duration,
    pub retry_cap: Duration,
    /// How long a claim holds before another worker may take the row (`MAIL_LEASE_SECONDS`).
    pub lease: Duration,
    /// How often an idle worker looks at the queue.
    pub poll: std::time::Duration,
}

impl MailSettings {
    /// The delay before attempt `attempts + 1`: base × 2^(attempts−1), capped.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let factor = 2i32.saturating_pow(attempts.clamp(1, 20) as u32 - 1);
        let delay = self.retry_base * factor;
        if delay > self.retry_cap {
            self.retry_cap
        } else {
            delay
        }
    }

    /// The domain part of the sender, used for Message-IDs.
    pub fn message_id_domain(&self) -> String {
        self.from.email.domain().to_owned()
    }

    /// Reads `SMTP_URL`, `MAIL_FROM`, `MAIL_CONCURRENCY`, `MAIL_MAX_PER_SECOND`,
    /// `MAIL_MAX_ATTEMPTS`, `MAIL_RETRY_SECONDS`, `MAIL_LEASE_SECONDS`. Errors are one
    /// sentence.
    pub fn from_env() -> Result<Self, String> {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
        fn number<T: std::str::FromStr>(
            name: &str,
            raw: Option<String>,
            default: T,
        ) -> Result<T, String> {
            match raw {
                None => Ok(default),
                Some(r) => r
                    .trim()
                    .parse()
                    .map_err(|_| format!("{name} {r:?} is not a number.")),
            }
        }
        let from_raw =
            var("MAIL_FROM").unwrap_or_else(|| "Convene <convene@localhost.localdomain>".into());
        let from: Mailbox = from_raw
            .parse()
            .map_err(|e| format!("MAIL_FROM {from_raw:?} is not an address such as \"Convene <convene@example.eu>\" ({e})."))?;
        let smtp_url = var("SMTP_URL").map(Secret::new);
        if let Some(url) = &smtp_url {
            let scheme_ok =
                url.expose().starts_with("smtp://") || url.expose().starts_with("smtps://");
            if !scheme_ok {
                return Err("SMTP_URL must start with smtp:// or smtps://, as in smtp://127.0.0.1:2525 or smtps://user:password@mail.example.eu.".into());
            }
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url.expose())
                .map_err(|e| format!("SMTP_URL is not usable ({e}): use smtp://HOST:PORT, smtps://USER:PASSWORD@HOST or smtp://HOST:587?tls=required."))?;
        }
        let concurrency: usize = number("MAIL_CONCURRENCY", var("MAIL_CONCURRENCY"), 8)?;
        let max_per_second: Option<f64> = match var("MAIL_MAX_PER_SECOND") {
            None => None,
            Some(r) => Some(
                r.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| *v > 0.0)
                    .ok_or_else(|| {
                        format!("MAIL_MAX_PER_SECOND {r:?} is not a positive number.")
                    })?,
            ),
        };
        Ok(MailSettings {
            smtp_url,
            from,
            concurrency: concurrency.clamp(1, 64),
            max_per_second,
            max_attempts: number("MAIL_MAX_ATTEMPTS", var("MAIL_MAX_ATTEMPTS"), 8)?,
            retry_base: Duration::seconds(number(
                "MAIL_RETRY_SECONDS",
                var("MAIL_RETRY_SECONDS"),
                30,
            )?),
            retry_cap: Duration::hours(6),
            lease: Duration::seconds(number(
                "MAIL_LEASE_SECONDS",
                var("MAIL_LEASE_SECONDS"),
                120,
            )?),
            poll: std::time::Duration::from_millis(500),
        })
    }
}
