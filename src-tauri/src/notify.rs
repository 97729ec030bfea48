//! Desktop notifications through the OS's notification service (notify-rust: D-Bus on Linux,
//! the native centres on Windows and macOS). Showing one blocks, so it runs on a blocking
//! thread; a missing service is an error the scheduler records, never a crash: the reminder
//! stays in the in-app notification centre.

use std::path::{Path, PathBuf};

/// The app icon as a file the notification service can read, written once into the data
/// folder (the service needs a path, and an installed icon theme entry may not exist).
pub fn icon_file(data_dir: &Path) -> Option<PathBuf> {
    let path = data_dir.join("notification-icon.png");
    if !path.exists() {
        std::fs::write(&path, include_bytes!("../../icons/128x128.png")).ok()?;
    }
    Some(path)
}

/// Show one notification; `on_open` runs if the user clicks it (where the platform reports
/// clicks). Returns the error text when the service is unavailable.
pub fn show(
    title: &str,
    body: &str,
    icon: Option<&Path>,
    on_open: impl FnOnce() + Send + 'static,
) -> Result<(), String> {
    let mut n = notify_rust::Notification::new();
    n.appname("Rapport").summary(title).body(&body_text(body));
    if let Some(icon) = icon {
        n.icon(&icon.to_string_lossy());
    }
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        n.action("default", "Open");
        let handle = n.show().map_err(|e| e.to_string())?;
        // Waiting for a click blocks until the notification closes: keep it off every other path.
        std::thread::spawn(move || {
            handle.wait_for_action(|action| {
                if action == "default" {
                    on_open();
                }
            })
        });
        Ok(())
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = on_open;
        n.show().map(|_| ()).map_err(|e| e.to_string())
    }
}

/// The notification's body as the service will show it. On Linux the freedesktop spec lets the
/// service read the body as markup (`<b>`, `<img>`, `<a>`), so user text — a task title, a
/// customer's name — is escaped there to show exactly as typed; other platforms show plain text.
fn body_text(text: &str) -> String {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::body_text;

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn markup_in_user_text_is_escaped_for_the_linux_service() {
        assert_eq!(
            body_text("<b>bold</b> & <img src=x onerror=\"a()\">"),
            "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=\"a()\"&gt;"
        );
        assert_eq!(
            body_text("提供报价单 \u{202E}gpj.exe"),
            "提供报价单 \u{202E}gpj.exe"
        );
    }

    #[cfg(not(all(unix, not(target_os = "macos"))))]
    #[test]
    fn other_platforms_show_the_text_as_is() {
        assert_eq!(body_text("<b>bold</b> & x"), "<b>bold</b> & x");
    }
}
