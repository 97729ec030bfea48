//! The customer list's own tools: saved views (per user: filters, sort, columns) and bulk
//! actions on a selection (one transaction; key fields through approval for staff).

use crate::state::{AppState, CmdResult};
use rapport_core::customer::{self, BulkInput, BulkSummary, SavedView, ViewInput};
use tauri::State;

/// The actor's saved views, by name.
#[tauri::command(async)]
pub fn customer_views_list(state: State<'_, AppState>) -> CmdResult<Vec<SavedView>> {
    state.as_actor(|conn, _, actor| customer::list_views(conn, actor))
}

/// Create (`id` null) or overwrite a saved view.
#[tauri::command(async)]
pub fn customer_view_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    input: ViewInput,
) -> CmdResult<SavedView> {
    state.as_actor(|conn, now, actor| customer::save_view(conn, now, actor, id, &input))
}

/// Rename a saved view.
#[tauri::command(async)]
pub fn customer_view_rename(
    state: State<'_, AppState>,
    id: i64,
    name: String,
) -> CmdResult<SavedView> {
    state.as_actor(|conn, now, actor| customer::rename_view(conn, now, actor, id, &name))
}

/// Delete a saved view (the UI confirms first).
#[tauri::command(async)]
pub fn customer_view_delete(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.as_actor(|conn, _, actor| customer::delete_view(conn, actor, id))
}

/// Apply a bulk action to a selection (ticked ids or every row matching the list query).
#[tauri::command(async)]
pub fn customer_bulk(state: State<'_, AppState>, input: BulkInput) -> CmdResult<BulkSummary> {
    state.as_actor(|conn, now, actor| customer::bulk_apply(conn, now, actor, &input))
}

#[cfg(test)]
mod tests {
    use crate::test_ipc::invoke;
    use serde_json::json;

    #[test]
    fn views_and_bulk_through_ipc() {
        let t = crate::test_ipc::TestApp::with_team();
        let crate::test_ipc::TestApp { w, .. } = t;
        let mut ids = Vec::new();
        for name in ["甲公司", "乙公司"] {
            let made = invoke(
                &w,
                "customer_create",
                json!({"input": {"customer": {"name": name}}}),
            )
            .unwrap();
            ids.push(made["customer"]["id"].as_i64().unwrap());
        }

        let view = invoke(
            &w,
            "customer_view_save",
            json!({"id": null, "input": {"name": "A 级", "query": {"tier": "A", "sort": "name"},
                "columns": ["name", "tier"]}}),
        )
        .unwrap();
        assert_eq!(view["query"]["tier"], "A");
        let renamed = invoke(
            &w,
            "customer_view_rename",
            json!({"id": view["id"], "name": "重点"}),
        )
        .unwrap();
        assert_eq!(renamed["name"], "重点");
        assert_eq!(
            invoke(&w, "customer_views_list", json!({})).unwrap()[0]["columns"],
            json!(["name", "tier"])
        );

        let summary = invoke(
            &w,
            "customer_bulk",
            json!({"input": {"selection": {"mode": "query", "query": {}, "except": []},
                "action": {"kind": "change_tier", "tier": "A"}}}),
        )
        .unwrap();
        assert_eq!(summary["applied"], 2);
        let page = invoke(&w, "customers_list", json!({"query": view["query"]})).unwrap();
        assert_eq!(page["total"], 2, "the saved view now finds both");

        let summary = invoke(
            &w,
            "customer_bulk",
            json!({"input": {"selection": {"mode": "ids", "ids": [ids[0]]},
                "action": {"kind": "archive"}}}),
        )
        .unwrap();
        assert_eq!(summary["applied"], 1);
        invoke(&w, "customer_view_delete", json!({"id": view["id"]})).unwrap();
        assert_eq!(
            invoke(&w, "customer_views_list", json!({})).unwrap(),
            json!([])
        );
    }
}
