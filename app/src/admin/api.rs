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

/// `/admin/audit`: the newest 500 entries as sentences, optionally one action and
/// entries by or about a person whose name contains `name`.
#[server(prefix = "/api/admin", endpoint = "audit_log", input = server_fn::codec::GetUrl)]
pub async fn audit_log(
    action: Option<String>,
    name: Option<String>,
) -> Result<super::AuditData, AppError> {
    use crate::on_pool;
    use crate::platform::audit;
    let (state, _) = check(Action::ReadAuditLog).await?;
    let action = action.filter(|a| !a.is_empty());
    let name = name.filter(|n| !n.trim().is_empty());
    let rows =
        audit::list_filtered(&state.store, action.as_deref(), None, name.as_deref(), 500).await?;
    let actions: Vec<String> = on_pool!(state.store, pool => {
        sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
            .fetch_all(pool)
            .await
            .map_err(crate::platform::StoreError::from)?
    });
    // "chair: person 13" in a role entry names the person (unless erased since).
    let mut names = std::collections::HashMap::new();
    for r in rows.iter().filter(|r| r.action.starts_with("event_role_")) {
        if let Some(id) = role_detail_person(r.detail.as_deref()) {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
                let name: Option<String> = on_pool!(state.store, pool => {
                    sqlx::query_scalar("SELECT full_name FROM people WHERE id = $1 AND erased_at IS NULL")
                        .bind(id)
                        .fetch_optional(pool)
                        .await
                        .map_err(crate::platform::StoreError::from)?
                });
                slot.insert(name);
            }
        }
    }
    let when = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    Ok(super::AuditData {
        rows: rows
            .into_iter()
            .map(|r| {
                let own = r.subject_kind.as_deref() == Some("person")
                    && r.subject_id.is_some()
                    && r.subject_id == r.actor_person_id;
                let (subject, subject_href) = match (r.subject_kind.as_deref(), r.subject_id) {
                    _ if own => (String::new(), None),
                    (Some("person"), Some(id)) if r.subject_erased => {
                        (format!("an erased person (number {id})"), None)
                    }
                    (Some(kind), Some(id)) => {
                        let href = match kind {
                            "person" => Some(format!("/admin/people/{id}")),
                            "event" => Some(format!("/admin/events/{id}")),
                            "organisation" => Some(format!("/admin/organisations/{id}")),
                            "network" => Some(format!("/admin/networks/{id}")),
                            _ => None,
                        };
                        match r.subject_name {
                            Some(n) => (n, href),
                            // Gone since (a deleted draft): its title is in the detail.
                            None => (format!("{kind} {id} (no longer there)"), None),
                        }
                    }
                    _ => (String::new(), None),
                };
                super::AuditLine {
                    at: when(r.at),
                    actor: match (r.actor_person_id, r.actor_name) {
                        (Some(id), _) if r.actor_erased => {
                            format!("An erased person (number {id})")
                        }
                        (_, Some(n)) => n,
                        (Some(id), None) => format!("Person {id}"),
                        (None, None) => "Someone not signed in (or the command line)".into(),
                    },
                    phrase: super::action_phrase(&r.action),
                    subject,
                    subject_href,
                    action: r.action.clone(),
                    detail: {
                        let detail = match role_detail_person(r.detail.as_deref()) {
                            Some(id) if r.action.starts_with("event_role_") => {
                                let role = r
                                    .detail
                                    .as_deref()
                                    .and_then(|d| d.split(':').next())
                                    .unwrap_or_default();
                                match names.get(&id).cloned().flatten() {
                                    Some(n) => format!("{n}, as {role}"),
                                    None => format!("an erased person (number {id}), as {role}"),
                                }
                            }
                            _ => r.detail.unwrap_or_default(),
                        };
                        match (r.occurrences, r.last_at) {
                            (n, Some(last)) if n > 1 => {
                                format!("{detail} ({n} times, the last at {})", when(last))
                            }
                            _ => detail,
                        }
                    },
                    client: r.client.unwrap_or_default(),
                }
            })
            .collect(),
        actions: actions
            .into_iter()
            .map(|a| {
                let mut words = super::action_phrase(&a);
                if let Some(first) = words.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                (a, words)
            })
            .collect(),
    })
}

/// The person of a role entry's detail, "chair: person 13".
#[cfg(feature = "ssr")]
fn role_detail_person(detail: Option<&str>) -> Option<i64> {
    detail?.split_once(": person ")?.1.trim().parse().ok()
}
