//! Exporting the current list (its filters, all pages) or everything to CSV (UTF-8 with BOM,
//! so Excel opens it) and XLSX, in table 1's column layout or the full layout. Cells that a
//! spreadsheet would run as formulas are neutralised: a leading apostrophe in CSV; in XLSX every
//! cell is written as a string, never as a formula.

use super::list::{ListQuery, where_clause};
use super::store::{COLUMNS, contacts_of, customer_from_row};
use super::tags::customer_tags;
use crate::account::Actor;
use crate::permission::Action;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};

/// Which columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExportLayout {
    /// 新客户信息登记表 (table 1), re-importable.
    #[default]
    Table1,
    /// Table 1 plus number, stage and tier.
    Full,
}

/// Table 1's headers.
pub const TABLE1_HEADERS: [&str; 17] = [
    "客户名称",
    "所属行业",
    "合作产品/服务",
    "合同金额",
    "对接人姓名",
    "职位",
    "联系电话",
    "邮箱",
    "首次合作日期",
    "合作期限",
    "客户标签",
    "信息来源",
    "首次合作反馈",
    "后续维护责任人",
    "联系方式",
    "最后跟进时间",
    "下次跟进计划",
];

/// Make a cell safe for spreadsheets: text starting with `=`, `+`, `-`, `@`, tab or CR gets a
/// leading apostrophe (CSV only).
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The exported table: headers and rows of text.
pub fn export_rows(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    query: &ListQuery,
    layout: ExportLayout,
) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    actor.require(Action::CustomerExport)?;
    let tz = crate::calendar::store::parse_time_zone(&crate::team::time_zone(conn)?)?;
    let mut params = Vec::new();
    let wh = where_clause(actor, now, query, &mut params);
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS}, coalesce(u.display_name, ''), coalesce(u.phone, '')
         FROM customers c LEFT JOIN users u ON u.id = c.owner_user_id {wh} ORDER BY c.number"
    ))?;
    let mut headers: Vec<String> = Vec::new();
    if layout == ExportLayout::Full {
        headers.push("客户编号".into());
    }
    headers.extend(TABLE1_HEADERS.iter().map(|s| s.to_string()));
    if layout == ExportLayout::Full {
        headers.extend(["合作阶段".to_string(), "价值等级".to_string()]);
    }
    let mut out = Vec::new();
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        Ok((
            customer_from_row(r)?,
            r.get::<_, String>(24)?,
            r.get::<_, String>(25)?,
        ))
    })?;
    for row in rows {
        let (c, owner, owner_phone) = row?;
        let contacts = contacts_of(conn, c.id)?;
        let primary = contacts.first();
        let tags: Vec<String> = customer_tags(conn, c.id)?
            .into_iter()
            .map(|t| t.name)
            .collect();
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let mut cells = Vec::new();
        if layout == ExportLayout::Full {
            cells.push(c.number.clone());
        }
        cells.extend([
            c.name.clone(),
            c.industry.clone(),
            c.products.clone(),
            c.annual_amount.to_decimal_string(),
            primary.map(|k| k.name.clone()).unwrap_or_default(),
            primary.map(|k| k.position.clone()).unwrap_or_default(),
            primary
                .map(|k| {
                    if k.mobile.is_empty() {
                        k.landline.clone()
                    } else {
                        k.mobile.clone()
                    }
                })
                .unwrap_or_default(),
            primary.map(|k| k.email.clone()).unwrap_or_default(),
            date(c.coop_start),
            date(c.contract_end),
            tags.join("、"),
            c.source.clone(),
            c.first_feedback.clone(),
            owner,
            owner_phone,
            c.last_contact_at
                .and_then(|t| DateTime::from_timestamp(t, 0))
                .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            c.next_followup_plan.clone(),
        ]);
        if layout == ExportLayout::Full {
            cells.push(c.stage.label_zh().into());
            cells.push(c.tier.as_str().into());
        }
        out.push(cells);
    }
    Ok((headers, out))
}

/// CSV bytes: UTF-8 with BOM, formula-looking cells neutralised.
pub fn export_csv(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    query: &ListQuery,
    layout: ExportLayout,
) -> Result<Vec<u8>> {
    let (headers, rows) = export_rows(conn, now, actor, query, layout)?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let io = |e: csv::Error| Error::Io(std::io::Error::other(e.to_string()));
    w.write_record(&headers).map_err(io)?;
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c)))
            .map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))
}

/// XLSX bytes: every cell a string (never a formula).
pub fn export_xlsx(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    query: &ListQuery,
    layout: ExportLayout,
) -> Result<Vec<u8>> {
    let (headers, rows) = export_rows(conn, now, actor, query, layout)?;
    let x = |e: rust_xlsxwriter::XlsxError| Error::Io(std::io::Error::other(e.to_string()));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (col, h) in headers.iter().enumerate() {
        ws.write_string(0, col as u16, h).map_err(x)?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (col, cell) in r.iter().enumerate() {
            if !cell.is_empty() {
                ws.write_string(i as u32 + 1, col as u16, cell).map_err(x)?;
            }
        }
    }
    wb.save_to_buffer().map_err(x)
}
