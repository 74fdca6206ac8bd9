//! One test binary: the store contract, the HTTP pages and the binary's start-up,
//! each on SQLite and (when reachable, and always in CI) on PostgreSQL.
mod helpers;
mod smtp_sink;

mod accounts;
mod agenda;
mod agenda_editing;
mod agenda_signup;
mod bench;
mod calendar;
mod contract;
mod directory;
mod events_admin;
mod forms;
mod guests;
mod invitations;
mod mail;
mod matrix;
mod pagecache;
mod pages;
mod registration_rules;
mod reports;
mod schema;
mod security;
mod startup;
mod transactions;
mod viewers;
