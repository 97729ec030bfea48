//! Hostile input: an XSS corpus stored in the free-text fields a person types into, then shown
//! by the real app on every screen that displays those fields. Each screen must show the
//! payloads verbatim as text, build no element from them, and run none of them.

use crate::common::{go, invoke, set_up_team};
use rapport_e2e::{App, Ctx, Failure, Result, ensure};
use serde_json::{Value, json};

/// The corpus: a script tag, an event handler, a `javascript:` URL, an SVG payload, markup that
/// breaks out of an attribute, and an RTL override (last, since it reverses what follows it).
/// Each payload that could run sets `window.__pwned`.
const CORPUS: [&str; 6] = [
    "<script>window.__pwned=1</script>",
    "<img src=x onerror=\"window.__pwned=2\">",
    "javascript:window.__pwned=3",
    "<svg onload=\"window.__pwned=4\"></svg>",
    "\"><b>bold</b>",
    "\u{202E}gpj.exe",
];

/// The corpus as one line (the fields hold at most 200 characters and no line breaks).
fn joined() -> String {
    CORPUS.join(" | ")
}

/// Script returning what, on the current page, was built from the corpus or ran it: elements
/// the payloads would create if parsed as HTML, and `window.__pwned` if anything set it.
const PROBE_JS: &str = "const found = [];\
    if (typeof window.__pwned !== 'undefined') found.push('window.__pwned = ' + String(window.__pwned));\
    for (const s of document.querySelectorAll('script')) {\
      if ((s.textContent || '').includes('__pwned')) found.push('a <script> element holding the payload');\
    }\
    if (document.querySelector('img[src=\"x\"]')) found.push('an <img src=x> element');\
    if (document.querySelector('[onerror], [onload]')) found.push('an element with an onerror/onload attribute');\
    for (const s of document.querySelectorAll('svg')) {\
      if (s.getAttribute('onload') !== null) found.push('an <svg onload> element');\
    }\
    for (const b of document.querySelectorAll('b')) {\
      if (b.textContent === 'bold') found.push('a <b>bold</b> element');\
    }\
    if (document.querySelector('a[href^=\"javascript:\" i], [src^=\"javascript:\" i]')) found.push('a javascript: link');\
    return found;";

/// On the current page: wait until every payload shows verbatim in the page's text (inside
/// `scope`, a CSS selector), then check nothing was built from them and nothing ran.
async fn assert_verbatim(app: &App, screen: &str, scope: &str) -> Result {
    let corpus: Vec<Value> = CORPUS.iter().map(|p| json!(p)).collect();
    app.wait_js(
        &format!("every payload of the corpus, verbatim, on {screen}"),
        "const el = document.querySelector(arguments[0]);\
         if (!el) return false;\
         const text = el.textContent || '';\
         return arguments[1].every((p) => text.includes(p));",
        vec![json!(scope), json!(corpus)],
    )
    .await?;
    let found = app.js(PROBE_JS, vec![]).await?;
    let found = found.as_array().cloned().unwrap_or_default();
    ensure(
        found.is_empty(),
        format!(
            "on {screen} the corpus was rendered as HTML or ran: {found:?}\n--- page text ---\n{}",
            app.page_text().await
        ),
    )
}

/// The corpus in a customer's name and first-cooperation feedback, a contact's name, an
/// interaction's subject and key points, a feedback item's description and a task's title
/// (stored through the commands, as the forms send them); then the customer list, the customer
/// page with the timeline entry expanded, the feedback list and detail, the tasks page, Today
/// and global search each show it as text, with no element built from it and nothing run.
pub async fn hostile_input_verbatim(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let text = joined();
    let me = invoke(&app, "current_session", json!({})).await?;
    let me_id = me["user_id"]
        .as_i64()
        .ok_or_else(|| Failure(format!("current_session answered {me}")))?;
    let now = invoke(&app, "test_clock_advance", json!({"seconds": 0})).await?;
    let now = now
        .as_str()
        .ok_or_else(|| Failure(format!("test_clock_advance answered {now}")))?
        .to_string();

    let made = invoke(
        &app,
        "customer_create",
        json!({"input": {"customer": {"name": text, "industry": "制造业", "first_feedback": text,
            "owner_user_id": me_id},
            "contacts": [{"name": text, "mobile": "13800138000", "is_primary": true}]}}),
    )
    .await?;
    let customer = made["customer"]["id"]
        .as_i64()
        .or_else(|| made["id"].as_i64())
        .ok_or_else(|| Failure(format!("customer_create answered {made}")))?;
    invoke(
        &app,
        "interaction_log",
        json!({"customerId": customer, "input": {"occurred_at": now, "channel": "phone",
            "subject": text, "key_points": text}, "todos": []}),
    )
    .await?;
    let item = invoke(
        &app,
        "feedback_create",
        json!({"input": {"customer_id": customer, "channel": "email", "category_id": 12,
            "priority": "normal", "description": text}}),
    )
    .await?;
    let feedback = item["item"]["id"]
        .as_i64()
        .ok_or_else(|| Failure(format!("feedback_create answered {item}")))?;
    invoke(
        &app,
        "task_create",
        json!({"input": {"title": text, "owner_user_id": me_id, "due_at": now,
            "customer_id": customer}}),
    )
    .await?;

    go(&app, "#/customers").await?;
    app.wait_for("customer-row").await?;
    assert_verbatim(&app, "the customer list", "[data-testid=\"customer-row\"]").await?;

    go(&app, &format!("#/customers/{customer}")).await?;
    app.wait_for("customer-detail").await?;
    app.wait_for("timeline-entry-toggle").await?;
    app.click("timeline-entry-toggle").await?;
    app.wait_for("interaction-body").await?;
    for (testid, what) in [
        ("customer-name-title", "the customer's name"),
        (
            "customer-first-feedback-value",
            "the first-cooperation feedback",
        ),
        ("customer-contact", "the contact's name"),
        ("timeline-subject", "the interaction's subject"),
        ("entry-key-points", "the interaction's key points"),
    ] {
        assert_verbatim(
            &app,
            &format!("the customer page ({what})"),
            &format!("[data-testid=\"{testid}\"]"),
        )
        .await?;
    }
    app.screenshot("customer").await?;

    go(&app, "#/feedback").await?;
    app.wait_for("feedback-row").await?;
    assert_verbatim(&app, "the feedback list", "[data-testid=\"feedback-row\"]").await?;

    go(&app, &format!("#/feedback/{feedback}")).await?;
    app.wait_for("feedback-detail").await?;
    assert_verbatim(
        &app,
        "the feedback detail",
        "[data-testid=\"feedback-detail\"]",
    )
    .await?;
    app.screenshot("feedback").await?;

    go(&app, "#/interactions/tasks").await?;
    app.wait_for("task-row").await?;
    assert_verbatim(&app, "the tasks page", "[data-testid=\"task-row\"]").await?;

    go(&app, "#/today").await?;
    app.wait_for("task-row").await?;
    assert_verbatim(&app, "Today", "[data-testid=\"task-row\"]").await?;

    app.type_into("global-search", "pwned").await?;
    app.wait_for("search-result").await?;
    assert_verbatim(&app, "global search", "[data-testid=\"search-results\"]").await?;
    // The contact's line shows the customer's name and then the mobile number: the override in
    // the name must be isolated so that the number after it is not displayed reversed.
    let leaks = app
        .js(
            "const leaks = [];\
             for (const sub of document.querySelectorAll('[data-testid=\"search-results\"] .search-result-sub')) {\
               if (!(sub.textContent || '').includes('13800138000')) continue;\
               const walker = document.createTreeWalker(sub, NodeFilter.SHOW_TEXT);\
               for (let n = walker.nextNode(); n; n = walker.nextNode()) {\
                 if (!n.data.includes('\\u202E')) continue;\
                 let el = n.parentElement, isolated = false;\
                 for (; el && el !== sub.parentElement; el = el.parentElement) {\
                   if (getComputedStyle(el).unicodeBidi.includes('isolate') && el !== sub) isolated = true;\
                 }\
                 if (!isolated) leaks.push(sub.textContent);\
               }\
             }\
             return leaks;",
            vec![],
        )
        .await?;
    ensure(
        leaks.as_array().is_some_and(|l| l.is_empty()),
        format!(
            "an RTL override in a search result is not isolated from the text after it: {leaks}"
        ),
    )?;
    app.screenshot("search").await?;

    // Nothing ran on any screen, including ones left behind.
    let pwned = app
        .js("return typeof window.__pwned === 'undefined';", vec![])
        .await?;
    ensure(
        pwned == Value::Bool(true),
        "window.__pwned was set while the corpus was shown",
    )?;
    app.quit().await
}
