//! Identifiers that are easy to swap, as types of their own: a function that takes
//! a network and an event cannot be given them the other way round. They compile
//! for both builds; the database encoding is there on the server only.
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type))]
        #[cfg_attr(feature = "ssr", sqlx(transparent))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A person (with or without an account).
    PersonId
);
id_type!(
    /// A network.
    NetworkId
);
id_type!(
    /// An event of a network.
    EventId
);
