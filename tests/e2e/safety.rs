//! Data safety in the real app: a backup taken from Settings, the database damaged while the
//! app is closed (or under the running app), and the recovery screen putting the backup back.

use crate::common::{ADMIN, PASSWORD, go, invoke, log_in, set_up_team};
use rapport_e2e::{App, Ctx, Failure, Result, ensure};
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
    overwrite_second_half(&dir.join("rapport.sqlite3"))
}

/// Overwrite the second half of a database file (or its write-ahead log) with garbage; the
/// database's first page, which says it is one, survives.
fn overwrite_second_half(db: &Path) -> Result {
    let len = std::fs::metadata(db)
        .map_err(|e| Failure(format!("no database at {}: {e}", db.display())))?
        .len();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(db)
        .map_err(|e| Failure(e.to_string()))?;
    f.seek(SeekFrom::Start(len / 2))
        .and_then(|_| f.write_all(&vec![0x5A; (len - len / 2) as usize]))
        .map_err(|e| Failure(e.to_string()))?;
    Ok(())
}

/// Whether the damaged file was moved aside (kept, never deleted) in `dir`.
fn damaged_file_kept(dir: &Path) -> Result<bool> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| Failure(e.to_string()))?
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("rapport.sqlite3.damaged-")
        }))
}

/// The customer the backups must bring back.
async fn create_the_customer(app: &App) -> Result {
    invoke(
        app,
        "customer_create",
        json!({"input": {"customer": {"name": CUSTOMER, "industry": "制造业"},
            "contacts": [{"name": "林工", "mobile": "13900139001", "is_primary": true}]}}),
    )
    .await
    .map(|_| ())
}

/// On the recovery screen: restore the backup offered first (after the confirmation), log in
/// again (`shot` names a screenshot of the log-in), find the customer, and check the damaged
/// file was kept aside.
async fn restore_the_best_backup(app: &App, ctx: &Ctx, shot: Option<&str>) -> Result {
    app.click("recovery-restore").await?;
    app.click("dialog-confirm").await?;
    app.wait_for("login-form").await?;
    if let Some(name) = shot {
        app.screenshot(name).await?;
    }
    log_in(app, ADMIN, PASSWORD).await?;
    app.wait_for("shell").await?;
    let found = invoke(
        app,
        "customer_search",
        json!({"query": "恢复测试", "limit": 5}),
    )
    .await?;
    ensure(
        found.to_string().contains(CUSTOMER),
        format!("the restored database lacks the customer: {found}"),
    )?;
    ensure(
        damaged_file_kept(ctx.data_dir())?,
        "the damaged file was not kept aside",
    )
}

/// The file is damaged under the running app, logged in on the customer list; the integrity
/// check (the start-up one, run again through the test build's command) finds it, the window
/// turns to the recovery screen by itself, commands are refused, and restoring the backup
/// from that screen leads back to the log-in with the backed-up customer there.
pub async fn safety_damage_while_running(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    create_the_customer(&app).await?;
    invoke(&app, "backup_now", json!({})).await?;
    go(&app, "#/customers").await?;
    app.wait_for_text("customer-list", CUSTOMER).await?;
    let passed = invoke(&app, "test_integrity_check", json!({})).await?;
    ensure(
        passed == json!(true),
        format!("a healthy file failed the check: {passed}"),
    )?;
    // The running app's recent pages are in the write-ahead log, which readers prefer to the
    // file: damage both.
    for file in ["rapport.sqlite3", "rapport.sqlite3-wal"] {
        overwrite_second_half(&ctx.data_dir().join(file))?;
    }
    let passed = invoke(&app, "test_integrity_check", json!({})).await?;
    ensure(
        passed == json!(false),
        format!("the damaged file passed the check: {passed}"),
    )?;
    app.wait_for("recovery-screen").await?;
    app.wait_for("recovery-best").await?;
    app.screenshot("recovery-while-running").await?;
    let refused = invoke(&app, "departments_list", json!({})).await;
    ensure(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("recovery.damaged")),
        format!("a command answered on the damaged file: {refused:?}"),
    )?;
    restore_the_best_backup(&app, &ctx, None).await?;
    app.quit().await
}

/// Back up from Settings, damage the file, restart: the recovery screen lists the backup,
/// restoring it (after a confirmation) leads to the login, the customer is back and the
/// damaged file is kept aside.
pub async fn safety_recovery(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    create_the_customer(&app).await?;
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
    let best = app.text("recovery-best").await?;
    ensure(
        !best.is_empty(),
        "no backup is marked as the newest good one",
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

    restore_the_best_backup(&app, &ctx, Some("recovered-login")).await?;
    app.quit().await
}

/// Kill cycles of [`safety_kill_during_writes`].
const KILLS: u64 = 20;

/// Start a stream of customer creations in the page, one after the other; each name is
/// pushed to `window.__acked` once its command has answered (committed).
const WRITE_JS: &str = "const cycle = arguments[0]; window.__acked = [];\
    (async () => { for (let i = 0; ; i++) {\
      const name = '断电测试-' + cycle + '-' + i;\
      await window.__TAURI_INTERNALS__.invoke('customer_create', {input: {customer: {name}, contacts: [], tags: []}});\
      window.__acked.push(name); } })();\
    return true;";

/// Every customer name of the `断电测试` stream in the database, through the list command.
const NAMES_JS: &str = "const done = arguments[arguments.length - 1];\
    (async () => { const names = []; for (let offset = 0; ; offset += 500) {\
      const page = await window.__TAURI_INTERNALS__.invoke('customers_list', {query: {q: '断电测试', limit: 500, offset}});\
      names.push(...page.items.map((c) => c.name ?? c.customer?.name)); if (page.items.length < 500) break; }\
      return names; })().then(done, (e) => done({error: String(e && e.message || e)}));";

/// SIGKILL the real app while it is writing, 20 times at different moments: every restart
/// passes the integrity check (the login shows, not the recovery screen) and every write the
/// app had acknowledged before the kill is there.
pub async fn safety_kill_during_writes(ctx: Ctx) -> Result {
    let app = ctx.launch().await?;
    set_up_team(&app, false).await?;
    let mut app = app;
    let mut acked: Vec<String> = Vec::new();
    for cycle in 0..KILLS {
        app.js(WRITE_JS, vec![json!(cycle)]).await?;
        // 60–560 ms into the stream, spread over the cycles.
        let wait = 60 + (cycle * 157) % 500;
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        let now: Vec<String> =
            serde_json::from_value(app.js("return window.__acked.slice();", vec![]).await?)
                .map_err(|e| Failure(e.to_string()))?;
        app.kill().await?;
        acked.extend(now);

        app = ctx.launch().await?;
        app.wait_for("login-form").await.map_err(|e| {
            Failure(format!(
                "after kill {}: no login screen (integrity check?): {}",
                cycle + 1,
                e.0
            ))
        })?;
        log_in(&app, ADMIN, PASSWORD).await?;
        app.wait_for("shell").await?;
    }
    let stored = app.client().execute_async(NAMES_JS, vec![]).await?;
    let stored: std::collections::HashSet<String> = serde_json::from_value(stored.clone())
        .map_err(|_| Failure(format!("customer_list answered {stored}")))?;
    let missing: Vec<&String> = acked.iter().filter(|n| !stored.contains(*n)).collect();
    ensure(
        acked.len() as u64 >= KILLS,
        format!(
            "only {} writes were acknowledged in {KILLS} cycles",
            acked.len()
        ),
    )?;
    ensure(
        missing.is_empty(),
        format!("{} acknowledged writes lost: {missing:?}", missing.len()),
    )?;
    eprintln!(
        "e2e: {} acknowledged writes survived {KILLS} kills ({} customers stored)",
        acked.len(),
        stored.len()
    );
    app.screenshot("after-kills").await?;
    app.quit().await
}
