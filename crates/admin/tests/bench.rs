//! `bench` on the small demo set: every measure prints a JSON line with the agreed fields.

mod common;

use common::*;

#[test]
fn bench_prints_one_json_object_per_measure() {
    let dir = demo_folder();
    let o = run(dir.path(), &["bench", "--n", "3", "--import-rows", "300"]);
    assert!(o.status.success(), "{}", err(&o));
    let lines: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let names: Vec<&str> = lines.iter().map(|v| v["name"].as_str().unwrap()).collect();
    for want in [
        "search_cjk1",
        "search_cjk2",
        "search_cjk3",
        "search_pinyin_initials",
        "search_phone_fragment",
        "customer_list_page",
        "customer_detail_timeline",
        "feedback_queue_department",
        "overdue_scan",
        "dashboard",
        "backup_large_db",
        "import_csv",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    for v in &lines {
        assert!(v["n"].as_u64().unwrap() >= 1, "{v}");
        assert!(
            v["p95_ms"].as_f64().unwrap() >= v["p50_ms"].as_f64().unwrap(),
            "{v}"
        );
        assert!(v.get("target_ms").is_some(), "{v}");
    }
    let search = lines.iter().find(|v| v["name"] == "search_cjk2").unwrap();
    assert!(
        search["ratio_p95"].as_f64().is_some() && search["avg_hits"].as_f64().unwrap() > 0.0,
        "{search}"
    );
    let import = lines.iter().find(|v| v["name"] == "import_csv").unwrap();
    assert_eq!(import["created"], 300);
    assert_eq!(import["searchable_after"], true);
    // The data folder is unchanged by the bench (scans ran on a copy).
    let conn = rusqlite::Connection::open(dir.path().join(rapport_core::db::DB_FILE)).unwrap();
    let reminders: i64 = conn
        .query_row("SELECT count(*) FROM reminders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(reminders, 0);
}
