//! The admin CLI as a user runs it: real processes, real data folders, exit codes and messages.

use std::process::Command;

fn admin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rapport-admin"))
}

fn data_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let conn = rapport_core::db::open(&dir.path().join(rapport_core::db::DB_FILE)).unwrap();
    conn.execute(
        "INSERT INTO team (id, name, time_zone, created_at) VALUES (1, '甲公司', 'Asia/Shanghai', 0)",
        [],
    )
    .unwrap();
    dir
}

#[test]
fn check_reports_a_healthy_database() {
    let dir = data_folder();
    let out = admin()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("integrity: ok"), "{text}");
}

#[test]
fn missing_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = admin()
        .arg("--data-dir")
        .arg(dir.path().join("nope"))
        .arg("check")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no Rapport database"));
    let out = admin()
        .arg("check")
        .env_remove("RAPPORT_DATA_DIR")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--data-dir"));
}

#[test]
fn backup_then_restore_round_trips() {
    let dir = data_folder();
    let file = dir.path().join("copy.sqlite3");
    let out = admin()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["backup"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    {
        let conn = rusqlite::Connection::open(dir.path().join(rapport_core::db::DB_FILE)).unwrap();
        conn.execute("UPDATE team SET name = '乙公司'", []).unwrap();
    }
    let out = admin()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("restore")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = rusqlite::Connection::open(dir.path().join(rapport_core::db::DB_FILE)).unwrap();
    let name: String = conn
        .query_row("SELECT name FROM team", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "甲公司");
    // A file that is not a Rapport database is refused with a non-zero exit.
    let junk = dir.path().join("junk.txt");
    std::fs::write(&junk, "hello").unwrap();
    let out = admin()
        .arg("--data-dir")
        .arg(dir.path())
        .arg("restore")
        .arg(&junk)
        .output()
        .unwrap();
    assert!(!out.status.success());
}
