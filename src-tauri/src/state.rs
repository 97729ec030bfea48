//! The app's shared state: the database connection (and the scheduler's own), the clock, the
//! data folder and who is logged in. Commands borrow it through the small helpers here, so each command body is one
//! call into the core.

use chrono::{DateTime, Utc};
use rapport_core::account::Actor;
use rapport_core::clock::{Clock, ManualClock};
use rapport_core::{Error, ErrorPayload};
use rusqlite::Connection;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What every command reaches through `tauri::State`.
pub struct AppState {
    db: Mutex<Connection>,
    /// The scheduler's own connection, opened on first use: its pass over a large database
    /// (seconds on 100k customers) must never keep the window waiting for `db`.
    worker: Mutex<Option<Connection>>,
    session: Mutex<Option<Actor>>,
    /// Set when the integrity check, which runs while the app already works, found damage:
    /// every command is refused until a backup replaces the database (`commands::recovery`).
    damaged: AtomicBool,
    /// The clock; a [`ManualClock`] so test builds can move it (see the `test-clock` feature).
    pub clock: Arc<ManualClock>,
    /// The data folder (database, attachments, backups).
    pub data_dir: PathBuf,
}

/// The result type of every command: data, or an error the UI translates.
pub type CmdResult<T> = Result<T, ErrorPayload>;

impl AppState {
    /// Wrap an open, migrated connection.
    pub fn new(conn: Connection, data_dir: PathBuf) -> Self {
        Self {
            db: Mutex::new(conn),
            worker: Mutex::new(None),
            session: Mutex::new(None),
            damaged: AtomicBool::new(false),
            clock: Arc::new(ManualClock::default()),
            data_dir,
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll
        // back on drop), so a poisoned lock is safe to keep using.
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The window's connection for a command: refused once damage was found, checked after
    /// taking the lock, so a command that was waiting for it never runs on the stand-in of
    /// [`Self::close_damaged`].
    fn usable_conn(&self) -> CmdResult<MutexGuard<'_, Connection>> {
        let conn = self.conn();
        self.usable()?;
        Ok(conn)
    }

    /// Refused once damage was found.
    fn usable(&self) -> CmdResult<()> {
        if self.damaged.load(Ordering::SeqCst) {
            return Err(Error::conflict(
                "recovery.damaged",
                "the database is damaged; restore a backup on the recovery screen",
            )
            .to_payload());
        }
        Ok(())
    }

    /// The integrity check found damage: refuse every command from now on, close both
    /// connections to the damaged file (an empty in-memory database stands in for the window's)
    /// so it can be moved aside, and end the session.
    pub fn close_damaged(&self) {
        self.damaged.store(true, Ordering::SeqCst);
        // The same order as `as_actor_with_spare`: the window's connection, then the worker's.
        let mut db = self.conn();
        let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        if let Ok(stand_in) = Connection::open_in_memory() {
            *db = stand_in;
        }
        *worker = None;
        self.set_session(None);
    }

    /// A restored backup replaces the damaged database (after [`Self::close_damaged`]): commands
    /// work again, on `conn`; the background connection reopens on first use; everyone logs in
    /// again.
    pub fn replace_database(&self, conn: Connection) {
        let mut db = self.conn();
        let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
        *db = conn;
        *worker = None;
        self.set_session(None);
        self.damaged.store(false, Ordering::SeqCst);
    }

    /// The logged-in actor, if any.
    pub fn session(&self) -> Option<Actor> {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replace (or clear) the logged-in actor.
    pub fn set_session(&self, actor: Option<Actor>) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = actor;
    }

    /// Run `f` with the database and the current instant, without requiring a log-in (first-run
    /// status, setup, log-in itself).
    pub fn public<T>(
        &self,
        f: impl FnOnce(&mut Connection, DateTime<Utc>) -> rapport_core::Result<T>,
    ) -> CmdResult<T> {
        let now = self.now();
        off_runtime(|| {
            let mut conn = self.usable_conn()?;
            f(&mut conn, now).map_err(|e| e.to_payload())
        })
    }

    /// The background connection in `worker`, opened on first use.
    fn open_worker<'w>(&self, worker: &'w mut Option<Connection>) -> CmdResult<&'w mut Connection> {
        match worker {
            Some(conn) => Ok(conn),
            None => Ok(worker.insert(
                rapport_core::db::open(&self.data_dir.join(rapport_core::db::DB_FILE))
                    .map_err(|e| e.to_payload())?,
            )),
        }
    }

    /// Run `f` on the background connection (the scheduler's), opening it on first use.
    /// SQLite's write-ahead log lets the window read meanwhile; writes take turns.
    pub fn background<T>(
        &self,
        f: impl FnOnce(&mut Connection, DateTime<Utc>) -> rapport_core::Result<T>,
    ) -> CmdResult<T> {
        off_runtime(|| {
            let mut worker = self.worker.lock().unwrap_or_else(|p| p.into_inner());
            self.usable()?;
            let conn = self.open_worker(&mut worker)?;
            let now = self.now();
            f(conn, now).map_err(|e| e.to_payload())
        })
    }

    /// Run `f` on behalf of the logged-in actor on the window's connection, with the
    /// background one as a spare for reads split in two (`None` while the scheduler or an
    /// export holds it: `f` then does all its work on the first).
    pub fn as_actor_with_spare<T>(
        &self,
        f: impl FnOnce(
            &mut Connection,
            Option<&mut Connection>,
            DateTime<Utc>,
            &Actor,
        ) -> rapport_core::Result<T>,
    ) -> CmdResult<T> {
        let actor = self.logged_in()?;
        let now = self.now();
        off_runtime(|| {
            let mut conn = self.usable_conn()?;
            let mut worker = match self.worker.try_lock() {
                Ok(worker) => Some(worker),
                Err(std::sync::TryLockError::Poisoned(p)) => Some(p.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => None,
            };
            let spare = match worker.as_deref_mut() {
                Some(worker) => Some(self.open_worker(worker)?),
                None => None,
            };
            f(&mut conn, spare, now, &actor).map_err(|e| e.to_payload())
        })
    }

    /// Run `f` on behalf of the logged-in actor on the background connection: for long reads
    /// (exports of whole lists) that must not keep the window's own commands waiting.
    pub fn as_actor_in_background<T>(
        &self,
        f: impl FnOnce(&mut Connection, DateTime<Utc>, &Actor) -> rapport_core::Result<T>,
    ) -> CmdResult<T> {
        let actor = self.logged_in()?;
        self.background(|conn, now| f(conn, now, &actor))
    }

    /// Run `f` on behalf of the logged-in actor; refused when no one is logged in.
    pub fn as_actor<T>(
        &self,
        f: impl FnOnce(&mut Connection, DateTime<Utc>, &Actor) -> rapport_core::Result<T>,
    ) -> CmdResult<T> {
        let actor = self.logged_in()?;
        let now = self.now();
        off_runtime(|| {
            let mut conn = self.usable_conn()?;
            f(&mut conn, now, &actor).map_err(|e| e.to_payload())
        })
    }

    /// The logged-in actor, or the refusal a command gives when no one is logged in (or the
    /// database is damaged: that is what the window must hear first).
    fn logged_in(&self) -> CmdResult<Actor> {
        self.usable()?;
        self.session()
            .ok_or_else(|| Error::Unauthenticated.to_payload())
    }
}

/// Run `f`, which may wait for a database connection and then use it, without holding up the
/// async runtime. Tauri runs every command as a task on its multi-thread tokio runtime (see the
/// `commands` module), whose few worker threads (one per core) also run the async commands
/// (the file pickers, the recovery list); a task that blocked its worker for a dashboard or
/// behind a scheduler pass would stall them all. `block_in_place` first hands the worker's
/// other tasks to another thread. Off the runtime (the scheduler's thread, tests) `f` just runs.
fn off_runtime<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}
