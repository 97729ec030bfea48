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
