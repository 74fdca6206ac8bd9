//! One-time links by email. Issuing the token and queueing the message that
//! carries it happen in one transaction, so a link is never issued unsent. The
//! stored message holds a placeholder where the token goes: the token waits beside
//! it until delivery and is then forgotten, so the mail log, exports and backups
//! never hold a usable link.
//!
//! A request for a link ("email me a sign-in link") is answered at once, the same
//! way for every address: it only queues a job. The job, run by the job runner,
//! finds the account and sends the link — or finds none and does nothing — where
//! the requester cannot time it.
use crate::domain::EmailAddress;
use crate::on_tx;
use crate::platform::auth::{self, TokenPurpose};
use crate::platform::db::{StoreResult, Tx};
use crate::platform::jobs::{JobContext, NewJob};
use crate::platform::mail::outbox::{self, MailSecret, NewMail, OutboxRow, SECRET_MARKER};
use crate::platform::mail::template::{one_line, Block, Email};
use crate::platform::{audit, StoreError};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;

/// The job kind that sends a requested link.
pub const SEND_LINK_JOB: &str = "send_link";

impl TokenPurpose {
    /// The kind of mail that carries a link for this purpose.
    pub fn mail_kind(self) -> &'static str {
        match self {
            TokenPurpose::SignIn => "sign_in_link",
            TokenPurpose::Password => "password_link",
        }
    }

    pub fn from_mail_kind(kind: &str) -> Option<Self> {
        match kind {
            "sign_in_link" => Some(TokenPurpose::SignIn),
            "password_link" | WELCOME_KIND => Some(TokenPurpose::Password),
            _ => None,
        }
    }

    fn validity(self) -> chrono::Duration {
        match self {
            TokenPurpose::SignIn => auth::SIGN_IN_LINK_VALIDITY,
            TokenPurpose::Password => auth::PASSWORD_LINK_VALIDITY,
        }
    }
}

/// Issues a link for `purpose` and queues the message in `tx`; returns the link
/// (for the command line, which prints it when no SMTP server is configured).
/// `base` is the site's origin, e.g. `https://convene.example.eu`.
#[allow(clippy::too_many_arguments)]
pub async fn queue_link(
    tx: &mut Tx<'_>,
    message_id_domain: &str,
    base: &str,
    person_id: i64,
    name: &str,
    email: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let (subject, intro, label) = match purpose {
        TokenPurpose::SignIn => (
            "Your sign-in link for Convene",
            "Use this link to sign in to Convene. It works once, within 15 minutes.",
            "Sign in to Convene",
        ),
        TokenPurpose::Password => (
            "Set your Convene password",
            "Use this link to choose a password for Convene. It works once, within 24 hours.",
            "Choose a password",
        ),
    };
    let content = |url: String| {
        Email {
        subject: subject.into(),
        greeting: Some(format!("Dear {},", one_line(name))),
        blocks: vec![
            Block::Paragraph(intro.into()),
            Block::Link {
                label: label.into(),
                url,
            },
            Block::Paragraph(
                "If you did not ask for this, ignore this message: nothing changes without the link."
                    .into(),
            ),
        ],
        reason: "Someone (we hope you) asked Convene for this link for your address.".into(),
    }
    };
    let link = LinkMail {
        person_id,
        name,
        email,
        purpose,
        kind: purpose.mail_kind(),
        valid: purpose.validity(),
    };
    queue_token_mail(tx, message_id_domain, base, &link, content, now).await
}

/// How long the link in a welcome lasts: a new contact point may not read their
/// mail the same day.
pub const WELCOME_LINK_VALIDITY: chrono::Duration = chrono::Duration::days(7);

/// What a welcome says about the new account.
pub struct Welcome<'a> {
    /// Who in the secretariat created the account.
    pub added_by: &'a str,
    /// "European Judicial Organised Crime Network: National Contact Point (Portugal)".
    pub memberships: Vec<String>,
    /// The secretariat's address, for questions.
    pub contact: &'a str,
}

/// Queues the welcome for an account the secretariat has just created: who added
/// them, to which network and role, what Convene is for, whom to ask, and a link
/// to choose a password (7 days; a new one from the sign-in page after that).
#[allow(clippy::too_many_arguments)]
pub async fn queue_welcome(
    tx: &mut Tx<'_>,
    message_id_domain: &str,
    base: &str,
    person_id: i64,
    name: &str,
    email: &str,
    welcome: &Welcome<'_>,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let mut facts = vec![("Your address".to_owned(), email.to_owned())];
    for m in &welcome.memberships {
        facts.push(("Member of".to_owned(), m.clone()));
    }
    let sign_in = format!("{}/sign-in", base.trim_end_matches('/'));
    let content = |url: String| {
        Email {
        subject: "Your Convene account".into(),
        greeting: Some(format!("Dear {},", one_line(name))),
        blocks: vec![
            Block::Paragraph(format!(
                "{} of the secretariat has created an account for you in Convene, where the European judicial networks run their meetings: invitations and registration, agendas, calendar feeds and outcome reports.",
                one_line(welcome.added_by)
            )),
            Block::Facts(facts),
            Block::Paragraph(
                "To sign in, first choose a password with the link below. It works once, within 7 days."
                    .into(),
            ),
            Block::Link {
                label: "Choose your password".into(),
                url,
            },
            Block::Paragraph(format!(
                "If the link has expired, ask for a new one at {sign_in} (\u{201c}Forgot your password, or never set one?\u{201d}), or sign in there with a link sent to this address. Questions about your account or your network: write to the secretariat at {}.",
                welcome.contact
            )),
        ],
        reason: "The secretariat of your network added you to Convene.".into(),
    }
    };
    let link = LinkMail {
        person_id,
        name,
        email,
        purpose: TokenPurpose::Password,
        kind: WELCOME_KIND,
        valid: WELCOME_LINK_VALIDITY,
    };
    queue_token_mail(tx, message_id_domain, base, &link, content, now).await
}

/// The kind of the welcome mail (its link sets a password).
pub const WELCOME_KIND: &str = "welcome";

/// Whom a link goes to, what it does, and how long it lasts.
struct LinkMail<'a> {
    person_id: i64,
    name: &'a str,
    email: &'a str,
    purpose: TokenPurpose,
    kind: &'static str,
    valid: chrono::Duration,
}

/// Issues the token and queues its message: `content` is given the link with the
/// placeholder where the token goes, put in only at delivery.
async fn queue_token_mail(
    tx: &mut Tx<'_>,
    message_id_domain: &str,
    base: &str,
    to: &LinkMail<'_>,
    content: impl FnOnce(String) -> Email,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let recipient = EmailAddress::parse(to.email).map_err(|e| {
        anyhow::anyhow!(
            "person {} has an unusable address: {}",
            to.person_id,
            e.message
        )
    })?;
    let path = match to.purpose {
        TokenPurpose::SignIn => "/sign-in/link",
        TokenPurpose::Password => "/account/password",
    };
    let secret = auth::issue_token(tx, to.person_id, to.purpose, to.valid, now).await?;
    let link = |token: &str| format!("{}{path}?token={token}", base.trim_end_matches('/'));
    let mail = NewMail {
        // One message per token: the token's hash is unique.
        dedupe_key: format!("{}:{}", to.kind, &auth::hash_secret(&secret)[..32]),
        kind: to.kind.into(),
        event_id: None,
        person_id: Some(to.person_id),
        recipient,
        recipient_name: Some(to.name.to_owned()),
        content: content(link(SECRET_MARKER)).render(),
        calendar: None,
        attachments: vec![],
        secret: Some(MailSecret {
            token: secret.clone(),
            expires_at: now + to.valid,
        }),
    };
    outbox::enqueue(tx, &mail, message_id_domain, now).await?;
    Ok(link(&secret))
}

/// For resending a link mail: a fresh token for its person (the original's is
/// gone), or an error when the message is not a link or its person can no longer
/// sign in.
pub async fn reissue(
    tx: &mut Tx<'_>,
    original: &OutboxRow,
    now: DateTime<Utc>,
) -> StoreResult<Option<MailSecret>> {
    let Some(purpose) = TokenPurpose::from_mail_kind(&original.kind) else {
        return Ok(None);
    };
    let person = original.person_id.ok_or_else(|| {
        StoreError::Conflict(
            "This link was sent to no known person; it cannot be sent again.".into(),
        )
    })?;
    let active: Option<i64> = on_tx!(tx, conn => {
        sqlx::query_scalar(
            "SELECT p.id FROM people p JOIN accounts a ON a.person_id = p.id
             WHERE p.id = $1 AND a.disabled_at IS NULL AND p.erased_at IS NULL",
        )
        .bind(person)
        .fetch_optional(conn)
        .await?
    });
    if active.is_none() {
        return Err(StoreError::Conflict(
            "This person can no longer sign in; the link cannot be sent again.".into(),
        ));
    }
    let valid = purpose.validity();
    let token = auth::issue_token(tx, person, purpose, valid, now).await?;
    Ok(Some(MailSecret {
        token,
        expires_at: now + valid,
    }))
}

/// The job that a link request queues: `{"email": …, "purpose": "sign_in" |
/// "password"}`.
pub fn link_job(
    email: &EmailAddress,
    purpose: TokenPurpose,
    person_id: Option<i64>,
    now: DateTime<Utc>,
) -> NewJob {
    NewJob {
        kind: SEND_LINK_JOB,
        payload: serde_json::json!({ "email": email.as_str(), "purpose": purpose.as_str() }),
        person_id,
        dedupe_key: None,
        due_at: now,
    }
}

/// Runs a [`link_job`]: sends the link when the address belongs to an account that
/// may sign in, and does nothing otherwise.
pub fn run_link_job<'a>(
    ctx: &'a JobContext,
    tx: &'a mut Tx<'static>,
    payload: &'a serde_json::Value,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>> {
    Box::pin(async move {
        let email = payload["email"].as_str().unwrap_or_default();
        let purpose = match payload["purpose"].as_str() {
            Some("password") => TokenPurpose::Password,
            _ => TokenPurpose::SignIn,
        };
        // Locks the person (PostgreSQL): an erasure waits for this job, or this job
        // for the erasure, which it then sees.
        let lock = if tx.lock_clause().is_empty() {
            ""
        } else {
            " FOR UPDATE OF p"
        };
        let sql = format!(
            "SELECT p.id, p.full_name, p.email FROM people p JOIN accounts a ON a.person_id = p.id
             WHERE lower(p.email) = lower($1) AND a.disabled_at IS NULL AND p.erased_at IS NULL{lock}"
        );
        let found: Option<(i64, String, String)> = on_tx!(tx, conn => {
            sqlx::query_as(&sql)
            .bind(email)
            .fetch_optional(conn)
            .await?
        });
        let Some((person_id, name, address)) = found else {
            return Ok(());
        };
        let now = ctx.clock.now();
        queue_link(
            tx,
            &ctx.message_id_domain,
            &ctx.security.origin(),
            person_id,
            &name,
            &address,
            purpose,
            now,
        )
        .await?;
        let action = match purpose {
            TokenPurpose::SignIn => "sign_in_link_sent",
            TokenPurpose::Password => "password_link_sent",
        };
        // The request came from an unknown client; the entry says to whom it went.
        let entry = audit::Entry {
            client: None,
            ..audit::Entry::new(None, action).on("person", person_id)
        };
        audit::record(tx, entry, now).await?;
        Ok(())
    })
}
