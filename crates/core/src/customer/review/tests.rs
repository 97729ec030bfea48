//! Quarter-end review rules, on the shared fixture (team in Asia/Shanghai, UTC+8).

use super::*;
use crate::customer::change_request::{RequestStatus, decide_change, list_pending};
use crate::customer::history::history_unchecked;
use crate::testutil::{Fixture, add_customer, t};

/// 2026-12-25 00:00 in Shanghai: the Q4 review opens.
fn q4_opens() -> DateTime<Utc> {
    t(2026, 12, 24, 16, 0)
}

fn stage_of(conn: &Connection, id: i64) -> String {
    conn.query_row("SELECT stage FROM customers WHERE id = ?1", [id], |r| {
        r.get(0)
    })
    .unwrap()
}

fn confirm_as(
    conn: &mut Connection,
    actor: &Actor,
    now: DateTime<Utc>,
    review_id: i64,
    customer_id: i64,
    outcome: Outcome,
    note: &str,
) -> Result<ReviewItem> {
    let actor = actor.clone();
    confirm(
        conn,
        now,
        &actor,
        &ConfirmInput {
            review_id,
            customer_id,
            outcome,
            new_stage: None,
            note: note.into(),
        },
    )
}

#[test]
fn windows_follow_the_quarter_end_in_the_team_time_zone() {
    let tz: Tz = "Asia/Shanghai".parse().unwrap();
    let w = window(2026, 4, tz);
    assert_eq!(w.opens_at, q4_opens());
    assert_eq!(w.closes_at, t(2027, 1, 14, 16, 0), "00:00 on 15 January");
    assert_eq!(window(2026, 1, tz).opens_at, t(2026, 3, 24, 16, 0));
    assert_eq!(window(2026, 2, tz).closes_at, t(2026, 7, 14, 16, 0));

    assert_eq!(window_at(q4_opens() - Duration::seconds(1), tz), None);
    assert_eq!(window_at(q4_opens(), tz), Some(w));
    assert_eq!(
        window_at(t(2027, 1, 3, 0, 0), tz),
        Some(w),
        "the new year still belongs to the Q4 review"
    );
    assert_eq!(window_at(w.closes_at - Duration::seconds(1), tz), Some(w));
    assert_eq!(window_at(w.closes_at, tz), None);
    assert_eq!(window_at(t(2026, 11, 23, 2, 0), tz), None);
    let utc: Tz = "UTC".parse().unwrap();
    assert_eq!(window(2026, 4, utc).opens_at, t(2026, 12, 25, 0, 0));
}

#[test]
fn opening_is_idempotent_and_lists_active_customers() {
    let f = Fixture::new();
    let churned = add_customer(&f.conn, "流失有限公司", f.staff1.user_id, f.dept1);
    f.conn
        .execute(
            "UPDATE customers SET stage = 'churned' WHERE id = ?1",
            [churned],
        )
        .unwrap();
    let archived = add_customer(&f.conn, "归档有限公司", f.staff1.user_id, f.dept1);
    f.conn
        .execute(
            "UPDATE customers SET archived = 1 WHERE id = ?1",
            [archived],
        )
        .unwrap();

    assert_eq!(
        ensure_current(&f.conn, t(2026, 12, 20, 0, 0)).unwrap(),
        None
    );
    let n: i64 = f
        .conn
        .query_row("SELECT count(*) FROM quarter_reviews", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "nothing opens before the last week");

    let id = ensure_current(&f.conn, q4_opens()).unwrap().unwrap();
    assert_eq!(
        ensure_current(&f.conn, q4_opens() + Duration::hours(3)).unwrap(),
        Some(id)
    );
    let later = add_customer(&f.conn, "新客户有限公司", f.staff1.user_id, f.dept1);
    assert_eq!(
        ensure_current(&f.conn, q4_opens() + Duration::days(1)).unwrap(),
        Some(id)
    );
    let d = review_detail(&f.conn, q4_opens(), &f.admin, id, None).unwrap();
    let mut listed: Vec<i64> = d.items.iter().map(|i| i.customer_id).collect();
    listed.sort();
    assert_eq!(listed, vec![f.cust1, f.cust1b, f.cust2]);
    assert!(!listed.contains(&later) && !listed.contains(&churned));
    assert_eq!((d.review.year, d.review.quarter), (2026, 4));
    assert_eq!(
        list_reviews(&f.conn, q4_opens(), &f.admin).unwrap().len(),
        1
    );
}

#[test]
fn first_access_opens_the_review_without_the_scheduler() {
    let f = Fixture::new();
    let reviews = list_reviews(&f.conn, t(2027, 1, 5, 2, 0), &f.staff1).unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!((reviews[0].year, reviews[0].quarter), (2026, 4));
    assert_eq!(
        (reviews[0].total, reviews[0].confirmed),
        (1, 0),
        "staff see their own"
    );
}

#[test]
fn each_role_sees_its_scope() {
    let f = Fixture::new();
    let id = ensure_current(&f.conn, q4_opens()).unwrap().unwrap();
    let owners = |a: &Actor| -> Vec<Option<i64>> {
        let mut o: Vec<_> = review_detail(&f.conn, q4_opens(), a, id, None)
            .unwrap()
            .progress
            .iter()
            .map(|p| p.owner_user_id)
            .collect();
        o.sort();
        o
    };
    assert_eq!(owners(&f.staff1), vec![Some(f.staff1.user_id)]);
    assert_eq!(
        owners(&f.head1),
        vec![Some(f.staff1.user_id), Some(f.staff1b.user_id)]
    );
    for a in [&f.admin, &f.supervisor] {
        assert_eq!(owners(a).len(), 3, "{:?}", a.role);
    }
    let mine = review_detail(&f.conn, q4_opens(), &f.head1, id, Some(f.staff1b.user_id)).unwrap();
    assert_eq!(
        mine.items.iter().map(|i| i.customer_id).collect::<Vec<_>>(),
        vec![f.cust1b]
    );
    let staff_items = review_detail(&f.conn, q4_opens(), &f.staff2, id, None).unwrap();
    assert_eq!(staff_items.items.len(), 1);
    assert_eq!(staff_items.items[0].customer_id, f.cust2);
}

#[test]
fn staff_confirm_their_own_and_history_shows_it() {
    let mut f = Fixture::new();
    let now = q4_opens() + Duration::hours(1);
    let id = ensure_current(&f.conn, now).unwrap().unwrap();
    let staff2 = f.staff2.clone();
    let err = confirm_as(&mut f.conn, &staff2, now, id, f.cust1, Outcome::Active, "").unwrap_err();
    assert_eq!(
        err.code(),
        "not_found",
        "another owner's customer stays hidden"
    );
    let viewer = f.viewer.clone();
    assert_eq!(
        confirm_as(&mut f.conn, &viewer, now, id, f.cust1, Outcome::Active, "")
            .unwrap_err()
            .code(),
        "auth.forbidden"
    );

    let staff1 = f.staff1.clone();
    let item = confirm_as(
        &mut f.conn,
        &staff1,
        now,
        id,
        f.cust1,
        Outcome::Renewed,
        "续约两年",
    )
    .unwrap();
    assert_eq!(item.outcome, Some(Outcome::Renewed));
    assert_eq!(item.confirmed_by, Some(staff1.user_id));
    let again = confirm_as(&mut f.conn, &staff1, now, id, f.cust1, Outcome::Active, "");
    assert_eq!(again.unwrap_err().code(), "review.already_confirmed");

    let h = history_unchecked(&f.conn, f.cust1).unwrap();
    let e = &h[0];
    assert_eq!(
        (e.kind, e.field.as_str()),
        (HistoryKind::Reviewed, "review")
    );
    let v = e.new_value.as_ref().unwrap();
    assert_eq!(v["outcome"], "renewed");
    assert_eq!(v["note"], "续约两年");
    assert_eq!(
        (v["year"].as_i64(), v["quarter"].as_i64()),
        (Some(2026), Some(4))
    );

    let d = review_detail(&f.conn, now, &f.head1, id, None).unwrap();
    let p1 = d
        .progress
        .iter()
        .find(|p| p.owner_user_id == Some(staff1.user_id))
        .unwrap();
    assert_eq!((p1.total, p1.confirmed), (1, 1));
    assert_eq!((d.review.total, d.review.confirmed), (2, 1));
}

#[test]
fn churn_by_staff_goes_through_approval() {
    let mut f = Fixture::new();
    let now = q4_opens() + Duration::hours(2);
    let id = ensure_current(&f.conn, now).unwrap().unwrap();
    let staff1 = f.staff1.clone();
    let err = confirm_as(
        &mut f.conn,
        &staff1,
        now,
        id,
        f.cust1,
        Outcome::Churned,
        " ",
    )
    .unwrap_err();
    assert_eq!(err.code(), "review.note_required");

    let item = confirm_as(
        &mut f.conn,
        &staff1,
        now,
        id,
        f.cust1,
        Outcome::Churned,
        "客户已转向竞品",
    )
    .unwrap();
    assert_eq!(stage_of(&f.conn, f.cust1), "potential", "not applied yet");
    let cr = item.change_request_id.expect("a change request was filed");
    assert_eq!(item.new_stage, Some(Stage::Churned));

    let head1 = f.head1.clone();
    let pending = list_pending(&f.conn, now, &head1).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].request.reason, "客户已转向竞品");
    let decided = decide_change(&mut f.conn, now, &head1, cr, true, "").unwrap();
    assert_eq!(decided.status, RequestStatus::Approved);
    assert_eq!(stage_of(&f.conn, f.cust1), "churned");
    let kinds: Vec<HistoryKind> = history_unchecked(&f.conn, f.cust1)
        .unwrap()
        .iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        &kinds[..3],
        &[
            HistoryKind::Approved,
            HistoryKind::Reviewed,
            HistoryKind::Requested
        ]
    );
}

#[test]
fn heads_change_the_stage_directly() {
    let mut f = Fixture::new();
    let now = q4_opens() + Duration::hours(2);
    let id = ensure_current(&f.conn, now).unwrap().unwrap();
    let head1 = f.head1.clone();
    let input = |stage| ConfirmInput {
        review_id: id,
        customer_id: f.cust1b,
        outcome: Outcome::StageChange,
        new_stage: stage,
        note: "已签约".into(),
    };
    let err = confirm(&mut f.conn, now, &head1, &input(None)).unwrap_err();
    assert_eq!(err.code(), "review.stage_required");
    let err = confirm(&mut f.conn, now, &head1, &input(Some(Stage::Potential))).unwrap_err();
    assert_eq!(err.code(), "review.stage_unchanged");
    let item = confirm(&mut f.conn, now, &head1, &input(Some(Stage::Signed))).unwrap();
    assert_eq!(item.change_request_id, None);
    assert_eq!(stage_of(&f.conn, f.cust1b), "signed");
    let head2_scope = confirm(
        &mut f.conn,
        now,
        &head1,
        &ConfirmInput {
            review_id: id,
            customer_id: f.cust2,
            outcome: Outcome::Active,
            new_stage: None,
            note: String::new(),
        },
    );
    assert_eq!(head2_scope.unwrap_err().code(), "not_found");
}

#[test]
fn unconfirmed_items_are_flagged_when_the_review_closes() {
    let mut f = Fixture::new();
    let now = q4_opens();
    let id = ensure_current(&f.conn, now).unwrap().unwrap();
    let staff1 = f.staff1.clone();
    confirm_as(&mut f.conn, &staff1, now, id, f.cust1, Outcome::Active, "").unwrap();

    let before = review_detail(&f.conn, t(2027, 1, 14, 15, 59), &f.admin, id, None).unwrap();
    assert_eq!(before.review.closed_at, None);
    assert!(before.items.iter().all(|i| !i.flagged));

    let after_close = t(2027, 1, 14, 16, 0);
    assert_eq!(ensure_current(&f.conn, after_close).unwrap(), None);
    let d = review_detail(&f.conn, after_close, &f.admin, id, None).unwrap();
    assert_eq!(d.review.closed_at, Some(after_close.timestamp()));
    let flagged: Vec<i64> = d
        .items
        .iter()
        .filter(|i| i.flagged)
        .map(|i| i.customer_id)
        .collect();
    assert_eq!(flagged.len(), 2);
    assert!(flagged.contains(&f.cust1b) && flagged.contains(&f.cust2));
    assert_eq!(
        d.progress.iter().map(|p| p.flagged).sum::<i64>(),
        2,
        "per-owner flags"
    );
    let (staff2, cust2) = (f.staff2.clone(), f.cust2);
    let late = confirm_as(
        &mut f.conn,
        &staff2,
        after_close,
        id,
        cust2,
        Outcome::Active,
        "",
    );
    assert_eq!(late.unwrap_err().code(), "review.closed");

    // The next quarter's review opens beside the closed one, which stays readable.
    let q1 = t(2027, 3, 24, 16, 0);
    let next = ensure_current(&f.conn, q1).unwrap().unwrap();
    assert_ne!(next, id);
    let all = list_reviews(&f.conn, q1, &f.admin).unwrap();
    assert_eq!(
        all.iter().map(|r| (r.year, r.quarter)).collect::<Vec<_>>(),
        vec![(2027, 1), (2026, 4)]
    );
    assert_eq!(all[1].confirmed, 1);
}

#[test]
fn a_handover_moves_unconfirmed_items_to_the_new_owner() {
    let f = Fixture::new();
    let id = ensure_current(&f.conn, q4_opens()).unwrap().unwrap();
    f.conn
        .execute(
            "UPDATE customers SET owner_user_id = ?1 WHERE id = ?2",
            params![f.staff1.user_id, f.cust1b],
        )
        .unwrap();
    ensure_current(&f.conn, q4_opens() + Duration::minutes(1)).unwrap();
    let mine = review_detail(&f.conn, q4_opens(), &f.staff1, id, Some(f.staff1.user_id)).unwrap();
    assert_eq!(mine.items.len(), 2);
}

#[test]
fn owners_are_reminded_once_per_review() {
    let f = Fixture::new();
    let before = crate::reminder::sources::run(&f.conn, q4_opens() - Duration::minutes(1)).unwrap();
    assert!(before.iter().all(|r| r.kind != "review"));
    let review_notices = |now| {
        crate::reminder::sources::run(&f.conn, now)
            .unwrap()
            .into_iter()
            .filter(|r| r.kind == "review")
            .collect::<Vec<_>>()
    };
    let first = review_notices(q4_opens());
    let mut to: Vec<i64> = first.iter().map(|r| r.recipient_user_id).collect();
    to.sort();
    assert_eq!(
        to,
        vec![f.staff1.user_id, f.staff1b.user_id, f.staff2.user_id]
    );
    assert!(first.iter().all(|r| r.title == "2026 Q4"
        && r.stage == crate::reminder::Stage::Info
        && r.item_kind == "review"));
    assert!(review_notices(q4_opens() + Duration::minutes(1)).is_empty());
    assert!(
        review_notices(q4_opens() + Duration::days(3)).is_empty(),
        "never repeated"
    );
    let stored: i64 = f
        .conn
        .query_row(
            "SELECT count(*) FROM reminders WHERE kind = 'review'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 3);
}
