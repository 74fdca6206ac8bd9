//! Registration: places within the event's capacity, the waiting list, and
//! cancelling with promotion of the first waiting. Invitees register through
//! their personal link (`invitations`); the rules and their SQL live here.
#[cfg(feature = "ssr")]
pub mod store;
