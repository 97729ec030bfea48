//! Crash safety: a child process (this test binary again, running the ignored `crash_child`
//! entry point) imports a CSV file, takes backups, keeps writing customers, or keeps writing
//! customers while two more connections read and write beside it as the app's scheduler and
//! dashboard do (with a checkpoint every few commits, so kills land inside checkpoints), and
//! the parent kills it with SIGKILL at a random instant, 20 times per scenario
//! (`RAPPORT_CRASH_ROUNDS` raises that for the busy scenario, for a longer soak). Afterwards the database
//! must pass SQLite's quick check, hold every change the child reported as committed, and show
//! no half-applied import (all of the file's customers or none) or half-written customer.
//!
//! The random instants come from a small xorshift generator seeded from the clock; the seed is
//! printed so a failing run can be repeated with `RAPPORT_CRASH_SEED`.

use crate::account::Actor;
use crate::customer::import::{DuplicatePolicy, apply, detect_mapping, read_sheet};
use crate::customer::model::{ContactInput, CustomerInput, NewCustomer};
use crate::permission::Role;
use rusqlite::Connection;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills per scenario.
const ROUNDS: usize = 20;
/// Rows in the imported file.
const IMPORT_ROWS: usize = 600;
const CHILD_ENV: &str = "RAPPORT_CRASH_CHILD";
const DIR_ENV: &str = "RAPPORT_CRASH_DIR";

struct Rng(u64);

impl Rng {
    fn new(label: &str) -> Self {
        let seed = std::env::var("RAPPORT_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            })
            | 1;
        eprintln!("{label}: RAPPORT_CRASH_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn admin() -> Actor {
    Actor {
        user_id: 1,
        username: "admin".into(),
        display_name: "管理员".into(),
        role: Role::Admin,
        department_id: None,
        locale: String::new(),
        must_change_password: false,
    }
}

/// A data folder with a migrated database, a team and an admin.
fn prepare(dir: &Path) -> PathBuf {
    let path = dir.join(super::DB_FILE);
    let conn = super::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO team (id, name, time_zone, created_at) VALUES (1, '测试团队', 'Asia/Shanghai', 0);
         INSERT INTO users (id, username, display_name, role, password_hash, created_at, updated_at)
           VALUES (1, 'admin', '管理员', 'admin', 'x', 0, 0);",
    )
    .unwrap();
    path
}

/// Open the database after a crash the way the app does at start, and check it.
fn reopen_checked(path: &Path) -> Connection {
    let conn = super::open(path).unwrap();
    crate::backup::quick_check(&conn).unwrap();
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0);
    conn
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Start this test binary as the child for `mode`, its stdout piped to us.
fn spawn(mode: &str, dir: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "db::crash_tests::crash_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
            "--quiet",
        ])
        .env(CHILD_ENV, mode)
        .env(DIR_ENV, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The child's report lines (`start`, `committed …`), read until it ends.
fn lines_of(child: &mut Child) -> std::sync::mpsc::Receiver<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Wait for the child's `start` line, let it run `delay`, SIGKILL it (`Child::kill` sends
/// SIGKILL on Unix) and return everything it reported.
fn kill_after(mode: &str, dir: &Path, delay: Duration) -> Vec<String> {
    let mut child = spawn(mode, dir);
    let rx = lines_of(&mut child);
    let mut seen = Vec::new();
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the child did not start");
        let started = line == "start";
        seen.push(line);
        if started {
            break;
        }
    }
    std::thread::sleep(delay);
    let _ = child.kill();
    child.wait().unwrap();
    seen.extend(rx.iter());
    seen
}

/// The child's side, run only when the parent starts this binary with [`CHILD_ENV`] set.
#[test]
#[ignore = "entry point of the crash tests' child process"]
fn crash_child() {
    let Ok(mode) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = PathBuf::from(std::env::var(DIR_ENV).unwrap());
    let mut conn = super::open(&dir.join(super::DB_FILE)).unwrap();
    let mut out = std::io::stdout();
    let mut say = |s: &str| {
        writeln!(out, "{s}").unwrap();
        out.flush().unwrap();
    };
    let now = chrono::Utc::now();
    match mode.as_str() {
        "import" => {
            let bytes = std::fs::read(dir.join("import.csv")).unwrap();
            let sheet = read_sheet(&bytes, "import.csv").unwrap();
            let mapping = detect_mapping(&sheet.headers);
            say("start");
            let report = apply(
                &mut conn,
                now,
                &admin(),
                &bytes,
                "import.csv",
                &mapping,
                DuplicatePolicy::Create,
                &mut |_, _| {},
            )
            .unwrap();
            assert!(report.committed, "{:?}", report.errors);
            say(&format!("committed {}", report.created));
        }
        "backup" => {
            say("start");
            for i in 0.. {
                let path =
                    crate::backup::backup_now(&conn, &dir, now, &format!("crash{i}")).unwrap();
                say(&format!("committed {}", path.display()));
            }
        }
        "writes" => {
            say("start");
            write_customers(&mut conn, now, "写入客户", &mut say);
        }
        "busy" => {
            // As in the app: one connection writes customers while two others (the
            // scheduler's, the dashboard's second one) read and write small transactions of
            // their own; a checkpoint every 20 pages of log.
            conn.pragma_update(None, "wal_autocheckpoint", 20).unwrap();
            for _ in 0..2 {
                let path = dir.join(super::DB_FILE);
                std::thread::spawn(move || {
                    let reader = super::open(&path).unwrap();
                    reader
                        .pragma_update(None, "wal_autocheckpoint", 20)
                        .unwrap();
                    loop {
                        let _: i64 = reader
                            .query_row(
                                "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM contacts)",
                                [],
                                |r| r.get(0),
                            )
                            .unwrap();
                        reader
                            .execute("UPDATE team SET name = name WHERE id = 1", [])
                            .unwrap();
                    }
                });
            }
            say("start");
            write_customers(&mut conn, now, "忙碌客户", &mut say);
        }
        other => panic!("unknown crash mode {other}"),
    }
}

/// Create customers named `prefix` + a counter, one transaction each, for ever, reporting each
/// commit.
fn write_customers(
    conn: &mut Connection,
    now: chrono::DateTime<chrono::Utc>,
    prefix: &str,
    say: &mut dyn FnMut(&str),
) {
    for i in 0.. {
        let name = format!("{prefix}{i:06}");
        let input = NewCustomer {
            customer: CustomerInput {
                name: name.clone(),
                ..Default::default()
            },
            contacts: vec![ContactInput {
                name: format!("联系人{i}"),
                mobile: format!("139{i:08}"),
                is_primary: true,
                ..Default::default()
            }],
            tags: vec!["崩溃测试".into()],
        };
        let c = crate::customer::store::create_customer(conn, now, &admin(), &input).unwrap();
        say(&format!("committed {} {name}", c.customer.id));
    }
}

fn import_file(dir: &Path) {
    let mut s = String::from("客户名称,所属行业,对接人姓名,联系电话,邮箱,客户标签\n");
    for i in 0..IMPORT_ROWS {
        s.push_str(&format!(
            "导入公司{i:05}有限公司,制造业,联系人{i},138{i:08},p{i}@example.com,导入\n"
        ));
    }
    std::fs::write(dir.join("import.csv"), s).unwrap();
}

const IMPORTED: &str = "SELECT count(*) FROM customers WHERE name LIKE '导入公司%'";

#[test]
fn killed_imports_are_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = prepare(dir.path());
    import_file(dir.path());
    // Calibrate: an import run to the end tells how long one takes.
    let t0 = Instant::now();
    let mut child = spawn("import", dir.path());
    let rx = lines_of(&mut child);
    let mut started = None;
    for line in rx.iter() {
        if line == "start" {
            started = Some(Instant::now());
        }
        if line.starts_with("committed") {
            break;
        }
    }
    let span = started.map(|s| s.elapsed()).unwrap_or_else(|| t0.elapsed());
    child.wait().unwrap();
    let conn = reopen_checked(&path);
    let after_full = count(&conn, IMPORTED);
    assert_eq!(after_full % IMPORT_ROWS as i64, 0);
    assert!(
        after_full >= IMPORT_ROWS as i64,
        "a completed import is all there"
    );
    drop(conn);

    let mut rng = Rng::new("killed_imports_are_all_or_nothing");
    let mut expected = after_full;
    let mut kills_mid_import = 0;
    for round in 0..ROUNDS {
        let delay = Duration::from_micros(rng.below(span.as_micros() as u64 * 12 / 10));
        let seen = kill_after("import", dir.path(), delay);
        let committed = seen.iter().any(|l| l.starts_with("committed"));
        let conn = reopen_checked(&path);
        let n = count(&conn, IMPORTED);
        assert_eq!(
            n % IMPORT_ROWS as i64,
            0,
            "round {round}: an import was half applied ({n} rows)"
        );
        if committed {
            expected += IMPORT_ROWS as i64;
            assert_eq!(n, expected, "round {round}: a committed import is missing");
        } else {
            assert!(n == expected || n == expected + IMPORT_ROWS as i64);
            if n == expected {
                kills_mid_import += 1;
            }
            expected = n;
        }
        // Every imported customer came with its contact.
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.id)"
            ),
            0,
            "round {round}: a customer without its contact"
        );
    }
    assert!(kills_mid_import > 0, "no kill landed during an import");
}

#[test]
fn killed_backups_leave_the_database_and_listed_backups_sound() {
    let dir = tempfile::tempdir().unwrap();
    let path = prepare(dir.path());
    {
        // A few megabytes, so a backup takes long enough to be interrupted.
        let conn = super::open(&path).unwrap();
        conn.execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
             INSERT INTO customers (number, name, products, created_at, updated_at)
             SELECT printf('KH-B-%06d', i), printf('备份客户%06d', i), hex(randomblob(100)), 0, 0 FROM n;",
        )
        .unwrap();
    }
    let t0 = Instant::now();
    {
        let conn = super::open(&path).unwrap();
        crate::backup::backup_to(&conn, &dir.path().join("calibrate.sqlite3")).unwrap();
    }
    let span = t0.elapsed();
    let mut rng = Rng::new("killed_backups_leave_the_database_and_listed_backups_sound");
    let mut completed = 0;
    let mut interrupted = 0;
    for round in 0..ROUNDS {
        let delay = Duration::from_micros(rng.below(span.as_micros() as u64 * 3));
        let seen = kill_after("backup", dir.path(), delay);
        completed += seen.iter().filter(|l| l.starts_with("committed ")).count();
        let conn = reopen_checked(&path);
        assert_eq!(
            count(&conn, "SELECT count(*) FROM customers"),
            6000,
            "round {round}"
        );
        drop(conn);
        // Every backup offered for restore is whole; a killed one never shows up as a backup.
        let folder = dir.path().join(crate::backup::BACKUP_DIR);
        for b in crate::backup::list(dir.path()).unwrap() {
            let file = folder.join(&b.name);
            crate::backup::validate(&file)
                .unwrap_or_else(|e| panic!("round {round}: listed backup {} is bad: {e}", b.name));
            let copy = Connection::open(&file).unwrap();
            assert_eq!(count(&copy, "SELECT count(*) FROM customers"), 6000);
        }
        // Start the next round with an empty folder (keeping the checks quick), noting whether
        // this kill caught a backup half-written.
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().ends_with(".partial") {
                interrupted += 1;
            }
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    assert!(interrupted > 0, "no kill landed during a backup");
    assert!(completed > 0, "no backup ever completed");
}

/// Kill the child writing customers in `mode` after `delay`, add the customers it reported
/// committed to `committed`, reopen the database checked and find every one of them there.
fn kill_and_check_commits(
    mode: &str,
    dir: &Path,
    path: &Path,
    delay: Duration,
    committed: &mut Vec<(i64, String)>,
    round: usize,
) -> Connection {
    for l in kill_after(mode, dir, delay) {
        if let Some(rest) = l.strip_prefix("committed ") {
            let (id, name) = rest.split_once(' ').unwrap();
            committed.push((id.parse().unwrap(), name.to_string()));
        }
    }
    let conn = reopen_checked(path);
    for (id, name) in committed.iter() {
        let stored: String = conn
            .query_row("SELECT name FROM customers WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap_or_else(|e| panic!("round {round}: committed customer {id} lost: {e}"));
        assert_eq!(&stored, name);
    }
    conn
}

#[test]
fn killed_writes_keep_every_committed_customer_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = prepare(dir.path());
    let mut rng = Rng::new("killed_writes_keep_every_committed_customer_whole");
    let mut committed: Vec<(i64, String)> = Vec::new();
    for round in 0..ROUNDS {
        let delay = Duration::from_micros(rng.below(150_000));
        let conn =
            kill_and_check_commits("writes", dir.path(), &path, delay, &mut committed, round);
        // No customer without its contact, tag and history entry: each create is one
        // transaction.
        for (what, sql) in [
            (
                "contact",
                "SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.id)",
            ),
            (
                "tag",
                "SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id)",
            ),
            (
                "history",
                "SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_history h WHERE h.customer_id = c.id)",
            ),
        ] {
            assert_eq!(
                count(&conn, sql),
                0,
                "round {round}: a customer without its {what}"
            );
        }
    }
    assert!(!committed.is_empty(), "the writer never committed anything");
}

/// Kills of a process with three connections at work, up to 0.6 s into its run: the file
/// passes the quick check and every reported commit is there.
#[test]
fn killed_busy_processes_keep_the_database_sound() {
    let dir = tempfile::tempdir().unwrap();
    let path = prepare(dir.path());
    let mut rng = Rng::new("killed_busy_processes_keep_the_database_sound");
    let rounds: usize = std::env::var("RAPPORT_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(ROUNDS);
    let mut committed: Vec<(i64, String)> = Vec::new();
    for round in 0..rounds {
        let delay = Duration::from_micros(rng.below(600_000));
        let _ = kill_and_check_commits("busy", dir.path(), &path, delay, &mut committed, round);
    }
    assert!(!committed.is_empty(), "the writer never committed anything");
}
