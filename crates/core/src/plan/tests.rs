use super::*;
use crate::Error;
use crate::calendar::{WeeklyHours, store};
use crate::reminder::Stage;
use crate::task::{SourceKind, complete_task, snooze_task};
use crate::testutil::{Fixture, add_contact, add_customer};
use chrono::TimeZone;
use chrono_tz::Asia::Shanghai;

/// Beijing wall-clock time as an instant.
fn bj(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Shanghai
        .with_ymd_and_hms(y, mo, d, h, mi, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The fixture with Monday–Friday 09:00–18:00 and the official 2026 holidays.
fn setup() -> (Fixture, WorkCalendar) {
    let f = Fixture::new();
    store::save_weekly_hours(&f.conn, &WeeklyHours::default_china()).unwrap();
    store::seed_china_2026(&f.conn).unwrap();
    let cal = store::load(&f.conn, "Asia/Shanghai").unwrap();
    (f, cal)
}

fn set_customer(f: &Fixture, id: i64, stage: &str, tier: &str, coop: Option<&str>) {
    f.conn
        .execute(
            "UPDATE customers SET stage = ?1, tier = ?2, coop_start = ?3 WHERE id = ?4",
            params![stage, tier, coop, id],
        )
        .unwrap();
}

/// (id, due_at, owner) of the customer's open call-back tasks.
fn open_callbacks(f: &Fixture, customer: i64) -> Vec<(i64, DateTime<Utc>, i64)> {
    let mut stmt = f
        .conn
        .prepare(
            "SELECT id, due_at, owner_user_id FROM tasks
             WHERE customer_id = ?1 AND source_kind = 'plan' AND status = 'open' ORDER BY id",
        )
        .unwrap();
    stmt.query_map([customer], |r| {
        Ok((r.get(0)?, from_unix(r.get(1)?), r.get(2)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn count_tasks(f: &Fixture) -> i64 {
    f.conn
        .query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))
        .unwrap()
}

fn log_callback(f: &Fixture, customer: i64, at: DateTime<Utc>, by: i64) {
    f.conn
        .execute(
            "INSERT INTO interactions (customer_id, occurred_at, channel, subject, created_by, created_at, updated_at)
             VALUES (?1, ?2, 'callback', '回访', ?3, ?2, ?2)",
            params![customer, at.timestamp(), by],
        )
        .unwrap();
}

#[test]
fn callback_cadence_follows_the_tier() {
    let (f, cal) = setup();
    set_customer(&f, f.cust1, "signed", "A", Some("2026-03-10"));
    set_customer(&f, f.cust1b, "strategic", "B", Some("2026-03-10"));
    set_customer(&f, f.cust2, "signed", "C", Some("2026-03-10"));
    // Not planned: potential, churned and archived customers.
    let potential = add_customer(&f.conn, "潜在客户", f.staff1.user_id, f.dept1);
    let churned = add_customer(&f.conn, "流失客户", f.staff1.user_id, f.dept1);
    set_customer(&f, churned, "churned", "A", Some("2026-03-10"));
    let archived = add_customer(&f.conn, "归档客户", f.staff1.user_id, f.dept1);
    set_customer(&f, archived, "signed", "A", Some("2026-03-10"));
    f.conn
        .execute(
            "UPDATE customers SET archived = 1 WHERE id = ?1",
            [archived],
        )
        .unwrap();

    let now = bj(2026, 3, 20, 9, 0);
    assert_eq!(ensure_callback_tasks(&f.conn, now, &cal).unwrap(), 3);
    // Due at the start of business on the planned date, on the customer's owner.
    assert_eq!(
        open_callbacks(&f, f.cust1),
        vec![(
            open_callbacks(&f, f.cust1)[0].0,
            bj(2026, 4, 10, 9, 0),
            f.staff1.user_id
        )]
    );
    assert_eq!(open_callbacks(&f, f.cust1b)[0].1, bj(2026, 6, 10, 9, 0));
    assert_eq!(open_callbacks(&f, f.cust2)[0].1, bj(2026, 9, 10, 9, 0));
    assert_eq!(open_callbacks(&f, f.cust2)[0].2, f.staff2.user_id);
    for c in [potential, churned, archived] {
        assert!(open_callbacks(&f, c).is_empty());
    }
    // Idempotent.
    let before = count_tasks(&f);
    assert_eq!(ensure_callback_tasks(&f.conn, now, &cal).unwrap(), 0);
    assert_eq!(
        ensure_callback_tasks(&f.conn, now + Duration::days(3), &cal).unwrap(),
        0
    );
    assert_eq!(count_tasks(&f), before);

    // Editable intervals: A every 2 months re-plans the open task.
    set_callback_intervals(
        &f.conn,
        now,
        &f.supervisor,
        &CallbackIntervals { a: 2, b: 3, c: 6 },
    )
    .unwrap();
    ensure_callback_tasks(&f.conn, now, &cal).unwrap();
    assert_eq!(open_callbacks(&f, f.cust1)[0].1, bj(2026, 5, 11, 9, 0)); // 10 May is a Sunday
    assert_eq!(count_tasks(&f), before);
    let bad = CallbackIntervals { a: 0, b: 3, c: 6 };
    assert_eq!(
        set_callback_intervals(&f.conn, now, &f.admin, &bad)
            .unwrap_err()
            .code(),
        "plan.interval_invalid"
    );
    assert!(matches!(
        set_callback_intervals(&f.conn, now, &f.viewer, &CallbackIntervals::default()),
        Err(Error::Forbidden(_))
    ));

    // A customer that churns loses its open call-back.
    set_customer(&f, f.cust2, "churned", "C", Some("2026-03-10"));
    ensure_callback_tasks(&f.conn, now, &cal).unwrap();
    assert!(open_callbacks(&f, f.cust2).is_empty());
}

#[test]
fn next_callback_regenerates_from_the_last_one() {
    let (f, cal) = setup();
    set_customer(&f, f.cust1, "signed", "A", Some("2026-03-10"));
    let now = bj(2026, 3, 20, 9, 0);
    ensure_callback_tasks(&f.conn, now, &cal).unwrap();
    let (first, ..) = open_callbacks(&f, f.cust1)[0];

    // Done on 13 April: the next one is a month later.
    let done_at = bj(2026, 4, 13, 15, 0);
    complete_task(&f.conn, done_at, &f.staff1, first, "已回访").unwrap();
    assert_eq!(ensure_callback_tasks(&f.conn, done_at, &cal).unwrap(), 1);
    let (second, due, _) = open_callbacks(&f, f.cust1)[0];
    assert_ne!(second, first);
    assert_eq!(due, bj(2026, 5, 13, 9, 0));

    // A call-back logged as an interaction later moves the open one on (no new task).
    log_callback(&f, f.cust1, bj(2026, 4, 20, 10, 0), f.staff1.user_id);
    assert_eq!(
        ensure_callback_tasks(&f.conn, bj(2026, 4, 20, 11, 0), &cal).unwrap(),
        0
    );
    assert_eq!(
        open_callbacks(&f, f.cust1),
        vec![(second, bj(2026, 5, 20, 9, 0), f.staff1.user_id)]
    );
    // An older interaction does not: the newest call-back counts.
    log_callback(&f, f.cust1, bj(2026, 4, 1, 10, 0), f.staff1.user_id);
    ensure_callback_tasks(&f.conn, bj(2026, 4, 20, 12, 0), &cal).unwrap();
    assert_eq!(open_callbacks(&f, f.cust1)[0].1, bj(2026, 5, 20, 9, 0));

    // Changing the tier re-plans the open task.
    set_customer(&f, f.cust1, "signed", "C", Some("2026-03-10"));
    ensure_callback_tasks(&f.conn, bj(2026, 4, 21, 9, 0), &cal).unwrap();
    assert_eq!(
        open_callbacks(&f, f.cust1),
        vec![(second, bj(2026, 10, 20, 9, 0), f.staff1.user_id)]
    );
}

#[test]
fn a_cadence_already_past_is_due_today_not_backdated() {
    let (f, cal) = setup();
    set_customer(&f, f.cust1, "signed", "A", Some("2025-01-01"));
    let now = bj(2026, 3, 20, 11, 0); // Friday
    ensure_callback_tasks(&f.conn, now, &cal).unwrap();
    assert_eq!(open_callbacks(&f, f.cust1)[0].1, bj(2026, 3, 20, 9, 0));
    // It stays put on later runs (no daily drift).
    ensure_callback_tasks(&f.conn, bj(2026, 3, 25, 11, 0), &cal).unwrap();
    assert_eq!(open_callbacks(&f, f.cust1)[0].1, bj(2026, 3, 20, 9, 0));
    // Without a cooperation start the signing (onboarding) or creation date counts.
    assert_eq!(next_callback_date(day(2026, 1, 31), 1), day(2026, 2, 28));
}

#[test]
fn callback_reminded_two_days_ahead_then_due_then_overdue() {
    let (f, cal) = setup();
    set_customer(&f, f.cust1, "signed", "A", Some("2026-03-10"));
    ensure_callback_tasks(&f.conn, bj(2026, 3, 20, 9, 0), &cal).unwrap();
    let (task, due, _) = open_callbacks(&f, f.cust1)[0];
    assert_eq!(due, bj(2026, 4, 10, 9, 0));
    let at = |t| callback_candidates(&f.conn, t).unwrap();
    assert!(at(bj(2026, 4, 7, 23, 59)).is_empty());
    let soon = at(bj(2026, 4, 8, 0, 0));
    assert_eq!(soon.len(), 1);
    assert_eq!(soon[0].stage, Stage::DueSoon);
    assert_eq!(soon[0].kind, "callback");
    assert_eq!(soon[0].item_id, task);
    assert_eq!(soon[0].recipient_user_id, f.staff1.user_id);
    assert_eq!(soon[0].body, "科技有限公司");
    assert_eq!(at(bj(2026, 4, 10, 8, 59))[0].stage, Stage::DueSoon);
    assert_eq!(at(bj(2026, 4, 10, 9, 0))[0].stage, Stage::Due);
    assert_eq!(at(bj(2026, 4, 10, 23, 59))[0].stage, Stage::Due);
    assert_eq!(at(bj(2026, 4, 11, 0, 0))[0].stage, Stage::Overdue);
    // Stable keys across calls.
    assert_eq!(
        at(bj(2026, 4, 8, 10, 0))[0].dedup_key(),
        format!("callback:task:{task}:due_soon:{}", f.staff1.user_id)
    );
    // The generic task rule leaves call-backs alone.
    assert!(
        task_candidates(&f.conn, bj(2026, 4, 10, 9, 0), Shanghai)
            .unwrap()
            .is_empty()
    );
    // Snoozed: nothing until the snooze ends.
    snooze_task(
        &f.conn,
        bj(2026, 4, 11, 1, 0),
        &f.staff1,
        task,
        bj(2026, 4, 13, 9, 0),
    )
    .unwrap();
    assert!(at(bj(2026, 4, 12, 0, 0)).is_empty());
    assert_eq!(at(bj(2026, 4, 13, 9, 0))[0].stage, Stage::Overdue);
}

#[test]
fn customer_service_track_is_a_second_monthly_plan() {
    let (f, cal) = setup();
    set_customer(&f, f.cust1, "signed", "C", Some("2026-03-10"));
    let now = bj(2026, 3, 20, 9, 0);
    let cs = CsCallback {
        owner_user_id: f.staff2.user_id,
        months: 1,
    };
    set_cs_callback(&f.conn, now, &f.admin, Some(&cs)).unwrap();
    assert_eq!(cs_callback(&f.conn).unwrap(), Some(cs));
    assert_eq!(ensure_callback_tasks(&f.conn, now, &cal).unwrap(), 2);
    let mut plans: Vec<_> = open_callbacks(&f, f.cust1)
        .into_iter()
        .map(|(_, due, owner)| (owner, due))
        .collect();
    plans.sort();
    assert_eq!(
        plans,
        vec![
            (f.staff1.user_id, bj(2026, 9, 10, 9, 0)),
            (f.staff2.user_id, bj(2026, 4, 10, 9, 0))
        ]
    );
    // The CS colleague's call-back moves only their plan.
    log_callback(&f, f.cust1, bj(2026, 4, 9, 10, 0), f.staff2.user_id);
    ensure_callback_tasks(&f.conn, bj(2026, 4, 9, 11, 0), &cal).unwrap();
    let dues: Vec<_> = open_callbacks(&f, f.cust1)
        .into_iter()
        .map(|t| t.1)
        .collect();
    // 9 May 2026 is a make-up working Saturday.
    assert!(dues.contains(&bj(2026, 5, 9, 9, 0)), "{dues:?}");
    assert!(dues.contains(&bj(2026, 9, 10, 9, 0)));
    // Switching the track off cancels its open task.
    set_cs_callback(&f.conn, now, &f.admin, None).unwrap();
    ensure_callback_tasks(&f.conn, bj(2026, 4, 9, 12, 0), &cal).unwrap();
    assert_eq!(open_callbacks(&f, f.cust1).len(), 1);
    let bad = CsCallback {
        owner_user_id: 999,
        months: 1,
    };
    assert_eq!(
        set_cs_callback(&f.conn, now, &f.admin, Some(&bad))
            .unwrap_err()
            .code(),
        "plan.cs_owner_invalid"
    );
}

#[test]
fn onboarding_counts_working_days_across_national_day() {
    let (_, cal) = setup();
    let signed = bj(2026, 9, 30, 10, 0);
    let schedule = onboarding_schedule(signed, &cal).unwrap();
    assert_eq!(
        schedule,
        vec![
            (OnboardingStep::PrepareFile, bj(2026, 10, 8, 10, 0)),
            // 8, 9 and the make-up Saturday 10 October.
            (OnboardingStep::FirstContact, bj(2026, 10, 10, 10, 0)),
            (OnboardingStep::FollowUp, bj(2026, 10, 27, 10, 0)),
            (OnboardingStep::UsageGuide, bj(2026, 10, 27, 10, 0)),
            (OnboardingStep::SatisfactionSurvey, bj(2026, 10, 7, 10, 0)),
        ]
    );
    assert_eq!(
        follow_up_window_start(signed, &cal).unwrap(),
        day(2026, 10, 15)
    );
    // Signed after hours: counting starts at the next business instant.
    let evening = onboarding_schedule(bj(2026, 3, 6, 19, 0), &cal).unwrap(); // Friday
    assert_eq!(evening[0].1, bj(2026, 3, 10, 9, 0));
}

#[test]
fn onboarding_starts_once() {
    let (f, cal) = setup();
    let now = bj(2026, 9, 30, 10, 0);
    set_customer(&f, f.cust1, "signed", "A", None);
    assert_eq!(
        start_onboarding(&f.conn, now, Some(&f.staff1), f.cust1b, &cal)
            .unwrap_err()
            .code(),
        "not_found",
        "staff only onboard their own customers"
    );
    assert!(matches!(
        start_onboarding(&f.conn, now, Some(&f.viewer), f.cust1, &cal),
        Err(Error::Forbidden(_))
    ));
    let ids = start_onboarding(&f.conn, now, Some(&f.staff1), f.cust1, &cal).unwrap();
    assert_eq!(ids.len(), 5);
    let tasks = crate::task::tasks_for_source(
        &f.conn,
        now,
        &f.staff1,
        SourceKind::Onboarding,
        f.conn
            .query_row("SELECT id FROM onboarding_runs", [], |r| r.get(0))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(tasks.len(), 5);
    assert!(tasks.iter().all(|t| t.owner_user_id == f.staff1.user_id));
    let follow = tasks
        .iter()
        .find(|t| t.title.starts_with("跟进巩固"))
        .unwrap();
    assert!(follow.notes.contains("2026-10-15"), "{}", follow.notes);
    // Again, by anyone or the system: the same tasks, nothing new.
    let before = count_tasks(&f);
    assert_eq!(
        start_onboarding(&f.conn, now + Duration::hours(1), None, f.cust1, &cal).unwrap(),
        ids
    );
    assert_eq!(ensure_onboarding(&f.conn, now, &cal).unwrap(), 0);
    assert_eq!(count_tasks(&f), before);
    // Only signed customers.
    assert_eq!(
        start_onboarding(&f.conn, now, Some(&f.staff1b), f.cust1b, &cal)
            .unwrap_err()
            .code(),
        "plan.customer_not_signed"
    );
    // The scheduler's sweep: a new signing is started, an old one is marked skipped.
    set_customer(&f, f.cust1b, "signed", "B", Some("2026-09-28"));
    set_customer(&f, f.cust2, "strategic", "A", Some("2020-05-01"));
    assert_eq!(ensure_onboarding(&f.conn, now, &cal).unwrap(), 1);
    assert_eq!(ensure_onboarding(&f.conn, now, &cal).unwrap(), 0);
    let skipped: i64 = f
        .conn
        .query_row(
            "SELECT skipped FROM onboarding_runs WHERE customer_id = ?1",
            [f.cust2],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(skipped, 1);
    assert_eq!(count_tasks(&f), before + 5);
    // Onboarding tasks are announced with their own kind.
    let c = task_candidates(&f.conn, bj(2026, 10, 8, 9, 30), Shanghai).unwrap();
    assert!(
        c.iter()
            .any(|c| c.kind == "onboarding" && c.stage == Stage::DueSoon)
    );
}

#[test]
fn birthdays_including_29_february() {
    assert_eq!(occurrence_in(2, 29, 2027), Some(day(2027, 2, 28)));
    assert_eq!(occurrence_in(2, 29, 2028), Some(day(2028, 2, 29)));
    assert_eq!(occurrence_in(3, 5, 2027), Some(day(2027, 3, 5)));
    assert_eq!(occurrence_in(2, 30, 2027), None);

    let (f, cal) = setup();
    let leap = add_contact(&f.conn, f.cust1, "王总", "总经理", true);
    f.conn
        .execute(
            "UPDATE contacts SET birthday = '1988-02-29' WHERE id = ?1",
            [leap],
        )
        .unwrap();
    let up = upcoming_care(&f.conn, &f.staff1, bj(2027, 2, 26, 10, 0), 5).unwrap();
    let b: Vec<_> = up.iter().filter(|d| d.kind == CareKind::Birthday).collect();
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].date, day(2027, 2, 28));
    assert_eq!(b[0].contact_id, Some(leap));
    assert_eq!(
        b[0].script_purpose,
        crate::template::Purpose::HolidayGreeting
    );
    // Not in someone else's view.
    assert!(
        upcoming_care(&f.conn, &f.staff2, bj(2027, 2, 26, 10, 0), 5)
            .unwrap()
            .iter()
            .all(|d| d.kind != CareKind::Birthday)
    );
    // Reminded 3 days ahead (default), to the owner, with a key of that year's own.
    let cands = |t| {
        care_candidates(&f.conn, t, &cal)
            .unwrap()
            .into_iter()
            .filter(|c| c.item_kind == "care_occurrence")
            .collect::<Vec<_>>()
    };
    assert!(cands(bj(2027, 2, 24, 23, 0)).is_empty());
    let c = cands(bj(2027, 2, 25, 8, 0));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].recipient_user_id, f.staff1.user_id);
    assert_eq!(c[0].stage, Stage::DueSoon);
    assert_eq!(c[0].due_at, bj(2027, 2, 28, 0, 0));
    assert!(c[0].title.contains("王总"));
    assert_eq!(
        cands(bj(2027, 2, 28, 20, 0))[0].dedup_key(),
        c[0].dedup_key()
    );
    assert!(cands(bj(2027, 3, 1, 0, 0)).is_empty());
    let next_year = cands(bj(2028, 2, 27, 8, 0));
    assert_eq!(next_year[0].due_at, bj(2028, 2, 29, 0, 0));
    assert_ne!(next_year[0].dedup_key(), c[0].dedup_key());
    // The lead time is a setting.
    set_care_lead_days(&f.conn, bj(2027, 1, 1, 0, 0), &f.staff1, 5).unwrap();
    assert_eq!(cands(bj(2027, 2, 23, 8, 0)).len(), 1);
    assert_eq!(
        set_care_lead_days(&f.conn, bj(2027, 1, 1, 0, 0), &f.staff1, 31)
            .unwrap_err()
            .code(),
        "care.lead_days_invalid"
    );
}

#[test]
fn anniversaries_from_the_first_year() {
    let (f, cal) = setup();
    set_customer(&f, f.cust1, "signed", "A", Some("2025-03-10"));
    set_customer(&f, f.cust1b, "signed", "A", Some("2026-03-10"));
    set_customer(&f, f.cust2, "potential", "A", Some("2024-03-10"));
    let up = upcoming_care(&f.conn, &f.admin, bj(2026, 3, 8, 10, 0), 5).unwrap();
    let a: Vec<_> = up
        .iter()
        .filter(|d| d.kind == CareKind::Anniversary)
        .collect();
    assert_eq!(a.len(), 1, "year 0 and unsigned customers have none");
    assert_eq!(a[0].customer_id, Some(f.cust1));
    assert_eq!(a[0].years, Some(1));
    assert_eq!(a[0].date, day(2026, 3, 10));
    let c: Vec<_> = care_candidates(&f.conn, bj(2026, 3, 8, 10, 0), &cal)
        .unwrap()
        .into_iter()
        .filter(|c| c.item_kind == "care_occurrence")
        .collect();
    assert_eq!(c.len(), 1);
    assert!(c[0].title.contains("合作 1 周年"), "{}", c[0].title);
}

#[test]
fn holiday_care_one_reminder_per_owner() {
    let (f, cal) = setup();
    add_customer(&f.conn, "第二家", f.staff1.user_id, f.dept1);
    let now = bj(2026, 9, 22, 10, 0); // 中秋节 25 September, 3 days ahead
    let c: Vec<_> = care_candidates(&f.conn, now, &cal)
        .unwrap()
        .into_iter()
        .filter(|c| c.item_kind == "care_holiday")
        .collect();
    let mut per_owner: Vec<_> = c
        .iter()
        .map(|c| (c.recipient_user_id, c.title.clone()))
        .collect();
    per_owner.sort();
    assert_eq!(
        per_owner,
        vec![
            (f.staff1.user_id, "中秋节：2 位客户待问候".to_string()),
            (f.staff1b.user_id, "中秋节：1 位客户待问候".to_string()),
            (f.staff2.user_id, "中秋节：1 位客户待问候".to_string()),
        ]
    );
    assert!(c.iter().all(|c| c.due_at == bj(2026, 9, 25, 0, 0)));
    assert!(
        care_candidates(&f.conn, bj(2026, 9, 21, 10, 0), &cal)
            .unwrap()
            .is_empty()
    );
    // The list is editable.
    let h = save_holiday(
        &f.conn,
        now,
        &f.staff1,
        None,
        &HolidayInput {
            name_zh: "公司周年庆".into(),
            name_en: "Company anniversary".into(),
            day: day(2026, 11, 18),
        },
    )
    .unwrap();
    assert!(list_holidays(&f.conn, &f.viewer).unwrap().contains(&h));
    let dup = HolidayInput {
        name_zh: "公司周年庆".into(),
        name_en: "x".into(),
        day: day(2026, 11, 18),
    };
    assert_eq!(
        save_holiday(&f.conn, now, &f.staff1, None, &dup)
            .unwrap_err()
            .code(),
        "care.holiday_taken"
    );
    let up = upcoming_care(&f.conn, &f.staff1, bj(2026, 11, 16, 10, 0), 3).unwrap();
    assert_eq!(up.len(), 1);
    assert_eq!(up[0].customer_count, Some(2));
    delete_holiday(&f.conn, now, &f.staff1, h.id).unwrap();
    assert!(matches!(
        delete_holiday(&f.conn, now, &f.viewer, h.id),
        Err(Error::Forbidden(_))
    ));
    let seeded: Vec<_> = list_holidays(&f.conn, &f.admin)
        .unwrap()
        .into_iter()
        .filter(|h| h.name_zh == "春节")
        .map(|h| h.day)
        .collect();
    assert_eq!(seeded, vec![day(2026, 2, 17), day(2027, 2, 6)]);
}

fn add_task(f: &Fixture, owner: i64, customer: Option<i64>, due: DateTime<Utc>) -> i64 {
    crate::task::insert_system_task(
        &f.conn,
        bj(2026, 1, 1, 0, 0),
        &crate::task::NewTask {
            title: "提供报价单".into(),
            notes: String::new(),
            owner_user_id: owner,
            due_at: due,
            customer_id: customer,
        },
        SourceKind::Manual,
        None,
        None,
    )
    .unwrap()
}

#[test]
fn task_reminders_by_stage_with_the_lead_time() {
    let (f, _) = setup();
    let due = bj(2026, 3, 10, 15, 0);
    let id = add_task(&f, f.staff1.user_id, Some(f.cust1), due);
    let stage = |t| {
        let c = task_candidates(&f.conn, t, Shanghai).unwrap();
        assert!(c.len() <= 1);
        c.first().map(|c| (c.stage, c.recipient_user_id, c.item_id))
    };
    assert_eq!(stage(bj(2026, 3, 10, 13, 59)), None);
    assert_eq!(
        stage(bj(2026, 3, 10, 14, 0)),
        Some((Stage::DueSoon, f.staff1.user_id, id))
    );
    assert_eq!(stage(bj(2026, 3, 10, 15, 0)).unwrap().0, Stage::Due);
    assert_eq!(stage(bj(2026, 3, 11, 0, 0)).unwrap().0, Stage::Overdue);
    assert_eq!(stage(bj(2026, 4, 9, 14, 59)).unwrap().0, Stage::Overdue);
    assert_eq!(stage(bj(2026, 4, 9, 15, 0)), None, "30 days on it rests");
    set_task_lead_minutes(&f.conn, bj(2026, 3, 1, 0, 0), &f.staff1, 180).unwrap();
    assert_eq!(stage(bj(2026, 3, 10, 12, 0)).unwrap().0, Stage::DueSoon);
    assert_eq!(
        set_task_lead_minutes(&f.conn, bj(2026, 3, 1, 0, 0), &f.staff1, -1)
            .unwrap_err()
            .code(),
        "plan.task_lead_invalid"
    );
    snooze_task(
        &f.conn,
        bj(2026, 3, 10, 12, 0),
        &f.staff1,
        id,
        bj(2026, 3, 12, 9, 0),
    )
    .unwrap();
    assert_eq!(stage(bj(2026, 3, 11, 9, 0)), None);
    assert_eq!(stage(bj(2026, 3, 12, 9, 0)).unwrap().0, Stage::Overdue);
}

fn add_feedback(f: &Fixture, notified: &str, assignee: Option<i64>, lead: Option<i64>) -> i64 {
    f.conn
        .execute(
            "INSERT INTO feedback_items (number, customer_id, channel, category_id, priority, description,
                 assignee_user_id, sla_targets, response_due_at, resolution_due_at, sla_stage,
                 notified_stage, created_at, updated_at)
             VALUES ('FK-2026-' || (SELECT count(*) + 1 FROM feedback_items), ?1, 'email', 11,
                 'normal', '回复太慢', ?2, '{}', ?3, ?4, ?5, ?5, 0, 0)",
            params![
                f.cust1,
                assignee,
                bj(2026, 3, 10, 10, 0).timestamp(),
                bj(2026, 3, 17, 10, 0).timestamp(),
                notified
            ],
        )
        .unwrap();
    let id = f.conn.last_insert_rowid();
    if let Some(d) = lead {
        f.conn
            .execute(
                "INSERT INTO feedback_item_departments (item_id, department_id, role) VALUES (?1, ?2, 'lead')",
                params![id, d],
            )
            .unwrap();
    }
    id
}

#[test]
fn feedback_notices_go_to_the_right_person_per_level() {
    let (f, _) = setup();
    let soon = add_feedback(&f, "due_soon", Some(f.staff1.user_id), Some(f.dept1));
    let breached = add_feedback(&f, "breached", None, Some(f.dept1));
    let level1 = add_feedback(
        &f,
        "escalated_level_1",
        Some(f.staff1.user_id),
        Some(f.dept1),
    );
    let level2 = add_feedback(
        &f,
        "escalated_level_2",
        Some(f.staff1.user_id),
        Some(f.dept1),
    );
    add_feedback(&f, "on_track", Some(f.staff1.user_id), Some(f.dept1));
    let now = bj(2026, 3, 18, 10, 0);
    let mut got: Vec<_> = feedback_candidates(&f.conn, now)
        .unwrap()
        .into_iter()
        .map(|c| (c.item_id, c.stage, c.recipient_user_id, c.kind))
        .collect();
    got.sort_by_key(|g| g.0);
    assert_eq!(
        got,
        vec![
            (
                soon,
                Stage::DueSoon,
                f.staff1.user_id,
                "feedback_response".into()
            ),
            // Nobody assigned: the lead department's head.
            (
                breached,
                Stage::Overdue,
                f.head1.user_id,
                "feedback_response".into()
            ),
            (
                level1,
                Stage::Escalated1,
                f.head1.user_id,
                "feedback_resolution".into()
            ),
            (
                level2,
                Stage::Escalated2,
                f.supervisor.user_id,
                "feedback_resolution".into()
            ),
        ]
    );
    // Closed items say nothing.
    f.conn
        .execute(
            "UPDATE feedback_items SET status = 'closed' WHERE id = ?1",
            [level2],
        )
        .unwrap();
    assert_eq!(feedback_candidates(&f.conn, now).unwrap().len(), 3);
}

#[test]
fn scheduler_keys_are_stable_and_recorded_once() {
    let (f, cal) = setup();
    set_customer(&f, f.cust1, "signed", "A", Some("2026-02-10"));
    let c = add_contact(&f.conn, f.cust1, "王总", "总经理", true);
    f.conn
        .execute(
            "UPDATE contacts SET birthday = '1980-03-12' WHERE id = ?1",
            [c],
        )
        .unwrap();
    add_task(&f, f.staff1.user_id, Some(f.cust1), bj(2026, 3, 10, 10, 30));
    add_task(&f, f.staff2.user_id, Some(f.cust2), bj(2026, 3, 9, 10, 0));
    add_feedback(
        &f,
        "escalated_level_1",
        Some(f.staff1.user_id),
        Some(f.dept1),
    );
    let now = bj(2026, 3, 10, 10, 0);
    let first = tick(&f.conn, now).unwrap();
    let keys = |v: &[Candidate]| {
        let mut k: Vec<_> = v.iter().map(Candidate::dedup_key).collect();
        k.sort();
        k
    };
    let second = scheduler_candidates(&f.conn, now).unwrap();
    assert_eq!(keys(&first), keys(&second));
    let kinds: HashSet<_> = first.iter().map(|c| c.kind.as_str()).collect();
    for k in ["task", "callback", "care", "feedback_resolution"] {
        assert!(kinds.contains(k), "{k} in {kinds:?}");
    }
    let recorded = crate::reminder::store::record(&f.conn, now, &first).unwrap();
    assert_eq!(recorded.len(), first.len());
    let again = scheduler_candidates(&f.conn, now + Duration::minutes(1)).unwrap();
    assert_eq!(keys(&again), keys(&first));
    assert!(
        crate::reminder::store::record(&f.conn, now + Duration::minutes(1), &again)
            .unwrap()
            .is_empty(),
        "nothing announced twice"
    );
    let _ = cal;
}

#[test]
fn plans_calendar_respects_scope_and_filters() {
    let (f, cal) = setup();
    set_customer(&f, f.cust1, "signed", "A", Some("2025-04-10"));
    set_customer(&f, f.cust2, "signed", "A", Some("2025-04-10"));
    // Last call-backs on 10 March: the next ones on 10 April.
    log_callback(&f, f.cust1, bj(2026, 3, 10, 10, 0), f.staff1.user_id);
    log_callback(&f, f.cust2, bj(2026, 3, 10, 10, 0), f.staff2.user_id);
    let now = bj(2026, 3, 20, 9, 0);
    ensure_callback_tasks(&f.conn, now, &cal).unwrap();
    let own_task = add_task(&f, f.staff1.user_id, Some(f.cust1), bj(2026, 4, 2, 10, 0));
    add_task(&f, f.staff2.user_id, Some(f.cust2), bj(2026, 4, 3, 10, 0));
    let fb = add_feedback(&f, "on_track", Some(f.staff1.user_id), Some(f.dept1));
    f.conn
        .execute(
            "UPDATE feedback_items SET resolution_due_at = ?1 WHERE id = ?2",
            params![bj(2026, 4, 15, 10, 0).timestamp(), fb],
        )
        .unwrap();
    let (from, to) = (day(2026, 4, 1), day(2026, 4, 30));
    let all = EntryFilter::default();
    let staff1 = calendar_entries(&f.conn, &f.staff1, from, to, &all).unwrap();
    let kinds: Vec<_> = staff1.iter().map(|e| (e.date, e.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (day(2026, 4, 2), PlanKind::Task),
            // All-day entries first.
            (day(2026, 4, 10), PlanKind::Care),
            (day(2026, 4, 10), PlanKind::Callback),
            (day(2026, 4, 15), PlanKind::FeedbackDeadline),
        ]
    );
    assert_eq!(staff1[0].item_id, own_task);
    assert_eq!(staff1[0].owner_name.as_deref(), Some("张经理"));
    assert_eq!(staff1[1].title, "合作 1 周年");
    assert!(staff1.iter().all(|e| e.customer_id != Some(f.cust2)));
    let head = calendar_entries(&f.conn, &f.head1, from, to, &all).unwrap();
    assert_eq!(head.len(), 4, "department 2 stays out of the head's view");
    let admin = calendar_entries(&f.conn, &f.admin, from, to, &all).unwrap();
    assert_eq!(admin.len(), 7);
    let only = EntryFilter {
        owner: Some(f.staff2.user_id),
        kinds: vec![PlanKind::Callback, PlanKind::Task],
    };
    let filtered = calendar_entries(&f.conn, &f.admin, from, to, &only).unwrap();
    assert_eq!(filtered.len(), 2);
    assert!(filtered.iter().all(|e| e.owner == Some(f.staff2.user_id)));
    assert_eq!(
        calendar_entries(&f.conn, &f.admin, to, from, &all)
            .unwrap_err()
            .code(),
        "plan.range_invalid"
    );
    // Holidays show once with the number of customers in view.
    let oct =
        calendar_entries(&f.conn, &f.staff1, day(2026, 10, 1), day(2026, 10, 1), &all).unwrap();
    assert_eq!(oct.len(), 1);
    assert_eq!(oct[0].title, "国庆节（1 位客户）");
}

#[test]
fn scheduler_speed_with_50k_tasks() {
    let (f, _) = setup();
    let tx = f.conn.unchecked_transaction().unwrap();
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO tasks (title, owner_user_id, due_at, customer_id, status, created_at, updated_at)
                 VALUES ('任务', ?1, ?2, ?3, ?4, 0, 0)",
            )
            .unwrap();
        let base = bj(2025, 1, 1, 0, 0).timestamp();
        for i in 0..50_000i64 {
            let owner = [f.staff1.user_id, f.staff1b.user_id, f.staff2.user_id][(i % 3) as usize];
            // Spread over two years, one in five done.
            let due = base + (i * 1_264) % (2 * 365 * 86_400);
            let status = if i % 5 == 0 { "done" } else { "open" };
            insert
                .execute(params![owner, due, f.cust1, status])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    let now = bj(2026, 3, 10, 10, 0);
    scheduler_candidates(&f.conn, now).unwrap();
    let start = std::time::Instant::now();
    let runs = 5;
    let mut n = 0;
    for _ in 0..runs {
        n = scheduler_candidates(&f.conn, now).unwrap().len();
    }
    let per = start.elapsed() / runs;
    eprintln!("scheduler_candidates over 50k tasks: {per:?} per call, {n} candidates");
    assert!(n > 0);
}

#[test]
fn onboarding_runs_inside_the_callers_transaction() {
    let (f, cal) = setup();
    let now = bj(2026, 3, 10, 10, 0);
    let tx = f.conn.unchecked_transaction().unwrap();
    set_customer(&f, f.cust1, "signed", "A", None);
    assert_eq!(
        start_onboarding(&tx, now, Some(&f.staff1), f.cust1, &cal)
            .unwrap()
            .len(),
        5
    );
    // A failure leaves the enclosing transaction usable and writes nothing of its own.
    assert!(start_onboarding(&tx, now, None, f.cust1b, &cal).is_err());
    tx.rollback().unwrap();
    assert_eq!(count_tasks(&f), 0, "rolled back with the caller");
    assert_eq!(
        start_onboarding(&f.conn, now, None, f.cust1, &cal)
            .unwrap_err()
            .code(),
        "plan.customer_not_signed"
    );
}

fn add_change_request(f: &Fixture, customer: i64, at: DateTime<Utc>) -> i64 {
    f.conn
        .execute(
            "INSERT INTO change_requests (customer_id, field, old_value, new_value, reason,
                 requested_by, requested_at)
             VALUES (?1, 'annual_amount', '100', '200', '续约加量', ?2, ?3)",
            params![customer, f.staff1.user_id, at.timestamp()],
        )
        .unwrap();
    f.conn.last_insert_rowid()
}

#[test]
fn change_requests_waiting_a_day_remind_their_deciders_once() {
    let (f, _) = setup();
    let asked = bj(2026, 3, 9, 10, 0);
    // cust1: owner in department 1 (head1 decides); cust2: department 2 has no head.
    let r1 = add_change_request(&f, f.cust1, asked);
    let r2 = add_change_request(&f, f.cust2, asked);
    let who = |now| {
        let mut v: Vec<_> = change_request_candidates(&f.conn, now)
            .unwrap()
            .into_iter()
            .map(|c| (c.item_id, c.recipient_user_id, c.stage, c.kind))
            .collect();
        v.sort_by_key(|c| (c.0, c.1));
        v
    };
    assert!(
        who(bj(2026, 3, 10, 10, 0)).is_empty(),
        "24 h is not yet over"
    );
    let cr = |id, user| (id, user, Stage::Overdue, "change_request".to_string());
    let mut want = vec![
        cr(r1, f.head1.user_id),
        cr(r1, f.admin.user_id),
        cr(r2, f.admin.user_id),
    ];
    want.sort_by_key(|c| (c.0, c.1));
    let late = bj(2026, 3, 10, 10, 1);
    assert_eq!(who(late), want);
    // Through the scheduler: recorded once, never again on later ticks or after a restart.
    let first = crate::reminder::sources::run(&f.conn, late).unwrap();
    let recorded: Vec<_> = first
        .iter()
        .filter(|r| r.kind == "change_request")
        .collect();
    assert_eq!(recorded.len(), 3);
    assert_eq!(recorded[0].title, "科技有限公司");
    assert_eq!(recorded[0].body, "续约加量");
    let again = crate::reminder::sources::run(&f.conn, late + Duration::hours(5)).unwrap();
    assert!(again.iter().all(|r| r.kind != "change_request"));
    // Decided: no longer current, and the undelivered reminders are superseded.
    f.conn
        .execute(
            "UPDATE change_requests SET status = 'approved' WHERE id IN (?1, ?2)",
            params![r1, r2],
        )
        .unwrap();
    assert!(who(late + Duration::hours(6)).is_empty());
    crate::reminder::sources::run(&f.conn, late + Duration::hours(6)).unwrap();
    let pending = crate::reminder::store::pending_for(&f.conn, f.head1.user_id).unwrap();
    assert!(pending.iter().all(|r| r.kind != "change_request"));
}

#[test]
fn escalations_reach_heads_only_in_business_hours() {
    use crate::reminder::policy::{Hold, Prefs, plan_delivery};
    let (f, cal) = setup();
    add_feedback(
        &f,
        "escalated_level_1",
        Some(f.staff1.user_id),
        Some(f.dept1),
    );
    add_feedback(&f, "breached", Some(f.staff1.user_id), Some(f.dept1));
    // Wednesday 18 March, 21:00 in Beijing: after hours.
    let evening = bj(2026, 3, 18, 21, 0);
    crate::reminder::sources::run(&f.conn, evening).unwrap();
    let head = crate::reminder::store::pending_for(&f.conn, f.head1.user_id).unwrap();
    assert_eq!(head.len(), 1);
    assert_eq!(head[0].stage, Stage::Escalated1);
    let plan = plan_delivery(&head, &Prefs::default(), &cal, evening, 3);
    assert_eq!(plan.held, vec![(head[0].id, Hold::OutsideBusinessHours)]);
    // The assignee's breach notice is not an escalation: it goes out at once.
    let staff = crate::reminder::store::pending_for(&f.conn, f.staff1.user_id).unwrap();
    let plan = plan_delivery(&staff, &Prefs::default(), &cal, evening, 3);
    assert_eq!(plan.individual.len(), 1);
    assert_eq!(plan.individual[0].stage, Stage::Overdue);
    // Next morning at 09:00 the head's escalation goes out.
    let morning = bj(2026, 3, 19, 9, 0);
    crate::reminder::sources::run(&f.conn, morning).unwrap();
    let head = crate::reminder::store::pending_for(&f.conn, f.head1.user_id).unwrap();
    let plan = plan_delivery(&head, &Prefs::default(), &cal, morning, 3);
    assert!(plan.held.is_empty());
    assert_eq!(plan.individual.len(), 1);
}

#[test]
fn catch_up_after_downtime_is_one_summary_then_nothing_again() {
    use crate::reminder::policy::{Prefs, plan_delivery};
    use crate::reminder::{sources, store as inbox};
    let (f, cal) = setup();
    // The app last ran on Monday 16 March; five tasks and two feedback deadlines came due
    // while it was closed.
    let before = bj(2026, 3, 16, 9, 0);
    for h in 10..15 {
        add_task(&f, f.staff1.user_id, Some(f.cust1), bj(2026, 3, 17, h, 0));
    }
    add_feedback(&f, "breached", Some(f.staff1.user_id), Some(f.dept1));
    add_feedback(&f, "breached", Some(f.staff1.user_id), Some(f.dept1));
    f.conn
        .execute("UPDATE feedback_items SET notified_stage = 'on_track'", [])
        .unwrap();
    let first = sources::run(&f.conn, before).unwrap();
    assert!(
        first
            .iter()
            .all(|r| r.recipient_user_id != f.staff1.user_id || r.kind != "task"),
        "nothing due yet"
    );
    for r in &first {
        inbox::mark_delivered(&f.conn, &[r.id], before).unwrap();
    }
    // Restart on Thursday morning: each item is recorded once, at its current stage only.
    let back = bj(2026, 3, 19, 9, 30);
    f.conn
        .execute("UPDATE feedback_items SET notified_stage = 'breached'", [])
        .unwrap();
    sources::run(&f.conn, back).unwrap();
    let pending = inbox::pending_for(&f.conn, f.staff1.user_id).unwrap();
    let tasks = pending.iter().filter(|r| r.kind == "task").count();
    let feedback = pending
        .iter()
        .filter(|r| r.kind.starts_with("feedback"))
        .count();
    assert_eq!((tasks, feedback), (5, 2), "{pending:?}");
    assert!(
        pending
            .iter()
            .filter(|r| r.kind == "task")
            .all(|r| r.stage == Stage::Overdue),
        "no due-soon or due stages replayed for the time away"
    );
    // One summary notification instead of seven.
    let plan = plan_delivery(&pending, &Prefs::default(), &cal, back, 3);
    assert!(plan.individual.is_empty());
    let mut summary = plan.summary.clone().unwrap();
    summary.sort();
    assert_eq!(
        summary,
        vec![
            ("feedback_response".to_string(), 2),
            ("task".to_string(), 5)
        ]
    );
    assert_eq!(plan.summarised.len(), 7);
    inbox::mark_delivered(&f.conn, &plan.summarised, back).unwrap();
    // Another restart a minute later: nothing new, nothing pending.
    assert!(
        sources::run(&f.conn, back + Duration::minutes(1))
            .unwrap()
            .iter()
            .all(|r| r.recipient_user_id != f.staff1.user_id)
    );
    assert!(
        inbox::pending_for(&f.conn, f.staff1.user_id)
            .unwrap()
            .is_empty()
    );
}
