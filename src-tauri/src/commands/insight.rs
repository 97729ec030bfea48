//! Insight: the dashboard's figures and survey responses (NPS, CSAT).

use crate::commands::customers::{ExportedFile, b64, save_export};
use crate::state::{AppState, CmdResult};
use rapport_core::feedback::FeedbackFilter;
use rapport_core::insight::lists;
use rapport_core::insight::report::{self, Report, ReportRequest};
use rapport_core::insight::{self, Dashboard, InsightFilter};
use rapport_core::interaction::InteractionFilter;
use rapport_core::survey::import::{
    self as survey_import, SurveyImportReport, SurveyMapping, SurveyPreview,
};
use rapport_core::survey::{self, NewResponse, SurveyResponse};
use tauri::State;

/// Every dashboard figure for the period and filters, within the user's scope: on the
/// window's and the scheduler's connections at once when the scheduler is idle, else on the
/// window's alone.
#[tauri::command(async)]
pub fn insight_dashboard(
    state: State<'_, AppState>,
    filter: Option<InsightFilter>,
) -> CmdResult<Dashboard> {
    let filter = filter.unwrap_or_default();
    state.as_actor_with_spare(|conn, spare, now, actor| match spare {
        Some(second) => insight::dashboard_on_two(conn, second, actor, &filter, now),
        None => insight::dashboard(conn, actor, &filter, now),
    })
}

/// Record one NPS or CSAT answer of a customer.
#[tauri::command(async)]
pub fn survey_record(state: State<'_, AppState>, input: NewResponse) -> CmdResult<SurveyResponse> {
    state.as_actor(|conn, now, actor| survey::record(conn, now, actor, &input))
}

/// A customer's survey answers, newest first.
#[tauri::command(async)]
pub fn survey_list(state: State<'_, AppState>, customer_id: i64) -> CmdResult<Vec<SurveyResponse>> {
    state.as_actor(|conn, _, actor| survey::for_customer(conn, actor, customer_id))
}

/// Read a survey tool's export (base64, picked in the UI) and show what importing it would do:
/// the detected or given column mapping, the rows and every row error. Writes nothing.
#[tauri::command]
pub async fn survey_import_preview(
    state: State<'_, AppState>,
    data: String,
    filename: String,
    mapping: Option<SurveyMapping>,
) -> CmdResult<SurveyPreview> {
    let bytes = b64::decode(&data)?;
    state.as_actor(|conn, now, actor| {
        survey_import::preview(conn, now, actor, &bytes, &filename, mapping.as_ref())
    })
}

/// Import the survey answers in one transaction (all rows or none), skipping answers already
/// stored. Async, so a large file does not hold up the UI thread.
#[tauri::command]
pub async fn survey_import_apply(
    state: State<'_, AppState>,
    data: String,
    filename: String,
    mapping: SurveyMapping,
) -> CmdResult<SurveyImportReport> {
    let bytes = b64::decode(&data)?;
    state.as_actor(|conn, now, actor| {
        survey_import::apply(conn, now, actor, &bytes, &filename, &mapping)
    })
}

/// Build an export (its file name and bytes) for the logged-in actor on the background
/// connection, then write it into `<data folder>/exports/`.
fn export_in_background(
    state: &AppState,
    build: impl FnOnce(
        &mut rusqlite::Connection,
        chrono::DateTime<chrono::Utc>,
        &rapport_core::account::Actor,
    ) -> rapport_core::Result<(String, Vec<u8>)>,
) -> CmdResult<ExportedFile> {
    let (filename, bytes) = state.as_actor_in_background(build)?;
    save_export(state, filename, &bytes)
}

/// One report (monthly complaints, quarterly call-backs, service quality) for the screen.
#[tauri::command(async)]
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
    export_in_background(&state, |conn, now, actor| {
        report::export(conn, actor, &request, &lang, now)
    })
}

/// Export the feedback list as filtered (every matching item, not only the listed page) as
/// XLSX in table 3's layout (客户投诉处理表) into `<data folder>/exports/`.
#[tauri::command]
pub async fn feedback_export(
    state: State<'_, AppState>,
    filter: FeedbackFilter,
    lang: String,
) -> CmdResult<ExportedFile> {
    export_in_background(&state, |conn, now, actor| {
        lists::export_feedback(conn, now, actor, &filter, &lang)
    })
}

/// Export the interaction list as filtered (every page) as XLSX in table 2's layout
/// (老客户回访记录表) into `<data folder>/exports/`.
#[tauri::command]
pub async fn interactions_export(
    state: State<'_, AppState>,
    filter: InteractionFilter,
    lang: String,
) -> CmdResult<ExportedFile> {
    export_in_background(&state, |conn, now, actor| {
        lists::export_interactions(conn, now, actor, &filter, &lang)
    })
}

#[cfg(test)]
mod tests {
    use crate::commands::customers::b64;
    use crate::test_ipc::{TestApp, invoke};
    use serde_json::json;

    #[test]
    fn survey_import_through_ipc_previews_refuses_bad_rows_then_imports_once() {
        let t = TestApp::with_team();
        let w = &t.w;
        let made = invoke(
            w,
            "customer_create",
            json!({"input": {"customer": {"name": "星河制造有限公司"}, "contacts": []}}),
        )
        .unwrap();
        let id = made["customer"]["id"].as_i64().unwrap();
        let bad = "提交时间,客户名称,推荐可能性,满意度\n2026-01-05 10:00,星河制造有限公司,9,5\n2026-01-05 11:00,无此公司,3,\n";
        let data = b64::encode(bad.as_bytes());
        let preview = invoke(
            w,
            "survey_import_preview",
            json!({"data": data, "filename": "问卷.csv"}),
        )
        .unwrap();
        assert_eq!(preview["total_rows"], 2);
        assert_eq!(preview["rows"][0]["matched_by"], "name");
        assert_eq!(preview["errors"][0]["row"], 3);
        assert_eq!(
            preview["errors"][0]["code"],
            "survey.import_customer_unknown"
        );
        let report = invoke(
            w,
            "survey_import_apply",
            json!({"data": data, "filename": "问卷.csv", "mapping": preview["mapping"]}),
        )
        .unwrap();
        assert_eq!(report["committed"], false);
        assert_eq!(
            invoke(w, "survey_list", json!({"customerId": id}))
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            0
        );
        let good = b64::encode(
            bad.lines()
                .take(2)
                .collect::<Vec<_>>()
                .join("\n")
                .as_bytes(),
        );
        let args = json!({"data": good, "filename": "问卷.csv", "mapping": preview["mapping"]});
        let report = invoke(w, "survey_import_apply", args.clone()).unwrap();
        assert_eq!(
            (report["committed"].clone(), report["imported"].clone()),
            (json!(true), json!(1))
        );
        let again = invoke(w, "survey_import_apply", args).unwrap();
        assert_eq!(again["skipped_duplicates"], 1);
        let list = invoke(w, "survey_list", json!({"customerId": id})).unwrap();
        assert_eq!(
            list.as_array().unwrap().len(),
            2,
            "an NPS and a CSAT answer: {list}"
        );
        assert_eq!(list[0]["source"], "import");
    }

    /// A team with one customer and one complaint of theirs described as `description`.
    fn with_one_complaint(description: &str) -> TestApp {
        let t = TestApp::with_team();
        let made = invoke(
            &t.w,
            "customer_create",
            json!({"input": {"customer": {"name": "星河制造有限公司"}, "contacts": []}}),
        )
        .unwrap();
        let id = made["customer"]["id"].as_i64().unwrap();
        invoke(
            &t.w,
            "feedback_create",
            json!({"input": {"customer_id": id, "channel": "email", "category_id": 11,
                "priority": "normal", "description": description}}),
        )
        .unwrap();
        t
    }

    #[test]
    fn list_exports_write_workbooks_without_the_windows_connection() {
        use crate::state::AppState;
        use std::sync::mpsc;
        use std::time::Duration;
        use tauri::Manager;
        let t = with_one_complaint("=cmd|' /C calc'!A0");
        let w = &t.w;
        // The window's connection stays held while both exports run: they must not wait for it.
        let state = t._app.state::<AppState>();
        state
            .public(|_, _| {
                let (tx, rx) = mpsc::channel();
                let w = w.clone();
                std::thread::spawn(move || {
                    for (cmd, args) in [
                        ("feedback_export", json!({"filter": {}, "lang": "zh-CN"})),
                        ("interactions_export", json!({"filter": {}, "lang": "en"})),
                    ] {
                        tx.send(invoke(&w, cmd, args)).unwrap();
                    }
                });
                for prefix in ["feedback-", "callbacks-"] {
                    let done = rx
                        .recv_timeout(Duration::from_secs(60))
                        .expect("an export waited for the window's connection")
                        .unwrap();
                    let name = done["filename"].as_str().unwrap();
                    assert!(
                        name.starts_with(prefix) && name.ends_with(".xlsx"),
                        "{done}"
                    );
                    let bytes = std::fs::read(done["path"].as_str().unwrap()).unwrap();
                    assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip file");
                    assert_eq!(done["bytes"], bytes.len());
                }
                Ok(())
            })
            .unwrap();
        assert!(t.dir.path().join("exports").is_dir());
    }

    #[test]
    fn the_dashboard_is_the_same_with_the_scheduler_connection_free_or_busy() {
        use crate::state::AppState;
        use tauri::Manager;
        let t = with_one_complaint("发货延迟");
        let w = &t.w;
        let args = json!({"filter": {"preset": "this_year"}});
        // Free: the customers' half runs on the background connection.
        let split = invoke(w, "insight_dashboard", args.clone()).unwrap();
        assert_eq!(split["feedback"]["volume"]["total"], 1, "{split}");
        assert_eq!(split["relationship"]["customers"][0]["count"], 1, "{split}");
        // Busy (as during a scheduler pass): all of it on the window's connection.
        let state = t._app.state::<AppState>();
        let alone = state
            .background(|_, _| Ok(invoke(w, "insight_dashboard", args.clone())))
            .unwrap()
            .unwrap();
        assert_eq!(alone, split);
    }
}
