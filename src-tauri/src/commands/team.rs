//! Team settings, departments and accounts.

use crate::state::{AppState, CmdResult};
use rapport_core::account::{self, NewUser, User, UserUpdate};
use rapport_core::team::{self, Department, DepartmentInput, TeamSettings};
use tauri::State;

/// Team name and time zone.
#[tauri::command(async)]
pub fn team_get(state: State<'_, AppState>) -> CmdResult<TeamSettings> {
    state.as_actor(|conn, _, actor| team::settings(conn, actor))
}

/// Change the team name and time zone.
#[tauri::command(async)]
pub fn team_update(state: State<'_, AppState>, input: TeamSettings) -> CmdResult<TeamSettings> {
    state.as_actor(|conn, now, actor| team::update_settings(conn, now, actor, &input))
}

/// All departments.
#[tauri::command(async)]
pub fn departments_list(state: State<'_, AppState>) -> CmdResult<Vec<Department>> {
    state.as_actor(|conn, _, actor| team::departments(conn, actor))
}

/// Create (no id) or edit a department.
#[tauri::command(async)]
pub fn department_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: DepartmentInput,
) -> CmdResult<Department> {
    state.as_actor(|conn, now, actor| team::save_department(conn, now, actor, id, &input))
}

/// All accounts.
#[tauri::command(async)]
pub fn users_list(state: State<'_, AppState>) -> CmdResult<Vec<User>> {
    state.as_actor(|conn, _, actor| account::list_users(conn, actor))
}

/// Create an account.
#[tauri::command(async)]
pub fn user_create(state: State<'_, AppState>, input: NewUser) -> CmdResult<User> {
    state.as_actor(|conn, now, actor| account::create_user_as(conn, now, actor, &input))
}

/// Edit an account.
#[tauri::command(async)]
pub fn user_update(state: State<'_, AppState>, id: i64, input: UserUpdate) -> CmdResult<User> {
    state.as_actor(|conn, now, actor| account::update_user(conn, now, actor, id, &input))
}

/// Set a temporary password for someone.
#[tauri::command(async)]
pub fn user_reset_password(state: State<'_, AppState>, id: i64, password: String) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| account::reset_password(conn, now, actor, id, &password))
}
