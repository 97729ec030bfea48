//! The first run, login and logout, and data surviving a restart.

use crate::common::{ADMIN, COMPANY, PASSWORD, log_in, log_out, set_up_team};
use rapport_e2e::{Ctx, Result, ensure};

/// The first run: set up the team, see the shell in Chinese, switch to English, log out, fail
/// a login with a wrong password, log in properly, log out.
pub async fn foundation_first_run(ctx: Ctx) -> Result {
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
pub async fn restart_keeps_data(ctx: Ctx) -> Result {
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
