//! First run, log-in, log-out, passwords and the user's language.

use crate::state::{AppState, CmdResult};
use rapport_core::account::{self, Actor};
use rapport_core::team::{self, SetupInput, TeamStatus};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

/// What the UI needs at start: is the team set up, who (if anyone) is logged in.
#[derive(Serialize)]
pub struct AppStatus {
    #[serde(flatten)]
    team: TeamStatus,
    session: Option<Actor>,
    version: &'static str,
}

/// Start-up facts for the UI.
#[tauri::command(async)]
pub fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    let team = state.public(|conn, _| team::status(conn))?;
    Ok(AppStatus {
        team,
        session: state.session(),
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// First-run setup; logs the new admin in.
#[tauri::command(async)]
pub fn setup_team<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: SetupInput,
) -> CmdResult<Actor> {
    let actor = state.public(|conn, now| team::setup(conn, now, &input))?;
    logged_in(&app, &state, actor)
}

/// Log in (switching user logs the previous one out).
#[tauri::command(async)]
pub fn login<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> CmdResult<Actor> {
    let actor = state.public(|conn, now| account::login(conn, now, &username, &password))?;
    logged_in(&app, &state, actor)
}

/// Start the session: this PC's desktop reminders are now the actor's, and the scheduler runs
/// at once so what came due while they were away is summed up right after log-in.
fn logged_in<R: Runtime>(app: &AppHandle<R>, state: &AppState, actor: Actor) -> CmdResult<Actor> {
    state.public(|conn, _| rapport_core::reminder::store::set_desktop_user(conn, actor.user_id))?;
    state.set_session(Some(actor.clone()));
    crate::scheduler::wake(app);
    Ok(actor)
}

/// Log out.
#[tauri::command(async)]
pub fn logout(state: State<'_, AppState>) {
    state.set_session(None);
}

/// Who is logged in, if anyone.
#[tauri::command(async)]
pub fn current_session(state: State<'_, AppState>) -> Option<Actor> {
    state.session()
}

/// Change one's own password.
#[tauri::command(async)]
pub fn change_password(
    state: State<'_, AppState>,
    old_password: String,
    new_password: String,
) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| {
        account::change_password(conn, now, actor, &old_password, &new_password)
    })?;
    if let Some(mut actor) = state.session() {
        actor.must_change_password = false;
        state.set_session(Some(actor));
    }
    Ok(())
}

/// Remember the UI language the user picked.
#[tauri::command(async)]
pub fn set_locale(state: State<'_, AppState>, locale: String) -> CmdResult<()> {
    state.as_actor(|conn, _, actor| account::set_locale(conn, actor, &locale))?;
    if let Some(mut actor) = state.session() {
        actor.locale = locale;
        state.set_session(Some(actor));
    }
    Ok(())
}
