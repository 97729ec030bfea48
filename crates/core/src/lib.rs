//! Rapport's core: the domain rules and the storage of a small team's customer relations.
//!
//! Everything that decides something lives here, free of any GUI or Tauri dependency, so that
//! `cargo test -p rapport-core` runs on a machine without a display. The desktop app
//! (`src-tauri`) and the admin CLI (`crates/admin`) are thin shells over this crate.
//!
//! Conventions a newcomer should know:
//! - Time enters through a [`clock::Clock`]; rules take `now` as a parameter, so every rule is
//!   testable at any instant. Instants are stored as UTC; the team's time zone is applied in
//!   display and in working-time arithmetic ([`calendar`]).
//! - Money is an exact integer of minor units ([`money::Money`]), never floating point.
//! - Every operation that a person triggers takes an [`account::Actor`] and checks the
//!   [`permission`] matrix first, so the UI hiding a button is never the only guard.
//! - One error type, [`Error`], carries a stable machine code the UI translates.

mod access;
pub mod account;
pub mod attachment;
pub mod backup;
pub mod calendar;
pub mod clock;
pub mod customer;
pub mod db;
pub mod demo;
pub mod error;
pub mod export_all;
pub mod feedback;
pub mod insight;
pub mod interaction;
pub mod money;
pub mod page;
pub mod permission;
pub mod plan;
pub mod recovery;
pub mod reminder;
pub mod sla;
pub mod survey;
pub mod task;
pub mod team;
pub mod template;
#[cfg(test)]
mod testutil;
pub mod today;
pub mod validate;

pub use error::{Error, ErrorPayload, Result};
