//! Reminders reach the desktop: a notification on the session bus, the tray icon, no repeats.

use crate::common::{ADMIN, PASSWORD, invoke, log_in, set_up_team};
use rapport_e2e::{Ctx, Failure, Result, ensure};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
pub async fn reminder_fires_once(ctx: Ctx) -> Result {
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

/// Click the first element matching a CSS selector (entries carry their kind in data-*).
async fn click_css(app: &rapport_e2e::App, selector: &str) -> Result {
    app.wait_js(
        &format!("an element matching {selector}"),
        "const el = document.querySelector(arguments[0]); if (!el) return null; el.click(); return true;",
        vec![json!(selector)],
    )
    .await
    .map(|_| ())
}

/// The Plans page: a task due this week and a signed customer's call-back that is due show in
/// the month and the week view; clicking the call-back opens its panel, where completing it
/// takes it off the calendar.
pub async fn reminders_plans_page(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let me = invoke(&app, "current_session", json!({})).await?;
    // A signed A-tier customer whose monthly call-back is already due (cooperation began 40
    // days ago): the scheduler plans the call-back task for today.
    let coop = (chrono::Utc::now() - chrono::Duration::days(40))
        .date_naive()
        .to_string();
    let made = invoke(
        &app,
        "customer_create",
        json!({"input": {"customer": {"name": "海岳机械有限公司", "industry": "制造业",
            "stage": "signed", "tier": "A", "coop_start": coop},
            "contacts": [{"name": "赵总", "mobile": "138 0013 8000", "is_primary": true}]}}),
    )
    .await?;
    let customer = made["customer"]["id"].clone();
    let task = "发送续约报价 e2e";
    let due = (chrono::Utc::now() + chrono::Duration::hours(2)).to_rfc3339();
    invoke(
        &app,
        "task_create",
        json!({"input": {"title": task, "owner_user_id": me["user_id"], "due_at": due,
            "customer_id": customer}}),
    )
    .await?;
    invoke(&app, "test_clock_advance", json!({"seconds": 0})).await?;

    app.click("nav-plans").await?;
    app.wait_for("plans-grid").await?;
    app.wait_for_text("plans-grid", task).await?;
    click_css(&app, "[data-testid=plans-kind-onboarding]").await?;
    app.wait_js(
        "the month view with the call-back and the task, onboarding filtered out",
        "const g = document.querySelector('[data-testid=plans-grid]');\
         if (!g || g.dataset.view !== 'month') return null;\
         const kinds = [...g.querySelectorAll('[data-testid=plans-entry]')].map((e) => e.dataset.kind);\
         return kinds.includes('callback') && kinds.includes('task') && !kinds.includes('onboarding') ? kinds : null;",
        vec![],
    )
    .await?;
    ensure(
        app.js(
            "return !!document.querySelector('[data-testid=plans-day][data-today=true]');",
            vec![],
        )
        .await?
            == json!(true),
        "today is not marked in the month view",
    )?;
    app.screenshot("month").await?;

    app.click("plans-view-week").await?;
    app.wait_js(
        "the week view with both entries",
        "const g = document.querySelector('[data-testid=plans-grid]');\
         if (!g || g.dataset.view !== 'week') return null;\
         const kinds = [...g.querySelectorAll('[data-testid=plans-entry]')].map((e) => e.dataset.kind);\
         return kinds.includes('callback') && kinds.includes('task') ? kinds : null;",
        vec![],
    )
    .await?;
    app.wait_for_text("plans-grid", "海岳机械有限公司").await?;
    // Keyboard: PageDown moves a week on, T comes back to today.
    let first = app
        .js(
            "return document.querySelector('[data-testid=plans-grid]').dataset.from;",
            vec![],
        )
        .await?;
    app.js(
        "document.querySelector('[data-testid=plans-page]').dispatchEvent(new KeyboardEvent('keydown', {key: 'PageDown', bubbles: true})); return true;",
        vec![],
    )
    .await?;
    app.wait_js(
        "the next week after PageDown",
        "const g = document.querySelector('[data-testid=plans-grid]'); return g && g.dataset.from !== arguments[0] ? g.dataset.from : null;",
        vec![first.clone()],
    )
    .await?;
    app.click("plans-today").await?;
    app.wait_js(
        "this week again after Today",
        "const g = document.querySelector('[data-testid=plans-grid]'); return g && g.dataset.from === arguments[0] && g.querySelector('[data-kind=callback]') ? true : null;",
        vec![first],
    )
    .await?;

    // Click the call-back: its panel offers to complete it.
    click_css(&app, "[data-testid=plans-entry][data-kind=callback]").await?;
    app.wait_for_text("plans-detail", "海岳机械有限公司")
        .await?;
    app.wait_for("task-complete").await?;
    app.screenshot("week").await?;
    app.click("task-complete").await?;
    app.wait_js(
        "the completed call-back gone from the week",
        "const g = document.querySelector('[data-testid=plans-grid]');\
         return g && !g.querySelector('[data-kind=callback]') && g.querySelector('[data-kind=task]') ? true : null;",
        vec![],
    )
    .await?;

    // Settings → Notifications: quiet hours on (22:00–08:00 by default), care dates muted.
    app.click("nav-settings").await?;
    app.click("settings-tab-notifications").await?;
    app.wait_for("notify-form").await?;
    app.wait_for("desktop-autostart").await?;
    app.click("notify-quiet-on").await?;
    app.click("notify-kind-care").await?;
    app.click("notify-save").await?;
    app.wait_for("toast").await?;
    let prefs = invoke(&app, "notification_prefs_get", json!({})).await?;
    ensure(
        prefs["quiet_start"] == json!(22 * 60)
            && prefs["quiet_end"] == json!(8 * 60)
            && prefs["muted_kinds"] == json!(["care"]),
        format!("saved preferences: {prefs}"),
    )?;
    app.screenshot("notification-settings").await?;
    app.quit().await
}

/// Catch-up after a time away: tasks come due while the app is closed; after a restart and a
/// three-day clock jump the scheduler shows one summary notification, not one per task, and
/// never the individual tasks.
pub async fn reminders_catch_up(ctx: Ctx) -> Result {
    let watch = BusWatch::start(ctx.data_dir().parent().unwrap_or(Path::new("/tmp")))?;
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let me = invoke(&app, "current_session", json!({})).await?;
    for i in 1..=5 {
        let due = (chrono::Utc::now() + chrono::Duration::hours(24 + i)).to_rfc3339();
        invoke(
            &app,
            "task_create",
            json!({"input": {"title": format!("离开期间的待办 {i}"), "owner_user_id": me["user_id"],
                "due_at": due}}),
        )
        .await?;
    }
    app.quit().await?;

    let app = ctx.launch().await?;
    // The fresh login screen moves focus to the username once it has settled: typing earlier
    // can lose keys to that jump.
    app.wait_for("login-form").await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    log_in(&app, ADMIN, PASSWORD).await?;
    app.wait_for("shell").await?;
    invoke(&app, "test_clock_advance", json!({"seconds": 3 * 86_400})).await?;
    watch.wait_for("离开期间有 5 条提醒").await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    ensure(
        watch.count("离开期间有") == 1,
        format!("{} summaries, expected 1", watch.count("离开期间有")),
    )?;
    ensure(
        watch.count("离开期间的待办") == 0,
        "individual task notifications were shown besides the summary",
    )?;
    // The bell lists all five.
    app.wait_for_text("notif-count", "5").await?;
    app.quit().await
}
