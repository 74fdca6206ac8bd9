//! Outcome reports through the real server, on both backends: the workflow across
//! roles, what each reader sees (the annex for members only, on the page, in the
//! files and in the mail), sending once per person and version through a real SMTP
//! server on loopback, and files checked by their content.
use crate::helpers::*;
use crate::smtp_sink::SmtpSink;
use app::on_pool;
use app::platform::mail::Mailer;
use app::platform::Clock;

/// A marker only the members-only annex holds.
const ANNEX: &str = "Annex-only-conclusion-7731";
/// A marker of the public summary.
const SUMMARY: &str = "Public-summary-4410";

/// The First Plenary Meeting without its demo report, chaired by the demo chair:
/// an ended meeting of EJOCN with confirmed participants and an attendance
/// register. Returns its id.
async fn fresh_first_plenary(app: &TestApp) -> i64 {
    let first = app.event_id("first-plenary-meeting").await;
    let chair = app.person_id(CHAIR).await;
    on_pool!(app.store, pool => {
        sqlx::query("DELETE FROM outcome_reports WHERE event_id = $1").bind(first).execute(pool).await.unwrap();
        sqlx::query("DELETE FROM mail_outbox WHERE kind = 'report'").execute(pool).await.unwrap();
        sqlx::query("INSERT INTO event_roles (event_id, person_id, role) VALUES ($1, $2, 'chair')")
            .bind(first).bind(chair).execute(pool).await.unwrap();
    });
    first
}

/// The chair writes and submits; the secretariat approves. Returns the version's id.
async fn approved(app: &TestApp, event: i64, chair: &str, admin: &str) -> i64 {
    let res = app
        .form(
            "/api/save_report",
            &[
                ("event_id", &event.to_string()),
                (
                    "summary",
                    &format!("{SUMMARY}: the network agreed its **priorities**."),
                ),
                ("conclusions", "Seaports first."),
                ("next_steps", "- Circulate the work plan"),
                (
                    "annex",
                    &format!("{ANNEX}: what the closed session concluded."),
                ),
                ("intent", "submit"),
            ],
            Some(chair),
        )
        .await;
    assert!(res.status().is_redirection(), "submitted: {}", res.status());
    let id = app
        .scalar(&format!(
            "SELECT MAX(id) FROM outcome_reports WHERE event_id = {event}"
        ))
        .await;
    let res = app
        .form(
            "/api/review_report",
            &[
                ("event_id", &event.to_string()),
                ("report_id", &id.to_string()),
                ("decision", "approve"),
            ],
            Some(admin),
        )
        .await;
    assert!(res.status().is_redirection(), "approved: {}", res.status());
    id
}

async fn status_of(app: &TestApp, id: i64) -> String {
    on_pool!(app.store, pool => {
        sqlx::query_scalar::<_, String>("SELECT status FROM outcome_reports WHERE id = $1")
            .bind(id).fetch_one(pool).await.unwrap()
    })
}

async fn publish(app: &TestApp, event: i64, id: i64, who: &str) -> reqwest::Response {
    app.form(
        "/api/report_step",
        &[
            ("event_id", &event.to_string()),
            ("report_id", &id.to_string()),
            ("step", "publish"),
            ("confirmed", "yes"),
        ],
        Some(who),
    )
    .await
}

/// A guest's GET with their personal link's cookie.
async fn get_as_guest(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.base))
        .header("cookie", format!("convene_guest={token}"))
        .send()
        .await
        .unwrap()
}

/// Sends a file as the report page's form does.
async fn upload(
    app: &TestApp,
    event: i64,
    session: &str,
    name: &str,
    data: &[u8],
    members_only: bool,
) -> String {
    let boundary = "----convene-report-boundary";
    let mut body = Vec::new();
    if members_only {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"members_only\"\r\n\r\nyes\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = app
        .client
        .post(format!("{}/events/{event}/report/files", app.base))
        .header("origin", &app.base)
        .header("cookie", format!("convene_session={session}"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303, "the browser is sent back");
    location(&res)
}

/// Whether a received message went to `addr` (RCPT TO is `<addr>`).
fn is_to(m: &crate::smtp_sink::Received, addr: &str) -> bool {
    m.to.iter()
        .any(|t| t.trim_matches(['<', '>']).eq_ignore_ascii_case(addr))
}

/// Delivers everything queued through `sink`.
async fn deliver(app: &TestApp, sink: &SmtpSink) {
    let mailer = Mailer::new(
        app.store.clone(),
        Clock::System,
        crate::mail::settings(sink),
    )
    .unwrap();
    for _ in 0..200 {
        if mailer.run_once().await.unwrap().claimed == 0 {
            return;
        }
    }
    panic!("the outbox did not drain");
}

crate::on_both_backends! { TestApp;

    async fn the_chair_writes_the_secretariat_approves_or_returns_and_only_members_read_the_annex(app) {
        let first = fresh_first_plenary(&app).await;
        let chair = app.demo(CHAIR).await;
        let admin = app.demo(SECRETARIAT).await;
        let page = format!("/events/{first}/report");
        let body = app.get_as(&page, Some(&chair)).await.text().await.unwrap();
        assert!(body.contains("Write the report"), "an ended meeting's chair starts the report");

        // Submitting without a summary is refused at the field; nothing is lost.
        let res = app.form("/api/save_report", &[
            ("event_id", &first.to_string()), ("summary", ""), ("annex", "kept annex text"), ("intent", "submit"),
        ], Some(&chair)).await;
        let returned = app.returned_form(&res).await;
        assert!(returned.contains("Write the summary before submitting"), "{returned}");
        assert!(returned.contains("kept annex text"), "what was typed comes back");


        // Hostile text is stored as typed and never becomes markup.
        let res = app.form("/api/save_report", &[
            ("event_id", &first.to_string()),
            ("summary", "<script>alert(1)</script> **Agreed** [x](javascript:alert(1))"),
            ("intent", "save"),
        ], Some(&chair)).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let body = app.get_as(&page, Some(&chair)).await.text().await.unwrap();
        assert!(!body.contains("<script>alert(1)"), "escaped in the form");
        assert!(body.contains("National Contact Points"), "the draft shows the register's figures");

        let id = approved(&app, first, &chair, &admin).await;
        assert_eq!(status_of(&app, id).await, "approved");
        // The secretariat was told of the submission, the chair of the approval.
        let told = |email: &'static str| {
            let app = &app;
            async move {
                app.scalar(&format!(
                    "SELECT COUNT(*) FROM mail_outbox o JOIN people p ON p.id = o.person_id
                     WHERE o.kind = 'report_step' AND lower(p.email) = '{email}'"
                )).await
            }
        };
        assert_eq!(told(SECRETARIAT).await, 1, "the secretariat is told a report waits");
        assert_eq!(told(CHAIR).await, 1, "the chair is told it is approved");
        // Approved is frozen.
        let res = app.form("/api/save_report", &[("event_id", &first.to_string()), ("summary", "changed"), ("intent", "save")], Some(&chair)).await;
        let returned = app.returned_form(&res).await;
        assert!(returned.contains("start a correction"), "{returned}");

        // Until published, nobody outside reads it.
        let public = "/networks/ejocn/events/first-plenary-meeting/report".to_owned();
        assert_eq!(app.get(&public).await.status().as_u16(), 404);
        assert!(publish(&app, first, id, &chair).await.status().is_redirection());
        assert_eq!(status_of(&app, id).await, "published");
        let audit = app.scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('report_submitted', 'report_approved', 'report_published') AND subject_id = {first}"
        )).await;
        assert_eq!(audit, 3, "every step is audited");

        let (status, anonymous) = app.page(&public).await;
        assert_eq!(status, 200);
        assert!(anonymous.contains(SUMMARY) && anonymous.contains("<strong>priorities</strong>"));
        assert!(!anonymous.contains(ANNEX), "no annex for the public");
        assert!(anonymous.contains("members sign in to read it"));
        for who in [OBSERVER, PARTNER] {
            let s = app.demo(who).await;
            let body = app.get_as(&public, Some(&s)).await.text().await.unwrap();
            assert!(body.contains(SUMMARY), "{who}");
            assert!(!body.contains(ANNEX), "{who} never reads the annex");
            assert!(!body.contains("Katharina Becker"), "nor the names of those present");
        }
        let member = app.demo(MEMBER).await;
        let body = app.get_as(&public, Some(&member)).await.text().await.unwrap();
        assert!(body.contains(ANNEX), "a member reads the annex");
        assert!(body.contains("Present") && body.contains("Katharina Becker"), "with the names of those present");

        // The event page links the report; the network page lists it.
        let (_, event_page) = app.page("/networks/ejocn/events/first-plenary-meeting").await;
        assert!(event_page.contains("Read the outcome report") && event_page.contains(SUMMARY), "with its summary");
        assert!(!event_page.contains(ANNEX));
        let (_, network_page) = app.page("/networks/ejocn").await;
        assert!(network_page.contains("Outcome report: First Plenary Meeting"), "listed on the network's page");
        // The API answers the same as the page.
        let api = app.get("/api/report_page?network=ejocn&event=first-plenary-meeting").await.text().await.unwrap();
        assert!(api.contains(SUMMARY) && !api.contains(ANNEX));
    }

    async fn the_chair_never_approves_and_the_secretariat_never_approves_what_it_submitted(app) {
        let first = fresh_first_plenary(&app).await;
        let chair = app.demo(CHAIR).await;
        let admin = app.demo(SECRETARIAT).await;
        let res = app.form("/api/save_report", &[
            ("event_id", &first.to_string()), ("summary", "Our summary."), ("intent", "submit"),
        ], Some(&admin)).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let id = app.scalar(&format!("SELECT MAX(id) FROM outcome_reports WHERE event_id = {first}")).await;
        let approve = |who: String| {
            let app = &app;
            async move {
                app.form("/api/review_report", &[
                    ("event_id", &first.to_string()), ("report_id", &id.to_string()), ("decision", "approve"),
                ], Some(&who)).await
            }
        };
        let res = approve(chair.clone()).await;
        assert_eq!(res.status().as_u16(), 403, "a chair does not approve");
        let res = approve(admin.clone()).await;
        assert!(app.returned_form(&res).await.contains("another member of the secretariat"));
        assert_eq!(status_of(&app, id).await, "submitted");
        // Returning needs comments; the chair sees them and submits again.
        let res = app.form("/api/review_report", &[
            ("event_id", &first.to_string()), ("report_id", &id.to_string()), ("decision", "return"), ("comment", ""),
        ], Some(&admin)).await;
        assert!(app.returned_form(&res).await.contains("Enter your comments"));
        let res = app.form("/api/review_report", &[
            ("event_id", &first.to_string()), ("report_id", &id.to_string()), ("decision", "return"),
            ("comment", "Please add the next steps."),
        ], Some(&admin)).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        assert_eq!(status_of(&app, id).await, "returned");
        let body = app.get_as(&format!("/events/{first}/report"), Some(&chair)).await.text().await.unwrap();
        assert!(body.contains("Please add the next steps."), "the chair reads the comments");
        let mail = app.scalar(&format!(
            "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'report_step' AND body_text LIKE '%Please add the next steps.%' AND person_id = {}",
            app.person_id(CHAIR).await
        )).await;
        assert_eq!(mail, 1, "and gets them by mail");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'report_step' AND subject LIKE 'Outcome report to approve%'").await, 0,
            "the secretariat who submitted is not told of its own step");
        // Observers, members and guests may not even see the organisers' page.
        let observer = app.demo(OBSERVER).await;
        assert_eq!(app.get_as(&format!("/events/{first}/report"), Some(&observer)).await.status().as_u16(), 403);
    }

    async fn sending_mails_each_person_once_with_the_annex_only_for_members(app) {
        let first = fresh_first_plenary(&app).await;
        let chair = app.demo(CHAIR).await;
        let admin = app.demo(SECRETARIAT).await;
        let id = approved(&app, first, &chair, &admin).await;
        let confirmed = app.scalar(&format!(
            "SELECT COUNT(*) FROM registrations r JOIN people p ON p.id = r.person_id
             WHERE r.event_id = {first} AND r.status = 'confirmed' AND p.erased_at IS NULL"
        )).await;
        assert!(confirmed > 5);
        // The sending page counts and previews, per recipient.
        let body = app.get_as(&format!("/events/{first}/report/send?groups=confirmed&groups=observer"), Some(&chair)).await.text().await.unwrap();
        assert!(body.contains("mail-copy"), "a copy is shown");
        let send = [
            ("event_id", first.to_string()), ("report_id", id.to_string()), ("confirmed", "yes".into()),
            ("confirmed_participants", "yes".into()), ("observer", "yes".into()),
        ];
        let fields: Vec<(&str, &str)> = send.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.form("/api/send_report", &fields, Some(&chair)).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        // Pressed twice: nobody twice.
        let res = app.form("/api/send_report", &fields, Some(&admin)).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let rows = app.scalar(&format!("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'report' AND dedupe_key LIKE 'report:{id}:%'")).await;
        let distinct = app.scalar(&format!("SELECT COUNT(DISTINCT person_id) FROM mail_outbox WHERE kind = 'report' AND dedupe_key LIKE 'report:{id}:%'")).await;
        assert_eq!(rows, distinct);
        assert_eq!(rows, confirmed + 1, "the confirmed participants and the observer");

        let sink = SmtpSink::start().await;
        deliver(&app, &sink).await;
        let got: Vec<_> = sink.received().into_iter().filter(|m| m.header("Subject").is_some_and(|s| s.starts_with("Outcome report: "))).collect();
        assert_eq!(got.len() as i64, rows, "one message each");
        let to = |addr: &str| got.iter().find(|m| is_to(m, addr)).unwrap_or_else(|| panic!("no mail to {addr}")).clone();
        let member = to(MEMBER);
        assert!(member.data.contains(ANNEX), "a member's copy has the annex");
        assert!(member.data.contains("Outcome report: First Plenary Meeting"));
        let observer = to(OBSERVER);
        assert!(observer.data.contains(SUMMARY) && !observer.data.contains(ANNEX), "an observer's copy has none");
        assert!(!observer.data.contains("Present:"), "nor the names");
        // A participant without an account gets a personal link that opens the report.
        let guest_mail = got.iter().find(|m| m.data.contains("/guest/") && !m.data.contains("CONVENE-PERSONAL-LINK-TOKEN"))
            .expect("a participant without an account gets a personal link");
        let text = guest_mail.data.replace("=\r\n", "");
        let token: String = text.split("/guest/").nth(1).unwrap().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
        let res = app.get(&format!("/guest/{token}")).await;
        assert_eq!(location(&res), "/networks/ejocn/events/first-plenary-meeting/report", "the link leads to the report");
        let page = get_as_guest(&app, "/networks/ejocn/events/first-plenary-meeting/report", &token).await;
        assert_eq!(page.status().as_u16(), 200, "the report was sent to them: they read it, unpublished");
        let page = page.text().await.unwrap();
        assert!(page.contains(SUMMARY) && !page.contains(ANNEX), "a guest's link never opens the annex");
        // Someone it was not sent to does not read the unpublished report.
        assert_eq!(app.get("/networks/ejocn/events/first-plenary-meeting/report").await.status().as_u16(), 404);
        // The event's page says the same: the summary for those it was sent to (a
        // guest's link, a member signed in), nothing for anyone else.
        let event = "/networks/ejocn/events/first-plenary-meeting";
        let page = get_as_guest(&app, event, &token).await.text().await.unwrap();
        assert!(page.contains("data-testid=\"event-report\"") && page.contains(SUMMARY), "the guest's event page has the summary");
        let signed_in = app.demo(MEMBER).await;
        let page = app.get_as(event, Some(&signed_in)).await.text().await.unwrap();
        assert!(page.contains("data-testid=\"event-report\"") && page.contains(SUMMARY), "the member's event page has the summary");
        let (_, page) = app.page(event).await;
        assert!(!page.contains("data-testid=\"event-report\"") && !page.contains(SUMMARY), "an anonymous reader's has none");
        let page = app.get_as(event, Some(&chair)).await.text().await.unwrap();
        assert!(page.contains(SUMMARY), "its chair reads the approved version");

        // Delivery on the report's page.
        let delivery = app.get_as(&format!("/api/report_delivery?event_id={first}&report_id={id}"), Some(&chair)).await.text().await.unwrap();
        assert!(delivery.contains(&format!("\"sent\":{rows}")) && delivery.contains("\"failed\":0"), "{delivery}");

        // A refusing server: the partners' messages fail, then go again.
        sink.set_refusing(true);
        let fields = [("event_id", first.to_string()), ("report_id", id.to_string()), ("confirmed", "yes".into()), ("associate_partner", "yes".into())];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(app.form("/api/send_report", &fields, Some(&chair)).await.status().is_redirection());
        deliver(&app, &sink).await;
        let page = app.get_as(&format!("/events/{first}/report"), Some(&chair)).await.text().await.unwrap();
        assert!(page.contains("Send again to the failed ones") && page.contains("henrik.maas@europol.demo.example"), "the failed are named");
        sink.set_refusing(false);
        let res = app.form("/api/report_step", &[
            ("event_id", &first.to_string()), ("report_id", &id.to_string()), ("step", "retry"),
        ], Some(&chair)).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        deliver(&app, &sink).await;
        let partner = sink.received().into_iter().filter(|m| is_to(m, PARTNER)).count();
        assert_eq!(partner, 1, "the partner gets it once the server takes mail again");
        assert!(sink.received().iter().filter(|m| is_to(m, PARTNER)).all(|m| m.data.contains(SUMMARY) && !m.data.contains(ANNEX)), "an associate partner's copy has no annex");
    }

    async fn a_correction_is_approved_again_and_sent_as_an_update_that_says_what_changed(app) {
        let first = fresh_first_plenary(&app).await;
        let chair = app.demo(CHAIR).await;
        let admin = app.demo(SECRETARIAT).await;
        let v1 = approved(&app, first, &chair, &admin).await;
        assert!(publish(&app, first, v1, &chair).await.status().is_redirection());
        let fields = [("event_id", first.to_string()), ("report_id", v1.to_string()), ("confirmed", "yes".into()), ("observer", "yes".into())];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.form("/api/send_report", &fields, Some(&chair)).await;
        let res = app.form("/api/report_step", &[("event_id", &first.to_string()), ("report_id", &v1.to_string()), ("step", "correct")], Some(&chair)).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        let v2 = app.scalar(&format!("SELECT MAX(id) FROM outcome_reports WHERE event_id = {first}")).await;
        assert_ne!(v1, v2);
        assert_eq!(status_of(&app, v2).await, "draft");
        // The published version stays readable while the correction is written.
        let (_, public) = app.page("/networks/ejocn/events/first-plenary-meeting/report").await;
        assert!(public.contains(SUMMARY));
        let res = app.form("/api/save_report", &[("event_id", &first.to_string()), ("summary", "Corrected summary."), ("intent", "submit")], Some(&chair)).await;
        assert!(app.returned_form(&res).await.contains("Say what this correction changes"));
        let res = app.form("/api/save_report", &[
            ("event_id", &first.to_string()), ("summary", "Corrected summary."), ("change_note", "The date of the next meeting is corrected."), ("intent", "submit"),
        ], Some(&chair)).await;
        assert!(res.status().is_redirection(), "{}", res.status());
        app.form("/api/review_report", &[("event_id", &first.to_string()), ("report_id", &v2.to_string()), ("decision", "approve")], Some(&admin)).await;
        assert_eq!(status_of(&app, v2).await, "approved");
        let fields = [("event_id", first.to_string()), ("report_id", v2.to_string()), ("confirmed", "yes".into()), ("observer", "yes".into())];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(app.form("/api/send_report", &fields, Some(&chair)).await.status().is_redirection());
        let sink = SmtpSink::start().await;
        deliver(&app, &sink).await;
        let to_observer: Vec<_> = sink.received().into_iter().filter(|m| is_to(m, OBSERVER)).collect();
        assert_eq!(to_observer.len(), 2, "each version once");
        assert!(to_observer.iter().any(|m| m.header("Subject").is_some_and(|s| s.contains("Corrected outcome report")) && m.data.contains("The date of the next meeting is corrected.")));
    }

    async fn files_are_checked_by_their_content_and_opened_only_by_those_entitled(app) {
        let first = fresh_first_plenary(&app).await;
        let chair = app.demo(CHAIR).await;
        let admin = app.demo(SECRETARIAT).await;
        app.form("/api/save_report", &[("event_id", &first.to_string()), ("summary", "Kept summary."), ("intent", "save")], Some(&chair)).await;
        let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
        assert!(upload(&app, first, &chair, "minutes.pdf", pdf, false).await.contains("file=added"));
        assert!(upload(&app, first, &chair, "closed-session.pdf", pdf, true).await.contains("file=added"));
        // An HTML page named .pdf, and a file over 20 MB, are refused; the draft stays.
        assert!(upload(&app, first, &chair, "fake.pdf", b"<html><script>alert(1)</script></html>", false).await.contains("file=wrong_type"));
        let big = vec![b'%'; 20 * 1024 * 1024 + 1];
        let mut big = big;
        big[..5].copy_from_slice(b"%PDF-");
        assert!(upload(&app, first, &chair, "big.pdf", &big, false).await.contains("file=too_large"));
        let page = app.get_as(&format!("/events/{first}/report?file=wrong_type"), Some(&chair)).await.text().await.unwrap();
        assert!(page.contains("not a PDF, OpenDocument text (ODT) or Word (DOCX)"), "a clear message");
        assert!(page.contains("Kept summary."), "the draft is kept");
        assert_eq!(app.scalar(&format!("SELECT COUNT(*) FROM report_files f JOIN outcome_reports r ON r.id = f.report_id WHERE r.event_id = {first}")).await, 2);
        let public_file = app.scalar("SELECT MIN(id) FROM report_files WHERE members_only = FALSE").await;
        let annex_file = app.scalar("SELECT MIN(id) FROM report_files WHERE members_only = TRUE").await;
        // A draft's files: its organisers only.
        assert_eq!(app.get(&format!("/reports/files/{public_file}")).await.status().as_u16(), 404);
        let res = app.get_as(&format!("/reports/files/{public_file}"), Some(&chair)).await;
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.headers()["content-type"], "application/pdf");
        assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"minutes.pdf\""));
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        let id = app.scalar(&format!("SELECT MAX(id) FROM outcome_reports WHERE event_id = {first}")).await;
        app.form("/api/save_report", &[("event_id", &first.to_string()), ("summary", "Kept summary."), ("intent", "submit")], Some(&chair)).await;
        app.form("/api/review_report", &[("event_id", &first.to_string()), ("report_id", &id.to_string()), ("decision", "approve")], Some(&admin)).await;
        publish(&app, first, id, &chair).await;
        // Published: the public file for all, the annex's for members only.
        assert_eq!(app.get(&format!("/reports/files/{public_file}")).await.status().as_u16(), 200);
        assert_eq!(app.get(&format!("/reports/files/{annex_file}")).await.status().as_u16(), 404);
        let observer = app.demo(OBSERVER).await;
        assert_eq!(app.get_as(&format!("/reports/files/{annex_file}"), Some(&observer)).await.status().as_u16(), 404);
        let member = app.demo(MEMBER).await;
        let res = app.get_as(&format!("/reports/files/{annex_file}"), Some(&member)).await;
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.bytes().await.unwrap().as_ref(), pdf);
        let (_, public) = app.page("/networks/ejocn/events/first-plenary-meeting/report").await;
        assert!(public.contains("minutes.pdf") && !public.contains("closed-session.pdf"), "the page lists what its reader may open");
        // Published files are frozen.
        assert!(upload(&app, first, &chair, "late.pdf", pdf, false).await.contains("file=closed"));
    }

    // The leak test of the report's channels: its page and server function, the
    // event page, its files, each reader's own export (which holds the mail they
    // got): the annex, its file and the names of those present reach exactly the
    // network's members and those who manage the event.
    async fn every_reader_gets_of_the_annex_exactly_what_the_policy_allows_on_every_channel(app) {
        let first = fresh_first_plenary(&app).await;
        let chair = app.demo(CHAIR).await;
        let admin = app.demo(SECRETARIAT).await;
        app.form("/api/save_report", &[("event_id", &first.to_string()), ("summary", "Kept."), ("intent", "save")], Some(&chair)).await;
        let pdf = b"%PDF-1.4\n%%EOF\n";
        upload(&app, first, &chair, "public-minutes.pdf", pdf, false).await;
        upload(&app, first, &chair, "closed-session-notes.pdf", pdf, true).await;
        let id = approved(&app, first, &chair, &admin).await;
        publish(&app, first, id, &chair).await;
        let fields = [("event_id", first.to_string()), ("report_id", id.to_string()), ("confirmed", "yes".into()),
            ("confirmed_participants", "yes".into()), ("observer", "yes".into()), ("associate_partner", "yes".into())];
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert!(app.form("/api/send_report", &fields, Some(&chair)).await.status().is_redirection());
        let public_file = app.scalar("SELECT MIN(id) FROM report_files WHERE members_only = FALSE").await;
        let annex_file = app.scalar("SELECT MIN(id) FROM report_files WHERE members_only = TRUE").await;
        // A guest whose link reads the report, and a guest of the event's invitation.
        let reader = guest_link(&app, "isabelle.laurent@commission.demo.example", first).await;
        let mut readers: Vec<(&str, Option<String>, bool)> = vec![("anonymous", None, false)];
        for (who, email, entitled) in [("observer", OBSERVER, false), ("partner", PARTNER, false), ("member", MEMBER, true), ("chair", CHAIR, true), ("secretariat", SECRETARIAT, true)] {
            readers.push((who, Some(format!("convene_session={}", app.demo(email).await)), entitled));
        }
        readers.push(("guest with a link", Some(format!("convene_guest={reader}")), false));
        let report = "/networks/ejocn/events/first-plenary-meeting/report";
        let api = "/api/report_page?network=ejocn&event=first-plenary-meeting";
        let event = "/networks/ejocn/events/first-plenary-meeting";
        for (who, cookie, entitled) in readers {
            let get = |path: String| {
                let mut req = app.client.get(format!("{}{path}", app.base));
                if let Some(c) = &cookie {
                    req = req.header("cookie", c);
                }
                req.send()
            };
            for path in [report, api] {
                let res = get(path.to_owned()).await.unwrap();
                assert_eq!(res.status().as_u16(), 200, "{who} {path}");
                let body = res.text().await.unwrap();
                assert!(body.contains(SUMMARY), "{who} {path}: the public part");
                assert_eq!(body.contains(ANNEX), entitled, "{who} {path}: the annex");
                assert_eq!(body.contains("closed-session-notes.pdf"), entitled, "{who} {path}: the annex's file");
                assert_eq!(body.contains("Katharina Becker"), entitled, "{who} {path}: the names of those present");
                assert!(body.contains("public-minutes.pdf"), "{who} {path}: the public file");
            }
            let body = get(event.to_owned()).await.unwrap().text().await.unwrap();
            assert!(body.contains("Read the outcome report") && !body.contains(ANNEX), "{who}: the event page links, never quotes");
            assert_eq!(get(format!("/reports/files/{public_file}")).await.unwrap().status().as_u16(), 200, "{who}: the public file");
            assert_eq!(get(format!("/reports/files/{annex_file}")).await.unwrap().status().as_u16(), if entitled { 200 } else { 404 }, "{who}: the annex's file");
            if cookie.as_deref().is_some_and(|c| c.starts_with("convene_session")) {
                let export = get("/account/export.json".to_owned()).await.unwrap().text().await.unwrap();
                // The export lists the messages a person got (subject, state), not their text.
                if ["observer", "partner", "member"].contains(&who) {
                    assert!(export.contains("Outcome report: First Plenary Meeting"), "{who}: their message is in their export");
                }
                assert!(!export.contains(ANNEX), "{who}: no annex in an export");
            }
        }
    }

    async fn every_other_form_refuses_plainly_what_it_cannot_do(app) {
        let first = fresh_first_plenary(&app).await;
        let spring = app.event_id("plenary-meeting-spring-2027").await;
        let chair = app.demo(CHAIR).await;
        let admin = app.demo(SECRETARIAT).await;
        // A meeting that has not happened has no report yet.
        let res = app.form("/api/save_report", &[("event_id", &spring.to_string()), ("summary", "Too early."), ("intent", "save")], Some(&chair)).await;
        assert!(app.returned_form(&res).await.contains("once the meeting has ended"));
        // Megabytes and control characters are refused at their field.
        let huge = "x".repeat(60_000);
        let res = app.form("/api/save_report", &[("event_id", &first.to_string()), ("summary", &huge), ("next_steps", "a\u{0}b"), ("intent", "save")], Some(&chair)).await;
        let returned = app.returned_form(&res).await;
        assert!(returned.contains("Use at most 50000 characters"), "{returned}");
        assert!(returned.contains("next_steps"), "{returned}");
        let id = approved(&app, first, &chair, &admin).await;
        let step = |step: &'static str, extra: Vec<(&'static str, String)>| {
            let app = &app;
            let chair = chair.clone();
            async move {
                let mut fields = vec![("event_id", first.to_string()), ("report_id", id.to_string()), ("step", step.to_owned())];
                fields.extend(extra);
                let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.form("/api/report_step", &fields, Some(&chair)).await
            }
        };
        let res = step("publish", vec![]).await;
        assert!(app.returned_form(&res).await.contains("Confirm publishing first"));
        assert_eq!(status_of(&app, id).await, "approved");
        let res = step("remove_file", vec![("file_id", "1".into())]).await;
        assert!(app.returned_form(&res).await.contains("only while the report is a draft"));
        // Sending needs a group and a confirmation; nothing is queued otherwise.
        for fields in [
            vec![("event_id", first.to_string()), ("report_id", id.to_string()), ("confirmed", "yes".to_owned())],
            vec![("event_id", first.to_string()), ("report_id", id.to_string()), ("observer", "yes".to_owned())],
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.form("/api/send_report", &fields, Some(&chair)).await;
            let returned = app.returned_form(&res).await;
            assert!(returned.contains("Choose whom to send") || returned.contains("Confirm sending first"), "{returned}");
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'report'").await, 0);
        // Another event's report is not this event's to publish.
        let res = app.form("/api/report_step", &[("event_id", &spring.to_string()), ("report_id", &id.to_string()), ("step", "publish"), ("confirmed", "yes")], Some(&chair)).await;
        assert_eq!(res.status().as_u16(), 404, "the version is not the spring plenary's");
        assert_eq!(status_of(&app, id).await, "approved");
    }

    async fn the_demo_holds_a_published_report_and_a_sent_one_with_an_annex(app) {
        let (status, body) = app.page("/networks/ejocn/events/launch-event/report").await;
        assert_eq!(status, 200);
        assert!(body.contains("European Judicial Organised Crime Network"));
        let (status, _) = app.page("/networks/ejocn/events/first-plenary-meeting/report").await;
        assert_eq!(status, 404, "approved and sent, not published");
        let member = app.demo(MEMBER).await;
        let body = app.get_as("/networks/ejocn/events/first-plenary-meeting/report", Some(&member)).await.text().await.unwrap();
        assert!(body.contains("Closed session"), "a participant it was sent to reads it, annex included");
        let sent = app.scalar("SELECT COUNT(*) FROM mail_outbox WHERE kind = 'report' AND status = 'sent'").await;
        assert!(sent > 5, "{sent}");
    }
}
