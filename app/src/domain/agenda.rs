//! The agenda's pure rules: what in a draft agenda conflicts, for the chair to see
//! as they edit and before they publish.
//!
//! [`conflicts`] sweeps the items in order of their start, keeping only those still
//! running, so it costs O(n log n + k) for n items and k conflicts: a two-day
//! plenary with 600 items is checked on every edit without a thought.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the rules need of an item: its id, time, room, the people in it
/// (speakers and moderator, by person id) and, for a workshop, its capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub room: Option<i64>,
    pub people: Vec<i64>,
    pub capacity: Option<i64>,
}

/// One problem of a draft agenda. Pairs name the earlier item first (by start,
/// then id).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Conflict {
    /// Two items in one room at once.
    RoomTwice { room: i64, first: i64, second: i64 },
    /// A speaker or moderator in two items at once.
    PersonTwice {
        person: i64,
        first: i64,
        second: i64,
    },
    /// An item that starts before the event or ends after it.
    OutsideEvent { item: i64 },
    /// A workshop that takes more people than its room holds.
    AboveRoomCapacity { item: i64, room: i64 },
}

impl Conflict {
    /// The items it concerns.
    pub fn items(&self) -> Vec<i64> {
        match *self {
            Conflict::RoomTwice { first, second, .. }
            | Conflict::PersonTwice { first, second, .. } => vec![first, second],
            Conflict::OutsideEvent { item } | Conflict::AboveRoomCapacity { item, .. } => {
                vec![item]
            }
        }
    }
}

/// Two half-open spans `[start, end)` overlap when each starts before the other
/// ends: an item ending at 10:00 and one starting at 10:00 do not.
fn overlap(a: &Placed, b: &Placed) -> bool {
    a.starts_at < b.ends_at && b.starts_at < a.ends_at
}

/// Every conflict of `items` within the event's span (`event`: its first
/// moment and its end), given each room's capacity (`rooms`: id → capacity,
/// None when not known). Sorted, each once.
pub fn conflicts(
    items: &[Placed],
    event: (DateTime<Utc>, DateTime<Utc>),
    rooms: &HashMap<i64, Option<i64>>,
) -> Vec<Conflict> {
    let mut found = Vec::new();
    let mut order: Vec<&Placed> = items.iter().collect();
    order.sort_by_key(|i| (i.starts_at, i.id));
    // The items that have started and not yet ended, as the sweep moves on.
    let mut running: Vec<&Placed> = Vec::new();
    for item in &order {
        running.retain(|r| r.ends_at > item.starts_at);
        for earlier in &running {
            if !overlap(earlier, item) {
                continue;
            }
            if let (Some(a), Some(b)) = (earlier.room, item.room) {
                if a == b {
                    found.push(Conflict::RoomTwice {
                        room: a,
                        first: earlier.id,
                        second: item.id,
                    });
                }
            }
            let mut shared: Vec<i64> = earlier
                .people
                .iter()
                .filter(|p| item.people.contains(p))
                .copied()
                .collect();
            shared.sort_unstable();
            shared.dedup();
            for person in shared {
                found.push(Conflict::PersonTwice {
                    person,
                    first: earlier.id,
                    second: item.id,
                });
            }
        }
        running.push(item);
        if item.starts_at < event.0 || item.ends_at > event.1 {
            found.push(Conflict::OutsideEvent { item: item.id });
        }
        if let (Some(cap), Some(room)) = (item.capacity, item.room) {
            if let Some(Some(holds)) = rooms.get(&room) {
                if cap > *holds {
                    found.push(Conflict::AboveRoomCapacity {
                        item: item.id,
                        room,
                    });
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use proptest::prelude::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 18, 8, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn item(id: i64, from: i64, to: i64, room: Option<i64>, people: &[i64]) -> Placed {
        Placed {
            id,
            starts_at: at(from),
            ends_at: at(to),
            room,
            people: people.to_vec(),
            capacity: None,
        }
    }

    const DAY: (i64, i64) = (0, 600);

    fn day() -> (DateTime<Utc>, DateTime<Utc>) {
        (at(DAY.0), at(DAY.1))
    }

    #[test]
    fn a_room_booked_twice_and_a_speaker_in_two_places_are_named() {
        let items = [
            item(1, 60, 120, Some(10), &[100]),
            item(2, 90, 150, Some(10), &[]),
            item(3, 100, 130, Some(11), &[100, 101]),
            // Back to back is not a conflict.
            item(4, 150, 180, Some(10), &[100]),
        ];
        assert_eq!(
            conflicts(&items, day(), &HashMap::new()),
            vec![
                Conflict::RoomTwice {
                    room: 10,
                    first: 1,
                    second: 2
                },
                Conflict::PersonTwice {
                    person: 100,
                    first: 1,
                    second: 3
                },
            ]
        );
    }

    #[test]
    fn an_item_outside_the_event_and_a_workshop_larger_than_its_room_are_named() {
        let mut workshop = item(2, 60, 120, Some(10), &[]);
        workshop.capacity = Some(40);
        let items = [
            item(1, -30, 30, None, &[]),
            workshop,
            item(3, 590, 610, None, &[]),
        ];
        let rooms = HashMap::from([(10, Some(30))]);
        assert_eq!(
            conflicts(&items, day(), &rooms),
            vec![
                Conflict::OutsideEvent { item: 1 },
                Conflict::OutsideEvent { item: 3 },
                Conflict::AboveRoomCapacity { item: 2, room: 10 },
            ]
        );
    }

    /// The rules by their definition, pair by pair: what the sweep must agree with.
    fn by_definition(
        items: &[Placed],
        event: (DateTime<Utc>, DateTime<Utc>),
        rooms: &HashMap<i64, Option<i64>>,
    ) -> Vec<Conflict> {
        let mut found = Vec::new();
        for a in items {
            for b in items {
                let earlier = (a.starts_at, a.id) < (b.starts_at, b.id);
                if !earlier || !overlap(a, b) {
                    continue;
                }
                if let Some(room) = a.room.filter(|r| b.room == Some(*r)) {
                    found.push(Conflict::RoomTwice {
                        room,
                        first: a.id,
                        second: b.id,
                    });
                }
                for p in &a.people {
                    if b.people.contains(p) {
                        found.push(Conflict::PersonTwice {
                            person: *p,
                            first: a.id,
                            second: b.id,
                        });
                    }
                }
            }
            if a.starts_at < event.0 || a.ends_at > event.1 {
                found.push(Conflict::OutsideEvent { item: a.id });
            }
            if let (Some(cap), Some(room)) = (a.capacity, a.room) {
                if rooms.get(&room).copied().flatten().is_some_and(|h| cap > h) {
                    found.push(Conflict::AboveRoomCapacity { item: a.id, room });
                }
            }
        }
        found.sort();
        found.dedup();
        found
    }

    fn agenda() -> impl Strategy<Value = (Vec<Placed>, HashMap<i64, Option<i64>>)> {
        let one = (
            -60i64..660,
            1i64..240,
            proptest::option::of(0i64..4),
            proptest::collection::vec(0i64..6, 0..3),
            proptest::option::of(1i64..80),
        );
        (
            proptest::collection::vec(one, 0..40),
            proptest::collection::vec(proptest::option::of(1i64..80), 4),
        )
            .prop_map(|(raw, caps)| {
                let items = raw
                    .into_iter()
                    .enumerate()
                    .map(|(n, (from, len, room, people, capacity))| Placed {
                        id: n as i64 + 1,
                        starts_at: at(from),
                        ends_at: at(from + len),
                        room,
                        people,
                        capacity,
                    })
                    .collect();
                let rooms = caps
                    .into_iter()
                    .enumerate()
                    .map(|(r, c)| (r as i64, c))
                    .collect();
                (items, rooms)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// On random agendas the sweep finds every conflict the definition names,
        /// and none it does not.
        #[test]
        fn every_conflict_is_found_and_none_is_invented((items, rooms) in agenda()) {
            prop_assert_eq!(conflicts(&items, day(), &rooms), by_definition(&items, day(), &rooms));
        }

        /// Whatever the order the items come in, the answer is the same.
        #[test]
        fn the_order_of_the_items_does_not_matter((items, rooms) in agenda()) {
            let mut reversed = items.clone();
            reversed.reverse();
            prop_assert_eq!(conflicts(&items, day(), &rooms), conflicts(&reversed, day(), &rooms));
        }
    }
}
