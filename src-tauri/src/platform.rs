//! Platform-specific bits, kept in one place: opening a file with the system's default
//! application (`xdg-open` on Linux and the BSDs, `open` on macOS, `start` on Windows).

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

/// Open `path` with the application the system associates with its type. Returns once the
/// opener has started; it is reaped on a background thread.
pub fn open_with_default_app(path: &Path) -> io::Result<()> {
    let mut cmd = opener(path);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn()?;
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

#[cfg(target_os = "windows")]
fn opener(path: &Path) -> Command {
    // `start` is a cmd built-in; the empty "" is the window title, so a quoted path is not
    // taken for one.
    let mut c = Command::new("cmd");
    c.arg("/C").arg("start").arg("").arg(path);
    c
}

#[cfg(target_os = "macos")]
fn opener(path: &Path) -> Command {
    let mut c = Command::new("open");
    c.arg(path);
    c
}

#[cfg(not(any(target_os = "windows", target_os = "macos")))]
fn opener(path: &Path) -> Command {
    let mut c = Command::new("xdg-open");
    c.arg(path);
    c
}
