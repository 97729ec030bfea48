//! The quarter-end review (清查) and the merge preview: list reviews, read one with progress per
//! owner, confirm a customer, and count what a merge would move before it is confirmed.

use crate::state::{AppState, CmdResult};
use rapport_core::customer::review::{self, ConfirmInput, Review, ReviewDetail, ReviewItem};
use rapport_core::customer::{self, MergePreview};
use tauri::State;

/// Every review, newest first (opens the current one when it is due).
#[tauri::command(async)]
pub fn review_list(state: State<'_, AppState>) -> CmdResult<Vec<Review>> {
    state.as_actor(|conn, now, actor| review::list_reviews(conn, now, actor))
}

/// One review: progress per owner and its items (of `owner_user_id` when given).
#[tauri::command(async)]
pub fn review_get(
    state: State<'_, AppState>,
    id: i64,
    owner_user_id: Option<i64>,
) -> CmdResult<ReviewDetail> {
    state.as_actor(|conn, now, actor| review::review_detail(conn, now, actor, id, owner_user_id))
}

/// Confirm one customer of an open review.
#[tauri::command(async)]
pub fn review_confirm(state: State<'_, AppState>, input: ConfirmInput) -> CmdResult<ReviewItem> {
    state.as_actor(|conn, now, actor| review::confirm(conn, now, actor, &input))
}

/// What merging `absorbed_id` into `survivor_id` would move.
#[tauri::command(async)]
pub fn customer_merge_preview(
    state: State<'_, AppState>,
    survivor_id: i64,
    absorbed_id: i64,
) -> CmdResult<MergePreview> {
    state.as_actor(|conn, _, actor| customer::merge_preview(conn, actor, survivor_id, absorbed_id))
}

#[cfg(test)]
mod tests {
    use crate::test_ipc::invoke;
    use serde_json::json;

    #[test]
    fn review_and_merge_preview_through_ipc() {
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
        let preview = invoke(
            &w,
            "customer_merge_preview",
            json!({"survivorId": ids[0], "absorbedId": ids[1]}),
        )
        .unwrap();
        assert_eq!(preview["absorbed"]["name"], "乙公司");
        assert!(preview["moves"].as_array().unwrap().len() >= 5);
        let same = invoke(
            &w,
            "customer_merge_preview",
            json!({"survivorId": ids[0], "absorbedId": ids[0]}),
        );
        assert_eq!(same.unwrap_err()["code"], "customer.merge_same");

        // Whether a review is open depends on today's date; the list answers either way, and a
        // confirmation of a review that does not exist is refused.
        let list = invoke(&w, "review_list", json!({})).unwrap();
        assert!(list.is_array());
        let missing = invoke(
            &w,
            "review_confirm",
            json!({"input": {"review_id": 999, "customer_id": ids[0], "outcome": "active"}}),
        );
        assert_eq!(missing.unwrap_err()["code"], "not_found");
    }
}
