//! Platform-specific bits, kept in one place: opening a file with the system's default
//! application (`xdg-open` on Linux and the BSDs, `open` on macOS, `start` on Windows), and
//! the background threads' lower priority.

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

/// How much lower than the app's other threads a background thread runs (a nice value: 0 is
/// normal, 19 the lowest).
pub const BACKGROUND_NICENESS: i32 = 10;

/// Run the calling thread at a lower CPU priority ([`BACKGROUND_NICENESS`]): work nobody waits
/// for (the start-up integrity check, the daily backup, the scheduler's passes) then gives way
/// to the window on a machine with few cores. Linux only (a nice value per thread); elsewhere
/// the thread keeps its priority.
pub fn lower_this_thread_priority() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{getpriority_process, setpriority_process};
        let me = Some(rustix::thread::gettid());
        // Never raise it: a thread of an app started with `nice 19` stays at 19.
        let result = getpriority_process(me).and_then(|now| {
            if now < BACKGROUND_NICENESS {
                setpriority_process(me, BACKGROUND_NICENESS)
            } else {
                Ok(())
            }
        });
        if let Err(e) = result {
            eprintln!("Rapport: cannot lower a background thread's priority: {e}");
        }
    }
}

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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Lowering the priority changes the calling thread only: the thread that asked runs at
    /// the background niceness, the thread that spawned it keeps its own.
    #[test]
    fn a_background_thread_runs_at_a_lower_priority_and_alone() {
        let own = || rustix::process::getpriority_process(Some(rustix::thread::gettid())).unwrap();
        let before = own();
        let background = std::thread::spawn(move || {
            lower_this_thread_priority();
            own()
        })
        .join()
        .unwrap();
        assert_eq!(background, before.max(BACKGROUND_NICENESS));
        assert_eq!(own(), before);
    }
}
