//! Tests of logging, editing, deleting and listing interactions.

use super::*;
use crate::Error;
use crate::page::Page;
use crate::task::{self, SourceKind, TaskStatus};
use crate::testutil::{Fixture, add_contact, t};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Asia::Shanghai;

fn beijing(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Shanghai
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn input(at: DateTime<Utc>, channel: &str, subject: &str) -> InteractionInput {
    InteractionInput {
        occurred_at: at,
        channel: channel.into(),
        subject: subject.into(),
        key_points: String::new(),
        customer_needs: String::new(),
        commitments: String::new(),
        next_step: String::new(),
        satisfaction: None,
        feedback_id: None,
        contact_ids: vec![],
        user_ids: vec![],
    }
}

fn last_contact(f: &Fixture, customer: i64) -> Option<i64> {
    f.conn
        .query_row(
            "SELECT last_contact_at FROM customers WHERE id = ?1",
            [customer],
            |r| r.get(0),
        )
        .unwrap()
}

/// Seed step 2.3: the account manager visits 科技有限公司 on 2024-03-01 about a new purchase,
/// records the key points and the commitment, and leaves a to-do due 03-05.
#[test]
fn seed_example_is_recorded_exactly() {
    let mut f = Fixture::new();
    let contact = add_contact(&f.conn, f.cust1, "王总", "采购经理", true);
    let now = beijing(2024, 3, 1, 17, 30);
    let manager = f.staff1.clone();
    let visit = InteractionInput {
        occurred_at: beijing(2024, 3, 1, 10, 0),
        channel: "visit".into(),
        subject: "新增采购需求".into(),
        key_points: "1. 客户希望采购A产品10台\n2. 要求4月10日前交付\n3. 需同步提供售后服务条款"
            .into(),
        customer_needs: "A产品10台，4月10日前交付，附售后服务条款".into(),
        commitments: "3月5日前提供报价单及样品".into(),
        next_step: "待客户确认后启动合同流程".into(),
        satisfaction: None,
        feedback_id: None,
        contact_ids: vec![contact],
        user_ids: vec![manager.user_id],
    };
    let todo = Todo {
        title: "提供报价单及样品".into(),
        owner_user_id: manager.user_id,
        due_at: beijing(2024, 3, 5, 18, 0),
        notes: String::new(),
    };
    let logged = log_interaction(&mut f.conn, now, &manager, f.cust1, &visit, &[todo]).unwrap();

    assert_eq!(logged.customer_name, "科技有限公司");
    assert_eq!(logged.occurred_at, beijing(2024, 3, 1, 10, 0));
    assert_eq!(logged.channel, "visit");
    assert_eq!(logged.channel_name_zh, "上门拜访");
    assert_eq!(logged.subject, "新增采购需求");
    assert_eq!(logged.key_points, visit.key_points);
    assert_eq!(logged.commitments, "3月5日前提供报价单及样品");
    assert_eq!(
        logged.contacts,
        vec![Participant {
            id: contact,
            name: "王总".into()
        }]
    );
    assert_eq!(
        logged.users,
        vec![Participant {
            id: manager.user_id,
            name: "张经理".into()
        }]
    );
    assert_eq!(logged.created_by, Some(manager.user_id));
    assert_eq!(logged.version, 1);
    assert_eq!(logged.open_todos, 1);
    assert_eq!(
        last_contact(&f, f.cust1),
        Some(beijing(2024, 3, 1, 10, 0).timestamp())
    );

    let todos =
        task::tasks_for_source(&f.conn, now, &manager, SourceKind::Interaction, logged.id).unwrap();
    assert_eq!(todos.len(), 1);
    assert_eq!(todos[0].title, "提供报价单及样品");
    assert_eq!(todos[0].owner_user_id, manager.user_id);
    assert_eq!(todos[0].due_at, beijing(2024, 3, 5, 18, 0));
    assert_eq!(todos[0].customer_id, Some(f.cust1));
    assert_eq!(todos[0].status, TaskStatus::Open);

    let tl = timeline(&f.conn, &manager, f.cust1, &[], Page::default()).unwrap();
    assert_eq!(tl.total, 1);
    assert_eq!(tl.items[0], logged);
}

#[test]
fn timeline_is_newest_first_and_filters_by_channel() {
    let mut f = Fixture::new();
    let now = t(2024, 3, 10, 0, 0);
    let a = f.staff1.clone();
    let i1 = log_interaction(
        &mut f.conn,
        now,
        &a,
        f.cust1,
        &input(t(2024, 3, 1, 2, 0), "visit", "拜访"),
        &[],
    )
    .unwrap();
    let i2 = log_interaction(
        &mut f.conn,
        now,
        &a,
        f.cust1,
        &input(t(2024, 3, 5, 2, 0), "phone", "电话"),
        &[],
    )
    .unwrap();
    let i3 = log_interaction(
        &mut f.conn,
        now,
        &a,
        f.cust1,
        &input(t(2024, 3, 3, 2, 0), "callback", "回访"),
        &[],
    )
    .unwrap();
    let ids = |p: crate::page::Paged<Interaction>| p.items.iter().map(|i| i.id).collect::<Vec<_>>();
    assert_eq!(
        ids(timeline(&f.conn, &a, f.cust1, &[], Page::default()).unwrap()),
        vec![i2.id, i3.id, i1.id]
    );
    let only = timeline(
        &f.conn,
        &a,
        f.cust1,
        &["visit".into(), "callback".into()],
        Page::default(),
    )
    .unwrap();
    assert_eq!(ids(only), vec![i3.id, i1.id]);
    let page = timeline(
        &f.conn,
        &a,
        f.cust1,
        &[],
        Page {
            offset: 1,
            limit: 1,
        },
    )
    .unwrap();
    assert_eq!(page.total, 3);
    assert_eq!(ids(page), vec![i3.id]);
    assert_eq!(
        last_contact(&f, f.cust1),
        Some(t(2024, 3, 5, 2, 0).timestamp())
    );
}

#[test]
fn editing_keeps_history_and_checks_the_version() {
    let mut f = Fixture::new();
    let now = t(2024, 3, 10, 0, 0);
    let a = f.staff1.clone();
    let first = log_interaction(
        &mut f.conn,
        now,
        &a,
        f.cust1,
        &input(t(2024, 3, 1, 2, 0), "visit", "初次拜访"),
        &[],
    )
    .unwrap();
    let mut changed = input(t(2024, 3, 2, 2, 0), "phone", "电话沟通");
    changed.satisfaction = Some(4);
    let later = t(2024, 3, 10, 1, 0);
    let edited = update_interaction(&mut f.conn, later, &a, first.id, 1, &changed).unwrap();
    assert_eq!(edited.version, 2);
    assert_eq!(edited.subject, "电话沟通");
    assert_eq!(edited.satisfaction, Some(4));
    assert_eq!(edited.updated_at, later);
    assert_eq!(
        last_contact(&f, f.cust1),
        Some(t(2024, 3, 2, 2, 0).timestamp()),
        "recomputed on edit"
    );
    // A stale form is refused, not silently applied.
    let stale = update_interaction(
        &mut f.conn,
        later,
        &a,
        first.id,
        1,
        &input(t(2024, 3, 1, 2, 0), "visit", "x"),
    );
    assert_eq!(stale.unwrap_err().code(), "interaction.version_conflict");

    let h = history(&f.conn, &a, first.id).unwrap();
    assert_eq!(
        h.iter().map(|e| e.change.as_str()).collect::<Vec<_>>(),
        ["create", "update"]
    );
    assert_eq!(h[1].old.as_ref().unwrap()["subject"], "初次拜访");
    assert_eq!(h[1].new.as_ref().unwrap()["subject"], "电话沟通");
    assert_eq!(h[1].new.as_ref().unwrap()["satisfaction"], 4);
    assert_eq!(h[1].user_id, Some(a.user_id));
    // History is append-only while the customer exists.
    assert!(
        f.conn
            .execute("UPDATE interaction_history SET change = 'x'", [])
            .is_err()
    );
    assert!(
        f.conn
            .execute("DELETE FROM interaction_history", [])
            .is_err()
    );

    // Deleting leaves the timeline, keeps the history, recomputes the last contact.
    let second = log_interaction(
        &mut f.conn,
        now,
        &a,
        f.cust1,
        &input(t(2024, 3, 1, 0, 0), "email", "邮件"),
        &[],
    )
    .unwrap();
    assert_eq!(
        delete_interaction(&mut f.conn, later, &a, edited.id, 1)
            .unwrap_err()
            .code(),
        "interaction.version_conflict"
    );
    delete_interaction(&mut f.conn, later, &a, edited.id, 2).unwrap();
    assert_eq!(
        last_contact(&f, f.cust1),
        Some(t(2024, 3, 1, 0, 0).timestamp())
    );
    assert_eq!(
        get_interaction(&f.conn, &a, edited.id).unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        history(&f.conn, &a, edited.id)
            .unwrap()
            .last()
            .unwrap()
            .change,
        "delete"
    );
    delete_interaction(&mut f.conn, later, &a, second.id, 1).unwrap();
    assert_eq!(last_contact(&f, f.cust1), None);
    assert_eq!(
        timeline(&f.conn, &a, f.cust1, &[], Page::default())
            .unwrap()
            .total,
        0
    );
}

#[test]
fn input_is_checked_against_the_database() {
    let mut f = Fixture::new();
    let now = t(2024, 3, 10, 0, 0);
    let a = f.staff1.clone();
    let other_contact = add_contact(&f.conn, f.cust2, "赵总", "", true);
    let bad_channel = input(t(2024, 3, 1, 0, 0), "fax", "x");
    assert_eq!(
        log_interaction(&mut f.conn, now, &a, f.cust1, &bad_channel, &[])
            .unwrap_err()
            .code(),
        "interaction.channel_invalid"
    );
    let mut foreign = input(t(2024, 3, 1, 0, 0), "visit", "x");
    foreign.contact_ids = vec![other_contact];
    assert_eq!(
        log_interaction(&mut f.conn, now, &a, f.cust1, &foreign, &[])
            .unwrap_err()
            .code(),
        "interaction.contact_invalid"
    );
    let mut ghost = input(t(2024, 3, 1, 0, 0), "visit", "x");
    ghost.user_ids = vec![4242];
    assert_eq!(
        log_interaction(&mut f.conn, now, &a, f.cust1, &ghost, &[])
            .unwrap_err()
            .code(),
        "interaction.user_invalid"
    );
    // A bad to-do rolls the whole interaction back.
    let todo = Todo {
        title: "x".into(),
        owner_user_id: 4242,
        due_at: now,
        notes: String::new(),
    };
    let e = log_interaction(
        &mut f.conn,
        now,
        &a,
        f.cust1,
        &input(t(2024, 3, 1, 0, 0), "visit", "x"),
        &[todo],
    )
    .unwrap_err();
    assert_eq!(e.code(), "task.owner_invalid");
    let n: i64 = f
        .conn
        .query_row("SELECT count(*) FROM interactions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    assert_eq!(last_contact(&f, f.cust1), None);
    // Archived channels are refused for new records but kept on old ones.
    let logged = log_interaction(
        &mut f.conn,
        now,
        &a,
        f.cust1,
        &input(t(2024, 3, 1, 0, 0), "im", "微信"),
        &[],
    )
    .unwrap();
    f.conn
        .execute(
            "UPDATE interaction_channels SET archived = 1 WHERE code = 'im'",
            [],
        )
        .unwrap();
    assert_eq!(
        log_interaction(
            &mut f.conn,
            now,
            &a,
            f.cust1,
            &input(t(2024, 3, 1, 0, 0), "im", "x"),
            &[]
        )
        .unwrap_err()
        .code(),
        "interaction.channel_archived"
    );
    update_interaction(
        &mut f.conn,
        now,
        &a,
        logged.id,
        1,
        &input(t(2024, 3, 1, 0, 0), "im", "微信沟通"),
    )
    .unwrap();
    // Archived customers take no new contacts.
    f.conn
        .execute("UPDATE customers SET archived = 1 WHERE id = ?1", [f.cust1])
        .unwrap();
    assert_eq!(
        log_interaction(
            &mut f.conn,
            now,
            &a,
            f.cust1,
            &input(t(2024, 3, 1, 0, 0), "visit", "x"),
            &[]
        )
        .unwrap_err()
        .code(),
        "interaction.customer_archived"
    );
}

#[test]
fn scope_staff_own_customers_heads_their_department() {
    let mut f = Fixture::new();
    let now = t(2024, 3, 10, 0, 0);
    let at = t(2024, 3, 1, 0, 0);
    let (s1, s1b, s2, head, viewer, sup) = (
        f.staff1.clone(),
        f.staff1b.clone(),
        f.staff2.clone(),
        f.head1.clone(),
        f.viewer.clone(),
        f.supervisor.clone(),
    );
    let mine = log_interaction(
        &mut f.conn,
        now,
        &s1,
        f.cust1,
        &input(at, "visit", "a"),
        &[],
    )
    .unwrap();
    log_interaction(
        &mut f.conn,
        now,
        &s1b,
        f.cust1b,
        &input(at, "visit", "b"),
        &[],
    )
    .unwrap();
    let theirs = log_interaction(
        &mut f.conn,
        now,
        &s2,
        f.cust2,
        &input(at, "visit", "c"),
        &[],
    )
    .unwrap();
    // Staff cannot log on, read or edit another's customer.
    assert_eq!(
        log_interaction(
            &mut f.conn,
            now,
            &s1,
            f.cust2,
            &input(at, "visit", "x"),
            &[]
        )
        .unwrap_err()
        .code(),
        "not_found"
    );
    assert_eq!(
        get_interaction(&f.conn, &s1, theirs.id).unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        update_interaction(
            &mut f.conn,
            now,
            &s1,
            theirs.id,
            1,
            &input(at, "visit", "x")
        )
        .unwrap_err()
        .code(),
        "not_found"
    );
    assert_eq!(
        history(&f.conn, &s1, theirs.id).unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        timeline(&f.conn, &s1, f.cust2, &[], Page::default())
            .unwrap_err()
            .code(),
        "not_found"
    );
    let count = |actor: &crate::account::Actor| {
        list_interactions(&f.conn, actor, &InteractionFilter::default())
            .unwrap()
            .total
    };
    assert_eq!(count(&s1), 1);
    assert_eq!(count(&head), 2);
    assert_eq!(count(&sup), 3);
    assert_eq!(count(&viewer), 3);
    // Heads work on their department's customers; viewers only read.
    update_interaction(
        &mut f.conn,
        now,
        &head,
        mine.id,
        1,
        &input(at, "visit", "主管补充"),
    )
    .unwrap();
    assert_eq!(
        update_interaction(
            &mut f.conn,
            now,
            &head,
            theirs.id,
            1,
            &input(at, "visit", "x")
        )
        .unwrap_err()
        .code(),
        "not_found"
    );
    assert!(get_interaction(&f.conn, &viewer, theirs.id).is_ok());
    assert!(matches!(
        log_interaction(
            &mut f.conn,
            now,
            &viewer,
            f.cust2,
            &input(at, "visit", "x"),
            &[]
        )
        .unwrap_err(),
        Error::Forbidden(_)
    ));
}

#[test]
fn global_list_filters() {
    let mut f = Fixture::new();
    let now = t(2024, 3, 10, 0, 0);
    let (s1, s2, admin) = (f.staff1.clone(), f.staff2.clone(), f.admin.clone());
    let todo = |owner: i64| Todo {
        title: "跟进".into(),
        owner_user_id: owner,
        due_at: t(2024, 3, 12, 0, 0),
        notes: String::new(),
    };
    let a = log_interaction(
        &mut f.conn,
        now,
        &s1,
        f.cust1,
        &input(t(2024, 3, 1, 0, 0), "visit", "a"),
        &[todo(s1.user_id)],
    )
    .unwrap();
    let b = log_interaction(
        &mut f.conn,
        now,
        &s2,
        f.cust2,
        &input(t(2024, 3, 4, 0, 0), "phone", "b"),
        &[],
    )
    .unwrap();
    // Admin logs on staff 2's customer: staff 2 still "owns" it through the customer.
    let c = log_interaction(
        &mut f.conn,
        now,
        &admin,
        f.cust2,
        &input(t(2024, 3, 6, 0, 0), "callback", "c"),
        &[todo(s2.user_id)],
    )
    .unwrap();
    let ids = |filter: InteractionFilter| -> Vec<i64> {
        list_interactions(&f.conn, &admin, &filter)
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect()
    };
    assert_eq!(ids(InteractionFilter::default()), vec![c.id, b.id, a.id]);
    assert_eq!(
        ids(InteractionFilter {
            from: Some(t(2024, 3, 2, 0, 0)),
            to: Some(t(2024, 3, 6, 0, 0)),
            ..Default::default()
        }),
        vec![b.id]
    );
    assert_eq!(
        ids(InteractionFilter {
            channels: vec!["phone".into(), "visit".into()],
            ..Default::default()
        }),
        vec![b.id, a.id]
    );
    assert_eq!(
        ids(InteractionFilter {
            owner_user_id: Some(s2.user_id),
            ..Default::default()
        }),
        vec![c.id, b.id]
    );
    assert_eq!(
        ids(InteractionFilter {
            owner_user_id: Some(admin.user_id),
            ..Default::default()
        }),
        vec![c.id],
        "creator counts as owner"
    );
    assert_eq!(
        ids(InteractionFilter {
            customer_id: Some(f.cust1),
            ..Default::default()
        }),
        vec![a.id]
    );
    assert_eq!(
        ids(InteractionFilter {
            has_open_todos: Some(true),
            ..Default::default()
        }),
        vec![c.id, a.id]
    );
    assert_eq!(
        ids(InteractionFilter {
            has_open_todos: Some(false),
            ..Default::default()
        }),
        vec![b.id]
    );
    // Completing the to-do takes the interaction out of "has open to-dos".
    let t_a = task::tasks_for_source(&f.conn, now, &s1, SourceKind::Interaction, a.id).unwrap();
    task::complete_task(&f.conn, now, &s1, t_a[0].id, "已完成").unwrap();
    assert_eq!(
        ids(InteractionFilter {
            has_open_todos: Some(true),
            ..Default::default()
        }),
        vec![c.id]
    );
    assert_eq!(get_interaction(&f.conn, &s1, a.id).unwrap().open_todos, 0);
}
