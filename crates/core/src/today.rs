//! The Today page, the landing page after log-in: what needs the person's attention now, in
//! the team's time zone. Today it holds the person's tasks (overdue, due today, due later this
//! week); call-backs, care dates, feedback deadlines and change requests are further sections
//! other modules add to [`Today`] as they land.

use crate::account::Actor;
use crate::calendar::store::parse_time_zone;
use crate::page::{MAX_PAGE, Page};
use crate::task::{Task, TaskFilter, TaskStatus, TaskView, attention_at, list_tasks};
use crate::{Result, team};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// Everything the Today page shows. Each section is a list (empty when there is nothing to do:
/// the UI shows what to do next instead); new sections are added as new fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Today {
    /// Today's date in the team's time zone.
    pub date: NaiveDate,
    /// The team's time zone.
    pub time_zone: String,
    /// My open tasks past due (not snoozed), oldest first.
    pub overdue_tasks: Vec<Task>,
    /// My open tasks due from now until midnight.
    pub due_today: Vec<Task>,
    /// My open tasks due after today until the end of Sunday.
    pub due_this_week: Vec<Task>,
}

/// The instants that split a day and a week in `tz`: the start of today, the start of tomorrow
/// and the start of next Monday (local midnights).
pub fn day_bounds(now: DateTime<Utc>, tz: Tz) -> (NaiveDate, DateTime<Utc>, DateTime<Utc>) {
    let today = now.with_timezone(&tz).date_naive();
    let tomorrow = today + Duration::days(1);
    let next_monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    (
        today,
        local_midnight(tomorrow, tz),
        local_midnight(next_monday, tz),
    )
}

/// The first instant of `day` in `tz` (the earliest, should midnight be ambiguous or skipped).
pub(crate) fn local_midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let naive = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_else(|| naive.and_utc())
}

/// Sort open tasks into the three task sections by when they ask for attention (due time, or
/// the end of a snooze). Pure: tasks due after this week are left out.
pub fn bucket_tasks(
    tasks: Vec<Task>,
    now: DateTime<Utc>,
    tz: Tz,
) -> (Vec<Task>, Vec<Task>, Vec<Task>) {
    let (_, end_of_today, end_of_week) = day_bounds(now, tz);
    let mut tasks: Vec<(DateTime<Utc>, Task)> = tasks
        .into_iter()
        .filter(|t| t.status == TaskStatus::Open)
        .map(|t| (attention_at(t.due_at, t.snoozed_until, now), t))
        .collect();
    tasks.sort_by_key(|(at, t)| (*at, t.id));
    let (mut overdue, mut today, mut week) = (Vec::new(), Vec::new(), Vec::new());
    for (at, t) in tasks {
        if at < now {
            overdue.push(t);
        } else if at < end_of_today {
            today.push(t);
        } else if at < end_of_week {
            week.push(t);
        }
    }
    (overdue, today, week)
}

/// The Today page for the actor at `now`.
pub fn today(conn: &rusqlite::Connection, now: DateTime<Utc>, actor: &Actor) -> Result<Today> {
    let tz_name = team::time_zone(conn)?;
    let tz = parse_time_zone(&tz_name)?;
    let (date, _, end_of_week) = day_bounds(now, tz);
    let mut mine = Vec::new();
    let mut filter = TaskFilter {
        view: TaskView::Mine,
        status: Some(TaskStatus::Open),
        due_before: Some(end_of_week),
        page: Page {
            offset: 0,
            limit: MAX_PAGE,
        },
        ..Default::default()
    };
    loop {
        let page = list_tasks(conn, now, actor, &filter)?;
        let n = page.items.len() as u32;
        mine.extend(page.items);
        if n < MAX_PAGE {
            break;
        }
        filter.page.offset += n;
    }
    let (overdue_tasks, due_today, due_this_week) = bucket_tasks(mine, now, tz);
    Ok(Today {
        date,
        time_zone: tz_name,
        overdue_tasks,
        due_today,
        due_this_week,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::task::{NewTask, complete_task, create_task, snooze_task};
    use crate::testutil::Fixture;
    use chrono_tz::Asia::Shanghai;

    fn bj(mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Shanghai
            .with_ymd_and_hms(2024, mo, d, h, mi, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn bounds_follow_the_team_time_zone() {
        // Tuesday 2024-03-05 01:00 in Beijing is still Monday in UTC.
        let now = bj(3, 5, 1, 0);
        let (date, end_today, end_week) = day_bounds(now, Shanghai);
        assert_eq!(date, NaiveDate::from_ymd_opt(2024, 3, 5).unwrap());
        assert_eq!(end_today, bj(3, 6, 0, 0));
        assert_eq!(end_week, bj(3, 11, 0, 0));
        // On a Sunday the week ends at midnight.
        let (_, end_today, end_week) = day_bounds(bj(3, 10, 12, 0), Shanghai);
        assert_eq!(end_today, end_week);
    }

    #[test]
    fn my_tasks_sorted_into_sections() {
        let f = Fixture::new();
        let created = bj(3, 1, 9, 0);
        let now = bj(3, 5, 10, 0); // Tuesday
        let me = &f.staff1;
        let add = |title: &str, owner: i64, due: DateTime<Utc>| {
            create_task(
                &f.conn,
                created,
                if owner == me.user_id { me } else { &f.staff2 },
                &NewTask {
                    title: title.into(),
                    notes: String::new(),
                    owner_user_id: owner,
                    due_at: due,
                    customer_id: Some(if owner == me.user_id {
                        f.cust1
                    } else {
                        f.cust2
                    }),
                },
            )
            .unwrap()
            .id
        };
        let yesterday = add("昨天到期", me.user_id, bj(3, 4, 18, 0));
        let this_morning = add("今早到期", me.user_id, bj(3, 5, 9, 0));
        let tonight = add("今晚到期", me.user_id, bj(3, 5, 23, 30));
        let thursday = add("周四到期", me.user_id, bj(3, 7, 10, 0));
        let sunday_night = add("周日晚", me.user_id, bj(3, 10, 23, 0));
        add("下周一", me.user_id, bj(3, 11, 0, 30));
        let snoozed = add("推迟到明天", me.user_id, bj(3, 3, 10, 0));
        snooze_task(&f.conn, created, me, snoozed, bj(3, 6, 9, 0)).unwrap();
        let done = add("已完成", me.user_id, bj(3, 5, 12, 0));
        complete_task(&f.conn, created, me, done, "").unwrap();
        add("别人的", f.staff2.user_id, bj(3, 5, 12, 0));

        let page = today(&f.conn, now, me).unwrap();
        assert_eq!(page.date, NaiveDate::from_ymd_opt(2024, 3, 5).unwrap());
        assert_eq!(page.time_zone, "Asia/Shanghai");
        let ids = |v: &[Task]| v.iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(ids(&page.overdue_tasks), vec![yesterday, this_morning]);
        assert!(page.overdue_tasks.iter().all(|t| t.overdue));
        assert_eq!(ids(&page.due_today), vec![tonight]);
        assert_eq!(
            ids(&page.due_this_week),
            vec![snoozed, thursday, sunday_night]
        );
        assert_eq!(
            page.due_today[0].customer_name.as_deref(),
            Some("科技有限公司")
        );

        // Someone with nothing to do gets empty sections.
        let empty = today(&f.conn, now, &f.viewer).unwrap();
        assert!(
            empty.overdue_tasks.is_empty()
                && empty.due_today.is_empty()
                && empty.due_this_week.is_empty()
        );
    }
}
