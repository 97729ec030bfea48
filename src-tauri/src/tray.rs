//! The system-tray icon: a tooltip and menu with "open Rapport", today's due count (kept up to
//! date by the scheduler), "pause notifications for 1 hour" and "quit". Closing the window
//! hides it to the tray (configurable), so reminders keep firing.

use crate::state::AppState;
use crate::texts::{self, Lang, Text};
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

/// The menu items the scheduler updates.
pub struct TrayItems<R: Runtime> {
    open: MenuItem<R>,
    due: MenuItem<R>,
    pause: CheckMenuItem<R>,
    quit: MenuItem<R>,
}

/// Build the tray icon and its menu.
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let lang = Lang::pick(None);
    let open = MenuItem::with_id(
        app,
        "open",
        texts::text(lang, Text::Open),
        true,
        None::<&str>,
    )?;
    let due = MenuItem::with_id(app, "due", texts::due_today(lang, 0), false, None::<&str>)?;
    let pause = CheckMenuItem::with_id(
        app,
        "pause",
        texts::text(lang, Text::Pause),
        true,
        false,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(
        app,
        "quit",
        texts::text(lang, Text::Quit),
        true,
        None::<&str>,
    )?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &due, &separator, &pause, &quit])?;
    TrayIconBuilder::with_id("main")
        .icon(Image::from_bytes(include_bytes!("../../icons/tray.png"))?)
        .tooltip("Rapport")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_window(app),
            "pause" => toggle_pause(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .build(app)?;
    app.manage(TrayItems {
        open,
        due,
        pause,
        quit,
    });
    Ok(())
}

/// Bring the main window back from the tray and focus it.
pub fn show_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// Pause (or resume) desktop notifications for the desktop's user for one hour.
fn toggle_pause<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let user = state.session().map(|a| a.user_id);
    let _ = state.public(|conn, now| {
        let user = match user {
            Some(u) => Some(u),
            None => rapport_core::reminder::store::desktop_user(conn)?,
        };
        if let Some(user) = user {
            let paused = rapport_core::reminder::store::prefs(conn, user)?
                .paused_until
                .is_some_and(|t| t > now);
            let until = (!paused).then(|| now + chrono::Duration::hours(1));
            rapport_core::reminder::store::pause(conn, user, until)?;
        }
        Ok(())
    });
    if let Some(wake) = app.try_state::<crate::scheduler::Wake>() {
        wake.now();
    }
}

/// Refresh the labels (in `lang`), the due count (when known) and the pause tick.
pub fn refresh<R: Runtime>(app: &AppHandle<R>, lang: Lang, due: Option<usize>, paused: bool) {
    let Some(items) = app.try_state::<TrayItems<R>>() else {
        return;
    };
    let _ = items.open.set_text(texts::text(lang, Text::Open));
    let _ = items.quit.set_text(texts::text(lang, Text::Quit));
    let _ = items.pause.set_text(texts::text(lang, Text::Pause));
    let _ = items.pause.set_checked(paused);
    let n = due.unwrap_or(0);
    let label = texts::due_today(lang, n);
    let _ = items.due.set_text(&label);
    if let Some(tray) = app.tray_by_id("main") {
        let _ = tray.set_tooltip(Some(format!("Rapport — {label}")));
    }
}
