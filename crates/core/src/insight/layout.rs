//! Writing sheets into XLSX workbooks, and the two seed table layouts that both the reports and
//! the list exports use: table 2 老客户回访记录表 (call-back records) and table 3 客户投诉处理表
//! (complaint handling). One writer for both, so a report's detail sheet and an exported list
//! have the same columns. Text is always written as a string cell, never as a formula, so a
//! note like `=cmd|…` stays text in the spreadsheet.

use super::report::{CallbackRow, ComplaintRow};
use crate::{Error, Result};

/// One cell of an exported sheet.
pub(super) enum Cell {
    Text(String),
    Num(f64),
    Empty,
}

/// A text cell; empty text leaves the cell empty.
pub(super) fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

/// A number cell, or an empty one.
pub(super) fn num(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Num)
}

/// A count.
pub(super) fn int(v: i64) -> Cell {
    Cell::Num(v as f64)
}

/// One decimal place.
pub(super) fn round1(v: Option<f64>) -> Option<f64> {
    v.map(|x| (x * 10.0).round() / 10.0)
}

/// 是/否 or yes/no; empty while undecided.
pub(super) fn yes_no(v: Option<bool>, zh: bool) -> Cell {
    v.map_or(Cell::Empty, |v| {
        text(pick(
            zh,
            if v { "是" } else { "否" },
            if v { "yes" } else { "no" },
        ))
    })
}

/// Seconds as hours with one decimal.
pub(super) fn hours(secs: Option<i64>) -> Cell {
    num(secs.map(|s| (s as f64 / 360.0).round() / 10.0))
}

/// The Chinese or the English text.
pub(super) fn pick(zh: bool, a: &'static str, b: &'static str) -> &'static str {
    if zh { a } else { b }
}

/// A named sheet: a bold header row, then the rows.
pub(super) struct Sheet {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The sheets as one workbook, the header row frozen on each.
pub(super) fn write(sheets: Vec<Sheet>) -> Result<Vec<u8>> {
    let x = |e: rust_xlsxwriter::XlsxError| Error::Io(std::io::Error::other(e.to_string()));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.name).map_err(x)?;
        for (c, h) in s.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)
                .map_err(x)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Text(t) => {
                        ws.write_string(r, c, t).map_err(x)?;
                    }
                    Cell::Num(n) => {
                        ws.write_number(r, c, *n).map_err(x)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0).map_err(x)?;
    }
    wb.save_to_buffer().map_err(x)
}

/// A feedback status as people read it (the stored code when unknown).
fn status_label(code: &str, zh: bool) -> String {
    let (a, b) = match code {
        "new" => ("待受理", "New"),
        "in_progress" => ("处理中", "In progress"),
        "awaiting_customer" => ("待客户确认", "Awaiting customer"),
        "closed" => ("已闭环", "Closed"),
        "duplicate" => ("重复", "Duplicate"),
        other => return other.to_string(),
    };
    pick(zh, a, b).to_string()
}

/// A feedback channel as people read it (the stored code when unknown).
fn channel_label(code: &str, zh: bool) -> String {
    crate::feedback::Channel::parse(code).map_or_else(
        |_| code.to_string(),
        |c| {
            let (_, a, b) = c.labels();
            pick(zh, a, b).to_string()
        },
    )
}

/// A kind of compensation as people read it (the stored code when unknown).
fn compensation_label(code: &str, zh: bool) -> String {
    let (a, b) = match code {
        "refund" => ("退款", "Refund"),
        "exchange" => ("换货", "Exchange"),
        "service_extension" => ("延长服务期", "Service extension"),
        "other" => ("其他", "Other"),
        other => return other.to_string(),
    };
    pick(zh, a, b).to_string()
}

/// Table 3 客户投诉处理表, one row per item.
pub(super) fn complaints_sheet(rows: &[ComplaintRow], zh: bool) -> Sheet {
    Sheet {
        name: pick(zh, "客户投诉处理表", "Complaints"),
        headers: if zh {
            vec![
                "编号",
                "投诉客户名称",
                "投诉日期",
                "投诉渠道",
                "投诉人",
                "投诉事由",
                "投诉内容",
                "发生时间",
                "影响范围",
                "客户期望",
                "调查结果",
                "责任部门",
                "问题原因",
                "解决方案",
                "补偿方式",
                "补偿金额",
                "处理人",
                "状态",
                "结案日期",
                "按时响应",
                "按时解决",
                "客户满意度评分(1-5分)",
            ]
        } else {
            vec![
                "Number",
                "Customer",
                "Date",
                "Channel",
                "Raised by",
                "Sub-category",
                "Description",
                "Occurred",
                "Impact",
                "Expectation",
                "Investigation",
                "Department",
                "Root cause",
                "Solution",
                "Compensation",
                "Amount",
                "Handler",
                "Status",
                "Closed",
                "Responded on time",
                "Resolved on time",
                "Satisfaction (1-5)",
            ]
        },
        rows: rows
            .iter()
            .map(|c| {
                vec![
                    text(c.number.clone()),
                    text(c.customer.clone()),
                    text(c.date.to_string()),
                    text(channel_label(&c.channel, zh)),
                    text(c.contact.clone()),
                    text(if zh {
                        c.category_zh.clone()
                    } else {
                        c.category_en.clone()
                    }),
                    text(c.description.clone()),
                    text(c.occurred_on.map(|d| d.to_string()).unwrap_or_default()),
                    text(c.impact.clone()),
                    text(c.expectation.clone()),
                    text(c.investigation.clone()),
                    text(c.department.clone()),
                    text(c.root_cause.clone()),
                    text(c.solution.clone()),
                    text(
                        c.compensation_kind
                            .as_deref()
                            .map(|k| compensation_label(k, zh))
                            .unwrap_or_default(),
                    ),
                    if c.compensation.0 == 0 {
                        Cell::Empty
                    } else {
                        text(c.compensation.to_decimal_string())
                    },
                    text(c.assignee.clone()),
                    text(status_label(&c.status, zh)),
                    text(c.closed_on.map(|d| d.to_string()).unwrap_or_default()),
                    yes_no(c.response_on_time, zh),
                    yes_no(c.resolved_on_time, zh),
                    num(c.satisfaction.map(|s| s as f64)),
                ]
            })
            .collect(),
    }
}

/// Table 2 老客户回访记录表, one row per call-back (or other interaction).
pub(super) fn callbacks_sheet(rows: &[CallbackRow], zh: bool) -> Sheet {
    Sheet {
        name: pick(zh, "老客户回访记录表", "Call-backs"),
        headers: if zh {
            vec![
                "客户名称",
                "客户等级",
                "回访日期",
                "回访方式",
                "回访人",
                "回访目标",
                "客户反馈(需求/建议/问题)",
                "待办事项",
                "责任部门",
                "责任人",
                "完成时限",
                "客户满意度评分(1-5分)",
                "备注",
            ]
        } else {
            vec![
                "Customer",
                "Tier",
                "Date",
                "Method",
                "Caller",
                "Goal",
                "Feedback (needs / suggestions / problems)",
                "To do",
                "Department",
                "Owner",
                "Due",
                "Satisfaction (1-5)",
                "Notes",
            ]
        },
        rows: rows
            .iter()
            .map(|c| {
                vec![
                    text(c.customer.clone()),
                    text(c.tier.clone()),
                    text(c.date.to_string()),
                    text(if zh {
                        c.method_zh.clone()
                    } else {
                        c.method_en.clone()
                    }),
                    text(c.caller.clone()),
                    text(c.goal.clone()),
                    text(c.feedback.clone()),
                    text(c.todo.clone()),
                    text(c.department.clone()),
                    text(c.owner.clone()),
                    text(c.due.map(|d| d.to_string()).unwrap_or_default()),
                    num(c.satisfaction.map(|s| s as f64)),
                    text(c.note.clone()),
                ]
            })
            .collect(),
    }
}
