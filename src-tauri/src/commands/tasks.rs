//! Tasks (待办): my list and the team's, create, complete, cancel, reopen and snooze; and the
//! Today page (my tasks by urgency, and the care dates coming up).

use crate::state::{AppState, CmdResult};
use chrono::{DateTime, Utc};
use rapport_core::page::Paged;
use rapport_core::plan::care::{self, CareDate};
use rapport_core::task::{self, NewTask, Task, TaskFilter};
use rapport_core::today::{self, Today};
use tauri::{AppHandle, Runtime, State};

/// A task changed: run the scheduler now, so the tray's due count and the bell follow at once
/// instead of at the next 30-second tick.
fn changed<R: Runtime, T>(app: &AppHandle<R>, result: CmdResult<T>) -> CmdResult<T> {
    if result.is_ok() {
        crate::scheduler::wake(app);
    }
    result
}

/// My tasks or the team's (`filter.view`), filtered.
#[tauri::command(async)]
pub fn task_list(state: State<'_, AppState>, filter: TaskFilter) -> CmdResult<Paged<Task>> {
    state.as_actor(|conn, now, actor| task::list_tasks(conn, now, actor, &filter))
}

/// One task.
#[tauri::command(async)]
pub fn task_get(state: State<'_, AppState>, id: i64) -> CmdResult<Task> {
    state.as_actor(|conn, now, actor| task::get_task(conn, now, actor, id))
}

/// Create a task by hand.
#[tauri::command(async)]
pub fn task_create<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    input: NewTask,
) -> CmdResult<Task> {
    changed(
        &app,
        state.as_actor(|conn, now, actor| task::create_task(conn, now, actor, &input)),
    )
}

/// Mark a task done, with what was done.
#[tauri::command(async)]
pub fn task_complete<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    note: Option<String>,
) -> CmdResult<Task> {
    changed(
        &app,
        state.as_actor(|conn, now, actor| {
            task::complete_task(conn, now, actor, id, note.as_deref().unwrap_or(""))
        }),
    )
}

/// Drop a task, with why.
#[tauri::command(async)]
pub fn task_cancel<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    note: Option<String>,
) -> CmdResult<Task> {
    changed(
        &app,
        state.as_actor(|conn, now, actor| {
            task::cancel_task(conn, now, actor, id, note.as_deref().unwrap_or(""))
        }),
    )
}

/// Open a done or cancelled task again.
#[tauri::command(async)]
pub fn task_reopen<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
) -> CmdResult<Task> {
    changed(
        &app,
        state.as_actor(|conn, now, actor| task::reopen_task(conn, now, actor, id)),
    )
}

/// Hide an open task until `until` (in the future).
#[tauri::command(async)]
pub fn task_snooze<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    until: DateTime<Utc>,
) -> CmdResult<Task> {
    changed(
        &app,
        state.as_actor(|conn, now, actor| task::snooze_task(conn, now, actor, id, until)),
    )
}

/// The Today page's task sections (overdue, due today, due this week) in the team's time zone.
#[tauri::command(async)]
pub fn today(state: State<'_, AppState>) -> CmdResult<Today> {
    state.as_actor(|conn, now, actor| today::today(conn, now, actor))
}

/// Care dates (birthdays, anniversaries, holidays) from today for `days` days.
#[tauri::command(async)]
pub fn today_care(state: State<'_, AppState>, days: i64) -> CmdResult<Vec<CareDate>> {
    state.as_actor(|conn, now, actor| care::upcoming_care(conn, actor, now, days))
}
