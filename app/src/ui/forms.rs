//! Forms that work without JavaScript: a plain `<form method="post">` to a server
//! function. When the server refuses the input it redirects back to the form with
//! what was typed and the message for the wrong field (see `platform::forms`), so
//! nothing typed is lost. Passwords are never sent back.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A form's fields as one struct: the server function takes it (flattened, so the
/// fields post under their own names), the round trip keeps it, and `ID` names the
/// form once — it prefixes the fields' ids and says which form a round trip is for.
pub trait FormFields: Serialize + Clone + Default + Send + Sync + 'static {
    const ID: &'static str;
    /// Fields that are never sent back after a refusal (passwords).
    const SECRET: &'static [&'static str] = &[];

    /// The typed values to keep, as text, without the secret ones.
    fn kept(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(self) {
            for (k, v) in map {
                if Self::SECRET.contains(&k.as_str()) {
                    continue;
                }
                let text = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => continue,
                    other => other.to_string(),
                };
                out.insert(k, text);
            }
        }
        out
    }
}

/// Declares a form's fields: a struct of text fields with its form id (and the
/// fields never sent back).
macro_rules! form_fields {
    ($(#[$doc:meta])* $name:ident, $id:literal, secret [$($secret:literal),*] { $($field:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $(#[serde(default)] pub $field: String,)*
        }

        impl $crate::ui::FormFields for $name {
            const ID: &'static str = $id;
            const SECRET: &'static [&'static str] = &[$($secret),*];
        }
    };
}
pub(crate) use form_fields;

/// What a form shows after a round trip: the values typed, the errors (in the
/// order of the form's fields), and a notice for the whole form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    /// Which form this belongs to: it prefixes the fields' ids, and another form
    /// on the page ignores it.
    pub form: String,
    pub values: BTreeMap<String, String>,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    /// Whether `notice` reports a failure.
    pub failed: bool,
}

impl FormState {
    /// A form with nothing to show yet.
    pub fn new(form: impl Into<String>) -> Self {
        FormState {
            form: form.into(),
            ..Default::default()
        }
    }

    pub fn value(&self, field: &str) -> Option<String> {
        self.values.get(field).cloned()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.clone())
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
/// message, then the control, which `wiring` ties to them for screen readers. The
/// field's id is the form's id and its name; its error comes from the round trip.
fn framed<V: IntoView>(
    state: &FormState,
    name: &str,
    label: &'static str,
    required: bool,
    hint: Option<&'static str>,
    control: impl FnOnce(Wiring) -> V,
) -> impl IntoView {
    let error = state.error(name);
    let id = format!("{}-{name}", state.form);
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

/// A labelled input. It shows what was typed before a refusal, or else `value`
/// (the saved value), and its error, both from the form's round trip `state`.
#[component]
pub fn Field(
    state: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    /// The saved value, shown unless the round trip brings what was typed.
    #[prop(into, optional)]
    value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    // A password field never shows a value.
    let value = (kind != "password").then(|| state.value_or(name, value));
    framed(&state, name, label, required, hint, move |w| {
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

/// A labelled choice from a list of (value, label); `selected` is the saved value.
#[component]
pub fn SelectField(
    state: FormState,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(into, optional)] selected: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// A first, empty choice such as "None" or "Any".
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView {
    let selected = state.value_or(name, selected);
    framed(&state, name, label, required, hint, move |w| {
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

/// A labelled multi-line text input; `value` is the saved text.
#[component]
pub fn TextAreaField(
    state: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(into, optional)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let value = state.value_or(name, value);
    // tachys 0.2 writes a `<textarea>`'s children into the HTML unescaped (it lists
    // textarea with script and style), so a stored `</textarea><form …>` would end
    // the field and become live markup. The server escapes the text itself; in the
    // browser the text becomes a text node, which needs no escaping.
    #[cfg(feature = "ssr")]
    let value = super::escape_html(&value);
    framed(&state, name, label, required, hint, move |w| {
        view! {
            <textarea id=w.id name=name rows=rows required=required aria-invalid=w.invalid aria-describedby=w.described>{value}</textarea>
        }
    })
}

/// The notice at the top of a form: a status for success; for a refusal, an alert
/// that lists every problem, each a link to its field (the error summary of the
/// GOV.UK and EU design systems). A refused form comes back to this summary.
#[component]
pub fn FormNotice(state: FormState) -> impl IntoView {
    let summary_id = format!("{}-errors", state.form);
    if !state.errors.is_empty() {
        let count = state.errors.len();
        let heading = if count == 1 {
            "There is a problem".to_owned()
        } else {
            format!("There are {count} problems")
        };
        let heading_id = format!("{summary_id}-heading");
        let labelled_by = heading_id.clone();
        return view! {
            <div class="notice notice-warning error-summary" role="alert" tabindex="-1" id=summary_id aria-labelledby=labelled_by data-testid="form-error">
                <p class="error-summary-title" id=heading_id><strong>{heading}</strong></p>
                {state.notice.clone().map(|n| view! { <p>{n}</p> })}
                <ul>
                    {state.errors.iter().map(|(field, message)| {
                        let href = format!("#{}-{field}", state.form);
                        view! { <li><a href=href>{message.clone()}</a></li> }
                    }).collect_view()}
                </ul>
            </div>
        }
        .into_any();
    }
    match state.notice.clone() {
        Some(text) if state.failed => view! {
            <div class="notice notice-warning" role="alert" tabindex="-1" id=summary_id data-testid="form-error">{text}</div>
        }
        .into_any(),
        Some(text) => view! {
            <div class="notice notice-success" role="status" tabindex="-1" id=format!("{}-notice", state.form) data-testid="form-notice">{text}</div>
        }
        .into_any(),
        None => ().into_any(),
    }
}
