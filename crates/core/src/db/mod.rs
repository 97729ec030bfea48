//! Opening the database: where the file lives, the per-connection pragmas (WAL, foreign keys,
//! busy timeout) and bringing the schema up to date through [`migrations`].

mod check_lists;
#[cfg(test)]
mod crash_tests;
pub mod migrations;
#[cfg(test)]
mod upgrade_tests;

use crate::Result;
use rusqlite::Connection;
use std::path::Path;
use std::time::Duration;

/// The database file's name inside the data folder.
pub const DB_FILE: &str = "rapport.sqlite3";

/// Open (creating if needed) the database at `path`, apply the pragmas and migrate it to the
/// newest schema. An existing database about to be migrated is first backed up beside it
/// (`backups/rapport-…-pre-migration-vN.sqlite3`), so an upgrade can always be undone.
pub fn open(path: &Path) -> Result<Connection> {
    let mut conn = Connection::open(path)?;
    configure(&mut conn)?;
    let version = migrations::current_version(&conn)?;
    if version > 0
        && version < migrations::latest_version()
        && let Some(dir) = path.parent()
    {
        // The wall clock only names the file here; no rule depends on it.
        let label = format!("pre-migration-v{version}");
        crate::backup::backup_now(&conn, dir, chrono::Utc::now(), &label)?;
    }
    migrations::migrate(&mut conn)?;
    refresh_statistics(&conn)?;
    Ok(conn)
}

/// Let SQLite gather the table statistics its query planner needs, as its documentation
/// advises for long-lived connections: tables never analysed (or grown tenfold) are analysed,
/// each on a bounded sample, so this costs milliseconds even on a large file. Without
/// statistics the planner guesses, and on 100k customers a guess picked a sort of the whole
/// table over an index walk.
fn refresh_statistics(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
    Ok(())
}

/// Copy what the write-ahead log holds into the database file, without waiting for readers or
/// writers (a passive checkpoint). A large write ([`crate::customer::import::apply`]) leaves this
/// to its caller, who runs it where nobody waits for it.
pub fn checkpoint(conn: &Connection) -> Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
    Ok(())
}

/// While it lasts, commits on the connection sync the write-ahead log (`synchronous = FULL`)
/// and skip SQLite's automatic checkpoint, which otherwise copies every page a large commit
/// wrote into the database file before the commit returns: the import's rows are as safe on
/// disk as before, and the copy is left to [`checkpoint`]. [`Self::end`] sets both back.
pub(crate) struct DeferredCheckpoint {
    autocheckpoint: i64,
    synchronous: i64,
}

impl DeferredCheckpoint {
    /// Sync each commit and stop the automatic checkpoint.
    pub(crate) fn begin(conn: &Connection) -> Result<Self> {
        let autocheckpoint = conn.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
        let synchronous = conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        Ok(Self {
            autocheckpoint,
            synchronous,
        })
    }

    /// Set both back as they were.
    pub(crate) fn end(self, conn: &Connection) -> Result<()> {
        conn.pragma_update(None, "wal_autocheckpoint", self.autocheckpoint)?;
        conn.pragma_update(None, "synchronous", self.synchronous)?;
        Ok(())
    }
}

/// A migrated in-memory database, for tests.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&mut conn)?;
    migrations::migrate(&mut conn)?;
    Ok(conn)
}

/// Each connection's page cache, in KiB (as `PRAGMA cache_size` takes it, negated): eight times
/// SQLite's default of 2 MB, which made dashboards on the large data set about 15 % slower. 16,
/// 32 and 64 MB, and the 2 GB memory map used before, all gave the same dashboard times within
/// this machine's noise, while the map left every page read (the start-up integrity check
/// reads them all) counted in the app's memory: 1.2 GB on a 1.2 GB database. Pages beyond the
/// cache come from the operating system's file cache. See `docs/benchmarks.md`, session 8.
const CACHE_KIB: i64 = 16 * 1024;

/// How long a connection waits for another one's write to finish.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The pragmas every connection needs: write-ahead logging (readers never block the writer and
/// a crash loses at most the transaction in flight), enforced foreign keys, and a busy timeout
/// so a concurrent writer (the scheduler's connection, whose pass takes seconds on a very large
/// book of customers, or the admin CLI) makes us wait rather than fail, and a page cache of
/// [`CACHE_KIB`]. Transactions take the write lock when they begin (`BEGIN IMMEDIATE`): a deferred one
/// that read first and then wrote would fail at once, without waiting, had another connection
/// written in between.
pub fn configure(conn: &mut Connection) -> Result<()> {
    conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactions_take_the_write_lock_when_they_begin() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        let mut first = open(&path).unwrap();
        let second = open(&path).unwrap();
        second.busy_timeout(Duration::ZERO).unwrap();
        let tx = first.transaction().unwrap();
        // Nothing written yet, and still another writer is turned away (it would wait, given
        // its busy timeout) ...
        let err = second.execute_batch("BEGIN IMMEDIATE").unwrap_err();
        assert_eq!(
            err.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy)
        );
        // ... while readers are not.
        let tables: i64 = second
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert!(tables > 0);
        tx.commit().unwrap();
        second.execute_batch("BEGIN IMMEDIATE; COMMIT").unwrap();
    }

    #[test]
    fn file_database_uses_wal_foreign_keys_and_a_bounded_page_cache() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join(DB_FILE)).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode.to_lowercase(), "wal");
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let cache: i64 = conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(cache, -CACHE_KIB, "a 16 MB page cache");
        // No memory map: mapped pages would count in the app's memory once read.
        let mmap: i64 = conn
            .query_row("PRAGMA mmap_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mmap, 0);
        let err = conn.execute("INSERT INTO users (username, display_name, role, password_hash, department_id, created_at, updated_at) VALUES ('a','a','staff','x',999,0,0)", []);
        assert!(err.is_err(), "a dangling department must be refused");
    }

    #[test]
    fn reopening_keeps_data_and_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let conn = open(&path).unwrap();
            conn.execute("INSERT INTO settings (key, value) VALUES ('k', '1')", [])
                .unwrap();
        }
        let conn = open(&path).unwrap();
        let v: String = conn
            .query_row("SELECT value FROM settings WHERE key='k'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, "1");
        assert_eq!(
            migrations::current_version(&conn).unwrap(),
            migrations::latest_version()
        );
    }

    #[test]
    fn an_older_database_is_backed_up_before_migrating() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        {
            let mut conn = Connection::open(&path).unwrap();
            configure(&mut conn).unwrap();
            migrations::migrate_to(&mut conn, 1).unwrap();
            conn.execute("INSERT INTO settings (key, value) VALUES ('k', 'old')", [])
                .unwrap();
        }
        open(&path).unwrap();
        let backups = crate::backup::list(dir.path()).unwrap();
        assert_eq!(backups.len(), 1);
        assert!(
            backups[0].name.contains("pre-migration-v1"),
            "{}",
            backups[0].name
        );
        let copy = Connection::open(dir.path().join("backups").join(&backups[0].name)).unwrap();
        assert_eq!(
            migrations::current_version(&copy).unwrap(),
            1,
            "the backup keeps the old schema"
        );
        // Opening again (already current) takes no further backup.
        open(&path).unwrap();
        assert_eq!(crate::backup::list(dir.path()).unwrap().len(), 1);
    }
}
