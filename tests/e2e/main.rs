//! Rapport's end-to-end scenarios: each runs the real app (built with `--features test-clock`)
//! through tauri-driver, in a fresh app with a fresh data folder.
//!
//! Run them with `scripts/test.sh`, or by hand (no display needed with xvfb-run):
//!
//! ```text
//! cargo build -p rapport --features test-clock
//! xvfb-run -a dbus-run-session -- cargo test -p rapport-e2e --test e2e [-- NAME_FILTER…]
//! ```
//!
//! To add a scenario: write `async fn name(ctx: Ctx) -> Result` and list it in [`SCENARIOS`].
//! Use the `data-testid`s of docs/dev/ui-contract.md; take a screenshot of each new screen.

use rapport_e2e::{App, Config, Ctx, Result, Scenario, ensure, run_all, scenario};
use std::path::Path;

/// Every scenario, run in this order.
const SCENARIOS: &[Scenario] = &[
    scenario!(foundation_first_run),
    scenario!(restart_keeps_data),
];

const COMPANY: &str = "星河贸易有限公司";
const ADMIN: &str = "admin";
const ADMIN_NAME: &str = "王经理";
const PASSWORD: &str = "Rapport-pass-2026";

fn main() {
    // Filters: any argument that is not an option (cargo passes options such as --nocapture).
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    // Integration tests get CARGO_TARGET_TMPDIR = <target>/tmp; the target folder is its parent.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new("target"));
    let config = Config::from_target_dir(target);
    if !run_all(config, SCENARIOS, &filters) {
        std::process::exit(1);
    }
}

/// Fill in and submit the first-run setup form.
async fn set_up_team(app: &App, shot: bool) -> Result {
    app.wait_for("setup-form").await?;
    app.type_into("setup-company", COMPANY).await?;
    app.type_into("setup-admin-username", ADMIN).await?;
    app.type_into("setup-admin-name", ADMIN_NAME).await?;
    app.type_into("setup-admin-password", PASSWORD).await?;
    app.type_into("setup-admin-password2", PASSWORD).await?;
    if shot {
        app.screenshot("setup").await?;
    }
    app.click("setup-submit").await?;
    app.wait_for("shell").await?;
    Ok(())
}

/// Log out through the user menu (confirming if the UI asks) and wait for the login screen.
async fn log_out(app: &App) -> Result {
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
async fn log_in(app: &App, username: &str, password: &str) -> Result {
    app.wait_for("login-form").await?;
    app.type_into("login-username", username).await?;
    app.type_into("login-password", password).await?;
    app.click("login-submit").await
}

/// The first run: set up the team, see the shell in Chinese, switch to English, log out, fail
/// a login with a wrong password, log in properly, log out.
async fn foundation_first_run(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;

    // A fresh data folder starts at the setup screen, not the login screen.
    app.wait_for("setup-form").await?;
    ensure(
        !app.is_visible("login-form").await?,
        "a fresh data folder shows the login form instead of setup",
    )?;
    set_up_team(&app, true).await?;

    // The shell, in Chinese (the default for a Chinese OS language).
    app.wait_for_lang("zh-CN").await?;
    app.wait_for_text("nav-customers", "客户").await?;
    app.wait_for("sidebar").await?;
    app.screenshot("shell-zh").await?;

    // Switch to English: the nav and <html lang> follow at once.
    app.select("lang-select", "en").await?;
    app.wait_for_lang("en").await?;
    let nav = app.wait_for_text("nav-customers", "Customers").await?;
    ensure(
        !nav.contains("客户"),
        format!("nav-customers still shows Chinese after switching to English: {nav:?}"),
    )?;
    app.screenshot("shell-en").await?;

    // Log out → login screen.
    log_out(&app).await?;
    app.screenshot("login").await?;

    // A wrong password: an error message, and no shell.
    log_in(&app, ADMIN, "not-the-password").await?;
    let error = app.wait_for_nonempty_text("form-error").await?;
    ensure(
        !error.trim().is_empty(),
        "form-error is empty after a wrong password",
    )?;
    ensure(
        !app.is_visible("shell").await?,
        "the shell is shown after a wrong password",
    )?;
    app.screenshot("login-error").await?;

    // The right password: the shell again.
    log_in(&app, ADMIN, PASSWORD).await?;
    app.wait_for("shell").await?;
    app.wait_for_text("nav-customers", "Customers").await?;
    app.screenshot("shell-again").await?;

    log_out(&app).await?;
    app.quit().await
}

/// Data survives a restart: after setup, a new app on the same data folder shows the login
/// screen with the team's name, not the setup screen.
async fn restart_keeps_data(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    app.quit().await?;

    let app = ctx.launch().await?;
    let team = app.wait_for_text("login-team-name", COMPANY).await?;
    ensure(
        team.contains(COMPANY),
        format!("login-team-name shows {team:?}, expected {COMPANY:?}"),
    )?;
    ensure(
        !app.is_visible("setup-form").await?,
        "the setup form is shown again after a restart",
    )?;
    app.screenshot("login-after-restart").await?;

    // And the account still works.
    log_in(&app, ADMIN, PASSWORD).await?;
    app.wait_for("shell").await?;
    app.quit().await
}
