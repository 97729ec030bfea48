//! Tests of the feedback operations against a migrated in-memory database with a small team:
//! customer service (head + two staff), R&D (head + one), sales, finance, a supervisor, an admin
//! and a viewer, China 2026 calendar with a lunch break.

use super::*;
use crate::calendar::WeeklyHours;
use crate::feedback::{AssignmentMode, Recipient, overdue_scan, set_assignment_mode};
use crate::sla::SlaStage;
use chrono::{TimeDelta, TimeZone};

pub(crate) struct Fixture {
    pub conn: Connection,
    pub admin: Actor,
    pub supervisor: Actor,
    pub cs_head: Actor,
    pub cs1: Actor,
    pub cs2: Actor,
    pub rnd_head: Actor,
    pub rnd1: Actor,
    pub sales1: Actor,
    pub fin1: Actor,
    pub viewer: Actor,
    pub customer: i64,
}

/// Monday 2 March 2026, 10:00 in Shanghai.
pub(crate) fn now() -> DateTime<Utc> {
    local(2026, 3, 2, 10, 0)
}

fn local(y: i32, m: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, mi, 0)
        .unwrap()
        .to_utc()
}

fn dept(conn: &Connection, code: &str) -> i64 {
    conn.query_row("SELECT id FROM departments WHERE code = ?1", [code], |r| {
        r.get(0)
    })
    .unwrap()
}

fn user(conn: &Connection, name: &str, role: Role, dept_code: Option<&str>) -> Actor {
    let d = dept_code.map(|c| dept(conn, c));
    conn.execute(
        "INSERT INTO users (username, display_name, role, department_id, password_hash, created_at, updated_at)
         VALUES (?1, ?1, ?2, ?3, 'x', 0, 0)",
        params![name, role.as_str(), d],
    )
    .unwrap();
    Actor {
        user_id: conn.last_insert_rowid(),
        username: name.into(),
        display_name: name.into(),
        role,
        department_id: d,
        locale: String::new(),
        must_change_password: false,
    }
}

pub(crate) fn fixture() -> Fixture {
    let conn = crate::db::open_in_memory().unwrap();
    conn.execute(
        "INSERT INTO team (id, name, time_zone, created_at) VALUES (1, 'T', 'Asia/Shanghai', 0)",
        [],
    )
    .unwrap();
    for (i, code) in ["cs", "sales", "rnd", "finance", "marketing"]
        .iter()
        .enumerate()
    {
        conn.execute(
            "INSERT INTO departments (code, name, sort) VALUES (?1, ?1, ?2)",
            params![code, i as i64],
        )
        .unwrap();
    }
    store::save_weekly_hours(&conn, &WeeklyHours::default_china_with_lunch()).unwrap();
    store::seed_china_2026(&conn).unwrap();
    let admin = user(&conn, "admin", Role::Admin, None);
    let supervisor = user(&conn, "sup", Role::Supervisor, Some("cs"));
    let cs_head = user(&conn, "cshead", Role::Head, Some("cs"));
    let cs1 = user(&conn, "cs1", Role::Staff, Some("cs"));
    let cs2 = user(&conn, "cs2", Role::Staff, Some("cs"));
    let rnd_head = user(&conn, "rndhead", Role::Head, Some("rnd"));
    let rnd1 = user(&conn, "rnd1", Role::Staff, Some("rnd"));
    let sales1 = user(&conn, "sales1", Role::Staff, Some("sales"));
    let fin1 = user(&conn, "fin1", Role::Staff, Some("finance"));
    let viewer = user(&conn, "boss", Role::Viewer, None);
    conn.execute(
        "UPDATE departments SET head_user_id = ?1 WHERE code = 'cs'",
        [cs_head.user_id],
    )
    .unwrap();
    conn.execute(
        "UPDATE departments SET head_user_id = ?1 WHERE code = 'rnd'",
        [rnd_head.user_id],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO customers (number, name, created_at, updated_at) VALUES ('KH-2026-00001', '华东贸易', 0, 0)",
        [],
    )
    .unwrap();
    let customer = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO contacts (customer_id, name, mobile) VALUES (?1, '王经理', '13800000000')",
        [customer],
    )
    .unwrap();
    Fixture {
        conn,
        admin,
        supervisor,
        cs_head,
        cs1,
        cs2,
        rnd_head,
        rnd1,
        sales1,
        fin1,
        viewer,
        customer,
    }
}

fn cat(conn: &Connection, code: &str) -> i64 {
    conn.query_row(
        "SELECT id FROM feedback_categories WHERE code = ?1",
        [code],
        |r| r.get(0),
    )
    .unwrap()
}

fn new_item(f: &Fixture, category: &str, priority: Priority) -> NewFeedback {
    NewFeedback {
        customer_id: Some(f.customer),
        channel: Channel::PhoneHotline,
        category_id: cat(&f.conn, category),
        priority,
        description: "客户反映回复太慢".into(),
        contact_id: None,
        unknown_name: String::new(),
        unknown_phone: String::new(),
        occurred_at: None,
        impact: String::new(),
        customer_expectation: String::new(),
    }
}

/// An important item of `category` logged by cs1 at [`now`].
pub(crate) fn quick_item(f: &Fixture, category: &str) -> FeedbackDetail {
    create(
        &f.conn,
        now(),
        &f.cs1,
        &new_item(f, category, Priority::Important),
    )
    .unwrap()
}

fn step(t: Transition) -> TransitionInput {
    TransitionInput {
        transition: t,
        comment: String::new(),
        expected_resolution_date: None,
        duplicate_of_id: None,
    }
}

fn accept(date: NaiveDate) -> TransitionInput {
    TransitionInput {
        expected_resolution_date: Some(date),
        ..step(Transition::Accept)
    }
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, day).unwrap()
}

#[test]
fn intake_numbers_routes_and_starts_clocks() {
    let f = fixture();
    let a = quick_item(&f, "service_quality");
    assert_eq!(a.item.number, "FK-2026-00001");
    assert_eq!(a.item.status, Status::New);
    assert_eq!(a.item.lead_department_id, Some(dept(&f.conn, "cs")));
    assert!(a.item.collaborator_department_ids.is_empty());
    // Important: respond within 1 working day, resolve within 7 working days.
    assert_eq!(a.item.sla.response_due, local(2026, 3, 3, 10, 0));
    assert_eq!(a.item.sla.resolution_due, local(2026, 3, 11, 10, 0));
    assert_eq!(a.history[0].kind, "created");

    let b = create(
        &f.conn,
        now(),
        &f.cs1,
        &new_item(&f, "cooperation_policy", Priority::Normal),
    )
    .unwrap();
    assert_eq!(b.item.number, "FK-2026-00002");
    assert_eq!(b.item.lead_department_id, Some(dept(&f.conn, "sales")));
    assert_eq!(
        b.item.collaborator_department_ids,
        [dept(&f.conn, "finance")]
    );
    let c = quick_item(&f, "product_function");
    assert_eq!(c.item.lead_department_id, Some(dept(&f.conn, "rnd")));

    // Unknown caller: name required, phone kept for linking later.
    let mut unknown = new_item(&f, "product_usage", Priority::Normal);
    unknown.customer_id = None;
    assert_eq!(
        create(&f.conn, now(), &f.cs1, &unknown).unwrap_err().code(),
        "feedback.customer_required"
    );
    unknown.unknown_name = "李先生".into();
    unknown.unknown_phone = "13900000000".into();
    let u = create(&f.conn, now(), &f.cs1, &unknown).unwrap();
    assert_eq!(
        (u.item.unknown_name.as_str(), u.item.customer_id),
        ("李先生", None)
    );

    let mut top = new_item(&f, "complaint", Priority::Normal);
    assert_eq!(
        create(&f.conn, now(), &f.cs1, &top).unwrap_err().code(),
        "feedback.category_not_leaf"
    );
    top.category_id = cat(&f.conn, "service_quality");
    top.description = "  ".into();
    assert_eq!(
        create(&f.conn, now(), &f.cs1, &top).unwrap_err().code(),
        "field.required"
    );
    assert!(matches!(
        create(
            &f.conn,
            now(),
            &f.viewer,
            &new_item(&f, "service_quality", Priority::Normal)
        ),
        Err(Error::Forbidden(_))
    ));
    crate::feedback::retire_category(
        &f.conn,
        now(),
        &f.admin,
        cat(&f.conn, "service_quality"),
        true,
    )
    .unwrap();
    assert_eq!(
        create(
            &f.conn,
            now(),
            &f.cs1,
            &new_item(&f, "service_quality", Priority::Normal)
        )
        .unwrap_err()
        .code(),
        "feedback.category_retired"
    );
    // The old item keeps its (retired) category.
    assert_eq!(
        get(&f.conn, now(), &f.cs1, a.item.id)
            .unwrap()
            .item
            .category_id,
        cat(&f.conn, "service_quality")
    );
}

#[test]
fn round_robin_assignment_on_intake() {
    let f = fixture();
    set_assignment_mode(&f.conn, now(), &f.admin, "cs", AssignmentMode::RoundRobin).unwrap();
    let who: Vec<Option<i64>> = (0..5)
        .map(|_| quick_item(&f, "service_quality").item.assignee_user_id)
        .collect();
    let m = [
        f.supervisor.user_id,
        f.cs_head.user_id,
        f.cs1.user_id,
        f.cs2.user_id,
    ];
    assert_eq!(
        who,
        [Some(m[0]), Some(m[1]), Some(m[2]), Some(m[3]), Some(m[0])]
    );
    // R&D stays manual.
    assert_eq!(
        quick_item(&f, "product_function").item.assignee_user_id,
        None
    );
}

#[test]
fn visibility_and_queues() {
    let f = fixture();
    let cs_item = quick_item(&f, "service_quality");
    let policy = create(
        &f.conn,
        now(),
        &f.cs1,
        &new_item(&f, "cooperation_policy", Priority::Normal),
    )
    .unwrap();
    // R&D staff see neither; finance sees the policy item as collaborator.
    assert!(matches!(
        get(&f.conn, now(), &f.rnd1, cs_item.item.id),
        Err(Error::NotFound(_))
    ));
    assert!(get(&f.conn, now(), &f.fin1, policy.item.id).is_ok());
    let q = |a: &Actor, queue| {
        list(
            &f.conn,
            now(),
            a,
            &FeedbackFilter {
                queue: Some(queue),
                ..FeedbackFilter::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(q(&f.fin1, Queue::Department), [policy.item.id]);
    assert_eq!(q(&f.cs2, Queue::Department), [cs_item.item.id]);
    assert!(q(&f.cs2, Queue::Mine).is_empty());
    assign(
        &f.conn,
        now(),
        &f.cs_head,
        cs_item.item.id,
        Assignment::User {
            user_id: f.cs2.user_id,
        },
    )
    .unwrap();
    assert_eq!(q(&f.cs2, Queue::Mine), [cs_item.item.id]);
    // The viewer sees everything, filters narrow.
    let all = |flt: FeedbackFilter| list(&f.conn, now(), &f.viewer, &flt).unwrap().len();
    assert_eq!(all(FeedbackFilter::default()), 2);
    assert_eq!(
        all(FeedbackFilter {
            category_id: Some(cat(&f.conn, "inquiry")),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        all(FeedbackFilter {
            priority: Some(Priority::Important),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        all(FeedbackFilter {
            department_id: Some(dept(&f.conn, "finance")),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        all(FeedbackFilter {
            statuses: vec![Status::Closed],
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        all(FeedbackFilter {
            channel: Some(Channel::Email),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        all(FeedbackFilter {
            stage: Some(SlaStage::OnTrack),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        all(FeedbackFilter {
            created_from: Some(now() + TimeDelta::seconds(1)),
            ..Default::default()
        }),
        0
    );
    // A limit keeps the newest visible items: a newer customer-service item that finance cannot
    // see does not use up the finance member's limit of one.
    let newer = quick_item(&f, "service_quality");
    assert!(get(&f.conn, now(), &f.fin1, newer.item.id).is_err());
    let newest = list(&f.conn, now(), &f.viewer, &FeedbackFilter::default()).unwrap();
    let one = FeedbackFilter {
        limit: Some(1),
        ..Default::default()
    };
    let first = list(&f.conn, now(), &f.viewer, &one).unwrap();
    assert_eq!(
        first.iter().map(|i| i.id).collect::<Vec<_>>(),
        [newest[0].id]
    );
    assert_eq!(
        list(&f.conn, now(), &f.fin1, &one)
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        [policy.item.id]
    );
}

#[test]
fn complaint_from_intake_to_closed_with_callback() {
    let f = fixture();
    let id = quick_item(&f, "service_quality").item.id;
    // Beyond the limit (11 March) or without a date: refused.
    assert_eq!(
        transition(&f.conn, now(), &f.cs1, id, &accept(d(3, 12)))
            .unwrap_err()
            .code(),
        "feedback.expected_date_beyond_limit"
    );
    assert_eq!(
        transition(&f.conn, now(), &f.cs1, id, &step(Transition::Accept))
            .unwrap_err()
            .code(),
        "feedback.expected_date_required"
    );
    let out = transition(&f.conn, now(), &f.cs1, id, &accept(d(3, 6))).unwrap();
    assert_eq!(out.detail.item.status, Status::InProgress);
    assert_eq!(
        out.detail.item.assignee_user_id,
        Some(f.cs1.user_id),
        "accepting takes it"
    );
    assert!(out.follow_ups.is_empty());
    // An internal note does not stop the response clock; a customer contact does.
    let t1 = now() + TimeDelta::minutes(30);
    let r = record_response(
        &f.conn,
        t1,
        &f.cs1,
        id,
        &ResponseInput {
            customer_facing: false,
            comment: "查了日志".into(),
        },
    )
    .unwrap();
    assert_eq!(r.item.sla.responded_at, None);
    let r = record_response(
        &f.conn,
        t1,
        &f.cs1,
        id,
        &ResponseInput {
            customer_facing: true,
            comment: "已致电客户".into(),
        },
    )
    .unwrap();
    assert_eq!(r.item.sla.responded_at, Some(t1));
    assert_eq!(r.item.sla.response_met, Some(true));
    // Awaiting confirmation needs a solution; closing a complaint needs a root cause.
    assert_eq!(
        transition(
            &f.conn,
            t1,
            &f.cs1,
            id,
            &step(Transition::RequestConfirmation)
        )
        .unwrap_err()
        .code(),
        "feedback.solution_required"
    );
    update_details(
        &f.conn,
        t1,
        &f.cs1,
        id,
        &DetailsInput {
            solution: "道歉并培训客服".into(),
            compensation_kind: Some(CompensationKind::ServiceExtension),
            compensation_amount: Money(50_000),
            ..DetailsInput::default()
        },
    )
    .unwrap();
    let t2 = now() + TimeDelta::hours(2);
    let aw = transition(
        &f.conn,
        t2,
        &f.cs1,
        id,
        &step(Transition::RequestConfirmation),
    )
    .unwrap();
    assert!(aw.detail.item.sla.paused);
    assert_eq!(
        transition(&f.conn, t2, &f.cs1, id, &step(Transition::Close))
            .unwrap_err()
            .code(),
        "feedback.root_cause_required"
    );
    // Details can still be saved while awaiting.
    update_details(
        &f.conn,
        t2,
        &f.cs1,
        id,
        &DetailsInput {
            solution: "道歉并培训客服".into(),
            root_cause: "新人未按流程回复".into(),
            ..DetailsInput::default()
        },
    )
    .unwrap();
    let t3 = local(2026, 3, 4, 10, 0);
    let closed = transition(&f.conn, t3, &f.cs1, id, &step(Transition::Close)).unwrap();
    assert_eq!(closed.detail.item.status, Status::Closed);
    assert_eq!(
        closed.follow_ups,
        [FollowUp::SatisfactionCallback {
            due_at: t3 + TimeDelta::days(7)
        }]
    );
    assert_eq!(
        closed.detail.item.callback_due_at,
        Some(t3 + TimeDelta::days(7))
    );
    assert_eq!(closed.detail.item.sla.resolution_met, Some(true));
    assert!(!closed.detail.item.was_late);
    // The history: who, when, from → to.
    let steps: Vec<(Option<String>, Option<String>)> = closed
        .detail
        .history
        .iter()
        .filter(|e| e.kind == "status")
        .map(|e| (e.from_status.clone(), e.to_status.clone()))
        .collect();
    let s = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
    assert_eq!(
        steps,
        [
            s("new", "in_progress"),
            s("in_progress", "awaiting_customer"),
            s("awaiting_customer", "closed")
        ]
    );
    assert!(
        closed
            .detail
            .history
            .iter()
            .all(|e| e.kind == "departments" || e.user_id.is_some())
    );
    // The history cannot be altered.
    assert!(
        f.conn
            .execute("UPDATE feedback_events SET comment = 'x'", [])
            .is_err()
    );
    assert!(f.conn.execute("DELETE FROM feedback_events", []).is_err());

    // Satisfaction: 1–5; dissatisfied reopens.
    let t4 = local(2026, 3, 6, 15, 0);
    let bad = SatisfactionInput {
        score: 7,
        satisfied: true,
        comment: String::new(),
    };
    assert_eq!(
        record_satisfaction(&f.conn, t4, &f.cs1, id, &bad)
            .unwrap_err()
            .code(),
        "feedback.score_invalid"
    );
    let unhappy = SatisfactionInput {
        score: 2,
        satisfied: false,
        comment: "还是很慢".into(),
    };
    let re = record_satisfaction(&f.conn, t4, &f.cs1, id, &unhappy).unwrap();
    assert_eq!(re.item.status, Status::InProgress);
    assert_eq!(re.item.satisfaction_score, Some(2));
    assert_eq!(re.item.sla.resolved_at, None);
    assert_eq!(
        record_satisfaction(&f.conn, t4, &f.cs1, id, &unhappy)
            .unwrap_err()
            .code(),
        "feedback.not_closed"
    );
}

#[test]
fn transitions_are_guarded_by_relation() {
    let f = fixture();
    let id = quick_item(&f, "product_function").item.id; // R&D leads
    let date = accept(d(3, 6));
    assert!(matches!(
        transition(&f.conn, now(), &f.viewer, id, &date),
        Err(Error::Forbidden(_))
    ));
    // Customer service logged it and can see it, but does not own its status.
    assert!(matches!(
        transition(&f.conn, now(), &f.cs1, id, &date),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        transition(&f.conn, now(), &f.cs_head, id, &date),
        Err(Error::NotFound(_))
    ));
    assert!(matches!(
        get(&f.conn, now(), &f.sales1, id),
        Err(Error::NotFound(_))
    ));
    transition(&f.conn, now(), &f.rnd1, id, &date).unwrap();
    assert_eq!(
        transition(&f.conn, now(), &f.rnd_head, id, &date)
            .unwrap_err()
            .code(),
        "feedback.transition_invalid"
    );
    // Naming departments is the supervisor's; assigning also the lead head's.
    assert!(matches!(
        set_departments(
            &f.conn,
            now(),
            &f.rnd_head,
            id,
            dept(&f.conn, "rnd"),
            &[dept(&f.conn, "cs")]
        ),
        Err(Error::Forbidden(_))
    ));
    let d2 = set_departments(
        &f.conn,
        now(),
        &f.supervisor,
        id,
        dept(&f.conn, "rnd"),
        &[dept(&f.conn, "cs")],
    )
    .unwrap();
    assert_eq!(d2.item.collaborator_department_ids, [dept(&f.conn, "cs")]);
    // Collaborators now work on it (responses) but still do not move it.
    record_response(
        &f.conn,
        now(),
        &f.cs2,
        id,
        &ResponseInput {
            customer_facing: true,
            comment: "已回复".into(),
        },
    )
    .unwrap();
    assert!(matches!(
        transition(&f.conn, now(), &f.cs2, id, &step(Transition::MarkDuplicate)),
        Err(Error::Forbidden(_))
    ));
    assert!(matches!(
        assign(
            &f.conn,
            now(),
            &f.cs_head,
            id,
            Assignment::User {
                user_id: f.cs1.user_id
            }
        ),
        Err(Error::Forbidden(_))
    ));
    assert_eq!(
        assign(
            &f.conn,
            now(),
            &f.rnd_head,
            id,
            Assignment::User {
                user_id: f.sales1.user_id
            }
        )
        .unwrap_err()
        .code(),
        "feedback.assignee_invalid"
    );
    let a = assign(&f.conn, now(), &f.rnd_head, id, Assignment::RoundRobin).unwrap();
    assert_eq!(a.item.assignee_user_id, Some(f.rnd_head.user_id));
    let a = assign(
        &f.conn,
        now(),
        &f.rnd_head,
        id,
        Assignment::User {
            user_id: f.cs1.user_id,
        },
    )
    .unwrap();
    assert_eq!(
        a.item.assignee_user_id,
        Some(f.cs1.user_id),
        "a collaborator may be assigned"
    );
}

#[test]
fn duplicates_merge_histories() {
    let f = fixture();
    let a = quick_item(&f, "service_quality").item.id;
    let b = quick_item(&f, "service_quality").item.id;
    assert_eq!(
        mark_duplicate(&f.conn, now(), &f.cs1, b, b, "")
            .unwrap_err()
            .code(),
        "feedback.duplicate_target_invalid"
    );
    let dup = mark_duplicate(&f.conn, now(), &f.cs1, b, a, "同一问题").unwrap();
    assert_eq!(dup.item.status, Status::Duplicate);
    assert_eq!(dup.item.duplicate_of_id, Some(a));
    let survivor = get(&f.conn, now(), &f.cs1, a).unwrap();
    let items: std::collections::BTreeSet<i64> =
        survivor.history.iter().map(|e| e.item_id).collect();
    assert_eq!(items.into_iter().collect::<Vec<_>>(), [a, b]);
    assert!(
        survivor
            .history
            .iter()
            .any(|e| e.kind == "merged" && e.item_id == a)
    );
    assert_eq!(
        mark_duplicate(&f.conn, now(), &f.cs1, a, b, "")
            .unwrap_err()
            .code(),
        "feedback.duplicate_target_invalid"
    );
}

#[test]
fn delay_explanation_blocks_progress_until_given() {
    let f = fixture();
    let id = quick_item(&f, "service_quality").item.id;
    transition(&f.conn, now(), &f.cs1, id, &accept(d(3, 4))).unwrap();
    let note = ResponseInput {
        customer_facing: false,
        comment: "跟进中".into(),
    };
    // Thursday 5th and Saturday 7th: late but within 3 days.
    let day7 = local(2026, 3, 7, 10, 0);
    record_response(&f.conn, day7, &f.cs1, id, &note).unwrap();
    assert!(get(&f.conn, day7, &f.cs1, id).unwrap().item.was_late);
    // Sunday 8th: more than 3 days past the 4th.
    let day8 = local(2026, 3, 8, 10, 0);
    let it = get(&f.conn, day8, &f.cs1, id).unwrap().item;
    assert!(it.delay_explanation_required);
    let code = |e: Error| e.code();
    assert_eq!(
        code(record_response(&f.conn, day8, &f.cs1, id, &note).unwrap_err()),
        "feedback.delay_explanation_required"
    );
    assert_eq!(
        code(
            update_details(
                &f.conn,
                day8,
                &f.cs1,
                id,
                &DetailsInput {
                    solution: "x".into(),
                    ..Default::default()
                }
            )
            .unwrap_err()
        ),
        "feedback.delay_explanation_required"
    );
    assert_eq!(
        code(
            transition(
                &f.conn,
                day8,
                &f.cs1,
                id,
                &step(Transition::RequestConfirmation)
            )
            .unwrap_err()
        ),
        "feedback.delay_explanation_required"
    );
    assert_eq!(
        code(
            explain_delay(
                &f.conn,
                day8,
                &f.cs1,
                id,
                &DelayInput {
                    reason: "等待供应商".into(),
                    new_date: d(3, 7)
                }
            )
            .unwrap_err()
        ),
        "feedback.new_date_past"
    );
    let ex = explain_delay(
        &f.conn,
        day8,
        &f.cs1,
        id,
        &DelayInput {
            reason: "等待供应商配件".into(),
            new_date: d(3, 13),
        },
    )
    .unwrap();
    assert_eq!(ex.item.expected_resolution_date, Some(d(3, 13)));
    assert!(!ex.item.delay_explanation_required);
    assert!(ex.item.was_late);
    assert!(
        ex.history
            .iter()
            .any(|e| e.kind == "delay_explained" && e.comment == "等待供应商配件")
    );
    record_response(&f.conn, day8, &f.cs1, id, &note).unwrap();
    let kept: i64 = f
        .conn
        .query_row(
            "SELECT count(*) FROM feedback_delay_explanations WHERE item_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 1);
    assert!(
        f.conn
            .execute("DELETE FROM feedback_delay_explanations", [])
            .is_err()
    );
    // Finished well before the new date: still late in reports.
    update_details(
        &f.conn,
        day8,
        &f.cs1,
        id,
        &DetailsInput {
            solution: "更换配件".into(),
            root_cause: "配件缺陷".into(),
            ..Default::default()
        },
    )
    .unwrap();
    transition(
        &f.conn,
        day8,
        &f.cs1,
        id,
        &step(Transition::RequestConfirmation),
    )
    .unwrap();
    let done = transition(&f.conn, day8, &f.cs1, id, &step(Transition::Close)).unwrap();
    assert!(done.detail.item.was_late);
    // Not late yet: no explanation accepted.
    let other = quick_item(&f, "service_quality").item.id;
    transition(&f.conn, now(), &f.cs1, other, &accept(d(3, 10))).unwrap();
    assert_eq!(
        code(
            explain_delay(
                &f.conn,
                now(),
                &f.cs1,
                other,
                &DelayInput {
                    reason: "x".into(),
                    new_date: d(3, 11)
                }
            )
            .unwrap_err()
        ),
        "feedback.not_late"
    );
}

#[test]
fn overdue_scan_reminds_then_escalates_once_per_stage() {
    let f = fixture();
    // Urgent: respond within 2 h, resolve within 3 calendar days (Thursday 5 March 10:00).
    let id = create(
        &f.conn,
        now(),
        &f.cs1,
        &new_item(&f, "service_quality", Priority::Urgent),
    )
    .unwrap()
    .item
    .id;
    assign(
        &f.conn,
        now(),
        &f.cs_head,
        id,
        Assignment::User {
            user_id: f.cs2.user_id,
        },
    )
    .unwrap();
    assert!(overdue_scan(&f.conn, now()).unwrap().is_empty());
    // 1 h 30 of 2 h: remind the assignee.
    let t = now() + TimeDelta::minutes(90);
    let n = overdue_scan(&f.conn, t).unwrap();
    assert_eq!(n.len(), 1);
    assert_eq!(
        (n[0].stage, n[0].recipient, n[0].user_ids.clone()),
        (SlaStage::DueSoon, Recipient::Assignee, vec![f.cs2.user_id])
    );
    assert_eq!(n[0].due_at, now() + TimeDelta::hours(2));
    assert!(
        overdue_scan(&f.conn, t + TimeDelta::minutes(5))
            .unwrap()
            .is_empty(),
        "once per stage"
    );
    // Response missed.
    let n = overdue_scan(&f.conn, now() + TimeDelta::hours(3)).unwrap();
    assert_eq!(n[0].stage, SlaStage::Breached);
    // Answered: the situation improves, the resolution clock's 75 % is reported later.
    record_response(
        &f.conn,
        now() + TimeDelta::hours(3),
        &f.cs2,
        id,
        &ResponseInput {
            customer_facing: true,
            comment: "已致电".into(),
        },
    )
    .unwrap();
    let n = overdue_scan(&f.conn, local(2026, 3, 4, 16, 0)).unwrap();
    assert_eq!(
        n.iter().map(|x| x.stage).collect::<Vec<_>>(),
        [SlaStage::DueSoon]
    );
    assert_eq!(n[0].due_at, local(2026, 3, 5, 10, 0));
    // Breach: the cs head. Then one working day later: the supervisor.
    let n = overdue_scan(&f.conn, local(2026, 3, 5, 10, 1)).unwrap();
    assert_eq!(
        (n[0].stage, n[0].recipient, n[0].user_ids.clone()),
        (
            SlaStage::EscalatedLevel1,
            Recipient::DepartmentHead,
            vec![f.cs_head.user_id]
        )
    );
    assert!(
        overdue_scan(&f.conn, local(2026, 3, 6, 9, 0))
            .unwrap()
            .is_empty()
    );
    let n = overdue_scan(&f.conn, local(2026, 3, 6, 10, 0)).unwrap();
    assert_eq!(
        (n[0].stage, n[0].recipient, n[0].user_ids.clone()),
        (
            SlaStage::EscalatedLevel2,
            Recipient::Supervisor,
            vec![f.supervisor.user_id]
        )
    );
    assert!(
        overdue_scan(&f.conn, local(2026, 3, 9, 10, 0))
            .unwrap()
            .is_empty()
    );
    // Stored columns follow.
    let (stage, late, cal_secs): (String, bool, i64) = f
        .conn
        .query_row(
            "SELECT sla_stage, was_late, elapsed_calendar_secs FROM feedback_items WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((stage.as_str(), late), ("escalated_level_2", true));
    assert_eq!(cal_secs, (local(2026, 3, 6, 10, 0) - now()).num_seconds());
    // At level 2 nothing more can happen by itself: the item leaves the scan's index.
    let pending: i64 = f
        .conn
        .query_row(
            "SELECT count(*) FROM feedback_items WHERE next_check_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0);
}

#[test]
fn bulk_assign_is_all_or_nothing_and_names_the_failing_item() {
    let f = fixture();
    let a = quick_item(&f, "service_quality").item;
    let b = quick_item(&f, "service_quality").item;
    let r = quick_item(&f, "product_function").item;
    let to_cs2 = Assignment::User {
        user_id: f.cs2.user_id,
    };
    let assignee = |id: i64| {
        get(&f.conn, now(), &f.admin, id)
            .unwrap()
            .item
            .assignee_user_id
    };
    let before: Vec<_> = [a.id, b.id, r.id].map(assignee).to_vec();

    // The R&D item cannot go to a customer-service person: nothing changes, and the error says
    // which item and why.
    let err = assign_many(&f.conn, now(), &f.supervisor, &[a.id, r.id, b.id], to_cs2).unwrap_err();
    assert_eq!(err.code(), "feedback.assignee_invalid");
    assert_eq!(err.to_payload().params["item"], r.number.as_str());
    assert_eq!([a.id, b.id, r.id].map(assignee).to_vec(), before);
    let events = |id: i64| {
        get(&f.conn, now(), &f.admin, id)
            .unwrap()
            .history
            .iter()
            .filter(|e| e.kind == "assigned")
            .count()
    };
    assert_eq!(events(a.id), 0, "the rolled-back item has no history entry");

    // A head sees only its own department's items: another department's item is named by id.
    let err = assign_many(&f.conn, now(), &f.cs_head, &[a.id, r.id], to_cs2).unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(err.to_payload().params["item"], format!("#{}", r.id));
    assert_eq!(assignee(a.id), before[0]);

    // The whole selection at once (a repeated id counts once), one history entry per item.
    let done = assign_many(&f.conn, now(), &f.cs_head, &[a.id, b.id, a.id], to_cs2).unwrap();
    assert_eq!(done.len(), 2);
    assert!(
        done.iter()
            .all(|i| i.assignee_user_id == Some(f.cs2.user_id))
    );
    assert_eq!((events(a.id), events(b.id)), (1, 1));

    // Round-robin per item in turn; staff, viewers and an empty selection are refused.
    let rr = assign_many(
        &f.conn,
        now(),
        &f.cs_head,
        &[a.id, b.id],
        Assignment::RoundRobin,
    )
    .unwrap();
    assert_ne!(rr[0].assignee_user_id, rr[1].assignee_user_id);
    for who in [&f.cs1, &f.viewer] {
        assert!(matches!(
            assign_many(&f.conn, now(), who, &[a.id], to_cs2),
            Err(Error::Forbidden(_))
        ));
    }
    assert_eq!(
        assign_many(&f.conn, now(), &f.cs_head, &[], to_cs2)
            .unwrap_err()
            .code(),
        "feedback.selection_empty"
    );
}

#[test]
fn a_customer_facing_response_is_an_interaction_linked_to_the_item() {
    let f = fixture();
    let it = quick_item(&f, "service_quality").item;
    let linked = |id: i64| -> Vec<(i64, String, String)> {
        let mut st = f
            .conn
            .prepare(
                "SELECT customer_id, channel, key_points FROM interactions WHERE feedback_id = ?1",
            )
            .unwrap();
        st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let respond = |who: &Actor, facing: bool, text: &str| {
        record_response(
            &f.conn,
            now(),
            who,
            it.id,
            &ResponseInput {
                customer_facing: facing,
                comment: text.into(),
            },
        )
        .unwrap()
    };
    // An internal note stays internal.
    respond(&f.admin, false, "查了工单记录");
    assert!(linked(it.id).is_empty());
    // A call to the customer is on the customer's timeline, through the item's channel.
    let r = respond(&f.admin, true, "已致电客户说明进展");
    assert_eq!(
        linked(it.id),
        [(
            f.customer,
            "phone".to_string(),
            "已致电客户说明进展".to_string()
        )]
    );
    let ev = r.history.iter().find(|e| e.kind == "responded").unwrap();
    assert!(ev.data["interaction_id"].as_i64().is_some());
    let last: Option<i64> = f
        .conn
        .query_row(
            "SELECT last_contact_at FROM customers WHERE id = ?1",
            [f.customer],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, Some(now().timestamp()));
    // Someone who may not see the customer (staff, a customer nobody owns) still records the
    // response: the history keeps it, no interaction is written on their behalf.
    assert!(crate::access::visible_customer(&f.conn, &f.cs1, f.customer).is_err());
    let r = respond(&f.cs1, true, "短信告知客户");
    assert_eq!(linked(it.id).len(), 1);
    assert!(r.history.iter().any(|e| e.comment == "短信告知客户"));
}
