//! Organisations: the national authorities, EU agencies and institutions and
//! third-country authorities people belong to and networks are hosted by. The
//! secretariat keeps them (`/admin/organisations`).
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

use crate::ui::{form_fields, Choice, FormState};
use serde::{Deserialize, Serialize};

form_fields!(
    /// An organisation.
    OrganisationForm, "organisation", secret [] { name, short_name, kind, country }
);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationLine {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub country: Option<String>,
    pub people: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationsData {
    pub rows: Vec<OrganisationLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationData {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub country: String,
    pub kinds: Vec<Choice>,
    pub form: FormState,
}
