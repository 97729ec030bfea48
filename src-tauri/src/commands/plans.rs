//! The Plans page: call-backs, care dates, task and feedback deadlines as a calendar.

use crate::state::{AppState, CmdResult};
use chrono::NaiveDate;
use rapport_core::plan::{self, CalendarView, EntryFilter};
use tauri::State;

/// The entries from `from` to `to` (inclusive) within the user's scope, filtered by owner and
/// kind, with the team's today.
#[tauri::command(async)]
pub fn plans_calendar(
    state: State<'_, AppState>,
    from: NaiveDate,
    to: NaiveDate,
    filter: Option<EntryFilter>,
) -> CmdResult<CalendarView> {
    state.as_actor(|conn, now, actor| {
        plan::calendar_view(conn, actor, now, from, to, &filter.unwrap_or_default())
    })
}
