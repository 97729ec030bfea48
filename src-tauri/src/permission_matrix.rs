//! The permission matrix through IPC: every command in `commands.list`, called as every role
//! and logged out, must be allowed or refused exactly as the table below says. "Refused" means
//! the error payload's code is `auth.forbidden` (or `auth.unauthenticated` when logged out);
//! anything else — success, not found, a validation error — means the role got past the gate.
//!
//! Arguments are found automatically: starting from `{}`, the test reads Tauri's and serde's
//! complaints ("missing required key", "missing field", "invalid type … expected …", "unknown
//! variant … expected one of …") and fills in a value of the kind asked for, while logged out so
//! nothing is written (strings are `eA==`, valid base64, so commands that decode an uploaded
//! file before the gate still reach it). Each role then runs in its own empty data folder, so scope rules (a
//! customer of another department) never masquerade as role refusals.
//!
//! A command missing from [`EXPECTED`] (one added since) makes the test fail with the list of
//! such commands, so the table is completed rather than silently skipped.

use crate::test_ipc::invoke;
use rapport_core::account::Actor;
use rapport_core::permission::Role;
use serde_json::{Map, Value, json};
use tauri::Manager;
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};

/// Who may call what. Letters: A admin, S supervisor, H head, T staff, V viewer; `public`
/// needs no log-in at all.
const EXPECTED: &[(&str, &str)] = &[
    ("app_status", "public"),
    ("attachment_add_path", "ASHT"),
    ("backup_list", "A"),
    ("backup_now", "A"),
    // A file dialog (also open to anyone on the recovery screen, when there is no database).
    ("backup_pick_file", "A"),
    ("backup_restore", "A"),
    // A save dialog, then a copy of the database (admins).
    ("backup_save_as", "A"),
    ("attachment_limit_get", "ASHTV"),
    ("attachment_limit_set", "A"),
    ("attachment_list", "ASHTV"),
    ("attachment_open", "ASHTV"),
    // Never called (it opens a native file dialog); it checks InteractionLog before the dialog.
    ("attachment_pick_and_add", "ASHT"),
    ("attachment_remove", "ASHT"),
    ("calendar_get", "ASHTV"),
    ("calendar_import_ical", "AS"),
    ("calendar_remove_day", "AS"),
    ("calendar_save_hours", "A"),
    ("calendar_seed_china", "AS"),
    ("calendar_set_day", "AS"),
    ("change_password", "ASHTV"),
    ("current_session", "public"),
    ("customer_archive", "ASHT"),
    // The probe's bulk body hands customers to user 1 (the admin, in no department): outside a
    // head's or staff member's reach, so the owner rule refuses them (customer::bulk::check_owner).
    ("customer_bulk", "AS"),
    // Change requests are decided by heads and the admin (CustomerApprove).
    ("customer_change_decide", "AH"),
    ("customer_changes_pending", "AH"),
    ("customer_check_duplicates", "ASHT"),
    ("customer_contacts", "ASHTV"),
    ("customer_create", "ASHT"),
    ("customer_erase", "A"),
    ("customer_export", "ASH"),
    ("customer_get", "ASHTV"),
    ("customer_history", "ASHTV"),
    ("customer_import_apply", "ASH"),
    ("customer_import_preview", "ASH"),
    ("customer_industries", "ASHTV"),
    ("customer_industries_save", "A"),
    ("customer_key_fields", "ASHTV"),
    ("customer_key_fields_set", "A"),
    ("customer_lookup", "ASHTV"),
    ("customer_merge", "ASH"),
    ("customer_merge_preview", "ASH"),
    ("customer_names", "ASHTV"),
    ("customer_restore", "ASHT"),
    ("customer_search", "ASHTV"),
    ("customer_tag_save", "ASHT"),
    ("customer_tags", "ASHTV"),
    ("customer_update", "ASHT"),
    ("customers_list", "ASHTV"),
    ("customer_view_delete", "ASHTV"),
    ("customer_view_rename", "ASHTV"),
    ("customer_view_save", "ASHTV"),
    ("customer_views_list", "ASHTV"),
    // Export everything and demo data: admin only (DataManage).
    ("data_export_all", "A"),
    ("demo_load", "A"),
    ("department_save", "A"),
    ("departments_list", "ASHTV"),
    ("desktop_close_to_tray_get", "ASHTV"),
    // The close-to-tray choice is stored for the whole installation.
    ("desktop_close_to_tray_set", "A"),
    // Launching at login is the OS account's own setting: reading it needs no log-in, changing
    // it needs one (never called here: it would write an autostart entry on this machine).
    ("desktop_autostart_get", "public"),
    ("desktop_autostart_set", "ASHTV"),
    ("feedback_assign", "ASH"),
    ("feedback_assign_many", "ASH"),
    ("feedback_assignment_mode_set", "A"),
    ("feedback_assignment_modes", "ASHTV"),
    ("feedback_categories", "ASHTV"),
    ("feedback_category_add", "A"),
    ("feedback_category_delete", "A"),
    ("feedback_category_rename", "A"),
    ("feedback_category_retire", "A"),
    ("feedback_create", "ASHT"),
    ("feedback_explain_delay", "ASHT"),
    ("feedback_get", "ASHTV"),
    ("feedback_list", "ASHTV"),
    ("feedback_mark_duplicate", "ASHT"),
    ("feedback_record_response", "ASHT"),
    ("feedback_record_satisfaction", "ASHT"),
    ("feedback_routing_rules", "ASHTV"),
    ("feedback_routing_set", "A"),
    ("feedback_set_departments", "ASH"),
    ("feedback_sla_policy_get", "ASHTV"),
    ("feedback_sla_policy_set", "A"),
    ("feedback_transition", "ASHT"),
    ("feedback_update_details", "ASHT"),
    ("insight_dashboard", "ASHTV"),
    ("interaction_channels", "ASHTV"),
    ("interaction_delete", "ASHT"),
    ("interaction_get", "ASHTV"),
    ("interaction_history", "ASHTV"),
    ("interaction_log", "ASHT"),
    ("interaction_timeline", "ASHTV"),
    ("interaction_update", "ASHT"),
    ("interactions_list", "ASHTV"),
    ("login", "public"),
    ("logout", "public"),
    ("notification_prefs_get", "ASHTV"),
    ("notification_prefs_save", "ASHTV"),
    ("plans_calendar", "ASHTV"),
    // Recovery mode only: on a healthy database both refuse with recovery.not_needed, which
    // no role gate precedes (there is no database to log in to when they are needed).
    ("recovery_restore", "public"),
    ("recovery_status", "public"),
    ("reminders_inbox", "ASHTV"),
    ("reminders_mark_all_read", "ASHTV"),
    ("reminders_mark_read", "ASHTV"),
    ("reminders_unread_count", "ASHTV"),
    // Reports: everyone may read their scope; exporting is not for staff (ReportExport).
    ("report_build", "ASHTV"),
    ("report_export", "ASHV"),
    // List exports in the seed's table layouts are reports too (ReportExport).
    ("feedback_export", "ASHV"),
    ("interactions_export", "ASHV"),
    ("review_confirm", "ASHT"),
    ("review_get", "ASHTV"),
    ("review_list", "ASHTV"),
    ("set_locale", "ASHTV"),
    ("setup_team", "public"),
    ("survey_import_apply", "ASHT"),
    ("survey_import_preview", "ASHT"),
    ("survey_list", "ASHTV"),
    ("survey_record", "ASHT"),
    ("task_cancel", "ASHT"),
    ("task_complete", "ASHT"),
    // Staff and heads may only create tasks in their scope; the probe names user 1 (the admin) as owner.
    ("task_create", "AS"),
    ("task_get", "ASHTV"),
    ("task_list", "ASHTV"),
    // Reopening is for the owner, a head or the admin (task::store::reopen_task).
    ("task_reopen", "AHT"),
    ("task_snooze", "ASHT"),
    ("team_get", "ASHTV"),
    ("team_update", "A"),
    ("template_fill", "ASHTV"),
    ("template_get", "ASHTV"),
    ("template_list", "ASHTV"),
    ("template_reset", "AS"),
    ("template_update", "AS"),
    ("template_values", "ASHTV"),
    ("today", "ASHTV"),
    ("today_care", "ASHTV"),
    ("user_create", "A"),
    ("user_reset_password", "A"),
    ("user_update", "A"),
    ("users_list", "ASHTV"),
];

/// Commands that would touch the desktop (a native file dialog, the OS autostart entry): never
/// called; their rows only document the intent.
const NOT_CALLED: &[&str] = &[
    "attachment_pick_and_add",
    "backup_pick_file",
    "backup_save_as",
    "desktop_autostart_set",
];

const ROLES: [(Role, char); 5] = [
    (Role::Admin, 'A'),
    (Role::Supervisor, 'S'),
    (Role::Head, 'H'),
    (Role::Staff, 'T'),
    (Role::Viewer, 'V'),
];

fn commands() -> Vec<String> {
    include_str!("../commands.list")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    w: tauri::WebviewWindow<MockRuntime>,
}

/// A fresh data folder with a team, two departments, one user per role (plain SQL: no
/// password hashing needed, the session is set directly) and, with id 1 each, a customer, contact,
/// interaction, task and feedback item of the staff member's department — in every role's
/// scope, so refusals come from the role, not from the record being out of reach.
fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let state = crate::open_state(dir.path()).unwrap();
    let app = crate::build_app(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    app.state::<crate::state::AppState>()
        .public(|conn, _| {
            conn.execute_batch(
                "INSERT INTO team (id, name, time_zone, created_at) VALUES (1, '矩阵公司', 'Asia/Shanghai', 0);
                 INSERT INTO departments (id, code, name) VALUES (1, 'cs', '客服部'), (2, 'sales', '销售部');
                 INSERT INTO users (id, username, display_name, role, department_id, password_hash, created_at, updated_at) VALUES
                   (1, 'admin', 'A', 'admin', NULL, 'x', 0, 0),
                   (2, 'supervisor', 'S', 'supervisor', 1, 'x', 0, 0),
                   (3, 'head', 'H', 'head', 1, 'x', 0, 0),
                   (4, 'staff', 'T', 'staff', 1, 'x', 0, 0),
                   (5, 'viewer', 'V', 'viewer', NULL, 'x', 0, 0);
                 UPDATE departments SET head_user_id = 3 WHERE id = 1;
                 INSERT INTO customers (id, number, name, owner_user_id, department_id, created_at, updated_at)
                   VALUES (1, 'KH-2026-00001', '矩阵客户', 4, 1, 0, 0);
                 INSERT INTO contacts (id, customer_id, name, is_primary) VALUES (1, 1, '联系人', 1);
                 INSERT INTO interactions (id, customer_id, occurred_at, channel, subject, created_by, created_at, updated_at)
                   VALUES (1, 1, 0, 'phone', '电话', 4, 0, 0);
                 INSERT INTO tasks (id, title, owner_user_id, due_at, customer_id, created_by, created_at, updated_at)
                   VALUES (1, '任务', 4, 86400, 1, 4, 0, 0);
                 INSERT INTO feedback_items (id, number, customer_id, channel, category_id, priority, description,
                                             responsible_department_id, assignee_user_id, sla_targets,
                                             response_due_at, resolution_due_at, created_by, created_at, updated_at)
                   VALUES (1, 'FK-2026-00001', 1, 'email', 12, 'normal', '反馈', 1, 4, '{}', 3600, 86400, 4, 0, 0);",
            )?;
            Ok(())
        })
        .unwrap();
    App {
        _dir: dir,
        _app: app,
        w,
    }
}

fn actor(role: Role) -> Actor {
    let (id, dept) = match role {
        Role::Admin => (1, None),
        Role::Supervisor => (2, Some(1)),
        Role::Head => (3, Some(1)),
        Role::Staff => (4, Some(1)),
        Role::Viewer => (5, None),
    };
    Actor {
        user_id: id,
        username: role.as_str().into(),
        display_name: role.as_str().into(),
        role,
        department_id: dept,
        locale: String::new(),
        must_change_password: false,
    }
}

/// The text between the first pair of backticks after `after`.
fn quoted_after<'a>(msg: &'a str, after: &str) -> Option<&'a str> {
    let rest = &msg[msg.find(after)? + after.len()..];
    let start = rest.find('`')? + 1;
    let end = start + rest[start..].find('`')?;
    Some(&rest[start..end])
}

/// A value of the kind serde said it expected (`detail` is serde's whole message).
fn value_for(detail: &str) -> Value {
    if detail.contains("unknown variant")
        && let Some(v) = quoted_after(detail, "expected")
    {
        return json!(v);
    }
    let e = detail
        .rsplit("expected ")
        .next()
        .unwrap_or("")
        .to_lowercase();
    if e.contains("internally tagged") {
        json!({})
    } else if e.contains("enum")
        || e.contains("single key")
        || e.contains("variant")
        || e.contains("string or map")
    {
        json!("x")
    } else if e.contains("struct") {
        json!({})
    } else if e.contains("rfc 3339") || e.contains("date and time") {
        json!("2099-03-02T09:00:00Z")
    } else if e.contains("date") {
        json!("2026-03-02")
    } else if e.contains("path") {
        json!("/nonexistent/rapport-matrix")
    } else if e.contains("a string") || e.contains("char") {
        // Valid base64 too, so file-carrying commands get past decoding to the gate.
        json!("eA==")
    } else if e.contains("bool") {
        json!(false)
    } else if e.contains("sequence") || e.contains("tuple") {
        json!([])
    } else if e.contains("map") {
        json!({})
    } else if e.contains("f64") || e.contains("f32") || e.contains("float") {
        json!(1.5)
    } else {
        json!(1)
    }
}

/// Every object path in `v` (deepest first), where a missing field may belong.
fn object_paths(v: &Value, here: Vec<String>, out: &mut Vec<Vec<String>>) {
    if let Value::Object(m) = v {
        for (k, child) in m {
            let mut p = here.clone();
            p.push(k.clone());
            object_paths(child, p, out);
        }
        out.push(here);
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(v, |v, k| &mut v[k.as_str()])
}

/// The argument problem in an IPC error, if that is what it is.
fn arg_problem(err: &Value) -> Option<String> {
    err.as_str()
        .filter(|s| s.starts_with("invalid args") || s.contains("missing required key"))
        .map(String::from)
}

/// Find arguments that parse for `cmd`, calling it logged out (nothing runs past the gate).
fn synthesise(w: &tauri::WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, String> {
    let mut body = Value::Object(Map::new());
    let mut last_path: Vec<String> = Vec::new();
    for _ in 0..80 {
        let err = match invoke(w, cmd, body.clone()) {
            Ok(_) => return Ok(body),
            Err(e) => e,
        };
        let Some(msg) = arg_problem(&err) else {
            return Ok(body);
        };
        if std::env::var("RAPPORT_MATRIX_TRACE").is_ok_and(|t| t == cmd) {
            eprintln!("{body} -> {msg}");
        }
        if let Some(key) = msg.split("missing required key ").nth(1) {
            let key = key.trim().to_string();
            body[key.as_str()] = json!(1);
            last_path = vec![key];
            continue;
        }
        let arg = quoted_after(&msg, "invalid args")
            .unwrap_or_default()
            .to_string();
        let detail = msg
            .split(&format!("for command `{cmd}`: "))
            .nth(1)
            .unwrap_or("")
            .to_string();
        if let Some(field) = quoted_after(&detail, "missing field") {
            // Put the field in the deepest object of this argument that lacks it and whose
            // error then changes.
            let mut paths = Vec::new();
            object_paths(&body[arg.as_str()], vec![arg.clone()], &mut paths);
            let before = detail.clone();
            let mut placed = false;
            for p in paths {
                let mut trial = body.clone();
                let obj = at_mut(&mut trial, &p);
                if obj.get(field).is_some() {
                    continue;
                }
                obj[field] = json!(1);
                let still = match invoke(w, cmd, trial.clone()) {
                    Ok(_) => None,
                    Err(e) => arg_problem(&e),
                };
                if still.as_deref().is_none_or(|s| !s.ends_with(&before)) {
                    body = trial;
                    last_path = p.into_iter().chain([field.to_string()]).collect();
                    placed = true;
                    break;
                }
            }
            if !placed {
                return Err(format!("cannot place field `{field}`: {msg}"));
            }
            continue;
        }
        if detail.contains("invalid type")
            || detail.contains("unknown variant")
            || detail.contains("invalid value")
        {
            let target = if last_path.first() == Some(&arg) {
                last_path.clone()
            } else {
                vec![arg.clone()]
            };
            let v = value_for(&detail);
            if *at_mut(&mut body, &target) == v {
                return Err(format!("stuck on {msg}"));
            }
            *at_mut(&mut body, &target) = v;
            continue;
        }
        // Dates and instants: chrono's parse errors name no type.
        let target = if last_path.first() == Some(&arg) {
            last_path.clone()
        } else {
            vec![arg.clone()]
        };
        let slot = at_mut(&mut body, &target);
        *slot = match slot.as_str() {
            Some("2026-03-02") => json!("2099-03-02T09:00:00Z"),
            Some("2099-03-02T09:00:00Z") => json!("09:00"),
            Some("09:00") => return Err(format!("unknown argument kind: {msg}")),
            _ => json!("2026-03-02"),
        };
    }
    Err(format!("gave up finding arguments for {cmd}"))
}

/// `Some(true)` allowed, `Some(false)` refused, `None` an argument problem.
fn outcome(result: &Result<Value, Value>, refused_code: &str) -> Option<bool> {
    match result {
        Ok(_) => Some(true),
        Err(e) if arg_problem(e).is_some() => None,
        Err(e) => Some(e["code"] != refused_code && e["code"] != "auth.unauthenticated"),
    }
}

#[test]
fn every_command_as_every_role_is_allowed_or_refused_as_listed() {
    let cmds = commands();
    let expected: std::collections::HashMap<&str, &str> = EXPECTED.iter().copied().collect();
    let probe = app();
    let mut args = Vec::new();
    let mut problems = Vec::new();
    for c in cmds.iter().filter(|c| !NOT_CALLED.contains(&c.as_str())) {
        match synthesise(&probe.w, c) {
            Ok(a) => args.push((c.clone(), a)),
            Err(e) => problems.push(format!("{c}: no arguments found ({e})")),
        }
    }
    // Logged out: only the public commands answer.
    let mut observed: std::collections::BTreeMap<String, String> = Default::default();
    for c in NOT_CALLED {
        if let Some(e) = expected.get(c) {
            observed.insert(c.to_string(), e.to_string());
        }
    }
    let out = app();
    for (c, a) in &args {
        let r = invoke(&out.w, c, a.clone());
        if outcome(&r, "auth.unauthenticated") == Some(true)
            && !matches!(&r, Err(e) if e["code"] == "auth.forbidden")
        {
            observed.insert(c.clone(), "public".into());
        }
    }
    for (role, letter) in ROLES {
        let a = app();
        let state = a.w.state::<crate::state::AppState>();
        for (c, body) in &args {
            if observed.get(c).map(String::as_str) == Some("public") {
                continue;
            }
            state.set_session(Some(actor(role)));
            match outcome(&invoke(&a.w, c, body.clone()), "auth.forbidden") {
                Some(true) => observed.entry(c.clone()).or_default().push(letter),
                Some(false) => {
                    observed.entry(c.clone()).or_default();
                }
                None => problems.push(format!("{c} as {}: arguments refused", role.as_str())),
            }
        }
    }
    let missing: Vec<&String> = cmds
        .iter()
        .filter(|c| !expected.contains_key(c.as_str()))
        .collect();
    let mut wrong = Vec::new();
    for (c, got) in &observed {
        if let Some(want) = expected.get(c.as_str())
            && want.replace(' ', "") != *got
        {
            wrong.push(format!("{c}: expected \"{want}\", observed \"{got}\""));
        }
    }
    let stale: Vec<&str> = EXPECTED
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| !cmds.iter().any(|k| k == c))
        .collect();
    let table: Vec<String> = observed
        .iter()
        .map(|(c, r)| format!("    (\"{c}\", \"{r}\"),"))
        .collect();
    assert!(
        missing.is_empty() && wrong.is_empty() && stale.is_empty() && problems.is_empty(),
        "permission matrix:\n- commands missing from EXPECTED (add them): {missing:?}\n- allowed/refused differ:\n  {}\n- rows for commands no longer listed: {stale:?}\n- problems:\n  {}\n(observed table, to review before copying:)\n{}",
        wrong.join("\n  "),
        problems.join("\n  "),
        table.join("\n")
    );
}

/// A 10 MB paste into each kind of free-text field (a customer's notes, an interaction's key
/// points, a feedback description, a task's notes, a contact's name) is refused with
/// `field.too_long` — translated in both locales — naming the field, and the refusal does not
/// echo the text back.
#[test]
fn ten_megabyte_texts_are_refused_with_a_translated_error() {
    let en = include_str!("../../ui/src/locales/en.json");
    let zh = include_str!("../../ui/src/locales/zh-CN.json");
    let a = app();
    let state = a.w.state::<crate::state::AppState>();
    let huge = "注".repeat(10 * 1024 * 1024 / 3);
    // The command, the field to fill, and the other values it needs to reach the check.
    let ok_customer = json!({"name": "正常客户"});
    let cases: Vec<(&str, &[&str], Value)> = vec![
        (
            "customer_create",
            &["input", "customer", "first_feedback"],
            json!({"input": {"customer": ok_customer}}),
        ),
        ("customer_create", &["input", "customer", "name"], json!({})),
        (
            "customer_update",
            &["input", "customer", "next_followup_plan"],
            json!({"input": {"customer": {"name": "矩阵客户"}, "version": 1}}),
        ),
        (
            "interaction_log",
            &["input", "key_points"],
            json!({"input": {"occurred_at": "2025-01-01T09:00:00Z"}}),
        ),
        (
            "interaction_log",
            &["input", "subject"],
            json!({"input": {"occurred_at": "2025-01-01T09:00:00Z"}}),
        ),
        ("feedback_create", &["input", "description"], json!({})),
        ("task_create", &["input", "title"], json!({})),
        ("task_create", &["input", "notes"], json!({})),
    ];
    let mut failures = Vec::new();
    for (cmd, path, preset) in &cases {
        state.set_session(None);
        let mut body = synthesise(&a.w, cmd).unwrap();
        merge(&mut body, preset);
        let (last, parents) = path.split_last().unwrap();
        let parent = at_mut(
            &mut body,
            &parents.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        );
        if !parent.is_object() {
            *parent = json!({});
        }
        parent[*last] = json!(huge);
        state.set_session(Some(actor(Role::Admin)));
        match invoke(&a.w, cmd, body) {
            Ok(_) => failures.push(format!("{cmd} {path:?}: 10 MB accepted")),
            Err(e) => {
                let code = e["code"].as_str().unwrap_or("");
                if code != "field.too_long" {
                    failures.push(format!(
                        "{cmd} {path:?}: {}",
                        e.to_string().chars().take(300).collect::<String>()
                    ));
                }
                if e.to_string().len() > 2000 {
                    failures.push(format!("{cmd} {path:?}: the error echoes the text"));
                }
            }
        }
    }
    assert!(en.contains("\"error.field.too_long\"") && zh.contains("\"error.field.too_long\""));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Overlay `extra`'s values onto `base`, object by object.
fn merge(base: &mut Value, extra: &Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                merge(b.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (b, e) => *b = e.clone(),
    }
}
