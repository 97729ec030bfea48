//! The notification centre and notification preferences.

use crate::state::{AppState, CmdResult};
use rapport_core::reminder::{Reminder, policy::Prefs, store};
use tauri::State;

/// The logged-in user's reminders, newest first.
#[tauri::command]
pub fn reminders_inbox(state: State<'_, AppState>, unread_only: bool) -> CmdResult<Vec<Reminder>> {
    state.as_actor(|conn, _, actor| store::inbox(conn, actor, unread_only, 200))
}

/// How many are unread (the bell's badge).
#[tauri::command]
pub fn reminders_unread_count(state: State<'_, AppState>) -> CmdResult<i64> {
    state.as_actor(|conn, _, actor| store::unread_count(conn, actor.user_id))
}

/// Mark one read.
#[tauri::command]
pub fn reminders_mark_read(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| store::mark_read(conn, now, actor, id))
}

/// Mark all read.
#[tauri::command]
pub fn reminders_mark_all_read(state: State<'_, AppState>) -> CmdResult<usize> {
    state.as_actor(|conn, now, actor| store::mark_all_read(conn, now, actor))
}

/// The user's notification preferences.
#[tauri::command]
pub fn notification_prefs_get(state: State<'_, AppState>) -> CmdResult<Prefs> {
    state.as_actor(|conn, _, actor| store::prefs(conn, actor.user_id))
}

/// Save the user's notification preferences.
#[tauri::command]
pub fn notification_prefs_save(state: State<'_, AppState>, prefs: Prefs) -> CmdResult<()> {
    state.as_actor(|conn, _, actor| store::save_prefs(conn, actor, &prefs))
}

/// Whether closing the window keeps Rapport in the tray.
#[tauri::command]
pub fn desktop_close_to_tray_get(state: State<'_, AppState>) -> CmdResult<bool> {
    state.as_actor(|conn, _, _| store::close_to_tray(conn))
}

/// Choose whether closing the window keeps Rapport in the tray (admins).
#[tauri::command]
pub fn desktop_close_to_tray_set(state: State<'_, AppState>, on: bool) -> CmdResult<()> {
    state.as_actor(|conn, _, actor| store::set_close_to_tray(conn, actor, on))
}

/// Test builds only (`--features test-clock`): move the app's clock by `seconds` and run the
/// scheduler at once, so end-to-end tests reach deadlines without waiting. In any other build
/// it refuses, and the command is not in the window's capability either.
#[tauri::command]
pub fn test_clock_advance<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    seconds: i64,
) -> CmdResult<String> {
    if !cfg!(feature = "test-clock") {
        return Err(rapport_core::Error::Forbidden("test builds only".into()).to_payload());
    }
    use tauri::Manager;
    let state = app.state::<AppState>();
    state.clock.advance(seconds);
    crate::scheduler::tick(&app, false)
        .map_err(|m| rapport_core::Error::conflict("scheduler.failed", m).to_payload())?;
    Ok(state.now().to_rfc3339())
}
