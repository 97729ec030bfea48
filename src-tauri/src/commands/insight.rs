//! Insight: the dashboard's figures and survey responses (NPS, CSAT).

use crate::commands::customers::ExportedFile;
use crate::state::{AppState, CmdResult};
use rapport_core::insight::report::{self, Report, ReportRequest};
use rapport_core::insight::{self, Dashboard, InsightFilter};
use rapport_core::survey::{self, NewResponse, SurveyResponse};
use tauri::State;

/// Every dashboard figure for the period and filters, within the user's scope.
#[tauri::command]
pub fn insight_dashboard(
    state: State<'_, AppState>,
    filter: Option<InsightFilter>,
) -> CmdResult<Dashboard> {
    state.as_actor(|conn, now, actor| {
        insight::dashboard(conn, actor, &filter.unwrap_or_default(), now)
    })
}

/// Record one NPS or CSAT answer of a customer.
#[tauri::command]
pub fn survey_record(state: State<'_, AppState>, input: NewResponse) -> CmdResult<SurveyResponse> {
    state.as_actor(|conn, now, actor| survey::record(conn, now, actor, &input))
}

/// A customer's survey answers, newest first.
#[tauri::command]
pub fn survey_list(state: State<'_, AppState>, customer_id: i64) -> CmdResult<Vec<SurveyResponse>> {
    state.as_actor(|conn, _, actor| survey::for_customer(conn, actor, customer_id))
}

/// One report (monthly complaints, quarterly call-backs, service quality) for the screen.
#[tauri::command]
pub fn report_build(state: State<'_, AppState>, request: ReportRequest) -> CmdResult<Report> {
    state.as_actor(|conn, now, actor| report::build(conn, actor, &request, now))
}

/// Export a report as XLSX (headers in `lang`) into `<data folder>/exports/`, as the customer
/// export does; returns where the file is.
#[tauri::command]
pub async fn report_export(
    state: State<'_, AppState>,
    request: ReportRequest,
    lang: String,
) -> CmdResult<ExportedFile> {
    let (filename, bytes) =
        state.as_actor(|conn, now, actor| report::export(conn, actor, &request, &lang, now))?;
    let dir = state.data_dir.join("exports");
    let path = dir.join(&filename);
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, &bytes))
        .map_err(|e| rapport_core::Error::Io(e).to_payload())?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        filename,
        bytes: bytes.len(),
    })
}
