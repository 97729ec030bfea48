//! Tests of every dashboard figure against small data sets computed by hand: first the pure
//! functions, then the whole [`dashboard`] on the shared fixture (three customers, two
//! departments plus one without items) for each scope and filter, an empty period, and the
//! timeliness of feedback handled across public holidays.

use super::*;
use crate::calendar::{DayKind, WeeklyHours, store};
use crate::plan::{CallbackIntervals, Tier};
use crate::survey::SurveyKind::{Csat, Nps};
use crate::testutil::{Fixture, t};
use chrono::TimeZone;
use rusqlite::params;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn satisfaction_per_month_with_an_empty_month() {
    let months: Vec<String> = ["2026-01", "2026-02", "2026-03"].map(String::from).into();
    let rows = vec![
        ("2026-01".to_string(), Csat, 5, 2),
        ("2026-01".to_string(), Csat, 3, 1),
        ("2026-01".to_string(), Csat, 2, 1),
        ("2026-01".to_string(), Nps, 10, 3),
        ("2026-01".to_string(), Nps, 8, 1),
        ("2026-01".to_string(), Nps, 5, 2),
        ("2026-01".to_string(), Nps, 0, 1),
        ("2026-03".to_string(), Nps, 9, 1),
        // Outside the period: ignored.
        ("2025-12".to_string(), Nps, 0, 9),
    ];
    let (points, total) = satisfaction(&months, &rows);
    assert_eq!(points.len(), 3);
    let jan = &points[0];
    assert_eq!((jan.csat_count, jan.csat_good), (4, 2));
    assert!(close(jan.csat_average, 3.75));
    assert!(close(jan.csat_good_pct, 50.0));
    assert_eq!(
        (jan.nps_count, jan.promoters, jan.passives, jan.detractors),
        (7, 3, 1, 3)
    );
    assert!(close(jan.nps, 0.0));
    let feb = &points[1];
    assert_eq!(
        (feb.month.as_str(), feb.csat_count, feb.nps_count),
        ("2026-02", 0, 0)
    );
    assert_eq!(
        (feb.csat_average, feb.csat_good_pct, feb.nps),
        (None, None, None)
    );
    assert!(close(points[2].nps, 100.0));
    assert_eq!(
        (total.nps_count, total.promoters, total.detractors),
        (8, 4, 3)
    );
    assert!(close(total.nps, 12.5));
    assert!(close(total.csat_good_pct, 50.0));
}

#[test]
fn nearest_rank_percentiles() {
    let ten: Vec<i64> = (1..=10).collect();
    assert_eq!(nearest_rank(&ten, 0.5), Some(5));
    assert_eq!(nearest_rank(&ten, 0.9), Some(9));
    assert_eq!(nearest_rank(&[7], 0.9), Some(7));
    assert_eq!(nearest_rank(&[1, 2], 0.5), Some(1));
    assert_eq!(nearest_rank(&[1, 2], 0.9), Some(2));
    assert_eq!(nearest_rank(&[], 0.5), None);
}

fn trow(
    dept: Option<i64>,
    due: i64,
    responded: Option<i64>,
    closed: Option<i64>,
    late: bool,
    secs: i64,
) -> TimelinessRow {
    TimelinessRow {
        department_id: dept,
        response_due_at: due,
        first_response_at: responded,
        closed_at: closed,
        was_late: late,
        elapsed_business_secs: secs,
    }
}

#[test]
fn timeliness_per_department_lists_departments_without_items() {
    let depts = vec![(1, "销售部".to_string()), (2, "客服部".to_string())];
    let now = 1000;
    let rows = vec![
        trow(Some(1), 100, Some(90), Some(500), false, 100),
        trow(Some(1), 100, Some(150), Some(600), true, 300),
        // Not responded, due passed: counts as late.
        trow(Some(1), 200, None, None, false, 0),
        // Not responded, not yet due: undecided.
        trow(Some(1), 2000, None, None, false, 0),
        trow(None, 100, Some(100), None, false, 0),
    ];
    let mut tally = TimelinessTally::new(now);
    for r in &rows {
        tally.add(r);
    }
    let out = tally.finish(&depts);
    assert_eq!(out.len(), 3);
    let a = &out[0];
    assert_eq!((a.items, a.response_decided, a.response_on_time), (4, 3, 1));
    assert!(close(a.response_on_time_pct, 100.0 / 3.0));
    assert_eq!((a.closed, a.resolution_on_time), (2, 1));
    assert!(close(a.resolution_on_time_pct, 50.0));
    assert_eq!(
        (a.median_handling_secs, a.p90_handling_secs),
        (Some(100), Some(300))
    );
    let b = &out[1];
    assert_eq!(
        (b.name.as_str(), b.items, b.response_decided),
        ("客服部", 0, 0)
    );
    assert_eq!(
        (
            b.response_on_time_pct,
            b.resolution_on_time_pct,
            b.median_handling_secs
        ),
        (None, None, None)
    );
    assert_eq!((out[2].department_id, out[2].response_on_time), (None, 1));
}

#[test]
fn pareto_orders_and_sums_the_top_three() {
    let row = |k: &str, n: i64| (k.to_string(), k.to_string(), k.to_string(), n);
    let p = pareto(vec![
        row("C", 1),
        row("A", 5),
        row("E", 0),
        row("D", 1),
        row("B", 3),
    ]);
    let keys: Vec<_> = p.bars.iter().map(|b| b.key.as_str()).collect();
    assert_eq!(keys, ["A", "B", "C", "D"]);
    assert_eq!((p.total, p.top3), (10, 9));
    assert!(close(p.top3_share, 90.0));
    assert!((p.bars[1].cumulative - 80.0).abs() < 1e-9);
    assert!((p.bars[3].cumulative - 100.0).abs() < 1e-9);
    let empty = pareto(vec![]);
    assert_eq!((empty.total, empty.top3_share), (0, None));
}

#[test]
fn callbacks_per_tier_against_plan() {
    let out = callbacks(
        &CallbackIntervals::default(),
        &[(Tier::A, 4, 3), (Tier::B, 1, 0)],
        &[(Tier::A, 5)],
    );
    assert_eq!(out.len(), 3);
    assert_eq!((out[0].planned, out[0].done, out[0].logged), (4, 3, 5));
    assert!(close(out[0].completion_pct, 75.0));
    assert!(close(out[1].completion_pct, 0.0));
    assert_eq!(
        (
            out[2].interval_months,
            out[2].planned,
            out[2].completion_pct
        ),
        (6, 0, None)
    );
}

fn risk(id: i64, tier: Tier) -> RiskInput {
    RiskInput {
        customer_id: id,
        number: format!("KH-{id}"),
        name: format!("客户{id}"),
        tier,
        owner: String::new(),
        start: d(2026, 3, 1),
        last_callback: None,
        last_contact: Some(d(2026, 6, 10)),
        open_complaints: 0,
        min_recent_nps: None,
        min_recent_csat: None,
    }
}

#[test]
fn churn_risk_reasons_and_order() {
    let today = d(2026, 6, 15);
    let mut x = risk(1, Tier::A);
    x.last_callback = Some(d(2026, 5, 1)); // due 1 June: overdue
    let mut y = risk(2, Tier::C); // due 1 September, recent contact, good score
    y.min_recent_nps = Some(9);
    let mut z = risk(3, Tier::B);
    z.last_callback = Some(d(2026, 5, 1)); // due 1 August
    z.min_recent_csat = Some(2);
    z.open_complaints = 1;
    z.last_contact = Some(d(2026, 1, 1)); // 165 days
    let mut w = risk(4, Tier::B);
    w.last_callback = Some(d(2026, 5, 1));
    w.min_recent_nps = Some(7); // passive: not low
    w.min_recent_csat = Some(3);
    let out = churn_risk(&[x, y, z, w], &CallbackIntervals::default(), today, 90);
    let ids: Vec<_> = out.iter().map(|e| e.customer_id).collect();
    assert_eq!(ids, [3, 1]);
    assert_eq!(
        out[0].reasons,
        [
            RiskReason::LowScore,
            RiskReason::OpenComplaint,
            RiskReason::NoContact
        ]
    );
    assert_eq!(out[0].days_since_contact, Some(165));
    assert_eq!(out[1].reasons, [RiskReason::CallbackOverdue]);
    assert_eq!(out[1].callback_due_on, d(2026, 6, 1));
}

/// The rule as a reader would apply it: every reason of every customer, then one full sort.
fn churn_risk_by_hand(
    rows: &[RiskInput],
    intervals: &CallbackIntervals,
    today: NaiveDate,
    no_contact_days: i64,
) -> Vec<RiskEntry> {
    let mut out: Vec<RiskEntry> = rows
        .iter()
        .filter_map(|r| {
            let due = crate::plan::next_callback_date(
                r.last_callback.unwrap_or(r.start),
                intervals.months(r.tier),
            );
            let since = r.last_contact.map(|d| (today - d).num_days());
            let mut reasons = Vec::new();
            if due < today {
                reasons.push(RiskReason::CallbackOverdue);
            }
            if r.min_recent_nps.is_some_and(|s| s <= 6) || r.min_recent_csat.is_some_and(|s| s <= 2)
            {
                reasons.push(RiskReason::LowScore);
            }
            if r.open_complaints > 0 {
                reasons.push(RiskReason::OpenComplaint);
            }
            if since.unwrap_or((today - r.start).num_days()) > no_contact_days {
                reasons.push(RiskReason::NoContact);
            }
            (!reasons.is_empty()).then(|| RiskEntry {
                customer_id: r.customer_id,
                number: r.number.clone(),
                name: r.name.clone(),
                tier: r.tier,
                owner: r.owner.clone(),
                reasons,
                callback_due_on: due,
                days_since_contact: since,
                open_complaints: r.open_complaints,
            })
        })
        .collect();
    out.sort_by_key(|e| {
        (
            std::cmp::Reverse(e.reasons.len()),
            std::cmp::Reverse(e.days_since_contact.unwrap_or(i64::MAX)),
            e.customer_id,
        )
    });
    out
}

#[test]
fn churn_risk_head_is_the_head_of_the_fully_sorted_list() {
    let today = d(2026, 6, 15);
    let intervals = CallbackIntervals::default();
    // 2 000 customers with every combination of reasons, many ties on the number of reasons
    // and the days without contact, in no particular id order.
    let rows: Vec<RiskInput> = (0..2000_i64)
        .map(|i| {
            let mut r = risk(
                (i * 7919) % 2003 + 1,
                [Tier::A, Tier::B, Tier::C][(i % 3) as usize],
            );
            r.start = d(2025, 1, 1) + Duration::days(i % 500);
            r.last_callback = (i % 4 != 0).then(|| d(2025, 6, 1) + Duration::days(i % 380));
            r.last_contact = (i % 5 != 0).then(|| d(2026, 6, 14) - Duration::days(i % 200));
            r.open_complaints = i % 7 / 5;
            r.min_recent_nps = (i % 11 < 6).then_some(i % 11);
            r.min_recent_csat = (i % 13 < 5).then_some(i % 13 + 1);
            r
        })
        .collect();
    let expected = churn_risk_by_hand(&rows, &intervals, today, 90);
    assert!(expected.len() > 500 && expected.len() < rows.len());
    assert_eq!(churn_risk(&rows, &intervals, today, 90), expected);
    for limit in [0, 1, 50, expected.len() - 1, expected.len() + 1] {
        let (head, total) = churn_risk_top(&rows, &intervals, today, 90, limit);
        assert_eq!(total, expected.len());
        assert_eq!(head, expected[..limit.min(total)], "limit {limit}");
    }
}

#[test]
fn periods_from_presets_and_custom_ranges() {
    let tz = chrono_tz::Asia::Shanghai;
    let today = d(2026, 5, 20);
    let f = |preset| InsightFilter {
        preset,
        ..Default::default()
    };
    let q = period(&f(Preset::ThisQuarter), today, tz).unwrap();
    assert_eq!(
        (q.from, q.to, q.months.clone()),
        (
            d(2026, 4, 1),
            today,
            vec!["2026-04".into(), "2026-05".into()]
        )
    );
    assert_eq!(q.start, t(2026, 3, 31, 16, 0));
    assert_eq!(q.end, t(2026, 5, 20, 16, 0));
    assert_eq!(
        period(&f(Preset::ThisMonth), today, tz).unwrap().from,
        d(2026, 5, 1)
    );
    assert_eq!(
        period(&f(Preset::ThisYear), today, tz)
            .unwrap()
            .months
            .len(),
        5
    );
    let custom = InsightFilter {
        preset: Preset::Custom,
        from: Some(d(2025, 12, 15)),
        to: Some(d(2026, 1, 10)),
        ..Default::default()
    };
    let spans = month_spans(d(2025, 12, 15), d(2026, 1, 10), tz);
    assert_eq!(spans.len(), 2);
    assert_eq!(spans[0].end, spans[1].start);
    assert_eq!(spans[1].start, t(2025, 12, 31, 16, 0).timestamp());
    assert_eq!(
        period(&custom, today, tz).unwrap().months,
        ["2025-12", "2026-01"]
    );
    for (from, to) in [
        (None, Some(today)),
        (Some(today), Some(d(2026, 5, 1))),
        (Some(d(2010, 1, 1)), Some(today)),
    ] {
        let bad = InsightFilter {
            preset: Preset::Custom,
            from,
            to,
            ..Default::default()
        };
        assert_eq!(
            period(&bad, today, tz).unwrap_err().code(),
            "insight.range_invalid"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The whole dashboard on stored data.

/// Local noon of a day in Shanghai.
fn noon(m: u32, day: u32) -> i64 {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, m, day, 12, 0, 0)
        .unwrap()
        .timestamp()
}

fn survey(f: &Fixture, customer: i64, kind: &str, score: i64, at: i64) {
    f.conn
        .execute(
            "INSERT INTO survey_responses (customer_id, kind, score, responded_at, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![customer, kind, score, at],
        )
        .unwrap();
}

/// One feedback item with hand-set SLA columns.
struct Item {
    customer: i64,
    category: i64,
    channel: &'static str,
    status: &'static str,
    created: i64,
    lead: i64,
    assignee: i64,
    creator: i64,
    response_due: i64,
    responded: Option<i64>,
    resolution_due: i64,
    closed: Option<i64>,
    late: bool,
    secs: i64,
}

fn add_item(f: &Fixture, i: &Item) -> i64 {
    let n: i64 = f
        .conn
        .query_row("SELECT count(*) FROM feedback_items", [], |r| r.get(0))
        .unwrap();
    f.conn
        .execute(
            "INSERT INTO feedback_items (number, customer_id, channel, category_id, priority, status,
                 description, sla_targets, response_due_at, resolution_due_at, first_response_at,
                 closed_at, was_late, elapsed_business_secs, assignee_user_id, created_by,
                 created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'normal', ?5, 'x', '{}', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
            params![
                format!("FK-T-{n}"),
                i.customer,
                i.channel,
                i.category,
                i.status,
                i.response_due,
                i.resolution_due,
                i.responded,
                i.closed,
                i.late,
                i.secs,
                i.assignee,
                i.creator,
                i.created
            ],
        )
        .unwrap();
    let id = f.conn.last_insert_rowid();
    f.conn
        .execute(
            "INSERT INTO feedback_item_departments (item_id, department_id, role) VALUES (?1, ?2, 'lead')",
            params![id, i.lead],
        )
        .unwrap();
    id
}

/// The fixture with the data set described in the module's figures (see each test).
fn stored() -> Fixture {
    let f = Fixture::new();
    let c = &f.conn;
    c.execute(
        "INSERT INTO departments (code, name, sort) VALUES ('rnd', '研发部', 9)",
        [],
    )
    .unwrap();
    c.execute(
        "UPDATE customers SET stage = 'signed', tier = 'A', last_contact_at = ?1 WHERE id = ?2",
        params![noon(2, 1), f.cust1],
    )
    .unwrap();
    c.execute(
        "UPDATE customers SET stage = 'signed', tier = 'B', coop_start = '2026-01-10' WHERE id = ?1",
        [f.cust1b],
    )
    .unwrap();
    // Surveys: cust1 (staff1, dept 1), cust1b (staff1b, dept 1), cust2 (staff2, dept 2).
    survey(&f, f.cust1, "nps", 10, noon(1, 10));
    survey(&f, f.cust1, "csat", 5, noon(1, 12));
    survey(&f, f.cust1, "nps", 3, noon(3, 5));
    survey(&f, f.cust1b, "nps", 8, noon(1, 15));
    survey(&f, f.cust1b, "csat", 2, noon(3, 6));
    survey(&f, f.cust2, "nps", 9, noon(3, 7));
    survey(&f, f.cust2, "csat", 4, noon(3, 7));
    // Feedback: 11 = complaint/service quality, 12 = complaint/product, 31 = inquiry/usage.
    let admin = f.admin.user_id;
    add_item(
        &f,
        &Item {
            customer: f.cust1,
            category: 11,
            channel: "phone_hotline",
            status: "closed",
            created: noon(1, 5),
            lead: f.dept2,
            assignee: f.staff2.user_id,
            creator: f.staff1.user_id,
            response_due: noon(1, 6),
            responded: Some(noon(1, 5) + 3600),
            resolution_due: noon(1, 20),
            closed: Some(noon(1, 9)),
            late: false,
            secs: 3600,
        },
    );
    add_item(
        &f,
        &Item {
            customer: f.cust1b,
            category: 12,
            channel: "email",
            status: "in_progress",
            created: noon(3, 2),
            lead: f.dept1,
            assignee: f.staff1b.user_id,
            creator: admin,
            response_due: noon(3, 3),
            responded: None,
            resolution_due: noon(3, 10),
            closed: None,
            late: true,
            secs: 0,
        },
    );
    add_item(
        &f,
        &Item {
            customer: f.cust2,
            category: 11,
            channel: "email",
            status: "closed",
            created: noon(3, 10),
            lead: f.dept2,
            assignee: f.staff2.user_id,
            creator: admin,
            response_due: noon(3, 11),
            responded: Some(noon(3, 12)),
            resolution_due: noon(3, 25),
            closed: Some(noon(3, 16)),
            late: true,
            secs: 7200,
        },
    );
    add_item(
        &f,
        &Item {
            customer: f.cust2,
            category: 31,
            channel: "online_chat",
            status: "new",
            created: noon(3, 19),
            lead: f.dept2,
            assignee: f.staff2.user_id,
            creator: admin,
            response_due: noon(3, 21),
            responded: None,
            resolution_due: noon(4, 10),
            closed: None,
            late: false,
            secs: 0,
        },
    );
    add_item(
        &f,
        &Item {
            customer: f.cust2,
            category: 11,
            channel: "email",
            status: "duplicate",
            created: noon(3, 11),
            lead: f.dept2,
            assignee: f.staff2.user_id,
            creator: admin,
            response_due: noon(3, 12),
            responded: None,
            resolution_due: noon(3, 13),
            closed: Some(noon(3, 11)),
            late: false,
            secs: 0,
        },
    );
    // Tags: VIP on cust1 and cust2, 华东 on cust1b.
    c.execute(
        "INSERT INTO tags (id, name) VALUES (1, 'VIP'), (2, '华东')",
        [],
    )
    .unwrap();
    c.execute(
        "INSERT INTO customer_tags (customer_id, tag_id) VALUES (?1, 1), (?2, 1), (?3, 2)",
        params![f.cust1, f.cust2, f.cust1b],
    )
    .unwrap();
    // Call-back tasks: cust1 (A) due 1 Feb done, due 1 Mar open, due 1 Jan cancelled;
    // cust1b (B) due 15 Mar done. One call-back logged for cust1 on 1 Feb.
    for (cust, owner, due, status) in [
        (f.cust1, f.staff1.user_id, noon(2, 1), "done"),
        (f.cust1, f.staff1.user_id, noon(3, 1), "open"),
        (f.cust1, f.staff1.user_id, noon(1, 1), "cancelled"),
        (f.cust1b, f.staff1b.user_id, noon(3, 15), "done"),
    ] {
        c.execute(
            "INSERT INTO tasks (title, owner_user_id, due_at, customer_id, source_kind, status, created_at, updated_at)
             VALUES ('回访', ?1, ?2, ?3, 'plan', ?4, 0, 0)",
            params![owner, due, cust, status],
        )
        .unwrap();
    }
    c.execute(
        "INSERT INTO interactions (customer_id, occurred_at, channel, subject, created_at, updated_at)
         VALUES (?1, ?2, 'callback', '回访', 0, 0)",
        params![f.cust1, noon(2, 1)],
    )
    .unwrap();
    f
}

/// Friday 20 March 2026, noon in Shanghai.
fn now() -> DateTime<Utc> {
    crate::clock::from_unix(noon(3, 20))
}

fn this_year() -> InsightFilter {
    InsightFilter::default()
}

#[test]
fn dashboard_for_everyone_matches_the_hand_computed_figures() {
    let f = stored();
    let db = dashboard(&f.conn, &f.viewer, &this_year(), now()).unwrap();
    assert_eq!(db.period.months, ["2026-01", "2026-02", "2026-03"]);
    // Satisfaction: Jan NPS 10, 8 → 50; Feb empty; Mar NPS 3, 9 → 0, CSAT 2, 4 → 50 %.
    let s = &db.satisfaction;
    assert!(close(s[0].nps, 50.0));
    assert_eq!((s[0].promoters, s[0].passives, s[0].detractors), (1, 1, 0));
    assert_eq!((s[1].nps_count, s[1].csat_count, s[1].nps), (0, 0, None));
    assert!(close(s[2].nps, 0.0));
    assert!(close(s[2].csat_average, 3.0));
    assert!(close(s[2].csat_good_pct, 50.0));
    assert!(close(db.satisfaction_total.nps, 25.0));
    assert_eq!(db.satisfaction_total.nps_count, 4);
    // Feedback: four items (the duplicate left out), two open, one past its limit now.
    let v = &db.feedback.volume;
    assert_eq!((v.total, v.open, v.closed), (4, 2, 2));
    let count = |list: &[MonthCount], m: &str, k: &str| {
        list.iter()
            .find(|x| x.month == m && x.key == k)
            .map(|x| x.count)
    };
    assert_eq!(count(&v.by_category, "2026-01", "complaint"), Some(1));
    assert_eq!(count(&v.by_category, "2026-03", "complaint"), Some(2));
    assert_eq!(count(&v.by_category, "2026-03", "inquiry"), Some(1));
    assert_eq!(count(&v.by_channel, "2026-03", "email"), Some(2));
    assert_eq!(count(&v.by_channel, "2026-01", "phone_hotline"), Some(1));
    assert_eq!(db.feedback.overdue_now, 1);
    assert_eq!(db.feedback.categories.len(), 3);
    // Timeliness: sales (dept 1) one late item; cs (dept 2) 1 of 2 on time both ways;
    // R&D without items.
    let tl = &db.timeliness;
    assert_eq!(tl.len(), 3);
    assert_eq!(
        (tl[0].items, tl[0].response_decided, tl[0].response_on_time),
        (1, 1, 0)
    );
    assert!(close(tl[0].response_on_time_pct, 0.0));
    assert_eq!(tl[0].resolution_on_time_pct, None);
    assert_eq!(
        (tl[1].items, tl[1].response_decided, tl[1].closed),
        (3, 2, 2)
    );
    assert!(close(tl[1].response_on_time_pct, 50.0));
    assert!(close(tl[1].resolution_on_time_pct, 50.0));
    assert_eq!(
        (tl[1].median_handling_secs, tl[1].p90_handling_secs),
        (Some(3600), Some(7200))
    );
    assert_eq!(
        (tl[2].name.as_str(), tl[2].items, tl[2].response_on_time_pct),
        ("研发部", 0, None)
    );
    // Causes: service quality 2, product function 1; VIP 2, 华东 1.
    let c = &db.causes;
    assert_eq!(
        c.by_category
            .bars
            .iter()
            .map(|b| (b.key.as_str(), b.count))
            .collect::<Vec<_>>(),
        [("11", 2), ("12", 1)]
    );
    assert_eq!(c.by_category.bars[0].label_en, "Service quality");
    assert!(close(c.by_category.top3_share, 100.0));
    assert_eq!(
        c.by_tag
            .bars
            .iter()
            .map(|b| (b.label.as_str(), b.count))
            .collect::<Vec<_>>(),
        [("VIP", 2), ("华东", 1)]
    );
    // Relationship: A 1 of 2 planned done (the cancelled one not planned), B 1 of 1, C none.
    let cb = &db.relationship.callbacks;
    assert_eq!((cb[0].planned, cb[0].done, cb[0].logged), (2, 1, 1));
    assert!(close(cb[1].completion_pct, 100.0));
    assert_eq!((cb[2].planned, cb[2].completion_pct), (0, None));
    let st: Vec<_> = db
        .relationship
        .customers
        .iter()
        .map(|x| (x.stage.as_str(), x.tier.as_str(), x.count))
        .collect();
    assert_eq!(
        st,
        [
            ("potential", "C", 1),
            ("signed", "A", 1),
            ("signed", "B", 1)
        ]
    );
    // Churn risk: cust1b (low CSAT 2, open complaint) and cust1 (A: call-back due 1 March
    // missed, NPS 3); cust2 is only a potential customer.
    let risk = &db.relationship.churn_risk;
    assert_eq!(risk.len(), 2);
    assert_eq!(risk[0].customer_id, f.cust1b);
    assert_eq!(
        risk[0].reasons,
        [RiskReason::LowScore, RiskReason::OpenComplaint]
    );
    assert_eq!(risk[1].customer_id, f.cust1);
    assert_eq!(
        risk[1].reasons,
        [RiskReason::CallbackOverdue, RiskReason::LowScore]
    );
    assert_eq!(risk[1].days_since_contact, Some(47));
    assert_eq!(db.relationship.churn_risk_total, 2);
}

#[test]
fn scope_follows_the_role() {
    let f = stored();
    // Staff 1: own customer cust1 (NPS 10, 3; CSAT 5) and the item they logged.
    let db = dashboard(&f.conn, &f.staff1, &this_year(), now()).unwrap();
    assert_eq!(db.satisfaction_total.nps_count, 2);
    assert!(close(db.satisfaction_total.nps, 0.0));
    assert_eq!(db.satisfaction_total.csat_count, 1);
    assert_eq!(db.feedback.volume.total, 1);
    assert_eq!(db.relationship.customers.len(), 1);
    assert_eq!(db.relationship.churn_risk.len(), 1);
    // Head of department 1: cust1 and cust1b; the item led by department 1.
    let db = dashboard(&f.conn, &f.head1, &this_year(), now()).unwrap();
    assert_eq!(db.satisfaction_total.nps_count, 3);
    assert!(close(db.satisfaction_total.csat_good_pct, 50.0));
    assert_eq!((db.feedback.volume.total, db.feedback.overdue_now), (1, 1));
    assert_eq!(db.causes.by_tag.bars.len(), 1);
    // The supervisor and the admin see what the viewer sees.
    let all = dashboard(&f.conn, &f.viewer, &this_year(), now()).unwrap();
    assert_eq!(
        dashboard(&f.conn, &f.admin, &this_year(), now()).unwrap(),
        all
    );
    assert_eq!(
        dashboard(&f.conn, &f.supervisor, &this_year(), now()).unwrap(),
        all
    );
}

#[test]
fn department_and_owner_filters() {
    let f = stored();
    let dept2 = InsightFilter {
        department_id: Some(f.dept2),
        ..Default::default()
    };
    let db = dashboard(&f.conn, &f.viewer, &dept2, now()).unwrap();
    assert_eq!(db.satisfaction_total.nps_count, 1);
    assert!(close(db.satisfaction_total.nps, 100.0));
    assert_eq!(db.feedback.volume.total, 3);
    assert_eq!(db.timeliness.len(), 1);
    assert_eq!(db.timeliness[0].department_id, Some(f.dept2));
    let owner = InsightFilter {
        owner_user_id: Some(f.staff2.user_id),
        ..Default::default()
    };
    let db = dashboard(&f.conn, &f.viewer, &owner, now()).unwrap();
    assert_eq!((db.feedback.volume.total, db.feedback.overdue_now), (3, 0));
    assert_eq!(db.relationship.customers.len(), 1);
}

#[test]
fn an_empty_period_has_zero_counts_and_no_rates() {
    let f = stored();
    let filter = InsightFilter {
        preset: Preset::Custom,
        from: Some(d(2025, 6, 1)),
        to: Some(d(2025, 7, 31)),
        ..Default::default()
    };
    let db = dashboard(&f.conn, &f.viewer, &filter, now()).unwrap();
    assert_eq!(db.satisfaction.len(), 2);
    assert!(
        db.satisfaction
            .iter()
            .all(|p| p.nps_count == 0 && p.nps.is_none())
    );
    assert_eq!(db.feedback.volume.total, 0);
    assert!(db.feedback.volume.by_category.is_empty());
    assert_eq!(db.timeliness.len(), 3);
    assert!(
        db.timeliness
            .iter()
            .all(|t| t.items == 0 && t.response_on_time_pct.is_none())
    );
    assert_eq!(db.causes.by_category.total, 0);
    assert!(db.relationship.callbacks.iter().all(|c| c.planned == 0));
    // "Now" figures do not depend on the period.
    assert_eq!(db.feedback.overdue_now, 1);
}

#[test]
fn timeliness_counts_business_time_across_holidays() {
    let f = Fixture::new();
    store::save_weekly_hours(&f.conn, &WeeklyHours::default_china()).unwrap();
    for day in 1..=5 {
        store::set_day(&f.conn, d(2026, 5, day), DayKind::Holiday, "劳动节").unwrap();
    }
    // Thursday 30 April 10:00: "important" must be answered within one working day, i.e. by
    // Wednesday 6 May 10:00 (Friday to Tuesday are holidays or the weekend).
    let created = chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 4, 30, 10, 0, 0)
        .unwrap()
        .to_utc();
    let new = crate::feedback::NewFeedback {
        customer_id: Some(f.cust2),
        contact_id: None,
        unknown_name: String::new(),
        unknown_phone: String::new(),
        channel: crate::feedback::Channel::PhoneHotline,
        category_id: 11,
        priority: crate::feedback::Priority::Important,
        description: "回复太慢".into(),
        occurred_at: None,
        impact: String::new(),
        customer_expectation: String::new(),
    };
    let on_time = crate::feedback::create(&f.conn, created, &f.supervisor, &new).unwrap();
    let late = crate::feedback::create(&f.conn, created, &f.supervisor, &new).unwrap();
    let reply = crate::feedback::ResponseInput {
        customer_facing: true,
        comment: "已联系".into(),
    };
    let at = |h| {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 5, 6, h, 0, 0)
            .unwrap()
            .to_utc()
    };
    crate::feedback::record_response(&f.conn, at(9), &f.supervisor, on_time.item.id, &reply)
        .unwrap();
    crate::feedback::record_response(&f.conn, at(11), &f.supervisor, late.item.id, &reply).unwrap();
    let filter = InsightFilter {
        preset: Preset::Custom,
        from: Some(d(2026, 4, 1)),
        to: Some(d(2026, 5, 31)),
        ..Default::default()
    };
    let db = dashboard(&f.conn, &f.viewer, &filter, at(12)).unwrap();
    let cs = db
        .timeliness
        .iter()
        .find(|t| t.department_id == Some(f.dept2))
        .unwrap();
    // Six calendar days later is still on time for the first; the second missed by an hour.
    assert_eq!(
        (cs.items, cs.response_decided, cs.response_on_time),
        (2, 2, 1)
    );
    assert!(close(cs.response_on_time_pct, 50.0));
}

// ---------------------------------------------------------------------------------------------
// Reports and their XLSX exports, read back with calamine.

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<calamine::Data>> {
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn s(v: &str) -> calamine::Data {
    calamine::Data::String(v.into())
}

#[test]
fn monthly_complaint_report_exports_table_3_rows() {
    use report::{ReportKind, ReportRequest};
    let f = stored();
    let req = ReportRequest {
        kind: ReportKind::MonthlyComplaints,
        from: d(2026, 3, 15),
        to: None,
        department_id: None,
        owner_user_id: None,
    };
    let (name, bytes) = report::export(&f.conn, &f.viewer, &req, "zh-CN", now()).unwrap();
    assert_eq!(name, "complaints-2026-03.xlsx");
    // March: two complaints (the duplicate left out), service quality and product function.
    let rows = sheet(&bytes, "客户投诉处理表");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][1], s("投诉客户名称"));
    assert_eq!(rows[1][1], s("贸易有限公司"));
    assert_eq!(rows[1][2], s("2026-03-02"));
    assert_eq!(rows[1][5], s("产品功能类"));
    assert_eq!(rows[1][11], s("销售部"));
    // Not responded and past due: late; still open: no resolution verdict.
    assert_eq!(
        (rows[1][19].clone(), rows[1][20].clone()),
        (s("否"), calamine::Data::Empty)
    );
    assert_eq!(rows[2][1], s("制造有限公司"));
    assert_eq!(rows[2][18], s("2026-03-16"));
    assert_eq!(rows[2][20], s("否"));
    let causes = sheet(&bytes, "投诉原因");
    assert_eq!(causes[1][0], s("产品功能类"));
    assert_eq!(causes[1][1], calamine::Data::Float(1.0));
    assert_eq!(causes[2][3], calamine::Data::Float(100.0));
    // Staff 1 sees none of March's complaints; viewers may export, staff may not.
    let staff = report::build(&f.conn, &f.staff1, &req, now()).unwrap();
    let report::Report::MonthlyComplaints(r) = staff else {
        panic!("wrong kind")
    };
    assert!(r.rows.is_empty());
    assert!(matches!(
        report::export(&f.conn, &f.staff1, &req, "zh-CN", now()),
        Err(Error::Forbidden(_))
    ));
}

#[test]
fn quarterly_callback_and_service_quality_reports() {
    use report::{ReportKind, ReportRequest};
    let f = stored();
    let mut req = ReportRequest {
        kind: ReportKind::QuarterlyCallbacks,
        from: d(2026, 2, 10),
        to: None,
        department_id: None,
        owner_user_id: None,
    };
    let (name, bytes) = report::export(&f.conn, &f.admin, &req, "en", now()).unwrap();
    assert_eq!(name, "callbacks-2026-Q1.xlsx");
    let tiers = sheet(&bytes, "Completion");
    assert_eq!(tiers[0][0], s("Tier"));
    // A: 2 planned (1 Feb done, 1 Mar open), 1 done, 50 %, 1 logged.
    assert_eq!(
        tiers[1][..6].to_vec(),
        [
            s("A"),
            calamine::Data::Float(1.0),
            calamine::Data::Float(2.0),
            calamine::Data::Float(1.0),
            calamine::Data::Float(50.0),
            calamine::Data::Float(1.0)
        ]
    );
    let calls = sheet(&bytes, "Call-backs");
    assert_eq!(calls.len(), 2);
    assert_eq!(
        (calls[1][0].clone(), calls[1][2].clone()),
        (s("科技有限公司"), s("2026-02-01"))
    );

    req.kind = ReportKind::ServiceQuality;
    req.from = d(2026, 1, 1);
    req.to = Some(d(2026, 3, 31));
    let (_, bytes) = report::export(&f.conn, &f.admin, &req, "zh-CN", now()).unwrap();
    let sat = sheet(&bytes, "部门满意度");
    // Department 1 (cust1, cust1b): CSAT 5, 2 → 1 good of 2; NPS 10, 8, 3.
    assert_eq!(sat[1][0], s("销售部"));
    assert_eq!(
        sat[1][1..4].to_vec(),
        [
            calamine::Data::Float(2.0),
            calamine::Data::Float(1.0),
            calamine::Data::Float(50.0)
        ]
    );
    assert_eq!(sat[1][5], calamine::Data::Float(3.0));
    // R&D: no customers, no items: zero counts, empty rates.
    assert_eq!(sat[3][0], s("研发部"));
    assert_eq!(sat[3][1], calamine::Data::Float(0.0));
    assert_eq!(sat[3][3], calamine::Data::Empty);
    let tl = sheet(&bytes, "部门时效");
    assert_eq!(tl[2][0], s("客服部"));
    assert_eq!(tl[2][1], calamine::Data::Float(3.0));
    assert_eq!(tl[2][8], calamine::Data::Float(1.0));
    assert_eq!(tl[2][9], calamine::Data::Float(2.0));
}

#[test]
fn two_connections_give_the_figures_of_one() {
    let f = stored();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(crate::db::DB_FILE);
    f.conn.backup(rusqlite::MAIN_DB, &path, None).unwrap();
    let first = crate::db::open(&path).unwrap();
    let mut second = crate::db::open(&path).unwrap();
    let filters = [
        this_year(),
        InsightFilter {
            department_id: Some(f.dept2),
            ..Default::default()
        },
        InsightFilter {
            owner_user_id: Some(f.staff2.user_id),
            ..Default::default()
        },
    ];
    for actor in [&f.admin, &f.head1, &f.staff1] {
        for filter in &filters {
            let one = dashboard(&f.conn, actor, filter, now()).unwrap();
            let two = dashboard_on_two(&first, &mut second, actor, filter, now()).unwrap();
            assert_eq!(two, one, "{:?} {filter:?}", actor.role);
        }
    }
    // Both halves hold figures: the customers' on the second connection, the feedback's on
    // the first.
    let all = dashboard_on_two(&first, &mut second, &f.admin, &this_year(), now()).unwrap();
    assert!(all.satisfaction_total.nps_count > 0 && !all.relationship.customers.is_empty());
    assert!(all.feedback.volume.total > 0 && !all.timeliness.is_empty());
}
