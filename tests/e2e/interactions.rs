//! Interactions, attachments, tasks and Today, driven through the UI as a person would: the
//! seed's example visit logged through the log dialog, a file attached, the entry on the
//! customer's timeline, the to-do on Today and completed there; then an edit that keeps the
//! previous version in the interaction's history.

use crate::common::{go, invoke, set_up_team};
use rapport_e2e::{App, Ctx, Failure, Result, ensure};
use serde_json::{Value, json};
use std::path::Path;

/// The seed's customer.
const CUSTOMER: &str = "科技有限公司";
/// The seed's subject.
const SUBJECT: &str = "新增采购需求";
/// The seed's key points, as the record describes them.
const KEY_POINTS: &str = "客户提出希望采购A产品10台,要求4月10日前交付,需同步提供售后服务条款";
/// The seed's commitment, exactly.
const COMMITMENT: &str = "3月5日前提供报价单及样品";
/// The seed's next step.
const NEXT_STEP: &str = "待客户确认后启动合同流程";
/// The to-do the visit leaves for the account manager.
const TODO: &str = "提供报价单及样品";
/// The minutes attached to the visit (tests/fixtures/).
const MINUTES: &str = "拜访纪要-科技有限公司.txt";

/// Set a date-time field the way the browser's picker does: the value, then input and change
/// events (WebKitGTK's datetime-local field does not take typed keys over WebDriver).
async fn set_datetime(app: &App, testid: &str, index: usize, value: &str) -> Result {
    let set = app
        .js(
            "const el = [...document.querySelectorAll('[data-testid=\"' + arguments[0] + '\"]')][arguments[1]];\
             if (!el) return false;\
             el.value = arguments[2];\
             el.dispatchEvent(new Event('input', { bubbles: true }));\
             el.dispatchEvent(new Event('change', { bubbles: true }));\
             return el.value === arguments[2];",
            vec![json!(testid), json!(index), json!(value)],
        )
        .await?;
    ensure(
        set == Value::Bool(true),
        format!("could not set [data-testid={testid}] #{index} to {value}"),
    )
}

/// Move the app's clock (test builds) so that it reads `target` (RFC 3339).
async fn set_clock(app: &App, target: &str) -> Result {
    let now = invoke(app, "test_clock_advance", json!({"seconds": 0})).await?;
    let now = chrono::DateTime::parse_from_rfc3339(now.as_str().unwrap_or_default())
        .map_err(|e| Failure(format!("test_clock_advance answered {now}: {e}")))?;
    let target = chrono::DateTime::parse_from_rfc3339(target)
        .map_err(|e| Failure(format!("bad target {target}: {e}")))?;
    let seconds = (target - now).num_seconds();
    invoke(app, "test_clock_advance", json!({"seconds": seconds})).await?;
    Ok(())
}

/// The seed's example (seed 2.1): on 2024-03-01 the account manager visits 科技有限公司 about a
/// new purchase need, records the key points and the commitment "3月5日前提供报价单及样品", and
/// leaves a to-do due 03-05. Logged through the log dialog from the customer page, with the
/// meeting minutes attached; seen on the timeline; the to-do shows on Today on 03-05 (the app's
/// clock is set to that morning) and is completed there; then an edit keeps the first version
/// in the history.
pub async fn interactions_seed_visit(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let me = invoke(&app, "current_session", json!({})).await?;
    let me_id = me["user_id"].as_i64().unwrap_or_default();

    // Setup (not what this scenario tests): the customer with one contact, owned by me.
    let made = invoke(
        &app,
        "customer_create",
        json!({"input": {"customer": {"name": CUSTOMER, "industry": "制造业"},
            "contacts": [{"name": "李明", "position": "采购经理", "mobile": "13800138000", "is_primary": true}]}}),
    )
    .await?;
    let customer_id = made["customer"]["id"]
        .as_i64()
        .or_else(|| made["id"].as_i64())
        .ok_or_else(|| Failure(format!("customer_create answered {made}")))?;

    // The morning the quote is due: 2024-03-05 08:30 in Beijing. The visit (03-01) is in the
    // past and the to-do (03-05, later that day) is due today, as the seed tells it.
    set_clock(&app, "2024-03-05T00:30:00Z").await?;

    // The customer page: the timeline is empty, "log interaction" is on it.
    go(&app, &format!("#/customers/{customer_id}")).await?;
    app.wait_for("timeline-empty").await?;
    app.click("interaction-new").await?;
    app.wait_for("interaction-dialog").await?;
    app.wait_for_text("interaction-customer-picked", CUSTOMER)
        .await?;

    // The seed's example, field by field.
    app.select("interaction-channel", "visit").await?;
    set_datetime(&app, "interaction-occurred-at", 0, "2024-03-01T10:00").await?;
    app.wait_for_text("interaction-contacts", "李明").await?;
    app.click("interaction-contact").await?;
    app.fill(&[
        ("interaction-subject", SUBJECT),
        ("interaction-key-points", KEY_POINTS),
        ("interaction-commitments", COMMITMENT),
        ("interaction-next-step", NEXT_STEP),
    ])
    .await?;
    app.click("todo-add").await?;
    app.type_into("todo-title", TODO).await?;
    app.select("todo-owner", &me_id.to_string()).await?;
    // 09:00 on 03-05 (local to the app's web view): before Beijing's midnight in any zone
    // from UTC to UTC+8, so "due today" on the morning of 03-05.
    set_datetime(&app, "todo-due", 0, "2024-03-05T09:00").await?;
    app.screenshot("log-dialog").await?;
    app.click("interaction-save").await?;
    app.wait_gone("interaction-dialog").await?;

    // On the timeline, newest first, with its open to-do.
    app.wait_for_text("timeline-subject", SUBJECT).await?;
    let id = app
        .js(
            "const li = document.querySelector('[data-testid=\"timeline-entry\"]');\
             return li ? Number(li.dataset.id) : null;",
            vec![],
        )
        .await?
        .as_i64()
        .ok_or_else(|| Failure("no timeline entry carries an id".into()))?;

    // The minutes, through the code path of the file picker and of drag and drop: the picker
    // (or the drop) yields a path, and that path goes to the core's copy-and-record step.
    // `attachment_add_path` is the command a drop calls; `attachment_pick_and_add` calls the
    // same core function with the path the dialog returned.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(MINUTES);
    let added = invoke(
        &app,
        "attachment_add_path",
        json!({"interactionId": id, "path": fixture.display().to_string()}),
    )
    .await?;
    ensure(
        added["original_name"] == MINUTES,
        format!("the attachment kept the name {}", added["original_name"]),
    )?;

    // Back on the customer page (reloaded): the entry counts one file and one open to-do, and
    // opened it shows the seed's text, the file and the to-do.
    go(&app, "#/today").await?;
    app.wait_for("today-due-today").await?;
    go(&app, &format!("#/customers/{customer_id}")).await?;
    app.wait_for_text("timeline-attachments", "1 个附件")
        .await?;
    app.click("timeline-entry-toggle").await?;
    app.wait_for_text("entry-commitments", COMMITMENT).await?;
    app.wait_for_text("entry-key-points", "A产品10台").await?;
    app.wait_for_text("attachment-list", MINUTES).await?;
    app.wait_for_text("interaction-todos", TODO).await?;
    app.screenshot("timeline").await?;

    // Today: the to-do is due today (not overdue, not later this week).
    go(&app, "#/today").await?;
    app.wait_for_text("today-due-today", TODO).await?;
    let overdue = app.text("today-overdue").await?;
    ensure(
        !overdue.contains(TODO),
        format!("the to-do shows as overdue on the morning it is due: {overdue:?}"),
    )?;
    app.screenshot("today").await?;

    // Complete it there: it leaves Today, and the interaction has no open to-do any more.
    app.click("task-complete").await?;
    app.wait_js(
        "the completed to-do to leave Today's due-today section",
        "const s = document.querySelector('[data-testid=\"today-due-today\"]');\
         return !!s && s.dataset.count === '0' && !s.textContent.includes(arguments[0]);",
        vec![json!(TODO)],
    )
    .await?;
    app.screenshot("today-done").await?;
    // Editing keeps history: change the subject through the same form, then the history shows
    // the first version and the change.
    go(&app, &format!("#/customers/{customer_id}")).await?;
    app.wait_for_text("timeline-subject", SUBJECT).await?;
    let toggle_open = app
        .js(
            "return !!document.querySelector('[data-testid=\"interaction-body\"]');",
            vec![],
        )
        .await?;
    if toggle_open != Value::Bool(true) {
        app.click("timeline-entry-toggle").await?;
    }
    // The to-do completed on Today is done on the interaction too.
    app.wait_js(
        "the interaction's to-do to show as done",
        "return !!document.querySelector('[data-testid=\"interaction-todos\"] [data-testid=\"task-row\"][data-status=\"done\"]');",
        vec![],
    )
    .await?;
    app.click("interaction-edit").await?;
    app.wait_for("interaction-dialog").await?;
    let subject = app.text("interaction-subject").await?;
    ensure(
        subject == SUBJECT,
        format!("the edit form opened with subject {subject:?}"),
    )?;
    let edited = format!("{SUBJECT}（已报价）");
    app.type_into("interaction-subject", &edited).await?;
    app.click("interaction-save").await?;
    app.wait_gone("interaction-dialog").await?;
    app.wait_for_text("timeline-subject", "已报价").await?;
    app.click("interaction-history").await?;
    app.wait_for("interaction-history-dialog").await?;
    let history = app
        .wait_for_text("interaction-history-list", &edited)
        .await?;
    ensure(
        history.contains(SUBJECT) && history.contains(COMMITMENT),
        format!("the history does not show the first version: {history:?}"),
    )?;
    let entries = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"interaction-history-entry\"]')].map(e => e.dataset.change);",
            vec![],
        )
        .await?;
    ensure(
        entries == json!(["update", "create"]),
        format!("history entries (newest first): {entries}"),
    )?;
    app.screenshot("history").await?;
    app.click("interaction-history-close").await?;
    app.quit().await
}

/// Settings › Interactions as an admin: the attachment size limit is lowered to 1 MB through
/// the form and a 2 MB file is then refused with `attachment.too_large`; a call script is
/// edited (a placeholder inserted from the list), shows as changed, a save from a stale copy
/// is refused, and "reset to default" brings the shipped text back.
pub async fn interactions_settings(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    go(&app, "#/settings/interactions").await?;

    // The size limit: 50 MB by default, set to 1 MB.
    let limit = app.text("attachment-limit").await?;
    ensure(
        limit == "50",
        format!("the default limit shows {limit:?} MB"),
    )?;
    app.type_into("attachment-limit", "1").await?;
    app.click("attachment-limit-save").await?;
    app.wait_js(
        "the limit to be saved as 1 MB",
        "return document.querySelector('[data-testid=\"attachment-limit\"]')?.value === '1' || null;",
        vec![],
    )
    .await?;
    let bytes = invoke(&app, "attachment_limit_get", json!({})).await?;
    ensure(
        bytes == json!(1024 * 1024),
        format!("attachment_limit_get answered {bytes}"),
    )?;
    // A 2 MB file is refused with a clear code (the UI shows its translation).
    let customer = invoke(
        &app,
        "customer_create",
        json!({"input": {"customer": {"name": CUSTOMER}}}),
    )
    .await?;
    let customer_id = customer["customer"]["id"].as_i64().unwrap_or_default();
    let logged = invoke(
        &app,
        "interaction_log",
        json!({"customerId": customer_id, "input": {"occurred_at": "2024-03-01T02:00:00Z",
            "channel": "phone", "subject": "确认样品"}, "todos": []}),
    )
    .await?;
    let big = ctx
        .data_dir()
        .parent()
        .unwrap_or(Path::new("/tmp"))
        .join("interactions-2mb.bin");
    std::fs::write(&big, vec![7u8; 2 * 1024 * 1024])?;
    let refused = invoke(
        &app,
        "attachment_add_path",
        json!({"interactionId": logged["id"], "path": big.display().to_string()}),
    )
    .await;
    let _ = std::fs::remove_file(&big);
    match refused {
        Err(Failure(m)) if m.contains("attachment.too_large") => {}
        other => {
            return Err(Failure(format!(
                "a 2 MB file with a 1 MB limit was not refused as too large: {other:?}"
            )));
        }
    }

    // Scripts, by purpose and language.
    app.wait_for("script-purpose-holiday_greeting").await?;
    app.screenshot("settings").await?;
    let item = "[data-testid=\"script-purpose-holiday_greeting\"] [data-testid=\"script-settings-item\"][data-locale=\"zh-CN\"]";
    app.js(
        "document.querySelector(arguments[0] + ' [data-testid=\"script-edit\"]').click(); return true;",
        vec![json!(item)],
    )
    .await?;
    app.wait_for("script-edit-dialog").await?;
    app.type_into("script-edit-body", "{联系人}您好，节日快乐！")
        .await?;
    // Insert {我的名字} from the placeholder list at the end of the text.
    app.js(
        "const b = document.querySelector('[data-testid=\"script-edit-body\"]'); b.focus(); b.setSelectionRange(b.value.length, b.value.length);\
         document.querySelector('[data-testid=\"script-ph-insert\"][data-name=\"{我的名字}\"]').click(); return true;",
        vec![],
    )
    .await?;
    let body = app.text("script-edit-body").await?;
    ensure(
        body == "{联系人}您好，节日快乐！{我的名字}",
        format!("the script text after inserting a placeholder: {body:?}"),
    )?;
    app.screenshot("script-edit").await?;
    app.click("script-edit-save").await?;
    app.wait_gone("script-edit-dialog").await?;
    app.wait_js(
        "the script to show as changed",
        "return document.querySelector(arguments[0])?.dataset.customised === 'true' || null;",
        vec![json!(item)],
    )
    .await?;

    // A save from a stale copy (version 1, before the edit) is refused.
    let id = app
        .js(
            "return Number(document.querySelector(arguments[0]).dataset.id);",
            vec![json!(item)],
        )
        .await?;
    let stale = invoke(
        &app,
        "template_update",
        json!({"id": id, "version": 1, "title": "x", "body": "y"}),
    )
    .await;
    ensure(
        matches!(&stale, Err(Failure(m)) if m.contains("template.version_conflict")),
        format!("a stale save was not refused: {stale:?}"),
    )?;

    // Reset to the default.
    app.js(
        "document.querySelector(arguments[0] + ' [data-testid=\"script-reset\"]').click(); return true;",
        vec![json!(item)],
    )
    .await?;
    app.click("dialog-confirm").await?;
    app.wait_js(
        "the script to be back to its default",
        "const el = document.querySelector(arguments[0]); return (el && el.dataset.customised === 'false' && el.textContent.includes('节日将至')) || null;",
        vec![json!(item)],
    )
    .await?;
    app.quit().await
}

/// The X windows of the running app (the main window and any dialog it opened), by WM class.
fn app_windows() -> Vec<String> {
    std::process::Command::new("xdotool")
        .args(["search", "--onlyvisible", "--class", "rapport"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Run xdotool with these arguments; fail with its error output.
fn xdotool(args: &[&str]) -> Result {
    let out = std::process::Command::new("xdotool")
        .args(args)
        .output()
        .map_err(|e| {
            Failure(format!(
                "cannot run xdotool (scripts/setup.sh --test installs it): {e}"
            ))
        })?;
    ensure(
        out.status.success(),
        format!(
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The real native file picker: "添加附件" opens the GTK file chooser (a second window of the
/// app), a person types the file's path into it (Ctrl+L, the path, Enter) with the keyboard —
/// here xdotool — and the chosen file is attached to the interaction and listed.
pub async fn interactions_file_picker(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let customer = invoke(
        &app,
        "customer_create",
        json!({"input": {"customer": {"name": CUSTOMER}}}),
    )
    .await?;
    let customer_id = customer["customer"]["id"].as_i64().unwrap_or_default();
    invoke(
        &app,
        "interaction_log",
        json!({"customerId": customer_id, "input": {"occurred_at": "2024-03-01T02:00:00Z",
            "channel": "visit", "subject": SUBJECT}, "todos": []}),
    )
    .await?;
    // An ASCII name: xdotool types it key by key.
    let file = ctx
        .data_dir()
        .parent()
        .unwrap_or(Path::new("/tmp"))
        .join("picker-minutes.txt");
    std::fs::write(&file, "拜访纪要: A产品10台, 4月10日前交付\n")?;

    go(&app, &format!("#/customers/{customer_id}")).await?;
    app.click("timeline-entry-toggle").await?;
    app.wait_for("attachment-add").await?;
    let before = app_windows().len();
    app.click("attachment-add").await?;
    let mut dialog = None;
    for _ in 0..100 {
        let windows = app_windows();
        if windows.len() > before {
            dialog = windows.last().cloned();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let dialog = dialog.ok_or_else(|| Failure("no file chooser window appeared".into()))?;
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new("target"))
        .join("e2e-screenshots")
        .join("interactions_file_picker-dialog.png");
    std::process::Command::new("import")
        .args(["-window", "root"])
        .arg(&shot)
        .status()
        .ok();
    // No window manager under Xvfb: give the dialog the keyboard focus directly.
    xdotool(&["windowfocus", "--sync", &dialog])?;
    xdotool(&["key", "--clearmodifiers", "ctrl+l"])?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    xdotool(&["type", "--delay", "20", &file.display().to_string()])?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    xdotool(&["key", "Return"])?;

    app.wait_for_text("attachment-list", "picker-minutes.txt")
        .await?;
    app.screenshot("attached").await?;
    let listed = invoke(&app, "attachment_list", json!({"interactionId": 1})).await?;
    ensure(
        listed.to_string().contains("picker-minutes.txt"),
        format!("attachment_list does not list the picked file: {listed}"),
    )?;
    app.quit().await
}
