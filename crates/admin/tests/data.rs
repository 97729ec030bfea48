//! `demo`, `search`, `export`, `import customers` and `reminders` as a user runs them.

mod common;

use common::*;
use std::io::Read;

#[test]
fn demo_fills_an_empty_folder_once_and_search_finds_its_customers() {
    let dir = demo_folder();
    let conn = rusqlite::Connection::open(dir.path().join(rapport_core::db::DB_FILE)).unwrap();
    let customers: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(customers, 200);
    let name: String = conn
        .query_row("SELECT name FROM customers ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let o = run(dir.path(), &["search", &name]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o)
            .lines()
            .any(|l| l.starts_with("customer\t") && l.ends_with(&name)),
        "{}",
        out(&o)
    );
    let mobile: String = conn
        .query_row("SELECT mobile FROM contacts ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let o = run(dir.path(), &["search", &mobile[3..9]]);
    assert!(out(&o).lines().any(|l| l.contains(&mobile)), "{}", out(&o));
    // A second load is refused, nothing changes.
    let o = run(dir.path(), &["demo", "--size", "small"]);
    assert!(!o.status.success());
    assert!(err(&o).contains("demo.not_empty"), "{}", err(&o));
    let again: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(again, 200);
    let o = run(dir.path(), &["demo", "--size", "medium"]);
    assert!(!o.status.success());
    assert!(err(&o).contains("small or large"), "{}", err(&o));
}

#[test]
fn export_writes_every_table_and_attachment_formula_safe() {
    let dir = demo_folder();
    {
        let conn = rusqlite::Connection::open(dir.path().join(rapport_core::db::DB_FILE)).unwrap();
        conn.execute("UPDATE customers SET name = '=1+2' WHERE id = 1", [])
            .unwrap();
    }
    let blob = dir.path().join("attachments/aa/bbcc");
    std::fs::create_dir_all(blob.parent().unwrap()).unwrap();
    std::fs::write(&blob, "附件").unwrap();
    let target = dir.path().join("exports");
    let o = run(dir.path(), &["export", target.to_str().unwrap()]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("1 attachments"), "{}", out(&o));
    let zip_path = std::fs::read_dir(&target)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut z = zip::ZipArchive::new(std::fs::File::open(zip_path).unwrap()).unwrap();
    for t in [
        "customers",
        "contacts",
        "interactions",
        "feedback_items",
        "feedback_events",
        "tasks",
        "users",
        "audit_log",
    ] {
        assert!(z.by_name(&format!("tables/{t}.csv")).is_ok(), "{t}");
    }
    let mut text = String::new();
    z.by_name("tables/customers.csv")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text.lines().count(), 201, "header + 200 customers");
    assert!(text.contains("'=1+2"), "formula neutralised");
    let mut a = String::new();
    z.by_name("attachments/aa/bbcc")
        .unwrap()
        .read_to_string(&mut a)
        .unwrap();
    assert_eq!(a, "附件");
}

#[test]
fn import_customers_is_all_or_nothing() {
    let dir = demo_folder();
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "客户名称,所属行业,对接人姓名,手机\n北京甲乙丙有限公司,制造业,张三,13800138000\n上海丁戊己有限公司,零售业,李四,13900139000\n").unwrap();
    let o = run(dir.path(), &["import", "customers", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("2 created"), "{}", out(&o));
    let o = run(dir.path(), &["search", "甲乙丙"]);
    assert!(
        out(&o).contains("北京甲乙丙有限公司"),
        "the import is searchable: {}",
        out(&o)
    );
    // Importing again: the rows are duplicates and skipped.
    let o = run(dir.path(), &["import", "customers", good.to_str().unwrap()]);
    assert!(out(&o).contains("2 skipped"), "{}", out(&o));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "客户名称,合同金额\n庚辛有限公司,100\n,abc\n").unwrap();
    let o = run(dir.path(), &["import", "customers", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(err(&o).contains("nothing was imported"), "{}", err(&o));
    let o = run(dir.path(), &["search", "庚辛"]);
    assert!(!out(&o).contains("庚辛有限公司"), "no half import");
    let o = run(dir.path(), &["import", "customers", "/nonexistent.csv"]);
    assert!(!o.status.success());
    assert!(err(&o).contains("cannot read"), "{}", err(&o));
}

#[test]
fn reminders_shows_what_would_be_announced_without_recording_it() {
    let dir = demo_folder();
    let at = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let o = run(dir.path(), &["reminders", "--at", &at]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.lines().any(|l| l.starts_with("task\t")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("feedback_")), "{text}");
    let conn = rusqlite::Connection::open(dir.path().join(rapport_core::db::DB_FILE)).unwrap();
    let recorded: i64 = conn
        .query_row("SELECT count(*) FROM reminders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(recorded, 0, "nothing recorded");
    // Only one user's.
    let user = text
        .lines()
        .next()
        .unwrap()
        .split('\t')
        .nth(3)
        .unwrap()
        .to_string();
    let o = run(dir.path(), &["reminders", "--at", &at, "--user", &user]);
    assert!(
        out(&o)
            .lines()
            .all(|l| l.split('\t').nth(3) == Some(user.as_str()))
    );
    let o = run(dir.path(), &["reminders", "--at", "tomorrow"]);
    assert!(!o.status.success());
    assert!(err(&o).contains("cannot read the time"), "{}", err(&o));
    let o = run(
        dir.path(),
        &["reminders", "--at", "2026-11-23 09:00", "--user", "nobody"],
    );
    assert!(!o.status.success());
    assert!(err(&o).contains("no user named nobody"));
}

#[test]
fn every_subcommand_has_help_and_needs_a_data_folder() {
    for sub in [
        "check",
        "backup",
        "restore",
        "export",
        "import",
        "demo",
        "search",
        "reminders",
        "bench",
    ] {
        let o = admin().args([sub, "--help"]).output().unwrap();
        assert!(o.status.success(), "{sub}");
        assert!(out(&o).contains("Usage"), "{sub}");
    }
    let o = admin().args(["search", "华"]).output().unwrap();
    assert!(!o.status.success());
    assert!(err(&o).contains("--data-dir"));
    let empty = tempfile::tempdir().unwrap();
    for args in [
        &["search", "华"][..],
        &["export", "x"],
        &["bench"],
        &["reminders", "--at", "2026-01-01 09:00"],
    ] {
        let o = run(empty.path(), args);
        assert!(!o.status.success(), "{args:?}");
        assert!(
            err(&o).contains("no Rapport database"),
            "{args:?}: {}",
            err(&o)
        );
    }
}
