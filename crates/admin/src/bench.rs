//! `bench`: time the app's own queries on a data folder (meant for the `demo --size large`
//! set, in a release build) and print one JSON object per line:
//! `{"name", "n", "p50_ms", "p95_ms", "target_ms", …}`. Search shapes are also run as the naive
//! `LIKE '%q%'` scan a simple app would use, with the ratio. Nothing in the data folder changes:
//! scans that refresh stored state run in transactions that are rolled back, and the import and
//! backup benchmarks write to a scratch folder.

use crate::common::{actor, msg, open_existing};
use chrono::{DateTime, Utc};
use rapport_core::customer::{self, ListQuery, SortKey, Stage, Tier, search_index};
use rapport_core::feedback::{FeedbackFilter, Queue, Status};
use rapport_core::page::Page;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Arguments of `bench`.
#[derive(clap::Args)]
pub struct Args {
    /// Runs of each query measure (the LIKE scans and the heavy measures run fewer).
    #[arg(long, default_value_t = 50)]
    n: usize,
    /// Only the measures whose name contains this.
    #[arg(long)]
    only: Option<String>,
    /// Where the import and backup benchmarks write (default: a temporary folder).
    #[arg(long)]
    scratch: Option<PathBuf>,
    /// Rows of the generated import file.
    #[arg(long, default_value_t = 100_000)]
    import_rows: usize,
}

/// Durations → p50 and p95 in milliseconds (nearest rank).
fn percentiles(mut t: Vec<Duration>) -> (f64, f64) {
    t.sort();
    let at = |q: f64| {
        let i = ((q * t.len() as f64).ceil() as usize).clamp(1, t.len()) - 1;
        t[i].as_secs_f64() * 1e3
    };
    (at(0.50), at(0.95))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Run `f` `n` times (after one warm-up) and return the timings and its last result.
fn time<T>(
    n: usize,
    mut f: impl FnMut(usize) -> Result<T, String>,
) -> Result<(Vec<Duration>, T), String> {
    let mut last = f(0)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let s = Instant::now();
        last = f(i)?;
        out.push(s.elapsed());
    }
    Ok((out, last))
}

struct Out<'a> {
    only: Option<&'a str>,
}

impl Out<'_> {
    fn wants(&self, name: &str) -> bool {
        self.only.is_none_or(|o| name.contains(o))
    }
    fn line(&self, name: &str, n: usize, p: (f64, f64), target: Option<f64>, extra: Value) {
        let mut v = json!({
            "name": name,
            "n": n,
            "p50_ms": round(p.0),
            "p95_ms": round(p.1),
            "target_ms": target,
            "met": target.map(|t| p.1 <= t),
        });
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        println!("{v}");
    }
}

/// Queries of a shape, drawn from the data so that they find something.
fn samples(conn: &Connection) -> Result<Vec<(&'static str, Vec<String>)>, String> {
    let names: Vec<String> = sql_strings(
        conn,
        "SELECT name FROM customers WHERE id % (SELECT max(1, count(*) / 10) FROM customers) = 0 LIMIT 10",
    )?;
    let mobiles: Vec<String> = sql_strings(
        conn,
        "SELECT mobile FROM contacts WHERE mobile <> '' AND id % (SELECT max(1, count(*) / 10) FROM contacts) = 0 LIMIT 10",
    )?;
    if names.is_empty() {
        return Err("no customers: run `rapport-admin demo --size large` first".into());
    }
    let chars =
        |n: &String, from: usize, len: usize| n.chars().skip(from).take(len).collect::<String>();
    // Names are city (2) + trade name (2) + business + form; people are surname + given.
    let people: Vec<String> = sql_strings(
        conn,
        "SELECT name FROM contacts WHERE id % (SELECT max(1, count(*) / 10) FROM contacts) = 0 LIMIT 10",
    )?;
    Ok(vec![
        (
            "search_cjk1",
            people.iter().map(|n| chars(n, 0, 1)).collect(),
        ),
        (
            "search_cjk2",
            names.iter().map(|n| chars(n, 2, 2)).collect(),
        ),
        (
            "search_cjk3",
            names.iter().map(|n| chars(n, 2, 3)).collect(),
        ),
        (
            "search_pinyin_initials",
            names
                .iter()
                .map(|n| search_index::pinyin_initials(n).chars().take(4).collect())
                .collect(),
        ),
        (
            "search_phone_fragment",
            mobiles
                .iter()
                .map(|m| m.chars().skip(3).take(6).collect())
                .collect(),
        ),
    ])
}

fn sql_strings(conn: &Connection, sql: &str) -> Result<Vec<String>, String> {
    let mut stmt = conn.prepare(sql).map_err(|e| e.to_string())?;
    stmt.query_map([], |r| r.get(0))
        .map_err(|e| e.to_string())?
        .collect::<rusqlite::Result<_>>()
        .map_err(|e| e.to_string())
}

/// The naive implementation: substring scans over the same columns, 20 rows of each kind.
const LIKE_SCAN: &str = "SELECT (SELECT count(*) FROM (SELECT id FROM customers WHERE name LIKE ?1 OR number LIKE ?1 LIMIT 20))
     + (SELECT count(*) FROM (SELECT id FROM contacts WHERE name LIKE ?1 OR mobile LIKE ?1 OR email LIKE ?1 LIMIT 20))";

/// Run every measure and print its line.
pub fn run(dir: &Path, a: Args) -> Result<(), String> {
    let conn = open_existing(dir)?;
    let admin = actor(&conn, None)?;
    let now = Utc::now();
    let out = Out {
        only: a.only.as_deref(),
    };
    let n = a.n.max(1);
    let customers: i64 = count(&conn, "SELECT count(*) FROM customers")?;
    eprintln!("data: {customers} customers");

    for (name, qs) in samples(&conn)? {
        if !out.wants(name) {
            continue;
        }
        let (t, _) = time(n, |i| {
            customer::search(&conn, &admin, &qs[i % qs.len()], 20).map_err(msg)
        })?;
        let hits: usize = qs
            .iter()
            .map(|q| {
                customer::search(&conn, &admin, q, 20)
                    .map(|r| r.customers.len() + r.contacts.len())
                    .unwrap_or(0)
            })
            .sum();
        let mut like = conn.prepare(LIKE_SCAN).map_err(|e| e.to_string())?;
        let like_n = (n / 5).max(qs.len().min(n));
        let (lt, like_hits) = time(like_n, |i| {
            like.query_row([format!("%{}%", qs[i % qs.len()])], |r| r.get::<_, i64>(0))
                .map_err(|e| e.to_string())
        })?;
        let p = percentiles(t);
        let lp = percentiles(lt);
        out.line(
            name,
            n,
            p,
            Some(3.0),
            json!({
                "queries": qs,
                "avg_hits": hits as f64 / qs.len() as f64,
                "like_n": like_n,
                "like_p50_ms": round(lp.0),
                "like_p95_ms": round(lp.1),
                "like_last_hits": like_hits,
                "ratio_p95": round(lp.1 / p.1.max(1e-6)),
            }),
        );
    }

    if out.wants("customer_list_page") {
        let queries = [
            ListQuery {
                stage: Some(Stage::Signed),
                sort: SortKey::Name,
                ..Default::default()
            },
            ListQuery {
                tier: Some(Tier::A),
                sort: SortKey::LastContactAt,
                desc: true,
                ..Default::default()
            },
            ListQuery {
                industry: Some("制造业".into()),
                sort: SortKey::AnnualAmount,
                desc: true,
                ..Default::default()
            },
            ListQuery {
                has_open_feedback: true,
                sort: SortKey::UpdatedAt,
                desc: true,
                ..Default::default()
            },
            ListQuery {
                no_contact_days: Some(90),
                sort: SortKey::Number,
                offset: 500,
                ..Default::default()
            },
        ];
        let (t, page) = time(n, |i| {
            customer::list_customers(&conn, now, &admin, &queries[i % queries.len()]).map_err(msg)
        })?;
        let shapes = [
            "stage_name",
            "tier_last_contact",
            "industry_amount",
            "open_feedback_updated",
            "no_contact_90d_offset_500",
        ];
        for (q, shape) in queries.iter().zip(shapes) {
            let (t, _) = time((n / 5).max(3), |_| {
                customer::list_customers(&conn, now, &admin, q).map_err(msg)
            })?;
            out.line(
                &format!("customer_list_page_{shape}"),
                (n / 5).max(3),
                percentiles(t),
                Some(5.0),
                json!({}),
            );
        }
        out.line(
            "customer_list_page",
            n,
            percentiles(t),
            Some(5.0),
            json!({"rows": page.items.len(), "shapes": ["stage+name", "tier+last_contact", "industry+amount", "open_feedback+updated", "no_contact_90d+number offset 500"]}),
        );
    }

    if out.wants("customer_detail_timeline") {
        let ids = ids(&conn, "customers", 20)?;
        let (t, rows) = time(n, |i| {
            let id = ids[i % ids.len()];
            customer::get_customer(&conn, &admin, id).map_err(msg)?;
            let tl = rapport_core::interaction::timeline(&conn, &admin, id, &[], Page::default())
                .map_err(msg)?;
            Ok(tl.items.len())
        })?;
        out.line(
            "customer_detail_timeline",
            n,
            percentiles(t),
            None,
            json!({"timeline_rows": rows}),
        );
    }

    if out.wants("feedback_queue") {
        let staff = first_user(
            &conn,
            "SELECT username FROM users WHERE active = 1 AND role = 'staff' AND department_id = (SELECT id FROM departments WHERE code = 'cs') ORDER BY id LIMIT 1",
        )?;
        let who = match staff {
            Some(u) => actor(&conn, Some(&u))?,
            None => admin.clone(),
        };
        let filter = FeedbackFilter {
            statuses: vec![Status::New, Status::InProgress, Status::AwaitingCustomer],
            queue: Some(Queue::Department),
            // One page, as the list and the board ask for it.
            limit: Some(201),
            ..Default::default()
        };
        let heavy = (n / 5).max(3);
        let (t, items) = time(heavy, |_| {
            rapport_core::feedback::list(&conn, now, &who, &filter)
                .map_err(msg)
                .map(|v| v.len())
        })?;
        out.line(
            "feedback_queue_department",
            heavy,
            percentiles(t),
            None,
            json!({"items": items, "user": who.username}),
        );
    }

    const DASHBOARDS: [&str; 4] = [
        "dashboard",
        "dashboard_department",
        "dashboard_owner",
        "dashboard_one_connection",
    ];
    if DASHBOARDS.iter().any(|name| out.wants(name)) {
        use rapport_core::insight::{InsightFilter, dashboard, dashboard_on_two};
        // This year for everyone, and narrowed by the filter bar's department (the one with
        // the most customers) and owner (the one with the most customers).
        let department = count(
            &conn,
            "SELECT coalesce((SELECT department_id FROM customers WHERE department_id IS NOT NULL
                              GROUP BY 1 ORDER BY count(*) DESC LIMIT 1), 0)",
        )?;
        let owner = count(
            &conn,
            "SELECT coalesce((SELECT owner_user_id FROM customers
                              GROUP BY 1 ORDER BY count(*) DESC LIMIT 1), 0)",
        )?;
        let shapes = [
            (
                "dashboard",
                InsightFilter::default(),
                json!({"period": "this_year"}),
            ),
            (
                "dashboard_department",
                InsightFilter {
                    department_id: Some(department),
                    ..Default::default()
                },
                json!({"period": "this_year", "department_id": department}),
            ),
            (
                "dashboard_owner",
                InsightFilter {
                    owner_user_id: Some(owner),
                    ..Default::default()
                },
                json!({"period": "this_year", "owner_user_id": owner}),
            ),
        ];
        // The app computes the dashboard on two connections (the window's and the
        // scheduler's, when it is free); `dashboard_one_connection` is the same team-wide
        // figures on one.
        let mut second = open_existing(dir)?;
        let heavy = (n / 5).max(3);
        for (name, filter, extra) in shapes {
            if !out.wants(name) {
                continue;
            }
            let (t, _) = time(heavy, |_| {
                dashboard_on_two(&conn, &mut second, &admin, &filter, now)
                    .map_err(msg)
                    .map(|_| ())
            })?;
            out.line(name, heavy, percentiles(t), Some(150.0), extra);
        }
        if out.wants("dashboard_one_connection") {
            let filter = InsightFilter::default();
            let (t, _) = time(heavy, |_| {
                dashboard(&conn, &admin, &filter, now)
                    .map_err(msg)
                    .map(|_| ())
            })?;
            out.line(
                "dashboard_one_connection",
                heavy,
                percentiles(t),
                None,
                json!({"period": "this_year"}),
            );
        }
    }

    if out.wants("list_export") {
        use rapport_core::feedback::FeedbackFilter;
        use rapport_core::insight::lists::{export_feedback, export_interactions};
        use rapport_core::interaction::InteractionFilter;
        // The feedback list of the last 30 days (table 3) and the call-backs of the last 90
        // (table 2), as a head exports them for the monthly and quarterly meetings.
        let heavy = (n / 10).max(3);
        let month = FeedbackFilter {
            created_from: Some(now - chrono::Duration::days(30)),
            ..Default::default()
        };
        let (t, rows) = time(heavy, |_| {
            export_feedback(&conn, now, &admin, &month, "zh-CN")
                .map_err(msg)
                .map(|(_, b)| b.len())
        })?;
        out.line(
            "list_export_feedback_30_days",
            heavy,
            percentiles(t),
            None,
            json!({"xlsx_bytes": rows}),
        );
        let quarter = InteractionFilter {
            from: Some(now - chrono::Duration::days(90)),
            channels: vec!["callback".into()],
            ..Default::default()
        };
        let (t, rows) = time(heavy, |_| {
            export_interactions(&conn, now, &admin, &quarter, "zh-CN")
                .map_err(msg)
                .map(|(_, b)| b.len())
        })?;
        out.line(
            "list_export_callbacks_90_days",
            heavy,
            percentiles(t),
            None,
            json!({"xlsx_bytes": rows}),
        );
    }

    let scratch = match &a.scratch {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| e.to_string())?;
            tempfile::tempdir_in(d)
        }
        None => tempfile::tempdir(),
    }
    .map_err(|e| e.to_string())?;

    if out.wants("backup") {
        let file = scratch.path().join("backup.sqlite3");
        let (t, _) = time(2, |_| {
            let _ = std::fs::remove_file(&file);
            rapport_core::backup::backup_to(&conn, &file).map_err(msg)
        })?;
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        out.line(
            "backup_large_db",
            2,
            percentiles(t),
            None,
            json!({"db_mb": round(size as f64 / 1048576.0)}),
        );
    }

    if out.wants("overdue_scan") {
        // The scan refreshes stored SLA columns and records what it reported: run it on a
        // scratch copy, one minute further each run, as the scheduler does.
        let copy = crate::reminders::scratch_copy(&conn, scratch.path())?;
        let (t, notices) = time(n, |i| {
            let at = now + chrono::Duration::minutes(i as i64);
            rapport_core::feedback::overdue_scan(&copy, at)
                .map_err(msg)
                .map(|v| v.len())
        })?;
        out.line(
            "overdue_scan",
            n,
            percentiles(t),
            Some(5.0),
            json!({"notices_last_run": notices}),
        );
        // The scheduler's whole database work per tick (call-back and onboarding plans kept
        // up to date, every rule's candidates, superseded and new reminders recorded).
        let heavy = (n / 5).max(3);
        let (t, c) = time(heavy, |i| {
            let at = now + chrono::Duration::minutes(n as i64 + i as i64);
            rapport_core::reminder::sources::run(&copy, at)
                .map_err(msg)
                .map(|v| v.len())
        })?;
        out.line(
            "overdue_scan_full_scheduler_tick",
            heavy,
            percentiles(t),
            None,
            json!({"new_reminders_last_run": c}),
        );
    }

    if out.wants("import") {
        let (ms, report) = import_bench(scratch.path(), a.import_rows, now)?;
        out.line("import_csv", 1, (ms, ms), Some(5000.0), report);
    }
    Ok(())
}

/// Generate a CSV of `rows` customers (with a contact each), import it into a fresh data
/// folder through the app's importer, and return the milliseconds of `import::apply` alone (the
/// preview before it and the checkpoint the app runs afterwards on another connection are
/// reported beside it).
fn import_bench(scratch: &Path, rows: usize, now: DateTime<Utc>) -> Result<(f64, Value), String> {
    use std::fmt::Write;
    let mut csv = String::from(
        "\u{feff}客户名称,所属行业,对接人姓名,职位,手机,邮箱,合同金额,客户标签,信息来源\n",
    );
    let cities = [
        "北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "西安",
    ];
    let trades = [
        "华鑫", "瑞德", "恒泰", "博远", "嘉信", "锦程", "启航", "康达",
    ];
    let people = [
        "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇",
    ];
    for i in 0..rows {
        let _ = writeln!(
            csv,
            "{}{}{}贸易有限公司,批发业,{},采购经理,13{}{:08},buyer{i}@example.com,{}.00,重点客户,展会",
            cities[i % 8],
            trades[(i / 8) % 8],
            i,
            people[(i / 64) % 8],
            5 + i % 4,
            (i * 7919) % 100_000_000,
            10_000 + i % 90_000
        );
    }
    let dir = scratch.join("import");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("customers.csv");
    std::fs::write(&file, &csv).map_err(|e| e.to_string())?;
    let mut conn = rapport_core::db::open(&dir.join(rapport_core::db::DB_FILE)).map_err(msg)?;
    let who = rapport_core::team::setup(
        &mut conn,
        now,
        &rapport_core::team::SetupInput {
            company_name: "导入测试".into(),
            admin_username: "admin".into(),
            admin_display_name: "管理员".into(),
            admin_password: "bench-pass-1".into(),
            time_zone: "Asia/Shanghai".into(),
            locale: "zh-CN".into(),
            lunch_break: true,
        },
    )
    .map_err(msg)?;
    let bytes = csv.into_bytes();
    let started = Instant::now();
    let preview =
        customer::import::preview(&conn, &who, &bytes, "customers.csv", None).map_err(msg)?;
    let preview_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let report = customer::import::apply(
        &mut conn,
        now,
        &who,
        &bytes,
        "customers.csv",
        &preview.mapping,
        customer::import::DuplicatePolicy::Skip,
        &mut |_, _| {},
    )
    .map_err(msg)?;
    let ms = started.elapsed().as_secs_f64() * 1e3;
    // What the app then does on another connection, while the window goes on.
    let started = Instant::now();
    rapport_core::db::checkpoint(&conn).map_err(msg)?;
    let checkpoint_ms = started.elapsed().as_secs_f64() * 1e3;
    if !report.committed {
        return Err(format!(
            "the generated import failed: {:?}",
            report.errors.first()
        ));
    }
    let found = customer::search(&conn, &who, "华鑫", 5).map_err(msg)?;
    Ok((
        ms,
        json!({"rows": rows, "created": report.created, "file_mb": round(bytes.len() as f64 / 1048576.0),
               "searchable_after": !found.customers.is_empty(),
               "checkpoint_after_ms": round(checkpoint_ms), "preview_before_ms": round(preview_ms)}),
    ))
}

fn count(conn: &Connection, sql: &str) -> Result<i64, String> {
    conn.query_row(sql, [], |r| r.get(0))
        .map_err(|e| e.to_string())
}

fn ids(conn: &Connection, table: &str, k: usize) -> Result<Vec<i64>, String> {
    let max = count(conn, &format!("SELECT coalesce(max(id), 0) FROM {table}"))?;
    if max == 0 {
        return Err(format!("no rows in {table}"));
    }
    Ok((1..=k as i64)
        .map(|i| 1 + (max - 1) * i / k as i64)
        .collect())
}

fn first_user(conn: &Connection, sql: &str) -> Result<Option<String>, String> {
    Ok(sql_strings(conn, sql)?.into_iter().next())
}
