//! What every feature stands on, server side only: the database handle, the clock,
//! local-time formatting and the state the router hands to server functions.
pub mod audit;
pub mod auth;
pub mod batch;
pub mod clock;
pub mod db;
pub mod forms;
pub mod guests;
pub mod jobs;
pub mod kept;
pub mod localtime;
pub mod mail;
pub mod markdown;
pub mod pagecache;
pub mod policy;
pub mod request;
pub mod state;
pub mod versions;

pub use clock::Clock;
pub use db::{Backend, Store, StoreError};
pub use mail::Secret;
pub use state::AppState;
