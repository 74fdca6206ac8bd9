//! One-time links by email: issuing the token and queueing the message that
//! carries it happen in one transaction, so a link is never issued unsent.
use crate::domain::EmailAddress;
use crate::platform::auth::{self, TokenPurpose};
use crate::platform::db::{Store, StoreResult};
use crate::platform::mail::outbox::{self, NewMail};
use crate::platform::mail::template::{Block, Email};
use chrono::{DateTime, Utc};

/// Issues a link for `purpose` and queues the message; returns the link. `base` is
/// the site's address without a trailing slash, e.g. `https://convene.example.eu`.
#[allow(clippy::too_many_arguments)]
pub async fn queue_link(
    store: &Store,
    message_id_domain: &str,
    base: &str,
    person_id: i64,
    name: &str,
    email: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let recipient = EmailAddress::parse(email).map_err(|e| {
        anyhow::anyhow!("person {person_id} has an unusable address: {}", e.message)
    })?;
    let (valid, path, subject, intro, label, kind) = match purpose {
        TokenPurpose::SignIn => (
            auth::SIGN_IN_LINK_VALIDITY,
            "/sign-in/link",
            "Your sign-in link for Convene",
            "Use this link to sign in to Convene. It works once, within 15 minutes.",
            "Sign in to Convene",
            "sign_in_link",
        ),
        TokenPurpose::Password => (
            auth::PASSWORD_LINK_VALIDITY,
            "/account/password",
            "Set your Convene password",
            "Use this link to choose a password for Convene. It works once, within 24 hours.",
            "Choose a password",
            "password_link",
        ),
    };
    let mut tx = store.begin().await?;
    let secret = auth::issue_token(&mut tx, person_id, purpose, valid, now).await?;
    let url = format!("{}{path}?token={secret}", base.trim_end_matches('/'));
    let mail = NewMail {
        // One message per token: the token's hash is unique.
        dedupe_key: format!("{kind}:{}", &auth::hash_secret(&secret)[..32]),
        kind: kind.into(),
        event_id: None,
        recipient,
        recipient_name: Some(name.to_owned()),
        content: Email {
            subject: subject.into(),
            greeting: Some(format!("Dear {name},")),
            blocks: vec![
                Block::Paragraph(intro.into()),
                Block::Link {
                    label: label.into(),
                    url: url.clone(),
                },
                Block::Paragraph(
                    "If you did not ask for this, ignore this message: nothing changes without the link."
                        .into(),
                ),
            ],
            reason: "Someone (we hope you) asked Convene for this link for your address.".into(),
        }
        .render(),
        calendar: None,
        attachments: vec![],
    };
    outbox::enqueue(&mut tx, &mail, message_id_domain, now).await?;
    tx.commit().await?;
    Ok(url)
}
