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

use rapport_e2e::{App, Config, Ctx, Failure, Result, Scenario, ensure, run_all, scenario};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Every scenario, run in this order.
const SCENARIOS: &[Scenario] = &[
    scenario!(foundation_first_run),
    scenario!(restart_keeps_data),
    scenario!(reminder_fires_once),
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

/// Call one of the app's commands from the page, as the UI does, and return its answer.
async fn invoke(app: &App, cmd: &str, args: Value) -> Result<Value> {
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

/// Watches the session bus for desktop notifications (method calls to the notification
/// service), writing what it sees to a file the test reads.
struct BusWatch {
    child: Child,
    log: PathBuf,
}

impl BusWatch {
    fn start(dir: &Path) -> Result<BusWatch> {
        ensure(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "no session bus: run the e2e tests under dbus-run-session (scripts/test.sh does)",
        )?;
        let log = dir.join("notify-bus.log");
        let out = std::fs::File::create(&log)?;
        let child = Command::new("dbus-monitor")
            .args([
                "--session",
                "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
            ])
            .stdout(Stdio::from(out))
            .stderr(Stdio::null())
            .spawn()?;
        std::thread::sleep(Duration::from_millis(500));
        Ok(BusWatch { child, log })
    }

    /// How many Notify calls so far carried `needle` (in the title or body).
    fn count(&self, needle: &str) -> usize {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.split("method call")
            .filter(|call| call.contains(needle))
            .count()
    }

    /// Wait until at least one Notify call carries `needle`.
    async fn wait_for(&self, needle: &str) -> Result {
        for _ in 0..100 {
            if self.count(needle) > 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let seen = std::fs::read_to_string(&self.log).unwrap_or_default();
        Err(Failure(format!(
            "no desktop notification with {needle:?} on the bus; saw:\n{seen}"
        )))
    }
}

impl Drop for BusWatch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Is a StatusNotifierItem (the tray icon) exported on the session bus by some connection?
fn tray_icon_registered() -> bool {
    let names = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ListNames",
        ])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    names
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("string \":")
                .map(|rest| format!(":{}", rest.trim_end_matches('"')))
        })
        .any(|name| {
            Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    &format!("--dest={name}"),
                    "/org/ayatana/NotificationItem/tray_icon_tray_app_main",
                    "org.freedesktop.DBus.Introspectable.Introspect",
                ])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).contains("org.kde.StatusNotifierItem"))
                .unwrap_or(false)
        })
}

/// A task that is due produces one desktop notification, seen on the session bus with the
/// task's title; the tray icon is registered; the notification centre lists the reminder; and
/// a restart on the same data folder does not announce it again.
async fn reminder_fires_once(ctx: Ctx) -> Result {
    let watch = BusWatch::start(ctx.data_dir().parent().unwrap_or(Path::new("/tmp")))?;
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    ensure(
        tray_icon_registered(),
        "no tray icon (StatusNotifierItem) on the session bus",
    )?;

    let title = "回访星河贸易 e2e";
    let me = invoke(&app, "current_session", json!({})).await?;
    let due = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    invoke(
        &app,
        "task_create",
        json!({"input": {"title": title, "owner_user_id": me["user_id"], "due_at": due}}),
    )
    .await?;
    // The injected clock (test builds only) runs the scheduler now instead of in 30 s.
    invoke(&app, "test_clock_advance", json!({"seconds": 0})).await?;
    watch.wait_for(title).await?;
    ensure(
        watch.count(title) == 1,
        format!("{} notifications, expected 1", watch.count(title)),
    )?;

    // The bell counts it and the centre lists it.
    app.wait_for_nonempty_text("notif-count").await?;
    app.click("notif-bell").await?;
    app.wait_for_text("notif-list", title).await?;
    app.screenshot("notification-centre").await?;
    app.quit().await?;

    // Restart on the same data folder: the scheduler runs again at start, and once more now.
    let app = ctx.launch().await?;
    log_in(&app, ADMIN, PASSWORD).await?;
    app.wait_for("shell").await?;
    invoke(&app, "test_clock_advance", json!({"seconds": 0})).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    ensure(
        watch.count(title) == 1,
        format!(
            "the reminder was announced again after a restart ({} notifications)",
            watch.count(title)
        ),
    )?;
    app.quit().await
}
