//! Business hours and the holiday calendar.

use crate::state::{AppState, CmdResult};
use chrono::NaiveDate;
use rapport_core::calendar::{self, CalendarView, DayKind, ImportSummary, WeeklyHours};
use tauri::State;

/// Hours, time zone and the days of one year (all years when `year` is absent).
#[tauri::command(async)]
pub fn calendar_get(state: State<'_, AppState>, year: Option<i32>) -> CmdResult<CalendarView> {
    state.as_actor(|conn, _, actor| calendar::admin::view(conn, actor, year))
}

/// Replace the weekly business hours.
#[tauri::command(async)]
pub fn calendar_save_hours(state: State<'_, AppState>, hours: WeeklyHours) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| calendar::admin::save_hours(conn, now, actor, &hours))
}

/// Mark a day as a holiday or a make-up working day.
#[tauri::command(async)]
pub fn calendar_set_day(
    state: State<'_, AppState>,
    day: NaiveDate,
    kind: DayKind,
    name: String,
) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| calendar::admin::set_day(conn, now, actor, day, kind, &name))
}

/// Remove a holiday or make-up day.
#[tauri::command(async)]
pub fn calendar_remove_day(state: State<'_, AppState>, day: NaiveDate) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| calendar::admin::remove_day(conn, now, actor, day))
}

/// Add the published mainland-China holidays (idempotent); returns how many days were added.
#[tauri::command(async)]
pub fn calendar_seed_china(state: State<'_, AppState>) -> CmdResult<usize> {
    state.as_actor(|conn, now, actor| calendar::admin::seed_china(conn, now, actor))
}

/// Import holidays from the text of an iCalendar file the user picked.
#[tauri::command(async)]
pub fn calendar_import_ical(state: State<'_, AppState>, text: String) -> CmdResult<ImportSummary> {
    state.as_actor(|conn, now, actor| calendar::admin::import_ical(conn, now, actor, &text))
}
