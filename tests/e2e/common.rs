//! What many scenarios share: the team they set up, logging in and out, calling a command.

use rapport_e2e::{App, Failure, Result};
use serde_json::{Value, json};

/// The team name every scenario sets up.
pub const COMPANY: &str = "星河贸易有限公司";
/// The first admin's username.
pub const ADMIN: &str = "admin";
/// The first admin's display name.
pub const ADMIN_NAME: &str = "王经理";
/// The first admin's password.
pub const PASSWORD: &str = "Rapport-pass-2026";

/// Fill in and submit the first-run setup form.
pub async fn set_up_team(app: &App, shot: bool) -> Result {
    app.wait_for("setup-form").await?;
    app.fill(&[
        ("setup-company", COMPANY),
        ("setup-admin-username", ADMIN),
        ("setup-admin-name", ADMIN_NAME),
        ("setup-admin-password", PASSWORD),
        ("setup-admin-password2", PASSWORD),
    ])
    .await?;
    if shot {
        app.screenshot("setup").await?;
    }
    app.click("setup-submit").await?;
    app.wait_for("shell").await?;
    Ok(())
}

/// Log out through the user menu (confirming if the UI asks) and wait for the login screen.
pub async fn log_out(app: &App) -> Result {
    app.click("user-menu").await?;
    app.click("menu-logout").await?;
    app.wait_js(
        "the login form (or a confirm dialog) after logging out",
        "return !!document.querySelector('[data-testid=\"login-form\"], [data-testid=\"dialog-confirm\"]');",
        vec![],
    )
    .await?;
    if app.is_visible("dialog-confirm").await? {
        app.click("dialog-confirm").await?;
    }
    app.wait_for("login-form").await?;
    app.wait_gone("shell").await
}

/// Fill in the login form and submit it.
pub async fn log_in(app: &App, username: &str, password: &str) -> Result {
    app.wait_for("login-form").await?;
    app.fill(&[("login-username", username), ("login-password", password)])
        .await?;
    app.click("login-submit").await
}

/// Call one of the app's commands from the page, as the UI does, and return its answer.
pub async fn invoke(app: &App, cmd: &str, args: Value) -> Result<Value> {
    app.js(
        "window.__e2e = undefined; window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(\
           (v) => { window.__e2e = {ok: v === undefined ? null : v}; },\
           (e) => { window.__e2e = {err: e}; }); return true;",
        vec![json!(cmd), args],
    )
    .await?;
    let answer = app
        .wait_js(
            &format!("the answer of {cmd}"),
            "return window.__e2e || null;",
            vec![],
        )
        .await?;
    match answer.get("ok") {
        Some(v) => Ok(v.clone()),
        None => Err(Failure(format!("{cmd} failed: {}", answer["err"]))),
    }
}

/// Go to a page by its address, as a click on a link does.
pub async fn go(app: &App, hash: &str) -> Result {
    app.js(
        "location.hash = arguments[0]; return true;",
        vec![json!(hash)],
    )
    .await?;
    Ok(())
}
