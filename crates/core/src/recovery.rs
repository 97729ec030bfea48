//! Starting on a damaged database. When the file cannot be opened, migrated or passes no quick
//! check, the app does not start as usual: it offers the backups instead. Putting one in place
//! never deletes the damaged file: it is moved aside (with its `-wal`/`-shm` companions) under
//! a dated name, so nothing that might still be rescued from it is lost.

use crate::account::Actor;
use crate::backup::{self, BACKUP_DIR, BackupFile};
use crate::db::{self, DB_FILE};
use crate::permission::Action;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// Open the data folder's database for the app, migrated. Its integrity is checked apart, by
/// [`check`], while the app already runs: SQLite's quick check reads the whole file, seconds on
/// a large one, and the window should not wait for it. The error says what is wrong; the app
/// then shows its recovery screen. As with [`check`], a failure is declared only when a second
/// look, a moment later, agrees with the first: a Rapport that has just crashed or been killed
/// can still be letting go of the file when the next one starts.
pub fn open_migrated(data_dir: &Path) -> Result<Connection> {
    let path = data_dir.join(DB_FILE);
    db::open(&path).or_else(|_| {
        std::thread::sleep(SECOND_LOOK);
        db::open(&path)
    })
}

/// SQLite's quick check of the data folder's database, on a read-only connection of its own so
/// it can run beside the app's connections (the write-ahead log gives it a stable snapshot while
/// they read and write). `Ok(())`, or the problem once a second look agrees.
pub fn check(data_dir: &Path) -> Result<()> {
    let path = data_dir.join(DB_FILE);
    let look = || {
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(db::BUSY_TIMEOUT)?;
        backup::quick_check(&conn)
    };
    look().or_else(|_| {
        std::thread::sleep(SECOND_LOOK);
        look()
    })
}

/// The pause before [`open_migrated`] and [`check`] look again.
const SECOND_LOOK: std::time::Duration = std::time::Duration::from_secs(1);

/// A backup as the recovery screen offers it: checked, newest first, until a good one is found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckedBackup {
    /// The backup file.
    #[serde(flatten)]
    pub file: BackupFile,
    /// `Some(true)` passed the validation, `Some(false)` failed it, `None` not checked (older
    /// than the newest good one).
    pub good: Option<bool>,
    /// Why it failed, when it did.
    pub problem: Option<String>,
}

/// The backups, newest first, validated one by one (integrity check, schema) until the first
/// good one: the damaged database's replacement is the newest backup that is itself healthy.
pub fn check_backups(data_dir: &Path) -> Result<Vec<CheckedBackup>> {
    let mut found_good = false;
    backup::list(data_dir)?
        .into_iter()
        .map(|file| {
            if found_good {
                return Ok(CheckedBackup {
                    file,
                    good: None,
                    problem: None,
                });
            }
            let checked = backup::validate(&data_dir.join(BACKUP_DIR).join(&file.name));
            found_good = checked.is_ok();
            Ok(CheckedBackup {
                good: Some(checked.is_ok()),
                problem: checked.err().map(|e| e.to_string()),
                file,
            })
        })
        .collect()
}

/// Save a consistent copy of the live database to `dest` (a file the admin chose), for an
/// admin: "Back up now" to a place of one's own (another disk, a USB stick).
pub fn save_copy_as(conn: &Connection, actor: &Actor, dest: &Path) -> Result<()> {
    actor.require(Action::DataManage)?;
    backup::backup_to(conn, dest)
}

/// The path of a backup named as the backups list shows it. Only a plain file name of that
/// folder is accepted (no separators, no `..`), so a name cannot point elsewhere.
pub fn backup_path(data_dir: &Path, name: &str) -> Result<PathBuf> {
    let plain = !name.is_empty()
        && !name.contains(['/', '\\', '\0'])
        && name != "."
        && name != ".."
        && backup::list(data_dir)?.iter().any(|b| b.name == name);
    if !plain {
        return Err(Error::NotFound("backup"));
    }
    Ok(data_dir.join(BACKUP_DIR).join(name))
}

/// The damaged files and the names they are moved to.
fn aside_names(data_dir: &Path, now: DateTime<Utc>) -> Vec<(PathBuf, PathBuf)> {
    let stamp = now.format("%Y%m%d-%H%M%S");
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let from = data_dir.join(format!("{DB_FILE}{suffix}"));
            let to = data_dir.join(format!("{DB_FILE}.damaged-{stamp}{suffix}"));
            (from, to)
        })
        .collect()
}

/// Replace the damaged database with `source` (a backup, or a file the person picked): the
/// source is validated first (integrity check, a Rapport schema not newer than this build) and
/// nothing moves if it fails; then the damaged file is moved aside, the source copied in
/// (through a temporary name, so a crash never leaves half a file under the real name), and
/// the result opened, migrated and checked. Returns the open connection and the damaged file's
/// new path.
pub fn replace_damaged(
    data_dir: &Path,
    source: &Path,
    now: DateTime<Utc>,
) -> Result<(Connection, PathBuf)> {
    backup::validate(source)?;
    let moves = aside_names(data_dir, now);
    for (from, to) in &moves {
        if from.exists() {
            std::fs::rename(from, to)?;
        }
    }
    let live = data_dir.join(DB_FILE);
    let partial = data_dir.join(format!("{DB_FILE}.restoring"));
    std::fs::copy(source, &partial)?;
    std::fs::rename(&partial, &live)?;
    let conn = open_migrated(data_dir)?;
    check(data_dir)?;
    Ok((conn, moves[0].1.clone()))
}

/// The backups, newest first, for an admin (Settings › Data).
pub fn backups_as(actor: &Actor, data_dir: &Path) -> Result<Vec<BackupFile>> {
    actor.require(Action::DataManage)?;
    backup::list(data_dir)
}

/// "Back up now": a `manual` backup into the backups folder, for an admin.
pub fn backup_now_as(
    conn: &Connection,
    actor: &Actor,
    data_dir: &Path,
    now: DateTime<Utc>,
) -> Result<BackupFile> {
    actor.require(Action::DataManage)?;
    let path = backup::backup_now(conn, data_dir, now, "manual")?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    backup::list(data_dir)?
        .into_iter()
        .find(|b| Some(&b.name) == name.as_ref())
        .ok_or(Error::NotFound("backup"))
}

/// Restore a healthy database from `source` (a backup or a picked file), for an admin: the
/// source is validated and the current data backed up first (`backup::restore`).
pub fn restore_as(
    conn: &mut Connection,
    actor: &Actor,
    data_dir: &Path,
    now: DateTime<Utc>,
    source: &Path,
) -> Result<PathBuf> {
    actor.require(Action::DataManage)?;
    backup::restore(conn, data_dir, now, source)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::io::{Seek, SeekFrom, Write};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()
    }

    /// A migrated data folder with a `marker` table of 2000 filler rows (so the file has many
    /// pages) and one row holding `team`, which tells one database from another.
    fn folder_with(team: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let conn = db::open(&dir.path().join(DB_FILE)).unwrap();
        conn.execute_batch(
            "CREATE TABLE marker (v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO marker SELECT hex(randomblob(64)) FROM n;",
        )
        .unwrap();
        conn.execute("INSERT INTO marker VALUES (?1)", [team])
            .unwrap();
        drop(conn);
        dir
    }

    /// The folder's database as the app has it once started: migrated and checked.
    fn opened(data: &Path) -> Connection {
        let conn = open_migrated(data).unwrap();
        check(data).unwrap();
        conn
    }

    fn marker(conn: &Connection, team: &str) -> i64 {
        conn.query_row("SELECT count(*) FROM marker WHERE v = ?1", [team], |r| {
            r.get(0)
        })
        .unwrap()
    }

    /// Overwrite the last pages of the file with garbage: the schema page survives, so the
    /// file opens, but the table's pages are no longer a b-tree.
    fn damage(path: &Path) {
        let len = std::fs::metadata(path).unwrap().len();
        let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        f.seek(SeekFrom::Start(len / 2)).unwrap();
        f.write_all(&vec![0xA5; (len / 2) as usize]).unwrap();
    }

    #[test]
    fn a_damaged_file_is_refused_and_replaced_by_a_backup_and_kept_aside() {
        let dir = folder_with("旧的好数据");
        let data = dir.path();
        {
            let conn = opened(data);
            backup::backup_now(&conn, data, now(), "manual").unwrap();
            conn.execute("INSERT INTO marker VALUES ('备份之后')", [])
                .unwrap();
        }
        damage(&data.join(DB_FILE));
        let damaged_bytes = std::fs::read(data.join(DB_FILE)).unwrap();
        assert!(check(data).is_err(), "the damage must be noticed");

        let newest = &backup::list(data).unwrap()[0].name;
        let source = backup_path(data, newest).unwrap();
        let (conn, aside) = replace_damaged(data, &source, now()).unwrap();
        assert_eq!(marker(&conn, "旧的好数据"), 1);
        assert_eq!(marker(&conn, "备份之后"), 0, "the backup predates that row");
        assert_eq!(std::fs::read(&aside).unwrap(), damaged_bytes);
        assert!(
            aside
                .file_name()
                .unwrap()
                .to_string_lossy()
                .contains("damaged-20261124-090000")
        );
        drop(conn);
        opened(data);
    }

    /// The check runs beside the app: it passes while another connection is in the middle of
    /// a write, and it finds damage in a file the app has open.
    #[test]
    fn the_check_runs_beside_open_connections() {
        let dir = folder_with("数据");
        let data = dir.path();
        let mut conn = opened(data);
        let tx = conn.transaction().unwrap();
        tx.execute("INSERT INTO marker VALUES ('写入中')", [])
            .unwrap();
        check(data).unwrap();
        tx.commit().unwrap();
        check(data).unwrap();
        drop(conn);
        let conn = open_migrated(data).unwrap();
        damage(&data.join(DB_FILE));
        assert!(check(data).is_err(), "the damage must be noticed");
        drop(conn);
    }

    #[test]
    fn a_bad_source_moves_nothing() {
        let dir = folder_with("数据");
        let data = dir.path();
        damage(&data.join(DB_FILE));
        let before = std::fs::read(data.join(DB_FILE)).unwrap();
        let junk = data.join("junk.sqlite3");
        std::fs::write(&junk, b"not a database at all").unwrap();
        assert!(replace_damaged(data, &junk, now()).is_err());
        assert_eq!(std::fs::read(data.join(DB_FILE)).unwrap(), before);
        let asides = std::fs::read_dir(data)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("damaged")
            })
            .count();
        assert_eq!(asides, 0);
    }

    #[test]
    fn backup_names_cannot_point_outside_the_backups_folder() {
        let dir = folder_with("数据");
        let data = dir.path();
        let conn = opened(data);
        let made = backup::backup_now(&conn, data, now(), "manual").unwrap();
        let name = made.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(backup_path(data, &name).unwrap(), made);
        for bad in [
            "",
            "..",
            "../rapport.sqlite3",
            "/etc/passwd",
            "x\0y",
            "nope.sqlite3",
        ] {
            assert!(backup_path(data, bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn only_admins_back_up_list_and_restore() {
        let mut f = crate::testutil::Fixture::new();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        for who in [&f.staff1, &f.head1, &f.supervisor, &f.viewer] {
            assert!(backup_now_as(&f.conn, who, data, now()).is_err());
            assert!(backups_as(who, data).is_err());
        }
        let made = backup_now_as(&f.conn, &f.admin, data, now()).unwrap();
        assert_eq!(backups_as(&f.admin, data).unwrap(), vec![made.clone()]);
        let name = |c: &Connection| -> String {
            c.query_row("SELECT name FROM customers WHERE id = ?1", [f.cust2], |r| {
                r.get(0)
            })
            .unwrap()
        };
        let original = name(&f.conn);
        f.conn
            .execute(
                "UPDATE customers SET name = '备份之后改的' WHERE id = ?1",
                [f.cust2],
            )
            .unwrap();
        let source = backup_path(data, &made.name).unwrap();
        assert!(restore_as(&mut f.conn, &f.staff1, data, now(), &source).is_err());
        let admin = f.admin.clone();
        restore_as(&mut f.conn, &admin, data, now(), &source).unwrap();
        assert_eq!(name(&f.conn), original);
    }

    #[test]
    fn the_newest_good_backup_is_found_past_a_damaged_one() {
        let dir = folder_with("数据");
        let data = dir.path();
        let conn = opened(data);
        let older = backup::backup_now(&conn, data, now(), "daily").unwrap();
        let newer =
            backup::backup_now(&conn, data, now() + chrono::Duration::hours(1), "manual").unwrap();
        damage(&newer);
        let checked = check_backups(data).unwrap();
        assert_eq!(checked.len(), 2);
        assert_eq!(checked[0].good, Some(false));
        assert!(checked[0].problem.is_some());
        assert_eq!(checked[1].good, Some(true));
        assert_eq!(data.join(BACKUP_DIR).join(&checked[1].file.name), older);
        // Admins can also save a copy wherever they choose.
        let f = crate::testutil::Fixture::new();
        let dest = data.join("elsewhere").join("copy.sqlite3");
        assert!(save_copy_as(&f.conn, &f.staff1, &dest).is_err());
        save_copy_as(&f.conn, &f.admin, &dest).unwrap();
        backup::validate(&dest).unwrap();
    }
}
