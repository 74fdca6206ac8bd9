//! Server functions of organisations; each asks the policy first.
use super::{OrganisationData, OrganisationForm, OrganisationsData};
#[cfg(feature = "ssr")]
use crate::domain::{optional_text, required_text};
#[cfg(feature = "ssr")]
use crate::error::ConflictAt;
use crate::AppError;
use leptos::prelude::*;

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
                kind: crate::domain::OrganisationKind::parse(&o.kind)
                    .map(|k| k.label().to_owned())
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
        kinds: crate::domain::enum_choices(
            crate::domain::OrganisationKind::ALL,
            crate::domain::OrganisationKind::as_str,
            crate::domain::OrganisationKind::label,
        ),
        form: forms::take::<OrganisationForm>().await,
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

/// Creates (id 0) or corrects an organisation. Names are unique regardless of
/// case, for a new organisation and for a rename.
#[server(prefix = "/api/admin", endpoint = "save_organisation")]
pub async fn save_organisation(
    id: i64,
    #[server(flatten)] form: OrganisationForm,
) -> Result<(), AppError> {
    use super::store::{self, NewOrganisation};
    use crate::domain::{DomainError, Problems, Slug};
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = if id == 0 {
        "/admin/organisations/new".to_owned()
    } else {
        format!("/admin/organisations/{id}")
    };
    forms::submit(Action::Administer, &form, back, async |state, viewer| {
        let mut p = Problems::new();
        let name = p.check(required_text(
            "name",
            &form.name,
            "the organisation's name",
            200,
        ));
        let short = p.check(optional_text("short_name", &form.short_name, 40));
        let kind = p.check_opt(
            crate::domain::OrganisationKind::parse(form.kind.trim())
                .map_err(|_| DomainError::new("kind", "Choose a kind from the list.")),
        );
        let country = p
            .check(optional_text("country", &form.country, 2))
            .map(|c| c.to_uppercase());
        if country
            .as_deref()
            .is_some_and(|c| c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic()))
        {
            p.add(DomainError::new(
                "country",
                "Use the two-letter country code, for example NL.",
            ));
        }
        let slug = if p.has("name") {
            None
        } else {
            p.check_opt(
                Slug::from_title(&name)
                    .map_err(|_| DomainError::new("name", "Use a name with letters or digits.")),
            )
        };
        p.done()?;
        let slug = slug.expect("checked");
        let input = NewOrganisation {
            slug: slug.as_str(),
            name: &name,
            short_name: short.as_deref(),
            kind: kind.expect("checked").as_str(),
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
    })
    .await
}
