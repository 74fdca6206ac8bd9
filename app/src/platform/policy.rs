//! Authorization in one place: "may this person do this?" and "how much of this
//! event may they see?". Every server function and plain route asks here; pages
//! only hide what the server would refuse anyway.
use super::auth::{Identity, Viewer};
use super::guests::GuestAction;
use crate::domain::MembershipCategory;
use crate::ids::{EventId, NetworkId};
use crate::AppError;

/// Something a person may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Networks, organisations, people, memberships, events and roles: the secretariat.
    Administer,
    /// Read the mail log or queue a message again.
    ReadMailLog,
    ResendMail,
    ReadAuditLog,
    /// Export or erase everything held about a person.
    ExportPerson,
    ErasePerson,
    /// Change an event's agenda, invitations, registrations and report: its chairs
    /// and organisers, and the secretariat.
    ManageEvent {
        event_id: EventId,
    },
    /// Edit one agenda item's title, description and speakers: the event's chairs
    /// and organisers (who may change everything of it), and the item's own chairs.
    EditAgendaItem {
        event_id: EventId,
        item_id: i64,
    },
    /// See and change one's own account.
    UseOwnAccount,
    /// What a personal link allows its guest for one event.
    ActAsGuest {
        event_id: EventId,
        action: GuestAction,
    },
    /// Registering oneself, without an invitation, for an event of `network_id`
    /// that is open to these categories of its members.
    RegisterAsMember {
        network_id: NetworkId,
        open_to: Categories,
    },
    /// Registering colleagues of one's own Member State (the delegation) for an
    /// event of `network_id`: a National Contact Point's.
    RegisterDelegation {
        network_id: NetworkId,
    },
}

/// A set of membership categories (whom an event's registration is open to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Categories(u8);

impl Categories {
    fn bit(c: MembershipCategory) -> u8 {
        match c {
            MembershipCategory::Secretariat => 1,
            MembershipCategory::NationalContactPoint => 2,
            MembershipCategory::AssociatePartner => 4,
            MembershipCategory::Observer => 8,
        }
    }

    /// Reads the stored list (`national_contact_point,observer`); unknown words are
    /// ignored.
    pub fn parse(stored: &str) -> Self {
        Categories(
            stored
                .split(',')
                .filter_map(|w| MembershipCategory::parse(w.trim()).ok())
                .fold(0, |acc, c| acc | Self::bit(c)),
        )
    }

    pub fn of(categories: &[MembershipCategory]) -> Self {
        Categories(categories.iter().fold(0, |acc, c| acc | Self::bit(*c)))
    }

    pub fn contains(self, c: MembershipCategory) -> bool {
        self.0 & Self::bit(c) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The stored list.
    pub fn stored(self) -> String {
        [
            MembershipCategory::Secretariat,
            MembershipCategory::NationalContactPoint,
            MembershipCategory::AssociatePartner,
            MembershipCategory::Observer,
        ]
        .into_iter()
        .filter(|c| self.contains(*c))
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
    }
}

/// How much of an event a person sees; each level sees everything below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Audience {
    Public,
    Observer,
    Partner,
    Member,
    Organiser,
}

/// Whether `viewer` (None: anonymous) may do `action`. A guest may do exactly
/// what their link says, for its event, and nothing else.
pub fn may(viewer: Option<&Viewer>, action: Action) -> bool {
    let Some(v) = viewer else { return false };
    if let Identity::Guest {
        event_id: link_event,
        scope,
        ..
    } = &v.identity
    {
        return match action {
            Action::ActAsGuest { event_id, action } => {
                event_id == *link_event && scope.contains(&action)
            }
            _ => false,
        };
    }
    match action {
        Action::Administer
        | Action::ReadMailLog
        | Action::ResendMail
        | Action::ReadAuditLog
        | Action::ExportPerson
        | Action::ErasePerson => v.secretariat,
        Action::ManageEvent { event_id } => manages(v.secretariat, &v.event_roles, event_id),
        Action::EditAgendaItem { event_id, item_id } => {
            may(Some(v), Action::ManageEvent { event_id })
                || v.workshop_chairs.contains(&(event_id, item_id))
        }
        Action::UseOwnAccount => true,
        Action::RegisterAsMember {
            network_id,
            open_to,
        } => v
            .memberships
            .iter()
            .any(|m| m.network_id == network_id && open_to.contains(m.category)),
        Action::RegisterDelegation { network_id } => v.memberships.iter().any(|m| {
            m.network_id == network_id
                && m.category == MembershipCategory::NationalContactPoint
                && m.member_state.is_some()
        }),
        // A signed-in invitee answers and registers through their account, as the
        // guest of their link would; nobody else acts as a guest.
        Action::ActAsGuest { event_id, action } => {
            v.invited_to.contains(&event_id)
                && matches!(
                    action,
                    GuestAction::View | GuestAction::Respond | GuestAction::Register
                )
        }
    }
}

/// The viewer if they may do `action`; "please sign in" for anonymous requests
/// (and for a guest asking for what only an account gives), "not allowed" for
/// everyone else.
pub fn require(viewer: Option<Viewer>, action: Action) -> Result<Viewer, AppError> {
    match viewer {
        None => Err(AppError::Unauthorized),
        Some(v) if may(Some(&v), action) => Ok(v),
        Some(v) if v.is_guest() && !matches!(action, Action::ActAsGuest { .. }) => {
            Err(AppError::Unauthorized)
        }
        Some(v) => {
            tracing::info!(person = v.person_id, ?action, "refused by policy");
            Err(AppError::Forbidden)
        }
    }
}

/// What `viewer` may see of an event of `network_id`.
///
/// Organiser level (drafts, everything of the event) comes only from rights: the
/// secretariat's rights on the account, or being the event's chair or organiser.
/// A membership of category "secretariat" records who staffs a network's
/// secretariat; by itself it grants what a member sees, never the secretariat's
/// rights — those are given on the account, deliberately and audited.
pub fn audience(viewer: Option<&Viewer>, network_id: NetworkId, event_id: EventId) -> Audience {
    match viewer {
        // A guest's link gives no rights and no membership.
        Some(v) if !v.is_guest() => audience_of(
            v.secretariat,
            &v.event_roles,
            &v.memberships,
            network_id,
            event_id,
        ),
        _ => Audience::Public,
    }
}

/// Whether a person with the secretariat's rights or not, and with these event
/// roles, manages event `event_id`: chairs and organisers both manage theirs.
fn manages(
    secretariat: bool,
    roles: &[(EventId, crate::domain::EventRole)],
    event_id: EventId,
) -> bool {
    secretariat || roles.iter().any(|(e, _)| *e == event_id)
}

/// [`audience`] of a person known by their rights rather than as the request's
/// viewer (the owner of a personal calendar feed): the secretariat's rights,
/// their event roles and their active memberships.
pub fn audience_of(
    secretariat: bool,
    roles: &[(EventId, crate::domain::EventRole)],
    memberships: &[super::auth::MembershipGrant],
    network_id: NetworkId,
    event_id: EventId,
) -> Audience {
    audience_from(
        manages(secretariat, roles, event_id),
        memberships
            .iter()
            .filter(|m| m.network_id == network_id)
            .map(|m| m.category),
    )
}

/// [`audience`] from what it looks at, for a person who is not the viewer (the
/// recipient of a mail): whether they manage the event (its chairs and organisers,
/// the secretariat), and their active memberships' categories in its network.
pub fn audience_from(
    manages: bool,
    categories: impl IntoIterator<Item = MembershipCategory>,
) -> Audience {
    if manages {
        return Audience::Organiser;
    }
    categories
        .into_iter()
        .map(|c| match c {
            MembershipCategory::Secretariat => Audience::Member,
            MembershipCategory::NationalContactPoint => Audience::Member,
            MembershipCategory::AssociatePartner => Audience::Partner,
            MembershipCategory::Observer => Audience::Observer,
        })
        .max()
        .unwrap_or(Audience::Public)
}

/// How much of one agenda item a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// Everything: title, description, speakers, room.
    Full,
    /// A neutral "Closed session" block with its time, nothing else.
    Closed,
    /// Not even that: the item does not exist for them.
    Nothing,
}

/// The one rule for agenda items, on every channel (pages, server functions,
/// exports, mails, feeds): what a reader of `audience` for the event, holding a
/// confirmed registration for it or not, sees of an item of `visibility`.
pub fn agenda_sight(
    audience: Audience,
    registered: bool,
    visibility: crate::domain::AgendaVisibility,
) -> Sight {
    use crate::domain::AgendaVisibility as V;
    let full = match visibility {
        V::Public => true,
        V::Registered => registered || audience == Audience::Organiser,
        V::MembersAndPartners => audience >= Audience::Partner,
        V::MembersOnly => audience >= Audience::Member,
        V::OrganisersOnly => audience == Audience::Organiser,
    };
    match (full, visibility) {
        (true, _) => Sight::Full,
        (false, V::OrganisersOnly) => Sight::Nothing,
        (false, _) => Sight::Closed,
    }
}

/// Whether a reader of an event's outcome report sees its members-only annex (the
/// conclusions of closed sessions, the names of those present, the annex's
/// files): the network's members and those who manage the event; never associate
/// partners, observers, guests or anonymous readers. The same rule on every
/// channel: the report's page, its files, the mail each recipient gets.
pub fn may_read_annex(audience: Audience) -> bool {
    audience >= Audience::Member
}

/// Whether a reader of an agenda chooses its workshops: only with a confirmed
/// registration for the event (a guest's link counts at its own event only), and
/// only workshops [`agenda_sight`] shows them in full.
pub fn may_choose_workshops(registered: bool) -> bool {
    registered
}

/// [`agenda_sight`] for every visibility at once, as queries need it: the
/// visibilities a reader sees in full and those they see as closed blocks. What is
/// in neither is never fetched for them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AgendaReach {
    pub full: Vec<crate::domain::AgendaVisibility>,
    pub closed: Vec<crate::domain::AgendaVisibility>,
}

impl AgendaReach {
    pub fn of(audience: Audience, registered: bool) -> Self {
        let mut reach = AgendaReach {
            full: Vec::new(),
            closed: Vec::new(),
        };
        for v in crate::domain::AgendaVisibility::ALL {
            match agenda_sight(audience, registered, *v) {
                Sight::Full => reach.full.push(*v),
                Sight::Closed => reach.closed.push(*v),
                Sight::Nothing => {}
            }
        }
        reach
    }
}

/// The first line of a server function that acts for someone: the request's state
/// and its viewer, if they may do `action`.
pub async fn check(action: Action) -> Result<(super::AppState, Viewer), AppError> {
    let state = super::AppState::current()?;
    let viewer = require(super::auth::current_viewer().await?, action)?;
    Ok((state, viewer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_items_are_seen_in_full_only_by_those_entitled_and_organisers_only_items_by_no_one_else(
    ) {
        use crate::domain::AgendaVisibility as V;
        use Audience::*;
        let sees = |a, r, v| agenda_sight(a, r, v);
        for a in [Public, Observer, Partner, Member, Organiser] {
            assert_eq!(sees(a, false, V::Public), Sight::Full);
        }
        assert_eq!(sees(Public, false, V::MembersOnly), Sight::Closed);
        assert_eq!(sees(Observer, true, V::MembersAndPartners), Sight::Closed);
        assert_eq!(sees(Partner, false, V::MembersAndPartners), Sight::Full);
        assert_eq!(sees(Partner, true, V::MembersOnly), Sight::Closed);
        assert_eq!(sees(Member, false, V::MembersOnly), Sight::Full);
        assert_eq!(sees(Member, false, V::Registered), Sight::Closed);
        assert_eq!(sees(Observer, true, V::Registered), Sight::Full);
        assert_eq!(sees(Member, true, V::OrganisersOnly), Sight::Nothing);
        assert_eq!(sees(Organiser, false, V::OrganisersOnly), Sight::Full);
        assert_eq!(sees(Organiser, false, V::Registered), Sight::Full);
        let public = AgendaReach::of(Public, false);
        assert_eq!(public.full, vec![V::Public]);
        assert!(!public.closed.contains(&V::OrganisersOnly));
    }
    use crate::domain::EventRole;
    use crate::platform::auth::MembershipGrant;

    /// `audience` with plain numbers, for short tests.
    fn aud(v: Option<&Viewer>, network: i64, event: i64) -> Audience {
        audience(v, NetworkId(network), EventId(event))
    }

    fn person(
        secretariat: bool,
        grants: &[(i64, MembershipCategory)],
        roles: &[(i64, EventRole)],
    ) -> Viewer {
        Viewer {
            person_id: 1,
            name: "A".into(),
            email: "a@example.eu".into(),
            secretariat,
            memberships: grants
                .iter()
                .map(|(n, c)| MembershipGrant {
                    network_id: NetworkId(*n),
                    category: *c,
                    member_state: None,
                })
                .collect(),
            event_roles: roles.iter().map(|(e, r)| (EventId(*e), *r)).collect(),
            workshop_chairs: Vec::new(),
            invited_to: Vec::new(),
            identity: Identity::Session {
                hash: String::new(),
            },
        }
    }

    fn guest(event_id: i64, scope: &[GuestAction]) -> Viewer {
        Viewer {
            identity: Identity::Guest {
                link_id: 1,
                event_id: EventId(event_id),
                scope: scope.to_vec(),
            },
            ..person(false, &[], &[])
        }
    }

    #[test]
    fn a_workshop_chair_edits_their_own_workshop_only_and_manages_nothing() {
        let mut chair = person(false, &[], &[]);
        chair.workshop_chairs = vec![(EventId(7), 70)];
        let edit = |e, i| Action::EditAgendaItem {
            event_id: EventId(e),
            item_id: i,
        };
        assert!(may(Some(&chair), edit(7, 70)));
        assert!(!may(Some(&chair), edit(7, 71)));
        assert!(!may(Some(&chair), edit(8, 70)));
        assert!(!may(
            Some(&chair),
            Action::ManageEvent {
                event_id: EventId(7)
            }
        ));
        let organiser = person(false, &[], &[(7, crate::domain::EventRole::Organiser)]);
        assert!(may(Some(&organiser), edit(7, 71)));
        assert!(!may(Some(&organiser), edit(8, 70)));
        assert!(!may(None, edit(7, 70)));
        let mut guest = guest(7, &[GuestAction::View, GuestAction::Register]);
        guest.workshop_chairs = vec![(EventId(7), 70)];
        assert!(!may(Some(&guest), edit(7, 70)));
    }

    #[test]
    fn a_signed_in_invitee_answers_for_the_event_invited_to_only() {
        let mut p = person(false, &[], &[]);
        p.invited_to = vec![EventId(7)];
        let act = |event_id, action| Action::ActAsGuest {
            event_id: EventId(event_id),
            action,
        };
        assert!(may(Some(&p), act(7, GuestAction::Register)));
        assert!(may(Some(&p), act(7, GuestAction::Respond)));
        assert!(
            !may(Some(&p), act(8, GuestAction::Register)),
            "another event"
        );
        assert!(
            !may(Some(&p), act(7, GuestAction::ReadReport)),
            "not what an invitation gives"
        );
        assert!(
            !may(Some(&person(false, &[], &[])), act(7, GuestAction::View)),
            "not invited"
        );
    }

    #[test]
    fn a_guest_may_do_what_the_link_says_for_its_event_only() {
        let g = guest(7, &[GuestAction::View, GuestAction::Respond]);
        let act = |event_id, action| Action::ActAsGuest {
            event_id: EventId(event_id),
            action,
        };
        assert!(may(Some(&g), act(7, GuestAction::Respond)));
        assert!(
            !may(Some(&g), act(7, GuestAction::Register)),
            "not in the scope"
        );
        assert!(
            !may(Some(&g), act(8, GuestAction::Respond)),
            "another event"
        );
        assert!(!may(Some(&g), Action::UseOwnAccount), "no account");
        assert!(!may(
            Some(&g),
            Action::ManageEvent {
                event_id: EventId(7)
            }
        ));
        assert_eq!(
            require(Some(g.clone()), Action::UseOwnAccount),
            Err(AppError::Unauthorized)
        );
        assert_eq!(
            require(Some(g), act(8, GuestAction::View)),
            Err(AppError::Forbidden)
        );
        let admin = person(true, &[], &[]);
        assert!(
            !may(Some(&admin), act(7, GuestAction::View)),
            "accounts do not act as guests"
        );
    }

    #[test]
    fn members_register_where_their_category_may_and_contact_points_for_their_delegation() {
        let ncp = person(false, &[(1, MembershipCategory::NationalContactPoint)], &[]);
        let observer = person(false, &[(1, MembershipCategory::Observer)], &[]);
        let open = |n, cats: &[MembershipCategory]| Action::RegisterAsMember {
            network_id: NetworkId(n),
            open_to: Categories::of(cats),
        };
        let ncps = [MembershipCategory::NationalContactPoint];
        assert!(may(Some(&ncp), open(1, &ncps)));
        assert!(!may(Some(&observer), open(1, &ncps)), "not their category");
        assert!(!may(Some(&ncp), open(2, &ncps)), "another network");
        assert!(!may(Some(&ncp), open(1, &[])), "by invitation only");
        assert!(!may(None, open(1, &ncps)));
        let g = guest(7, &[GuestAction::View, GuestAction::Register]);
        assert!(!may(Some(&g), open(1, &ncps)), "a link is no membership");
        assert_eq!(
            Categories::parse("observer, national_contact_point,bogus").stored(),
            "national_contact_point,observer"
        );
        // The delegation's head needs a Member State on their membership.
        let mut head = ncp.clone();
        head.memberships[0].member_state = Some("DE".into());
        let delegation = |n| Action::RegisterDelegation {
            network_id: NetworkId(n),
        };
        assert!(may(Some(&head), delegation(1)));
        assert!(!may(Some(&ncp), delegation(1)), "no Member State");
        assert!(!may(Some(&head), delegation(2)));
        assert!(!may(Some(&observer), delegation(1)));
    }

    #[test]
    fn only_the_secretariat_administers_and_anonymous_is_asked_to_sign_in() {
        let admin = person(true, &[], &[]);
        let member = person(false, &[(1, MembershipCategory::NationalContactPoint)], &[]);
        assert!(may(Some(&admin), Action::Administer));
        assert!(!may(Some(&member), Action::Administer));
        assert_eq!(
            require(None, Action::Administer),
            Err(AppError::Unauthorized)
        );
        assert_eq!(
            require(Some(member), Action::ErasePerson),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn chairs_manage_their_own_event_only() {
        let chair = person(false, &[], &[(7, EventRole::Chair)]);
        assert!(may(
            Some(&chair),
            Action::ManageEvent {
                event_id: EventId(7)
            }
        ));
        assert!(!may(
            Some(&chair),
            Action::ManageEvent {
                event_id: EventId(8)
            }
        ));
        assert_eq!(aud(Some(&chair), 1, 7), Audience::Organiser);
    }

    #[test]
    fn a_secretariat_membership_without_the_rights_sees_what_members_see() {
        let staff = person(false, &[(1, MembershipCategory::Secretariat)], &[]);
        assert_eq!(aud(Some(&staff), 1, 5), Audience::Member);
        assert!(!may(Some(&staff), Action::Administer));
        let admin = person(true, &[], &[]);
        assert_eq!(aud(Some(&admin), 1, 5), Audience::Organiser);
    }

    #[test]
    fn audience_follows_the_membership_in_that_network_only() {
        let ncp = person(false, &[(1, MembershipCategory::NationalContactPoint)], &[]);
        let partner = person(false, &[(1, MembershipCategory::AssociatePartner)], &[]);
        let observer = person(false, &[(1, MembershipCategory::Observer)], &[]);
        assert_eq!(aud(Some(&ncp), 1, 5), Audience::Member);
        assert_eq!(aud(Some(&ncp), 2, 5), Audience::Public);
        assert_eq!(aud(Some(&partner), 1, 5), Audience::Partner);
        assert_eq!(aud(Some(&observer), 1, 5), Audience::Observer);
        assert_eq!(aud(None, 1, 5), Audience::Public);
    }
}
