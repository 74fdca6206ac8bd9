//! Shared widgets: page layout, error views, small pieces every feature uses.
mod errors;
pub mod forms;
mod layout;

pub use errors::{ErrorView, NotFound};
pub(crate) use forms::form_fields;
pub use forms::{Field, FormFields, FormNotice, FormState, SelectField, TextAreaField};
pub use layout::{
    id_param, parse_id, AdminNav, Choice, Loading, SecretariatContact, SiteResource, SiteSummary,
};

use crate::domain::EventStatus;
use leptos::prelude::*;

/// The status of an event as a labelled badge; colour is never the only signal.
#[component]
pub fn StatusBadge(status: EventStatus) -> impl IntoView {
    let class = format!("badge badge-{}", status.as_str());
    view! { <span class=class>{status.label()}</span> }
}

/// A calendar date as every page writes it: "1 January 2027" (no leading zero).
pub fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A count with its noun: "1 message", "5 messages", "no message".
pub fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    match n.into() {
        0 => format!("no {one}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// [`count`] at the start of a sentence: "No message", "1 message".
pub fn count_sentence(n: impl Into<i64>, one: &str, many: &str) -> String {
    let mut s = count(n, one, many);
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(super::count_sentence(1, "message", "messages"), "1 message");
        assert_eq!(
            super::count_sentence(0, "message", "messages"),
            "No message"
        );
        assert_eq!(super::count(5, "person", "people"), "5 people");
    }
}

/// Escapes text for HTML text and attribute values (both builds).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a value for a URL query (both builds; `url` is server-only).
pub fn query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The top of a page under another one (a list, an event): its title, a
/// breadcrumb back to the parent, and its `<h1>`. `screen_only` leaves both off
/// paper (pages printed for what they hold, such as badges).
#[component]
pub fn PageHeading(
    /// The parent page's address and name, e.g. `"/admin/people"`, `"People"`.
    #[prop(into)]
    parent_href: String,
    #[prop(into)] parent: String,
    #[prop(into)] heading: String,
    /// What the breadcrumb calls this page, when not its heading.
    #[prop(into, optional)]
    crumb: Option<String>,
    #[prop(optional)] screen_only: bool,
) -> impl IntoView {
    let class = if screen_only {
        "breadcrumb no-print"
    } else {
        "breadcrumb"
    };
    let crumb = crumb.unwrap_or_else(|| heading.clone());
    view! {
        <leptos_meta::Title text=heading.clone()/>
        <nav aria-label="Breadcrumb" class=class>
            <ol>
                <li><a href=parent_href>{parent}</a></li>
                <li aria-current="page">{crumb}</li>
            </ol>
        </nav>
        <h1 class=screen_only.then_some("no-print")>{heading}</h1>
    }
}
