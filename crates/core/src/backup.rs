//! Backups: consistent copies of the live database through SQLite's online backup API (safe
//! while the app runs), daily automatic backups with a 7-daily / 4-weekly / 12-monthly
//! retention, a backup before every migration and every restore, and restore from a file after
//! validation. Attachments are content-addressed files beside the database (a blob's name is
//! its hash and blobs are never rewritten), so a backup of the database stays valid as long as
//! the `attachments` folder is kept with it; the full export bundles both.

use crate::db::migrations;
use crate::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Folder (inside the data folder) that holds automatic backups.
pub const BACKUP_DIR: &str = "backups";
const PREFIX: &str = "rapport-";
const SUFFIX: &str = ".sqlite3";
const STAMP: &str = "%Y%m%d-%H%M%S";

/// How many backups of each period the retention keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Newest backup of each of the last N days that have one.
    pub daily: usize,
    /// Newest backup of each of the last N ISO weeks that have one.
    pub weekly: usize,
    /// Newest backup of each of the last N months that have one.
    pub monthly: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

/// One automatic backup file, as the restore screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupFile {
    /// File name inside the backups folder.
    pub name: String,
    /// When it was taken (from its name).
    pub taken_at: DateTime<Utc>,
    /// Size in bytes.
    pub bytes: u64,
}

/// Copy the live database into `dest` (overwritten) with the online backup API: the copy is a
/// consistent snapshot even while the app keeps writing.
pub fn backup_to(conn: &Connection, dest: &Path) -> Result<()> {
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let tmp = dest.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    {
        let mut out = Connection::open(&tmp)?;
        let backup = rusqlite::backup::Backup::new(conn, &mut out)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
    }
    // The copy is complete and closed: publish it under its final name in one step.
    std::fs::rename(&tmp, dest)?;
    Ok(())
}

fn file_name(at: DateTime<Utc>, label: &str) -> String {
    let label = if label.is_empty() {
        String::new()
    } else {
        format!("-{label}")
    };
    format!("{PREFIX}{}{label}{SUFFIX}", at.format(STAMP))
}

fn parse_name(name: &str) -> Option<DateTime<Utc>> {
    let body = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let stamp = body.get(..15)?;
    NaiveDateTime::parse_from_str(stamp, STAMP)
        .ok()
        .map(|t| t.and_utc())
}

/// Every backup in `data_dir/backups`, newest first.
pub fn list(data_dir: &Path) -> Result<Vec<BackupFile>> {
    let dir = data_dir.join(BACKUP_DIR);
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(files);
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(taken_at) = parse_name(&name) {
            files.push(BackupFile {
                name,
                taken_at,
                bytes: entry.metadata()?.len(),
            });
        }
    }
    files.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then(b.name.cmp(&a.name)));
    Ok(files)
}

/// Take a labelled backup now (e.g. `pre-migration`, `pre-restore`, `manual`) into the backups
/// folder; returns its path.
pub fn backup_now(
    conn: &Connection,
    data_dir: &Path,
    now: DateTime<Utc>,
    label: &str,
) -> Result<PathBuf> {
    let dest = data_dir.join(BACKUP_DIR).join(file_name(now, label));
    backup_to(conn, &dest)?;
    Ok(dest)
}

/// The daily backup: taken when no backup exists from the same UTC day, then old ones are
/// pruned. Returns the new file, if one was taken.
pub fn daily(
    conn: &Connection,
    data_dir: &Path,
    now: DateTime<Utc>,
    keep: Retention,
) -> Result<Option<PathBuf>> {
    let today = now.date_naive();
    let taken_today = list(data_dir)?
        .iter()
        .any(|b| b.taken_at.date_naive() == today);
    let path = if taken_today {
        None
    } else {
        Some(backup_now(conn, data_dir, now, "daily")?)
    };
    prune(data_dir, keep)?;
    Ok(path)
}

/// Which backups the retention keeps: the newest of each of the last `daily` days, `weekly`
/// ISO weeks and `monthly` months that have backups. Pure, for testing.
pub fn keep_set(files: &[BackupFile], keep: Retention) -> BTreeSet<String> {
    let mut newest_first: Vec<&BackupFile> = files.iter().collect();
    newest_first.sort_by_key(|f| std::cmp::Reverse(f.taken_at));
    let mut kept = BTreeSet::new();
    let mut pick = |limit: usize, period: &dyn Fn(&BackupFile) -> (i32, u32)| {
        let mut seen = BTreeSet::new();
        for f in &newest_first {
            if seen.len() >= limit {
                break;
            }
            if seen.insert(period(f)) {
                kept.insert(f.name.clone());
            }
        }
    };
    pick(keep.daily, &|f| (f.taken_at.year(), f.taken_at.ordinal()));
    pick(keep.weekly, &|f| {
        let w = f.taken_at.iso_week();
        (w.year(), w.week())
    });
    pick(keep.monthly, &|f| (f.taken_at.year(), f.taken_at.month()));
    kept
}

/// Delete automatic backups the retention does not keep.
pub fn prune(data_dir: &Path, keep: Retention) -> Result<usize> {
    let files = list(data_dir)?;
    let kept = keep_set(&files, keep);
    let mut removed = 0;
    for f in files.iter().filter(|f| !kept.contains(&f.name)) {
        std::fs::remove_file(data_dir.join(BACKUP_DIR).join(&f.name))?;
        removed += 1;
    }
    Ok(removed)
}

/// Check that `file` is a healthy Rapport database this build can open: SQLite's integrity
/// check passes and its schema is not newer than ours. Returns its schema version.
pub fn validate(file: &Path) -> Result<usize> {
    let bad = |why: String| Error::invalid("backup.invalid", "file", why);
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(format!("cannot open: {e}")))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(format!("not a database: {e}")))?;
    if integrity != "ok" {
        return Err(bad(format!("integrity check failed: {integrity}")));
    }
    let version = migrations::current_version(&conn)?;
    if version > migrations::latest_version() {
        return Err(Error::conflict(
            "db.too_new",
            format!("the backup was written by a newer Rapport (schema {version})"),
        ));
    }
    let has_team: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'team'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| n > 0)
        .unwrap_or(false);
    if version == 0 || !has_team {
        return Err(bad("this is not a Rapport database".into()));
    }
    Ok(version)
}

/// Replace the live database's content with `file`'s, after validating it and backing up the
/// current data (`pre-restore`). The live connection stays open; the restored data is then
/// migrated to the current schema. Returns the safety backup's path.
pub fn restore(
    conn: &mut Connection,
    data_dir: &Path,
    now: DateTime<Utc>,
    file: &Path,
) -> Result<PathBuf> {
    validate(file)?;
    let safety = backup_now(conn, data_dir, now, "pre-restore")?;
    {
        let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let backup = rusqlite::backup::Backup::new(&src, conn)?;
        backup.run_to_completion(256, std::time::Duration::from_millis(0), None)?;
    }
    migrations::migrate(conn)?;
    Ok(safety)
}

/// SQLite's quick integrity check, run at start: `Ok(())` or the first problem found. The check
/// reads every page of the file, which fills the connection's page cache with pages the app
/// will mostly not read again, so the cache is emptied afterwards (`shrink_memory`): the
/// connection then holds only what its own reads bring in.
pub fn quick_check(conn: &Connection) -> Result<()> {
    let result: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA shrink_memory")?;
    if result == "ok" {
        Ok(())
    } else {
        Err(Error::conflict("db.corrupt", result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn seeded(dir: &Path) -> Connection {
        let conn = crate::db::open(&dir.join(crate::db::DB_FILE)).unwrap();
        conn.execute("INSERT INTO team (id, name, time_zone, created_at) VALUES (1, '甲', 'Asia/Shanghai', 0)", [])
            .unwrap();
        conn
    }

    #[test]
    fn backup_is_a_consistent_copy_that_validates() {
        let dir = tempfile::tempdir().unwrap();
        let conn = seeded(dir.path());
        let path = backup_now(&conn, dir.path(), at(2026, 11, 23, 8), "manual").unwrap();
        assert_eq!(validate(&path).unwrap(), migrations::latest_version());
        let copy = Connection::open(&path).unwrap();
        let name: String = copy
            .query_row("SELECT name FROM team", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "甲");
        assert_eq!(list(dir.path()).unwrap().len(), 1);
        assert!(!path.with_extension("partial").exists());
    }

    #[test]
    fn daily_backup_once_per_day() {
        let dir = tempfile::tempdir().unwrap();
        let conn = seeded(dir.path());
        assert!(
            daily(&conn, dir.path(), at(2026, 11, 23, 8), Retention::default())
                .unwrap()
                .is_some()
        );
        assert!(
            daily(
                &conn,
                dir.path(),
                at(2026, 11, 23, 20),
                Retention::default()
            )
            .unwrap()
            .is_none()
        );
        assert!(
            daily(&conn, dir.path(), at(2026, 11, 24, 1), Retention::default())
                .unwrap()
                .is_some()
        );
        assert_eq!(list(dir.path()).unwrap().len(), 2);
    }

    #[test]
    fn retention_keeps_7_daily_4_weekly_12_monthly() {
        // One backup a day for two years.
        let start = at(2025, 1, 1, 3);
        let files: Vec<BackupFile> = (0..730)
            .map(|d| {
                let t = start + chrono::Duration::days(d);
                BackupFile {
                    name: file_name(t, "daily"),
                    taken_at: t,
                    bytes: 1,
                }
            })
            .collect();
        let kept = keep_set(&files, Retention::default());
        let newest = files.last().unwrap().taken_at;
        // The last 7 days are all kept.
        for f in files.iter().rev().take(7) {
            assert!(kept.contains(&f.name));
        }
        // Nothing older than 12 months (plus the month in progress) survives.
        for f in &files {
            if kept.contains(&f.name) {
                assert!(
                    newest - f.taken_at < chrono::Duration::days(366),
                    "{} kept",
                    f.name
                );
            }
        }
        // 7 daily + at most 4 weekly + at most 12 monthly, overlapping.
        assert!(
            kept.len() >= 12 && kept.len() <= 7 + 4 + 12,
            "{}",
            kept.len()
        );
    }

    #[test]
    fn restore_validates_backs_up_first_and_replaces_content() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = seeded(dir.path());
        let snapshot = backup_now(&conn, dir.path(), at(2026, 11, 1, 8), "manual").unwrap();
        conn.execute("UPDATE team SET name = '乙'", []).unwrap();
        let safety = restore(&mut conn, dir.path(), at(2026, 11, 2, 8), &snapshot).unwrap();
        let name: String = conn
            .query_row("SELECT name FROM team", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "甲", "restored");
        let saved = Connection::open(&safety).unwrap();
        let name: String = saved
            .query_row("SELECT name FROM team", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "乙", "the data before the restore was backed up");
    }

    #[test]
    fn bad_files_are_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = seeded(dir.path());
        let junk = dir.path().join("junk.sqlite3");
        std::fs::write(&junk, b"this is not a database at all, just some text").unwrap();
        assert_eq!(
            restore(&mut conn, dir.path(), at(2026, 11, 2, 8), &junk)
                .unwrap_err()
                .code(),
            "backup.invalid"
        );
        let empty = dir.path().join("empty.sqlite3");
        Connection::open(&empty)
            .unwrap()
            .execute_batch("CREATE TABLE x(y)")
            .unwrap();
        assert_eq!(validate(&empty).unwrap_err().code(), "backup.invalid");
        let newer = dir.path().join("newer.sqlite3");
        backup_to(&conn, &newer).unwrap();
        Connection::open(&newer)
            .unwrap()
            .pragma_update(
                None,
                "user_version",
                migrations::latest_version() as i64 + 1,
            )
            .unwrap();
        assert_eq!(validate(&newer).unwrap_err().code(), "db.too_new");
        let name: String = conn
            .query_row("SELECT name FROM team", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "甲");
        assert!(
            list(dir.path()).unwrap().is_empty(),
            "no safety backup for a refused restore"
        );
    }

    #[test]
    fn quick_check_passes_on_a_healthy_database() {
        let dir = tempfile::tempdir().unwrap();
        let conn = seeded(dir.path());
        quick_check(&conn).unwrap();
    }
}
