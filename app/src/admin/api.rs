//! Server functions of the mail log; each one asks the policy first.
use super::{MailLogData, MailMessageData};
#[cfg(feature = "ssr")]
use crate::platform::policy::{check, Action};
use crate::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use super::super::MailLogRow;
    use crate::platform::mail::outbox::OutboxRow;

    pub fn to_line(
        row: &OutboxRow,
        smtp_configured: bool,
        event_title: Option<String>,
    ) -> MailLogRow {
        let status_text = match row.status.as_str() {
            "queued" if !smtp_configured => "not sent: no SMTP server configured".to_owned(),
            "queued" if row.attempts > 0 => {
                format!("waiting to retry (attempt {} failed)", row.attempts)
            }
            "queued" => "queued".to_owned(),
            "sending" => "being sent".to_owned(),
            "sent" => "sent".to_owned(),
            "failed" => format!("failed after {} attempts", row.attempts),
            other => other.to_owned(),
        };
        let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S UTC").to_string();
        MailLogRow {
            id: row.id,
            recipient: match &row.recipient_name {
                Some(n) => format!("{n} <{}>", row.recipient_email),
                None => row.recipient_email.clone(),
            },
            subject: row.subject.clone(),
            status: row.status.clone(),
            status_text,
            attempts: row.attempts,
            last_error: row.last_error.clone(),
            created: fmt(row.created_at),
            sent: row.sent_at.map(fmt),
            event_title,
            resend_of: row.resend_of,
        }
    }
}

/// The mail log, newest first, filtered by status and event.
#[server(prefix = "/api/admin", endpoint = "mail_log", input = server_fn::codec::GetUrl)]
pub async fn mail_log(status: Option<String>, event: Option<i64>) -> Result<MailLogData, AppError> {
    async {
        use crate::on_pool;
        use crate::platform::mail::outbox;
        let (state, _) = check(Action::ReadMailLog).await?;
        let status = status.and_then(|s| crate::domain::MailStatus::parse(&s).ok());
        let status = status.map(crate::domain::MailStatus::as_str);
        let rows = outbox::list(&state.store, status, event, 500, 0).await?;
        let events: Vec<(i64, String)> = on_pool!(state.store, pool => {
            sqlx::query_as("SELECT id, title FROM events ORDER BY starts_at DESC")
                .fetch_all(pool)
                .await
                .map_err(crate::platform::StoreError::from)?
        });
        let configured = state.mailer.is_configured();
        let title = |id: Option<i64>| {
            id.and_then(|id| {
                events
                    .iter()
                    .find(|(e, _)| *e == id)
                    .map(|(_, t)| t.clone())
            })
        };
        Ok(MailLogData {
            rows: rows
                .iter()
                .map(|r| server::to_line(r, configured, title(r.event_id)))
                .collect(),
            smtp_configured: configured,
            events,
        })
    }
    .await
}

/// One message as the recipient sees it.
#[server(prefix = "/api/admin", endpoint = "mail_message", input = server_fn::codec::GetUrl)]
pub async fn mail_message(id: i64) -> Result<MailMessageData, AppError> {
    async {
        use crate::platform::mail::outbox;
        let (state, _) = check(Action::ReadMailLog).await?;
        let row = outbox::get(&state.store, id).await?;
        Ok(MailMessageData {
            message_id: row.message_id.clone(),
            from: state.mailer.settings().from.to_string(),
            // Stored bodies never hold a personal link's token; the placeholder
            // is shown as such.
            body_text: outbox::redacted(&row.body_text),
            body_html: outbox::redacted(&row.body_html),
            attachments: outbox::attachments_of(&state.store, &row)
                .await?
                .into_iter()
                .map(|a| a.filename)
                .collect(),
            calendar_method: row.calendar_method.clone(),
            row: server::to_line(&row, state.mailer.is_configured(), None),
        })
    }
    .await
}

/// Queues a new delivery of the same content; answers the new row's id.
#[server(prefix = "/api/admin", endpoint = "resend_mail")]
pub async fn resend_mail(id: i64) -> Result<i64, AppError> {
    async {
        use crate::platform::audit;
        use crate::platform::mail::outbox;
        let (state, viewer) = check(Action::ResendMail).await?;
        let domain = state.mailer.settings().message_id_domain();
        let now = state.clock.now();
        let original = outbox::get(&state.store, id).await?;
        if outbox::recipient_erased(&state.store, &original).await? {
            return Err(AppError::Conflict(
                "This message's recipient was erased; it cannot be sent again.".into(),
            ));
        }
        let mut tx = state.store.begin().await?;
        // A link cannot be sent twice: a resent link mail carries a fresh token.
        let secret = crate::accounts::links::reissue(&mut tx, &original, now).await?;
        let new_id = outbox::resend(&mut tx, &original, secret.as_ref(), &domain, now).await?;
        let entry = audit::Entry::new(Some(viewer.person_id), "mail_resent")
            .on("mail", id)
            .detail(format!("queued again as message {new_id}"));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        tracing::info!(mail = id, resend = new_id, "mail resent by the secretariat");
        state.mailer.wake();
        leptos_axum::redirect(&format!("/admin/mail/{new_id}"));
        Ok(new_id)
    }
    .await
}

/// Counts for the secretariat's overview page.
#[server(prefix = "/api/admin", endpoint = "admin_overview", input = server_fn::codec::GetUrl)]
pub async fn admin_overview() -> Result<super::AdminOverview, AppError> {
    use crate::on_pool;
    let (state, _) = check(Action::Administer).await?;
    let count = |sql: &'static str| {
        let store = state.store.clone();
        async move {
            Ok::<i64, AppError>(on_pool!(store, pool => {
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(pool)
                    .await
                    .map_err(crate::platform::StoreError::from)?
            }))
        }
    };
    Ok(super::AdminOverview {
        people: count("SELECT COUNT(*) FROM people WHERE erased_at IS NULL").await?,
        accounts: count("SELECT COUNT(*) FROM accounts WHERE disabled_at IS NULL").await?,
        events: count("SELECT COUNT(*) FROM events").await?,
        drafts: count("SELECT COUNT(*) FROM events WHERE status = 'draft'").await?,
        mail_waiting: count(
            "SELECT COUNT(*) FROM mail_outbox WHERE status IN ('queued', 'sending')",
        )
        .await?,
        mail_failed: count("SELECT COUNT(*) FROM mail_outbox WHERE status = 'failed'").await?,
    })
}

/// The audit log, newest first; filter by action and by person (as actor or subject).
#[server(prefix = "/api/admin", endpoint = "audit_log", input = server_fn::codec::GetUrl)]
pub async fn audit_log(
    action: Option<String>,
    person: Option<i64>,
) -> Result<super::AuditData, AppError> {
    use crate::on_pool;
    use crate::platform::audit;
    let (state, _) = check(Action::ReadAuditLog).await?;
    let action = action.filter(|a| !a.is_empty());
    let rows = audit::list(&state.store, action.as_deref(), person, 500).await?;
    let actions: Vec<String> = on_pool!(state.store, pool => {
        sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
            .fetch_all(pool)
            .await
            .map_err(crate::platform::StoreError::from)?
    });
    Ok(super::AuditData {
        rows: rows
            .into_iter()
            .map(|r| super::AuditLine {
                at: r.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                actor: match (r.actor_person_id, r.actor_name) {
                    (_, Some(n)) => n,
                    (Some(id), None) => format!("person {id}"),
                    (None, None) => "anonymous or command line".into(),
                },
                subject_href: (r.subject_kind.as_deref() == Some("person"))
                    .then(|| r.subject_id.map(|id| format!("/admin/people/{id}")))
                    .flatten(),
                subject: match (r.subject_kind, r.subject_id, r.subject_name) {
                    (_, _, Some(n)) => n,
                    (Some(k), Some(id), None) => format!("{k} {id}"),
                    _ => String::new(),
                },
                action: r.action,
                detail: match (r.occurrences, r.last_at) {
                    (n, Some(last)) if n > 1 => format!(
                        "{} ({n} times, the last at {})",
                        r.detail.unwrap_or_default(),
                        last.format("%Y-%m-%d %H:%M:%S UTC")
                    ),
                    _ => r.detail.unwrap_or_default(),
                },
                client: r.client.unwrap_or_default(),
            })
            .collect(),
        actions,
    })
}
