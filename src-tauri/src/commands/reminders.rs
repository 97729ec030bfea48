//! The notification centre and notification preferences.

use crate::state::{AppState, CmdResult};
use rapport_core::reminder::{Reminder, policy::Prefs, store};
use tauri::State;

/// The logged-in user's reminders, newest first.
#[tauri::command(async)]
pub fn reminders_inbox(state: State<'_, AppState>, unread_only: bool) -> CmdResult<Vec<Reminder>> {
    state.as_actor(|conn, _, actor| store::inbox(conn, actor, unread_only, 200))
}

/// How many are unread (the bell's badge).
#[tauri::command(async)]
pub fn reminders_unread_count(state: State<'_, AppState>) -> CmdResult<i64> {
    state.as_actor(|conn, _, actor| store::unread_count(conn, actor.user_id))
}

/// Mark one read.
#[tauri::command(async)]
pub fn reminders_mark_read(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| store::mark_read(conn, now, actor, id))
}

/// Mark all read.
#[tauri::command(async)]
pub fn reminders_mark_all_read(state: State<'_, AppState>) -> CmdResult<usize> {
    state.as_actor(|conn, now, actor| store::mark_all_read(conn, now, actor))
}

/// The user's notification preferences.
#[tauri::command(async)]
pub fn notification_prefs_get(state: State<'_, AppState>) -> CmdResult<Prefs> {
    state.as_actor(|conn, _, actor| store::prefs(conn, actor.user_id))
}

/// Save the user's notification preferences.
#[tauri::command(async)]
pub fn notification_prefs_save(state: State<'_, AppState>, prefs: Prefs) -> CmdResult<()> {
    state.as_actor(|conn, _, actor| store::save_prefs(conn, actor, &prefs))
}

/// Whether closing the window keeps Rapport in the tray.
#[tauri::command(async)]
pub fn desktop_close_to_tray_get(state: State<'_, AppState>) -> CmdResult<bool> {
    state.as_actor(|conn, _, _| store::close_to_tray(conn))
}

/// Choose whether closing the window keeps Rapport in the tray (admins).
#[tauri::command(async)]
pub fn desktop_close_to_tray_set(state: State<'_, AppState>, on: bool) -> CmdResult<()> {
    state.as_actor(|conn, _, actor| store::set_close_to_tray(conn, actor, on))
}

/// Whether Rapport starts when the user logs in to this computer (a per-machine, per-account
/// setting of the operating system, not of the team database). Refused with
/// `desktop.autostart_unavailable` where the launcher is not set up (the mock runtime in tests).
#[tauri::command(async)]
pub fn desktop_autostart_get<R: tauri::Runtime>(app: tauri::AppHandle<R>) -> CmdResult<bool> {
    launcher(&app)?.is_enabled().map_err(autostart_failed)
}

/// Turn launching at login on or off; returns the state now in force.
#[tauri::command(async)]
pub fn desktop_autostart_set<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    on: bool,
) -> CmdResult<bool> {
    // Only someone logged in may change how this computer starts Rapport.
    state.as_actor(|_, _, _| Ok(()))?;
    let launcher = launcher(&app)?;
    let result = if on {
        launcher.enable()
    } else {
        launcher.disable()
    };
    result.map_err(autostart_failed)?;
    launcher.is_enabled().map_err(autostart_failed)
}

fn launcher<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
) -> CmdResult<State<'_, tauri_plugin_autostart::AutoLaunchManager>> {
    use tauri::Manager;
    app.try_state::<tauri_plugin_autostart::AutoLaunchManager>()
        .ok_or_else(|| {
            rapport_core::Error::conflict(
                "desktop.autostart_unavailable",
                "launching at login is not available here",
            )
            .to_payload()
        })
}

fn autostart_failed(e: tauri_plugin_autostart::Error) -> rapport_core::ErrorPayload {
    rapport_core::Error::conflict("desktop.autostart_failed", e.to_string()).to_payload()
}

/// Test builds only (`--features test-clock`): move the app's clock by `seconds` and run the
/// scheduler at once, so end-to-end tests reach deadlines without waiting. A move of more than
/// a minute is treated as the scheduler treats a real clock jump (the machine slept): the tick
/// catches up with one summary. In any other build it refuses, and the command is not in the
/// window's capability either.
#[tauri::command(async)]
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
    crate::scheduler::tick(&app, seconds.abs() > crate::scheduler::JUMP_SECONDS)
        .map_err(|m| rapport_core::Error::conflict("scheduler.failed", m).to_payload())?;
    Ok(state.now().to_rfc3339())
}
