//! Demo data on an empty install, and "export everything" for leaving Rapport. Both admin only
//! (checked in the core).

use crate::state::{AppState, CmdResult};
use rapport_core::demo::{self, DemoReport};
use rapport_core::export_all::{self, ExportSummary};
use tauri::State;

/// Load the small demo set (about 200 customers); refused once any customer exists.
#[tauri::command(async)]
pub fn demo_load(state: State<'_, AppState>) -> CmdResult<DemoReport> {
    state.as_actor(demo::load_small)
}

/// Export every table and attachment into a zip in the data folder's `exports` folder; returns
/// where it is.
#[tauri::command(async)]
pub fn data_export_all(state: State<'_, AppState>) -> CmdResult<ExportSummary> {
    let data_dir = state.data_dir.clone();
    state.as_actor(|conn, now, actor| {
        export_all::export_all_as(conn, actor, &data_dir, &data_dir.join("exports"), now)
    })
}

#[cfg(test)]
mod tests {
    use crate::test_ipc::invoke;
    use serde_json::json;

    #[test]
    fn an_admin_loads_demo_data_once_then_exports_everything() {
        let t = crate::test_ipc::TestApp::with_team();
        let crate::test_ipc::TestApp { w, dir, .. } = t;
        let report = invoke(&w, "demo_load", json!({})).unwrap();
        assert_eq!(report["customers"], 200);
        let page = invoke(&w, "customers_list", json!({"query": {}})).unwrap();
        // Some churned demo customers are archived, so the active list shows most of them.
        let shown = page["total"].as_i64().unwrap();
        assert!((150..200).contains(&shown), "{shown}");
        let again = invoke(&w, "demo_load", json!({})).unwrap_err();
        assert_eq!(again["code"], "demo.not_empty");
        let summary = invoke(&w, "data_export_all", json!({})).unwrap();
        let file = std::path::PathBuf::from(summary["file"].as_str().unwrap());
        assert!(
            file.exists() && file.starts_with(dir.path().join("exports")),
            "{file:?}"
        );
        invoke(&w, "logout", json!({})).unwrap();
        let refused = invoke(&w, "data_export_all", json!({})).unwrap_err();
        assert_eq!(refused["code"], "auth.unauthenticated");
    }
}
