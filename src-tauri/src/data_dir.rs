//! Where the data folder is and who owns it: `--data-dir DIR`, else `RAPPORT_DATA_DIR`, else the
//! OS's per-user app data folder (from Tauri's path resolver). A lock file keeps a second
//! process away from a folder that one is already using.

use fd_lock::RwLock;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Environment variable naming the data folder (tests, portable installs).
pub const DATA_DIR_ENV: &str = "RAPPORT_DATA_DIR";

/// The folder chosen on the command line or in the environment, if any.
pub fn override_from(args: &[String]) -> Option<PathBuf> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--data-dir" {
            return it.next().map(PathBuf::from);
        }
        if let Some(v) = a.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(v));
        }
    }
    std::env::var_os(DATA_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// How long a starting app waits for the data folder held by another process.
pub const LOCK_PATIENCE: Duration = Duration::from_secs(5);

/// An exclusive hold on a data folder for the life of the process.
pub struct FolderLock {
    _lock: Box<RwLock<File>>,
}

impl FolderLock {
    /// Create the folder if needed and lock it; fails if another Rapport still holds it after
    /// `patience` (a Rapport that has just crashed or been killed can take a moment to let go
    /// of its files, and restarting at once must not fail for that).
    pub fn acquire(dir: &Path, patience: Duration) -> Result<FolderLock, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let file = File::create(dir.join("rapport.lock"))
            .map_err(|e| format!("cannot open the lock file: {e}"))?;
        let mut lock = Box::new(RwLock::new(file));
        let deadline = Instant::now() + patience;
        loop {
            // Leak-free: the guard borrows the box; we forget the guard and keep the box
            // alive, and the OS releases the lock when the process ends.
            let held = match lock.try_write() {
                Ok(guard) => {
                    std::mem::forget(guard);
                    true
                }
                Err(_) => false,
            };
            if held {
                return Ok(FolderLock { _lock: lock });
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "another Rapport is already using the data folder {}",
                    dir.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_wins() {
        let args = vec!["rapport".into(), "--data-dir".into(), "/tmp/x".into()];
        assert_eq!(override_from(&args), Some(PathBuf::from("/tmp/x")));
        let args = vec!["rapport".into(), "--data-dir=/tmp/y".into()];
        assert_eq!(override_from(&args), Some(PathBuf::from("/tmp/y")));
    }

    #[test]
    fn a_folder_is_locked_once() {
        let dir = tempfile::tempdir().unwrap();
        let first = FolderLock::acquire(dir.path(), Duration::ZERO).unwrap();
        // fd-lock locks are per open file description, so a second open in-process conflicts too.
        let started = Instant::now();
        assert!(FolderLock::acquire(dir.path(), Duration::from_millis(200)).is_err());
        assert!(
            started.elapsed() >= Duration::from_millis(200),
            "it waited first"
        );
        drop(first);
        // Released (as when the holder's process ends): the next one gets it.
        assert!(FolderLock::acquire(dir.path(), Duration::ZERO).is_ok());
    }
}
