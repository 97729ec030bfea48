//! Feedback: the pool and queues, one item with its history and SLA clocks, intake, the workflow
//! steps, assignment, responses, details, delay explanations, satisfaction, and the settings
//! (categories, routing, SLA policy, assignment modes); plus the intake form's stop-gap
//! customer search.

use std::collections::BTreeMap;

use crate::state::{AppState, CmdResult};
use rapport_core::feedback::{
    self, AssignmentMode, Category, CategoryInput, CustomerHit, DelayInput, DetailsInput,
    FeedbackDetail, FeedbackFilter, FeedbackItem, NewFeedback, ResponseInput, RoutingRule,
    SatisfactionInput, TransitionInput, TransitionOutcome,
};
use rapport_core::sla::SlaPolicy;
use tauri::State;

/// The pool, a queue (`filter.queue`) or a filtered list, newest first.
#[tauri::command(async)]
pub fn feedback_list(
    state: State<'_, AppState>,
    filter: FeedbackFilter,
) -> CmdResult<Vec<FeedbackItem>> {
    state.as_actor(|conn, now, actor| feedback::list(conn, now, actor, &filter))
}

/// One item with its history (delay explanations included), departments and SLA state.
#[tauri::command(async)]
pub fn feedback_get(state: State<'_, AppState>, id: i64) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| feedback::get(conn, now, actor, id))
}

/// Log a piece of feedback (routed and numbered by the core).
#[tauri::command(async)]
pub fn feedback_create(
    state: State<'_, AppState>,
    input: NewFeedback,
) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| feedback::create(conn, now, actor, &input))
}

/// A workflow step; closing also creates the satisfaction call-back task.
#[tauri::command(async)]
pub fn feedback_transition(
    state: State<'_, AppState>,
    id: i64,
    input: TransitionInput,
) -> CmdResult<TransitionOutcome> {
    state.as_actor(|conn, now, actor| {
        let outcome = feedback::transition(conn, now, actor, id, &input)?;
        feedback::followups::apply(conn, now, actor, &outcome)?;
        Ok(outcome)
    })
}

/// Assign a person (`{mode: 'user', user_id}`) or the next one in turn (`{mode: 'round_robin'}`).
#[tauri::command(async)]
pub fn feedback_assign(
    state: State<'_, AppState>,
    id: i64,
    assignment: feedback::Assignment,
) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| feedback::assign(conn, now, actor, id, assignment))
}

/// Bulk assign the list's selection, all or nothing (the error names the failing item).
#[tauri::command(async)]
pub fn feedback_assign_many(
    state: State<'_, AppState>,
    ids: Vec<i64>,
    assignment: feedback::Assignment,
) -> CmdResult<Vec<FeedbackItem>> {
    state.as_actor(|conn, now, actor| feedback::assign_many(conn, now, actor, &ids, assignment))
}

/// Name the lead department and the collaborating ones.
#[tauri::command(async)]
pub fn feedback_set_departments(
    state: State<'_, AppState>,
    id: i64,
    lead: i64,
    collaborators: Vec<i64>,
) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| {
        feedback::set_departments(conn, now, actor, id, lead, &collaborators)
    })
}

/// Log a customer-facing contact or an internal note.
#[tauri::command(async)]
pub fn feedback_record_response(
    state: State<'_, AppState>,
    id: i64,
    input: ResponseInput,
) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| feedback::record_response(conn, now, actor, id, &input))
}

/// Save the complaint and resolution fields (table 3, root cause, solution, compensation).
#[tauri::command(async)]
pub fn feedback_update_details(
    state: State<'_, AppState>,
    id: i64,
    input: DetailsInput,
) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| feedback::update_details(conn, now, actor, id, &input))
}

/// 延迟说明: reason and new completion date.
#[tauri::command(async)]
pub fn feedback_explain_delay(
    state: State<'_, AppState>,
    id: i64,
    input: DelayInput,
) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| feedback::explain_delay(conn, now, actor, id, &input))
}

/// The satisfaction call-back's result (a dissatisfied customer reopens the item).
#[tauri::command(async)]
pub fn feedback_record_satisfaction(
    state: State<'_, AppState>,
    id: i64,
    input: SatisfactionInput,
) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| feedback::record_satisfaction(conn, now, actor, id, &input))
}

/// Merge an item into another one.
#[tauri::command(async)]
pub fn feedback_mark_duplicate(
    state: State<'_, AppState>,
    id: i64,
    of_id: i64,
    comment: String,
) -> CmdResult<FeedbackDetail> {
    state.as_actor(|conn, now, actor| {
        feedback::mark_duplicate(conn, now, actor, id, of_id, &comment)
    })
}

/// Every category, retired ones included.
#[tauri::command(async)]
pub fn feedback_categories(state: State<'_, AppState>) -> CmdResult<Vec<Category>> {
    state.as_actor(|conn, _, actor| feedback::categories(conn, actor))
}

/// Add a top-level category or a sub-category.
#[tauri::command(async)]
pub fn feedback_category_add(
    state: State<'_, AppState>,
    parent_id: Option<i64>,
    code: String,
    input: CategoryInput,
) -> CmdResult<Category> {
    state.as_actor(|conn, now, actor| {
        feedback::add_category(conn, now, actor, parent_id, &code, &input)
    })
}

/// Rename a category or change its definitions.
#[tauri::command(async)]
pub fn feedback_category_rename(
    state: State<'_, AppState>,
    id: i64,
    input: CategoryInput,
) -> CmdResult<Category> {
    state.as_actor(|conn, now, actor| feedback::rename_category(conn, now, actor, id, &input))
}

/// Retire a category (or bring it back).
#[tauri::command(async)]
pub fn feedback_category_retire(
    state: State<'_, AppState>,
    id: i64,
    retired: bool,
) -> CmdResult<Category> {
    state.as_actor(|conn, now, actor| feedback::retire_category(conn, now, actor, id, retired))
}

/// Delete a category nobody uses.
#[tauri::command(async)]
pub fn feedback_category_delete(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| feedback::delete_category(conn, now, actor, id))
}

/// Every sub-category's routing rule.
#[tauri::command(async)]
pub fn feedback_routing_rules(state: State<'_, AppState>) -> CmdResult<Vec<RoutingRule>> {
    state.as_actor(|conn, _, actor| feedback::routing_rules(conn, actor))
}

/// Replace one sub-category's routing rule.
#[tauri::command(async)]
pub fn feedback_routing_set(
    state: State<'_, AppState>,
    rule: RoutingRule,
) -> CmdResult<RoutingRule> {
    state.as_actor(|conn, now, actor| feedback::set_routing(conn, now, actor, &rule))
}

/// The team's SLA policy.
#[tauri::command(async)]
pub fn feedback_sla_policy_get(state: State<'_, AppState>) -> CmdResult<SlaPolicy> {
    state.as_actor(|conn, _, _| feedback::sla_policy(conn))
}

/// Save the SLA policy (applies to items created from now on).
#[tauri::command(async)]
pub fn feedback_sla_policy_set(
    state: State<'_, AppState>,
    policy: SlaPolicy,
) -> CmdResult<SlaPolicy> {
    state.as_actor(|conn, now, actor| feedback::set_sla_policy(conn, now, actor, &policy))
}

/// Each department's assignment mode by department code (missing = manual).
#[tauri::command(async)]
pub fn feedback_assignment_modes(
    state: State<'_, AppState>,
) -> CmdResult<BTreeMap<String, AssignmentMode>> {
    state.as_actor(|conn, _, _| feedback::assignment_modes(conn))
}

/// Set one department's assignment mode.
#[tauri::command(async)]
pub fn feedback_assignment_mode_set(
    state: State<'_, AppState>,
    department_code: String,
    mode: AssignmentMode,
) -> CmdResult<BTreeMap<String, AssignmentMode>> {
    state.as_actor(|conn, now, actor| {
        feedback::set_assignment_mode(conn, now, actor, &department_code, mode)
    })
}

/// Customers whose name contains `query` (at most 20, within the actor's scope) for the intake
/// form; a stop-gap until the customers module's search exists.
#[tauri::command(async)]
pub fn customer_lookup(state: State<'_, AppState>, query: String) -> CmdResult<Vec<CustomerHit>> {
    state.as_actor(|conn, _, actor| feedback::customer_lookup(conn, actor, &query))
}

/// Number and name of the customers among `ids` the actor may see (for feedback lists).
#[tauri::command(async)]
pub fn customer_names(state: State<'_, AppState>, ids: Vec<i64>) -> CmdResult<Vec<CustomerHit>> {
    state.as_actor(|conn, _, actor| feedback::customers_by_ids(conn, actor, &ids))
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeDelta, Utc};
    use rapport_core::account::{self, Actor, NewUser};
    use rapport_core::feedback::{
        self, Channel, DetailsInput, NewFeedback, Priority, Transition, TransitionInput,
    };
    use rapport_core::permission::Role;
    use rapport_core::task::{self, SourceKind};
    use rapport_core::team::{self, SetupInput};
    use rusqlite::{Connection, params};
    use serde_json::{Value, json};

    use crate::test_ipc::invoke;

    fn category(conn: &Connection, code: &str) -> i64 {
        conn.query_row(
            "SELECT id FROM feedback_categories WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .unwrap()
    }

    fn add_customer(conn: &Connection, name: &str, n: i64) -> i64 {
        conn.execute(
            "INSERT INTO customers (number, name, created_at, updated_at) VALUES (?1, ?2, 0, 0)",
            params![format!("KH-2026-{n:05}"), name],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    #[test]
    fn a_complaint_from_intake_to_closed_creates_the_callback_task() {
        let t = crate::test_ipc::TestApp::with_team();
        let crate::test_ipc::TestApp { w, dir, .. } = t;
        let conn = rapport_core::db::open(&dir.path().join(rapport_core::db::DB_FILE)).unwrap();
        add_customer(&conn, "华东贸易有限公司", 1);
        add_customer(&conn, "100%_满意公司", 2);
        let hits = invoke(&w, "customer_lookup", json!({"query": "华东"})).unwrap();
        assert_eq!(hits[0]["name"], "华东贸易有限公司");
        let customer = hits[0]["id"].as_i64().unwrap();
        let literal = invoke(&w, "customer_lookup", json!({"query": "%_"})).unwrap();
        assert_eq!(literal.as_array().unwrap().len(), 1);

        let input = json!({"input": {"customer_id": customer, "channel": "phone_hotline",
            "category_id": category(&conn, "service_quality"), "priority": "urgent",
            "description": "客服回复太慢"}});
        let made = invoke(&w, "feedback_create", input).unwrap();
        let id = made["item"]["id"].as_i64().unwrap();
        assert!(made["item"]["number"].as_str().unwrap().starts_with("FK-"));
        let step = |t: &str, extra: Value| {
            let mut input = json!({"transition": t});
            input
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            invoke(&w, "feedback_transition", json!({"id": id, "input": input}))
        };
        // Accepting without a date is refused with a code the UI translates.
        let err = step("accept", json!({})).unwrap_err();
        assert_eq!(err["code"], "feedback.expected_date_required");
        // The team's day (Asia/Shanghai, UTC+8).
        let today = (Utc::now() + TimeDelta::hours(8)).date_naive().to_string();
        step("accept", json!({"expected_resolution_date": today})).unwrap();
        let details =
            json!({"id": id, "input": {"solution": "致歉并培训", "root_cause": "流程缺失"}});
        invoke(&w, "feedback_update_details", details).unwrap();
        let respond = json!({"id": id, "input": {"customer_facing": true, "comment": "已致电"}});
        invoke(&w, "feedback_record_response", respond).unwrap();
        step("request_confirmation", json!({})).unwrap();
        let closed = step("close", json!({"comment": "客户确认"})).unwrap();
        assert_eq!(closed["detail"]["item"]["status"], "closed");
        assert_eq!(closed["follow_ups"][0]["kind"], "satisfaction_callback");
        let tasks: i64 = conn
            .query_row(
                "SELECT count(*) FROM tasks WHERE source_kind = 'feedback' AND source_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tasks, 1);
        let got = invoke(&w, "feedback_get", json!({"id": id})).unwrap();
        assert!(got["history"].as_array().unwrap().len() >= 5);
        let list = invoke(
            &w,
            "feedback_list",
            json!({"filter": {"statuses": ["closed"]}}),
        )
        .unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        let names = invoke(&w, "customer_names", json!({"ids": [customer]})).unwrap();
        assert_eq!(names[0]["name"], "华东贸易有限公司");
        let policy = invoke(&w, "feedback_sla_policy_get", json!({})).unwrap();
        assert_eq!(policy["urgent"]["response"]["amount"], 2);
    }

    /// Fill the data folder named by `RAPPORT_DEMO_DIR` with a team (admin / admin-pass-1, staff
    /// cs1 / staff-pass-1), a few customers and feedback in every state, to look at the screens:
    /// `RAPPORT_DEMO_DIR=/tmp/fbdemo cargo test -p rapport demo_data -- --ignored`.
    #[test]
    #[ignore]
    fn demo_data() {
        let dir = std::path::PathBuf::from(std::env::var("RAPPORT_DEMO_DIR").unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        let mut conn = rapport_core::db::open(&dir.join(rapport_core::db::DB_FILE)).unwrap();
        let now = Utc::now();
        let input = SetupInput {
            company_name: "华东示例科技".into(),
            admin_username: "admin".into(),
            admin_display_name: "王管理".into(),
            admin_password: "admin-pass-1".into(),
            time_zone: "Asia/Shanghai".into(),
            locale: "zh-CN".into(),
            lunch_break: true,
        };
        let admin = team::setup(&mut conn, now, &input).unwrap();
        let depts = team::departments(&conn, &admin).unwrap();
        let cs = depts.iter().find(|d| d.code == "cs").unwrap().id;
        let user = account::create_user_as(
            &conn,
            now,
            &admin,
            &NewUser {
                username: "cs1".into(),
                display_name: "李客服".into(),
                role: Role::Staff,
                title: String::new(),
                department_id: Some(cs),
                phone: String::new(),
                email: String::new(),
                password: "staff-pass-1".into(),
            },
        )
        .unwrap();
        let staff = Actor {
            user_id: user.id,
            username: "cs1".into(),
            display_name: "李客服".into(),
            role: Role::Staff,
            department_id: Some(cs),
            locale: String::new(),
            must_change_password: false,
        };
        let customers: Vec<i64> = ["华东贸易有限公司", "星河制造集团", "北辰物流", "青禾软件"]
            .iter()
            .enumerate()
            .map(|(i, n)| add_customer(&conn, n, i as i64 + 1))
            .collect();
        let item = |days_ago: i64, cat: &str, p: Priority, c: Option<i64>, text: &str| {
            let at = now - TimeDelta::days(days_ago) - TimeDelta::hours(1);
            let input = NewFeedback {
                customer_id: c,
                contact_id: None,
                unknown_name: if c.is_none() {
                    "赵先生".into()
                } else {
                    String::new()
                },
                unknown_phone: if c.is_none() {
                    "13800138000".into()
                } else {
                    String::new()
                },
                channel: Channel::PhoneHotline,
                category_id: category(&conn, cat),
                priority: p,
                description: text.into(),
                occurred_at: None,
                impact: String::new(),
                customer_expectation: String::new(),
            };
            (
                feedback::create(&conn, at, &admin, &input).unwrap().item.id,
                at,
            )
        };
        let step = |id: i64, at, t: Transition, date: Option<NaiveDate>| {
            let input = TransitionInput {
                transition: t,
                comment: String::new(),
                expected_resolution_date: date,
                duplicate_of_id: None,
            };
            feedback::transition(&conn, at, &admin, id, &input).unwrap()
        };
        let details = DetailsInput {
            solution: "更换故障部件并补发说明书".into(),
            root_cause: "出厂检测漏检".into(),
            ..DetailsInput::default()
        };
        let (first, _) = item(
            0,
            "service_quality",
            Priority::Urgent,
            Some(customers[0]),
            "热线等待超过 20 分钟无人接听",
        );
        let note = feedback::ResponseInput {
            customer_facing: false,
            comment: "已查看通话记录，高峰期排队".into(),
        };
        feedback::record_response(&conn, now, &staff, first, &note).unwrap();
        item(
            0,
            "product_usage",
            Priority::Normal,
            None,
            "询问如何导出月度报表",
        );
        item(
            4,
            "service_quality",
            Priority::Urgent,
            Some(customers[1]),
            "系统故障导致产线停工",
        );
        let (a, at) = item(
            1,
            "product_function",
            Priority::Important,
            Some(customers[2]),
            "批量导入时偶发报错",
        );
        step(
            a,
            at,
            Transition::Accept,
            Some(at.date_naive() + TimeDelta::days(5)),
        );
        let (b, at) = item(
            2,
            "feature_improvement",
            Priority::Normal,
            Some(customers[3]),
            "希望增加移动端审批",
        );
        step(
            b,
            at,
            Transition::Accept,
            Some(at.date_naive() + TimeDelta::days(10)),
        );
        feedback::update_details(&conn, at, &admin, b, &details).unwrap();
        step(
            b,
            at + TimeDelta::hours(2),
            Transition::RequestConfirmation,
            None,
        );
        let (c, at) = item(
            3,
            "product_function",
            Priority::Important,
            Some(customers[0]),
            "打印模板错位",
        );
        step(
            c,
            at,
            Transition::Accept,
            Some(at.date_naive() + TimeDelta::days(1)),
        );
        feedback::update_details(&conn, at, &admin, c, &details).unwrap();
        step(
            c,
            at + TimeDelta::hours(3),
            Transition::RequestConfirmation,
            None,
        );
        let out = step(c, at + TimeDelta::hours(5), Transition::Close, None);
        feedback::followups::apply(&conn, at + TimeDelta::hours(5), &admin, &out).unwrap();
        // Accepted ten days ago with a date a day later: a delay explanation is now owed.
        let (d, at) = item(
            10,
            "service_quality",
            Priority::Important,
            Some(customers[1]),
            "安装工程师未按约定时间上门",
        );
        step(
            d,
            at,
            Transition::Accept,
            Some(at.date_naive() + TimeDelta::days(1)),
        );
        let open = task::tasks_for_source(&conn, now, &admin, SourceKind::Feedback, c).unwrap();
        assert_eq!(open.len(), 1);
    }
}
