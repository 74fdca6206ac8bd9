//! Mail through a real SMTP server on loopback, on both backends.
use crate::helpers::{Kind, TestStore};
use crate::smtp_sink::SmtpSink;
use app::domain::EmailAddress;
use app::platform::mail::outbox::{self, MailAttachment};
use app::platform::mail::{Block, Email, MailSettings, Mailer, NewMail, Secret};
use app::platform::{Clock, Store};

pub fn settings(sink: &SmtpSink) -> MailSettings {
    MailSettings {
        smtp_url: Some(Secret::new(sink.url())),
        from: "Convene Secretariat <secretariat@convene.test>"
            .parse()
            .unwrap(),
        concurrency: 4,
        max_per_second: None,
        max_attempts: 3,
        retry_base: chrono::Duration::zero(),
        retry_cap: chrono::Duration::zero(),
        lease: chrono::Duration::seconds(60),
        poll: std::time::Duration::from_millis(50),
    }
}

pub fn mail(key: &str, to: &str, name: Option<&str>) -> NewMail {
    NewMail {
        dedupe_key: key.into(),
        kind: "test".into(),
        event_id: None,
        person_id: None,
        recipient: EmailAddress::parse(to).unwrap(),
        recipient_name: name.map(Into::into),
        content: Email {
            subject: format!("Outcome report {key}"),
            greeting: Some("Dear colleague,".into()),
            blocks: vec![Block::Paragraph(
                "The outcome report <approved> & attached.".into(),
            )],
            reason: "You took part in the meeting.".into(),
        }
        .render(),
        calendar: None,
        attachments: vec![],
        secret: None,
    }
}

pub async fn enqueue_all(store: &Store, mails: &[NewMail]) -> Vec<Option<i64>> {
    let mut tx = store.begin().await.unwrap();
    let mut ids = Vec::new();
    for m in mails {
        ids.push(
            outbox::enqueue(&mut tx, m, "convene.test", Clock::System.now())
                .await
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    ids
}

pub struct MailFixture {
    pub db: TestStore,
    pub sink: SmtpSink,
    pub mailer: Mailer,
}

impl MailFixture {
    pub async fn start(kind: Kind) -> Option<Self> {
        let db = TestStore::start(kind).await?;
        let sink = SmtpSink::start().await;
        let mailer = Mailer::new(db.store.clone(), Clock::System, settings(&sink)).unwrap();
        Some(MailFixture { db, sink, mailer })
    }

    async fn drain(&self) {
        for _ in 0..100 {
            if self.mailer.run_once().await.unwrap().claimed == 0 {
                return;
            }
        }
        panic!("the queue did not drain");
    }
}

crate::on_both_backends! { MailFixture;

    async fn a_message_arrives_once_with_text_html_calendar_and_attachment(f) {
        let mut m = mail("report:1:person:1", "anna.kowalska@prokuratura.example.pl", Some("Anna Kowalska"));
        m.calendar = Some(("REQUEST".into(), "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".into()));
        m.attachments = vec![MailAttachment {
            filename: "outcome-report.txt".into(),
            content_type: "text/plain".into(),
            data: b"Attached minutes".to_vec(),
        }];
        let id = enqueue_all(&f.db.store, &[m]).await[0].unwrap();
        f.drain().await;
        let got = f.sink.received();
        assert_eq!(got.len(), 1);
        let r = &got[0];
        assert_eq!(r.to, ["<anna.kowalska@prokuratura.example.pl>"]);
        assert_eq!(r.header("From").unwrap(), "\"Convene Secretariat\" <secretariat@convene.test>");
        assert_eq!(r.header("To").unwrap(), "\"Anna Kowalska\" <anna.kowalska@prokuratura.example.pl>");
        assert_eq!(r.header("Subject").unwrap(), "Outcome report report:1:person:1");
        assert_eq!(r.header("Auto-Submitted").unwrap(), "auto-generated");
        assert!(r.header("Date").is_some());
        let row = outbox::get(&f.db.store, id).await.unwrap();
        assert_eq!(r.header("Message-ID").unwrap(), format!("<{}>", row.message_id));
        assert!(r.header("List-Unsubscribe").is_none(), "a personal message has no unsubscribe");
        assert!(r.header("Content-Type").unwrap().starts_with("multipart/mixed"));
        assert!(r.data.contains("multipart/alternative"));
        assert!(r.data.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(r.data.contains("Content-Type: text/html; charset=utf-8"));
        assert!(r.data.contains("text/calendar; method=REQUEST"));
        assert!(r.data.contains("filename=\"outcome-report.txt\""));
        // lettre picks the transfer encoding: 7bit for short ASCII, base64 otherwise.
        assert!(r.data.contains("Attached minutes") || r.data.contains("QXR0YWNoZWQgbWludXRlcw=="));
        assert!(r.data.contains("&lt;approved&gt; &amp; attached"), "html part escaped");
        assert_eq!(row.status, "sent");
        assert!(row.sent_at.is_some());
        assert_eq!(row.attempts, 1);
    }

    async fn the_same_dedupe_key_enqueued_twice_is_one_mail(f) {
        let ids = enqueue_all(&f.db.store, &[mail("k", "a@b.eu", None), mail("k", "a@b.eu", None)]).await;
        assert!(ids[0].is_some() && ids[1].is_none());
        let again = enqueue_all(&f.db.store, &[mail("k", "a@b.eu", None)]).await;
        assert!(again[0].is_none());
        f.drain().await;
        assert_eq!(f.sink.count(), 1);
    }

    async fn an_smtp_outage_loses_nothing_and_everything_arrives_once_when_it_is_back(f) {
        let mails: Vec<_> = (0..10).map(|i| mail(&format!("m{i}"), &format!("p{i}@b.eu"), None)).collect();
        enqueue_all(&f.db.store, &mails).await;
        f.sink.set_refusing(true);
        let r = f.mailer.run_once().await.unwrap();
        assert_eq!((r.sent, r.retried), (0, 10), "all ten claimed and refused");
        assert_eq!(f.sink.count(), 0);
        let waiting = outbox::list(&f.db.store, Some("queued"), None, 100, 0).await.unwrap();
        assert_eq!(waiting.len(), 10, "nothing lost");
        assert!(waiting.iter().filter(|r| r.attempts == 1).all(|r| r.last_error.as_deref().unwrap().contains("451")));
        f.sink.set_refusing(false);
        f.drain().await;
        let got = f.sink.received();
        assert_eq!(got.len(), 10);
        let mut ids: Vec<_> = got.iter().map(|r| r.header("Message-ID").unwrap()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 10, "each message once");
    }

    async fn after_the_last_attempt_a_message_is_marked_failed_and_kept(f) {
        let id = enqueue_all(&f.db.store, &[mail("f", "a@b.eu", None)]).await[0].unwrap();
        f.sink.set_refusing(true);
        for _ in 0..5 {
            f.mailer.run_once().await.unwrap();
        }
        let row = outbox::get(&f.db.store, id).await.unwrap();
        assert_eq!(row.status, "failed");
        assert_eq!(row.attempts, 3);
        assert!(row.last_error.unwrap().contains("451"));
    }

    async fn a_claim_left_by_a_dead_worker_is_taken_over_after_its_lease(f) {
        let id = enqueue_all(&f.db.store, &[mail("d", "a@b.eu", None)]).await[0].unwrap();
        // A worker claims the row and dies before sending; its lease runs out at once.
        let claimed = outbox::claim(&f.db.store, Clock::System.now(), chrono::Duration::zero(), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(outbox::get(&f.db.store, id).await.unwrap().status, "sending");
        f.drain().await;
        assert_eq!(f.sink.count(), 1);
        assert_eq!(outbox::get(&f.db.store, id).await.unwrap().status, "sent");
    }

    async fn a_live_claim_is_not_taken_by_another_worker(f) {
        enqueue_all(&f.db.store, &[mail("l", "a@b.eu", None)]).await;
        let claimed = outbox::claim(&f.db.store, Clock::System.now(), chrono::Duration::seconds(600), 10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!(f.mailer.run_once().await.unwrap().claimed, 0);
        assert_eq!(f.sink.count(), 0);
    }

    async fn two_workers_on_one_database_never_send_a_message_twice(f) {
        let mails: Vec<_> = (0..60).map(|i| mail(&format!("w{i}"), &format!("p{i}@b.eu"), None)).collect();
        enqueue_all(&f.db.store, &mails).await;
        let other = Mailer::new(f.db.store.clone(), Clock::System, settings(&f.sink)).unwrap();
        let run = |m: Mailer| async move {
            while m.run_once().await.unwrap().claimed > 0 {}
        };
        tokio::join!(run(f.mailer.clone()), run(other));
        let got = f.sink.received();
        let mut ids: Vec<_> = got.iter().map(|r| r.header("Message-ID").unwrap()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!((got.len(), ids.len()), (60, 60));
    }

    async fn names_and_subjects_cannot_inject_headers(f) {
        let mut m = mail("inj", "a@b.eu", Some("Eve\r\nBcc: spy@evil.example"));
        m.content.subject = "Hello\r\nBcc: spy@evil.example".into();
        enqueue_all(&f.db.store, &[m]).await;
        f.drain().await;
        let r = &f.sink.received()[0];
        assert!(r.header("Bcc").is_none(), "{}", r.data);
        assert_eq!(r.to, ["<a@b.eu>"]);
    }

    async fn a_personal_link_is_put_in_at_delivery_and_then_forgotten(f) {
        let mut m = mail("link:1", "a@b.eu", None);
        m.content = Email {
            subject: "Your sign-in link".into(),
            greeting: None,
            blocks: vec![Block::Link { label: "Sign in".into(), url: format!("https://convene.test/sign-in/link?token={}", outbox::SECRET_MARKER) }],
            reason: "You asked.".into(),
        }.render();
        m.secret = Some(outbox::MailSecret { token: "s3cret-token-abc".into(), expires_at: Clock::System.now() + chrono::Duration::minutes(15) });
        let id = enqueue_all(&f.db.store, &[m]).await[0].unwrap();
        let stored = outbox::get(&f.db.store, id).await.unwrap();
        assert!(!stored.body_text.contains("s3cret-token-abc") && !stored.body_html.contains("s3cret-token-abc"));
        f.drain().await;
        let got = f.sink.received();
        assert!(got[0].data.contains("token=s3cret-token-abc"), "the recipient gets the link");
        assert!(!got[0].data.contains(outbox::SECRET_MARKER));
        let sent = outbox::get(&f.db.store, id).await.unwrap();
        assert_eq!(sent.status, "sent");
        assert_eq!(sent.secret, None, "and the database forgets the token");
    }

    async fn a_personal_link_that_expires_before_delivery_is_never_sent(f) {
        let mut m = mail("link:2", "a@b.eu", None);
        m.content.text = format!("token={}", outbox::SECRET_MARKER);
        m.secret = Some(outbox::MailSecret { token: "old-token".into(), expires_at: Clock::System.now() - chrono::Duration::seconds(1) });
        let id = enqueue_all(&f.db.store, &[m]).await[0].unwrap();
        outbox::forget_expired_secrets(&f.db.store, Clock::System.now()).await.unwrap();
        f.drain().await;
        assert!(f.sink.received().is_empty());
        let row = outbox::get(&f.db.store, id).await.unwrap();
        assert_eq!((row.status.as_str(), row.secret), ("failed", None));
        assert!(row.last_error.unwrap().contains("expired"));
    }

    async fn an_attachment_sent_to_many_is_stored_once(f) {
        let report = MailAttachment {
            filename: "outcome-report.pdf".into(),
            content_type: "application/pdf".into(),
            data: b"%PDF-1.7 the outcome report".repeat(1000),
        };
        let mails: Vec<NewMail> = (0..3).map(|i| {
            let mut m = mail(&format!("report:1:person:{i}"), &format!("p{i}@b.eu"), None);
            m.attachments = vec![report.clone()];
            m
        }).collect();
        let ids = enqueue_all(&f.db.store, &mails).await;
        let stored: i64 = app::on_pool!(f.db.store, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM mail_attachments").fetch_one(pool).await.unwrap()
        });
        assert_eq!(stored, 1, "one copy of the file for three messages");
        let original = outbox::get(&f.db.store, ids[0].unwrap()).await.unwrap();
        let mut tx = f.db.store.begin().await.unwrap();
        let again = outbox::resend(&mut tx, &original, None, "convene.test", Clock::System.now()).await.unwrap();
        tx.commit().await.unwrap();
        f.drain().await;
        let got = f.sink.received();
        assert_eq!(got.len(), 4);
        assert!(got.iter().all(|r| r.data.contains("filename=\"outcome-report.pdf\"")), "every message carries it");
        let resent = outbox::get(&f.db.store, again).await.unwrap();
        assert_eq!(outbox::attachments_of(&f.db.store, &resent).await.unwrap(), vec![report]);
    }

    async fn a_resend_is_a_new_delivery_of_the_same_content(f) {
        let id = enqueue_all(&f.db.store, &[mail("r", "a@b.eu", None)]).await[0].unwrap();
        f.drain().await;
        let original = outbox::get(&f.db.store, id).await.unwrap();
        let mut tx = f.db.store.begin().await.unwrap();
        let again = outbox::resend(&mut tx, &original, None, "convene.test", Clock::System.now()).await.unwrap();
        tx.commit().await.unwrap();
        f.drain().await;
        let got = f.sink.received();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].header("Subject"), got[1].header("Subject"));
        assert_ne!(got[0].header("Message-ID"), got[1].header("Message-ID"));
        assert_eq!(outbox::get(&f.db.store, again).await.unwrap().resend_of, Some(id));
    }
}

#[tokio::test]
async fn without_smtp_the_queue_waits_and_nothing_is_sent() {
    let db = TestStore::start(Kind::Sqlite).await.unwrap();
    let mut s = settings(&SmtpSink::start().await);
    s.smtp_url = None;
    let mailer = Mailer::new(db.store.clone(), Clock::System, s).unwrap();
    enqueue_all(&db.store, &[mail("n", "a@b.eu", None)]).await;
    assert_eq!(mailer.run_once().await.unwrap().claimed, 0);
    assert_eq!(
        outbox::list(&db.store, Some("queued"), None, 10, 0)
            .await
            .unwrap()
            .len(),
        1
    );
}

mod log_pages {
    use super::*;
    use crate::helpers::{TestApp, MEMBER, SECRETARIAT};

    async fn with_one_mail(app: &TestApp) -> i64 {
        enqueue_all(
            &app.store,
            &[mail(
                "log:1",
                "anna@prokuratura.example.pl",
                Some("Anna <Kowalska>"),
            )],
        )
        .await[0]
            .unwrap()
    }

    crate::on_both_backends! { TestApp;

        async fn the_mail_log_is_for_the_secretariat_only(app) {
            let (status, body) = app.page("/admin/mail").await;
            assert_eq!(status, 401);
            assert!(body.contains("Please sign in"));
            let member = app.demo(MEMBER).await;
            let res = app.get_as("/admin/mail", Some(&member)).await;
            assert_eq!(res.status().as_u16(), 403);
            let res = app.get("/api/admin/mail_log").await;
            assert_eq!(res.status().as_u16(), 401, "the server function is guarded too");
            let res = app.get_as("/api/admin/mail_log", Some(&member)).await;
            assert_eq!(res.status().as_u16(), 403);
        }

        async fn the_mail_log_shows_queued_mail_as_not_sent_without_smtp(app) {
            let id = with_one_mail(&app).await;
            let admin = app.demo(SECRETARIAT).await;
            let res = app.get_as("/admin/mail", Some(&admin)).await;
            assert_eq!(res.status().as_u16(), 200);
            let body = res.text().await.unwrap();
            assert!(body.contains("Outcome report log:1"));
            assert!(body.contains("not sent: no SMTP server configured"));
            assert!(body.contains("Anna &lt;Kowalska&gt; &lt;anna@prokuratura.example.pl&gt;"), "names are escaped");
            let res = app.get_as(&format!("/admin/mail/{id}"), Some(&admin)).await;
            let body = res.text().await.unwrap();
            assert!(body.contains("Resend this message"));
            assert!(body.contains(r#"sandbox="""#), "the HTML part is sandboxed");
            let res = app.get_as("/admin/mail?status=sent", Some(&admin)).await;
            assert!(!res.text().await.unwrap().contains("Outcome report log:1"), "filtered by status");
        }

        async fn resending_from_the_mail_log_queues_a_new_delivery(app) {
            let id = with_one_mail(&app).await;
            let admin = app.demo(SECRETARIAT).await;
            let res = app.form("/api/admin/resend_mail", &[("id", &id.to_string())], Some(&admin)).await;
            assert!(res.status().is_redirection(), "{}", res.status());
            let rows = outbox::list(&app.store, None, None, 100, 0).await.unwrap();
            let rows: Vec<_> = rows.into_iter().filter(|r| r.kind != "sign_in_link" && r.kind != "report").collect();
            assert_eq!(rows.len(), 2);
            assert!(rows.iter().any(|r| r.resend_of == Some(id) && r.status == "queued"), "{rows:?}");
        }
    }
}

/// `scripts/bench` runs this (release build): 2,000 messages through the outbox to
/// the loopback sink, on each backend; prints messages per second and peak memory.
async fn bench_on(kind: Kind) {
    let Some(f) = MailFixture::start(kind).await else {
        return;
    };
    let mut s = settings(&f.sink);
    s.concurrency = 8;
    let mailer = Mailer::new(f.db.store.clone(), Clock::System, s).unwrap();
    let mails: Vec<_> = (0..2000)
        .map(|i| {
            mail(
                &format!("bench{i}"),
                &format!("p{i}@b.eu"),
                Some("Participant"),
            )
        })
        .collect();
    let t = std::time::Instant::now();
    enqueue_all(&f.db.store, &mails).await;
    let enqueued = t.elapsed();
    let t = std::time::Instant::now();
    while mailer.run_once().await.unwrap().claimed > 0 {}
    let delivered = t.elapsed();
    assert_eq!(f.sink.count(), 2000);
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_owned())
        })
        .unwrap_or_else(|| "?".into());
    println!(
        "mail bench {kind:?}: enqueue 2000 in {:.0} ms; delivered in {:.2} s = {:.0} messages/s; peak RSS of the test process {} MB",
        enqueued.as_secs_f64() * 1000.0,
        delivered.as_secs_f64(),
        2000.0 / delivered.as_secs_f64(),
        rss.parse::<f64>().map(|kb| format!("{:.0}", kb / 1024.0)).unwrap_or(rss)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_mail_delivery_sqlite() {
    bench_on(Kind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by scripts/bench"]
async fn bench_mail_delivery_postgres() {
    bench_on(Kind::Postgres).await;
}
