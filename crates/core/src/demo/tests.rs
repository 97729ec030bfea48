use super::*;
use chrono::TimeZone;

fn setup() -> (Connection, Actor, DateTime<Utc>) {
    let mut conn = crate::db::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
    let admin =
        crate::team::setup(&mut conn, now, &crate::testutil::team_setup("演示公司")).unwrap();
    (conn, admin, now)
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn distinct(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn small_set_is_complete_consistent_and_searchable() {
    let (mut conn, admin, now) = setup();
    let report = load_small(&mut conn, now, &admin).unwrap();
    assert_eq!(report.customers, 200);
    assert_eq!(count(&conn, "SELECT count(*) FROM customers"), 200);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM contacts") as usize,
        report.contacts
    );
    assert!((400..=800).contains(&report.contacts), "{report:?}");
    assert_eq!(
        count(&conn, "SELECT count(*) FROM interactions") as usize,
        report.interactions
    );
    assert!(report.interactions > 1_000, "{report:?}");
    assert_eq!(
        count(&conn, "SELECT count(*) FROM feedback_items") as usize,
        report.feedback
    );
    assert!(report.change_requests > 0 && report.survey_responses > 0 && report.tasks > 0);
    // Every sub-category × priority × status is present.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM (SELECT DISTINCT category_id, priority, status FROM feedback_items)"
        ),
        6 * 3 * 5
    );
    // Referential integrity, and what the feedback module derives is consistent.
    assert_eq!(
        count(&conn, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM interactions i LEFT JOIN customers c ON c.id = i.customer_id WHERE c.id IS NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM feedback_items WHERE status <> 'new' AND first_response_at IS NULL"
        ),
        0,
        "every handled item has a response instant"
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM feedback_items WHERE status IN ('closed','duplicate') AND (closed_at IS NULL OR next_check_at IS NOT NULL)"
        ),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM feedback_items WHERE status = 'duplicate' AND duplicate_of_id IS NULL"
        ),
        0
    );
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM feedback_items WHERE status IN ('new','in_progress') AND next_check_at IS NOT NULL"
        ) > 0
    );
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM feedback_items WHERE was_late = 1"
        ) > 0,
        "some items were late"
    );
    let stages = distinct(
        &conn,
        "SELECT DISTINCT sla_stage FROM feedback_items ORDER BY 1",
    );
    assert!(stages.len() >= 2, "{stages:?}");
    assert!(
        count(
            &conn,
            "SELECT count(*) FROM feedback_items WHERE response_due_at <= created_at"
        ) == 0
    );
    // Feedback follows the module's own reading: the detail of an item agrees with its row.
    let id = count(
        &conn,
        "SELECT id FROM feedback_items WHERE status = 'closed' LIMIT 1",
    );
    let item = crate::feedback::get(&conn, now, &admin, id).unwrap();
    assert_eq!(item.item.status, crate::feedback::Status::Closed);
    // Mobile numbers look like mainland ones; customers are found by search.
    for m in distinct(&conn, "SELECT mobile FROM contacts LIMIT 50") {
        assert!(
            m.len() == 11 && m.starts_with('1') && m.chars().all(|c| c.is_ascii_digit()),
            "{m}"
        );
    }
    let name: String = conn
        .query_row(
            "SELECT name FROM customers WHERE id = (SELECT min(id) FROM customers)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(name.ends_with("公司"), "{name}");
    let found = crate::customer::search(&conn, &admin, &name, 20).unwrap();
    assert!(found.customers.iter().any(|c| c.name == name), "{name}");
    // Timeline spans about two years; statuses of tasks both open and done.
    let span = count(
        &conn,
        "SELECT max(occurred_at) - min(occurred_at) FROM interactions",
    );
    assert!(span > 600 * 86_400, "{span}");
    assert_eq!(
        distinct(&conn, "SELECT DISTINCT status FROM tasks ORDER BY 1"),
        ["done", "open"]
    );
    // Numbers continue after the demo set.
    let next = crate::customer::number::next_customer_number(&conn, 2026).unwrap();
    assert_ne!(
        count(
            &conn,
            &format!("SELECT count(*) FROM customers WHERE number = '{next}'")
        ),
        1
    );
}

#[test]
fn same_seed_same_data_and_a_second_load_is_refused() {
    let (mut a, admin, now) = setup();
    let (mut b, _, _) = setup();
    let ra = generate(&mut a, now, Size::Small, 7, &mut |_, _| {}).unwrap();
    let rb = generate(&mut b, now, Size::Small, 7, &mut |_, _| {}).unwrap();
    assert_eq!(ra, rb);
    let q = "SELECT group_concat(name || mobile, ',') FROM (SELECT c.name, k.mobile FROM customers c JOIN contacts k ON k.customer_id = c.id ORDER BY k.id)";
    let da: String = a.query_row(q, [], |r| r.get(0)).unwrap();
    let db: String = b.query_row(q, [], |r| r.get(0)).unwrap();
    assert_eq!(da, db);
    let before = count(&a, "SELECT count(*) FROM customers");
    let err = load_small(&mut a, now, &admin).unwrap_err();
    assert_eq!(err.code(), "demo.not_empty");
    assert_eq!(count(&a, "SELECT count(*) FROM customers"), before);
    let (mut c, _, _) = setup();
    generate(&mut c, now, Size::Small, 8, &mut |_, _| {}).unwrap();
    let dc: String = c.query_row(q, [], |r| r.get(0)).unwrap();
    assert_ne!(da, dc, "another seed, other data");
}

#[test]
fn only_admins_load_demo_data_and_only_into_a_set_up_team() {
    let (mut conn, admin, now) = setup();
    let mut staff = admin.clone();
    staff.role = crate::permission::Role::Staff;
    assert_eq!(
        load_small(&mut conn, now, &staff).unwrap_err().code(),
        "auth.forbidden"
    );
    let mut empty = crate::db::open_in_memory().unwrap();
    assert_eq!(
        generate(&mut empty, now, Size::Small, 1, &mut |_, _| {})
            .unwrap_err()
            .code(),
        "demo.no_team"
    );
    assert_eq!(Size::parse("huge").unwrap_err().code(), "demo.size_invalid");
}
