//! Sign-in, emailed-link and account pages. Every form is a plain HTML form that
//! posts to its server function: the pages work the same with JavaScript off.
use super::api::{
    account_page, sign_in_page, token_page, ChangePassword, RequestPasswordLink, RequestSignInLink,
    SetPassword, SignIn, SignOutEverywhere, UpdateOwnDetails, UseSignInLink,
};
use crate::ui::{ErrorView, Field, FormNotice, Loading};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const PASSWORD_HINT: &str =
    "At least 12 characters. A few unrelated words are easy to remember and hard to guess.";

/// `/sign-in`: password, or a link by email.
#[component]
pub fn SignInPageView() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(|| (), |_| sign_in_page());
    view! {
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let next = query.read_untracked().get("next").unwrap_or_default();
                match data.await {
                    Err(error) => view! { <ErrorView error nested=true/> }.into_any(),
                    Ok(d) => {
                        let pf = d.password_form;
                        let lf = d.link_form;
                        view! {
                            {d.signed_in_as.map(|n| view! {
                                <p class="notice notice-success" role="status">{format!("You are signed in as {n}. ")}<a href="/account">"Go to your account"</a></p>
                            })}
                            <div class="two-columns">
                                <section aria-labelledby="password-heading" class="panel">
                                    <h2 id="password-heading">"With your password"</h2>
                                    <FormNotice state=pf.clone()/>
                                    <form method="post" action=SignIn::url() novalidate>
                                        <input type="hidden" name="next" value=next/>
                                        <Field state=pf.clone() name="email" label="Email address" kind="email" required=true autocomplete="username"/>
                                        <Field state=pf.clone() name="password" label="Password" kind="password" required=true autocomplete="current-password"/>
                                        <button type="submit">"Sign in"</button>
                                    </form>
                                    <p><a href="/sign-in/reset">"Forgot your password, or never set one?"</a></p>
                                </section>
                                <section aria-labelledby="link-heading" class="panel">
                                    <h2 id="link-heading">"With a link by email"</h2>
                                    <p>"We email you a link that signs you in once, within 15 minutes."</p>
                                    <FormNotice state=lf.clone()/>
                                    <form method="post" action=RequestSignInLink::url() novalidate>
                                        <Field state=lf.clone() name="email" label="Email address" kind="email" required=true autocomplete="email"/>
                                        <button type="submit">"Email me a sign-in link"</button>
                                    </form>
                                </section>
                            </div>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/sign-in/reset`: ask for a password link.
#[component]
pub fn ResetPageView() -> impl IntoView {
    let data = Resource::new(|| (), |_| sign_in_page());
    view! {
        <Title text="Choose a new password"/>
        <h1>"Choose a new password"</h1>
        <p>"Enter the address your account uses. We email you a link to choose a password; it works once, within 24 hours."</p>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error nested=true/> }.into_any(),
                    Ok(d) => {
                        let f = d.reset_form;
                        view! {
                            <FormNotice state=f.clone()/>
                            <form method="post" action=RequestPasswordLink::url() novalidate class="narrow">
                                <Field state=f.clone() name="email" label="Email address" kind="email" required=true autocomplete="email"/>
                                <button type="submit">"Email me a link"</button>
                            </form>
                            <p><a href="/sign-in">"Back to sign-in"</a></p>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn token_resource(
    purpose: &'static str,
) -> (
    Memo<String>,
    Resource<Result<super::TokenPageData, crate::AppError>>,
) {
    let query = use_query_map();
    let token = Memo::new(move |_| query.read().get("token").unwrap_or_default());
    let data = Resource::new(
        move || token.get(),
        move |t| token_page(t, purpose.to_owned()),
    );
    (token, data)
}

/// `/sign-in/link?token=…`: one button that uses the emailed link. Opening the page
/// does not use it, so a mail scanner that follows links cannot.
#[component]
pub fn LinkPageView() -> impl IntoView {
    let (token, data) = token_resource("sign_in");
    view! {
        <Title text="Sign in with your link"/>
        <h1>"Sign in with your link"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error nested=true/> }.into_any(),
                    Ok(d) if d.valid => view! {
                        <form method="post" action=UseSignInLink::url()>
                            <input type="hidden" name="token" value=token.get_untracked()/>
                            <button type="submit">{format!("Sign in as {}", d.name.unwrap_or_default())}</button>
                        </form>
                    }.into_any(),
                    Ok(_) => view! {
                        <p class="notice notice-warning" role="alert">"This sign-in link has expired or was already used."</p>
                        <p><a href="/sign-in">"Ask for a new link"</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/account/password?token=…`: choose a password from an emailed link.
#[component]
pub fn PasswordPageView() -> impl IntoView {
    let (token, data) = token_resource("password");
    view! {
        <Title text="Choose your password"/>
        <h1>"Choose your password"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error nested=true/> }.into_any(),
                    Ok(d) if d.valid => {
                        let f = d.form;
                        view! {
                            <p>{format!("For the account of {}.", d.name.unwrap_or_default())}</p>
                            <FormNotice state=f.clone()/>
                            <form method="post" action=SetPassword::url() novalidate class="narrow">
                                <input type="hidden" name="token" value=token.get_untracked()/>
                                <Field state=f.clone() name="password" label="New password" kind="password" required=true autocomplete="new-password" hint=PASSWORD_HINT/>
                                <Field state=f.clone() name="confirm" label="New password again" kind="password" required=true autocomplete="new-password"/>
                                <button type="submit">"Save the password and sign in"</button>
                            </form>
                        }.into_any()
                    }
                    Ok(_) => view! {
                        <p class="notice notice-warning" role="alert">"This link has expired or was already used."</p>
                        <p><a href="/sign-in/reset">"Ask for a new link"</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/account`: own details, password, memberships, events, data download.
#[component]
pub fn AccountPageView() -> impl IntoView {
    let data = Resource::new(|| (), |_| account_page());
    view! {
        <Title text="Your account"/>
        <h1>"Your account"</h1>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error nested=true/> }.into_any(),
                    Ok(a) => {
                        let df = a.details_form;
                        let pf = a.password_form;
                        view! {
                            <FormNotice state=a.notice/>
                            <dl class="facts">
                                <dt>"Email address"</dt><dd data-testid="own-email">{a.email}</dd>
                                {a.organisation.map(|o| view! { <dt>"Organisation"</dt><dd>{o}</dd> })}
                                {a.member_state.map(|m| view! { <dt>"Member State"</dt><dd>{m}</dd> })}
                                {a.secretariat.then(|| view! { <dt>"Role"</dt><dd>"Secretariat"</dd> })}
                            </dl>
                            <section aria-labelledby="details-heading">
                                <h2 id="details-heading">"Your details"</h2>
                                <FormNotice state=df.clone()/>
                                <form method="post" action=UpdateOwnDetails::url() novalidate class="narrow">
                                    <Field state=df.clone() name="full_name" label="Name" required=true autocomplete="name" value=a.full_name.clone()/>
                                    <Field state=df.clone() name="title" label="Title or function" autocomplete="organization-title" value=a.title.clone().unwrap_or_default() hint="For example: Public Prosecutor, Investigative Judge."/>
                                    <button type="submit">"Save details"</button>
                                </form>
                                <p class="muted">"To change your email address, organisation or Member State, write to the secretariat at " <crate::ui::SecretariatContact/> "."</p>
                            </section>
                            <section aria-labelledby="password-heading">
                                <h2 id="password-heading">{if a.password_set { "Change your password" } else { "Set a password" }}</h2>
                                <FormNotice state=pf.clone()/>
                                <form method="post" action=ChangePassword::url() novalidate class="narrow">
                                    {a.password_set.then(|| view! {
                                        <Field state=pf.clone() name="current" label="Current password" kind="password" required=true autocomplete="current-password"/>
                                    })}
                                    {(!a.password_set).then(|| view! { <input type="hidden" name="current" value=""/> })}
                                    <Field state=pf.clone() name="password" label="New password" kind="password" required=true autocomplete="new-password" hint=PASSWORD_HINT/>
                                    <Field state=pf.clone() name="confirm" label="New password again" kind="password" required=true autocomplete="new-password"/>
                                    <button type="submit">"Save the password"</button>
                                </form>
                                <p class="muted">"Changing the password signs you out on every other device."</p>
                            </section>
                            <section aria-labelledby="memberships-heading">
                                <h2 id="memberships-heading">"Your memberships"</h2>
                                {if a.memberships.is_empty() {
                                    view! { <p>"You hold no membership of a network."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul data-testid="own-memberships">
                                            {a.memberships.into_iter().map(|m| view! {
                                                <li>
                                                    {format!("{}: {}", m.network, m.category)}
                                                    {m.member_state.map(|s| format!(" for {s}"))}
                                                    {m.to.map(|t| format!(" (until {t})"))}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            {(!a.invitations.is_empty()).then(|| view! {
                                <section aria-labelledby="invitations-heading">
                                    <h2 id="invitations-heading">"Your invitations and registrations"</h2>
                                    <ul data-testid="own-invitations">
                                        {a.invitations.clone().into_iter().map(|(title, date, standing, href)| view! {
                                            <li>
                                                {format!("{title}, {date}: {standing}. ")}
                                                <a href=href>"Answer, register or change"<span class="visually-hidden">{format!(" for {title}")}</span></a>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            <crate::calendar::account::PersonalFeedSection panel=a.personal_feed/>
                            <section aria-labelledby="events-heading">
                                <h2 id="events-heading">"Your events"</h2>
                                {if a.events.is_empty() {
                                    view! { <p>"You chair or organise no event."</p> }.into_any()
                                } else {
                                    view! {
                                        <ul>
                                            {a.events.into_iter().map(|e| view! {
                                                <li>
                                                    <a href=e.href>{e.title}</a>{format!(" — {}, {} · ", e.role, e.starts)}
                                                    <a href=e.manage_href>"Manage this event"</a>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="data-heading">
                                <h2 id="data-heading">"Your data and sessions"</h2>
                                <p><a href="/account/export.json" download="convene-my-data.json">"Download everything Convene holds about you (JSON)"</a></p>
                                <form method="post" action=SignOutEverywhere::url()>
                                    <button type="submit" class="button-secondary">"Sign out on every device"</button>
                                </form>
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
