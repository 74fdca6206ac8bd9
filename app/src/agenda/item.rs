//! `/events/:id/agenda/items/:item`: one item of the draft. The event's chairs and
//! organisers change everything of it (its day, time and length, room, who sees
//! it), copy it, name speakers and a moderator from the directory and give a
//! workshop its own chairs; a workshop's own chairs change its title, description
//! and speakers, nothing else. Every action is a plain form.
use super::{ChairForm, ItemActionForm, ItemForm, PersonForm};
use crate::ui::{ErrorView, FormState, Loading};
use crate::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the item's page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemEditorData {
    pub event_id: i64,
    pub item_id: i64,
    pub event_title: String,
    pub time_zone: String,
    /// The viewer manages the event; otherwise they chair this workshop only.
    pub manages: bool,
    pub is_workshop: bool,
    pub item_title: String,
    /// What the form chooses from (no people for a workshop's own chair).
    pub choices: super::builder::ItemChoices,
    /// The item as saved, as the form's values.
    pub saved: ItemForm,
    /// Speakers from the directory: (person id, name).
    pub directory_speakers: Vec<(i64, String)>,
    pub chairs: Vec<(i64, String)>,
    /// What conflicts at this item, as sentences.
    pub warnings: Vec<String>,
    pub form: FormState,
    pub person_form: FormState,
    pub chair_form: FormState,
    pub action_form: FormState,
}

/// The item's page.
pub fn item_href(event_id: i64, item_id: i64) -> String {
    format!("/events/{event_id}/agenda/items/{item_id}")
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::builder::server::MAX_SPEAKERS;
    use super::super::store::{DraftItem, SpeakerInput};
    use crate::platform::policy::{self, Action};
    use crate::platform::{auth::Viewer, AppState};
    use crate::AppError;

    /// The viewer, if they may edit the item; and whether they manage the event.
    pub async fn editing(
        event_id: i64,
        item_id: i64,
    ) -> Result<(AppState, Viewer, bool), AppError> {
        let (state, viewer) = policy::check(Action::EditAgendaItem {
            event_id: crate::ids::EventId(event_id),
            item_id,
        })
        .await?;
        let manages = manages(&viewer, event_id);
        Ok((state, viewer, manages))
    }

    pub fn manages(viewer: &Viewer, event_id: i64) -> bool {
        policy::may(
            Some(viewer),
            Action::ManageEvent {
                event_id: crate::ids::EventId(event_id),
            },
        )
    }

    /// The item's speakers as the store takes them back: the directory's first
    /// (with `add` after them, `drop` left out), then those typed, `typed` when
    /// given.
    pub fn speakers(
        item: &DraftItem,
        add: Option<i64>,
        drop: Option<i64>,
        typed: Option<&[SpeakerInput]>,
    ) -> Vec<SpeakerInput> {
        let said = item.people.iter().filter(|p| !p.moderator);
        let mut out: Vec<SpeakerInput> = said
            .clone()
            .filter_map(|p| p.person)
            .filter(|id| Some(*id) != drop)
            .chain(add)
            .map(|id| SpeakerInput {
                person_id: Some(id),
                name: String::new(),
                organisation: String::new(),
            })
            .collect();
        match typed {
            Some(t) => out.extend(t.iter().cloned()),
            None => out.extend(said.filter(|p| p.person.is_none()).map(|p| SpeakerInput {
                person_id: None,
                name: p.name.clone(),
                organisation: p.organisation.clone(),
            })),
        }
        out
    }

    /// The typed speakers as the form writes them, one a line.
    pub fn typed_lines(item: &DraftItem) -> String {
        item.people
            .iter()
            .filter(|p| !p.moderator && p.person.is_none())
            .map(|p| {
                if p.organisation.is_empty() {
                    p.name.clone()
                } else {
                    format!("{}, {}", p.name, p.organisation)
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn too_many(speakers: &[SpeakerInput]) -> bool {
        speakers.len() > MAX_SPEAKERS
    }
}

/// The item's page data, for the event's chairs and organisers and the item's own
/// chairs.
#[server(endpoint = "agenda_item_editor", input = server_fn::codec::GetUrl)]
pub async fn agenda_item_editor(event_id: i64, item_id: i64) -> Result<ItemEditorData, AppError> {
    use crate::domain::AgendaItemKind;
    use crate::platform::forms::take;
    let (state, _, manages) = server::editing(event_id, item_id).await?;
    let e = crate::events::store::event_record(&state.store, event_id).await?;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let rooms = super::store::rooms(&state.store, event_id).await?;
    let mut tx = state.store.begin_read().await?;
    let draft = super::store::draft_in(&mut tx, event_id).await?;
    drop(tx);
    let item = draft
        .iter()
        .find(|i| i.id == item_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let (mut warnings, _) =
        super::builder::server::warnings(&draft, (e.starts_at, e.ends_at), &rooms);
    let people = if manages {
        super::store::people_for(&state.store, event_id).await?
    } else {
        Vec::new()
    };
    let local = item.starts_at.with_timezone(&zone);
    let saved = ItemForm {
        kind: item.kind.clone(),
        title: item.title.clone(),
        description: item.description.clone(),
        day: local.format("%Y-%m-%d").to_string(),
        starts: local.format("%H:%M").to_string(),
        ends: item
            .ends_at
            .with_timezone(&zone)
            .format("%H:%M")
            .to_string(),
        room_id: item.room_id.map(|r| r.to_string()).unwrap_or_default(),
        visibility: item.visibility.clone(),
        capacity: item.capacity.map(|c| c.to_string()).unwrap_or_default(),
        moderator_id: item.moderator_id.map(|m| m.to_string()).unwrap_or_default(),
        speakers: server::typed_lines(&item),
    };
    let is_workshop = item.kind == AgendaItemKind::Workshop.as_str();
    Ok(ItemEditorData {
        event_id,
        item_id,
        event_title: e.title.clone(),
        time_zone: e.time_zone.clone(),
        manages,
        is_workshop,
        item_title: item.title.clone(),
        choices: super::builder::server::item_choices(
            (e.starts_at, e.ends_at),
            zone,
            &rooms,
            people,
        ),
        saved,
        directory_speakers: item
            .people
            .iter()
            .filter(|p| !p.moderator)
            .filter_map(|p| p.person.map(|id| (id, p.name.clone())))
            .collect(),
        chairs: if is_workshop && manages {
            super::store::item_chairs(&state.store, item_id).await?
        } else {
            Vec::new()
        },
        // The sentences name other items of the draft, which a workshop's own
        // chair may not see.
        warnings: if manages {
            warnings.remove(&item_id).unwrap_or_default()
        } else {
            Vec::new()
        },
        form: take::<ItemForm>().await,
        person_form: take::<PersonForm>().await,
        chair_form: take::<ChairForm>().await,
        action_form: take::<ItemActionForm>().await,
    })
}

/// Saves the item: everything of it for the event's chairs and organisers; the
/// title, description and typed speakers for a workshop's own chair.
#[server(endpoint = "update_agenda_item")]
pub async fn update_agenda_item(
    event_id: i64,
    item_id: i64,
    #[server(flatten)] form: ItemForm,
) -> Result<(), AppError> {
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = item_href(event_id, item_id);
    let action = Action::EditAgendaItem {
        event_id: crate::ids::EventId(event_id),
        item_id,
    };
    forms::submit(action, &form, back.clone(), async |state, viewer| {
        let manages = server::manages(&viewer, event_id);
        let e = crate::events::store::event_record(&state.store, event_id).await?;
        let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
        let (rooms, people) = if manages {
            let rooms: Vec<(i64, String)> = super::store::rooms(&state.store, event_id)
                .await?
                .into_iter()
                .map(|r| (r.id, r.name))
                .collect();
            (
                rooms,
                super::store::people_for(&state.store, event_id).await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let current = super::store::item_in(&mut tx, event_id, item_id).await?;
        let item = if manages {
            super::builder::server::check_item(&form, zone, &rooms, &people)?
        } else {
            super::builder::server::check_words(&form, &current)?
        };
        let speakers = server::speakers(&current, None, None, Some(&item.speakers));
        if server::too_many(&speakers) {
            return Err(vec![crate::domain::DomainError::new(
                "speakers",
                "An item has at most 20 speakers, those from the directory included.",
            )]
            .into());
        }
        super::store::update_item(&mut tx, event_id, item_id, &item.as_new(&speakers), now).await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "agenda_item_changed")
                .on("event", event_id)
                .detail(format!("item {item_id}: {}", item.title)),
            now,
        )
        .await?;
        tx.commit().await?;
        let notice = format!(
            "\u{201c}{}\u{201d} is saved in the draft; readers see it once the draft is published.",
            item.title
        );
        let to = if manages {
            format!("/events/{event_id}/agenda")
        } else {
            back.clone()
        };
        Ok(forms::Done::to(to).with_notice(notice))
    })
    .await
}

/// Copies an item into the draft at the same time and place; the chair then moves
/// the copy.
#[server(endpoint = "duplicate_agenda_item")]
pub async fn duplicate_agenda_item(
    event_id: i64,
    #[server(flatten)] form: ItemActionForm,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = format!("/events/{event_id}/agenda");
    forms::submit_managing(event_id, &form, back, async |state, viewer| {
        let item_id: i64 = form
            .item_id
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let item = super::store::item_in(&mut tx, event_id, item_id).await?;
        let stored = |e: crate::domain::DomainError| AppError::internal(anyhow::anyhow!("stored item {item_id}: {e:?}"));
        let kind = crate::domain::AgendaItemKind::parse(&item.kind).map_err(stored)?;
        let visibility = crate::domain::AgendaVisibility::parse(&item.visibility).map_err(stored)?;
        let speakers = server::speakers(&item, None, None, None);
        let copy = super::store::add_item(
            &mut tx,
            event_id,
            &super::store::NewItem {
                kind,
                title: &item.title,
                description: &item.description,
                starts_at: item.starts_at,
                ends_at: item.ends_at,
                room_id: item.room_id,
                visibility,
                capacity: item.capacity,
                moderator_id: item.moderator_id,
                speakers: &speakers,
            },
            now,
        )
        .await?;
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "agenda_item_added")
                .on("event", event_id)
                .detail(format!("item {copy}: a copy of item {item_id}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(item_href(event_id, copy)).with_notice(format!(
            "A copy of \u{201c}{}\u{201d} is in the draft at the same time and place: choose its own below.",
            item.title
        )))
    })
    .await
}

/// Which change of people an item's page asks for.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
enum PeopleChange {
    AddSpeaker,
    RemoveSpeaker,
    AddChair,
    RemoveChair,
}

#[cfg(feature = "ssr")]
async fn change_people<F: crate::ui::FormFields>(
    event_id: i64,
    item_id: i64,
    form: &F,
    person: &str,
    change: PeopleChange,
) -> Result<(), AppError> {
    use crate::domain::{DomainError, Problems};
    use crate::platform::policy::Action;
    use crate::platform::{audit, forms};
    let back = item_href(event_id, item_id);
    let action = match change {
        PeopleChange::AddSpeaker | PeopleChange::RemoveSpeaker => Action::EditAgendaItem {
            event_id: crate::ids::EventId(event_id),
            item_id,
        },
        PeopleChange::AddChair | PeopleChange::RemoveChair => Action::ManageEvent {
            event_id: crate::ids::EventId(event_id),
        },
    };
    forms::submit(action, form, back.clone(), async |state, viewer| {
        let mut p = Problems::new();
        let person_id = match change {
            PeopleChange::AddSpeaker | PeopleChange::AddChair => {
                let people = super::store::people_for(&state.store, event_id).await?;
                super::builder::server::chosen_id(
                    &mut p,
                    "person_id",
                    person,
                    &people,
                    "Choose a person from the list.",
                )
            }
            _ => person.trim().parse::<i64>().ok(),
        };
        if person.trim().is_empty() {
            p.add(DomainError::new("person_id", "Choose a person from the list."));
        }
        p.done()?;
        let person_id = person_id.ok_or(AppError::NotFound)?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let item = super::store::item_in(&mut tx, event_id, item_id).await?;
        let (what, notice) = match change {
            PeopleChange::AddSpeaker | PeopleChange::RemoveSpeaker => {
                let adding = matches!(change, PeopleChange::AddSpeaker);
                let there = item
                    .people
                    .iter()
                    .any(|s| !s.moderator && s.person == Some(person_id));
                if adding && there {
                    return Err(vec![DomainError::new(
                        "person_id",
                        "That person is already one of the speakers.",
                    )]
                    .into());
                }
                if !adding && !there {
                    return Err(AppError::NotFound);
                }
                let speakers = if adding {
                    server::speakers(&item, Some(person_id), None, None)
                } else {
                    server::speakers(&item, None, Some(person_id), None)
                };
                if server::too_many(&speakers) {
                    return Err(vec![DomainError::new(
                        "person_id",
                        "An item has at most 20 speakers.",
                    )]
                    .into());
                }
                super::store::set_speakers(&mut tx, event_id, item_id, &speakers, now).await?;
                if adding {
                    ("agenda_speaker_added", "The speaker is added to the draft.")
                } else {
                    ("agenda_speaker_removed", "The speaker is removed from the draft.")
                }
            }
            PeopleChange::AddChair | PeopleChange::RemoveChair => {
                if item.kind != crate::domain::AgendaItemKind::Workshop.as_str() {
                    return Err(AppError::Conflict("Only a workshop has chairs of its own.".into()));
                }
                if matches!(change, PeopleChange::AddChair) {
                    if !super::store::add_item_chair(&mut tx, event_id, item_id, person_id).await? {
                        return Err(vec![DomainError::new(
                            "person_id",
                            "That person already chairs this workshop.",
                        )]
                        .into());
                    }
                    (
                        "agenda_item_chair_added",
                        "The workshop's chair is added: signed in, they edit its title, description and speakers.",
                    )
                } else {
                    if !super::store::remove_item_chair(&mut tx, event_id, item_id, person_id).await? {
                        return Err(AppError::NotFound);
                    }
                    ("agenda_item_chair_removed", "The workshop's chair is removed.")
                }
            }
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), what)
                .on("event", event_id)
                .detail(format!("item {item_id}: person {person_id}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(back.clone()).with_notice(notice))
    })
    .await
}

/// Names a person of the directory as one of the item's speakers.
#[server(endpoint = "add_agenda_speaker")]
pub async fn add_agenda_speaker(
    event_id: i64,
    item_id: i64,
    #[server(flatten)] form: PersonForm,
) -> Result<(), AppError> {
    change_people(
        event_id,
        item_id,
        &form,
        &form.person_id,
        PeopleChange::AddSpeaker,
    )
    .await
}

/// Removes a speaker of the directory from the item.
#[server(endpoint = "remove_agenda_speaker")]
pub async fn remove_agenda_speaker(
    event_id: i64,
    item_id: i64,
    #[server(flatten)] form: PersonForm,
) -> Result<(), AppError> {
    change_people(
        event_id,
        item_id,
        &form,
        &form.person_id,
        PeopleChange::RemoveSpeaker,
    )
    .await
}

/// Makes a person chair of the workshop (the event's chairs and organisers only).
#[server(endpoint = "add_workshop_chair")]
pub async fn add_workshop_chair(
    event_id: i64,
    item_id: i64,
    #[server(flatten)] form: ChairForm,
) -> Result<(), AppError> {
    change_people(
        event_id,
        item_id,
        &form,
        &form.person_id,
        PeopleChange::AddChair,
    )
    .await
}

/// Ends a person's chair of the workshop.
#[server(endpoint = "remove_workshop_chair")]
pub async fn remove_workshop_chair(
    event_id: i64,
    item_id: i64,
    #[server(flatten)] form: ChairForm,
) -> Result<(), AppError> {
    change_people(
        event_id,
        item_id,
        &form,
        &form.person_id,
        PeopleChange::RemoveChair,
    )
    .await
}

/// A list of people with a button each to remove one.
#[component]
fn PeopleList(
    people: Vec<(i64, String)>,
    action: String,
    event_id: i64,
    item_id: i64,
    button: &'static str,
    none: &'static str,
    testid: &'static str,
) -> impl IntoView {
    if people.is_empty() {
        return view! { <p>{none}</p> }.into_any();
    }
    view! {
        <ul class="people-list" data-testid=testid>
            {people.into_iter().map(|(id, name)| {
                let label = format!("{button} {name}");
                view! {
                    <li>
                        {name}" "
                        <form method="post" action=action.clone() class="inline">
                            <input type="hidden" name="event_id" value=event_id/>
                            <input type="hidden" name="item_id" value=item_id/>
                            <input type="hidden" name="person_id" value=id/>
                            <button type="submit" class="button-secondary" aria-label=label>{button}</button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn editor_view(d: ItemEditorData) -> impl IntoView {
    use super::builder::RemoveAgendaItem;
    use crate::ui::{Field, FormNotice, SelectField, TextAreaField};
    use leptos::server_fn::ServerFn;
    let builder = format!("/events/{}/agenda", d.event_id);
    let heading = format!("Edit: {}", d.item_title);
    let (event_id, item_id) = (d.event_id, d.item_id);
    let f = d.form.clone();
    let pf = d.person_form.clone();
    let cf = d.chair_form.clone();
    let v = d.saved.clone();
    let (parent_href, parent) = if d.manages {
        (builder.clone(), format!("Agenda: {}", d.event_title))
    } else {
        ("/account".to_owned(), "Your account".to_owned())
    };
    let people = d.choices.people.clone();
    view! {
        <crate::ui::PageHeading parent_href parent heading crumb="Item"/>
        <p>
            {if d.manages {
                format!("Changes are a draft until the agenda is published. Times are in the event's time zone, {}.", d.time_zone)
            } else {
                format!("You chair this workshop of {}: you change its title, description and speakers. The event's chairs publish the agenda.", d.event_title)
            }}
        </p>
        {(!d.warnings.is_empty()).then(|| view! {
            <div class="notice notice-warning" role="status" data-testid="item-warnings">
                <p>"This item conflicts with the draft:"</p>
                <ul>{d.warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </div>
        })}
        <section aria-labelledby="item-heading">
            <h2 id="item-heading">"The item"</h2>
            <FormNotice state=f.clone()/>
            <form method="post" action=UpdateAgendaItem::url() novalidate class="narrow">
                <input type="hidden" name="event_id" value=event_id/>
                <input type="hidden" name="item_id" value=item_id/>
                {d.manages.then(|| view! {
                    <SelectField state=f.clone() name="kind" label="Kind" required=true options=d.choices.kinds.clone() selected=v.kind.clone()/>
                })}
                <Field state=f.clone() name="title" label="Title" required=true value=v.title.clone()/>
                {d.manages.then(|| view! {
                    <SelectField state=f.clone() name="day" label="Day" required=true options=d.choices.days.clone() selected=v.day.clone()/>
                    <Field state=f.clone() name="starts" label="Starts" required=true hint="24-hour time, such as 09:30" kind="time" value=v.starts.clone()/>
                    <Field state=f.clone() name="ends" label="Ends" required=true hint="24-hour time, such as 10:15" kind="time" value=v.ends.clone()/>
                    <SelectField state=f.clone() name="room_id" label="Room" options=d.choices.rooms.clone() empty="No room" selected=v.room_id.clone()/>
                    <SelectField state=f.clone() name="visibility" label="Who sees it in full" required=true options=d.choices.visibilities.clone() selected=v.visibility.clone() hint="Others see a closed session only as \u{201c}Closed session\u{201d} with its time; organisers-only items not at all."/>
                    <SelectField state=f.clone() name="moderator_id" label="Moderator" options=people.clone() empty="No moderator" selected=v.moderator_id.clone()/>
                })}
                <TextAreaField state=f.clone() name="speakers" label="Other speakers" rows=3 hint="People not in the directory, one per line: name, organisation." value=v.speakers.clone()/>
                <TextAreaField state=f.clone() name="description" label="Description" rows=6 hint="Markdown: **bold**, *italic*, lists with -, links as [text](https://…). No HTML." value=v.description.clone()/>
                {d.manages.then(|| view! {
                    <Field state=f.clone() name="capacity" label="Places (workshops)" hint="Leave empty for no limit." kind="number" value=v.capacity.clone()/>
                })}
                <button type="submit">"Save in the draft"</button>
            </form>
        </section>
        <section aria-labelledby="speakers-heading">
            <h2 id="speakers-heading">"Speakers from the directory"</h2>
            <PeopleList people=d.directory_speakers action=RemoveAgendaSpeaker::url().to_owned() event_id item_id button="Remove" none="None yet." testid="directory-speakers"/>
            <FormNotice state=pf.clone()/>
            {(!d.choices.people.is_empty()).then(|| view! {
                <form method="post" action=AddAgendaSpeaker::url() novalidate class="narrow">
                    <input type="hidden" name="event_id" value=event_id/>
                    <input type="hidden" name="item_id" value=item_id/>
                    <SelectField state=pf.clone() name="person_id" label="Person" required=true options=d.choices.people.clone() empty="Choose a person"/>
                    <button type="submit">"Add as a speaker"</button>
                </form>
            })}
        </section>
        {(d.manages && d.is_workshop).then(|| view! {
            <section aria-labelledby="chairs-heading">
                <h2 id="chairs-heading">"The workshop's chairs"</h2>
                <p>"A workshop's chair edits its title, description and speakers, and nothing else of the agenda."</p>
                <PeopleList people=d.chairs action=RemoveWorkshopChair::url().to_owned() event_id item_id button="Remove" none="No chair of its own." testid="workshop-chairs"/>
                <FormNotice state=cf.clone()/>
                <form method="post" action=AddWorkshopChair::url() novalidate class="narrow">
                    <input type="hidden" name="event_id" value=event_id/>
                    <input type="hidden" name="item_id" value=item_id/>
                    <SelectField state=cf.clone() name="person_id" label="Chair" required=true options=d.choices.people.clone() empty="Choose a person"/>
                    <button type="submit">"Make chair of this workshop"</button>
                </form>
            </section>
        })}
        {d.manages.then(|| view! {
            <section aria-labelledby="copy-heading">
                <h2 id="copy-heading">"Copy or remove"</h2>
                <FormNotice state=d.action_form.clone()/>
                <form method="post" action=DuplicateAgendaItem::url() class="inline">
                    <input type="hidden" name="event_id" value=event_id/>
                    <input type="hidden" name="item_id" value=item_id/>
                    <button type="submit" class="button-secondary">"Duplicate"</button>
                </form>
                " "
                <form method="post" action=RemoveAgendaItem::url() class="inline">
                    <input type="hidden" name="event_id" value=event_id/>
                    <input type="hidden" name="item_id" value=item_id/>
                    <button type="submit" class="button-secondary">"Remove from the draft"</button>
                </form>
            </section>
        })}
    }
}

/// `/events/:id/agenda/items/:item`.
#[component]
pub fn AgendaItemPageView() -> impl IntoView {
    use leptos_router::hooks::use_params_map;
    let params = use_params_map();
    let ids = move || {
        let p = params.read();
        (
            crate::ui::parse_id(p.get("id").as_deref()),
            crate::ui::parse_id(p.get("item").as_deref()),
        )
    };
    let data = Resource::new(ids, |(event_id, item_id)| {
        agenda_item_editor(event_id, item_id)
    });
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(d) => editor_view(d).into_any(),
                }
            })}
        </Suspense>
    }
}
