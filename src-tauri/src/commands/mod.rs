//! The commands the UI invokes. Each one parses its arguments (serde does that), calls one core
//! function and maps the error; nothing here decides anything. `commands.list` beside
//! `Cargo.toml` must name every command registered in [`crate::handlers`].
//!
//! Every command runs off the main thread (`async fn`, or `#[tauri::command(async)]` on a
//! plain one): Tauri runs a plain command on the main thread, which is the window's event loop,
//! so a dashboard's 200 ms on the large data set, or a wait for the database behind a scheduler
//! pass, would stop the window from painting and taking keys for as long. Off the main thread,
//! they run on Tauri's async runtime; the state's helpers wrap their database work in
//! `block_in_place`, so waiting commands never hold all of that runtime's worker threads.

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
