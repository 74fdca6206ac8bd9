//! Server functions of the directory. Each asks the policy first; forms post here
//! without JavaScript and `platform::forms` sends the browser on or back.
use super::{
    AccountActionForm, EraseForm, MembershipChangeForm, MembershipForm, PeopleData, PersonData,
    PersonForm,
};
#[cfg(feature = "ssr")]
use crate::domain::{optional_text, required_text};
#[cfg(feature = "ssr")]
use crate::error::ConflictAt;
use crate::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use super::super::Choice;
    use crate::domain::{DomainError, MemberState, MembershipCategory};
    use crate::AppError;

    pub fn member_states() -> Vec<Choice> {
        MemberState::all()
            .map(|m| (m.code().to_owned(), m.name().to_owned()))
            .collect()
    }

    pub fn categories() -> Vec<Choice> {
        MembershipCategory::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
            .collect()
    }

    /// Every network as (id, name).
    pub async fn networks(store: &crate::platform::Store) -> Result<Vec<(i64, String)>, AppError> {
        Ok(crate::networks::store::network_choices(store)
            .await?
            .into_iter()
            .map(|(id, _, name)| (id, name))
            .collect())
    }

    pub fn choices(rows: Vec<(i64, String)>) -> Vec<Choice> {
        rows.into_iter()
            .map(|(id, n)| (id.to_string(), n))
            .collect()
    }

    /// A Member State code, or None when empty.
    pub fn member_state(field: &str, value: &str) -> Result<Option<&'static str>, DomainError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        MemberState::parse(value.trim())
            .map(|m| Some(m.code()))
            .map_err(|_| DomainError::new(field, "Choose a Member State from the list."))
    }

    /// A date typed as YYYY-MM-DD, or None when empty.
    pub fn date(field: &str, value: &str) -> Result<Option<chrono::NaiveDate>, DomainError> {
        let v = value.trim();
        if v.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                DomainError::new(field, "Enter a date as YYYY-MM-DD, for example 2027-01-31.")
            })
    }
}

/// `/admin/people`: people by name, filtered by network, Member State and category.
#[server(prefix = "/api/admin", endpoint = "people_admin", input = server_fn::codec::GetUrl)]
pub async fn people_admin(
    network: Option<String>,
    member_state: Option<String>,
    category: Option<String>,
    q: Option<String>,
    page: Option<i64>,
) -> Result<PeopleData, AppError> {
    use super::store::{self, PeopleFilter};
    use super::PersonLine;
    use crate::domain::{MemberState, MembershipCategory};
    use crate::platform::policy::{check, Action};
    const PER_PAGE: i64 = 50;
    let (state, _) = check(Action::Administer).await?;
    let networks = server::networks(&state.store).await?;
    let nonempty = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = PeopleFilter {
        network_id: nonempty(network).and_then(|n| n.parse().ok()),
        member_state: nonempty(member_state)
            .and_then(|m| MemberState::parse(&m).ok())
            .map(|m| m.code().to_owned()),
        category: nonempty(category)
            .and_then(|c| MembershipCategory::parse(&c).ok())
            .map(|c| c.as_str().to_owned()),
        text: nonempty(q).map(|t| t.to_lowercase()),
    };
    let page = page.unwrap_or(1).max(1);
    let (rows, total) =
        store::list_people(&state.store, &filter, PER_PAGE, (page - 1) * PER_PAGE).await?;
    Ok(PeopleData {
        rows: rows
            .into_iter()
            .map(|r| PersonLine {
                id: r.id,
                full_name: r.full_name,
                email: r.email,
                organisation: r.organisation,
                member_state: r
                    .member_state
                    .and_then(|m| MemberState::parse(&m).ok())
                    .map(|m| m.name().to_owned()),
                account: match (r.has_account, r.disabled, r.secretariat) {
                    (false, _, _) => "no account",
                    (true, true, _) => "disabled",
                    (true, false, true) => "secretariat",
                    (true, false, false) => "active",
                }
                .to_owned(),
            })
            .collect(),
        total,
        page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        networks: server::choices(networks),
        member_states: server::member_states(),
        categories: server::categories(),
        notice: crate::platform::forms::take::<EraseForm>().await,
    })
}

/// `/admin/people/:id` (0: a new person).
#[server(prefix = "/api/admin", endpoint = "person_admin", input = server_fn::codec::GetUrl)]
pub async fn person_admin(id: i64) -> Result<PersonData, AppError> {
    use super::{store, AccountState, MembershipItem};
    use crate::domain::{MemberState, MembershipCategory};
    use crate::platform::forms;
    use crate::platform::policy::{check, Action};
    let (state, viewer) = check(Action::Administer).await?;
    let today = state.clock.now().date_naive();
    let mut data = PersonData {
        id: 0,
        full_name: String::new(),
        email: String::new(),
        title: String::new(),
        organisation_id: String::new(),
        member_state: String::new(),
        account: AccountState {
            exists: false,
            disabled: false,
            secretariat: false,
            password_set: false,
            last_sign_in: None,
        },
        memberships: vec![],
        events: vec![],
        is_self: id == viewer.person_id,
        organisations: server::choices(
            crate::organisations::store::organisation_choices(&state.store).await?,
        ),
        networks: server::choices(server::networks(&state.store).await?),
        member_states: server::member_states(),
        categories: server::categories(),
        person_form: forms::take::<PersonForm>().await,
        account_form: forms::take::<AccountActionForm>().await,
        membership_form: forms::take::<MembershipForm>().await,
        erase_form: forms::take::<EraseForm>().await,
    };
    if id == 0 {
        return Ok(data);
    }
    let p = store::person(&state.store, id).await?;
    let date = |d: Option<chrono::NaiveDate>| d.map(crate::ui::long_date);
    data.id = p.id;
    data.full_name = p.full_name;
    data.email = p.email;
    data.title = p.title.unwrap_or_default();
    data.organisation_id = p.organisation_id.map(|o| o.to_string()).unwrap_or_default();
    data.member_state = p.member_state.unwrap_or_default();
    data.account = AccountState {
        exists: p.has_account,
        disabled: p.disabled,
        secretariat: p.secretariat,
        password_set: p.password_set,
        last_sign_in: p
            .last_sign_in_at
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
    };
    data.memberships = store::memberships(&state.store, id)
        .await?
        .into_iter()
        .map(|m| MembershipItem {
            id: m.id,
            network: m.network,
            category: MembershipCategory::parse(&m.category)
                .map(|c| c.label().to_owned())
                .unwrap_or(m.category),
            member_state: m
                .member_state
                .and_then(|s| MemberState::parse(&s).ok())
                .map(|s| s.name().to_owned()),
            active: crate::domain::membership_active(m.active_from, m.active_to, today),
            from: date(m.active_from),
            to: date(m.active_to),
        })
        .collect();
    data.events = crate::accounts::store::event_roles_of(&state.store, id)
        .await?
        .into_iter()
        .map(|r| {
            (
                r.title,
                r.role,
                crate::events::event_href(&r.network, &r.event),
            )
        })
        .collect();
    Ok(data)
}

/// Creates (id 0) or corrects a person.
#[server(prefix = "/api/admin", endpoint = "save_person")]
pub async fn save_person(id: i64, #[server(flatten)] form: PersonForm) -> Result<(), AppError> {
    use super::store::{self, PersonInput};
    use crate::domain::{DomainError, EmailAddress, Problems};
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = if id == 0 {
        "/admin/people/new".to_owned()
    } else {
        format!("/admin/people/{id}")
    };
    forms::submit(Action::Administer, &form, back, async |state, viewer| {
        let mut p = Problems::new();
        let name = p.check(required_text(
            "full_name",
            &form.full_name,
            "the person's full name",
            200,
        ));
        let address = p.check_opt(EmailAddress::parse(&form.email));
        let title = p.check(optional_text("title", &form.title, 200));
        let choose =
            || DomainError::new("organisation_id", "Choose an organisation from the list.");
        let organisation = match form.organisation_id.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(oid)
                    if crate::organisations::store::organisation_exists(&state.store, oid)
                        .await? =>
                {
                    Some(oid)
                }
                _ => {
                    p.add(choose());
                    None
                }
            },
        };
        let ms = p.check(server::member_state("member_state", &form.member_state));
        p.done()?;
        let address = address.expect("checked above");
        let input = PersonInput {
            full_name: &name,
            email: address.as_str(),
            title: title.as_deref(),
            organisation_id: organisation,
            member_state: ms,
        };
        let now = state.clock.now();
        let taken = "Another person already has this address.";
        let mut tx = state.store.begin().await?;
        let (pid, action) = if id == 0 {
            let pid = store::create_person(&mut tx, &input, now)
                .await
                .conflict_at("email", taken)?;
            (pid, "person_created")
        } else {
            let moved = store::update_person(&mut tx, id, &input, now)
                .await
                .conflict_at("email", taken)?;
            if moved {
                // Links mailed to the old address must stop working.
                crate::platform::auth::revoke_tokens(&mut tx, id).await?;
            }
            (id, "person_updated")
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), action).on("person", pid),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(format!("/admin/people/{pid}")).with_notice("Saved."))
    })
    .await
}

/// Account actions on a person: `create` (and email a password link),
/// `send_password_link`, `disable`, `enable`, `grant_secretariat`, `revoke_secretariat`.
#[server(prefix = "/api/admin", endpoint = "account_action")]
pub async fn account_action(
    person_id: i64,
    #[server(flatten)] form: AccountActionForm,
) -> Result<(), AppError> {
    use super::store;
    use crate::domain::EmailAddress;
    use crate::platform::auth::TokenPurpose;
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = format!("/admin/people/{person_id}");
    let action = form.action.clone();
    forms::submit(
        Action::Administer,
        &form,
        back.clone(),
        async |state, viewer| {
            let p = store::person(&state.store, person_id).await?;
            let now = state.clock.now();
            let own = person_id == viewer.person_id;
            let refused = |why: &str| Err(AppError::Conflict(why.into()));
            if super::account_action_needs_confirmation(&action) && form.confirmed != "yes" {
                return refused("Confirm first: use the button and then confirm what it does.");
            }
            let (audit_action, notice) = match action.as_str() {
            "create" if !p.has_account => (
                "account_created",
                "Account created; a welcome with a link to choose a password is on its way.",
            ),
            "send_password_link" if p.has_account => (
                "password_link_sent",
                "A link to choose a password is on its way.",
            ),
            "disable" if p.has_account && !own => (
                "account_disabled",
                "The account is disabled and its sessions have ended.",
            ),
            "enable" if p.has_account => ("account_enabled", "The account is enabled."),
            "grant_secretariat" if p.has_account => (
                "secretariat_granted",
                "This person now has the secretariat's rights.",
            ),
            "revoke_secretariat" if p.has_account && !own => (
                "secretariat_revoked",
                "The secretariat's rights are withdrawn.",
            ),
            "disable" | "revoke_secretariat" if own => return refused(
                "You cannot do this to your own account; ask another member of the secretariat.",
            ),
            _ => return refused("This action does not apply to this person."),
        };
            // The change, its audit entry and the mail it causes: one transaction.
            let mut tx = state.store.begin().await?;
            let mut mails = false;
            match action.as_str() {
                "create" | "send_password_link" => {
                    if action == "create" {
                        crate::accounts::store::ensure_account(
                            &mut tx,
                            &p.full_name,
                            &EmailAddress::parse(&p.email)?,
                            false,
                            now,
                        )
                        .await?;
                    }
                    let domain = state.mailer.settings().message_id_domain();
                    let origin = state.security.origin();
                    if action == "create" {
                        // A new account gets a welcome, not a password reset.
                        let today = now.date_naive();
                        let memberships = store::memberships(&state.store, person_id)
                            .await?
                            .into_iter()
                            .filter(|m| {
                                crate::domain::membership_active(m.active_from, m.active_to, today)
                            })
                            .map(|m| {
                                let category =
                                    crate::domain::MembershipCategory::parse(&m.category)
                                        .map(|c| c.label().to_owned())
                                        .unwrap_or(m.category);
                                let state_name = m
                                    .member_state
                                    .and_then(|s| crate::domain::MemberState::parse(&s).ok())
                                    .map(|s| format!(" ({})", s.name()))
                                    .unwrap_or_default();
                                format!("{}: {category}{state_name}", m.network)
                            })
                            .collect();
                        let contact = state.mailer.settings().from.email.to_string();
                        crate::accounts::links::queue_welcome(
                            &mut tx,
                            &domain,
                            &origin,
                            person_id,
                            &p.full_name,
                            &p.email,
                            &crate::accounts::links::Welcome {
                                added_by: &viewer.name,
                                memberships,
                                contact: &contact,
                            },
                            now,
                        )
                        .await?;
                    } else {
                        crate::accounts::links::queue_link(
                            &mut tx,
                            &domain,
                            &origin,
                            person_id,
                            &p.full_name,
                            &p.email,
                            TokenPurpose::Password,
                            now,
                        )
                        .await?;
                    }
                    mails = true;
                }
                "disable" | "enable" => {
                    store::set_disabled(&mut tx, person_id, action == "disable", now).await?;
                    // Links issued before must not outlive a disable (or come back with
                    // an enable).
                    crate::platform::auth::revoke_tokens(&mut tx, person_id).await?;
                }
                _ => {
                    store::set_secretariat(&mut tx, person_id, action == "grant_secretariat")
                        .await?;
                }
            }
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), audit_action).on("person", person_id),
                now,
            )
            .await?;
            tx.commit().await?;
            if mails {
                state.mailer.wake();
            }
            Ok(forms::Done::to(back.clone()).with_notice(notice))
        },
    )
    .await
}

/// Adds a membership of a network to a person.
#[server(prefix = "/api/admin", endpoint = "add_membership")]
pub async fn add_membership(
    person_id: i64,
    #[server(flatten)] form: MembershipForm,
) -> Result<(), AppError> {
    use super::store::{self, MembershipInput};
    use crate::domain::{DomainError, MembershipCategory, Problems};
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = format!("/admin/people/{person_id}");
    forms::submit(
        Action::Administer,
        &form,
        back.clone(),
        async |state, viewer| {
            store::person(&state.store, person_id).await?;
            let known = server::networks(&state.store).await?;
            let mut p = Problems::new();
            let network = form
                .network_id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|n| known.iter().any(|(k, _)| k == n));
            if network.is_none() {
                p.add(DomainError::new(
                    "network_id",
                    "Choose a network from the list.",
                ));
            }
            let cat = p.check_opt(MembershipCategory::parse(form.category.trim()));
            let ms = p.check(server::member_state("member_state", &form.member_state));
            if cat == Some(MembershipCategory::NationalContactPoint) && ms.is_none() {
                p.add(DomainError::new(
                    "member_state",
                    "A National Contact Point represents a Member State: choose it.",
                ));
            }
            let from = p.check(server::date("active_from", &form.active_from));
            let to = p.check(server::date("active_to", &form.active_to));
            if let (Some(f), Some(t)) = (from, to) {
                if t <= f {
                    p.add(DomainError::new(
                        "active_to",
                        "The end must come after the start.",
                    ));
                }
            }
            p.done()?;
            let (network, cat) = (network.expect("checked"), cat.expect("checked"));
            let now = state.clock.now();
            let input = MembershipInput {
                network_id: network,
                person_id,
                category: cat.as_str(),
                member_state: ms,
                active_from: from,
                active_to: to,
            };
            let mut tx = state.store.begin().await?;
            let id = store::add_membership(&mut tx, &input, now)
                .await
                .conflict_at(
                    "category",
                    "This person already has this category in this network.",
                )?;
            audit::record(
                &mut tx,
                audit::Entry::new(Some(viewer.person_id), "membership_added")
                    .on("person", person_id)
                    .detail(format!(
                        "membership {id}: {} in network {network}",
                        cat.as_str()
                    )),
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(forms::Done::to(back.clone()).with_notice("Membership added."))
        },
    )
    .await
}

/// Ends a membership today (`remove` empty) or deletes one entered by mistake.
/// An end already in the past stays as it is, and a membership cannot end before
/// it starts.
#[server(prefix = "/api/admin", endpoint = "change_membership")]
pub async fn change_membership(
    id: i64,
    person_id: i64,
    #[server(flatten)] form: MembershipChangeForm,
) -> Result<(), AppError> {
    use super::store;
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = format!("/admin/people/{person_id}");
    forms::submit(Action::Administer, &form, back, async |state, viewer| {
        let now = state.clock.now();
        let today = now.date_naive();
        let mut tx = state.store.begin().await?;
        let (owner, from, to) = store::membership_dates(&mut tx, id).await?;
        if owner != person_id {
            return Err(AppError::NotFound);
        }
        let (action, notice) = if !form.remove.is_empty() {
            store::delete_membership(&mut tx, id).await?;
            ("membership_removed", "Membership removed.")
        } else {
            if to.is_some_and(|t| t <= today) {
                return Err(AppError::Conflict(format!(
                    "This membership already ended on {}.",
                    crate::ui::long_date(to.expect("checked"))
                )));
            }
            if from.is_some_and(|f| f >= today) {
                return Err(AppError::Conflict(
                    "This membership has not started yet: remove it instead of ending it.".into(),
                ));
            }
            store::end_membership(&mut tx, id, today).await?;
            ("membership_ended", "Membership ended today.")
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), action)
                .on("person", person_id)
                .detail(format!("membership {id}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(format!("/admin/people/{person_id}")).with_notice(notice))
    })
    .await
}

/// Erases a person's personal data (see `accounts::store::erase_person`), audited.
#[server(prefix = "/api/admin", endpoint = "erase_person")]
pub async fn erase_person(
    person_id: i64,
    #[server(flatten)] form: EraseForm,
) -> Result<(), AppError> {
    use crate::domain::DomainError;
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = format!("/admin/people/{person_id}");
    forms::submit(Action::ErasePerson, &form, back, async |state, viewer| {
        if person_id == viewer.person_id {
            return Err(DomainError::new(
                "confirm",
                "You cannot erase yourself; ask another member of the secretariat.",
            )
            .into());
        }
        if form.confirm != "yes" {
            return Err(DomainError::new(
                "confirm",
                "Tick the box to confirm: erasing cannot be undone.",
            )
            .into());
        }
        super::store::person(&state.store, person_id).await?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        // Their places go to those waiting, who are told, before nothing is left.
        let promoted = crate::registration::api::server::release_places(
            &state,
            &mut tx,
            person_id,
            viewer.person_id,
            now,
        )
        .await?;
        crate::privacy::erase_person(&mut tx, person_id, now).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "person_erased").on("person", person_id),
            now,
        )
        .await?;
        tx.commit().await?;
        if promoted > 0 {
            state.mailer.wake();
        }
        Ok(forms::Done::to("/admin/people").with_notice(format!(
            "The person is erased: nothing personal is left, and the audit log names them as erased person {person_id}."
        )))
    })
    .await
}
