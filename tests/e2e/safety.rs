//! Data safety in the real app: a backup taken from Settings, the database damaged while the
//! app is closed, and the recovery screen at the next start putting the backup back.

use crate::common::{ADMIN, PASSWORD, go, invoke, log_in, set_up_team};
use rapport_e2e::{Ctx, Failure, Result, ensure};
use serde_json::json;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

const CUSTOMER: &str = "恢复测试精密机械有限公司";

/// Fold the closed app's write-ahead log into the database file with `rapport-admin check`
/// (its connection checkpoints on close; the app itself is stopped without one), then overwrite
/// the file's second half with garbage: it still opens (its first page is intact) but its
/// tables are no longer b-trees.
fn damage(dir: &Path) -> Result {
    let admin = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap_or(Path::new("target"))
        .join("debug")
        .join("rapport-admin");
    let out = std::process::Command::new(&admin)
        .arg("--data-dir")
        .arg(dir)
        .arg("check")
        .output()
        .map_err(|e| Failure(format!("cannot run {}: {e}", admin.display())))?;
    ensure(
        out.status.success(),
        format!(
            "rapport-admin check failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
    )?;
    ensure(
        !dir.join("rapport.sqlite3-wal").exists(),
        "the write-ahead log is still there after a clean close",
    )?;
    let db = dir.join("rapport.sqlite3");
    let len = std::fs::metadata(&db)
        .map_err(|e| Failure(format!("no database at {}: {e}", db.display())))?
        .len();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .map_err(|e| Failure(e.to_string()))?;
    f.seek(SeekFrom::Start(len / 2))
        .and_then(|_| f.write_all(&vec![0x5A; (len - len / 2) as usize]))
        .map_err(|e| Failure(e.to_string()))?;
    Ok(())
}

/// Back up from Settings, damage the file, restart: the recovery screen lists the backup,
/// restoring it (after a confirmation) leads to the login, the customer is back and the
/// damaged file is kept aside.
pub async fn safety_recovery(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    invoke(
        &app,
        "customer_create",
        json!({"input": {"customer": {"name": CUSTOMER, "industry": "制造业"},
            "contacts": [{"name": "林工", "mobile": "13900139001", "is_primary": true}]}}),
    )
    .await?;
    go(&app, "#/settings/team").await?;
    app.click("backups-now").await?;
    let done = app.wait_for_text("backups-result", "rapport-").await?;
    ensure(
        done.contains("manual"),
        format!("the backup note reads {done:?}"),
    )?;
    app.wait_for("backups-item").await?;
    app.screenshot("settings-backups").await?;
    app.quit().await?;

    damage(ctx.data_dir())?;
    let app = ctx.launch().await?;
    app.wait_for("recovery-screen").await?;
    let listed = app
        .js(
            "return [...document.querySelectorAll('[data-testid=\"recovery-backup\"]')].map((li) => li.dataset.name);",
            vec![],
        )
        .await?;
    let names: Vec<String> = serde_json::from_value(listed.clone()).unwrap_or_default();
    ensure(
        names.first().is_some_and(|n| n.contains("manual")),
        format!("the newest backup listed first should be the manual one: {listed}"),
    )?;
    app.screenshot("recovery-zh").await?;
    app.select("recovery-lang", "en").await?;
    app.wait_for_text("recovery-screen", "The database is damaged")
        .await?;
    app.screenshot("recovery-en").await?;
    // Anything else is refused while the database is damaged.
    let refused = invoke(&app, "app_status", json!({})).await;
    ensure(
        refused.is_err(),
        "app_status answered on a damaged database",
    )?;

    app.click("recovery-restore").await?;
    app.click("dialog-confirm").await?;
    app.wait_for("login-form").await?;
    app.screenshot("recovered-login").await?;
    log_in(&app, ADMIN, PASSWORD).await?;
    app.wait_for("shell").await?;
    let found = invoke(
        &app,
        "customer_search",
        json!({"query": "恢复测试", "limit": 5}),
    )
    .await?;
    ensure(
        found.to_string().contains(CUSTOMER),
        format!("the restored database lacks the customer: {found}"),
    )?;
    let kept = std::fs::read_dir(ctx.data_dir())
        .map_err(|e| Failure(e.to_string()))?
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("rapport.sqlite3.damaged-")
        });
    ensure(kept, "the damaged file was not kept aside")?;
    app.quit().await
}
