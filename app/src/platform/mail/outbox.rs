//! The outbox table: enqueue in the caller's transaction, claim due rows safely
//! across processes, record each attempt. Rows are never deleted.
use super::template::Rendered;
use crate::domain::EmailAddress;
use crate::on_pool;
use crate::platform::db::{Backend, Store, StoreResult, Tx};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

/// A file sent with a message. Stored once in `mail_attachments` (by the SHA-256
/// of its name, type and bytes), however many messages carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAttachment {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// Rows written before attachments had their own table kept them as JSON, base64.
#[derive(Deserialize)]
struct LegacyAttachment {
    filename: String,
    content_type: String,
    data_base64: String,
}

/// Stands in the stored message for the token of a personal link (sign-in,
/// password): the token itself waits in the row's `secret` until delivery puts it
/// in, and is then forgotten. The mail log, exports and backups never hold it.
pub const SECRET_MARKER: &str = "CONVENE-PERSONAL-LINK-TOKEN";

/// A personal link's token, held only until delivery or `expires_at`.
#[derive(Clone)]
pub struct MailSecret {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for MailSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MailSecret(hidden, expires {})", self.expires_at)
    }
}

/// A stored body as the mail log shows it: the personal link's token hidden.
pub fn redacted(body: &str) -> String {
    body.replace(SECRET_MARKER, "(personal-token-hidden)")
}

/// What a feature hands to [`enqueue`]: a rendered message for one recipient.
#[derive(Debug, Clone)]
pub struct NewMail {
    /// Unique per message and recipient, e.g. `report:42:person:7`.
    pub dedupe_key: String,
    pub kind: String,
    pub event_id: Option<i64>,
    /// The person it is for, when known: erasure and exports follow the id.
    pub person_id: Option<i64>,
    pub recipient: EmailAddress,
    pub recipient_name: Option<String>,
    pub content: Rendered,
    /// `text/calendar; method=…` part: (method, ICS text).
    pub calendar: Option<(String, String)>,
    pub attachments: Vec<MailAttachment>,
    /// The token that replaces [`SECRET_MARKER`] at delivery.
    pub secret: Option<MailSecret>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub dedupe_key: String,
    pub message_id: String,
    pub kind: String,
    pub event_id: Option<i64>,
    pub person_id: Option<i64>,
    pub recipient_email: String,
    pub recipient_name: Option<String>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub calendar_method: Option<String>,
    pub calendar_ics: Option<String>,
    pub attachments: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub resend_of: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// A personal link's token, until delivery (see [`SECRET_MARKER`]).
    pub secret: Option<String>,
}

impl OutboxRow {
    /// Attachments of rows written before the `mail_attachments` table.
    fn legacy_attachments(&self) -> Vec<MailAttachment> {
        use base64::Engine as _;
        let listed: Vec<LegacyAttachment> = self
            .attachments
            .as_deref()
            .and_then(|a| serde_json::from_str(a).ok())
            .unwrap_or_default();
        listed
            .into_iter()
            .filter_map(|a| {
                Some(MailAttachment {
                    data: base64::engine::general_purpose::STANDARD
                        .decode(&a.data_base64)
                        .ok()?,
                    filename: a.filename,
                    content_type: a.content_type,
                })
            })
            .collect()
    }
}

/// The attachments of a message, in order.
pub async fn attachments_of(store: &Store, row: &OutboxRow) -> StoreResult<Vec<MailAttachment>> {
    let rows: Vec<(String, String, Vec<u8>)> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT a.filename, a.content_type, a.data
             FROM mail_outbox_attachments l JOIN mail_attachments a ON a.id = l.attachment_id
             WHERE l.mail_id = $1 ORDER BY l.position",
        )
        .bind(row.id)
        .fetch_all(pool)
        .await?
    });
    if rows.is_empty() {
        return Ok(row.legacy_attachments());
    }
    Ok(rows
        .into_iter()
        .map(|(filename, content_type, data)| MailAttachment {
            filename,
            content_type,
            data,
        })
        .collect())
}

/// Stores an attachment once (by the SHA-256 of name, type and bytes) and ties it
/// to message `mail_id` at `position`.
async fn attach(
    tx: &mut Tx<'_>,
    mail_id: i64,
    position: i32,
    a: &MailAttachment,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in [
        a.filename.as_bytes(),
        &[0],
        a.content_type.as_bytes(),
        &[0],
        &a.data,
    ] {
        hasher.update(part);
    }
    let digest: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO mail_attachments (sha256, filename, content_type, data, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&digest)
        .bind(&a.filename)
        .bind(&a.content_type)
        .bind(&a.data)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO mail_outbox_attachments (mail_id, attachment_id, position)
             SELECT $1, id, $2 FROM mail_attachments WHERE sha256 = $3",
        )
        .bind(mail_id)
        .bind(position)
        .bind(&digest)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

const COLUMNS: &str =
    "id, dedupe_key, message_id, kind, event_id, person_id, recipient_email, recipient_name, \
    subject, body_text, body_html, calendar_method, calendar_ics, attachments, status, attempts, \
    next_attempt_at, locked_until, last_error, resend_of, created_at, sent_at, secret";

/// Adds the message to the outbox inside `tx`, so it exists exactly when the change
/// that caused it does. Returns `None` when the dedupe key is already there.
pub async fn enqueue(
    tx: &mut Tx<'_>,
    mail: &NewMail,
    message_id_domain: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    Ok(
        enqueue_many(tx, std::slice::from_ref(mail), message_id_domain, now)
            .await?
            .pop()
            .flatten(),
    )
}

/// [`enqueue`] for several messages at once (one statement per few hundred): the
/// id of each message added, `None` where its dedupe key was already there.
pub async fn enqueue_many(
    tx: &mut Tx<'_>,
    mails: &[NewMail],
    message_id_domain: &str,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Option<i64>>> {
    use crate::platform::db::column;
    // Both backends: these columns, from 14 values a mail and the time.
    const INSERT: &str = "INSERT INTO mail_outbox (dedupe_key, message_id, kind, event_id,
            recipient_email, recipient_name, subject, body_text, body_html, calendar_method,
            calendar_ics, person_id, secret, secret_expires_at, attachments, status, attempts,
            next_attempt_at, created_at)";
    const ADDED: &str = "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, dedupe_key";
    fn calendar(m: &NewMail) -> (Option<&str>, Option<&str>) {
        match &m.calendar {
            Some((method, ics)) => (Some(method.as_str()), Some(ics.as_str())),
            None => (None, None),
        }
    }
    let mut ids = Vec::with_capacity(mails.len());
    let message_id = || format!("{}@{}", uuid::Uuid::new_v4().simple(), message_id_domain);
    for chunk in mails.chunks(crate::platform::db::ROWS_PER_STATEMENT) {
        let added: Vec<(i64, String)> = if let Tx::Postgres(conn) = tx {
            // One statement text whatever the number of mails, each column an
            // array: prepared once per connection, where a VALUES list was parsed,
            // planned and bound (15 parameters a mail) again for every batch.
            let (methods, calendars): (Vec<_>, Vec<_>) = chunk.iter().map(calendar).unzip();
            sqlx::query_as(&format!(
                "{INSERT}
                 SELECT v.*, NULL, 'queued', 0, $1, $1
                 FROM UNNEST($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                             $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                             $12::text[], $13::bigint[], $14::text[], $15::timestamptz[]) AS v
                 {ADDED}"
            ))
            .bind(now)
            .bind(column(chunk, |m| m.dedupe_key.as_str()))
            .bind(column(chunk, |_| message_id()))
            .bind(column(chunk, |m| m.kind.as_str()))
            .bind(column(chunk, |m| m.event_id))
            .bind(column(chunk, |m| m.recipient.as_str()))
            .bind(column(chunk, |m| m.recipient_name.as_deref()))
            .bind(column(chunk, |m| m.content.subject.as_str()))
            .bind(column(chunk, |m| m.content.text.as_str()))
            .bind(column(chunk, |m| m.content.html.as_str()))
            .bind(methods)
            .bind(calendars)
            .bind(column(chunk, |m| m.person_id))
            .bind(column(chunk, |m| {
                m.secret.as_ref().map(|s| s.token.as_str())
            }))
            .bind(column(chunk, |m| m.secret.as_ref().map(|s| s.expires_at)))
            .fetch_all(&mut **conn)
            .await?
        } else {
            let sql = tx.positional(format!(
                "{INSERT}
                 SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6,
                        v.column7, v.column8, v.column9, v.column10, v.column11, v.column12,
                        v.column13, v.column14, NULL, 'queued', 0, v.column15, v.column15
                 FROM (VALUES {}) AS v WHERE true
                 {ADDED}",
                crate::platform::db::value_rows(1, chunk.len(), 15)
            ));
            crate::on_tx!(tx, conn => {
                let mut q = sqlx::query_as(&sql);
                for mail in chunk {
                    let (method, ics) = calendar(mail);
                    q = q
                        .bind(&mail.dedupe_key)
                        .bind(message_id())
                        .bind(&mail.kind)
                        .bind(mail.event_id)
                        .bind(mail.recipient.as_str())
                        .bind(mail.recipient_name.as_deref())
                        .bind(&mail.content.subject)
                        .bind(&mail.content.text)
                        .bind(&mail.content.html)
                        .bind(method)
                        .bind(ics)
                        .bind(mail.person_id)
                        .bind(mail.secret.as_ref().map(|s| s.token.as_str()))
                        .bind(mail.secret.as_ref().map(|s| s.expires_at))
                        .bind(now);
                }
                q.fetch_all(conn).await?
            })
        };
        let mut added: std::collections::HashMap<String, i64> =
            added.into_iter().map(|(id, key)| (key, id)).collect();
        for mail in chunk {
            // A key named twice: the first of the two was added.
            let id = added.remove(&mail.dedupe_key);
            if let Some(id) = id {
                for (position, a) in mail.attachments.iter().enumerate() {
                    attach(tx, id, position as i32, a, now).await?;
                }
            }
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Claims up to `limit` rows that are due, or whose claim by another process has
/// expired (that process died), until `now + lease`. Safe with several processes:
/// PostgreSQL skips rows another transaction holds; SQLite serialises writers.
pub async fn claim(
    store: &Store,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> StoreResult<Vec<OutboxRow>> {
    let pick = "SELECT id FROM mail_outbox
                WHERE (status = 'queued' AND next_attempt_at <= $2)
                   OR (status = 'sending' AND locked_until <= $2)
                ORDER BY next_attempt_at, id LIMIT $3";
    let lock = match store.backend() {
        Backend::Sqlite(_) => "",
        Backend::Postgres(_) => " FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE mail_outbox SET status = 'sending', locked_until = $1, attempts = attempts + 1
         WHERE id IN ({pick}{lock})
         RETURNING {COLUMNS}"
    );
    let mut rows: Vec<OutboxRow> = on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(now + lease).bind(now).bind(limit).fetch_all(pool).await?
    });
    rows.sort_by_key(|r| (r.next_attempt_at, r.id));
    Ok(rows)
}

pub async fn mark_sent(store: &Store, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    on_pool!(store, pool => {
        sqlx::query("UPDATE mail_outbox SET status = 'sent', sent_at = $2, locked_until = NULL, last_error = NULL, secret = NULL WHERE id = $1")
            .bind(id).bind(now).execute(pool).await?;
    });
    Ok(())
}

/// Records a failed attempt: back to the queue at `retry_at`, or failed for good
/// when there is no retry left. The row and its error stay.
pub async fn mark_attempt_failed(
    store: &Store,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    let error: String = error.chars().take(2000).collect();
    on_pool!(store, pool => {
        match retry_at {
            Some(at) => sqlx::query("UPDATE mail_outbox SET status = 'queued', next_attempt_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1")
                .bind(id).bind(at).bind(&error).execute(pool).await?,
            None => sqlx::query("UPDATE mail_outbox SET status = 'failed', locked_until = NULL, last_error = $2, secret = NULL WHERE id = $1")
                .bind(id).bind(&error).execute(pool).await?,
        };
    });
    Ok(())
}

pub async fn get(store: &Store, id: i64) -> StoreResult<OutboxRow> {
    let sql = format!("SELECT {COLUMNS} FROM mail_outbox WHERE id = $1");
    Ok(on_pool!(store, pool => sqlx::query_as(&sql).bind(id).fetch_one(pool).await?))
}

/// The mail log: newest first, optionally by status and by event.
pub async fn list(
    store: &Store,
    status: Option<&str>,
    event_id: Option<i64>,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<OutboxRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM mail_outbox
         WHERE ($1 IS NULL OR status = $1) AND ($2 IS NULL OR event_id = $2)
         ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    );
    Ok(on_pool!(store, pool => {
        sqlx::query_as(&sql).bind(status).bind(event_id).bind(limit).bind(offset).fetch_all(pool).await?
    }))
}

/// Queues a new delivery of the same content; the new row points at the original.
/// A message that carried a personal link gets `secret`, a freshly issued token (the
/// original's is gone or used).
pub async fn resend(
    tx: &mut Tx<'_>,
    original: &OutboxRow,
    secret: Option<&MailSecret>,
    message_id_domain: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let message_id = format!("{}@{}", uuid::Uuid::new_v4().simple(), message_id_domain);
    let dedupe = format!(
        "{}#resend:{}",
        original.dedupe_key,
        uuid::Uuid::new_v4().simple()
    );
    Ok(crate::on_tx!(tx, conn => {
        let new_id: i64 = sqlx::query_scalar(
            "INSERT INTO mail_outbox (dedupe_key, message_id, kind, event_id, person_id, recipient_email, recipient_name,
                 subject, body_text, body_html, calendar_method, calendar_ics, attachments, status, attempts,
                 next_attempt_at, created_at, resend_of, secret, secret_expires_at)
             SELECT $1, $2, kind, event_id, person_id, recipient_email, recipient_name, subject, body_text, body_html,
                 calendar_method, calendar_ics, attachments, 'queued', 0, $3, $3, id, $5, $6
             FROM mail_outbox WHERE id = $4
             RETURNING id",
        )
        .bind(&dedupe).bind(&message_id).bind(now).bind(original.id)
        .bind(secret.map(|s| s.token.as_str()))
        .bind(secret.map(|s| s.expires_at))
        .fetch_one(&mut *conn).await?;
        // The same files, stored once: only the links are copied.
        sqlx::query(
            "INSERT INTO mail_outbox_attachments (mail_id, attachment_id, position)
             SELECT $1, attachment_id, position FROM mail_outbox_attachments WHERE mail_id = $2",
        )
        .bind(new_id)
        .bind(original.id)
        .execute(&mut *conn)
        .await?;
        new_id
    }))
}

/// Whether the message's recipient has been erased (such mail is never sent again).
pub async fn recipient_erased(store: &Store, row: &OutboxRow) -> StoreResult<bool> {
    let Some(person) = row.person_id else {
        return Ok(false);
    };
    Ok(on_pool!(store, pool => {
        sqlx::query_scalar::<_, bool>("SELECT erased_at IS NOT NULL FROM people WHERE id = $1")
            .bind(person)
            .fetch_optional(pool)
            .await?
            .unwrap_or(false)
    }))
}

/// Withdraws a person's queued personal links (their tokens were revoked): the
/// messages are marked failed and the tokens forgotten.
pub async fn withdraw_links(tx: &mut Tx<'_>, person_id: i64) -> StoreResult<u64> {
    Ok(crate::on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE mail_outbox SET status = 'failed', secret = NULL,
                 last_error = 'withdrawn: the link was cancelled by a later change to the account'
             WHERE person_id = $1 AND secret IS NOT NULL AND status = 'queued'",
        )
        .bind(person_id)
        .execute(conn)
        .await?
        .rows_affected()
    }))
}

/// Forgets the tokens of personal links that expired before they could be
/// delivered (no SMTP server, or it was down): such messages are marked failed.
pub async fn forget_expired_secrets(store: &Store, now: DateTime<Utc>) -> StoreResult<()> {
    on_pool!(store, pool => {
        sqlx::query(
            "UPDATE mail_outbox SET secret = NULL,
                 status = CASE WHEN status = 'sent' THEN status ELSE 'failed' END,
                 last_error = CASE WHEN status = 'sent' THEN last_error
                                   ELSE 'not sent: the link expired before it could be delivered' END
             WHERE secret IS NOT NULL AND secret_expires_at <= $1 AND status <> 'sending'",
        )
        .bind(now)
        .execute(pool)
        .await?;
    });
    Ok(())
}

#[derive(sqlx::FromRow, serde::Serialize)]
struct MailExport {
    subject: String,
    status: String,
    queued_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

/// The mail sent to a person (to their id, or their current address).
pub async fn export_person(
    store: &Store,
    person_id: i64,
    email: &str,
) -> StoreResult<Vec<(&'static str, serde_json::Value)>> {
    let mail: Vec<MailExport> = on_pool!(store, pool => {
        sqlx::query_as(
            "SELECT subject, status, created_at AS queued_at, sent_at FROM mail_outbox
             WHERE person_id = $1 OR lower(recipient_email) = lower($2) ORDER BY id",
        )
        .bind(person_id)
        .bind(email)
        .fetch_all(pool)
        .await?
    });
    Ok(vec![("mail", serde_json::json!(mail))])
}

/// Erases the mail to a person (by id, and to their current address): the rows
/// stay as a record that something was sent, without recipient or content, and
/// what was not sent never will be.
pub async fn erase_person(tx: &mut Tx<'_>, e: &crate::privacy::Erasure) -> StoreResult<()> {
    crate::on_tx!(tx, conn => {
        sqlx::query(
            "DELETE FROM mail_outbox_attachments WHERE mail_id IN
                 (SELECT id FROM mail_outbox WHERE person_id = $2 OR lower(recipient_email) = $1)",
        )
        .bind(&e.email)
        .bind(e.person_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE mail_outbox SET recipient_email = $2, recipient_name = NULL, person_id = $3,
                 subject = '(erased)', body_text = '(erased)', body_html = '(erased)',
                 calendar_ics = NULL, attachments = NULL, last_error = NULL, secret = NULL,
                 status = CASE WHEN status = 'sent' THEN status ELSE 'failed' END
             WHERE person_id = $3 OR lower(recipient_email) = $1",
        )
        .bind(&e.email)
        .bind(&e.placeholder_email)
        .bind(e.person_id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}
