//! Interactions: log, edit, delete and read contacts with customers, a customer's timeline, the
//! global list, the channels and a customer's contacts (participants); the call-script
//! templates (list, edit, fill for a customer); and attachments (native file picker, drag and
//! drop paths, list, remove, open with the system's default application).

use crate::state::{AppState, CmdResult};
use rapport_core::attachment::{self, Attachment};
use rapport_core::customer::{self, model::Contact};
use rapport_core::interaction::{
    self, Channel, HistoryEntry, Interaction, InteractionFilter, InteractionInput, Todo,
};
use rapport_core::page::{Page, Paged};
use rapport_core::task::{self, SourceKind, Task};
use rapport_core::template::{self, Filled, PlaceholderValues, Template};
use serde::Serialize;
use std::path::PathBuf;
use tauri::{Runtime, State};

/// One interaction with the to-dos it left and its attached files (the timeline's expanded
/// entry).
#[derive(Debug, Serialize)]
pub struct InteractionDetail {
    /// The interaction.
    pub interaction: Interaction,
    /// Tasks created from it (those the actor may see).
    pub todos: Vec<Task>,
    /// Attached files.
    pub attachments: Vec<Attachment>,
}

/// A call script filled for a customer.
#[derive(Debug, Serialize)]
pub struct FilledTemplate {
    /// The script.
    pub template: Template,
    /// The values used.
    pub values: PlaceholderValues,
    /// The text, and the placeholders left unfilled.
    pub filled: Filled,
}

/// Log a contact with a customer, with its participants and to-dos (each becomes a task).
#[tauri::command(async)]
pub fn interaction_log(
    state: State<'_, AppState>,
    customer_id: i64,
    input: InteractionInput,
    todos: Vec<Todo>,
) -> CmdResult<Interaction> {
    state.as_actor(|conn, now, actor| {
        interaction::log_interaction(conn, now, actor, customer_id, &input, &todos)
    })
}

/// Edit an interaction loaded at `version` (a stale version is refused).
#[tauri::command(async)]
pub fn interaction_update(
    state: State<'_, AppState>,
    id: i64,
    version: i64,
    input: InteractionInput,
) -> CmdResult<Interaction> {
    state.as_actor(|conn, now, actor| {
        interaction::update_interaction(conn, now, actor, id, version, &input)
    })
}

/// Remove an interaction from the timeline (kept with its history).
#[tauri::command(async)]
pub fn interaction_delete(state: State<'_, AppState>, id: i64, version: i64) -> CmdResult<()> {
    state
        .as_actor(|conn, now, actor| interaction::delete_interaction(conn, now, actor, id, version))
}

/// One interaction with its to-dos and attachments.
#[tauri::command(async)]
pub fn interaction_get(state: State<'_, AppState>, id: i64) -> CmdResult<InteractionDetail> {
    state.as_actor(|conn, now, actor| {
        Ok(InteractionDetail {
            interaction: interaction::get_interaction(conn, actor, id)?,
            todos: task::tasks_for_source(conn, now, actor, SourceKind::Interaction, id)?,
            attachments: attachment::list(conn, actor, id)?,
        })
    })
}

/// The edit history of an interaction, oldest first.
#[tauri::command(async)]
pub fn interaction_history(state: State<'_, AppState>, id: i64) -> CmdResult<Vec<HistoryEntry>> {
    state.as_actor(|conn, _, actor| interaction::history(conn, actor, id))
}

/// A customer's interactions, newest first, optionally only some channels.
#[tauri::command(async)]
pub fn interaction_timeline(
    state: State<'_, AppState>,
    customer_id: i64,
    channels: Option<Vec<String>>,
    page: Option<Page>,
) -> CmdResult<Paged<Interaction>> {
    state.as_actor(|conn, _, actor| {
        interaction::timeline(
            conn,
            actor,
            customer_id,
            &channels.unwrap_or_default(),
            page.unwrap_or_default(),
        )
    })
}

/// The global interaction list within the actor's scope, newest first, filtered.
#[tauri::command(async)]
pub fn interactions_list(
    state: State<'_, AppState>,
    filter: InteractionFilter,
) -> CmdResult<Paged<Interaction>> {
    state.as_actor(|conn, _, actor| interaction::list_interactions(conn, actor, &filter))
}

/// The interaction channels in display order (archived ones only when asked).
#[tauri::command(async)]
pub fn interaction_channels(
    state: State<'_, AppState>,
    include_archived: Option<bool>,
) -> CmdResult<Vec<Channel>> {
    state.as_actor(|conn, _, actor| {
        interaction::channels(conn, actor, include_archived.unwrap_or(false))
    })
}

/// A customer's contacts (the customer-side participants to choose from).
#[tauri::command(async)]
pub fn customer_contacts(state: State<'_, AppState>, customer_id: i64) -> CmdResult<Vec<Contact>> {
    state.as_actor(|conn, _, actor| Ok(customer::get_customer(conn, actor, customer_id)?.contacts))
}

/// The call scripts, in purpose order; one language when `locale` is given.
#[tauri::command(async)]
pub fn template_list(
    state: State<'_, AppState>,
    locale: Option<String>,
) -> CmdResult<Vec<Template>> {
    state.as_actor(|conn, _, actor| template::list_templates(conn, actor, locale.as_deref()))
}

/// One call script.
#[tauri::command(async)]
pub fn template_get(state: State<'_, AppState>, id: i64) -> CmdResult<Template> {
    state.as_actor(|conn, _, actor| template::get_template(conn, actor, id))
}

/// Edit a call script loaded at `version`.
#[tauri::command(async)]
pub fn template_update(
    state: State<'_, AppState>,
    id: i64,
    version: i64,
    title: String,
    body: String,
) -> CmdResult<Template> {
    state.as_actor(|conn, now, actor| {
        template::update_template(conn, now, actor, id, version, &title, &body)
    })
}

/// Put a call script loaded at `version` back to its shipped default.
#[tauri::command(async)]
pub fn template_reset(state: State<'_, AppState>, id: i64, version: i64) -> CmdResult<Template> {
    state.as_actor(|conn, now, actor| template::reset_template(conn, now, actor, id, version))
}

/// The placeholder values for a customer (and a contact, else its primary one).
#[tauri::command(async)]
pub fn template_values(
    state: State<'_, AppState>,
    customer_id: i64,
    contact_id: Option<i64>,
) -> CmdResult<PlaceholderValues> {
    state.as_actor(|conn, _, actor| template::values_for(conn, actor, customer_id, contact_id))
}

/// A call script filled for a customer, with the placeholders it could not fill.
#[tauri::command(async)]
pub fn template_fill(
    state: State<'_, AppState>,
    id: i64,
    customer_id: i64,
    contact_id: Option<i64>,
) -> CmdResult<FilledTemplate> {
    state.as_actor(|conn, _, actor| {
        let template = template::get_template(conn, actor, id)?;
        let values = template::values_for(conn, actor, customer_id, contact_id)?;
        let filled = template::fill(&template.body, &values);
        Ok(FilledTemplate {
            template,
            values,
            filled,
        })
    })
}

/// Choose a file with the system's file picker (off the main thread) and attach it; null when
/// nothing was chosen.
#[tauri::command]
pub async fn attachment_pick_and_add<R: Runtime>(
    window: tauri::Window<R>,
    state: State<'_, AppState>,
    interaction_id: i64,
) -> CmdResult<Option<Attachment>> {
    // Refuse early (not logged in, not allowed to add files, no such interaction) before
    // showing a picker, so a viewer never sees a dialog whose choice would be refused.
    state.as_actor(|conn, _, actor| {
        actor.require(rapport_core::permission::Action::InteractionLog)?;
        interaction::get_interaction(conn, actor, interaction_id)
    })?;
    let picked = rfd::AsyncFileDialog::new()
        .set_parent(&window)
        .pick_file()
        .await;
    let Some(file) = picked else {
        return Ok(None);
    };
    let path: PathBuf = file.path().to_path_buf();
    state
        .as_actor(|conn, now, actor| {
            attachment::add_file(conn, &state.data_dir, now, actor, interaction_id, &path)
        })
        .map(Some)
}

/// Attach a file by its path (drag and drop onto the window).
#[tauri::command(async)]
pub fn attachment_add_path(
    state: State<'_, AppState>,
    interaction_id: i64,
    path: PathBuf,
) -> CmdResult<Attachment> {
    state.as_actor(|conn, now, actor| {
        attachment::add_file(conn, &state.data_dir, now, actor, interaction_id, &path)
    })
}

/// The attachment size limit in bytes (the default is 50 MB).
#[tauri::command(async)]
pub fn attachment_limit_get(state: State<'_, AppState>) -> CmdResult<u64> {
    state.as_actor(|conn, _, _| attachment::max_bytes(conn))
}

/// Change the attachment size limit (admins), 1 byte to 2 GB.
#[tauri::command(async)]
pub fn attachment_limit_set(state: State<'_, AppState>, bytes: u64) -> CmdResult<u64> {
    state.as_actor(|conn, now, actor| {
        attachment::set_max_bytes(conn, now, actor, bytes)?;
        attachment::max_bytes(conn)
    })
}

/// The files attached to an interaction.
#[tauri::command(async)]
pub fn attachment_list(
    state: State<'_, AppState>,
    interaction_id: i64,
) -> CmdResult<Vec<Attachment>> {
    state.as_actor(|conn, _, actor| attachment::list(conn, actor, interaction_id))
}

/// Detach a file.
#[tauri::command(async)]
pub fn attachment_remove(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.as_actor(|conn, _, actor| attachment::remove(conn, actor, id))
}

/// Open an attachment with the system's default application (a copy with a known extension).
#[tauri::command(async)]
pub fn attachment_open(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.as_actor(|conn, _, actor| {
        let path = attachment::open_copy(conn, &state.data_dir, actor, id)?;
        crate::platform::open_with_default_app(&path)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};
    use rapport_core::account::{self, NewUser};
    use rapport_core::feedback::{self, Channel as FbChannel, NewFeedback, Priority};
    use rapport_core::interaction::{self, InteractionInput, Todo};
    use rapport_core::permission::Role;
    use rapport_core::task::{self, NewTask};
    use rapport_core::team::{self, SetupInput};
    use rusqlite::{Connection, params};
    use serde_json::json;

    use crate::test_ipc::invoke;

    fn add_customer(conn: &Connection, name: &str, n: i64) -> i64 {
        conn.execute(
            "INSERT INTO customers (number, name, created_at, updated_at) VALUES (?1, ?2, 0, 0)",
            params![format!("KH-2024-{n:05}"), name],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    fn add_contact(conn: &Connection, customer: i64, name: &str, position: &str) -> i64 {
        conn.execute(
            "INSERT INTO contacts (customer_id, name, position, is_primary) VALUES (?1, ?2, ?3, 1)",
            params![customer, name, position],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    /// The seed example: a visit on 2024-03-01 to 科技有限公司 about a new purchase need, with a
    /// commitment and a to-do due 03-05; the to-do is then completed.
    #[test]
    fn the_seed_visit_is_logged_and_its_todo_completed() {
        let t = crate::test_ipc::TestApp::with_team();
        let crate::test_ipc::TestApp { w, dir, admin, .. } = t;
        let me = admin["user_id"].as_i64().unwrap();
        let conn = rapport_core::db::open(&dir.path().join(rapport_core::db::DB_FILE)).unwrap();
        let customer = add_customer(&conn, "科技有限公司", 1);
        let contact = add_contact(&conn, customer, "王总", "采购经理");

        let channels = invoke(&w, "interaction_channels", json!({})).unwrap();
        assert_eq!(channels[0]["code"], "visit");
        let contacts = invoke(&w, "customer_contacts", json!({"customerId": customer})).unwrap();
        assert_eq!(contacts[0]["name"], "王总");

        let body = json!({"customerId": customer, "input": {
            "occurred_at": "2024-03-01T02:00:00Z", "channel": "visit", "subject": "新增采购需求",
            "key_points": "客户计划扩产", "commitments": "3月5日前提供报价单及样品",
            "contact_ids": [contact], "user_ids": [me]},
            "todos": [{"title": "提供报价单及样品", "owner_user_id": me,
                "due_at": "2024-03-05T10:00:00Z"}]});
        let logged = invoke(&w, "interaction_log", body).unwrap();
        let id = logged["id"].as_i64().unwrap();
        assert_eq!(logged["customer_name"], "科技有限公司");
        assert_eq!(logged["open_todos"], 1);
        assert_eq!(logged["contacts"][0]["name"], "王总");

        // A date in the future is refused with a code the UI translates.
        let future = json!({"customerId": customer, "input": {
            "occurred_at": "2999-01-01T00:00:00Z", "channel": "visit", "subject": "x"}, "todos": []});
        let err = invoke(&w, "interaction_log", future).unwrap_err();
        assert_eq!(err["code"], "interaction.in_future");

        let timeline = invoke(&w, "interaction_timeline", json!({"customerId": customer})).unwrap();
        assert_eq!(timeline["total"], 1);
        let listed = invoke(
            &w,
            "interactions_list",
            json!({"filter": {"has_open_todos": true, "channels": ["visit"]}}),
        )
        .unwrap();
        assert_eq!(listed["items"][0]["subject"], "新增采购需求");

        let detail = invoke(&w, "interaction_get", json!({"id": id})).unwrap();
        assert_eq!(
            detail["interaction"]["commitments"],
            "3月5日前提供报价单及样品"
        );
        let todo = &detail["todos"][0];
        assert_eq!(todo["title"], "提供报价单及样品");
        assert_eq!(todo["due_at"], "2024-03-05T10:00:00Z");
        let task_id = todo["id"].as_i64().unwrap();

        // Past due, so it is overdue on Today and in my list.
        let today = invoke(&w, "today", json!({})).unwrap();
        assert_eq!(today["overdue_tasks"][0]["id"], task_id);
        let mine = invoke(&w, "task_list", json!({"filter": {"overdue_only": true}})).unwrap();
        assert_eq!(mine["total"], 1);
        let done = invoke(
            &w,
            "task_complete",
            json!({"id": task_id, "note": "已发送报价单"}),
        )
        .unwrap();
        assert_eq!(done["status"], "done");
        let again = invoke(&w, "task_complete", json!({"id": task_id})).unwrap_err();
        assert_eq!(again["code"], "task.not_open");
        let after = invoke(&w, "interaction_get", json!({"id": id})).unwrap();
        assert_eq!(after["interaction"]["open_todos"], 0);
        assert!(
            invoke(&w, "today", json!({})).unwrap()["overdue_tasks"]
                .as_array()
                .unwrap()
                .is_empty()
        );

        // Snooze needs a future instant.
        let task = invoke(&w, "task_reopen", json!({"id": task_id})).unwrap();
        assert_eq!(task["status"], "open");
        let err = invoke(
            &w,
            "task_snooze",
            json!({"id": task_id, "until": "2020-01-01T00:00:00Z"}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "task.snooze_not_future");
        let later = (Utc::now() + Duration::hours(1)).to_rfc3339();
        let snoozed = invoke(&w, "task_snooze", json!({"id": task_id, "until": later})).unwrap();
        assert_eq!(snoozed["snoozed"], true);

        // Attachments: by path (drag and drop), listed, removed.
        let file = dir.path().join("报价单.pdf");
        std::fs::write(&file, b"%PDF-1.4 quote").unwrap();
        let added = invoke(
            &w,
            "attachment_add_path",
            json!({"interactionId": id, "path": file}),
        )
        .unwrap();
        assert_eq!(added["original_name"], "报价单.pdf");
        let files = invoke(&w, "attachment_list", json!({"interactionId": id})).unwrap();
        assert_eq!(files.as_array().unwrap().len(), 1);
        invoke(&w, "attachment_remove", json!({"id": added["id"]})).unwrap();
        let missing = dir.path().join("nope.pdf");
        assert!(
            invoke(
                &w,
                "attachment_add_path",
                json!({"interactionId": id, "path": missing})
            )
            .is_err()
        );

        // A call script filled for the customer.
        let scripts = invoke(&w, "template_list", json!({"locale": "zh-CN"})).unwrap();
        let first = scripts
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["purpose"] == "first_contact")
            .unwrap();
        let filled = invoke(
            &w,
            "template_fill",
            json!({"id": first["id"], "customerId": customer}),
        )
        .unwrap();
        let text = filled["filled"]["text"].as_str().unwrap();
        assert!(!text.contains("{客户名称}"), "{text}");
        assert_eq!(filled["values"]["contact_name"], "王总");

        // Edit with a stale version is refused; then delete.
        let input = json!({"occurred_at": "2024-03-01T02:00:00Z", "channel": "visit",
            "subject": "新增采购需求（补充）"});
        let err = invoke(
            &w,
            "interaction_update",
            json!({"id": id, "version": 99, "input": input}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "interaction.version_conflict");
        let v = after["interaction"]["version"].clone();
        let upd = invoke(
            &w,
            "interaction_update",
            json!({"id": id, "version": v, "input": input}),
        )
        .unwrap();
        let history = invoke(&w, "interaction_history", json!({"id": id})).unwrap();
        assert_eq!(history.as_array().unwrap().len(), 2);
        invoke(
            &w,
            "interaction_delete",
            json!({"id": id, "version": upd["version"]}),
        )
        .unwrap();
        let care = invoke(&w, "today_care", json!({"days": 30})).unwrap();
        assert!(care.is_array());
    }

    /// Fill the data folder named by `RAPPORT_DEMO_DIR` with a team (admin / admin-pass-1), a
    /// few customers with contacts, interactions with to-dos, tasks overdue, due today and this
    /// week, a birthday coming up and a feedback item near its deadline, to look at Today, the
    /// log dialog, the timeline and the Interactions page:
    /// `RAPPORT_DEMO_DIR=/tmp/ixdemo cargo test -p rapport interactions_demo_data -- --ignored`.
    #[test]
    #[ignore]
    fn interactions_demo_data() {
        let dir = std::path::PathBuf::from(std::env::var("RAPPORT_DEMO_DIR").unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        let mut conn = rapport_core::db::open(&dir.join(rapport_core::db::DB_FILE)).unwrap();
        let now = Utc::now();
        let admin = team::setup(
            &mut conn,
            now,
            &SetupInput {
                company_name: "华东示例科技".into(),
                admin_username: "admin".into(),
                admin_display_name: "王管理".into(),
                admin_password: "admin-pass-1".into(),
                time_zone: "Asia/Shanghai".into(),
                locale: "zh-CN".into(),
                lunch_break: true,
            },
        )
        .unwrap();
        let depts = team::departments(&conn, &admin).unwrap();
        let cs = depts.iter().find(|d| d.code == "cs").unwrap().id;
        let staff = account::create_user_as(
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
        let names = ["科技有限公司", "星河制造集团", "北辰物流", "青禾软件"];
        let customers: Vec<i64> = names
            .iter()
            .enumerate()
            .map(|(i, n)| add_customer(&conn, n, i as i64 + 1))
            .collect();
        let contact = add_contact(&conn, customers[0], "王总", "采购经理");
        add_contact(&conn, customers[1], "刘经理", "");
        // A birthday three days from now (Chinese time).
        let bday = (now + Duration::hours(8) + Duration::days(3)).date_naive();
        conn.execute(
            "UPDATE contacts SET birthday = ?1 WHERE id = ?2",
            params![bday.to_string(), contact],
        )
        .unwrap();
        let input = |days_ago: i64, channel: &str, subject: &str| InteractionInput {
            occurred_at: now - Duration::days(days_ago) - Duration::hours(2),
            channel: channel.into(),
            subject: subject.into(),
            key_points: "客户计划今年扩产 30%，关注交期与售后响应。".into(),
            customer_needs: "需要新一批设备报价".into(),
            commitments: "3月5日前提供报价单及样品".into(),
            next_step: "报价后一周内电话跟进".into(),
            satisfaction: (channel == "callback").then_some(4),
            feedback_id: None,
            contact_ids: vec![],
            user_ids: vec![admin.user_id],
        };
        let todo = |title: &str, due| Todo {
            title: title.into(),
            owner_user_id: admin.user_id,
            due_at: due,
            notes: String::new(),
        };
        let mut visit = input(0, "visit", "新增采购需求");
        visit.contact_ids = vec![contact];
        interaction::log_interaction(
            &mut conn,
            now,
            &admin,
            customers[0],
            &visit,
            &[
                todo("提供报价单及样品", now + Duration::hours(3)),
                todo("安排技术交流", now + Duration::days(2)),
            ],
        )
        .unwrap();
        interaction::log_interaction(
            &mut conn,
            now,
            &admin,
            customers[0],
            &input(6, "phone", "确认上季度订单交付"),
            &[todo("补发发票", now - Duration::days(2))],
        )
        .unwrap();
        interaction::log_interaction(
            &mut conn,
            now,
            &admin,
            customers[0],
            &input(20, "callback", "季度满意度回访"),
            &[],
        )
        .unwrap();
        interaction::log_interaction(
            &mut conn,
            now,
            &admin,
            customers[1],
            &input(1, "online_meeting", "产线升级方案评审"),
            &[],
        )
        .unwrap();
        interaction::log_interaction(
            &mut conn,
            now,
            &admin,
            customers[2],
            &input(3, "email", "物流合同续签"),
            &[],
        )
        .unwrap();
        let task = |title: &str, owner: i64, due, customer: Option<i64>| {
            task::create_task(
                &conn,
                now,
                &admin,
                &NewTask {
                    title: title.into(),
                    notes: String::new(),
                    owner_user_id: owner,
                    due_at: due,
                    customer_id: customer,
                },
            )
            .unwrap()
        };
        task(
            "回访青禾软件新版本试用情况",
            admin.user_id,
            now - Duration::days(1),
            Some(customers[3]),
        );
        task(
            "整理本周客户拜访纪要",
            admin.user_id,
            now + Duration::hours(1),
            None,
        );
        task(
            "寄送节日贺卡",
            staff.id,
            now + Duration::days(1),
            Some(customers[1]),
        );
        let cat: i64 = conn
            .query_row(
                "SELECT id FROM feedback_categories WHERE code = 'service_quality'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let item = feedback::create(
            &conn,
            now - Duration::minutes(100),
            &admin,
            &NewFeedback {
                customer_id: Some(customers[1]),
                contact_id: None,
                unknown_name: String::new(),
                unknown_phone: String::new(),
                channel: FbChannel::PhoneHotline,
                category_id: cat,
                priority: Priority::Urgent,
                description: "设备故障导致产线停工".into(),
                occurred_at: None,
                impact: String::new(),
                customer_expectation: String::new(),
            },
        )
        .unwrap();
        // The admin works in customer service too, so the item can be theirs.
        conn.execute(
            "UPDATE users SET department_id = ?1 WHERE id = ?2",
            params![cs, admin.user_id],
        )
        .unwrap();
        feedback::assign(
            &conn,
            now - Duration::minutes(90),
            &admin,
            item.item.id,
            feedback::Assignment::User {
                user_id: admin.user_id,
            },
        )
        .unwrap();
    }
}
