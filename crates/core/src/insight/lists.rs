//! The feedback pool and the interaction list exported as XLSX in the seed's table layouts:
//! the feedback list (its filters, every matching item the person may see) as table 3
//! 客户投诉处理表, the interaction list (its filters; usually "call-backs of last quarter") as
//! table 2 老客户回访记录表. The rows come from the same conditions as the lists on screen, so
//! an export holds what the list shows, and the columns from the same writer as the reports'
//! detail sheets ([`super::layout`]).

use super::layout::{callbacks_sheet, complaints_sheet, write};
use super::queries::{CALLBACK_ROW_COLUMNS, callback_row, local_date};
use super::report::ComplaintRow;
use crate::account::Actor;
use crate::calendar::store::parse_time_zone;
use crate::feedback::{FeedbackFilter, FeedbackItem};
use crate::interaction::{InteractionFilter, list_condition};
use crate::permission::Action;
use crate::{Error, Result, team};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use std::collections::HashMap;

/// The most rows one export writes: a spreadsheet past this is no longer read by people, and
/// building it would hold the database for a long time. A larger list asks for a narrower filter.
pub const MAX_EXPORT_ROWS: usize = 100_000;

fn too_many() -> Error {
    Error::invalid(
        "export.too_many_rows",
        "filter",
        format!("more than {MAX_EXPORT_ROWS} rows match; narrow the filter (a shorter period)"),
    )
}

fn team_tz(conn: &Connection) -> Result<Tz> {
    parse_time_zone(&team::time_zone(conn)?)
}

/// The file name an export is offered under, stamped with the team-local time.
fn file_name(prefix: &str, now: DateTime<Utc>, tz: Tz) -> String {
    format!(
        "{prefix}-{}.xlsx",
        now.with_timezone(&tz).format("%Y%m%d-%H%M%S")
    )
}

/// Names read once per id for the rows of one export.
struct Names<'c> {
    conn: &'c Connection,
    cache: HashMap<(&'static str, i64), (String, String)>,
}

impl<'c> Names<'c> {
    fn new(conn: &'c Connection) -> Self {
        Names {
            conn,
            cache: HashMap::new(),
        }
    }

    /// `(first, second)` column of `sql` for `id` (empty when the row is gone).
    fn get(&mut self, sql: &'static str, id: i64) -> Result<(String, String)> {
        if let Some(v) = self.cache.get(&(sql, id)) {
            return Ok(v.clone());
        }
        let v = self
            .conn
            .prepare_cached(sql)?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or_default();
        self.cache.insert((sql, id), v.clone());
        Ok(v)
    }

    fn one(&mut self, sql: &'static str, id: Option<i64>) -> Result<String> {
        Ok(match id {
            Some(id) => self.get(sql, id)?.0,
            None => String::new(),
        })
    }
}

const CUSTOMER: &str = "SELECT name, '' FROM customers WHERE id = ?1";
const CONTACT: &str = "SELECT name, '' FROM contacts WHERE id = ?1";
const CATEGORY: &str = "SELECT name_zh, name_en FROM feedback_categories WHERE id = ?1";
const DEPARTMENT: &str = "SELECT name, '' FROM departments WHERE id = ?1";
const USER: &str = "SELECT display_name, '' FROM users WHERE id = ?1";

/// One item as a row of table 3.
fn complaint_row(names: &mut Names<'_>, item: &FeedbackItem, tz: Tz) -> Result<ComplaintRow> {
    let customer = match item.customer_id {
        Some(id) => names.get(CUSTOMER, id)?.0,
        None => item.unknown_name.clone(),
    };
    let (category_zh, category_en) = names.get(CATEGORY, item.category_id)?;
    let department = item.responsible_department_id.or(item.lead_department_id);
    Ok(ComplaintRow {
        number: item.number.clone(),
        customer,
        date: item.created_at.with_timezone(&tz).date_naive(),
        channel: item.channel.as_str().to_string(),
        contact: names.one(CONTACT, item.contact_id)?,
        category_zh,
        category_en,
        description: item.description.clone(),
        occurred_on: item.occurred_at.map(|t| t.with_timezone(&tz).date_naive()),
        impact: item.impact.clone(),
        expectation: item.customer_expectation.clone(),
        investigation: item.investigation_result.clone(),
        department: names.one(DEPARTMENT, department)?,
        root_cause: item.root_cause.clone(),
        solution: item.solution.clone(),
        compensation_kind: item.compensation_kind.map(|k| k.as_str().to_string()),
        compensation: item.compensation_amount,
        assignee: names.one(USER, item.assignee_user_id)?,
        status: item.status.as_str().to_string(),
        closed_on: item.sla.resolved_at.map(|t| local_date(t.timestamp(), tz)),
        response_on_time: item.sla.response_met,
        resolved_on_time: item.sla.resolution_met,
        satisfaction: item.satisfaction_score.map(i64::from),
    })
}

/// The feedback list as filtered (every matching item the actor may see, oldest first) as an
/// XLSX workbook in table 3's layout, headers in `lang` (`zh-CN` default, or `en`); returns the
/// file name to offer and the bytes. Needs `ReportExport`.
pub fn export_feedback(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    filter: &FeedbackFilter,
    lang: &str,
) -> Result<(String, Vec<u8>)> {
    actor.require(Action::ReportExport)?;
    let tz = team_tz(conn)?;
    let all = FeedbackFilter {
        limit: Some(MAX_EXPORT_ROWS + 1),
        ..filter.clone()
    };
    let mut items = crate::feedback::list(conn, now, actor, &all)?;
    if items.len() > MAX_EXPORT_ROWS {
        return Err(too_many());
    }
    items.reverse();
    let mut names = Names::new(conn);
    let rows = items
        .iter()
        .map(|i| complaint_row(&mut names, i, tz))
        .collect::<Result<Vec<_>>>()?;
    let zh = !lang.starts_with("en");
    Ok((
        file_name("feedback", now, tz),
        write(vec![complaints_sheet(&rows, zh)])?,
    ))
}

/// The interaction list as filtered (every matching interaction in the actor's scope, oldest
/// first; the filter's page is ignored) as an XLSX workbook in table 2's layout, headers in
/// `lang`; returns the file name to offer and the bytes. Needs `ReportExport`.
pub fn export_interactions(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    filter: &InteractionFilter,
    lang: &str,
) -> Result<(String, Vec<u8>)> {
    actor.require(Action::InteractionView)?;
    actor.require(Action::ReportExport)?;
    let tz = team_tz(conn)?;
    let (cond, args) = list_condition(actor, filter);
    let mut stmt = conn.prepare(&format!(
        "SELECT {CALLBACK_ROW_COLUMNS} WHERE {cond}
         ORDER BY i.occurred_at, i.id LIMIT {}",
        MAX_EXPORT_ROWS + 1
    ))?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), |r| callback_row(r, tz))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if rows.len() > MAX_EXPORT_ROWS {
        return Err(too_many());
    }
    let zh = !lang.starts_with("en");
    Ok((
        file_name("callbacks", now, tz),
        write(vec![callbacks_sheet(&rows, zh)])?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::NewFeedback;
    use crate::interaction::{InteractionInput, Todo, log_interaction};
    use crate::testutil::{Fixture, add_contact};
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    use serde_json::json;

    fn rows(bytes: &[u8], sheet: &str) -> Vec<Vec<Data>> {
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let range = wb.worksheet_range(sheet).unwrap();
        range.rows().map(|r| r.to_vec()).collect()
    }

    fn s(v: &str) -> Data {
        Data::String(v.into())
    }

    /// Monday 2 March 2026, 10:00 in Shanghai.
    fn now() -> DateTime<Utc> {
        crate::testutil::t(2026, 3, 2, 2, 0)
    }

    fn category(f: &Fixture, code: &str) -> i64 {
        f.conn
            .query_row(
                "SELECT id FROM feedback_categories WHERE code = ?1",
                [code],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn complaint(f: &Fixture, customer: i64, contact: Option<i64>, text: &str, at: DateTime<Utc>) {
        let input: NewFeedback = serde_json::from_value(json!({
            "customer_id": customer,
            "contact_id": contact,
            "channel": "email",
            "category_id": category(f, "service_quality"),
            "priority": "important",
            "description": text,
            "impact": "全部门店",
        }))
        .unwrap();
        crate::feedback::create(&f.conn, at, &f.admin, &input).unwrap();
    }

    #[test]
    fn the_feedback_list_exports_in_table_3_layout_within_filter_and_scope() {
        let f = Fixture::new();
        crate::calendar::store::save_weekly_hours(
            &f.conn,
            &crate::calendar::WeeklyHours::default_china_with_lunch(),
        )
        .unwrap();
        let k = add_contact(&f.conn, f.cust1, "赵主任", "采购", true);
        complaint(&f, f.cust1, Some(k), "=cmd|' /C calc'!A0", now());
        complaint(
            &f,
            f.cust2,
            None,
            "<script>alert(1)</script>",
            now() + chrono::Duration::hours(1),
        );
        let (name, bytes) = export_feedback(
            &f.conn,
            now(),
            &f.admin,
            &FeedbackFilter::default(),
            "zh-CN",
        )
        .unwrap();
        assert_eq!(name, "feedback-20260302-100000.xlsx");
        let r = rows(&bytes, "客户投诉处理表");
        assert_eq!(r.len(), 3, "header and two items, oldest first");
        assert_eq!(r[0][1], s("投诉客户名称"));
        assert_eq!(r[1][0], s("FK-2026-00001"));
        assert_eq!(r[1][1], s("科技有限公司"));
        assert_eq!(r[1][2], s("2026-03-02"));
        assert_eq!(r[1][3], s("邮件"));
        assert_eq!(r[1][4], s("赵主任"));
        // Formula-looking and markup text stays text, verbatim.
        assert_eq!(r[1][6], s("=cmd|' /C calc'!A0"));
        assert_eq!(r[2][6], s("<script>alert(1)</script>"));
        assert_eq!(r[1][8], s("全部门店"));
        assert_eq!(r[1][17], s("待受理"));
        assert_eq!(r[2][1], s("制造有限公司"));

        // The list's filters apply: created from 10:30 on leaves the second item only.
        let later = FeedbackFilter {
            created_from: Some(now() + chrono::Duration::minutes(30)),
            ..FeedbackFilter::default()
        };
        let (_, bytes) = export_feedback(&f.conn, now(), &f.admin, &later, "en").unwrap();
        let r = rows(&bytes, "Complaints");
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0][1].clone(), r[1][1].clone()),
            (s("Customer"), s("制造有限公司"))
        );
        assert_eq!(r[1][3], s("Email"));
        assert_eq!(r[1][17], s("New"));

        // A viewer exports everything; staff may not export at all.
        let (_, bytes) = export_feedback(
            &f.conn,
            now(),
            &f.viewer,
            &FeedbackFilter::default(),
            "zh-CN",
        )
        .unwrap();
        assert_eq!(rows(&bytes, "客户投诉处理表").len(), 3);
        assert!(matches!(
            export_feedback(
                &f.conn,
                now(),
                &f.staff1,
                &FeedbackFilter::default(),
                "zh-CN"
            ),
            Err(Error::Forbidden(_))
        ));
    }

    fn log(f: &mut Fixture, customer: i64, channel: &str, subject: &str, todos: &[Todo]) {
        let input: InteractionInput = serde_json::from_value(json!({
            "occurred_at": now() - chrono::Duration::days(1),
            "channel": channel,
            "subject": subject,
            "key_points": "希望增加培训",
            "customer_needs": "季度对账",
            "commitments": "下周发报价",
            "next_step": "月底再访",
            "satisfaction": 4,
        }))
        .unwrap();
        let admin = f.admin.clone();
        log_interaction(&mut f.conn, now(), &admin, customer, &input, todos).unwrap();
    }

    #[test]
    fn the_interaction_list_exports_in_table_2_layout_within_filter_and_scope() {
        let mut f = Fixture::new();
        let due = now() + chrono::Duration::days(3);
        let todo = Todo {
            title: "寄送样品".into(),
            owner_user_id: f.staff1.user_id,
            due_at: due,
            notes: String::new(),
        };
        let (c1, c2) = (f.cust1, f.cust2);
        log(&mut f, c1, "callback", "季度回访", &[todo]);
        log(&mut f, c2, "visit", "上门拜访", &[]);
        let filter = InteractionFilter {
            channels: vec!["callback".into()],
            ..InteractionFilter::default()
        };
        let (name, bytes) =
            export_interactions(&f.conn, now(), &f.admin, &filter, "zh-CN").unwrap();
        assert_eq!(name, "callbacks-20260302-100000.xlsx");
        let r = rows(&bytes, "老客户回访记录表");
        assert_eq!(r.len(), 2, "the visit is filtered out");
        assert_eq!(r[0][6], s("客户反馈(需求/建议/问题)"));
        assert_eq!(r[1][0], s("科技有限公司"));
        assert_eq!(r[1][2], s("2026-03-01"));
        assert_eq!(r[1][3], s("回访"));
        assert_eq!(r[1][4], s("管理员"));
        assert_eq!(r[1][5], s("季度回访"));
        assert_eq!(r[1][6], s("希望增加培训；季度对账"));
        assert_eq!(r[1][7], s("下周发报价；寄送样品"));
        assert_eq!(r[1][8], s("销售部"));
        assert_eq!(r[1][9], s("张经理"));
        assert_eq!(r[1][10], s("2026-03-05"));
        assert_eq!(r[1][11], Data::Float(4.0));
        assert_eq!(r[1][12], s("月底再访"));

        // Every channel, in English; a head sees only their department's customers.
        let all = InteractionFilter::default();
        let (_, bytes) = export_interactions(&f.conn, now(), &f.admin, &all, "en").unwrap();
        let r = rows(&bytes, "Call-backs");
        assert_eq!(r.len(), 3);
        assert_eq!(r[2][3], s("Visit"));
        let (_, bytes) = export_interactions(&f.conn, now(), &f.head1, &all, "zh-CN").unwrap();
        assert_eq!(rows(&bytes, "老客户回访记录表").len(), 2);
        assert!(matches!(
            export_interactions(&f.conn, now(), &f.staff1, &all, "zh-CN"),
            Err(Error::Forbidden(_))
        ));
    }
}
