//! The reminder scheduler's wiring: a background thread that wakes at least every 30 seconds,
//! at once when asked (after log-in), and after the system resumes from sleep (a jump of the
//! wall clock against the monotonic clock). Each tick runs the core's rules
//! (`reminder::sources::run`), decides what the desktop may show (`reminder::policy`), shows it,
//! records delivery, and refreshes the tray. Every decision lives in the core.

use crate::state::AppState;
use crate::texts::{self, Lang};
use crate::{notify, tray};
use rapport_core::reminder::{Reminder, policy, sources, store};
use rapport_core::{calendar, team};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Longest sleep between ticks.
const PERIOD: Duration = Duration::from_secs(30);
/// More reminders than this waiting at once become one summary notification.
const FLOOD: usize = 3;
/// A wall-clock jump larger than this between ticks (against the monotonic clock) means the
/// machine slept or the clock was changed: the next tick catches up with a summary.
pub const JUMP_SECONDS: i64 = 60;

/// Wakes the scheduler early (e.g. right after log-in, so the catch-up summary shows at once).
pub struct Wake(pub std::sync::Mutex<Sender<()>>);

impl Wake {
    /// Ask for a tick now.
    pub fn now(&self) {
        if let Ok(tx) = self.0.lock() {
            let _ = tx.send(());
        }
    }
}

/// Ask the running scheduler (if any: not under the mock runtime of tests) for a tick now.
pub fn wake<R: Runtime>(app: &AppHandle<R>) {
    if let Some(wake) = app.try_state::<Wake>() {
        wake.now();
    }
}

/// Start the scheduler thread; returns the handle that wakes it.
pub fn start<R: Runtime>(app: AppHandle<R>) -> Wake {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("rapport-scheduler".into())
        .spawn(move || run(app, rx))
        .expect("spawn the scheduler thread");
    Wake(std::sync::Mutex::new(tx))
}

fn run<R: Runtime>(app: AppHandle<R>, rx: Receiver<()>) {
    crate::platform::lower_this_thread_priority();
    let mut first = true;
    loop {
        if let Err(e) = tick(&app, first) {
            eprintln!("Rapport scheduler: {e}");
        }
        first = false;
        let wall = chrono::Utc::now();
        let mono = Instant::now();
        match rx.recv_timeout(PERIOD) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let drift = (chrono::Utc::now() - wall).num_seconds() - mono.elapsed().as_secs() as i64;
        if drift.abs() > JUMP_SECONDS {
            // The machine slept (or the clock was changed): this tick catches up, with a summary.
            first = true;
        }
    }
}

/// Held from deciding what is pending until it is marked delivered: the scheduler thread and a
/// command that ticks at once (the test clock) can meet, and two ticks reading the same
/// undelivered reminders would announce them twice. Released before the tray is refreshed: that
/// waits for the main thread, where such a command may be waiting for this lock.
static TICKING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// One pass: record what is due, deliver what may be shown, refresh the tray. One at a time.
pub fn tick<R: Runtime>(app: &AppHandle<R>, catching_up: bool) -> Result<(), String> {
    let one_at_a_time = TICKING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let state = app.state::<AppState>();
    let session = state.session();
    let decided = state
        .background(|conn, now| {
            sources::run(conn, now)?;
            let user = match &session {
                Some(actor) => Some(actor.user_id),
                None => store::desktop_user(conn)?,
            };
            let Some(user) = user else {
                return Ok(None);
            };
            let pending = store::pending_for(conn, user)?;
            let prefs = store::prefs(conn, user)?;
            let cal = calendar::store::load(conn, &team::time_zone(conn)?)?;
            let flood = if catching_up { FLOOD } else { FLOOD * 3 };
            let plan = policy::plan_delivery(&pending, &prefs, &cal, now, flood);
            let paused = prefs.paused_until.is_some_and(|t| t > now);
            Ok(Some((user, plan, paused, store::unread_count(conn, user)?)))
        })
        .map_err(|e| e.message)?;
    let lang = Lang::pick(session.as_ref().map(|a| a.locale.as_str()));
    let Some((_user, plan, paused, unread)) = decided else {
        drop(one_at_a_time);
        tray::refresh(app, lang, None, false);
        return Ok(());
    };
    let icon = notify::icon_file(&state.data_dir);
    let mut delivered = Vec::new();
    let mut failed: Vec<(i64, String)> = Vec::new();
    if let Some(counts) = &plan.summary {
        let (title, body) = texts::summary(lang, counts);
        match notify::show(&title, &body, icon.as_deref(), open_app(app, None)) {
            Ok(()) => delivered.extend(&plan.summarised),
            Err(e) => failed.extend(plan.summarised.iter().map(|id| (*id, e.clone()))),
        }
    }
    for r in &plan.individual {
        let title = format!("{} · {}", texts::kind_title(lang, &r.kind), r.title);
        match notify::show(
            &title,
            &r.body,
            icon.as_deref(),
            open_app(app, Some(r.clone())),
        ) {
            Ok(()) => delivered.push(r.id),
            Err(e) => failed.push((r.id, e)),
        }
    }
    state
        .background(|conn, now| {
            store::mark_delivered(conn, &delivered, now)?;
            for (id, e) in &failed {
                store::mark_failed(conn, &[*id], e)?;
            }
            Ok(())
        })
        .map_err(|e| e.message)?;
    drop(one_at_a_time);
    if !failed.is_empty() {
        eprintln!(
            "Rapport: {} reminder(s) could not be shown on the desktop: {}",
            failed.len(),
            failed[0].1
        );
    }
    let _ = app.emit("reminders-changed", unread);
    tray::refresh(app, lang, Some(due_today(&state)), paused);
    Ok(())
}

/// Open tasks due today or overdue for the logged-in user, for the tray.
fn due_today(state: &AppState) -> usize {
    state
        .as_actor(|conn, now, actor| rapport_core::today::today(conn, now, actor))
        .map(|t| t.overdue_tasks.len() + t.due_today.len())
        .unwrap_or(0)
}

/// What a click on a notification does: bring the window back and tell the UI which item.
fn open_app<R: Runtime>(
    app: &AppHandle<R>,
    item: Option<Reminder>,
) -> impl FnOnce() + Send + 'static {
    let app = app.clone();
    move || {
        tray::show_window(&app);
        if let Some(r) = item {
            let _ = app.emit(
                "open-item",
                serde_json::json!({"item_kind": r.item_kind, "item_id": r.item_id}),
            );
        }
    }
}
