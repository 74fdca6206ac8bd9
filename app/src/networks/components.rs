use super::MembershipLine;
use crate::domain::MembershipCategory;
use crate::events::EventSummary;
use crate::ui::StatusBadge;
use leptos::prelude::*;

/// A list of events with their dates in the event's own zone.
#[component]
pub fn EventList(
    events: Vec<EventSummary>,
    show_network: bool,
    empty: &'static str,
) -> impl IntoView {
    if events.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul class="event-list">
            {events.into_iter().map(|e| {
                let href = e.href();
                let title = e.title.clone();
                view! {
                    <li class="event-item">
                        <p class="event-date"><time datetime=e.starts_iso>{e.dates}</time></p>
                        <h3 class="event-title"><a href=href.clone()>{e.title}</a></h3>
                        <p class="event-meta">
                            {show_network.then(|| view! { <span>{e.network_short_name}" · "</span> })}
                            <span>{e.kind.label()}</span>" · "<span>{e.venue}</span>" "
                            // Visitors see a badge only when it tells them something:
                            // a published event is the normal case.
                            {(e.status != crate::domain::EventStatus::Published).then(|| view! { <StatusBadge status=e.status/> })}
                        </p>
                        {e.has_agenda.then(|| {
                            let label = format!("Agenda of {title}");
                            view! { <p class="event-agenda"><a href=format!("{href}/agenda") aria-label=label>"Agenda"</a></p> }
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn heading(category: MembershipCategory) -> &'static str {
    match category {
        MembershipCategory::NationalContactPoint => "National Contact Points",
        MembershipCategory::AssociatePartner => "Associate Partners",
        MembershipCategory::Observer => "Observers",
        MembershipCategory::Secretariat => "Secretariat",
    }
}

fn matches(line: &MembershipLine, filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    f.is_empty()
        || line.label.to_lowercase().contains(&f)
        || line
            .member_state
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(&f))
}

/// Membership by category and Member State, with a filter that narrows the list as
/// you type once the island is hydrated, and on submit without JavaScript.
#[island]
pub fn MembershipOverview(lines: Vec<MembershipLine>, initial_filter: String) -> impl IntoView {
    let total = lines.len();
    let lines = StoredValue::new(lines);
    let (filter, set_filter) = signal(initial_filter);
    let visible = Memo::new(move |_| {
        let f = filter.get();
        lines.with_value(|ls| {
            ls.iter()
                .filter(|l| matches(l, &f))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section aria-labelledby="membership-heading" class="membership">
            <h2 id="membership-heading">"Membership"</h2>
            <form method="get" role="search" class="filter-form">
                <label for="membership-filter">"Filter by Member State or organisation"</label>
                <div class="filter-row">
                    <input
                        id="membership-filter"
                        type="search"
                        name="q"
                        autocomplete="off"
                        value=filter
                        on:input=move |ev| set_filter.set(event_target_value(&ev))
                    />
                    <button type="submit">"Filter"</button>
                </div>
            </form>
            <p role="status" class="muted" data-testid="membership-count">
                {move || format!("Showing {} of {} entries.", visible.read().len(), total)}
            </p>
            {move || {
                let shown = visible.get();
                MembershipCategory::ALL.iter().filter_map(|&cat| {
                    let items: Vec<_> = shown.iter().filter(|l| l.category == cat).cloned().collect();
                    (!items.is_empty()).then(|| view! {
                        <section class="membership-group">
                            <h3>{heading(cat)}</h3>
                            <ul class="membership-list">
                                {items.into_iter().map(|l| view! {
                                    <li data-member-state=l.member_state.clone().unwrap_or_default()>
                                        {l.label}
                                        {(l.people > 1).then(|| format!(" ({} people)", l.people))}
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })
                }).collect_view()
            }}
        </section>
    }
}
