//! The agenda's server functions. Each asks the policy how much the reader may see
//! and lets the store fetch only that.
use super::AgendaData;
use crate::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::super::{AgendaDay, AgendaEntry, DayGrid, GridCell, GridRow, ShownItem};
    use crate::platform::localtime;
    use chrono_tz::Tz;

    /// A day as the agenda writes it: "Thursday 18 March 2027".
    pub fn day_label(day: chrono::NaiveDate) -> String {
        day.format("%A %-d %B %Y").to_string()
    }

    /// An item's span in `zone`: "09:30–10:15".
    pub fn time_span(
        starts: chrono::DateTime<chrono::Utc>,
        ends: chrono::DateTime<chrono::Utc>,
        zone: Tz,
    ) -> String {
        use chrono::Timelike;
        // Written directly: a format string would be parsed again for each of the
        // hundreds of items of a long agenda.
        let (s, e) = (starts.with_timezone(&zone), ends.with_timezone(&zone));
        format!(
            "{:02}:{:02}–{:02}:{:02}",
            s.hour(),
            s.minute(),
            e.hour(),
            e.minute()
        )
    }

    /// What a reader not entitled to a closed session sees as its title.
    pub const CLOSED_SESSION: &str = "Closed session";

    /// An item's title as its reader is shown it: a closed block is "Closed session".
    pub fn title(item: &ShownItem) -> String {
        title_of(item.closed, &item.title)
    }

    /// [`title`] of an item read another way (the outline's).
    pub fn title_of(closed: bool, title: &str) -> String {
        if closed {
            CLOSED_SESSION.to_owned()
        } else {
            title.to_owned()
        }
    }

    /// A speaker as readers are shown them: "Name (Organisation), moderator".
    pub fn speaker_line(p: &super::super::Speaker) -> String {
        let mut line = String::new();
        push_speaker(&mut line, p);
        line
    }

    /// [`speaker_line`] written at the end of `out`.
    pub fn push_speaker(out: &mut String, p: &super::super::Speaker) {
        out.push_str(&p.name);
        if !p.organisation.is_empty() {
            out.push_str(" (");
            out.push_str(&p.organisation);
            out.push(')');
        }
        if p.moderator {
            out.push_str(", moderator");
        }
    }

    /// An item as the page writes it, in `zone`.
    pub fn entry(item: &ShownItem, zone: Tz) -> AgendaEntry {
        let kind = crate::domain::AgendaItemKind::parse(&item.kind)
            .map(|k| k.label())
            .unwrap_or("Item");
        AgendaEntry {
            item_id: item.id,
            anchor: format!("item-{}", item.id),
            closed: item.closed,
            kind: kind.to_owned(),
            title: title(item),
            description_html: item.description_html.clone(),
            time: time_span(item.starts_at, item.ends_at, zone),
            starts_iso: localtime::machine(item.starts_at, zone),
            room: item.room.clone(),
            people: item.people.iter().map(speaker_line).collect(),
            choice: None,
            edit_href: None,
        }
    }

    /// The day as a grid of time by room, when some of its items run at the same
    /// time and every room (and the column of parallel items without one) has one
    /// item at a time; `None` when a list says it as well or a grid cannot.
    /// Built from what the reader sees: a closed block has no room, so its place
    /// says nothing of where it is.
    pub fn grid(items: &[&ShownItem], zone: Tz) -> Option<DayGrid> {
        let overlaps =
            |a: &ShownItem, b: &ShownItem| a.starts_at < b.ends_at && b.starts_at < a.ends_at;
        let parallel = |i: usize| {
            items
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && overlaps(items[i], other))
        };
        if !(0..items.len()).any(parallel) {
            return None;
        }
        let mut rooms: Vec<String> = items
            .iter()
            .filter(|i| !i.room.is_empty())
            .map(|i| i.room.clone())
            .collect();
        rooms.sort();
        rooms.dedup();
        let other = (0..items.len()).any(|i| items[i].room.is_empty() && parallel(i));
        if other {
            rooms.push("Other".to_owned());
        }
        if rooms.len() < 2 || rooms.len() > 12 {
            return None;
        }
        let mut times: Vec<chrono::DateTime<chrono::Utc>> = items
            .iter()
            .flat_map(|i| [i.starts_at, i.ends_at])
            .collect();
        times.sort();
        times.dedup();
        let row_of = |t| times.binary_search(&t).ok();
        let n_rows = times.len() - 1;
        let n_cols = rooms.len();
        let mut taken: Vec<Vec<Option<usize>>> = vec![vec![None; n_cols]; n_rows];
        let mut placed = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            let (first, last) = (row_of(item.starts_at)?, row_of(item.ends_at)?);
            let cols = if !item.room.is_empty() {
                let c = rooms.iter().position(|r| *r == item.room)?;
                c..c + 1
            } else if other && parallel(index) {
                n_cols - 1..n_cols
            } else {
                0..n_cols
            };
            for row in taken.iter_mut().take(last).skip(first) {
                for cell in &mut row[cols.clone()] {
                    if cell.replace(index).is_some() {
                        return None;
                    }
                }
            }
            placed.push((first, last, cols));
        }
        let rows = (0..n_rows)
            .map(|r| {
                let mut cells = Vec::new();
                let mut c = 0;
                while c < n_cols {
                    match taken[r][c] {
                        Some(i) => {
                            let (first, last, cols) = &placed[i];
                            if *first == r && cols.start == c {
                                cells.push(GridCell {
                                    item: Some(i),
                                    rows: last - first,
                                    cols: cols.len(),
                                });
                            }
                            c = cols.end;
                        }
                        None => {
                            cells.push(GridCell {
                                item: None,
                                rows: 1,
                                cols: 1,
                            });
                            c += 1;
                        }
                    }
                }
                GridRow {
                    time: times[r].with_timezone(&zone).format("%H:%M").to_string(),
                    cells,
                }
            })
            .collect();
        Some(DayGrid { rooms, rows })
    }

    /// The items by the day they fall on in `zone`, in order.
    pub fn days(items: &[ShownItem], zone: Tz) -> Vec<AgendaDay> {
        by_day(items, |i| i.starts_at, zone)
            .into_iter()
            .map(|(date, shown)| AgendaDay {
                label: day_label(date),
                anchor: format!("day-{}", date.format("%Y-%m-%d")),
                items: shown.iter().map(|i| entry(i, zone)).collect(),
                grid: grid(&shown, zone),
            })
            .collect()
    }

    /// `items` (in order of time) by the day `at` falls on in `zone`, in order.
    pub fn by_day<T>(
        items: &[T],
        at: impl Fn(&T) -> chrono::DateTime<chrono::Utc>,
        zone: Tz,
    ) -> Vec<(chrono::NaiveDate, Vec<&T>)> {
        let mut days: Vec<(chrono::NaiveDate, Vec<&T>)> = Vec::new();
        for item in items {
            let date = at(item).with_timezone(&zone).date_naive();
            match days.last_mut() {
                Some((d, list)) if *d == date => list.push(item),
                _ => days.push((date, vec![item])),
            }
        }
        days
    }

    /// [`reader`] of event `event_id` of network `network_id`, their standing read
    /// here (for the feeds, which read events their own way, and pages whose event
    /// was read for someone else).
    pub async fn reader_of(
        state: &crate::platform::AppState,
        viewer: Option<&crate::platform::auth::Viewer>,
        network_id: i64,
        event_id: i64,
    ) -> Result<(crate::platform::policy::AgendaReach, bool), crate::AppError> {
        let standing = match viewer.filter(|v| speaks_at(v, event_id)) {
            Some(v) => {
                crate::registration::store::standing_now(&state.store, event_id, v.person_id)
                    .await?
            }
            None => None,
        };
        Ok(reach_with(viewer, network_id, event_id, standing))
    }

    /// Whether what a viewer holds counts at event `event_id`: a guest's link only
    /// at its own event.
    fn speaks_at(v: &crate::platform::auth::Viewer, event_id: i64) -> bool {
        match &v.identity {
            crate::platform::auth::Identity::Guest { event_id: own, .. } => own.0 == event_id,
            _ => true,
        }
    }

    /// The reach and the "registered" of `viewer`, whose person holds `standing`.
    fn reach_with(
        viewer: Option<&crate::platform::auth::Viewer>,
        network_id: i64,
        event_id: i64,
        standing: Option<crate::registration::store::Standing>,
    ) -> (crate::platform::policy::AgendaReach, bool) {
        use crate::platform::policy::{audience, AgendaReach};
        let seen = audience(
            viewer,
            crate::ids::NetworkId(network_id),
            crate::ids::EventId(event_id),
        );
        let registered = viewer.is_some_and(|v| speaks_at(v, event_id))
            && standing == Some(crate::registration::store::Standing::Confirmed);
        (AgendaReach::of(seen, registered), registered)
    }

    /// Who reads an event's agenda: how much they see of it, and whether they hold a
    /// confirmed registration (a guest's link speaks for them at its own event only).
    /// Their standing as the event's statement read it (`facts`) when it was read
    /// for them, else read here.
    pub async fn reader(
        state: &crate::platform::AppState,
        viewer: Option<&crate::platform::auth::Viewer>,
        e: &crate::events::EventDetails,
        facts: &crate::events::store::ReaderFacts,
    ) -> Result<(crate::platform::policy::AgendaReach, bool), crate::AppError> {
        if facts.person == viewer.map(|v| v.person_id) {
            Ok(reach_with(viewer, e.network_id, e.id, facts.standing))
        } else {
            reader_of(state, viewer, e.network_id, e.id).await
        }
    }
}

/// A day with more items than this is outlined without its presentations.
#[cfg(feature = "ssr")]
const OUTLINE_ALL: usize = 12;

/// The outline of an event's published agenda for its page, as the viewer may see
/// it (the same reach and query as the agenda page).
#[cfg(feature = "ssr")]
pub(crate) async fn outline(
    state: &crate::platform::AppState,
    viewer: Option<&crate::platform::auth::Viewer>,
    e: &crate::events::EventDetails,
    facts: &crate::events::store::ReaderFacts,
) -> Result<Vec<(String, Vec<super::OutlineLine>)>, AppError> {
    if e.agenda_version.is_none() {
        // Never published: nothing to outline, nothing to read.
        return Ok(Vec::new());
    }
    let (reach, _) = server::reader(state, viewer, e, facts).await?;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let outline = super::store::outline(&state.store, e.id, &reach).await?;
    let presentation = crate::domain::AgendaItemKind::Presentation.as_str();
    Ok(server::by_day(&outline.items, |i| i.starts_at, zone)
        .into_iter()
        .map(|(date, shown)| {
            // A long day is outlined by its sessions, not every talk in them.
            let long = shown.len() > OUTLINE_ALL;
            let lines = shown
                .into_iter()
                .filter(|i| !(long && i.kind == presentation))
                .map(|i| super::OutlineLine {
                    time: server::time_span(i.starts_at, i.ends_at, zone),
                    title: server::title_of(i.closed, &i.title),
                    anchor: format!("item-{}", i.id),
                })
                .collect();
            (server::day_label(date), lines)
        })
        .collect())
}

/// The published agenda of an event, as the viewer may see it: closed sessions in
/// full for those entitled, as a neutral block for the others, organisers-only
/// items for organisers only; with what the last version changed, and for a
/// registered participant the workshops they may choose and have chosen.
#[server(endpoint = "agenda", input = server_fn::codec::GetUrl)]
pub async fn agenda_page(network: String, slug: String) -> Result<AgendaData, AppError> {
    use super::{ChangeLine, ChoiceForm, MyChoice, WorkshopChoice};
    let (state, viewer, e, facts) = crate::events::api::readable_event(&network, &slug).await?;
    let (reach, registered) = server::reader(&state, viewer.as_ref(), &e, &facts).await?;
    let zone = crate::platform::localtime::parse_zone(&e.time_zone).unwrap_or(chrono_tz::UTC);
    let items = super::store::published(&state.store, e.id, &reach).await?;
    let version = e.agenda_version;
    let changes = match version {
        Some(n) if n > 1 => super::store::changelog(&state.store, e.id, n, &reach)
            .await?
            .into_iter()
            .map(|c| ChangeLine {
                change: c.change,
                day: crate::platform::localtime::local_date(c.item.starts_at, zone),
                entry: server::entry(&c.item, zone),
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut days = server::days(&items, zone);
    let workshop = crate::domain::AgendaItemKind::Workshop.label();
    let mut mine = Vec::new();
    if registered {
        let person = viewer.as_ref().map(|v| v.person_id).unwrap_or_default();
        let taken = super::store::places_taken(&state.store, e.id).await?;
        let chosen = super::store::choices(&state.store, e.id, person, &reach).await?;
        let capacity: std::collections::HashMap<i64, Option<i64>> =
            items.iter().map(|i| (i.id, i.capacity)).collect();
        for entry in days.iter_mut().flat_map(|d| d.items.iter_mut()) {
            if entry.closed || entry.kind != workshop {
                continue;
            }
            let id = entry.item_id;
            entry.choice = Some(WorkshopChoice {
                item_id: id,
                chosen: chosen.iter().any(|(c, _)| c.id == id),
                places_left: capacity
                    .get(&id)
                    .copied()
                    .flatten()
                    .map(|c| (c - taken.get(&id).copied().unwrap_or(0)).max(0)),
            });
        }
        mine = chosen
            .into_iter()
            .map(|(item, cancelled)| MyChoice {
                day: crate::platform::localtime::local_date(item.starts_at, zone),
                entry: server::entry(&item, zone),
                cancelled,
            })
            .collect();
    }
    if let Some(v) = viewer.as_ref() {
        for entry in days.iter_mut().flat_map(|d| d.items.iter_mut()) {
            let id = entry.item_id;
            if v.workshop_chairs.contains(&(crate::ids::EventId(e.id), id)) {
                entry.edit_href = Some(super::item::item_href(e.id, id));
            }
        }
    }
    Ok(AgendaData {
        network_slug: e.network_slug,
        network_name: e.network_name,
        event_slug: e.slug,
        event_title: e.title,
        time_zone: e.time_zone,
        version,
        days,
        changes,
        registered,
        mine,
        choice_form: crate::platform::forms::take::<ChoiceForm>().await,
        calendar: crate::calendar::agenda_links(&state, &network, &slug),
    })
}

/// Which way a participant's choice goes.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
enum Choosing {
    Take,
    GiveUp,
}

#[cfg(feature = "ssr")]
async fn choose(
    network: String,
    slug: String,
    form: super::ChoiceForm,
    choosing: Choosing,
) -> Result<(), AppError> {
    use crate::platform::{audit, forms};
    let back = format!("/networks/{network}/events/{slug}/agenda");
    forms::submit_public(&form, back.clone(), async |_| {
        let (state, viewer, e, facts) =
            crate::events::api::readable_event(&network, &slug).await?;
        let viewer = viewer.ok_or(AppError::Unauthorized)?;
        let (reach, registered) = server::reader(&state, Some(&viewer), &e, &facts).await?;
        // The policy's rule: only a confirmed registration chooses workshops.
        if !crate::platform::policy::may_choose_workshops(registered) {
            return Err(AppError::Conflict(
                "Workshops are chosen by registered participants: register for the meeting first."
                    .into(),
            ));
        }
        let item_id: i64 = form.item_id.trim().parse().map_err(|_| AppError::NotFound)?;
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        let (what, notice) = match choosing {
            Choosing::Take => {
                let chosen = match super::store::choose_workshop(
                    &mut tx, e.id, item_id, viewer.person_id, &reach, now,
                )
                .await
                {
                    Err(crate::platform::StoreError::Conflict(why)) => {
                        return Err(AppError::Conflict(why))
                    }
                    other => other?,
                };
                match chosen {
                    super::store::Chosen::Already => {
                        return Ok(forms::Done::to(back.clone())
                            .with_notice("You had already chosen this workshop."))
                    }
                    super::store::Chosen::Taken { replaced: 0 } => {
                        ("workshop_chosen", "Your place in the workshop is kept.")
                    }
                    super::store::Chosen::Taken { .. } => (
                        "workshop_chosen",
                        "Your place in the workshop is kept, instead of your earlier choice at the same time.",
                    ),
                }
            }
            Choosing::GiveUp => {
                if !super::store::withdraw_workshop(&mut tx, e.id, item_id, viewer.person_id).await? {
                    return Err(AppError::NotFound);
                }
                ("workshop_given_up", "You gave up your place in the workshop.")
            }
        };
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), what)
                .on("event", e.id)
                .detail(format!("item {item_id}")),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(forms::Done::to(back.clone()).with_notice(notice))
    })
    .await
}

/// A registered participant chooses a workshop (one per time slot).
#[server(endpoint = "choose_workshop")]
pub async fn choose_workshop(
    network: String,
    slug: String,
    #[server(flatten)] form: super::ChoiceForm,
) -> Result<(), AppError> {
    choose(network, slug, form, Choosing::Take).await
}

/// A participant gives up a workshop they chose.
#[server(endpoint = "give_up_workshop")]
pub async fn give_up_workshop(
    network: String,
    slug: String,
    #[server(flatten)] form: super::ChoiceForm,
) -> Result<(), AppError> {
    choose(network, slug, form, Choosing::GiveUp).await
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::super::{GridCell, ShownItem};
    use super::server::grid;
    use chrono::{TimeZone, Utc};

    fn item(id: i64, from: (u32, u32), to: (u32, u32), room: &str) -> ShownItem {
        let at = |(h, m)| Utc.with_ymd_and_hms(2027, 3, 18, h, m, 0).unwrap();
        ShownItem {
            id,
            closed: false,
            kind: "workshop".into(),
            title: format!("Item {id}"),
            description_html: String::new(),
            starts_at: at(from),
            ends_at: at(to),
            room: room.into(),
            people: Vec::new(),
            capacity: None,
            sequence: 0,
        }
    }

    fn cell(item: Option<usize>, rows: usize, cols: usize) -> GridCell {
        GridCell { item, rows, cols }
    }

    #[test]
    fn parallel_items_make_a_grid_with_a_plenary_across_every_room() {
        let items = [
            item(1, (8, 0), (9, 0), ""),
            item(2, (9, 0), (10, 30), "Room B"),
            item(3, (9, 0), (10, 0), "Room A"),
        ];
        let refs: Vec<&ShownItem> = items.iter().collect();
        let g = grid(&refs, chrono_tz::UTC).expect("a grid");
        assert_eq!(g.rooms, ["Room A", "Room B"]);
        assert_eq!(
            g.rows.iter().map(|r| r.time.as_str()).collect::<Vec<_>>(),
            ["08:00", "09:00", "10:00"]
        );
        assert_eq!(
            g.rows[0].cells,
            [cell(Some(0), 1, 2)],
            "the plenary spans both rooms"
        );
        assert_eq!(g.rows[1].cells, [cell(Some(2), 1, 1), cell(Some(1), 2, 1)]);
        assert_eq!(
            g.rows[2].cells,
            [cell(None, 1, 1)],
            "Room A is free, Room B still taken"
        );
    }

    #[test]
    fn no_grid_without_parallel_items_nor_with_a_room_booked_twice() {
        let one_after_the_other = [
            item(1, (9, 0), (10, 0), "Room A"),
            item(2, (10, 0), (11, 0), "Room B"),
        ];
        let refs: Vec<&ShownItem> = one_after_the_other.iter().collect();
        assert!(grid(&refs, chrono_tz::UTC).is_none());
        let twice = [
            item(1, (9, 0), (10, 0), "Room A"),
            item(2, (9, 30), (10, 30), "Room A"),
            item(3, (9, 0), (10, 0), "Room B"),
        ];
        let refs: Vec<&ShownItem> = twice.iter().collect();
        assert!(grid(&refs, chrono_tz::UTC).is_none());
        // Items without a room in parallel with others share the "Other" column.
        let closed = [
            item(1, (9, 0), (10, 0), "Room A"),
            item(2, (9, 0), (10, 0), ""),
        ];
        let refs: Vec<&ShownItem> = closed.iter().collect();
        assert_eq!(
            grid(&refs, chrono_tz::UTC).unwrap().rooms,
            ["Room A", "Other"]
        );
    }
}
