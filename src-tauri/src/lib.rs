//! The Rapport desktop app: opens the data folder, builds the Tauri app with its commands,
//! window, tray and scheduler, and runs it. Domain decisions live in `rapport-core`; this
//! crate only wires them to the desktop.

pub mod commands;
pub mod data_dir;
pub mod notify;
#[cfg(test)]
mod permission_matrix;
pub mod platform;
pub mod scheduler;
pub mod state;
#[cfg(test)]
mod test_ipc;
pub mod texts;
pub mod tray;

use state::AppState;
use tauri::{Emitter, Manager, Runtime};

/// Every command, registered once; `commands.list` must name the same set.
#[macro_export]
macro_rules! handlers {
    () => {
        tauri::generate_handler![
            $crate::commands::session::app_status,
            $crate::commands::recovery::recovery_status,
            $crate::commands::recovery::recovery_restore,
            $crate::commands::recovery::backup_pick_file,
            $crate::commands::recovery::backup_list,
            $crate::commands::recovery::backup_now,
            $crate::commands::recovery::backup_save_as,
            $crate::commands::recovery::backup_restore,
            $crate::commands::session::setup_team,
            $crate::commands::session::login,
            $crate::commands::session::logout,
            $crate::commands::session::current_session,
            $crate::commands::session::change_password,
            $crate::commands::session::set_locale,
            $crate::commands::team::team_get,
            $crate::commands::team::team_update,
            $crate::commands::team::departments_list,
            $crate::commands::team::department_save,
            $crate::commands::team::users_list,
            $crate::commands::team::user_create,
            $crate::commands::team::user_update,
            $crate::commands::team::user_reset_password,
            $crate::commands::calendar::calendar_get,
            $crate::commands::calendar::calendar_save_hours,
            $crate::commands::calendar::calendar_set_day,
            $crate::commands::calendar::calendar_remove_day,
            $crate::commands::calendar::calendar_seed_china,
            $crate::commands::calendar::calendar_import_ical,
            // reminders and desktop
            $crate::commands::reminders::reminders_inbox,
            $crate::commands::reminders::reminders_unread_count,
            $crate::commands::reminders::reminders_mark_read,
            $crate::commands::reminders::reminders_mark_all_read,
            $crate::commands::reminders::notification_prefs_get,
            $crate::commands::reminders::notification_prefs_save,
            $crate::commands::reminders::desktop_close_to_tray_get,
            $crate::commands::reminders::desktop_close_to_tray_set,
            $crate::commands::reminders::desktop_autostart_get,
            $crate::commands::reminders::desktop_autostart_set,
            $crate::commands::plans::plans_calendar,
            // demo data and export everything
            $crate::commands::demo::demo_load,
            $crate::commands::demo::data_export_all,
            // insight
            $crate::commands::insight::insight_dashboard,
            $crate::commands::insight::survey_record,
            $crate::commands::insight::survey_list,
            $crate::commands::insight::survey_import_preview,
            $crate::commands::insight::survey_import_apply,
            $crate::commands::insight::report_build,
            $crate::commands::insight::report_export,
            $crate::commands::insight::feedback_export,
            $crate::commands::insight::interactions_export,
            $crate::commands::reminders::test_clock_advance,
            $crate::commands::recovery::test_integrity_check,
            // feedback
            $crate::commands::feedback::feedback_list,
            $crate::commands::feedback::feedback_get,
            $crate::commands::feedback::feedback_create,
            $crate::commands::feedback::feedback_transition,
            $crate::commands::feedback::feedback_assign,
            $crate::commands::feedback::feedback_assign_many,
            $crate::commands::feedback::feedback_set_departments,
            $crate::commands::feedback::feedback_record_response,
            $crate::commands::feedback::feedback_update_details,
            $crate::commands::feedback::feedback_explain_delay,
            $crate::commands::feedback::feedback_record_satisfaction,
            $crate::commands::feedback::feedback_mark_duplicate,
            $crate::commands::feedback::feedback_categories,
            $crate::commands::feedback::feedback_category_add,
            $crate::commands::feedback::feedback_category_rename,
            $crate::commands::feedback::feedback_category_retire,
            $crate::commands::feedback::feedback_category_delete,
            $crate::commands::feedback::feedback_routing_rules,
            $crate::commands::feedback::feedback_routing_set,
            $crate::commands::feedback::feedback_sla_policy_get,
            $crate::commands::feedback::feedback_sla_policy_set,
            $crate::commands::feedback::feedback_assignment_modes,
            $crate::commands::feedback::feedback_assignment_mode_set,
            $crate::commands::feedback::customer_lookup,
            $crate::commands::feedback::customer_names,
            // customers
            $crate::commands::customers::customers_list,
            $crate::commands::customers::customer_get,
            $crate::commands::customers::customer_history,
            $crate::commands::customers::customer_create,
            $crate::commands::customers::customer_update,
            $crate::commands::customers::customer_changes_pending,
            $crate::commands::customers::customer_change_decide,
            $crate::commands::customers::customer_archive,
            $crate::commands::customers::customer_restore,
            $crate::commands::customers::customer_erase,
            $crate::commands::customers::customer_check_duplicates,
            $crate::commands::customers::customer_merge,
            $crate::commands::customers::customer_search,
            $crate::commands::customers::customer_tags,
            $crate::commands::customers::customer_tag_save,
            $crate::commands::customers::customer_industries,
            $crate::commands::customers::customer_industries_save,
            $crate::commands::customers::customer_key_fields,
            $crate::commands::customers::customer_key_fields_set,
            $crate::commands::customers::customer_import_preview,
            $crate::commands::customers::customer_import_apply,
            $crate::commands::customers::customer_export,
            $crate::commands::customer_list::customer_views_list,
            $crate::commands::customer_list::customer_view_save,
            $crate::commands::customer_list::customer_view_rename,
            $crate::commands::customer_list::customer_view_delete,
            $crate::commands::customer_list::customer_bulk,
            // quarter-end review and merge preview
            $crate::commands::review::review_list,
            $crate::commands::review::review_get,
            $crate::commands::review::review_confirm,
            $crate::commands::review::customer_merge_preview,
            // interactions and tasks
            $crate::commands::interactions::interaction_log,
            $crate::commands::interactions::interaction_update,
            $crate::commands::interactions::interaction_delete,
            $crate::commands::interactions::interaction_get,
            $crate::commands::interactions::interaction_history,
            $crate::commands::interactions::interaction_timeline,
            $crate::commands::interactions::interactions_list,
            $crate::commands::interactions::interaction_channels,
            $crate::commands::interactions::customer_contacts,
            $crate::commands::interactions::template_list,
            $crate::commands::interactions::template_get,
            $crate::commands::interactions::template_update,
            $crate::commands::interactions::template_reset,
            $crate::commands::interactions::attachment_limit_get,
            $crate::commands::interactions::attachment_limit_set,
            $crate::commands::interactions::template_values,
            $crate::commands::interactions::template_fill,
            $crate::commands::interactions::attachment_pick_and_add,
            $crate::commands::interactions::attachment_add_path,
            $crate::commands::interactions::attachment_list,
            $crate::commands::interactions::attachment_remove,
            $crate::commands::interactions::attachment_open,
            $crate::commands::tasks::task_list,
            $crate::commands::tasks::task_get,
            $crate::commands::tasks::task_create,
            $crate::commands::tasks::task_complete,
            $crate::commands::tasks::task_cancel,
            $crate::commands::tasks::task_reopen,
            $crate::commands::tasks::task_snooze,
            $crate::commands::tasks::today,
            $crate::commands::tasks::today_care,
        ]
    };
}

/// Open the database in `data_dir` (migrating it, after a backup, when it is older) and build
/// the shared state. Its integrity is checked afterwards, beside the running app
/// ([`spawn_integrity_check`]). The error says what is wrong; the app then starts in recovery
/// mode.
pub fn open_state(data_dir: &std::path::Path) -> Result<AppState, String> {
    rapport_core::recovery::open_migrated(data_dir)
        .map(|conn| AppState::new(conn, data_dir.to_path_buf()))
        .map_err(|e| e.to_string())
}

/// Everything that runs on a healthy database: the shared state, the tray and the scheduler.
/// Called at start, or after the recovery screen restored a backup.
pub fn start_services<R: Runtime>(app: &tauri::AppHandle<R>, state: AppState) -> tauri::Result<()> {
    app.manage(state);
    tray::build(app)?;
    let wake = scheduler::start(app.clone());
    app.manage(wake);
    Ok(())
}

/// The window tells the page that the database was found damaged while the app ran.
const DAMAGED_EVENT: &str = "database-damaged";

/// Run SQLite's quick check of the database beside the running app, on a connection of its
/// own: it reads the whole file, about 9 s on the large demo set, and the first screen should
/// not wait for it. Then take today's backup, only of a database that passed, so a damaged file
/// never pushes good backups out of the rotation.
fn spawn_integrity_check<R: Runtime>(app: tauri::AppHandle<R>, data_dir: std::path::PathBuf) {
    std::thread::spawn(move || {
        platform::lower_this_thread_priority();
        if integrity_check(&app, &data_dir) {
            daily_backup(&data_dir);
        }
    });
}

/// The integrity check of the database in `data_dir` as the running app makes it: `true` when
/// it passed, else [`found_damage`] has run.
pub(crate) fn integrity_check<R: Runtime>(
    app: &tauri::AppHandle<R>,
    data_dir: &std::path::Path,
) -> bool {
    match rapport_core::recovery::check(data_dir) {
        Ok(()) => true,
        Err(e) => {
            found_damage(app, e.to_string());
            false
        }
    }
}

/// The check found damage while the app runs: the recovery screen's commands open up, every
/// other command is refused, the connections to the damaged file close, and the page is told
/// (it also learns from the first refusal, should it miss the event).
pub(crate) fn found_damage<R: Runtime>(app: &tauri::AppHandle<R>, problem: String) {
    eprintln!("Rapport: the database is damaged: {problem}");
    app.state::<commands::recovery::Recovery>()
        .set_damaged(problem);
    app.state::<AppState>().close_damaged();
    if let Err(e) = app.emit(DAMAGED_EVENT, ()) {
        eprintln!("Rapport: cannot tell the window: {e}");
    }
}

/// Take today's automatic backup (and prune old ones) on a connection of its own, off the UI's
/// path: the online backup API copies a consistent snapshot while the app keeps working.
pub(crate) fn daily_backup(data_dir: &std::path::Path) {
    let result =
        rapport_core::db::open(&data_dir.join(rapport_core::db::DB_FILE)).and_then(|conn| {
            rapport_core::backup::daily(&conn, data_dir, chrono::Utc::now(), Default::default())
        });
    if let Err(e) = result {
        eprintln!("Rapport: the daily backup failed: {e}");
    }
}

/// Add Rapport's commands and state to a builder of any runtime (the real one, or the mock
/// runtime in tests).
pub fn build_app<R: Runtime>(builder: tauri::Builder<R>, state: AppState) -> tauri::Builder<R> {
    let recovery = commands::recovery::Recovery::healthy(state.data_dir.clone());
    builder
        .manage(state)
        .manage(recovery)
        .invoke_handler(handlers!())
}

/// Start the desktop app. Returns a message when it cannot start.
pub fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let explicit_dir = data_dir::override_from(&args);
    let mut builder = tauri::Builder::default();
    if explicit_dir.is_none() {
        // The default data folder is per user and app: a second launch focuses the first window.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_window(app);
        }));
    }
    // Launch at login (Settings → Notifications); reached only through our own commands.
    builder = builder.plugin(tauri_plugin_autostart::Builder::new().build());
    builder
        .setup(move |app| {
            let dir = match explicit_dir {
                Some(d) => d,
                None => app.path().app_data_dir()?,
            };
            let lock = data_dir::FolderLock::acquire(&dir, data_dir::LOCK_PATIENCE)?;
            app.manage(lock);
            match open_state(&dir) {
                Ok(state) => {
                    app.manage(commands::recovery::Recovery::healthy(dir.clone()));
                    start_services(app.handle(), state)?;
                    spawn_integrity_check(app.handle().clone(), dir);
                }
                Err(problem) => {
                    // The window shows the recovery screen; nothing else starts until a
                    // backup is restored.
                    eprintln!("Rapport: the database is damaged: {problem}");
                    app.manage(commands::recovery::Recovery::damaged(dir, problem));
                }
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps Rapport in the tray (unless turned off), so reminders
            // keep firing; "Quit" in the tray menu ends it.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                // In recovery mode (no state yet) closing the window quits.
                let keep = window.try_state::<AppState>().is_some_and(|s| {
                    s.public(|conn, _| rapport_core::reminder::store::close_to_tray(conn))
                        .unwrap_or(true)
                });
                if keep {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(handlers!())
        .run(tauri::generate_context!())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tauri::test::{mock_builder, mock_context, noop_assets};

    /// The app on the mock runtime, on a new data folder, with its main window (the fields
    /// drop in order: the window and the app before their folder).
    fn app() -> (
        tauri::WebviewWindow<tauri::test::MockRuntime>,
        tauri::App<tauri::test::MockRuntime>,
        tempfile::TempDir,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let state = open_state(dir.path()).unwrap();
        let app = build_app(mock_builder(), state)
            .build(mock_context(noop_assets()))
            .unwrap();
        let w = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        (w, app, dir)
    }

    use crate::test_ipc::invoke;

    #[test]
    fn setup_login_and_guarded_commands_through_ipc() {
        let (w, _app, _dir) = app();
        let status = invoke(&w, "app_status", serde_json::json!({})).unwrap();
        assert_eq!(status["setup_done"], false);
        // Guarded commands refuse before anyone logs in, with a code the UI translates.
        let err = invoke(&w, "users_list", serde_json::json!({})).unwrap_err();
        assert_eq!(err["code"], "auth.unauthenticated");
        let input = serde_json::json!({"input": {
            "company_name": "测试公司", "admin_username": "admin", "admin_display_name": "管理员",
            "admin_password": "admin-pass-1"}});
        let actor = invoke(&w, "setup_team", input).unwrap();
        assert_eq!(actor["role"], "admin");
        let users = invoke(&w, "users_list", serde_json::json!({})).unwrap();
        assert_eq!(users.as_array().unwrap().len(), 1);
        invoke(&w, "logout", serde_json::json!({})).unwrap();
        let bad = invoke(
            &w,
            "login",
            serde_json::json!({"username": "admin", "password": "nope-nope"}),
        )
        .unwrap_err();
        assert_eq!(bad["code"], "auth.bad_credentials");
        // Malformed arguments are an error, never a panic.
        assert!(invoke(&w, "login", serde_json::json!({"username": 5})).is_err());
    }

    #[test]
    fn command_list_matches_the_registered_handlers() {
        let (w, _app, _dir) = app();
        let listed: Vec<&str> = include_str!("../commands.list")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert!(listed.len() >= 20);
        for cmd in listed {
            // An empty body makes argument parsing fail for commands that take arguments, but
            // an unregistered command fails differently: with "command … not found".
            if let Err(e) = invoke(&w, cmd, serde_json::json!({})) {
                let text = e.to_string();
                assert!(
                    !text.contains("not found"),
                    "{cmd} is listed but not registered: {text}"
                );
            }
        }
    }

    /// Commands waiting for the database leave Tauri's async runtime free: while the window's
    /// connection is held, more waiting commands than the runtime has worker threads are in
    /// flight, and a task spawned on the runtime still runs at once. Without
    /// `state::off_runtime` each waiting command keeps a worker thread, and the task would wait
    /// as long as the connection is held.
    #[test]
    fn commands_waiting_for_the_database_do_not_stall_the_runtime() {
        use std::sync::mpsc;
        use std::time::Duration;
        use tauri::Manager;
        let (w, app, _dir) = app();
        let waiting = 4 * std::thread::available_parallelism().map_or(2, |n| n.get()) + 4;
        let state = app.state::<AppState>();
        let (done_tx, done_rx) = mpsc::channel();
        state
            .public(|_, _| {
                for _ in 0..waiting {
                    let (w, done_tx) = (w.clone(), done_tx.clone());
                    std::thread::spawn(move || {
                        let status = invoke(&w, "app_status", serde_json::json!({}));
                        done_tx.send(status.is_ok()).unwrap();
                    });
                }
                // Let every command start and wait for the connection.
                std::thread::sleep(Duration::from_millis(500));
                assert!(
                    done_rx.try_recv().is_err(),
                    "a command ran without the connection"
                );
                let (probe_tx, probe_rx) = mpsc::channel();
                tauri::async_runtime::spawn(async move { probe_tx.send(()).unwrap() });
                probe_rx
                    .recv_timeout(Duration::from_secs(5))
                    .expect("the runtime's threads were all held by waiting commands");
                Ok(())
            })
            .unwrap();
        for _ in 0..waiting {
            let ok = done_rx.recv_timeout(Duration::from_secs(30)).unwrap();
            assert!(
                ok,
                "every waiting command answers once the connection is free"
            );
        }
    }

    /// Every command runs off the main thread (see the `commands` module): a plain
    /// `#[tauri::command]` on a function that is not `async` is refused here.
    #[test]
    fn no_command_runs_on_the_main_thread() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines = text.lines().map(str::trim);
            while let Some(line) = lines.next() {
                if line != "#[tauri::command]" {
                    continue;
                }
                let next = lines.next().unwrap_or_default();
                checked += 1;
                assert!(
                    next.starts_with("pub async fn") || next.starts_with("async fn"),
                    "{}: `{next}` would run on the main thread; make it async or mark it \
                     #[tauri::command(async)]",
                    path.display()
                );
            }
            checked += text.matches("#[tauri::command(async)]").count();
        }
        assert!(checked >= 100, "only {checked} commands found");
    }
}
