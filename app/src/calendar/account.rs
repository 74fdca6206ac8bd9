//! A person's own feed on their account page: make its secret address, copy it,
//! make a new one (the old one stops working), or take it away. Only the hash
//! of the secret is stored, so the address is shown once, when it is made.
use crate::ui::{form_fields, FormNotice, FormState};
use crate::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

form_fields!(
    /// Making (or making anew) or taking away one's personal feed address.
    FeedAddressForm, "feed-address", secret [] { action }
);

/// The account page's calendar section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonalFeedPanel {
    /// "29 November 2026": when the current address was made, if there is one.
    pub made: Option<String>,
    /// After "make": the notice, and the new address once (`values["address"]`).
    pub form: FormState,
}

/// The panel for the account page of `person_id`.
#[cfg(feature = "ssr")]
pub async fn panel(
    state: &crate::platform::AppState,
    person_id: i64,
) -> Result<PersonalFeedPanel, AppError> {
    let made = super::store::token_made(&state.store, person_id).await?;
    Ok(PersonalFeedPanel {
        made: made.map(|t| crate::ui::long_date(t.date_naive())),
        form: crate::platform::forms::take::<FeedAddressForm>().await,
    })
}

/// Makes a new personal feed address (the earlier one, if any, stops working
/// in the same transaction) or takes it away; audited either way.
#[server(prefix = "/api/account", endpoint = "feed_address")]
pub async fn feed_address(#[server(flatten)] form: FeedAddressForm) -> Result<(), AppError> {
    use crate::platform::policy::Action;
    use crate::platform::{audit, auth, forms};
    forms::submit(
        Action::UseOwnAccount,
        &form,
        "/account",
        async |state, viewer| {
            let now = state.clock.now();
            let mut tx = state.store.begin().await?;
            let done = match form.action.as_str() {
                "make" => {
                    let (secret, hash) = auth::new_secret();
                    super::store::set_token(&mut tx, viewer.person_id, &hash, now).await?;
                    audit::record(
                        &mut tx,
                        audit::Entry::new(Some(viewer.person_id), "calendar_address_made")
                            .on("person", viewer.person_id),
                        now,
                    )
                    .await?;
                    let address = state
                        .security
                        .link(&super::personal_feed_href(&secret));
                    forms::Done::to("/account#calendar-heading")
                        .with_notice(
                            "Your personal calendar address is ready. Copy it now: it is shown only this once. Any earlier address no longer works.",
                        )
                        .with_value("address", address)
                }
                "revoke" => {
                    if !super::store::revoke_token(&mut tx, viewer.person_id).await? {
                        return Err(AppError::Conflict(
                            "You have no personal calendar address to take away.".into(),
                        ));
                    }
                    audit::record(
                        &mut tx,
                        audit::Entry::new(Some(viewer.person_id), "calendar_address_revoked")
                            .on("person", viewer.person_id),
                        now,
                    )
                    .await?;
                    forms::Done::to("/account#calendar-heading").with_notice(
                        "Your personal calendar address is taken away: calendars that used it get nothing more.",
                    )
                }
                _ => {
                    return Err(crate::domain::DomainError::new(
                        "action",
                        "Choose to make an address or to take it away.",
                    )
                    .into())
                }
            };
            tx.commit().await?;
            Ok(done)
        },
    )
    .await
}

/// Copies `text` to the clipboard (with JavaScript); the field beside it can be
/// selected and copied by hand without.
#[island]
fn CopyButton(text: String, label: String) -> impl IntoView {
    // What the status line says: nothing until pressed, then what the browser did.
    let (said, say) = signal("");
    let copy = move |_| {
        let written = window().navigator().clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(written).await {
                Ok(_) => say.set(" Copied."),
                Err(_) => {
                    say.set(" This browser did not allow copying: select the address and copy it.")
                }
            }
        });
    };
    view! {
        <button type="button" class="button-secondary" on:click=copy aria-label=label>"Copy"</button>
        <span role="status" class="muted">{move || said.get()}</span>
    }
}

/// The account page's "Your calendar" section.
#[component]
pub fn PersonalFeedSection(panel: PersonalFeedPanel) -> impl IntoView {
    let address = panel.form.value("address");
    let state = panel.form.clone();
    view! {
        <section aria-labelledby="calendar-heading" data-testid="personal-feed">
            <h2 id="calendar-heading">"Your calendar"</h2>
            <p>
                "Subscribe to your own calendar of Convene meetings in Outlook, Thunderbird, Google Calendar or Apple Calendar: "
                "every meeting you registered for, its plenary sessions and the workshops you chose, kept up to date. "
                "Its address is secret: anyone who has it sees what you see."
            </p>
            <FormNotice state=state/>
            {address.map(|address| {
                let webcal = super::webcal(&address);
                view! {
                    <div class="feed-address">
                        <label for="feed-address-value">"Your personal calendar address"</label>
                        <div class="filter-row">
                            <input id="feed-address-value" type="text" readonly value=address.clone() data-testid="feed-address"/>
                            <CopyButton text=address.clone() label="Copy your personal calendar address".into()/>
                        </div>
                        <p><a href=webcal>"Subscribe in your calendar program"</a></p>
                    </div>
                }
            })}
            {match panel.made {
                Some(made) => view! {
                    <p data-testid="feed-made">{format!("Your current address was made on {made}. If it may have reached someone else, make a new one: the old one stops working at once.")}</p>
                    <form method="post" action=FeedAddress::url() class="inline-form">
                        <input type="hidden" name="action" value="make"/>
                        <button type="submit">"Make a new address"</button>
                    </form>
                    <form method="post" action=FeedAddress::url() class="inline-form">
                        <input type="hidden" name="action" value="revoke"/>
                        <button type="submit" class="button-secondary">"Take the address away"</button>
                    </form>
                }.into_any(),
                None => view! {
                    <p>"You have no personal calendar address yet."</p>
                    <form method="post" action=FeedAddress::url()>
                        <input type="hidden" name="action" value="make"/>
                        <button type="submit">"Make my calendar address"</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
