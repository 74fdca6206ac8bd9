//! Delivery: claims due rows, sends them with lettre over SMTP, records each
//! attempt. Several processes may run workers on one database.
use super::outbox::{self, OutboxRow};
use super::template::one_line;
use super::MailSettings;
use crate::platform::{Clock, Store};
use futures::StreamExt as _;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration as StdDuration;
use tokio::sync::{watch, Mutex, Notify};

/// `Auto-Submitted: auto-generated` (RFC 3834): tells mail servers not to answer
/// with out-of-office replies.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".into())
    }
}

/// Builds the message as the recipient will receive it.
pub fn build_message(
    row: &OutboxRow,
    attachments: Vec<outbox::MailAttachment>,
    from: &Mailbox,
) -> Result<Message, String> {
    let address = row
        .recipient_email
        .parse()
        .map_err(|e| format!("invalid recipient address: {e}"))?;
    let to = Mailbox::new(row.recipient_name.as_deref().map(one_line), address);
    // A personal link's token is put in only now, and only into this message.
    let (text, html) = match (&row.secret, row.body_text.contains(outbox::SECRET_MARKER)) {
        (Some(token), _) => (
            row.body_text.replace(outbox::SECRET_MARKER, token),
            row.body_html.replace(outbox::SECRET_MARKER, token),
        ),
        (None, true) => return Err("the personal link was withdrawn or expired".into()),
        (None, false) => (row.body_text.clone(), row.body_html.clone()),
    };
    let mut alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(text))
        .singlepart(SinglePart::html(html));
    if let (Some(method), Some(ics)) = (&row.calendar_method, &row.calendar_ics) {
        let method: String = method.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        let content_type =
            ContentType::parse(&format!("text/calendar; method={method}; charset=utf-8"))
                .map_err(|e| format!("calendar content type: {e}"))?;
        alternative =
            alternative.singlepart(SinglePart::builder().header(content_type).body(ics.clone()));
    }
    let body = if attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for a in attachments {
            let bytes = a.data;
            let ct =
                ContentType::parse(&a.content_type).map_err(|e| format!("attachment type: {e}"))?;
            mixed = mixed.singlepart(Attachment::new(one_line(&a.filename)).body(bytes, ct));
        }
        mixed
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(one_line(&row.subject))
        .message_id(Some(format!("<{}>", row.message_id)))
        .header(AutoSubmitted)
        .multipart(body)
        .map_err(|e| format!("building the message: {e}"))
}

/// What one step of the worker did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StepReport {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

#[derive(Clone)]
pub struct Mailer {
    store: Store,
    clock: Clock,
    settings: Arc<MailSettings>,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    pace: Arc<Mutex<Option<tokio::time::Interval>>>,
    wake: Arc<Notify>,
}

impl Mailer {
    pub fn new(store: Store, clock: Clock, settings: MailSettings) -> Result<Self, String> {
        let transport = match &settings.smtp_url {
            None => None,
            Some(url) => Some(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|e| format!("SMTP_URL is not usable ({e}): use smtp://HOST:PORT, smtps://USER:PASSWORD@HOST or smtp://HOST:587?tls=required."))?
                    .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(settings.concurrency as u32))
                    .timeout(Some(StdDuration::from_secs(30)))
                    .build(),
            ),
        };
        let pace = settings.max_per_second.map(|rate| {
            let mut i = tokio::time::interval(StdDuration::from_secs_f64(1.0 / rate));
            i.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            i
        });
        Ok(Mailer {
            store,
            clock,
            settings: Arc::new(settings),
            transport,
            pace: Arc::new(Mutex::new(pace)),
            wake: Arc::new(Notify::new()),
        })
    }

    pub fn settings(&self) -> &MailSettings {
        &self.settings
    }

    pub fn is_configured(&self) -> bool {
        self.transport.is_some()
    }

    /// Lets the worker look at the queue now instead of at its next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// One step: claim due rows (at most 4 × `concurrency`), deliver them with
    /// `concurrency` in flight, record each outcome. Public so tests can drain the queue.
    pub async fn run_once(&self) -> anyhow::Result<StepReport> {
        let Some(transport) = &self.transport else {
            return Ok(StepReport::default());
        };
        let now = self.clock.now();
        // A few rounds of work per claim keeps every connection busy while the
        // slowest message of a round finishes; at most `concurrency` are in flight.
        let batch = (self.settings.concurrency * 4) as i64;
        let rows = outbox::claim(&self.store, now, self.settings.lease, batch).await?;
        let mut report = StepReport {
            claimed: rows.len(),
            ..StepReport::default()
        };
        let outcomes: Vec<Outcome> = futures::stream::iter(rows)
            .map(|row| self.deliver(transport, row))
            .buffer_unordered(self.settings.concurrency.max(1))
            .collect()
            .await;
        for o in outcomes {
            match o {
                Outcome::Sent => report.sent += 1,
                Outcome::Retry => report.retried += 1,
                Outcome::Failed => report.failed += 1,
            }
        }
        Ok(report)
    }

    async fn deliver(
        &self,
        transport: &AsyncSmtpTransport<Tokio1Executor>,
        row: OutboxRow,
    ) -> Outcome {
        if let Some(pace) = self.pace.lock().await.as_mut() {
            pace.tick().await;
        }
        let attachments = match outbox::attachments_of(&self.store, &row).await {
            Ok(a) => a,
            Err(e) => {
                // Left to its lease: the next claim tries again.
                tracing::error!(mail = row.id, error = %e, "could not read a message's attachments");
                return Outcome::Retry;
            }
        };
        let result = match build_message(&row, attachments, &self.settings.from) {
            Ok(message) => transport.send(message).await.map(|_| ()).map_err(|e| {
                let permanent = e.is_permanent();
                (format!("{e}"), permanent)
            }),
            Err(e) => Err((e, true)),
        };
        let now = self.clock.now();
        let recorded = match &result {
            Ok(()) => outbox::mark_sent(&self.store, row.id, now).await,
            Err((error, permanent)) => {
                let retry_at = (!permanent && row.attempts < self.settings.max_attempts)
                    .then(|| now + self.settings.backoff(row.attempts));
                tracing::warn!(mail = row.id, attempt = row.attempts, error = %error, retry = retry_at.is_some(), "mail delivery failed");
                outbox::mark_attempt_failed(&self.store, row.id, error, retry_at).await
            }
        };
        if let Err(e) = recorded {
            // The lease expires and the row is tried again: at worst a duplicate
            // with the same Message-ID, never a loss.
            tracing::error!(mail = row.id, error = %e, "could not record a mail attempt");
        }
        match result {
            Ok(()) => Outcome::Sent,
            Err((_, permanent)) if !permanent && row.attempts < self.settings.max_attempts => {
                Outcome::Retry
            }
            Err(_) => Outcome::Failed,
        }
    }

    /// Runs until `shutdown` turns true; the batch in flight is finished first.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        if self.transport.is_none() {
            tracing::info!("no SMTP_URL: mail is queued and shown in the mail log, not sent");
            return;
        }
        let wake = self.wake.clone();
        let poll = self.settings.poll;
        crate::platform::jobs::background_loop("mail worker", &wake, poll, shutdown, || async {
            self.run_once().await.map(|r| r.claimed == 0)
        })
        .await;
    }
}

enum Outcome {
    Sent,
    Retry,
    Failed,
}
