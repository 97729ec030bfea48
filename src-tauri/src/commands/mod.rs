//! The commands the UI invokes. Each one parses its arguments (serde does that), calls one core
//! function and maps the error; nothing here decides anything. `commands.list` beside
//! `Cargo.toml` must name every command registered in [`crate::handlers`].

pub mod calendar;
pub mod customer_list;
pub mod customers;
pub mod demo;
pub mod feedback;
pub mod insight;
pub mod interactions;
pub mod plans;
pub mod recovery;
pub mod reminders;
pub mod review;
pub mod session;
pub mod tasks;
pub mod team;
