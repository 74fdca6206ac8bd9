//! Server functions of the directory. Each asks the policy first; forms post here
//! without JavaScript and `platform::forms` sends the browser on or back.
use super::{OrganisationData, OrganisationsData, PeopleData, PersonData};
#[cfg(feature = "ssr")]
use crate::domain::{optional_text, required_text};
#[cfg(feature = "ssr")]
use crate::error::ConflictAt;
use crate::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod server {
    use super::super::{Choice, ORGANISATION_KINDS};
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

    pub fn kinds() -> Vec<Choice> {
        ORGANISATION_KINDS
            .iter()
            .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
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
    pub fn member_state(field: &str, value: &str) -> Result<Option<&'static str>, AppError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        MemberState::parse(value.trim())
            .map(|m| Some(m.code()))
            .map_err(|_| DomainError::new(field, "Choose a Member State from the list.").into())
    }

    /// A date typed as YYYY-MM-DD, or None when empty.
    pub fn date(field: &str, value: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
        let v = value.trim();
        if v.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                DomainError::new(field, "Enter a date as YYYY-MM-DD, for example 2027-01-31.")
                    .into()
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
        organisations: server::choices(store::organisation_choices(&state.store).await?),
        networks: server::choices(server::networks(&state.store).await?),
        member_states: server::member_states(),
        categories: server::categories(),
        person_form: forms::take("person"),
        account_form: forms::take("account"),
        membership_form: forms::take("membership"),
        erase_form: forms::take("erase"),
    };
    if id == 0 {
        return Ok(data);
    }
    let p = store::person(&state.store, id).await?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%d %B %Y").to_string());
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
            active: m.active_from.is_none_or(|f| f <= today)
                && m.active_to.is_none_or(|t| t > today),
            from: date(m.active_from),
            to: date(m.active_to),
        })
        .collect();
    data.events = crate::accounts::store::event_roles_of(&state.store, id)
        .await?
        .into_iter()
        .map(|(network, event, title, role, _)| {
            (title, role, format!("/networks/{network}/events/{event}"))
        })
        .collect();
    Ok(data)
}

/// Creates (id 0) or corrects a person.
#[server(prefix = "/api/admin", endpoint = "save_person")]
pub async fn save_person(
    id: i64,
    full_name: String,
    email: String,
    title: String,
    organisation_id: String,
    member_state: String,
) -> Result<(), AppError> {
    use super::store::{self, PersonInput};
    use crate::domain::{DomainError, EmailAddress};
    use crate::platform::policy::{check, Action};
    use crate::platform::{audit, forms};
    let (state, viewer) = check(Action::Administer).await?;
    let back = if id == 0 {
        "/admin/people/new".to_owned()
    } else {
        format!("/admin/people/{id}")
    };
    let kept = [
        ("full_name", full_name.as_str()),
        ("email", email.as_str()),
        ("title", title.as_str()),
        ("organisation_id", organisation_id.as_str()),
        ("member_state", member_state.as_str()),
    ];
    let result = async {
        let name = required_text("full_name", &full_name, "the person's full name", 200)?;
        let address = EmailAddress::parse(&email)?;
        let title = optional_text("title", &title, 200)?;
        let organisation = match organisation_id.trim() {
            "" => None,
            raw => {
                let oid = raw.parse::<i64>().map_err(|_| {
                    DomainError::new("organisation_id", "Choose an organisation from the list.")
                })?;
                if !store::organisation_exists(&state.store, oid).await? {
                    return Err(DomainError::new(
                        "organisation_id",
                        "Choose an organisation from the list.",
                    )
                    .into());
                }
                Some(oid)
            }
        };
        let ms = server::member_state("member_state", &member_state)?;
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
    }
    .await;
    forms::finish("person", &back, &kept, result)
}

/// Account actions on a person: `create` (and email a password link),
/// `send_password_link`, `disable`, `enable`, `grant_secretariat`, `revoke_secretariat`.
#[server(prefix = "/api/admin", endpoint = "account_action")]
pub async fn account_action(person_id: i64, action: String) -> Result<(), AppError> {
    use super::store;
    use crate::domain::EmailAddress;
    use crate::platform::auth::TokenPurpose;
    use crate::platform::policy::{check, Action};
    use crate::platform::{audit, forms};
    let (state, viewer) = check(Action::Administer).await?;
    let back = format!("/admin/people/{person_id}");
    let result = async {
        let p = store::person(&state.store, person_id).await?;
        let now = state.clock.now();
        let own = person_id == viewer.person_id;
        let refused = |why: &str| Err(AppError::Conflict(why.into()));
        let (audit_action, notice) = match action.as_str() {
            "create" if !p.has_account => (
                "account_created",
                "Account created; a link to choose a password is on its way.",
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
                crate::accounts::links::queue_link(
                    &mut tx,
                    &state.mailer.settings().message_id_domain(),
                    &state.security.origin(),
                    person_id,
                    &p.full_name,
                    &p.email,
                    TokenPurpose::Password,
                    now,
                )
                .await?;
                mails = true;
            }
            "disable" | "enable" => {
                store::set_disabled(&mut tx, person_id, action == "disable", now).await?;
                // Links issued before must not outlive a disable (or come back with
                // an enable).
                crate::platform::auth::revoke_tokens(&mut tx, person_id).await?;
            }
            _ => {
                store::set_secretariat(&mut tx, person_id, action == "grant_secretariat").await?;
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
    }
    .await;
    forms::finish("account", &back, &[], result)
}

/// Adds a membership of a network to a person.
#[server(prefix = "/api/admin", endpoint = "add_membership")]
pub async fn add_membership(
    person_id: i64,
    network_id: String,
    category: String,
    member_state: String,
    active_from: String,
    active_to: String,
) -> Result<(), AppError> {
    use super::store::{self, MembershipInput};
    use crate::domain::{DomainError, MembershipCategory};
    use crate::platform::policy::{check, Action};
    use crate::platform::{audit, forms};
    let (state, viewer) = check(Action::Administer).await?;
    let back = format!("/admin/people/{person_id}");
    let kept = [
        ("network_id", network_id.as_str()),
        ("category", category.as_str()),
        ("member_state", member_state.as_str()),
        ("active_from", active_from.as_str()),
        ("active_to", active_to.as_str()),
    ];
    let result = async {
        store::person(&state.store, person_id).await?;
        let known = server::networks(&state.store).await?;
        let network: i64 = network_id
            .trim()
            .parse()
            .ok()
            .filter(|n| known.iter().any(|(k, _)| k == n))
            .ok_or_else(|| DomainError::new("network_id", "Choose a network from the list."))?;
        let cat = MembershipCategory::parse(category.trim())?;
        let ms = server::member_state("member_state", &member_state)?;
        if cat == MembershipCategory::NationalContactPoint && ms.is_none() {
            return Err(DomainError::new(
                "member_state",
                "A National Contact Point represents a Member State: choose it.",
            )
            .into());
        }
        let from = server::date("active_from", &active_from)?;
        let to = server::date("active_to", &active_to)?;
        if let (Some(f), Some(t)) = (from, to) {
            if t <= f {
                return Err(
                    DomainError::new("active_to", "The end must come after the start.").into(),
                );
            }
        }
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
    }
    .await;
    forms::finish("membership", &back, &kept, result)
}

/// Ends a membership today (`remove` false) or deletes one entered by mistake.
#[server(prefix = "/api/admin", endpoint = "change_membership")]
pub async fn change_membership(
    id: i64,
    person_id: i64,
    remove: Option<String>,
) -> Result<(), AppError> {
    use super::store;
    use crate::platform::policy::{check, Action};
    use crate::platform::{audit, forms};
    let (state, viewer) = check(Action::Administer).await?;
    let back = format!("/admin/people/{person_id}");
    let result = async {
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let (pid, action, notice) = if remove.is_some() {
            (
                store::delete_membership(&mut tx, id).await?,
                "membership_removed",
                "Membership removed.",
            )
        } else {
            (
                store::end_membership(&mut tx, id, now.date_naive()).await?,
                "membership_ended",
                "Membership ended today.",
            )
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), action)
                .on("person", pid)
                .detail(format!("membership {id}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(format!("/admin/people/{pid}")).with_notice(notice))
    }
    .await;
    forms::finish("membership", &back, &[], result)
}

/// Erases a person's personal data (see `accounts::store::erase_person`), audited.
#[server(prefix = "/api/admin", endpoint = "erase_person")]
pub async fn erase_person(person_id: i64, confirm: Option<String>) -> Result<(), AppError> {
    use crate::domain::DomainError;
    use crate::platform::policy::{check, Action};
    use crate::platform::{audit, forms};
    let (state, viewer) = check(Action::ErasePerson).await?;
    let back = format!("/admin/people/{person_id}");
    let result = async {
        if person_id == viewer.person_id {
            return Err(DomainError::new(
                "confirm",
                "You cannot erase yourself; ask another member of the secretariat.",
            )
            .into());
        }
        if confirm.as_deref() != Some("yes") {
            return Err(DomainError::new(
                "confirm",
                "Tick the box to confirm: erasing cannot be undone.",
            )
            .into());
        }
        super::store::person(&state.store, person_id).await?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        crate::accounts::store::erase_person(&mut tx, person_id, now).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "person_erased").on("person", person_id),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to("/admin/people").with_notice(format!("Person {person_id} is erased.")))
    }
    .await;
    forms::finish("erase", &back, &[], result)
}

/// `/admin/organisations`.
#[server(prefix = "/api/admin", endpoint = "organisations_admin", input = server_fn::codec::GetUrl)]
pub async fn organisations_admin() -> Result<OrganisationsData, AppError> {
    use super::OrganisationLine;
    use crate::platform::policy::{check, Action};
    let (state, _) = check(Action::Administer).await?;
    let rows = super::store::organisations(&state.store).await?;
    Ok(OrganisationsData {
        rows: rows
            .into_iter()
            .map(|o| OrganisationLine {
                id: o.id,
                name: o.name,
                short_name: o.short_name,
                kind: super::ORGANISATION_KINDS
                    .iter()
                    .find(|(k, _)| *k == o.kind)
                    .map(|(_, l)| (*l).to_owned())
                    .unwrap_or(o.kind),
                country: o.country,
                people: o.people,
            })
            .collect(),
    })
}

/// `/admin/organisations/:id` (0: new).
#[server(prefix = "/api/admin", endpoint = "organisation_admin", input = server_fn::codec::GetUrl)]
pub async fn organisation_admin(id: i64) -> Result<OrganisationData, AppError> {
    use crate::platform::forms;
    use crate::platform::policy::{check, Action};
    let (state, _) = check(Action::Administer).await?;
    let mut data = OrganisationData {
        id: 0,
        name: String::new(),
        short_name: String::new(),
        kind: "national_authority".into(),
        country: String::new(),
        kinds: server::kinds(),
        form: forms::take("organisation"),
    };
    if id != 0 {
        let o = super::store::organisation(&state.store, id).await?;
        data.id = o.id;
        data.name = o.name;
        data.short_name = o.short_name.unwrap_or_default();
        data.kind = o.kind;
        data.country = o.country.unwrap_or_default();
    }
    Ok(data)
}

/// Creates (id 0) or corrects an organisation.
#[server(prefix = "/api/admin", endpoint = "save_organisation")]
pub async fn save_organisation(
    id: i64,
    name: String,
    short_name: String,
    kind: String,
    country: String,
) -> Result<(), AppError> {
    use super::store;
    use crate::domain::{DomainError, Slug};
    use crate::networks::store::NewOrganisation;
    use crate::platform::policy::{check, Action};
    use crate::platform::{audit, forms};
    let (state, viewer) = check(Action::Administer).await?;
    let back = if id == 0 {
        "/admin/organisations/new".to_owned()
    } else {
        format!("/admin/organisations/{id}")
    };
    let kept = [
        ("name", name.as_str()),
        ("short_name", short_name.as_str()),
        ("kind", kind.as_str()),
        ("country", country.as_str()),
    ];
    let result = async {
        let name = required_text("name", &name, "the organisation's name", 200)?;
        let short = optional_text("short_name", &short_name, 40)?;
        if !super::ORGANISATION_KINDS.iter().any(|(k, _)| *k == kind) {
            return Err(DomainError::new("kind", "Choose a kind from the list.").into());
        }
        let country = optional_text("country", &country, 2)?.map(|c| c.to_uppercase());
        if country
            .as_deref()
            .is_some_and(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic()))
        {
            return Err(DomainError::new(
                "country",
                "Use the two-letter country code, for example NL.",
            )
            .into());
        }
        let slug = Slug::from_title(&name)
            .map_err(|_| DomainError::new("name", "Use a name with letters or digits."))?;
        let input = NewOrganisation {
            slug: slug.as_str(),
            name: &name,
            short_name: short.as_deref(),
            kind: &kind,
            country: country.as_deref(),
        };
        let taken = "An organisation with this name already exists.";
        let mut tx = state.store.begin().await?;
        let (oid, action) = if id == 0 {
            (
                store::create_organisation(&mut tx, &input)
                    .await
                    .conflict_at("name", taken)?,
                "organisation_created",
            )
        } else {
            store::update_organisation(&mut tx, id, &input)
                .await
                .conflict_at("name", taken)?;
            (id, "organisation_updated")
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), action).on("organisation", oid),
            state.clock.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(format!("/admin/organisations/{oid}")).with_notice("Saved."))
    }
    .await;
    forms::finish("organisation", &back, &kept, result)
}
