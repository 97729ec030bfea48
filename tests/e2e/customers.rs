//! Customers in the real app: a key-field change by staff goes through the department head's
//! approval and shows in the history; an import with bad rows shows them by row number and
//! writes nothing; the global search finds a customer by two Chinese characters and by pinyin
//! initials, and opens it from the keyboard. Screenshots of the list (column chooser, bulk bar)
//! and of the detail page are taken on the way.

use crate::common::{invoke, log_in, log_out, set_up_team};
use fantoccini::Locator;
use fantoccini::key::Key;
use rapport_e2e::{App, Ctx, Failure, Result, ensure};
use serde_json::{Value, json};

/// The head of the department that approves.
const HEAD: &str = "chenjl";
/// The staff member who owns the customer.
const STAFF: &str = "liuxs";
/// Their password (both).
const USER_PASSWORD: &str = "Team-pass-2026";
/// The customer the scenarios create.
const CUSTOMER: &str = "华东精密机械有限公司";

/// Type into the field `testid` inside the `n`-th (0-based) element `container`.
async fn type_in_nth(app: &App, container: &str, n: usize, testid: &str, text: &str) -> Result {
    app.wait_for(container).await?;
    let rows = app
        .client()
        .find_all(Locator::Css(&format!("[data-testid=\"{container}\"]")))
        .await?;
    let row = rows
        .get(n)
        .ok_or_else(|| Failure(format!("no {container} number {n}")))?;
    let field = row
        .find(Locator::Css(&format!("[data-testid=\"{testid}\"]")))
        .await?;
    field.clear().await?;
    field.send_keys(text).await?;
    let value = field.prop("value").await?.unwrap_or_default();
    ensure(
        value == text,
        format!("typed {text:?} into {container}[{n}] {testid} but it holds {value:?}"),
    )
}

/// Count the visible elements with this testid whose `data-<attr>` is `value`.
async fn count_with(app: &App, testid: &str, attr: &str, value: &str) -> Result<u64> {
    let n = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"' + arguments[0] + '\"]')]\
               .filter((e) => e.getClientRects().length && e.dataset[arguments[1]] === arguments[2]).length;",
            vec![json!(testid), json!(attr), json!(value)],
        )
        .await?;
    Ok(n.as_u64().unwrap_or(0))
}

/// Wait until at least one visible element `testid` has `data-<attr>` = `value`.
async fn wait_with(app: &App, testid: &str, attr: &str, value: &str) -> Result<Value> {
    app.wait_js(
        &format!("[data-testid={testid}] with data-{attr}={value:?}"),
        "return [...document.querySelectorAll('[data-testid=\"' + arguments[0] + '\"]')]\
           .some((e) => e.getClientRects().length && e.dataset[arguments[1]] === arguments[2]) || null;",
        vec![json!(testid), json!(attr), json!(value)],
    )
    .await
}

/// Press a key on whatever has the keyboard focus (the virtual list may replace the focused
/// row's node between finding it and typing: then look it up again).
async fn press_on_focused(app: &App, key: Key) -> Result {
    let mut last = String::new();
    for _ in 0..5 {
        let el = app.client().active_element().await?;
        match el.send_keys(&key.to_string()).await {
            Ok(()) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Err(Failure(format!(
        "cannot press {key:?} on the focused element: {last}"
    )))
}

/// Tick or untick the `n`-th row's box until the bulk bar counts `expected` (the virtual list
/// replaces its rows in the click handler, so WebDriver may report an error for a click that
/// did land, or find a box that is gone by the time it clicks).
async fn tick_row(app: &App, n: usize, expected: usize) -> Result {
    let counted = "const c = document.querySelector('[data-testid=\"bulk-count\"]');\
                   return c ? c.textContent : '';";
    for _ in 0..5 {
        let all = app
            .client()
            .find_all(Locator::Css("[data-testid=\"customer-row-check\"]"))
            .await?;
        if let Some(el) = all.get(n) {
            let _ = el.click().await;
        }
        for _ in 0..10 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            let text = app.js(counted, vec![]).await?;
            let text = text.as_str().unwrap_or_default();
            if text.contains(&expected.to_string()) {
                return Ok(());
            }
        }
    }
    Err(Failure(format!(
        "ticking row {n} did not make the count {expected}"
    )))
}

/// Admin setup through the commands: a department with a head and a staff member.
async fn set_up_department(app: &App) -> Result {
    let dept = invoke(
        app,
        "department_save",
        json!({"id": null, "input": {"code": "east", "name": "华东销售部", "head_user_id": null,
            "archived": false}}),
    )
    .await?;
    let user = |username: &str, name: &str, role: &str| {
        json!({"input": {"username": username, "display_name": name, "role": role, "title": "",
            "department_id": dept["id"], "phone": "", "email": "", "password": USER_PASSWORD}})
    };
    let head = invoke(app, "user_create", user(HEAD, "陈经理", "head")).await?;
    invoke(app, "user_create", user(STAFF, "刘销售", "staff")).await?;
    invoke(
        app,
        "department_save",
        json!({"id": dept["id"], "input": {"code": "east", "name": "华东销售部",
            "head_user_id": head["id"], "archived": false}}),
    )
    .await?;
    Ok(())
}

/// Open the customer list from the sidebar.
async fn open_list(app: &App) -> Result {
    app.click("nav-customers").await?;
    app.wait_for("customer-list").await?;
    app.wait_js(
        "the customer list to load",
        "return !!document.querySelector('[data-testid=\"customer-table\"] [data-testid=\"customer-row\"], [data-testid=\"customer-empty\"]');",
        vec![],
    )
    .await?;
    Ok(())
}

/// Staff create a customer with two contacts through the form, then raise its annual amount:
/// a change request appears instead of the new amount. The department head approves it with a
/// comment, and the history shows the approved change with its request.
pub async fn customers_change_approval(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    set_up_department(&app).await?;
    log_out(&app).await?;

    // Staff: a new customer with two contacts.
    log_in(&app, STAFF, USER_PASSWORD).await?;
    app.wait_for("shell").await?;
    open_list(&app).await?;
    app.click("customer-new").await?;
    app.wait_for("customer-dialog").await?;
    app.fill(&[
        ("customer-name", CUSTOMER),
        ("customer-amount", "120000"),
        ("customer-industry", "制造业"),
    ])
    .await?;
    app.select("customer-stage", "signed").await?;
    app.select("customer-tier", "A").await?;
    type_in_nth(&app, "contact-row", 0, "contact-name", "张伟").await?;
    type_in_nth(&app, "contact-row", 0, "contact-position", "采购经理").await?;
    type_in_nth(&app, "contact-row", 0, "contact-mobile", "138 0013 8000").await?;
    app.click("contact-add").await?;
    type_in_nth(&app, "contact-row", 1, "contact-name", "李娜").await?;
    type_in_nth(&app, "contact-row", 1, "contact-email", "lina@huadong.cn").await?;
    app.click("customer-save").await?;
    app.wait_for("customer-detail").await?;
    app.wait_for_text("customer-name-title", CUSTOMER).await?;
    app.wait_for_text("customer-amount-value", "120,000")
        .await?;
    let contacts = count_with(&app, "customer-contact", "primary", "true").await?
        + count_with(&app, "customer-contact", "primary", "false").await?;
    ensure(
        contacts == 2,
        format!("{contacts} contacts shown, expected 2"),
    )?;

    // Raise the annual amount: a key field, so a request is filed and the amount stays.
    app.click("customer-edit").await?;
    app.wait_for("customer-dialog").await?;
    app.fill(&[
        ("customer-amount", "150000"),
        ("customer-reason", "客户追加二期设备采购"),
    ])
    .await?;
    app.click("customer-save").await?;
    app.wait_gone("customer-dialog").await?;
    wait_with(&app, "change-request", "field", "annual_amount").await?;
    app.wait_for_text("customer-amount-value", "120,000")
        .await?;
    ensure(
        !app.is_visible("change-approve").await?,
        "staff are offered the approve button",
    )?;
    app.screenshot("requested").await?;
    log_out(&app).await?;

    // The head approves it with a comment.
    log_in(&app, HEAD, USER_PASSWORD).await?;
    app.wait_for("shell").await?;
    open_list(&app).await?;
    app.click("customer-row-link").await?;
    app.wait_for("customer-detail").await?;
    wait_with(&app, "change-request", "field", "annual_amount").await?;
    app.type_into("change-comment", "同意，合同已核对").await?;
    app.click("change-approve").await?;
    app.wait_gone("change-request").await?;
    app.wait_for_text("customer-amount-value", "150,000")
        .await?;
    wait_with(&app, "history-row", "kind", "approved").await?;
    let via = app
        .js(
            "const r = [...document.querySelectorAll('[data-testid=\"history-row\"]')]\
               .find((e) => e.dataset.kind === 'approved' && e.dataset.field === 'annual_amount');\
             return r ? r.textContent : null;",
            vec![],
        )
        .await?;
    let via = via.as_str().unwrap_or_default();
    ensure(
        via.contains("150,000") && via.contains("120,000"),
        format!("the approved history row does not show old → new: {via:?}"),
    )?;
    ensure(
        count_with(&app, "history-row", "kind", "requested").await? == 1,
        "the request itself is not in the history",
    )?;
    if app.is_visible("toast-close").await? {
        app.click("toast-close").await?;
        app.wait_gone("toast").await?;
    }
    app.screenshot("customer-detail").await?;
    log_out(&app).await?;
    app.quit().await
}

/// A GBK-encoded CSV (as Excel saves it in China) with a bad mobile and a row without a name:
/// the preview lists both errors with their spreadsheet row numbers, the import cannot be
/// applied (all or nothing), and nothing is written.
pub async fn customers_import_bad_rows(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    open_list(&app).await?;
    app.wait_for("customer-empty").await?;
    app.click("customer-import").await?;
    app.wait_for("customer-import-dialog").await?;
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("customers-bad-rows-gbk.csv");
    // The file input is hidden behind its label, as usual; WebDriver hands it the file.
    let input = app
        .client()
        .find(Locator::Css("[data-testid=\"import-file\"]"))
        .await?;
    let path = fixture.display().to_string();
    if input.send_keys(&path).await.is_err() {
        // Some drivers refuse a hidden file input: show it (as the label's click would) and retry.
        app.js(
            "document.querySelector('[data-testid=\"import-file\"]').classList.remove('visually-hidden'); return true;",
            vec![],
        )
        .await?;
        input
            .send_keys(&path)
            .await
            .map_err(|e| Failure(format!("cannot choose the import file: {e}")))?;
    }
    app.wait_for_text("import-file-name", "customers-bad-rows-gbk.csv")
        .await?;
    app.wait_for("import-preview").await?;
    wait_with(&app, "import-row-error", "row", "3").await?;
    wait_with(&app, "import-row-error", "row", "4").await?;
    for good in ["2", "5"] {
        ensure(
            count_with(&app, "import-row-error", "row", good).await? == 0,
            format!("row {good} is good but shows an error"),
        )?;
    }
    // Decoded from GBK: the good rows' Chinese names are in the preview.
    app.wait_for_text("import-preview", "东方纺织有限公司")
        .await?;
    app.wait_for_text("import-preview", "西山茶业").await?;
    let disabled = app
        .js(
            "return document.querySelector('[data-testid=\"import-apply\"]').disabled;",
            vec![],
        )
        .await?;
    ensure(
        disabled == json!(true),
        "the import can be applied despite row errors",
    )?;
    app.screenshot("import-errors").await?;
    app.click("import-cancel").await?;
    app.wait_gone("customer-import-dialog").await?;
    // Nothing was written.
    app.wait_for("customer-empty").await?;
    let page = invoke(&app, "customers_list", json!({"query": {}})).await?;
    ensure(
        page["total"] == json!(0),
        format!("customers were written: {page}"),
    )?;
    app.quit().await
}

/// The global search finds a customer by two Chinese characters and by pinyin initials;
/// the arrow keys and Enter open it. On the way, the list with the column chooser and the bulk
/// bar is photographed.
pub async fn customers_search(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    // Data to search in (created through the commands the form uses).
    let rows = [
        (
            CUSTOMER,
            "制造业",
            "signed",
            "A",
            12_000_000,
            "张伟",
            "13800138000",
        ),
        (
            "中山集团有限公司",
            "制造业",
            "strategic",
            "A",
            58_000_000,
            "王芳",
            "13900139000",
        ),
        (
            "青禾软件",
            "信息技术",
            "potential",
            "C",
            0,
            "李娜",
            "13700137000",
        ),
        (
            "北辰物流股份有限公司",
            "物流业",
            "signed",
            "B",
            3_600_000,
            "赵敏",
            "13600136000",
        ),
    ];
    let mut target = 0;
    for (name, industry, stage, tier, amount, contact, mobile) in rows {
        let made = invoke(
            &app,
            "customer_create",
            json!({"input": {"customer": {"name": name, "industry": industry, "stage": stage,
                "tier": tier, "annual_amount": amount}, "contacts": [{"name": contact,
                "mobile": mobile, "is_primary": true}], "tags": ["华东"]}}),
        )
        .await?;
        if name == CUSTOMER {
            target = made["customer"]["id"].as_i64().unwrap_or_default();
        }
    }

    // The list: choose a column, tick two rows, see the bulk bar.
    open_list(&app).await?;
    app.wait_for_text("customer-count", "4").await?;
    app.click("customer-columns").await?;
    app.wait_for("columns-dialog").await?;
    let toggle = app
        .client()
        .find(Locator::Css(
            "[data-testid=\"column-toggle\"][data-column=\"department\"]",
        ))
        .await?;
    toggle.click().await?;
    app.screenshot("columns").await?;
    app.click("columns-apply").await?;
    app.wait_gone("columns-dialog").await?;
    // Tick two rows; rows are re-rendered after each tick, so the boxes are looked up again.
    for i in 0..2 {
        let checks = app
            .client()
            .find_all(Locator::Css("[data-testid=\"customer-row-check\"]"))
            .await?;
        ensure(
            checks.len() == 4,
            format!("{} row checkboxes", checks.len()),
        )?;
        checks[i].click().await?;
    }
    app.wait_for_text("bulk-count", "2").await?;
    app.wait_for("customer-bulk-bar").await?;
    app.screenshot("customers-list").await?;
    app.click("bulk-clear").await?;
    app.wait_gone("customer-bulk-bar").await?;

    // Two Chinese characters.
    let search = app.find("global-search").await?;
    search.click().await?;
    search.send_keys("精密").await?;
    wait_with(&app, "search-result", "id", &target.to_string()).await?;
    app.screenshot("search-chinese").await?;
    // The list under the open pop-up stops scrolling (it is then drawn with the page, not as a
    // layer of its own under the pop-up).
    let overflow = app
        .js(
            "return getComputedStyle(document.querySelector('[data-testid=\"customer-scroll\"]')).overflowY;",
            vec![],
        )
        .await?;
    ensure(
        overflow == json!("hidden"),
        format!("the list under the open search scrolls ({overflow})"),
    )?;
    // Pinyin initials of 华东精密 (hdjm), then ↓ and Enter open it.
    app.type_into("global-search", "hdjm").await?;
    wait_with(&app, "search-result", "id", &target.to_string()).await?;
    let first_is_target = app
        .js(
            "const r = document.querySelector('[data-testid=\"search-result\"]');\
             return r ? r.dataset.id : null;",
            vec![],
        )
        .await?;
    ensure(
        first_is_target == json!(target.to_string()),
        format!("the first result is {first_is_target}, expected the customer {target}"),
    )?;
    app.screenshot("search-initials").await?;
    let search = app.find("global-search").await?;
    search.send_keys(&Key::Down.to_string()).await?;
    app.wait_js(
        "the first search result to be the active one",
        "const r = document.querySelector('[data-testid=\"search-result\"]');\
         return !!r && r.getAttribute('aria-selected') === 'true';",
        vec![],
    )
    .await?;
    search.send_keys(&Key::Enter.to_string()).await?;
    app.wait_for("customer-detail").await?;
    app.wait_for_text("customer-name-title", CUSTOMER).await?;
    ensure(
        !app.is_visible("search-results").await?,
        "the search results stay open after opening the customer",
    )?;
    ensure(
        app.js(
            "return document.body.classList.contains('search-open');",
            vec![],
        )
        .await?
            == json!(false),
        "the page still counts the search as open after it closed",
    )?;
    app.quit().await
}

/// A thousand customers (brought in through the import commands) to page through.
fn thousand_customers_csv() -> String {
    const CITIES: [&str; 10] = [
        "上海", "杭州", "苏州", "南京", "宁波", "合肥", "无锡", "常州", "嘉兴", "绍兴",
    ];
    const WORDS: [&str; 10] = [
        "精工", "纺织", "物流", "医药", "电子", "食品", "建材", "船舶", "环保", "软件",
    ];
    const SUFFIX: [&str; 4] = ["有限公司", "股份有限公司", "集团", "科技有限公司"];
    const INDUSTRY: [&str; 5] = ["制造业", "零售业", "物流业", "医药", "信息技术"];
    const STAGE: [&str; 4] = ["潜在客户", "签约客户", "战略合作伙伴", "签约客户"];
    const PEOPLE: [&str; 8] = [
        "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "周婷",
    ];
    let mut csv =
        String::from("客户名称,所属行业,合作阶段,客户等级,年合同额,对接人姓名,手机,客户标签\n");
    for i in 0..1000usize {
        csv.push_str(&format!(
            "{}{}{}{},{},{},C,{},{},139{:08},{}\n",
            CITIES[i % 10],
            WORDS[(i * 7 / 10) % 10],
            ["", "华", "恒", "瑞", "盛", "达", "信", "丰", "泰", "安"][(i / 100) % 10],
            SUFFIX[(i / 3) % 4],
            INDUSTRY[i % 5],
            STAGE[i % 4],
            (i * 7919) % 2_000_000,
            PEOPLE[i % 8],
            10_000_000 + i,
            if i % 3 == 0 { "重点" } else { "华东" },
        ));
    }
    csv
}

/// The list's own tools on 1000 customers: only the rows in view are rendered and scrolling
/// fetches the rest; the keyboard reaches the last row; two ticked rows change tier in one bulk
/// action with a summary; the result is saved as a view, which applies again after the filters
/// are cleared, and is deleted after confirmation.
pub async fn customers_list_tools(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let data = app
        .js(
            "const b = new TextEncoder().encode(arguments[0]); let s = '';\
             for (let i = 0; i < b.length; i += 1) s += String.fromCharCode(b[i]);\
             return btoa(s);",
            vec![json!(thousand_customers_csv())],
        )
        .await?;
    let preview = invoke(
        &app,
        "customer_import_preview",
        json!({"data": data, "filename": "customers.csv"}),
    )
    .await?;
    let report = invoke(
        &app,
        "customer_import_apply",
        json!({"data": data, "filename": "customers.csv", "mapping": preview["mapping"],
            "policy": "create"}),
    )
    .await?;
    ensure(
        report["created"] == json!(1000),
        format!("import: {report}"),
    )?;

    open_list(&app).await?;
    app.wait_for_text("customer-count", "1,000").await?;
    let rendered = app
        .js(
            "return document.querySelectorAll('[data-testid=\"customer-row\"]').length;",
            vec![],
        )
        .await?
        .as_u64()
        .unwrap_or(0);
    ensure(
        rendered > 5 && rendered < 80,
        format!("{rendered} rows in the page for 1000 customers: not virtualised"),
    )?;

    // Scroll to the end: the last page is fetched and its rows rendered.
    app.js(
        "const s = document.querySelector('[data-testid=\"customer-scroll\"]'); s.scrollTop = s.scrollHeight; return true;",
        vec![],
    )
    .await?;
    wait_with(&app, "customer-row", "index", "999").await?;
    // Home from a row goes back to the first row (and focuses it); ↓ moves on.
    app.wait_js(
        "the last rows to finish loading",
        "return !document.querySelector('.cu-row.is-loading') && \
           !!document.querySelector('[data-testid=\"customer-row\"][data-index=\"999\"]');",
        vec![],
    )
    .await?;
    app.js(
        "document.querySelector('[data-testid=\"customer-row\"][data-index=\"999\"]').focus(); return true;",
        vec![],
    )
    .await?;
    press_on_focused(&app, Key::Home).await?;
    app.wait_js(
        "the first row to be focused after Home",
        "const a = document.activeElement; return !!a && a.dataset.index === '0';",
        vec![],
    )
    .await?;
    press_on_focused(&app, Key::Down).await?;
    app.wait_js(
        "the second row to be focused after ↓",
        "const a = document.activeElement; return !!a && a.dataset.index === '1';",
        vec![],
    )
    .await?;

    // Tick three rows: the bulk bar; photograph the list for the README.
    for i in 0..3 {
        tick_row(&app, i, i + 1).await?;
    }
    app.screenshot("customers-list").await?;
    // Untick the third; change the tier of the other two.
    tick_row(&app, 2, 2).await?;
    app.wait_for_text("bulk-count", "2").await?;
    app.click("bulk-tier").await?;
    app.wait_for("bulk-dialog").await?;
    app.select("bulk-tier-select", "A").await?;
    app.screenshot("bulk-dialog").await?;
    app.click("bulk-save").await?;
    app.wait_for("bulk-summary").await?;
    wait_with(&app, "bulk-summary-applied", "n", "2").await?;
    wait_with(&app, "bulk-summary-requested", "n", "0").await?;
    app.screenshot("bulk-summary").await?;
    app.click("bulk-summary-close").await?;
    app.wait_gone("bulk-summary").await?;

    // Filter tier A: the two. Save that as a view.
    app.select("customer-filter-tier", "A").await?;
    app.wait_for_text("customer-count", "2").await?;
    app.click("customer-view-save").await?;
    app.wait_for("view-dialog").await?;
    app.type_into("view-name", "A 级客户").await?;
    app.click("view-save").await?;
    app.wait_gone("view-dialog").await?;
    app.wait_for("customer-view-delete").await?;
    // Clear the filters: all again; apply the view: the two again.
    app.click("customer-filter-reset").await?;
    app.wait_for_text("customer-count", "1,000").await?;
    let views = invoke(&app, "customer_views_list", json!({})).await?;
    let view_id = views[0]["id"].to_string();
    app.select("customer-view-select", &view_id).await?;
    app.wait_js(
        "the saved view to show its two customers",
        "const c = document.querySelector('[data-testid=\"customer-count\"]');\
         return !!c && /\\b2\\b/.test(c.textContent) && !c.textContent.includes('1,000');",
        vec![],
    )
    .await?;
    // Delete it, after confirming.
    app.click("customer-view-delete").await?;
    app.wait_for("dialog-confirm").await?;
    app.click("dialog-confirm").await?;
    app.wait_gone("customer-view-delete").await?;
    let views = invoke(&app, "customer_views_list", json!({})).await?;
    ensure(
        views == json!([]),
        format!("the view is still there: {views}"),
    )?;
    app.quit().await
}
