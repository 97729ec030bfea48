//! Backups and recovery. When the database cannot be opened at start, or fails the integrity
//! check that runs beside the app just after (`crate::found_damage`), the app runs in recovery mode
//! ([`Recovery`] holds the problem): only these commands work, and restoring a backup (or a
//! picked file) puts a healthy database in place and starts the app as usual. In normal mode
//! admins take and restore backups from Settings › Data.

use crate::state::{AppState, CmdResult};
use rapport_core::Error;
use rapport_core::backup::BackupFile;
use rapport_core::permission::Action;
use rapport_core::recovery;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime, State};

/// Whether the app started on a damaged database, and why.
pub struct Recovery {
    data_dir: PathBuf,
    problem: Mutex<Option<String>>,
}

impl Recovery {
    /// The database opened (its integrity check runs beside the app).
    pub fn healthy(data_dir: PathBuf) -> Self {
        Recovery {
            data_dir,
            problem: Mutex::new(None),
        }
    }

    /// The database could not be opened or failed its check (`problem` says how).
    pub fn damaged(data_dir: PathBuf, problem: String) -> Self {
        Recovery {
            data_dir,
            problem: Mutex::new(Some(problem)),
        }
    }

    /// The integrity check found damage after the app started (see `crate::found_damage`).
    pub fn set_damaged(&self, problem: String) {
        *self.problem.lock().unwrap_or_else(|p| p.into_inner()) = Some(problem);
    }

    fn problem(&self) -> Option<String> {
        self.problem
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Refused unless in recovery mode, so these no-log-in commands can never overwrite a
    /// healthy database.
    fn require_damaged(&self) -> CmdResult<()> {
        match self.problem() {
            Some(_) => Ok(()),
            None => Err(Error::conflict(
                "recovery.not_needed",
                "the database is healthy; restore backups from Settings",
            )
            .to_payload()),
        }
    }
}

/// What the recovery screen shows.
#[derive(Serialize)]
pub struct RecoveryInfo {
    problem: String,
    data_dir: String,
    backups: Vec<recovery::CheckedBackup>,
}

/// Null when the database is healthy; otherwise the problem and the backups, newest first,
/// validated until the newest good one (seconds on a large file, hence off the main thread).
#[tauri::command]
pub async fn recovery_status(recovery: State<'_, Recovery>) -> CmdResult<Option<RecoveryInfo>> {
    let Some(problem) = recovery.problem() else {
        return Ok(None);
    };
    let backups = recovery::check_backups(&recovery.data_dir).map_err(|e| e.to_payload())?;
    Ok(Some(RecoveryInfo {
        problem,
        data_dir: recovery.data_dir.display().to_string(),
        backups,
    }))
}

/// The file to restore: a backup by name, or a path the person picked.
fn source(
    data_dir: &Path,
    backup: Option<String>,
    path: Option<PathBuf>,
) -> rapport_core::Result<PathBuf> {
    match (backup, path) {
        (Some(name), _) => recovery::backup_path(data_dir, &name),
        (None, Some(p)) => Ok(p),
        (None, None) => Err(Error::invalid(
            "backup.choose",
            "backup",
            "choose a backup or a file to restore",
        )),
    }
}

/// Recovery mode: put the chosen backup (or file) in place of the damaged database, keep the
/// damaged file aside, and start the app normally. Returns where the damaged file was kept.
#[tauri::command(async)]
pub fn recovery_restore<R: Runtime>(
    app: AppHandle<R>,
    recovery: State<'_, Recovery>,
    backup: Option<String>,
    path: Option<PathBuf>,
) -> CmdResult<String> {
    recovery.require_damaged()?;
    let file = source(&recovery.data_dir, backup, path).map_err(|e| e.to_payload())?;
    let (conn, aside) = recovery::replace_damaged(&recovery.data_dir, &file, chrono::Utc::now())
        .map_err(|e| e.to_payload())?;
    match app.try_state::<AppState>() {
        // Damage found while the app ran: its services keep running on the restored file.
        Some(state) => state.replace_database(conn),
        None => crate::start_services(&app, AppState::new(conn, recovery.data_dir.clone()))
            .map_err(|e| Error::conflict("recovery.start_failed", e.to_string()).to_payload())?,
    }
    *recovery.problem.lock().unwrap_or_else(|p| p.into_inner()) = None;
    let dir = recovery.data_dir.clone();
    std::thread::spawn(move || crate::daily_backup(&dir));
    Ok(aside.display().to_string())
}

/// Choose a database file with the system's file picker; null when nothing was chosen. Offered
/// on the recovery screen, and to admins in Settings (refused to anyone else before a dialog
/// opens). It only returns the path; restoring it is a separate, checked step.
#[tauri::command]
pub async fn backup_pick_file<R: Runtime>(
    window: tauri::Window<R>,
    recovery: State<'_, Recovery>,
) -> CmdResult<Option<PathBuf>> {
    if recovery.problem().is_none() {
        let state = window
            .try_state::<AppState>()
            .ok_or_else(|| Error::Unauthenticated.to_payload())?;
        state.as_actor(|_, _, actor| actor.require(Action::DataManage))?;
    }
    let picked = rfd::AsyncFileDialog::new()
        .set_parent(&window)
        .add_filter("SQLite", &["sqlite3", "sqlite", "db"])
        .pick_file()
        .await;
    Ok(picked.map(|f| f.path().to_path_buf()))
}

/// "Save a copy…": a consistent copy of the live database to a file chosen with the system's
/// save dialog (admins, refused before the dialog opens); null when cancelled, else the path.
#[tauri::command]
pub async fn backup_save_as<R: Runtime>(
    window: tauri::Window<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<PathBuf>> {
    state.as_actor(|_, _, actor| actor.require(Action::DataManage))?;
    let name = format!("rapport-{}.sqlite3", state.now().format("%Y%m%d-%H%M%S"));
    let picked = rfd::AsyncFileDialog::new()
        .set_parent(&window)
        .set_file_name(name)
        .add_filter("SQLite", &["sqlite3"])
        .save_file()
        .await;
    let Some(file) = picked else {
        return Ok(None);
    };
    let dest = file.path().to_path_buf();
    state.as_actor(|conn, _, actor| recovery::save_copy_as(conn, actor, &dest))?;
    Ok(Some(dest))
}

/// The backups, newest first (admins).
#[tauri::command(async)]
pub fn backup_list(state: State<'_, AppState>) -> CmdResult<Vec<BackupFile>> {
    state.as_actor(|_, _, actor| recovery::backups_as(actor, &state.data_dir))
}

/// "Back up now" into the backups folder (admins).
#[tauri::command(async)]
pub fn backup_now(state: State<'_, AppState>) -> CmdResult<BackupFile> {
    state.as_actor(|conn, now, actor| recovery::backup_now_as(conn, actor, &state.data_dir, now))
}

/// Restore a backup (by name) or a picked file over the current data (admins). The current
/// data is backed up first; everyone is logged out, since the restored accounts may differ.
#[tauri::command(async)]
pub fn backup_restore(
    state: State<'_, AppState>,
    backup: Option<String>,
    path: Option<PathBuf>,
) -> CmdResult<String> {
    let aside = state.as_actor(|conn, now, actor| {
        actor.require(Action::DataManage)?;
        let file = source(&state.data_dir, backup, path)?;
        recovery::restore_as(conn, actor, &state.data_dir, now, &file)
    })?;
    state.set_session(None);
    Ok(aside.display().to_string())
}

/// Test builds only (`--features test-clock`): run the start-up integrity check again now, so an
/// end-to-end test can damage the file under a running app and see the window turn to the
/// recovery screen. `true` when the file passed. In any other build it refuses, and the command
/// is not in the window's capability either.
#[tauri::command(async)]
pub fn test_integrity_check<R: Runtime>(
    app: AppHandle<R>,
    recovery: State<'_, Recovery>,
) -> CmdResult<bool> {
    if !cfg!(feature = "test-clock") {
        return Err(Error::Forbidden("test builds only".into()).to_payload());
    }
    Ok(crate::integrity_check(&app, &recovery.data_dir))
}

#[cfg(test)]
mod tests {
    use crate::test_ipc::{TestApp, invoke};
    use serde_json::json;
    use tauri::test::{mock_builder, mock_context, noop_assets};

    #[test]
    fn healthy_app_backs_up_and_refuses_recovery() {
        let t = TestApp::with_team();
        assert_eq!(
            invoke(&t.w, "recovery_status", json!({})).unwrap(),
            json!(null)
        );
        let err = invoke(&t.w, "recovery_restore", json!({"backup": "x"})).unwrap_err();
        assert_eq!(err["code"], "recovery.not_needed");
        let made = invoke(&t.w, "backup_now", json!({})).unwrap();
        let list = invoke(&t.w, "backup_list", json!({})).unwrap();
        assert!(list.as_array().unwrap().iter().any(|b| b == &made));
        let err = invoke(
            &t.w,
            "backup_restore",
            json!({"backup": "../rapport.sqlite3"}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "not_found");
        invoke(&t.w, "backup_restore", json!({"backup": made["name"]})).unwrap();
        // Everyone is logged out after a restore.
        let err = invoke(&t.w, "backup_list", json!({})).unwrap_err();
        assert_eq!(err["code"], "auth.unauthenticated");
    }

    /// Damage found by the check that runs beside the app: every other command is refused
    /// (with the code that turns the page to the recovery screen, even for the logged-in
    /// admin), the recovery screen's commands open up, and restoring a backup puts the running
    /// app back on its feet with everyone logged out. Unlike a damaged start, the services are
    /// already running, so this runs on the mock runtime.
    #[test]
    fn damage_found_while_running_is_repaired_in_place() {
        let t = TestApp::with_team();
        let made = invoke(&t.w, "backup_now", json!({})).unwrap();
        invoke(
            &t.w,
            "department_save",
            json!({"id": null, "input": {"code": "after", "name": "备份之后的部门"}}),
        )
        .unwrap();
        crate::found_damage(t._app.handle(), "page 7: corrupt".into());
        for (cmd, args) in [
            ("app_status", json!({})),
            ("departments_list", json!({})),
            (
                "login",
                json!({"username": "admin", "password": "admin-pass-1"}),
            ),
        ] {
            let err = invoke(&t.w, cmd, args).unwrap_err();
            assert_eq!(err["code"], "recovery.damaged", "{cmd}");
        }
        let status = invoke(&t.w, "recovery_status", json!({})).unwrap();
        assert_eq!(status["problem"], "page 7: corrupt");
        assert_eq!(status["backups"][0]["name"], made["name"]);
        let kept = invoke(&t.w, "recovery_restore", json!({"backup": made["name"]})).unwrap();
        assert!(kept.as_str().unwrap().contains("rapport.sqlite3.damaged-"));
        assert_eq!(
            invoke(&t.w, "recovery_status", json!({})).unwrap(),
            json!(null)
        );
        let status = invoke(&t.w, "app_status", json!({})).unwrap();
        assert_eq!(status["session"], json!(null), "everyone logs in again");
        invoke(
            &t.w,
            "login",
            json!({"username": "admin", "password": "admin-pass-1"}),
        )
        .unwrap();
        let departments = invoke(&t.w, "departments_list", json!({})).unwrap();
        assert!(
            !departments.to_string().contains("备份之后的部门"),
            "the restored backup predates that department: {departments}"
        );
    }

    #[test]
    fn damaged_start_offers_backups_and_nothing_else() {
        let healthy = TestApp::with_team();
        let made = invoke(&healthy.w, "backup_now", json!({})).unwrap();
        let dir = healthy.dir.path().to_path_buf();
        let TestApp {
            _app, w, dir: keep, ..
        } = healthy;
        drop(w);
        drop(_app);
        let app = mock_builder()
            .manage(super::Recovery::damaged(
                dir.clone(),
                "page 3: corrupt".into(),
            ))
            .invoke_handler(crate::handlers!())
            .build(mock_context(noop_assets()))
            .unwrap();
        let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        let status = invoke(&w, "recovery_status", json!({})).unwrap();
        assert_eq!(status["problem"], "page 3: corrupt");
        assert_eq!(status["backups"][0]["name"], made["name"]);
        // Nothing else answers without a database.
        assert!(invoke(&w, "app_status", json!({})).is_err());
        let err = invoke(&w, "recovery_restore", json!({})).unwrap_err();
        assert_eq!(err["code"], "backup.choose");
        let err = invoke(
            &w,
            "recovery_restore",
            json!({"backup": "../../etc/passwd"}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "not_found");
        // The restore itself starts the tray, which needs a desktop: the e2e scenario
        // `safety_recovery` runs it in the real app; `rapport_core::recovery` tests the files.
        drop(keep);
    }
}
