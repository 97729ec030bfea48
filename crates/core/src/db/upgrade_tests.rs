//! Upgrades with data: for every earlier schema version, build a database as that Rapport
//! would have left it — with representative rows in every table that existed then — migrate it
//! to the newest schema and check that every row that was there is still there, unchanged.
//!
//! The test is data-driven so new migrations are covered without editing it: each seed names
//! the table it fills and is applied as soon as that table exists, whatever its version number;
//! the comparison reads every table and column from `sqlite_master`, not from a fixed list.

use super::{configure, migrations};
use rusqlite::Connection;
use rusqlite::types::Value;
use std::collections::BTreeMap;

/// Seeds: the table a seed needs and the SQL that fills it (and its companions). Applied in
/// this order, each once, at the first version where the table exists.
const SEEDS: &[(&str, &str)] = &[
    (
        "users",
        "INSERT INTO team (id, name, time_zone, created_at) VALUES (1, '测试团队', 'Asia/Shanghai', 1700000000);
         INSERT INTO departments (id, code, name) VALUES (1, 'cs', '客服部'), (2, 'rnd', '研发部');
         INSERT INTO users (id, username, display_name, role, department_id, phone, password_hash, created_at, updated_at)
           VALUES (1, 'admin', '管理员', 'admin', NULL, '', 'hash-a', 1700000000, 1700000000),
                  (2, 'lihua', '李华', 'head', 1, '13800000001', 'hash-b', 1700000001, 1700000001),
                  (3, 'wangwu', '王五', 'staff', 1, '13800000002', 'hash-c', 1700000002, 1700000002);
         UPDATE departments SET head_user_id = 2 WHERE id = 1;
         INSERT INTO login_throttle (username, failures, locked_until) VALUES ('wangwu', 2, 0);
         INSERT INTO business_hours (weekday, start_minute, end_minute) VALUES (1, 540, 1080), (2, 540, 1080);
         INSERT INTO calendar_days (day, kind, name) VALUES ('2026-10-01', 'holiday', '国庆节');
         INSERT INTO settings (key, value) VALUES ('upgrade-test', 'kept');
         INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail)
           VALUES (1700000003, 1, 'user.create', 'user', 3, '{}');",
    ),
    (
        "customers",
        "INSERT INTO sequences (name, year, last) VALUES ('customer', 2026, 2);
         INSERT INTO customers (id, number, name, name_key, industry, stage, tier, coop_start, annual_amount,
                                products, owner_user_id, department_id, created_by, created_at, updated_at)
           VALUES (1, 'KH-2026-00001', '杭州示例科技有限公司', '杭州示例科技', '信息技术', 'signed', 'A',
                   '2025-03-01', 12000000, '年度服务', 3, 1, 1, 1700000100, 1700000100),
                  (2, 'KH-2026-00002', '<b>Bold</b> & \"quoted\"', 'boldquoted', '零售业', 'potential', 'C',
                   NULL, 0, '', 2, 1, 1, 1700000101, 1700000101);
         INSERT INTO contacts (id, customer_id, name, position, mobile, email, birthday, is_primary)
           VALUES (1, 1, '张三', '采购经理', '13900000001', 'zs@example.com', '1904-05-06', 1),
                  (2, 2, '赵六', '', '13900000002', '', NULL, 1);
         INSERT INTO tags (id, name, colour) VALUES (1, '重点', '#cc0000');
         INSERT INTO customer_tags (customer_id, tag_id) VALUES (1, 1);
         INSERT INTO change_requests (id, customer_id, field, old_value, new_value, reason, requested_by, requested_at)
           VALUES (1, 1, 'name', '杭州示例科技有限公司', '杭州示例科技股份有限公司', '更名', 3, 1700000102);
         INSERT INTO customer_history (customer_id, at, user_id, kind, field, old_value, new_value)
           VALUES (1, 1700000100, 1, 'created', '', NULL, NULL),
                  (1, 1700000102, 3, 'requested', 'name', '杭州示例科技有限公司', '杭州示例科技股份有限公司');
         INSERT INTO quarter_reviews (id, year, quarter, opened_at, opened_by) VALUES (1, 2026, 1, 1700000103, 1);
         INSERT INTO review_items (review_id, customer_id, owner_user_id, outcome, note)
           VALUES (1, 1, 3, 'active', '继续合作');",
    ),
    (
        "reminders",
        "INSERT INTO reminders (id, dedup_key, kind, stage, item_kind, item_id, recipient_user_id, title, due_at, created_at)
           VALUES (1, 'task:task:1:due:3', 'task', 'due', 'task', 1, 3, '回访杭州示例', 1700000200, 1700000190);
         INSERT INTO notification_prefs (user_id, quiet_start, quiet_end, muted_kinds) VALUES (3, 1320, 480, '[\"care\"]');",
    ),
    (
        "interactions",
        "INSERT INTO interactions (id, customer_id, occurred_at, channel, subject, key_points, customer_needs,
                                   satisfaction, created_by, created_at, updated_at)
           VALUES (1, 1, 1700000300, 'visit', '季度拜访', '讨论续约\n下季度扩容', '需要培训', 4, 3, 1700000300, 1700000300),
                  (2, 1, 1700000400, 'callback', '回访', '', '', NULL, 3, 1700000400, 1700000400);
         INSERT INTO interaction_contacts (interaction_id, contact_id) VALUES (1, 1);
         INSERT INTO interaction_users (interaction_id, user_id) VALUES (1, 3);
         INSERT INTO interaction_history (interaction_id, customer_id, at, user_id, change, new_json)
           VALUES (1, 1, 1700000300, 3, 'create', '{\"subject\":\"季度拜访\"}');
         INSERT INTO attachment_blobs (hash, size, created_at)
           VALUES ('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 5, 1700000300);
         INSERT INTO interaction_attachments (id, interaction_id, blob_hash, original_name, mime_type, size, added_by, added_at)
           VALUES (1, 1, '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', '纪要.txt', 'text/plain', 5, 3, 1700000300);
         INSERT INTO tasks (id, title, notes, owner_user_id, due_at, customer_id, source_kind, status, created_by, created_at, updated_at)
           VALUES (1, '准备续约材料', '附报价', 3, 1700100000, 1, 'manual', 'open', 3, 1700000300, 1700000300),
                  (2, '已完成的任务', '', 2, 1700000500, NULL, 'manual', 'done', 2, 1700000300, 1700000500);
         UPDATE call_scripts SET body = '自定义话术', version = 2, updated_by = 1, updated_at = 1700000301
           WHERE purpose = 'first_contact' AND locale = 'zh-CN';",
    ),
    (
        "feedback_items",
        "INSERT INTO feedback_items (id, number, customer_id, contact_id, channel, category_id, priority, status,
                                     description, responsible_department_id, assignee_user_id, sla_targets,
                                     response_due_at, resolution_due_at, created_by, created_at, updated_at)
           VALUES (1, 'FK-2026-00001', 1, 1, 'phone_hotline', 12, 'urgent', 'in_progress', '导出报表时程序崩溃',
                   2, 3, '{\"response_secs\":7200}', 1700007200, 1700086400, 3, 1700000600, 1700000700);
         INSERT INTO feedback_items (id, number, unknown_name, unknown_phone, channel, category_id, priority,
                                     description, sla_targets, response_due_at, resolution_due_at, created_at, updated_at)
           VALUES (2, 'FK-2026-00002', '陌生来电', '13700000000', 'other', 31, 'normal', '如何导入客户',
                   '{}', 1700010000, 1700090000, 1700000800, 1700000800);
         INSERT INTO feedback_item_departments (item_id, department_id, role) VALUES (1, 2, 'lead'), (1, 1, 'collaborator');
         INSERT INTO feedback_events (item_id, at, user_id, kind, from_status, to_status, comment)
           VALUES (1, 1700000600, 3, 'created', NULL, 'new', ''),
                  (1, 1700000700, 3, 'status', 'new', 'in_progress', '开始处理');
         INSERT INTO feedback_delay_explanations (item_id, at, user_id, reason, previous_date, new_date)
           VALUES (1, 1700000750, 2, '等待厂商补丁', '2026-01-10', '2026-01-20');
         INSERT INTO feedback_round_robin (department_id, last_user_id) VALUES (1, 3);",
    ),
    (
        "callback_plans",
        "INSERT INTO callback_plans (id, customer_id, track, tier, base_on, planned_on, task_id, updated_at)
           VALUES (1, 1, 'owner', 'A', '2026-01-01', '2026-02-01', 1, 1700000900);
         INSERT INTO onboarding_runs (id, customer_id, signed_at, started_by, started_at)
           VALUES (1, 1, 1700000000, 1, 1700000901);
         INSERT INTO care_occurrences (kind, ref_id, on_date) VALUES ('birthday', 1, '2026-05-06');",
    ),
    (
        "survey_responses",
        "INSERT INTO survey_responses (customer_id, kind, score, interaction_id, feedback_id, comment, responded_at, recorded_by, recorded_at)
           VALUES (1, 'nps', 9, 1, NULL, '很满意', 1700001000, 3, 1700001000),
                  (1, 'csat', 2, NULL, 1, '响应慢', 1700001100, 3, 1700001100);",
    ),
    (
        "customer_views",
        "INSERT INTO customer_views (user_id, name, query, columns, created_at, updated_at)
           VALUES (3, '我的A类', '{\"tier\":\"A\"}', '[\"name\",\"tier\"]', 1700001200, 1700001200);",
    ),
];

/// Tables whose rows are the seeds' own; all must hold data at the newest version.
const CORE_TABLES: &[&str] = &[
    "customers",
    "contacts",
    "interactions",
    "feedback_items",
    "feedback_events",
    "tasks",
    "reminders",
    "users",
];

fn table_exists(conn: &Connection, name: &str) -> bool {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )
    .unwrap()
        > 0
}

/// Every table's rows, each row as its column → value map, sorted for comparison. FTS shadow
/// tables are left out (their pages are an index's internals; the virtual table is compared).
fn snapshot(conn: &Connection) -> Snapshot {
    let mut stmt = conn
        .prepare("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap();
    let tables: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let virtuals: Vec<&str> = tables
        .iter()
        .filter(|(_, sql)| sql.starts_with("CREATE VIRTUAL TABLE"))
        .map(|(n, _)| n.as_str())
        .collect();
    let mut out = BTreeMap::new();
    for (name, _) in &tables {
        if virtuals
            .iter()
            .any(|v| name != v && name.starts_with(&format!("{v}_")))
        {
            continue;
        }
        let mut q = conn.prepare(&format!("SELECT * FROM \"{name}\"")).unwrap();
        let cols: Vec<String> = q.column_names().iter().map(|c| c.to_string()).collect();
        let mut rows: Vec<BTreeMap<String, String>> = q
            .query_map([], |r| {
                let mut row = BTreeMap::new();
                for (i, c) in cols.iter().enumerate() {
                    let v: Value = r.get(i)?;
                    row.insert(c.clone(), format!("{v:?}"));
                }
                Ok(row)
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        rows.sort();
        out.insert(name.clone(), rows);
    }
    out
}

/// The schema versions just before migrations 0012, 0013, 0014, 0016, 0017 and 0018 (there is
/// no 0010), for the tests of what each one backfills or changes.
const BEFORE_0012: usize = 10;
const BEFORE_0013: usize = 11;
const BEFORE_0014: usize = 12;
const BEFORE_0016: usize = 14;
const BEFORE_0017: usize = 15;
const BEFORE_0018: usize = 16;

/// Build a database at `version` the way successive Rapport releases would have: migrate one
/// version at a time and fill each table as soon as it exists.
fn build_at(version: usize) -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    configure(&mut conn).unwrap();
    let mut applied = vec![false; SEEDS.len()];
    for v in 1..=version {
        migrations::migrate_to(&mut conn, v).unwrap();
        for (i, (table, sql)) in SEEDS.iter().enumerate() {
            if !applied[i] && table_exists(&conn, table) {
                conn.execute_batch(sql)
                    .unwrap_or_else(|e| panic!("seed for {table} at version {v}: {e}"));
                applied[i] = true;
            }
        }
    }
    conn
}

fn integrity(conn: &Connection) {
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "foreign keys broken");
}

#[test]
fn every_earlier_version_with_data_migrates_intact() {
    let latest = migrations::latest_version();
    for start in 1..latest {
        let mut conn = build_at(start);
        integrity(&conn);
        let before = snapshot(&conn);
        migrations::migrate(&mut conn)
            .unwrap_or_else(|e| panic!("migrating from version {start}: {e}"));
        assert_eq!(migrations::current_version(&conn).unwrap(), latest);
        integrity(&conn);
        let lost = lost_rows(&before, &snapshot(&conn));
        assert!(
            lost.is_empty(),
            "upgrading from version {start} lost or changed data:\n{}",
            lost.join("\n")
        );
    }
}

type Snapshot = BTreeMap<String, Vec<BTreeMap<String, String>>>;

/// Rows of `before` missing from `after`: every earlier row must still be there with the same
/// values in the columns it had; new columns and rows added by a migration (defaults,
/// backfills) are allowed.
fn lost_rows(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut lost = Vec::new();
    for (table, rows) in before {
        let Some(now) = after.get(table) else {
            if !rows.is_empty() {
                lost.push(format!("table {table} dropped with {} rows", rows.len()));
            }
            continue;
        };
        for row in rows {
            if !now
                .iter()
                .any(|n| row.iter().all(|(c, v)| n.get(c) == Some(v)))
            {
                lost.push(format!("{table}: {row:?}"));
            }
        }
    }
    lost
}

#[test]
fn seeds_cover_the_core_tables_and_all_apply() {
    let conn = build_at(migrations::latest_version());
    for (table, _) in SEEDS {
        assert!(
            table_exists(&conn, table),
            "seed table {table} no longer exists"
        );
    }
    for table in CORE_TABLES {
        let n: i64 = conn
            .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(n > 0, "{table} has no seeded rows");
    }
}

#[test]
fn the_comparison_notices_lost_and_changed_rows() {
    let conn = build_at(migrations::latest_version());
    let before = snapshot(&conn);
    assert!(lost_rows(&before, &snapshot(&conn)).is_empty());
    conn.execute("DELETE FROM tasks WHERE id = 2", []).unwrap();
    conn.execute("UPDATE contacts SET name = '李四' WHERE id = 1", [])
        .unwrap();
    let lost = lost_rows(&before, &snapshot(&conn));
    assert_eq!(lost.len(), 2, "{lost:?}");
    assert!(lost.iter().any(|l| l.starts_with("tasks:")));
    assert!(
        lost.iter()
            .any(|l| l.starts_with("contacts:") && l.contains("张三"))
    );
}

/// The count of open feedback kept on each customer (migration 0012) is backfilled from the
/// items already there, and its triggers follow every later create, status change, move and
/// delete.
#[test]
fn open_feedback_count_is_backfilled_and_kept() {
    let mut conn = build_at(BEFORE_0012);
    migrations::migrate(&mut conn).unwrap();
    let count = |conn: &Connection, id: i64| -> i64 {
        conn.query_row(
            "SELECT open_feedback FROM customers WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    // Seeded item 1 (customer 1) is in progress; item 2 has no customer.
    assert_eq!(count(&conn, 1), 1);
    conn.execute(
        "UPDATE feedback_items SET status = 'closed' WHERE id = 1",
        [],
    )
    .unwrap();
    assert_eq!(count(&conn, 1), 0);
    conn.execute(
        "UPDATE feedback_items SET status = 'in_progress' WHERE id = 1",
        [],
    )
    .unwrap();
    assert_eq!(count(&conn, 1), 1);
    // Attaching the anonymous item to the customer counts it; a second customer takes item 1
    // over (a merge moves items this way).
    conn.execute("UPDATE feedback_items SET customer_id = 1 WHERE id = 2", [])
        .unwrap();
    assert_eq!(count(&conn, 1), 2);
    let other: i64 = conn
        .query_row(
            "INSERT INTO customers (number, name, name_key, created_at, updated_at)
             VALUES ('KH-2026-09999', '另一家', '另一家', 0, 0) RETURNING id",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE feedback_items SET customer_id = ?1 WHERE id = 1",
        [other],
    )
    .unwrap();
    assert_eq!((count(&conn, 1), count(&conn, other)), (1, 1));
    // Deleting an open item (item 2 has no events) takes it off the count.
    conn.execute("DELETE FROM feedback_items WHERE id = 2", [])
        .unwrap();
    assert_eq!((count(&conn, 1), count(&conn, other)), (0, 1));
}

/// The lead department copied onto each feedback item and the newest call-back kept on each
/// customer (migration 0013, for the dashboard) are backfilled from the rows already there,
/// and their triggers follow every later change of the rows they copy.
#[test]
fn lead_department_and_last_callback_are_backfilled_and_kept() {
    let mut conn = build_at(BEFORE_0013);
    migrations::migrate(&mut conn).unwrap();
    let lead = |conn: &Connection, id: i64| -> Option<i64> {
        conn.query_row(
            "SELECT lead_department_id FROM feedback_items WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    // Seeded item 1 is led by department 2 (department 1 collaborates); item 2 has none.
    assert_eq!((lead(&conn, 1), lead(&conn, 2)), (Some(2), None));
    // The feedback module changes departments by deleting and re-inserting the rows.
    conn.execute_batch(
        "DELETE FROM feedback_item_departments WHERE item_id = 1;
         INSERT INTO feedback_item_departments (item_id, department_id, role) VALUES (1, 1, 'lead');",
    )
    .unwrap();
    assert_eq!(lead(&conn, 1), Some(1));
    // A collaborator promoted in place, a lead demoted in place.
    conn.execute_batch(
        "INSERT INTO feedback_item_departments (item_id, department_id, role) VALUES (2, 2, 'collaborator');
         UPDATE feedback_item_departments SET role = 'lead' WHERE item_id = 2;
         UPDATE feedback_item_departments SET role = 'collaborator' WHERE item_id = 1;",
    )
    .unwrap();
    assert_eq!((lead(&conn, 1), lead(&conn, 2)), (None, Some(2)));

    let last = |conn: &Connection, customer: i64| -> Option<i64> {
        conn.query_row(
            "SELECT last_callback_at FROM customers WHERE id = ?1",
            [customer],
            |r| r.get(0),
        )
        .unwrap()
    };
    // Seeded interaction 2 is a call-back of customer 1; interaction 1 a visit.
    assert_eq!((last(&conn, 1), last(&conn, 2)), (Some(1700000400), None));
    let log = |conn: &Connection, id: i64, at: i64| {
        conn.execute(
            "INSERT INTO interactions (id, customer_id, occurred_at, channel, subject, created_by,
                                       created_at, updated_at)
             VALUES (?1, 1, ?2, 'callback', '回访', 3, ?2, ?2)",
            [id, at],
        )
        .unwrap();
    };
    // A newer call-back moves it on; an older one logged later does not move it back.
    log(&conn, 3, 1700000500);
    log(&conn, 4, 1700000450);
    assert_eq!(last(&conn, 1), Some(1700000500));
    // Deleting the newest (softly) falls back to the next one.
    conn.execute("UPDATE interactions SET deleted_at = 1 WHERE id = 3", [])
        .unwrap();
    assert_eq!(last(&conn, 1), Some(1700000450));
    // The visit edited into a later call-back, then moved to the other customer (a merge).
    conn.execute(
        "UPDATE interactions SET channel = 'callback', occurred_at = 1700000600 WHERE id = 1",
        [],
    )
    .unwrap();
    assert_eq!(last(&conn, 1), Some(1700000600));
    conn.execute("UPDATE interactions SET customer_id = 2 WHERE id = 1", [])
        .unwrap();
    assert_eq!(
        (last(&conn, 1), last(&conn, 2)),
        (Some(1700000450), Some(1700000600))
    );
    // Restoring the deleted one, then deleting the live call-backs for good.
    conn.execute("UPDATE interactions SET deleted_at = NULL WHERE id = 3", [])
        .unwrap();
    assert_eq!(last(&conn, 1), Some(1700000500));
    conn.execute("DELETE FROM interactions WHERE id IN (2, 3, 4)", [])
        .unwrap();
    assert_eq!(last(&conn, 1), None);
}

/// The short-query grams (migration 0014) move from one `search_grams` row per gram into one
/// gram document per customer and per contact: every row is found again by its token (`1` +
/// gram where it starts the name), nothing else is, and the moved documents are deleted and
/// rebuilt like new ones.
#[test]
fn search_grams_move_into_the_gram_indexes() {
    use crate::customer::search_index::{self, tests::gram_postings};
    let mut conn = build_at(BEFORE_0014);
    // As the search index of that version left the seeded customers (1, 2) and contacts (1,
    // 2), in part: names, initials and a tag's gram.
    conn.execute_batch(
        "INSERT INTO search_grams (gram, kind, first, ref_id) VALUES
             ('杭', 0, 1, 1), ('杭州', 0, 1, 1), ('州', 0, 0, 1), ('hz', 0, 1, 1), ('重点', 0, 0, 1),
             ('b', 0, 1, 2), ('bo', 0, 0, 2),
             ('张', 1, 1, 1), ('三', 1, 0, 1), ('张三', 1, 1, 1), ('赵六', 1, 1, 2);",
    )
    .unwrap();
    migrations::migrate(&mut conn).unwrap();
    assert!(!table_exists(&conn, "search_grams"));
    let sorted = |mut v: Vec<(&str, i64)>| -> Vec<(String, i64)> {
        v.sort();
        v.into_iter().map(|(t, id)| (t.to_string(), id)).collect()
    };
    assert_eq!(
        gram_postings(&conn, "customer_grams"),
        sorted(vec![
            ("1杭", 1),
            ("1杭州", 1),
            ("0州", 1),
            ("1hz", 1),
            ("0重点", 1),
            ("1b", 2),
            ("0bo", 2),
        ])
    );
    assert_eq!(
        gram_postings(&conn, "contact_grams"),
        sorted(vec![("1张", 1), ("0三", 1), ("1张三", 1), ("1赵六", 2)])
    );
    // Customer 1 (and its contact 1) re-indexed as an edit does: its moved documents go,
    // customer 2's stay; the result is what a full rebuild makes.
    search_index::unindex(&conn, 1).unwrap();
    assert!(
        gram_postings(&conn, "customer_grams")
            .iter()
            .all(|(_, id)| *id == 2)
    );
    assert_eq!(
        gram_postings(&conn, "contact_grams"),
        [("1赵六".to_string(), 2)]
    );
    search_index::index(&conn, 1).unwrap();
    let customer_1 = |conn: &Connection| -> Vec<(String, i64)> {
        gram_postings(conn, "customer_grams")
            .into_iter()
            .filter(|(_, id)| *id == 1)
            .collect()
    };
    let edited = customer_1(&conn);
    assert!(edited.contains(&("1杭州".to_string(), 1)));
    assert!(edited.contains(&("0重点".to_string(), 1)), "its tag");
    search_index::rebuild(&conn).unwrap();
    assert_eq!(customer_1(&conn), edited);
}

/// Migration 0016 cuts the copy of the contacts' documents off the customers' trigram
/// documents: afterwards each holds what the search index writes now, and a document that
/// does not end with its contacts' copy is left whole.
#[test]
fn customer_documents_lose_their_contacts_copy() {
    use crate::customer::search_index;
    let mut conn = build_at(BEFORE_0016);
    let docs = |conn: &Connection| -> Vec<(i64, String)> {
        let mut stmt = conn
            .prepare("SELECT rowid, doc FROM customer_fts ORDER BY rowid")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    // A second contact for customer 1, and a customer 3 with a contact whose stored document
    // no longer ends with its contact's.
    conn.execute_batch(
        "INSERT INTO contacts (id, customer_id, name, mobile, email, is_primary)
             VALUES (3, 1, '李四', '13700000003', 'ls@example.com', 0);
         INSERT INTO customers (id, number, name, created_at, updated_at)
             VALUES (3, 'KH-2026-00003', '北京精密', 0, 0);
         INSERT INTO contacts (id, customer_id, name, mobile, email, is_primary)
             VALUES (4, 3, '王芳', '13600000004', '', 1);",
    )
    .unwrap();
    search_index::rebuild(&conn).unwrap();
    let current = docs(&conn);
    assert_eq!(current.len(), 3);
    assert!(current.iter().all(|(_, d)| !d.contains("1390000000")));
    // As the index of that version wrote them: each contact's document after the customer's
    // own lines, in contact id order.
    let contact = |id: i64| -> String {
        conn.query_row("SELECT doc FROM contact_fts WHERE rowid = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let old = [
        (1, format!("{}{}{}", current[0].1, contact(1), contact(3))),
        (2, format!("{}{}", current[1].1, contact(2))),
        (3, format!("{}odd\n", current[2].1)),
    ];
    assert!(
        old[0].1.contains("zhangsan\nzs\n13900000001\n") && old[0].1.ends_with("ls@example.com\n")
    );
    for (id, doc) in &old {
        conn.execute(
            "UPDATE customer_fts SET doc = ?2 WHERE rowid = ?1",
            rusqlite::params![id, doc],
        )
        .unwrap();
    }
    migrations::migrate_to(&mut conn, BEFORE_0016 + 1).unwrap();
    let after = docs(&conn);
    assert_eq!(after[..2], current[..2]);
    assert_eq!(after[2], (3, old[2].1.clone()), "left whole");
    // The new table's trigram index follows the documents: customer 1 is found by its own
    // name's pinyin, no longer by its contact's phone; no temporary table is left.
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let matching = |q: &str| {
        count(&format!(
            "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH '\"{q}\"'"
        ))
    };
    assert_eq!(matching("hangzhou"), 1);
    assert_eq!(matching("13900000001"), 0);
    assert_eq!(
        count(
            "SELECT count(*) FROM sqlite_temp_master WHERE name IN ('contact_suffix', 'customer_docs')"
        ),
        0
    );
}

/// Migration 0017 makes the trigram indexes again without positions: every stored document
/// stays, and the index finds them by their trigrams (which it can no longer match as a
/// phrase).
#[test]
fn trigram_indexes_keep_their_documents_without_positions() {
    use crate::customer::search_index;
    let mut conn = build_at(BEFORE_0017);
    search_index::rebuild(&conn).unwrap();
    let docs = |conn: &Connection, table: &str| -> Vec<(i64, String)> {
        let mut stmt = conn
            .prepare(&format!("SELECT rowid, doc FROM {table} ORDER BY rowid"))
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let before = (docs(&conn, "customer_fts"), docs(&conn, "contact_fts"));
    assert!(!before.0.is_empty() && !before.1.is_empty());
    migrations::migrate_to(&mut conn, BEFORE_0017 + 1).unwrap();
    assert_eq!(
        (docs(&conn, "customer_fts"), docs(&conn, "contact_fts")),
        before
    );
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count(
            "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH '\"han\" AND \"ngz\" AND \"zho\" AND \"hou\"'
               AND instr(doc, 'hangzhou') > 0"
        ),
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM contact_fts WHERE contact_fts MATCH '\"001\"'"),
        1
    );
    let phrase = conn
        .query_row(
            "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH '\"hangzhou\"'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap_err();
    assert!(
        phrase
            .to_string()
            .contains("phrase queries are not supported"),
        "{phrase}"
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM sqlite_temp_master WHERE name IN ('customer_docs', 'contact_docs')"
        ),
        0
    );
}

/// Migration 0018 writes the value lists of the customers' and the history's CHECK constraints
/// as comparisons: the stored rows stay valid, the checks refuse and allow what they did, and
/// the schema version moves on so that every connection reads the new schema.
#[test]
fn checks_compare_values_instead_of_listing_them() {
    let mut conn = build_at(BEFORE_0018);
    let table_sql = |conn: &Connection, name: &str| -> String {
        conn.query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert!(table_sql(&conn, "customers").contains("stage IN ("));
    let schema_version = |conn: &Connection| -> i64 {
        conn.query_row("PRAGMA schema_version", [], |r| r.get(0))
            .unwrap()
    };
    let before = schema_version(&conn);
    migrations::migrate_to(&mut conn, BEFORE_0018 + 1).unwrap();
    assert_eq!(schema_version(&conn), before + 1);
    integrity(&conn);
    let customers = table_sql(&conn, "customers");
    let history = table_sql(&conn, "customer_history");
    assert!(
        !customers.contains(" IN (") && !history.contains("kind IN"),
        "{customers}\n{history}"
    );
    assert!(customers.contains("CHECK (tier = 'A' OR tier = 'B' OR tier = 'C')"));
    assert!(history.contains("kind = 'imported' OR kind = 'reviewed')"));
    let insert_customer = |stage: &str, tier: &str| {
        conn.execute(
            "INSERT INTO customers (number, name, stage, tier, created_at, updated_at)
             VALUES ('KH-2026-09999', '检查', ?1, ?2, 0, 0)",
            [stage, tier],
        )
    };
    assert!(insert_customer("bogus", "A").is_err());
    assert!(insert_customer("signed", "D").is_err());
    insert_customer("strategic", "B").unwrap();
    let insert_history = |kind: &str| {
        conn.execute(
            "INSERT INTO customer_history (customer_id, at, kind) VALUES (1, 0, ?1)",
            [kind],
        )
    };
    assert!(insert_history("deleted").is_err());
    insert_history("reviewed").unwrap();
    // The append-only triggers and the index are still there.
    assert!(conn.execute("DELETE FROM customer_history", []).is_err());
    assert!(table_exists(&conn, "customer_history"));
}
