//! Forms that work without JavaScript: a plain `<form method="post">` to a server
//! function. When the server refuses the input it redirects back to the form with
//! what was typed and the message for the wrong field (see `platform::forms`), so
//! nothing typed is lost. Passwords are never sent back.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a form shows after a round trip: the values typed, the error per field,
/// and a notice for the whole form (success or failure).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    /// Which form this belongs to, so another form on the page ignores it.
    pub form: String,
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
    pub notice: Option<String>,
    /// Whether `notice` reports a failure.
    pub failed: bool,
}

impl FormState {
    pub fn value(&self, field: &str) -> Option<String> {
        self.values.get(field).cloned()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).cloned()
    }

    /// The value typed last time, or else `saved`.
    pub fn value_or(&self, field: &str, saved: impl Into<String>) -> String {
        self.value(field).unwrap_or_else(|| saved.into())
    }
}

/// The ids and ARIA values that tie a control to its label, hint and error.
struct Wiring {
    id: String,
    described: Option<String>,
    invalid: Option<&'static str>,
}

/// The frame every field shares: label (with the required mark), hint, error
/// message, then the control, which `wiring` ties to them for screen readers.
fn framed<V: IntoView>(
    form: &str,
    name: &str,
    label: &'static str,
    required: bool,
    hint: Option<&'static str>,
    error: Option<String>,
    control: impl FnOnce(Wiring) -> V,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = [
        hint.map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let wiring = Wiring {
        id: id.clone(),
        described: (!described.is_empty()).then_some(described),
        invalid: error.is_some().then_some("true"),
    };
    let class = if error.is_some() {
        "field field-error"
    } else {
        "field"
    };
    view! {
        <div class=class>
            <label for=id>{label}{required.then_some(view! { <span class="required" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.map(|e| view! { <p class="error-message" id=error_id><span class="visually-hidden">"Error: "</span>{e}</p> })}
            {control(wiring)}
        </div>
    }
}

/// A labelled input with its error message tied to it for screen readers.
#[component]
pub fn Field(
    /// The form's id prefix, so two forms on a page have unique ids.
    form: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(into, optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    framed(form, name, label, required, hint, error, move |w| {
        view! {
            <input
                id=w.id
                name=name
                type=kind
                value=value
                required=required
                autocomplete=autocomplete
                aria-invalid=w.invalid
                aria-describedby=w.described
            />
        }
    })
}

/// A labelled choice from a list of (value, label); `selected` is the current value.
#[component]
pub fn SelectField(
    form: &'static str,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(into, optional)] selected: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// A first, empty choice such as "None" or "Any".
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView {
    framed(form, name, label, required, hint, error, move |w| {
        view! {
            <select id=w.id name=name required=required aria-invalid=w.invalid aria-describedby=w.described>
                {empty.map(|e| view! { <option value="" selected=selected.is_empty()>{e}</option> })}
                {options.into_iter().map(|(v, l)| {
                    let sel = v == selected;
                    view! { <option value=v selected=sel>{l}</option> }
                }).collect_view()}
            </select>
        }
    })
}

/// A labelled multi-line text input.
#[component]
pub fn TextAreaField(
    form: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(into, optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    // tachys 0.2 writes a `<textarea>`'s children into the HTML unescaped (it lists
    // textarea with script and style), so a stored `</textarea><form …>` would end
    // the field and become live markup. The server escapes the text itself; in the
    // browser the text becomes a text node, which needs no escaping.
    #[cfg(feature = "ssr")]
    let value = super::escape_html(&value);
    framed(form, name, label, required, hint, error, move |w| {
        view! {
            <textarea id=w.id name=name rows=rows required=required aria-invalid=w.invalid aria-describedby=w.described>{value}</textarea>
        }
    })
}

/// The notice at the top of a form: a status for success, an alert for failure.
#[component]
pub fn FormNotice(state: FormState) -> impl IntoView {
    let has_errors = !state.errors.is_empty();
    state
        .notice
        .clone()
        .or_else(|| has_errors.then(|| "Please correct the fields marked below.".to_owned()))
        .map(|text| {
            if state.failed || has_errors {
                view! { <div class="notice notice-warning" role="alert" data-testid="form-error">{text}</div> }.into_any()
            } else {
                view! { <div class="notice notice-success" role="status" data-testid="form-notice">{text}</div> }.into_any()
            }
        })
}
