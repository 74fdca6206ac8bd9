//! The authorization matrix: every role × every server function and every page or
//! plain route, asserting allowed or refused. A server function or page that is not
//! in the table below fails `every_endpoint_and_page_is_in_the_matrix`, so a new
//! endpoint cannot ship without a decision about who may call it.
use crate::helpers::*;
use app::on_pool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Observer,
    Partner,
    Member,
    Chair,
    Secretariat,
    Disabled,
    /// A guest with a personal link for the spring 2027 plenary.
    Guest,
    /// A guest with a link for another event (the first plenary).
    OtherGuest,
}

const EVERYONE: [Who; 9] = [
    Who::Anonymous,
    Who::Guest,
    Who::OtherGuest,
    Who::Observer,
    Who::Partner,
    Who::Member,
    Who::Chair,
    Who::Secretariat,
    Who::Disabled,
];

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Anyone, signed in or not (public pages, signing in).
    Anyone,
    /// Any signed-in person with an enabled account.
    Account,
    /// The secretariat only.
    Secretariat,
    /// The guest of a link for the event the call names (the spring plenary).
    GuestOfEvent,
    /// Those who manage the spring plenary: its chair and the secretariat.
    ManagerOfSpring,
    /// The registration page of the spring plenary: its guest, and the National
    /// Contact Points of EJOCN (the member, and the chair, who is Ireland's), who
    /// register their delegations there (the event has places per Member State).
    SpringRegistrationPage,
    /// Registering a delegation for the spring plenary: EJOCN's contact points.
    DelegationHead,
    /// Anyone the request identifies (an enabled account, or a guest's link): the
    /// call then decides by their registration (choosing workshops).
    Identified,
}

impl Need {
    fn allows(self, who: Who) -> bool {
        match self {
            Need::Anyone => true,
            Need::Account => !matches!(
                who,
                Who::Anonymous | Who::Disabled | Who::Guest | Who::OtherGuest
            ),
            Need::Secretariat => who == Who::Secretariat,
            Need::GuestOfEvent => who == Who::Guest,
            Need::ManagerOfSpring => matches!(who, Who::Chair | Who::Secretariat),
            Need::SpringRegistrationPage => matches!(who, Who::Guest | Who::Member | Who::Chair),
            Need::DelegationHead => matches!(who, Who::Member | Who::Chair),
            Need::Identified => !matches!(who, Who::Anonymous | Who::Disabled),
        }
    }
}

/// Stands for the id of the spring 2027 plenary (chaired by the demo chair) in
/// arguments and paths.
const SPRING: &str = "{spring}";
/// Stands for the id of the first plenary (not the demo chair's).
const FIRST: &str = "{first}";

/// A server function: path, whether it is a GET, harmless arguments (they reach the
/// policy check and then fail or change nothing that matters), who may call it.
/// Functions that end the caller's session come last.
/// (path, is GET, arguments, who may call it)
type ServerFnRow = (
    &'static str,
    bool,
    &'static [(&'static str, &'static str)],
    Need,
);

const SERVER_FNS: &[ServerFnRow] = &[
    ("/api/home", true, &[], Need::Anyone),
    ("/api/network", true, &[("slug", "ejocn")], Need::Anyone),
    (
        "/api/event",
        true,
        &[("network", "ejocn"), ("slug", "first-plenary-meeting")],
        Need::Anyone,
    ),
    // What each reader sees of closed sessions: agenda.rs's leak test.
    (
        "/api/agenda",
        true,
        &[("network", "ejocn"), ("slug", "first-plenary-meeting")],
        Need::Anyone,
    ),
    ("/api/site", true, &[], Need::Anyone),
    ("/api/sign_in_page", true, &[], Need::Anyone),
    (
        "/api/token_page",
        true,
        &[("token", "no-such-token"), ("purpose", "sign_in")],
        Need::Anyone,
    ),
    (
        "/api/sign_in",
        false,
        &[
            ("email", "nobody@matrix.example"),
            ("password", "not a password"),
        ],
        Need::Anyone,
    ),
    (
        "/api/request_sign_in_link",
        false,
        &[("email", "nobody@matrix.example")],
        Need::Anyone,
    ),
    (
        "/api/request_password_link",
        false,
        &[("email", "nobody@matrix.example")],
        Need::Anyone,
    ),
    (
        "/api/use_sign_in_link",
        false,
        &[("token", "no-such-token")],
        Need::Anyone,
    ),
    (
        "/api/set_password",
        false,
        &[
            ("token", "no-such-token"),
            ("password", "x"),
            ("confirm", "x"),
        ],
        Need::Anyone,
    ),
    ("/api/account_page", true, &[], Need::Account),
    (
        "/api/account/feed_address",
        false,
        &[("action", "revoke")],
        Need::Account,
    ),
    (
        "/api/guest_event",
        true,
        &[("event_id", SPRING)],
        Need::SpringRegistrationPage,
    ),
    (
        "/api/change_registration",
        false,
        &[("event_id", SPRING), ("dietary", "")],
        Need::GuestOfEvent,
    ),
    (
        "/api/register_delegate",
        false,
        &[("event_id", SPRING), ("full_name", ""), ("email", "")],
        Need::DelegationHead,
    ),
    (
        "/api/decide_registration",
        false,
        &[
            ("event_id", SPRING),
            ("person_id", "999999"),
            ("decision", "approve"),
        ],
        Need::ManagerOfSpring,
    ),
    (
        "/api/registration_settings",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/save_registration_rules",
        false,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/agenda_builder",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/add_agenda_item",
        false,
        &[("event_id", SPRING), ("kind", ""), ("title", "")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/add_agenda_room",
        false,
        &[("event_id", SPRING), ("name", "")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/remove_agenda_item",
        false,
        &[("event_id", SPRING), ("item_id", "999999")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/publish_agenda",
        false,
        &[("event_id", SPRING), ("confirm", "no")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/agenda_item_editor",
        true,
        &[("event_id", SPRING), ("item_id", "999999")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/update_agenda_item",
        false,
        &[("event_id", SPRING), ("item_id", "999999"), ("title", "")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/duplicate_agenda_item",
        false,
        &[("event_id", SPRING), ("item_id", "999999")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/add_agenda_speaker",
        false,
        &[
            ("event_id", SPRING),
            ("item_id", "999999"),
            ("person_id", ""),
        ],
        Need::ManagerOfSpring,
    ),
    (
        "/api/remove_agenda_speaker",
        false,
        &[
            ("event_id", SPRING),
            ("item_id", "999999"),
            ("person_id", "1"),
        ],
        Need::ManagerOfSpring,
    ),
    (
        "/api/add_workshop_chair",
        false,
        &[
            ("event_id", SPRING),
            ("item_id", "999999"),
            ("person_id", ""),
        ],
        Need::ManagerOfSpring,
    ),
    (
        "/api/remove_workshop_chair",
        false,
        &[
            ("event_id", SPRING),
            ("item_id", "999999"),
            ("person_id", "1"),
        ],
        Need::ManagerOfSpring,
    ),
    // Then refused with a reason unless registered: agenda.rs's sign-up tests.
    (
        "/api/choose_workshop",
        false,
        &[
            ("network", "ejocn"),
            ("slug", "first-plenary-meeting"),
            ("item_id", "999999"),
        ],
        Need::Identified,
    ),
    (
        "/api/give_up_workshop",
        false,
        &[
            ("network", "ejocn"),
            ("slug", "first-plenary-meeting"),
            ("item_id", "999999"),
        ],
        Need::Identified,
    ),
    (
        "/api/add_question",
        false,
        &[("event_id", SPRING), ("kind", ""), ("label", "")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/change_question",
        false,
        &[
            ("event_id", SPRING),
            ("question_id", "999999"),
            ("action", "remove"),
        ],
        Need::ManagerOfSpring,
    ),
    (
        "/api/guest_upload_page",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/import_guests",
        false,
        &[("event_id", SPRING), ("upload_id", "999999")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/printable_list",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    ("/api/forget_guest_link", false, &[], Need::Anyone),
    (
        "/api/invitations_page",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/invite_members",
        false,
        &[("event_id", SPRING), ("category", ""), ("member_state", "")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/invite_person",
        false,
        &[("event_id", SPRING), ("email", ""), ("full_name", "")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/revoke_invitation",
        false,
        &[("event_id", SPRING), ("person_id", "999999")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/remind_unanswered",
        false,
        &[("event_id", SPRING), ("confirm", "yes")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/check_in_page",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/mark_attendance",
        false,
        &[
            ("event_id", SPRING),
            ("person_id", "1"),
            ("day", "2027-03-17"),
            ("status", "present"),
            ("q", ""),
        ],
        Need::ManagerOfSpring,
    ),
    (
        "/api/badges_page",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/participants_page",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/register_as_guest",
        false,
        &[
            ("event_id", SPRING),
            ("attendance", "in_person"),
            ("privacy", ""),
        ],
        Need::GuestOfEvent,
    ),
    (
        "/api/decline_invitation",
        false,
        &[("event_id", SPRING), ("message", "")],
        Need::GuestOfEvent,
    ),
    (
        "/api/cancel_registration_as_guest",
        false,
        &[("event_id", SPRING), ("confirm", "")],
        Need::GuestOfEvent,
    ),
    (
        "/api/event_manage",
        true,
        &[("id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/update_own_details",
        false,
        &[("full_name", ""), ("title", "")],
        Need::Account,
    ),
    (
        "/api/change_password",
        false,
        &[
            ("current", "wrong"),
            ("password", "short"),
            ("confirm", "short"),
        ],
        Need::Account,
    ),
    ("/api/admin/admin_overview", true, &[], Need::Secretariat),
    ("/api/admin/audit_log", true, &[], Need::Secretariat),
    ("/api/admin/mail_log", true, &[], Need::Secretariat),
    (
        "/api/admin/mail_message",
        true,
        &[("id", "999999")],
        Need::Secretariat,
    ),
    (
        "/api/admin/resend_mail",
        false,
        &[("id", "999999")],
        Need::Secretariat,
    ),
    ("/api/admin/people_admin", true, &[], Need::Secretariat),
    (
        "/api/admin/person_admin",
        true,
        &[("id", "1")],
        Need::Secretariat,
    ),
    (
        "/api/admin/save_person",
        false,
        &[
            ("id", "999999"),
            ("full_name", "X"),
            ("email", "x@matrix.example"),
            ("title", ""),
            ("organisation_id", ""),
            ("member_state", ""),
        ],
        Need::Secretariat,
    ),
    (
        "/api/admin/account_action",
        false,
        &[("person_id", "999999"), ("action", "disable")],
        Need::Secretariat,
    ),
    (
        "/api/admin/add_membership",
        false,
        &[
            ("person_id", "999999"),
            ("network_id", "1"),
            ("category", "observer"),
            ("member_state", ""),
            ("active_from", ""),
            ("active_to", ""),
        ],
        Need::Secretariat,
    ),
    (
        "/api/admin/change_membership",
        false,
        &[("id", "999999"), ("person_id", "999999")],
        Need::Secretariat,
    ),
    (
        "/api/admin/erase_person",
        false,
        &[("person_id", "999999"), ("confirm", "yes")],
        Need::Secretariat,
    ),
    (
        "/api/admin/organisations_admin",
        true,
        &[],
        Need::Secretariat,
    ),
    (
        "/api/admin/organisation_admin",
        true,
        &[("id", "1")],
        Need::Secretariat,
    ),
    (
        "/api/admin/save_organisation",
        false,
        &[
            ("id", "999999"),
            ("name", "X"),
            ("short_name", ""),
            ("kind", "other"),
            ("country", ""),
        ],
        Need::Secretariat,
    ),
    ("/api/admin/networks_admin", true, &[], Need::Secretariat),
    (
        "/api/admin/network_admin",
        true,
        &[("id", "1")],
        Need::Secretariat,
    ),
    (
        "/api/admin/save_network",
        false,
        &[
            ("id", "999999"),
            ("name", "X"),
            ("short_name", "X"),
            ("established", "X"),
            ("summary", "X"),
            ("mandate", "X"),
            ("priorities", ""),
            ("host_organisation_id", ""),
        ],
        Need::Secretariat,
    ),
    ("/api/admin/events_admin", true, &[], Need::Secretariat),
    (
        "/api/admin/event_admin",
        true,
        &[("id", "1")],
        Need::Secretariat,
    ),
    (
        "/api/admin/save_event",
        false,
        &[
            ("id", "999999"),
            ("network_id", "1"),
            ("slug", "matrix"),
            ("title", "Matrix"),
            ("kind", "plenary"),
            ("summary", ""),
            ("starts", "2027-01-01T09:00"),
            ("ends", "2027-01-01T17:00"),
            ("time_zone", "Europe/Amsterdam"),
            ("venue", "X"),
            ("online_link", ""),
            ("chair_label", ""),
            ("capacity", ""),
            ("delegation_quota", ""),
            ("registration_opens", ""),
            ("registration_closes", ""),
        ],
        Need::Secretariat,
    ),
    (
        "/api/admin/set_event_status",
        false,
        &[("id", "999999"), ("status", "published")],
        Need::Secretariat,
    ),
    (
        "/api/admin/delete_event",
        false,
        &[("id", "999999"), ("confirmed", "yes")],
        Need::Secretariat,
    ),
    (
        "/api/admin/add_event_person",
        false,
        &[
            ("event_id", "999999"),
            ("email", "nobody@matrix.example"),
            ("role", "chair"),
        ],
        Need::Secretariat,
    ),
    (
        "/api/admin/remove_event_person",
        false,
        &[
            ("event_id", "999999"),
            ("person_id", "999999"),
            ("role", "chair"),
        ],
        Need::Secretariat,
    ),
    (
        "/api/report_manage",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/save_report",
        false,
        &[("event_id", SPRING), ("summary", ""), ("intent", "save")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/review_report",
        false,
        &[
            ("event_id", SPRING),
            ("report_id", "999999"),
            ("decision", "approve"),
        ],
        Need::Secretariat,
    ),
    (
        "/api/report_step",
        false,
        &[
            ("event_id", SPRING),
            ("report_id", "999999"),
            ("step", "publish"),
        ],
        Need::ManagerOfSpring,
    ),
    (
        "/api/report_send_page",
        true,
        &[("event_id", SPRING)],
        Need::ManagerOfSpring,
    ),
    (
        "/api/send_report",
        false,
        &[
            ("event_id", SPRING),
            ("report_id", "999999"),
            ("confirmed", "yes"),
            ("observer", "yes"),
        ],
        Need::ManagerOfSpring,
    ),
    (
        "/api/report_delivery",
        true,
        &[("event_id", SPRING), ("report_id", "999999")],
        Need::ManagerOfSpring,
    ),
    (
        "/api/report_page",
        true,
        &[("network", "ejocn"), ("event", "first-plenary-meeting")],
        Need::Anyone,
    ),
    // Last: these end the caller's session(s).
    ("/api/sign_out_everywhere", false, &[], Need::Account),
    ("/api/sign_out", false, &[], Need::Anyone),
];

/// Pages (Leptos routes, axum syntax) and plain routes: the path to request and who
/// may see it.
const PAGES: &[(&str, &str, Need)] = &[
    ("/", "/", Need::Anyone),
    ("/networks/{network}", "/networks/ejocn", Need::Anyone),
    (
        "/networks/{network}/events/{event}",
        "/networks/ejocn/events/first-plenary-meeting",
        Need::Anyone,
    ),
    (
        "/networks/{network}/events/{event}/agenda",
        "/networks/ejocn/events/first-plenary-meeting/agenda",
        Need::Anyone,
    ),
    ("/sign-in", "/sign-in", Need::Anyone),
    ("/sign-in/reset", "/sign-in/reset", Need::Anyone),
    ("/sign-in/link", "/sign-in/link?token=x", Need::Anyone),
    (
        "/account/password",
        "/account/password?token=x",
        Need::Anyone,
    ),
    ("/account", "/account", Need::Account),
    (
        "/guest/events/{id}",
        "/guest/events/{spring}",
        Need::SpringRegistrationPage,
    ),
    (
        "/events/{id}/invitations/upload",
        "/events/{spring}/invitations/upload",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/registration",
        "/events/{spring}/registration",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/agenda",
        "/events/{spring}/agenda",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/agenda/items/{item}",
        "/events/{spring}/agenda/items/999999",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/participants/print",
        "/events/{spring}/participants/print",
        Need::ManagerOfSpring,
    ),
    ("/guest/{token}", "/guest/no-such-token", Need::Anyone),
    (
        "/events/{id}/manage",
        "/events/{spring}/manage",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/invitations",
        "/events/{spring}/invitations",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/participants",
        "/events/{spring}/participants",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/badges",
        "/events/{spring}/badges",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/check-in",
        "/events/{spring}/check-in",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/participants.csv",
        "/events/{spring}/participants.csv",
        Need::ManagerOfSpring,
    ),
    (
        "/account/export.json",
        "/account/export.json",
        Need::Account,
    ),
    (
        "/networks/{network}/calendar.ics",
        "/networks/ejocn/calendar.ics",
        Need::Anyone,
    ),
    (
        "/networks/{network}/events/{event}/calendar.ics",
        "/networks/ejocn/events/plenary-meeting-spring-2027/calendar.ics",
        Need::Anyone,
    ),
    (
        "/networks/{network}/events/{event}/event.ics",
        "/networks/ejocn/events/plenary-meeting-spring-2027/event.ics",
        Need::Anyone,
    ),
    (
        "/networks/{network}/events/{event}/report",
        "/networks/ejocn/events/first-plenary-meeting/report",
        Need::Anyone,
    ),
    (
        "/events/{id}/report",
        "/events/{spring}/report",
        Need::ManagerOfSpring,
    ),
    (
        "/events/{id}/report/send",
        "/events/{spring}/report/send",
        Need::ManagerOfSpring,
    ),
    ("/reports/files/{id}", "/reports/files/999999", Need::Anyone),
    ("/admin", "/admin", Need::Secretariat),
    ("/admin/people", "/admin/people", Need::Secretariat),
    ("/admin/people/{id}", "/admin/people/1", Need::Secretariat),
    (
        "/admin/people/{id}/export.json",
        "/admin/people/1/export.json",
        Need::Secretariat,
    ),
    (
        "/admin/organisations",
        "/admin/organisations",
        Need::Secretariat,
    ),
    (
        "/admin/organisations/{id}",
        "/admin/organisations/1",
        Need::Secretariat,
    ),
    ("/admin/networks", "/admin/networks", Need::Secretariat),
    (
        "/admin/networks/{id}",
        "/admin/networks/1",
        Need::Secretariat,
    ),
    ("/admin/events", "/admin/events", Need::Secretariat),
    ("/admin/events/{id}", "/admin/events/1", Need::Secretariat),
    ("/admin/mail", "/admin/mail", Need::Secretariat),
    ("/admin/mail/{id}", "/admin/mail/1", Need::Secretariat),
    ("/admin/audit", "/admin/audit", Need::Secretariat),
];

#[tokio::test]
async fn every_endpoint_and_page_is_in_the_matrix() {
    let mut missing = Vec::new();
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        if !SERVER_FNS.iter().any(|(p, ..)| *p == path) {
            missing.push(format!("server function {path}"));
        }
    }
    for route in leptos_axum::generate_route_list(app::App) {
        let path = route.path().to_owned();
        if !PAGES.iter().any(|(p, ..)| *p == path) {
            missing.push(format!("page {path}"));
        }
    }
    assert!(
        missing.is_empty(),
        "add these to the authorization matrix: {missing:#?}"
    );
}

/// The cookie a browser of `who` sends (None for anonymous).
async fn cookie_for(app: &TestApp, who: Who, spring: i64) -> Option<String> {
    let email = match who {
        Who::Anonymous => return None,
        Who::Guest | Who::OtherGuest => {
            let event = if who == Who::Guest {
                spring
            } else {
                on_pool!(app.store, pool => {
                    sqlx::query_scalar::<_, i64>("SELECT id FROM events WHERE slug = 'first-plenary-meeting'")
                        .fetch_one(pool).await.unwrap()
                })
            };
            let token = guest_link(app, PARTNER, event).await;
            return Some(format!("convene_guest={token}"));
        }
        Who::Observer => OBSERVER,
        Who::Partner => PARTNER,
        Who::Member => MEMBER,
        Who::Chair => CHAIR,
        Who::Secretariat => SECRETARIAT,
        Who::Disabled => {
            // A signed-in person whose account is then disabled by the secretariat.
            let s = app.demo(OBSERVER).await;
            on_pool!(app.store, pool => {
                sqlx::query("UPDATE accounts SET disabled_at = $1 WHERE person_id = (SELECT id FROM people WHERE email = $2)")
                    .bind(test_clock().now())
                    .bind(OBSERVER)
                    .execute(pool)
                    .await
                    .unwrap();
            });
            return Some(format!("convene_session={s}"));
        }
    };
    Some(format!("convene_session={}", app.demo(email).await))
}

/// Whether the answer means "refused by the policy": 401 for no (usable) session,
/// 403 for a signed-in person without the right.
fn refused(status: u16, who: Who) -> Option<&'static str> {
    match status {
        // No usable session: "please sign in" — for a guest too, unless the call is
        // a guest's call for another event ("not allowed").
        401 if matches!(
            who,
            Who::Anonymous | Who::Disabled | Who::Guest | Who::OtherGuest
        ) =>
        {
            Some("401")
        }
        403 if !matches!(who, Who::Anonymous | Who::Disabled) => Some("403"),
        401 | 403 => Some("the wrong refusal"),
        _ => None,
    }
}

async fn run_matrix(app: &TestApp) {
    let mut wrong = Vec::new();
    let spring: i64 = on_pool!(app.store, pool => {
        sqlx::query_scalar("SELECT id FROM events WHERE slug = 'plenary-meeting-spring-2027'")
            .fetch_one(pool).await.unwrap()
    });
    let first: i64 = on_pool!(app.store, pool => {
        sqlx::query_scalar("SELECT id FROM events WHERE slug = 'first-plenary-meeting'")
            .fetch_one(pool).await.unwrap()
    });
    let fill = |s: &str| {
        s.replace(SPRING, &spring.to_string())
            .replace(FIRST, &first.to_string())
    };
    // Disabled last: it disables the observer's account.
    for who in EVERYONE {
        let cookie = cookie_for(app, who, spring).await;
        for (shown, path, need) in PAGES {
            let mut req = app.client.get(format!("{}{}", app.base, fill(path)));
            if let Some(c) = &cookie {
                req = req.header("cookie", c);
            }
            let res = req.send().await.unwrap();
            let status = res.status().as_u16();
            let allowed = need.allows(who);
            match (allowed, refused(status, who)) {
                // A server error is never "allowed": it hides whatever went wrong.
                (true, None) if status >= 500 => wrong.push(format!(
                    "{who:?} GET page {shown}: {status}, a server error"
                )),
                (true, None) | (false, Some("401" | "403")) => {}
                (true, Some(r)) => wrong.push(format!(
                    "{who:?} GET page {shown}: refused ({r}) but should be allowed"
                )),
                (false, r) => wrong.push(format!(
                    "{who:?} GET page {shown}: {status} ({r:?}) but should be refused"
                )),
            }
        }
        for (path, get, args, need) in SERVER_FNS {
            let res = if *get {
                let query: Vec<String> = args
                    .iter()
                    .map(|(k, v)| format!("{k}={}", fill(v)))
                    .collect();
                let mut req = app
                    .client
                    .get(format!("{}{path}?{}", app.base, query.join("&")));
                if let Some(c) = &cookie {
                    req = req.header("cookie", c);
                }
                req.send().await.unwrap()
            } else {
                // As a script would call it (no Accept: text/html), so errors come back as statuses.
                let filled: Vec<(&str, String)> = args.iter().map(|(k, v)| (*k, fill(v))).collect();
                let mut req = app
                    .client
                    .post(format!("{}{path}", app.base))
                    .header("origin", &app.base)
                    .form(&filled);
                if let Some(c) = &cookie {
                    req = req.header("cookie", c);
                }
                req.send().await.unwrap()
            };
            let status = res.status().as_u16();
            let allowed = need.allows(who);
            match (allowed, refused(status, who)) {
                (true, None) if status >= 500 => {
                    wrong.push(format!("{who:?} {path}: {status}, a server error"))
                }
                (true, None) | (false, Some("401" | "403")) => {}
                (true, Some(r)) => wrong.push(format!(
                    "{who:?} {path}: refused ({r}) but should be allowed"
                )),
                (false, r) => wrong.push(format!(
                    "{who:?} {path}: {status} ({r:?}) but should be refused"
                )),
            }
        }
    }
    // Per event: the chair manages their own event and not another one.
    let chair = cookie_for(app, Who::Chair, spring).await.unwrap();
    for (page, want) in [
        (format!("/events/{spring}/manage"), 200),
        (format!("/events/{first}/manage"), 403),
        (format!("/api/event_manage?id={first}"), 403),
    ] {
        let got = app
            .client
            .get(format!("{}{page}", app.base))
            .header("cookie", &chair)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if got != want {
            wrong.push(format!("Chair GET {page}: {got}, expected {want}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "authorization matrix violations:\n{}",
        wrong.join("\n")
    );
}

crate::on_both_backends! { TestApp;
    async fn every_role_gets_exactly_what_the_matrix_says(app) {
        run_matrix(&app).await;
    }
}
