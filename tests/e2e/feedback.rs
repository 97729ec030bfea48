//! Feedback handling driven through the UI as a person would: a complaint logged through the
//! intake form, routed to customer service by itself, bulk-assigned from the list, accepted from
//! the kanban board with the keyboard, brought to the customer for confirmation and closed, with
//! the satisfaction call-back task it leaves; and an accepted item pushed more than three days
//! past its promised date by the test build's clock, refused any progress until the delay is
//! explained.

use crate::common::{PASSWORD, go, invoke, log_in, log_out, set_up_team};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use fantoccini::key::Key;
use rapport_e2e::{App, Ctx, Failure, Result, ensure};
use serde_json::{Value, json};

/// The customer who complains.
const CUSTOMER: &str = "华东精工有限公司";
/// The customer-service member who handles it.
const AGENT: &str = "lina";
/// Her display name.
const AGENT_NAME: &str = "李娜";
/// The complaint, as the hotline operator notes it.
const COMPLAINT: &str = "客户反映售后工程师两次上门都未解决设备异响，回复太慢";
/// The solution offered to the customer.
const SOLUTION: &str = "更换减震组件并安排专人回访";
/// The root cause found.
const ROOT_CAUSE: &str = "售后派单未跟进，备件缺货未及时告知";
/// 服务质量类 (seeded category id, crates/core/migrations/0005_feedback.sql).
const SERVICE_QUALITY: &str = "11";
/// 产品功能类.
const PRODUCT_FUNCTION: i64 = 12;
/// The team's time zone (the setup's default).
const TEAM_OFFSET_SECS: i32 = 8 * 3600;

/// The app's current instant (test builds) and the team's date at that instant.
async fn app_today(app: &App) -> Result<(DateTime<FixedOffset>, NaiveDate)> {
    let now = invoke(app, "test_clock_advance", json!({"seconds": 0})).await?;
    let now = DateTime::parse_from_rfc3339(now.as_str().unwrap_or_default())
        .map_err(|e| Failure(format!("test_clock_advance answered {now}: {e}")))?;
    let tz = FixedOffset::east_opt(TEAM_OFFSET_SECS).expect("valid offset");
    Ok((now, now.with_timezone(&tz).date_naive()))
}

/// Set a date field the way the browser's picker does (WebKitGTK's date field does not take
/// typed keys over WebDriver): the value, then input and change events.
async fn set_date(app: &App, testid: &str, value: &str) -> Result {
    let set = app
        .js(
            "const el = [...document.querySelectorAll('[data-testid=\"' + arguments[0] + '\"]')].find(e => e.getClientRects().length);\
             if (!el) return false;\
             el.value = arguments[1];\
             el.dispatchEvent(new Event('input', { bubbles: true }));\
             el.dispatchEvent(new Event('change', { bubbles: true }));\
             return el.value === arguments[1];",
            vec![json!(testid), json!(value)],
        )
        .await?;
    ensure(
        set == Value::Bool(true),
        format!("could not set [data-testid={testid}] to {value}"),
    )
}

/// Setup a person could not do quickly here: a member of customer service (客服部, seeded by the
/// first-run setup) and her customer with a contact. Returns (customer id, her user id).
async fn set_up_customer_and_agent(app: &App) -> Result<(i64, i64)> {
    let depts = invoke(app, "departments_list", json!({})).await?;
    let cs = depts
        .as_array()
        .and_then(|a| a.iter().find(|d| d["code"] == "cs"))
        .map(|d| d["id"].clone())
        .ok_or_else(|| Failure(format!("no customer service department in {depts}")))?;
    let agent = invoke(
        app,
        "user_create",
        json!({"input": {"username": AGENT, "display_name": AGENT_NAME, "role": "staff", "title": "",
            "department_id": cs, "phone": "", "email": "", "password": PASSWORD}}),
    )
    .await?;
    let agent = agent["id"]
        .as_i64()
        .ok_or_else(|| Failure(format!("user_create answered {agent}")))?;
    let made = invoke(
        app,
        "customer_create",
        json!({"input": {"customer": {"name": CUSTOMER, "industry": "制造业", "owner_user_id": agent},
            "contacts": [{"name": "周强", "position": "设备主管", "mobile": "13900139000", "is_primary": true}]}}),
    )
    .await?;
    let customer = made["customer"]["id"]
        .as_i64()
        .or_else(|| made["id"].as_i64())
        .ok_or_else(|| Failure(format!("customer_create answered {made}")))?;
    Ok((customer, agent))
}

/// Open the pool (table) from the sidebar and wait for its rows.
async fn open_pool(app: &App) -> Result {
    app.click("nav-feedback").await?;
    app.wait_for("feedback-list").await?;
    app.wait_js(
        "the feedback list to load",
        "return !!document.querySelector('[data-testid=\"feedback-row\"], [data-testid=\"feedback-empty\"]');",
        vec![],
    )
    .await?;
    Ok(())
}

/// Log a complaint (服务质量类, important) through the intake form; returns its number.
async fn log_complaint(app: &App) -> Result<String> {
    app.click("feedback-new").await?;
    app.wait_for("feedback-intake").await?;
    app.type_into("intake-customer", "华东精工").await?;
    app.wait_for_text("intake-customer-options", CUSTOMER)
        .await?;
    app.click("intake-customer-option").await?;
    app.wait_for_text("intake-customer-picked", CUSTOMER)
        .await?;
    app.select("intake-channel", "phone_hotline").await?;
    app.select("intake-category", SERVICE_QUALITY).await?;
    // The category's definition is shown as a hint, and the complaint fields of table 3 appear.
    app.wait_for_text("intake-category-hint", "回复太慢")
        .await?;
    app.wait_for("intake-complaint-fields").await?;
    app.select("intake-priority", "important").await?;
    app.fill(&[
        ("intake-description", COMPLAINT),
        ("intake-impact", "产线停机两小时"),
        ("intake-expectation", "一周内彻底解决并赔偿停机损失"),
    ])
    .await?;
    app.click("intake-submit").await?;
    app.wait_gone("feedback-intake").await?;
    // The new item is at the top of the list.
    let number = app
        .wait_js(
            "the logged complaint in the list",
            "const r = [...document.querySelectorAll('[data-testid=\"feedback-row\"]')]\
               .find(r => r.textContent.includes(arguments[0]));\
             return r ? r.dataset.number : null;",
            vec![json!(COMPLAINT)],
        )
        .await?;
    number
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Failure(format!("the row has no number: {number}")))
}

/// Open an item's page from the list by clicking its number.
async fn open_item(app: &App, number: &str) -> Result {
    let clicked = app
        .js(
            "const r = document.querySelector('[data-testid=\"feedback-row\"][data-number=\"' + arguments[0] + '\"] [data-testid=\"feedback-row-link\"]');\
             if (!r) return false; r.click(); return true;",
            vec![json!(number)],
        )
        .await?;
    ensure(
        clicked == Value::Bool(true),
        format!("no row {number} in the list"),
    )?;
    app.wait_for_text("feedback-number", number).await?;
    Ok(())
}

/// Wait until the item page shows status `status`.
async fn wait_status(app: &App, status: &str) -> Result {
    app.wait_js(
        &format!("the item to show status {status}"),
        "const s = document.querySelector('[data-testid=\"feedback-status\"]');\
         return !!s && s.dataset.status === arguments[0];",
        vec![json!(status)],
    )
    .await?;
    Ok(())
}

/// The kinds of the item's history entries, newest first as shown.
async fn history_kinds(app: &App) -> Result<Value> {
    app.js(
        "return [...document.querySelectorAll('[data-testid=\"history-entry\"]')].map(e => e.dataset.kind);",
        vec![],
    )
    .await
}

/// Accept on the item page with an expected date.
async fn accept_on_page(app: &App, date: NaiveDate) -> Result {
    app.click("feedback-accept").await?;
    app.wait_for("accept-dialog").await?;
    set_date(app, "accept-date", &date.to_string()).await?;
    app.click("accept-submit").await?;
    app.wait_gone("accept-dialog").await?;
    wait_status(app, "in_progress").await
}

/// Request customer confirmation with the solution.
async fn request_confirmation(app: &App) -> Result {
    app.click("feedback-await").await?;
    app.wait_for("await-dialog").await?;
    app.type_into("await-solution", SOLUTION).await?;
    app.click("await-submit").await
}

/// A complaint from the hotline to closed: logged through the intake (under 30 s of typing),
/// routed to 客服部 by the rules (on screen), bulk-assigned from the list to 李娜 (a selection
/// with an R&D item is refused as a whole, naming that item), accepted by her from the kanban
/// board with the keyboard ("move to…" menu), brought to the customer for confirmation, closed
/// with its root cause; the satisfaction call-back task is on her task list.
pub async fn feedback_complaint_to_closed(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let (customer, agent) = set_up_customer_and_agent(&app).await?;
    // A product problem already in the pool (set up, not under test): it goes to R&D.
    let rnd_item = invoke(
        &app,
        "feedback_create",
        json!({"input": {"customer_id": customer, "channel": "email", "category_id": PRODUCT_FUNCTION,
            "priority": "normal", "description": "导出报表时程序报错"}}),
    )
    .await?;
    let rnd_number = rnd_item["item"]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // The hotline operator (the admin here) logs the complaint.
    open_pool(&app).await?;
    let number = log_complaint(&app).await?;

    // Routed automatically: the item page names 客服部 as the lead, nobody assigned yet.
    open_item(&app, &number).await?;
    app.wait_for_text("feedback-lead", "客服部").await?;
    app.wait_for_text("feedback-assignee", "未分派").await?;
    app.wait_for_text("feedback-customer", CUSTOMER).await?;
    app.wait_for_text("feedback-impact", "产线停机").await?;
    let kinds = history_kinds(&app).await?;
    ensure(
        kinds == json!(["created", "departments"]),
        format!("a new item's history (logged, then routed): {kinds}"),
    )?;
    app.screenshot("detail-new").await?;

    // Bulk assign from the list: select the page (both items) → refused as a whole, naming the
    // R&D item, which 李娜 (customer service) cannot take.
    app.click("feedback-back").await?;
    app.wait_for("feedback-table").await?;
    app.click("feedback-select-all").await?;
    app.wait_for_text("feedback-bulk-count", "已选 2 条")
        .await?;
    app.select("feedback-bulk-assignee", &agent.to_string())
        .await?;
    app.click("feedback-bulk-assign").await?;
    let error = app
        .wait_for_text("feedback-bulk-error", &rnd_number)
        .await?;
    ensure(
        error.contains("未分派任何一条") && error.contains("请选择处理部门中一位启用的成员"),
        format!("the bulk error says: {error:?}"),
    )?;
    app.screenshot("bulk-refused").await?;
    let unassigned = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"feedback-row\"]')].every(r => r.textContent.includes('未分派'));",
            vec![],
        )
        .await?;
    ensure(
        unassigned == Value::Bool(true),
        "a refused bulk assign left an item assigned",
    )?;
    // Untick the R&D row with the keyboard (Space on the focused row) and assign the rest.
    app.js(
        "document.querySelector('[data-testid=\"feedback-row\"][data-number=\"' + arguments[0] + '\"]').focus(); return true;",
        vec![json!(rnd_number)],
    )
    .await?;
    app.client().active_element().await?.send_keys(" ").await?;
    app.wait_for_text("feedback-bulk-count", "已选 1 条")
        .await?;
    app.select("feedback-bulk-assignee", &agent.to_string())
        .await?;
    app.click("feedback-bulk-assign").await?;
    app.wait_gone("feedback-bulk-bar").await?;
    app.wait_js(
        "the complaint's row to show 李娜",
        "const r = document.querySelector('[data-testid=\"feedback-row\"][data-number=\"' + arguments[0] + '\"]');\
         return !!r && r.textContent.includes(arguments[1]);",
        vec![json!(number), json!(AGENT_NAME)],
    )
    .await?;
    app.screenshot("list").await?;

    // 李娜 finds it in her queue and accepts it from the board without a mouse.
    log_out(&app).await?;
    log_in(&app, AGENT, PASSWORD).await?;
    app.wait_for("shell").await?;
    open_pool(&app).await?;
    app.click("feedback-tab-mine").await?;
    app.wait_js(
        "my queue to hold just the complaint",
        "const rows = [...document.querySelectorAll('[data-testid=\"feedback-row\"]')];\
         return rows.length === 1 && rows[0].dataset.number === arguments[0];",
        vec![json!(number)],
    )
    .await?;
    app.click("feedback-view-kanban").await?;
    app.wait_for("feedback-kanban").await?;
    let card = format!("[data-testid=\"kanban-card\"][data-number=\"{number}\"]");
    app.wait_js(
        "the card in the new column",
        "return !!document.querySelector('[data-testid=\"kanban-column\"][data-status=\"new\"] ' + arguments[0]);",
        vec![json!(card)],
    )
    .await?;
    app.js(
        "document.querySelector(arguments[0]).focus(); return true;",
        vec![json!(card)],
    )
    .await?;
    app.client().active_element().await?.send_keys("m").await?;
    app.wait_for("kanban-move-menu").await?;
    let offered = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"kanban-move-option\"]')].map(o => o.dataset.status);",
            vec![],
        )
        .await?;
    ensure(
        offered == json!(["in_progress"]),
        format!("a new item may move to: {offered}"),
    )?;
    // The focused option is the first; Enter chooses it, opening the same accept dialog as a
    // drag or the button.
    let focused = app.client().active_element().await?;
    focused.send_keys(&Key::Enter.to_string()).await?;
    app.wait_for("accept-dialog").await?;
    let (_, today) = app_today(&app).await?;
    // First without a date: the core refuses, the message shows in the dialog.
    app.click("accept-submit").await?;
    app.wait_for_text("accept-dialog", "受理时必须填写预计解决日期")
        .await?;
    set_date(
        &app,
        "accept-date",
        &(today + Duration::days(3)).to_string(),
    )
    .await?;
    app.click("accept-submit").await?;
    app.wait_gone("accept-dialog").await?;
    app.wait_js(
        "the card in the in-progress column",
        "return !!document.querySelector('[data-testid=\"kanban-column\"][data-status=\"in_progress\"] ' + arguments[0]);",
        vec![json!(card)],
    )
    .await?;
    app.screenshot("kanban").await?;

    // On the item page: a call to the customer (first response), then awaiting confirmation.
    app.click("feedback-view-list").await?;
    app.wait_for("feedback-table").await?;
    open_item(&app, &number).await?;
    app.wait_for_text("feedback-assignee", AGENT_NAME).await?;
    app.click("feedback-respond").await?;
    app.wait_for("response-dialog").await?;
    app.type_into("response-text", "已致电周强，说明处理方案，明天上门")
        .await?;
    app.click("response-submit").await?;
    app.wait_gone("response-dialog").await?;
    app.wait_js(
        "the first response time on the page",
        "const d = document.querySelector('[data-testid=\"feedback-responded-at\"]');\
         return !!d && /\\d/.test(d.textContent);",
        vec![],
    )
    .await?;
    request_confirmation(&app).await?;
    app.wait_gone("await-dialog").await?;
    wait_status(&app, "awaiting_customer").await?;
    app.wait_for_text("feedback-solution", SOLUTION).await?;
    app.wait_for_text("feedback-customer", CUSTOMER).await?;

    // The customer confirms: close with the root cause; the call-back task is created.
    app.click("feedback-close").await?;
    app.wait_for("close-dialog").await?;
    app.type_into("close-root-cause", ROOT_CAUSE).await?;
    app.click("close-submit").await?;
    app.wait_gone("close-dialog").await?;
    wait_status(&app, "closed").await?;
    app.wait_for_text("toast", "满意度回访").await?;
    app.wait_for_nonempty_text("feedback-callback-due").await?;
    app.wait_for_text("feedback-root-cause", ROOT_CAUSE).await?;
    let kinds = history_kinds(&app).await?;
    for k in ["created", "assigned", "status", "responded"] {
        ensure(
            kinds.as_array().is_some_and(|a| a.iter().any(|x| x == k)),
            format!("the history lacks {k}: {kinds}"),
        )?;
    }
    app.screenshot("detail").await?;

    // Her task list: the satisfaction call-back for this item, due within a week.
    go(&app, "#/interactions/tasks").await?;
    app.wait_for("task-list").await?;
    let row = app
        .wait_for_text("task-list", &format!("满意度回访：{number}"))
        .await?;
    ensure(
        !row.is_empty(),
        "the call-back task is not on the task list",
    )?;
    app.screenshot("callback-task").await?;

    // The call to the customer is on the customer's timeline, linked to the item.
    go(&app, &format!("#/customers/{customer}")).await?;
    app.wait_for_text("timeline-subject", &format!("{number} 反馈回复"))
        .await?;
    app.quit().await
}

/// An accepted item whose expected date is more than three days past (the test build's clock
/// moved on): any progress is refused with the translated message, the delay dialog opens; with
/// a reason and a new date the step goes through, and the explanation stays in the history.
pub async fn feedback_delay_explanation(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    set_up_customer_and_agent(&app).await?;
    open_pool(&app).await?;
    let number = log_complaint(&app).await?;
    open_item(&app, &number).await?;
    let (_, today) = app_today(&app).await?;
    let promised = today + Duration::days(1);
    accept_on_page(&app, promised).await?;
    app.wait_for("feedback-expected-date").await?;

    // Five days later (by the test build's clock, never by waiting): four days past the promise.
    invoke(
        &app,
        "test_clock_advance",
        json!({"seconds": 5 * 24 * 3600}),
    )
    .await?;
    let (_, later) = app_today(&app).await?;
    ensure(
        later - promised > Duration::days(3),
        format!("the clock reads {later}, promised {promised}"),
    )?;
    app.click("feedback-back").await?;
    app.wait_for("feedback-table").await?;
    open_item(&app, &number).await?;
    let notice = app.wait_for("feedback-delay-notice").await?;
    ensure(
        notice.contains("请先填写延迟说明"),
        format!("the notice says {notice:?}"),
    )?;

    // Progress is refused: the translated message shows and the delay dialog opens.
    request_confirmation(&app).await?;
    app.wait_for_text("toast", "已超过预计解决日期 3 天以上")
        .await?;
    app.wait_for("delay-dialog").await?;
    app.screenshot("refused").await?;
    wait_status(&app, "in_progress").await?;

    // The explanation: a reason and a new date.
    let new_date = later + Duration::days(4);
    app.type_into("delay-reason", "备件需从德国原厂调货，到货延迟")
        .await?;
    set_date(&app, "delay-date", &new_date.to_string()).await?;
    app.click("delay-submit").await?;
    app.wait_gone("delay-dialog").await?;
    app.wait_gone("feedback-delay-notice").await?;
    app.wait_for_text("feedback-history", "备件需从德国原厂调货")
        .await?;

    // Now the same step goes through; the explanation stays in the history.
    request_confirmation(&app).await?;
    app.wait_gone("await-dialog").await?;
    wait_status(&app, "awaiting_customer").await?;
    let kinds = history_kinds(&app).await?;
    ensure(
        kinds
            .as_array()
            .is_some_and(|a| a.iter().any(|k| k == "delay_explained")),
        format!("the history lacks the delay explanation: {kinds}"),
    )?;
    app.wait_for_text("feedback-history", "备件需从德国原厂调货")
        .await?;
    app.screenshot("explained").await?;
    app.quit().await
}
