//! The quarter-end review (清查) in the real app: with two customers, the clock moves to the
//! last days of the quarter, the scheduler opens the review and the owner is notified; the
//! notice leads to the review page, where one customer is confirmed with the mouse and the
//! other with one keystroke, and progress reaches 2/2; the customer's history shows the
//! confirmation. Then the two customers are merged from the detail page (search, preview of
//! what moves, typed confirmation) and the survivor's history shows the merge.

use crate::common::{invoke, set_up_team};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use fantoccini::key::Key;
use rapport_e2e::{App, Ctx, Result, ensure};
use serde_json::json;

/// Seconds from now to noon (Shanghai) three days before the next quarter starts — inside the
/// review window, which opens a week before — and the review's label ("2026 Q4").
fn to_review_window() -> (i64, String) {
    let now = Utc::now();
    let q = now.month0() / 3 + 1;
    let (y, m) = if q == 4 {
        (now.year() + 1, 1)
    } else {
        (now.year(), q * 3 + 1)
    };
    let next = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default();
    let target = (next - Duration::days(3))
        .and_hms_opt(4, 0, 0)
        .unwrap_or_default()
        .and_utc();
    (
        (target - now).num_seconds().max(0),
        format!("{} Q{q}", now.year()),
    )
}

/// Wait until `n` visible review rows have `data-status` = `status`.
async fn wait_rows(app: &App, status: &str, n: u64) -> Result {
    app.wait_js(
        &format!("{n} review rows {status}"),
        "return [...document.querySelectorAll('[data-testid=\"review-item\"]')]\
           .filter((e) => e.dataset.status === arguments[0]).length === arguments[1] || null;",
        vec![json!(status), json!(n)],
    )
    .await?;
    Ok(())
}

/// Two customers reviewed at the quarter's end, then merged.
pub async fn customers_quarter_review(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let mut made = Vec::new();
    for name in ["东方精工有限公司", "东方精工股份有限公司"] {
        let c = invoke(
            &app,
            "customer_create",
            json!({"input": {"customer": {"name": name, "stage": "signed"},
                "contacts": [{"name": "周敏", "mobile": "13912345678", "is_primary": true}]}}),
        )
        .await?;
        made.push((
            c["customer"]["id"].as_i64().unwrap_or_default(),
            c["customer"]["number"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ));
    }

    // Before the quarter's end the Customers page offers the review but none is open.
    app.click("nav-customers").await?;
    app.wait_for("customers-review-link").await?;
    ensure(
        !app.is_visible("customers-review-banner").await?,
        "a review banner before the quarter's end",
    )?;

    let (seconds, label) = to_review_window();
    invoke(&app, "test_clock_advance", json!({"seconds": seconds})).await?;

    // The owner's notice in the notification centre leads to the review page.
    app.wait_for_nonempty_text("notif-count").await?;
    app.click("notif-bell").await?;
    app.wait_for_text("notif-list", &label).await?;
    app.screenshot("notification").await?;
    app.js(
        "document.querySelector('[data-testid=\"notif-item\"][data-kind=\"review\"] button').click(); return true;",
        vec![],
    )
    .await?;
    app.wait_for("review-page").await?;
    app.wait_for_text("page-title", &label).await?;
    wait_rows(&app, "open", 2).await?;
    app.wait_for_text("review-progress-total", "0/2").await?;
    app.screenshot("open").await?;

    // One with the mouse, the next with one keystroke (the page focuses the next open row).
    app.click("review-confirm-active").await?;
    wait_rows(&app, "confirmed", 1).await?;
    app.wait_js(
        "the next open row focused",
        "const a = document.activeElement; return (a && a.dataset.testid === 'review-item' && a.dataset.status === 'open') || null;",
        vec![],
    )
    .await?;
    app.client()
        .active_element()
        .await?
        .send_keys(&Key::Enter.to_string())
        .await?;
    wait_rows(&app, "confirmed", 2).await?;
    app.wait_for_text("review-progress-total", "2/2").await?;
    app.wait_for("review-all-done").await?;
    app.screenshot("done").await?;

    // The confirmation is in the customer's history.
    let (first, first_number) = made[0].clone();
    let (second, second_number) = made[1].clone();
    app.js(
        "window.location.hash = '#/customers/' + arguments[0]; return true;",
        vec![json!(first)],
    )
    .await?;
    app.wait_for_text("history-review", &label).await?;

    // Same contact mobile: the page points at the likely duplicate.
    app.wait_for_text("customer-duplicates-notice", &second_number)
        .await?;
    app.screenshot("duplicates").await?;

    // Merge the second into the first: search, preview, typed confirmation.
    app.click("customer-merge").await?;
    app.type_into("merge-search", "东方精工").await?;
    app.click("merge-candidate").await?;
    app.wait_for_text("merge-summary", &second_number).await?;
    app.wait_for_text("merge-moves", "1").await?;
    app.type_into("merge-confirm-input", "wrong").await?;
    app.click("merge-submit").await?;
    app.wait_for("field-error-confirmation").await?;
    app.type_into("merge-confirm-input", &second_number).await?;
    app.screenshot("merge-preview").await?;
    app.click("merge-submit").await?;
    app.wait_gone("merge-dialog").await?;
    app.wait_for_text("history-merged", &second_number).await?;
    app.wait_for_text("customer-number", &first_number).await?;
    app.screenshot("merged").await?;
    let gone = invoke(&app, "customer_get", json!({"id": second})).await;
    ensure(gone.is_err(), "the absorbed customer still exists")?;
    app.quit().await
}
