//! Insight: the dashboard on a little data made through the app's commands (two customers,
//! two pieces of feedback, four survey answers): the charts are drawn (pixels on every canvas),
//! the figures on screen are the hand-computed ones, and a click on a bar opens the feedback
//! list with the matching filter; the monthly complaint analysis, the filtered feedback list
//! (table 3) and the interaction list filtered to call-backs (table 2) export XLSX files a
//! spreadsheet reader opens with the right rows.

use crate::common::{go, invoke, set_up_team};
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use rapport_e2e::{App, Ctx, Failure, Result, ensure};
use serde_json::{Value, json};

/// The complaint sub-category "service quality" and the inquiry sub-category "product usage"
/// (seeded by migration 0005).
const SERVICE_QUALITY: i64 = 11;
const PRODUCT_USAGE: i64 = 31;
/// The top-level category "complaint".
const COMPLAINT: i64 = 1;

async fn customer(app: &App, name: &str, stage: &str, tier: &str) -> Result<i64> {
    let made = invoke(
        app,
        "customer_create",
        json!({"input": {"customer": {"name": name, "industry": "制造业", "stage": stage, "tier": tier}}}),
    )
    .await?;
    made["customer"]["id"]
        .as_i64()
        .or_else(|| made["id"].as_i64())
        .ok_or_else(|| Failure(format!("customer_create answered {made}")))
}

async fn answer(app: &App, customer: i64, kind: &str, score: i64) -> Result {
    invoke(
        app,
        "survey_record",
        json!({"input": {"customer_id": customer, "kind": kind, "score": score, "comment": ""}}),
    )
    .await?;
    Ok(())
}

async fn feedback(app: &App, customer: i64, category: i64, channel: &str, text: &str) -> Result {
    invoke(
        app,
        "feedback_create",
        json!({"input": {"customer_id": customer, "channel": channel, "category_id": category,
            "priority": "normal", "description": text}}),
    )
    .await?;
    Ok(())
}

/// How many pixels of a canvas are painted (not fully transparent).
async fn painted(app: &App, testid: &str) -> Result<i64> {
    let n = app
        .js(
            "const c = document.querySelector('[data-testid=\"' + arguments[0] + '\"]');\
             if (!c || !c.width || !c.height) return -1;\
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;\
             let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;\
             return n;",
            vec![json!(testid)],
        )
        .await?;
    Ok(n.as_i64().unwrap_or(-1))
}

/// The drawn bars or slices of a chart: `[{d, i, x, y, v}]` (see screens/insight/charts.js).
async fn hits(app: &App, testid: &str) -> Result<Vec<Value>> {
    let v = app
        .wait_js(
            &format!("the drawn bars of {testid}"),
            "const c = document.querySelector('[data-testid=\"' + arguments[0] + '\"]');\
             const h = c && c.dataset.hits ? JSON.parse(c.dataset.hits) : [];\
             return h.length ? h : null;",
            vec![json!(testid)],
        )
        .await?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

/// The dashboard of a new team with a little data matches the hand-computed figures, draws its
/// charts, and a click on the complaint bar opens the feedback list filtered to complaints.
pub async fn insight_dashboard(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;

    // Two customers, NPS 10 and 4 (one promoter, one detractor: NPS 0), CSAT 5 and 3 (one of
    // two good: 50 %), one complaint and one inquiry.
    let a = customer(&app, "远航科技有限公司", "signed", "A").await?;
    let b = customer(&app, "长风物流有限公司", "potential", "C").await?;
    answer(&app, a, "nps", 10).await?;
    answer(&app, a, "csat", 5).await?;
    answer(&app, b, "nps", 4).await?;
    answer(&app, b, "csat", 3).await?;
    feedback(&app, a, SERVICE_QUALITY, "phone_hotline", "客服回复太慢").await?;
    feedback(&app, b, PRODUCT_USAGE, "email", "如何导出报表").await?;

    app.js("location.hash = '#/reports'; return true;", vec![])
        .await?;
    app.wait_for("insight-page").await?;
    app.wait_for_text("insight-kpi-nps", "0 (n=2)").await?;
    app.wait_for_text("insight-kpi-csat", "50% (1/2)").await?;
    app.wait_for_text("insight-kpi-feedback", "2").await?;
    app.wait_for_text("insight-kpi-overdue", "0").await?;
    app.wait_for_text("insight-top3", "100% (1/1)").await?;

    // Every chart is drawn, and each has bars or slices where there is data.
    for chart in [
        "insight-chart-nps",
        "insight-chart-csat",
        "insight-chart-category",
        "insight-chart-channel",
        "insight-chart-status",
        "insight-chart-pareto-category",
        "insight-chart-stages",
    ] {
        let bars = hits(&app, chart).await?;
        let px = painted(&app, chart).await?;
        if px <= 500 {
            let dims = app
                .js(
                    "const c = document.querySelector('[data-testid=\"' + arguments[0] + '\"]');\
                     return c ? [c.width, c.height, c.clientWidth, c.clientHeight, c.parentElement.clientWidth] : null;",
                    vec![json!(chart)],
                )
                .await?;
            return Err(Failure(format!(
                "{chart} is blank ({px} painted pixels, canvas {dims})"
            )));
        }
        ensure(!bars.is_empty(), format!("{chart} has no bars"))?;
    }
    // The status doughnut: two open, none closed (both are new).
    let status = hits(&app, "insight-chart-status").await?;
    ensure(
        status.len() == 1 && status[0]["v"] == json!(2),
        format!("status slices {status:?}"),
    )?;
    app.screenshot("dashboard").await?;

    // Export the monthly complaint analysis: the file opens in a spreadsheet reader with the
    // one complaint of the month in the layout of table 3.
    app.wait_for("insight-report-complaints").await?;
    app.js(
        "document.querySelector('[data-testid=\"insight-reports\"]').scrollIntoView({block: 'center'}); return true;",
        vec![],
    )
    .await?;
    app.screenshot("report").await?;
    app.click("insight-report-export").await?;
    let rows = sheet(&exported(&app, "complaints-").await?, "客户投诉处理表")?;
    ensure(
        rows.len() == 2 && rows[1][1] == "远航科技有限公司" && rows[1][6] == "客服回复太慢",
        format!("exported complaint rows {rows:?}"),
    )?;

    // Click the complaint bar of the category chart (dataset 0 is "complaint").
    let bars = hits(&app, "insight-chart-category").await?;
    let bar = bars
        .iter()
        .find(|h| h["d"] == json!(0))
        .ok_or_else(|| Failure(format!("no complaint bar in {bars:?}")))?;
    app.js(
        "document.querySelector('[data-testid=\"insight-chart-category\"]').scrollIntoView({block: 'center'}); return true;",
        vec![],
    )
    .await?;
    let canvas = app.find("insight-chart-category").await?;
    let size = app
        .js(
            "const r = document.querySelector('[data-testid=\"insight-chart-category\"]').getBoundingClientRect();\
             return [r.width, r.height];",
            vec![],
        )
        .await?;
    let (w, h) = (
        size[0].as_f64().unwrap_or_default(),
        size[1].as_f64().unwrap_or_default(),
    );
    let x = bar["x"].as_f64().unwrap_or_default() - w / 2.0;
    let y = bar["y"].as_f64().unwrap_or_default() - h / 2.0;
    let click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: canvas,
            duration: None,
            x: x.round(),
            y: y.round(),
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    app.client()
        .perform_actions(click)
        .await
        .map_err(|e| Failure(format!("cannot click the complaint bar: {e}")))?;

    // The feedback list, filtered to complaints of the period: only the complaint is listed.
    app.wait_for("feedback-filter-category").await?;
    app.wait_js(
        "the category filter set to complaints",
        "const s = document.querySelector('[data-testid=\"feedback-filter-category\"]');\
         return s && s.value === arguments[0] ? true : null;",
        vec![json!(COMPLAINT.to_string())],
    )
    .await?;
    let rows = app
        .wait_js(
            "the filtered feedback rows",
            "const r = document.querySelectorAll('[data-testid=\"feedback-row\"]');\
             return r.length ? r.length : null;",
            vec![],
        )
        .await?;
    ensure(
        rows == json!(1),
        format!("{rows} rows after the drill-down"),
    )?;
    app.wait_for_text("feedback-table", "客服回复太慢").await?;
    app.screenshot("drill-down").await?;

    // The filtered list exports in the layout of table 3: the complaint only.
    app.click("feedback-export").await?;
    let rows = sheet(&exported(&app, "feedback-").await?, "客户投诉处理表")?;
    ensure(
        rows.len() == 2
            && rows[0][1] == "投诉客户名称"
            && rows[1][1] == "远航科技有限公司"
            && rows[1][3] == "客服电话"
            && rows[1][6] == "客服回复太慢",
        format!("exported feedback rows {rows:?}"),
    )?;

    // A call-back and a visit; the interaction list filtered to call-backs exports the
    // call-back in the layout of table 2, with its to-do and due date.
    let an_hour_ago = app
        .js(
            "return new Date(Date.now() - 3600e3).toISOString();",
            vec![],
        )
        .await?;
    let in_a_week = app
        .js(
            "return new Date(Date.now() + 7 * 86400e3).toISOString();",
            vec![],
        )
        .await?;
    let me = invoke(&app, "current_session", json!({})).await?["user_id"].clone();
    for (channel, subject, todos) in [
        (
            "callback",
            "季度回访",
            json!([{"title": "寄送新版报价", "owner_user_id": me, "due_at": in_a_week}]),
        ),
        ("visit", "上门拜访", json!([])),
    ] {
        invoke(
            &app,
            "interaction_log",
            json!({"customerId": a, "input": {"occurred_at": an_hour_ago, "channel": channel,
                "subject": subject, "key_points": "希望增加培训", "satisfaction": 4}, "todos": todos}),
        )
        .await?;
    }
    go(&app, "#/interactions").await?;
    app.wait_for_text("interactions-table", "上门拜访").await?;
    app.select("interactions-filter-channel", "callback")
        .await?;
    app.wait_js(
        "the call-back alone listed",
        "const r = document.querySelectorAll('[data-testid=\"interaction-row\"]');\
         return r.length === 1 ? true : null;",
        vec![],
    )
    .await?;
    app.click("interactions-export").await?;
    let rows = sheet(&exported(&app, "callbacks-").await?, "老客户回访记录表")?;
    ensure(
        rows.len() == 2
            && rows[0][6] == "客户反馈(需求/建议/问题)"
            && rows[1][0] == "远航科技有限公司"
            && rows[1][3] == "回访"
            && rows[1][5] == "季度回访"
            && rows[1][6] == "希望增加培训"
            && rows[1][7] == "寄送新版报价"
            && !rows[1][10].is_empty(),
        format!("exported call-back rows {rows:?}"),
    )?;
    app.screenshot("interactions-export").await?;
    app.quit().await
}

/// The path in the newest export toast whose file name starts with `prefix` (an earlier
/// export's toast may still be up).
async fn exported(app: &App, prefix: &str) -> Result<String> {
    let path = app
        .wait_js(
            &format!("an export toast naming {prefix}…"),
            "const all = [...document.querySelectorAll('[data-testid=\"export-path\"]')];\
             const p = all.map((e) => e.textContent.trim())\
                .find((t) => t.split('/').pop().startsWith(arguments[0]));\
             return p || null;",
            vec![json!(prefix)],
        )
        .await?;
    Ok(path.as_str().unwrap_or_default().to_string())
}

/// The text of every cell of one sheet of an XLSX file (numbers and empty cells as "").
fn sheet(path: &str, name: &str) -> Result<Vec<Vec<String>>> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> =
        open_workbook(path).map_err(|e| Failure(format!("cannot open {path}: {e}")))?;
    let range = wb
        .worksheet_range(name)
        .map_err(|e| Failure(format!("no sheet {name} in {path}: {e}")))?;
    Ok(range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Float(f) => f.to_string(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect())
}

/// Recording a survey answer from the customer's page: the dialog refuses an NPS of 11 with a
/// message on the field, then records NPS 9 and CSAT 4 with a comment, and the card lists them
/// on one line with its counts.
pub async fn insight_survey_record(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let id = customer(&app, "远航科技有限公司", "signed", "A").await?;
    go(&app, &format!("#/customers/{id}")).await?;
    app.wait_for("survey-empty").await?;

    app.click("survey-record").await?;
    app.wait_for("survey-dialog").await?;
    app.type_into("survey-nps", "11").await?;
    app.click("survey-save").await?;
    app.wait_for_nonempty_text("field-error-nps").await?;
    ensure(
        app.is_visible("survey-dialog").await?,
        "the dialog closed on an NPS of 11",
    )?;
    app.screenshot("refused").await?;

    app.js(
        "const el = document.querySelector('[data-testid=\"survey-nps\"]'); el.value = ''; \
         el.dispatchEvent(new Event('input', { bubbles: true })); return true;",
        vec![],
    )
    .await?;
    app.fill(&[
        ("survey-nps", "9"),
        ("survey-csat", "4"),
        ("survey-comment", "交付及时，愿意推荐"),
    ])
    .await?;
    app.click("survey-save").await?;
    app.wait_gone("survey-dialog").await?;
    app.wait_for_text("survey-list", "交付及时，愿意推荐")
        .await?;
    let nps = app.text("survey-row-nps").await?;
    let csat = app.text("survey-row-csat").await?;
    ensure(
        nps.contains('9') && csat.contains('4'),
        format!("the card shows NPS {nps:?} and CSAT {csat:?}, expected 9 and 4"),
    )?;
    let stored = invoke(&app, "survey_list", json!({"customerId": id})).await?;
    ensure(
        stored.as_array().map(Vec::len) == Some(2),
        format!("survey_list answered {stored}, expected two answers"),
    )?;
    app.screenshot("recorded").await?;
    app.quit().await
}

/// Choose `path` in the survey import dialog's file input (hidden behind its label).
async fn choose_survey_file(app: &App, path: &str) -> Result {
    let input = app
        .client()
        .find(fantoccini::Locator::Css(
            "[data-testid=\"survey-import-file\"]",
        ))
        .await?;
    if input.send_keys(path).await.is_err() {
        app.js(
            "document.querySelector('[data-testid=\"survey-import-file\"]').classList.remove('visually-hidden'); return true;",
            vec![],
        )
        .await?;
        input
            .send_keys(path)
            .await
            .map_err(|e| Failure(format!("cannot choose the survey file: {e}")))?;
    }
    Ok(())
}

/// Importing survey results from a GBK CSV export (问卷星-style headers): the dialog detects the
/// mapping, shows row 3's unknown customer as an error and keeps Import disabled; once that
/// customer exists the same file previews clean, imports both rows, and the dashboard's NPS
/// moves from −100 (n=1) to +33 (n=3).
pub async fn insight_survey_import(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let a = customer(&app, "远航科技有限公司", "signed", "A").await?;
    answer(&app, a, "nps", 4).await?;
    // The fixture's answer times are placeholders: an hour ago in the team's zone (UTC+8), so the
    // rows fall in the dashboard's current month and are not in the future.
    let at = (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("survey-results-gbk.csv");
    let template = std::fs::read(&fixture)?;
    const MARK: &[u8] = b"@AT@";
    let mut bytes = Vec::new();
    let mut rest = template.as_slice();
    while let Some(i) = rest.windows(MARK.len()).position(|w| w == MARK) {
        bytes.extend_from_slice(&rest[..i]);
        bytes.extend_from_slice(at.as_bytes());
        rest = &rest[i + MARK.len()..];
    }
    bytes.extend_from_slice(rest);
    ensure(
        bytes.len() != template.len(),
        "the fixture has no @AT@ placeholder",
    )?;
    let dir = std::env::temp_dir().join(format!("rapport-e2e-survey-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("问卷结果.csv");
    std::fs::write(&file, &bytes)?;
    let path = file.display().to_string();

    go(&app, "#/reports").await?;
    app.wait_for_text("insight-kpi-nps", "(n=1)").await?;
    let before = app.text("insight-kpi-nps").await?;
    app.click("insight-survey-import").await?;
    app.wait_for("survey-import-dialog").await?;
    choose_survey_file(&app, &path).await?;
    app.wait_for_text("survey-import-file-name", "问卷结果.csv")
        .await?;
    app.wait_for("survey-import-preview").await?;
    app.wait_for("survey-import-row-error").await?;
    let err = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"survey-import-row-error\"]')].map((e) => [e.dataset.row, e.dataset.code, e.textContent]);",
            vec![],
        )
        .await?;
    ensure(
        err.as_array().map(Vec::len) == Some(1)
            && err[0][0] == "3"
            && err[0][1] == "survey.import_customer_unknown",
        format!("expected one unknown-customer error on row 3, got {err}"),
    )?;
    let mapped = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"survey-import-mapping-column\"]')].map((s) => s.value);",
            vec![],
        )
        .await?;
    ensure(
        mapped == json!(["", "answered_at", "customer", "nps", "csat", "comment"]),
        format!("detected mapping {mapped}"),
    )?;
    app.wait_for_text("survey-import-preview", "远航科技有限公司")
        .await?;
    let disabled = app
        .js(
            "return document.querySelector('[data-testid=\"survey-import-apply\"]').disabled;",
            vec![],
        )
        .await?;
    ensure(
        disabled == json!(true),
        "Import is enabled despite a row error",
    )?;
    app.screenshot("row-error").await?;

    // Register the missing customer, choose the file again: clean preview, import.
    customer(&app, "北辰物流有限公司", "signed", "B").await?;
    choose_survey_file(&app, &path).await?;
    app.wait_gone("survey-import-row-error").await?;
    app.wait_for_text("survey-import-preview", "北辰物流有限公司")
        .await?;
    app.click("survey-import-apply").await?;
    app.wait_for("survey-import-result").await?;
    let imported = app
        .js(
            "return document.querySelector('[data-testid=\"survey-import-result\"]').dataset.imported;",
            vec![],
        )
        .await?;
    ensure(imported == "2", format!("imported {imported}, expected 2"))?;
    app.screenshot("imported").await?;
    app.click("survey-import-cancel").await?;
    app.wait_gone("survey-import-dialog").await?;
    app.wait_for_text("insight-kpi-nps", "+33 (n=3)").await?;
    let after = app.text("insight-kpi-nps").await?;
    ensure(
        before.contains("100") && after != before,
        format!("NPS before {before:?}, after {after:?}"),
    )?;
    app.screenshot("dashboard").await?;
    let _ = std::fs::remove_dir_all(&dir);
    app.quit().await
}
