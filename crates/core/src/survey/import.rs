//! Importing answers from a survey tool's export (问卷星, 腾讯问卷, 金数据 or any CSV/XLSX): the
//! file is read by the customer importer's decoder (UTF-8 with or without BOM, GBK/GB18030,
//! XLSX), columns are mapped to fields (detected from the headers, adjustable by the user), and
//! every row is written through the same checks as a typed answer ([`super::insert`]). Preview and
//! apply run the very same pass; the preview rolls it back, apply commits only when no row failed.

use super::{NewResponse, SurveyKind, check_score, insert};
use crate::account::Actor;
use crate::customer::import::RowError;
use crate::customer::import::decode::{Sheet, read_sheet};
use crate::permission::Action;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

/// How many parsed rows the preview shows (errors are always listed in full).
pub const PREVIEW_ROWS: usize = 20;

/// A field a column of a survey export can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyField {
    /// Who answered: a customer number (KH-…), the exact legal name, or a contact's mobile/email.
    Customer,
    /// 提交时间 / 答题时间.
    AnsweredAt,
    /// The "how likely to recommend" question, 0–10.
    Nps,
    /// The satisfaction question, 1–5.
    Csat,
    /// Free comment.
    Comment,
}

/// The field of every column, by position; `None` = ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SurveyMapping {
    /// One entry per header.
    pub columns: Vec<Option<SurveyField>>,
}

/// Header words (lower-case) that point to each field, most specific first. A header is given
/// the first field whose word it contains, and each field goes to one column only.
const HINTS: &[(SurveyField, &[&str])] = &[
    (
        SurveyField::Nps,
        &["推荐", "nps", "recommend", "可能性", "likely"],
    ),
    (
        SurveyField::Csat,
        &["满意", "csat", "satisf", "评分", "rating"],
    ),
    (
        SurveyField::AnsweredAt,
        &[
            "提交时间",
            "答题时间",
            "填写时间",
            "回答时间",
            "提交日期",
            "submitted",
            "answered",
            "submission",
            "timestamp",
            "时间",
            "date",
        ],
    ),
    (
        SurveyField::Customer,
        &[
            "客户编号",
            "客户名称",
            "公司名称",
            "单位名称",
            "客户",
            "手机",
            "电话",
            "邮箱",
            "customer",
            "company",
            "mobile",
            "phone",
            "email",
            "e-mail",
        ],
    ),
    (
        SurveyField::Comment,
        &[
            "意见",
            "建议",
            "备注",
            "评论",
            "留言",
            "comment",
            "feedback",
            "remark",
            "suggestion",
        ],
    ),
];

/// Guess the mapping from the header row (Chinese and English survey-tool wording).
pub fn detect_mapping(headers: &[String]) -> SurveyMapping {
    let mut columns = vec![None; headers.len()];
    let mut taken = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().to_lowercase();
        if h.is_empty() {
            continue;
        }
        let found = HINTS
            .iter()
            .find(|(field, words)| !taken.contains(field) && words.iter().any(|w| h.contains(w)));
        if let Some((field, _)) = found {
            columns[i] = Some(*field);
            taken.push(*field);
        }
    }
    SurveyMapping { columns }
}

/// Which of a customer's identifiers the row matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The customer number (KH-…).
    Number,
    /// The exact legal name.
    Name,
    /// A contact's mobile number.
    Mobile,
    /// A contact's e-mail address.
    Email,
}

/// One row as it will be imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedRow {
    /// Spreadsheet row number (1 = header).
    pub row: usize,
    /// The matched customer.
    pub customer_id: i64,
    /// Its name, so the user sees whom the row went to.
    pub customer_name: String,
    /// How it was matched.
    pub matched_by: MatchedBy,
    /// When the customer answered.
    pub answered_at: DateTime<Utc>,
    /// NPS answer, if given.
    pub nps: Option<i64>,
    /// CSAT answer, if given.
    pub csat: Option<i64>,
    /// Comment.
    pub comment: String,
    /// True when the same answers are already stored (the row is skipped).
    pub duplicate: bool,
}

/// What the preview shows before anything is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyPreview {
    /// The header row.
    pub headers: Vec<String>,
    /// The mapping used (detected unless one was given).
    pub mapping: SurveyMapping,
    /// Data rows in the file.
    pub total_rows: usize,
    /// The first [`PREVIEW_ROWS`] rows that would be imported.
    pub rows: Vec<ImportedRow>,
    /// Every failing row, with the reason.
    pub errors: Vec<RowError>,
    /// Rows already stored, which the import skips.
    pub duplicates: usize,
}

/// The outcome of [`apply`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SurveyImportReport {
    /// False when nothing was written because some row failed.
    pub committed: bool,
    /// Rows imported.
    pub imported: usize,
    /// Rows skipped as exact duplicates of stored answers.
    pub skipped_duplicates: usize,
    /// The failing rows (when not committed).
    pub errors: Vec<RowError>,
}

/// A row error for `column` with a stable `code` the UI translates.
fn row_error(row: usize, column: &str, code: &str, message: impl Into<String>) -> RowError {
    RowError {
        row,
        column: column.to_string(),
        code: code.to_string(),
        message: message.into(),
    }
}

/// Find the customer a cell names: number, exact name, then contact mobile or e-mail. Several
/// customers sharing a name or a mobile is an error rather than a guess.
fn match_customer(conn: &Connection, cell: &str) -> Result<Option<(i64, String, MatchedBy)>> {
    let value: String = cell
        .trim()
        .chars()
        .map(crate::validate::to_half_width)
        .collect();
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let mobile = digits.strip_prefix("86").filter(|d| d.len() == 11);
    let mobile = mobile.unwrap_or(&digits).to_string();
    let tries: [(MatchedBy, &str, String); 4] = [
        (
            MatchedBy::Number,
            "SELECT id, name FROM customers WHERE number = ?1 COLLATE NOCASE",
            value.clone(),
        ),
        (
            MatchedBy::Name,
            "SELECT id, name FROM customers WHERE name = ?1",
            value.clone(),
        ),
        (
            MatchedBy::Mobile,
            "SELECT DISTINCT c.id, c.name FROM contacts k JOIN customers c ON c.id = k.customer_id
             WHERE k.mobile = ?1 AND length(?1) = 11",
            mobile,
        ),
        (
            MatchedBy::Email,
            "SELECT DISTINCT c.id, c.name FROM contacts k JOIN customers c ON c.id = k.customer_id
             WHERE k.email = ?1 COLLATE NOCASE AND instr(?1, '@') > 0",
            value,
        ),
    ];
    for (by, sql, key) in tries {
        let mut stmt = conn.prepare_cached(sql)?;
        let found: Vec<(i64, String)> = stmt
            .query_map([key], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        match found.len() {
            0 => continue,
            1 => {
                let (id, name) = found.into_iter().next().unwrap_or_default();
                return Ok(Some((id, name, by)));
            }
            _ => {
                return Err(Error::invalid(
                    "survey.import_customer_ambiguous",
                    "customer",
                    format!("{} customers match", found.len()),
                ));
            }
        }
    }
    Ok(None)
}

/// Parse a submission time in the team's zone: `2026-05-10 14:03:22`, `2026/5/10 14:03`,
/// `2026年5月10日`, RFC 3339; a bare date counts as local midnight.
fn parse_answered_at(s: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let norm: String = s
        .chars()
        .map(crate::validate::to_half_width)
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            'T' => ' ',
            c => c,
        })
        .filter(|c| *c != '日')
        .collect();
    let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
    let naive = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&norm, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(&norm, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Parse a score cell; `Ok(None)` when empty. Tools write `9`, `9分`, `9.0`.
fn parse_score(cell: &str, kind: SurveyKind) -> std::result::Result<Option<i64>, ()> {
    let t: String = cell
        .trim()
        .chars()
        .map(crate::validate::to_half_width)
        .filter(|c| *c != '分')
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    let n: f64 = t.trim().parse().map_err(|_| ())?;
    if n.fract() != 0.0 {
        return Err(());
    }
    check_score(kind, n as i64).map(Some).map_err(|_| ())
}

/// The cell of `field` in `row`, with its header; `("", "")` when unmapped.
fn cell<'a>(
    sheet: &'a Sheet,
    mapping: &SurveyMapping,
    row: &'a [String],
    field: SurveyField,
) -> (&'a str, &'a str) {
    mapping
        .columns
        .iter()
        .position(|c| *c == Some(field))
        .map(|i| {
            (
                sheet.headers.get(i).map(String::as_str).unwrap_or(""),
                row.get(i).map(String::as_str).unwrap_or(""),
            )
        })
        .unwrap_or(("", ""))
}

/// Read one row into an [`ImportedRow`] (not yet checked against visibility or duplicates).
fn parse_row(
    conn: &Connection,
    tz: Tz,
    sheet: &Sheet,
    mapping: &SurveyMapping,
    number: usize,
    row: &[String],
) -> std::result::Result<ImportedRow, RowError> {
    let (h, who) = cell(sheet, mapping, row, SurveyField::Customer);
    let (id, name, by) = match match_customer(conn, who) {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Err(row_error(
                number,
                h,
                "survey.import_customer_unknown",
                format!("no customer matches “{who}”"),
            ));
        }
        Err(e) => return Err(row_error(number, h, e.code(), e.to_string())),
    };
    let (h, when) = cell(sheet, mapping, row, SurveyField::AnsweredAt);
    let Some(answered_at) = parse_answered_at(when, tz) else {
        return Err(row_error(
            number,
            h,
            "survey.import_bad_date",
            format!("“{when}” is not a date and time"),
        ));
    };
    let mut scores = [None, None];
    for (slot, (field, kind, code)) in [
        (SurveyField::Nps, SurveyKind::Nps, "survey.import_nps_range"),
        (
            SurveyField::Csat,
            SurveyKind::Csat,
            "survey.import_csat_range",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let (h, v) = cell(sheet, mapping, row, field);
        scores[slot] = parse_score(v, kind).map_err(|()| {
            let (lo, hi) = kind.range();
            row_error(
                number,
                h,
                code,
                format!("“{v}” is not a {} score from {lo} to {hi}", kind.as_str()),
            )
        })?;
    }
    if scores == [None, None] {
        return Err(row_error(
            number,
            "",
            "survey.import_no_score",
            "the row has neither an NPS nor a CSAT answer",
        ));
    }
    Ok(ImportedRow {
        row: number,
        customer_id: id,
        customer_name: name,
        matched_by: by,
        answered_at,
        nps: scores[0],
        csat: scores[1],
        comment: cell(sheet, mapping, row, SurveyField::Comment)
            .1
            .trim()
            .to_string(),
        duplicate: false,
    })
}

/// The row's answers as responses.
fn responses(r: &ImportedRow) -> Vec<NewResponse> {
    [(SurveyKind::Nps, r.nps), (SurveyKind::Csat, r.csat)]
        .into_iter()
        .filter_map(|(kind, score)| {
            score.map(|score| NewResponse {
                customer_id: r.customer_id,
                kind,
                score,
                responded_at: Some(r.answered_at),
                interaction_id: None,
                feedback_id: None,
                comment: r.comment.clone(),
            })
        })
        .collect()
}

/// True when every answer of the row is already stored (same customer, time, kind and score).
fn already_stored(conn: &Connection, r: &ImportedRow) -> Result<bool> {
    let mut stmt = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM survey_responses
         WHERE customer_id = ?1 AND responded_at = ?2 AND kind = ?3 AND score = ?4)",
    )?;
    for n in responses(r) {
        let found: bool = stmt.query_row(
            params![
                n.customer_id,
                r.answered_at.timestamp(),
                n.kind.as_str(),
                n.score
            ],
            |x| x.get(0),
        )?;
        if !found {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The shared pass of preview and apply: parse, match and insert every row inside `tx`.
struct Pass {
    sheet: Sheet,
    mapping: SurveyMapping,
    rows: Vec<ImportedRow>,
    errors: Vec<RowError>,
}

fn run(
    tx: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    bytes: &[u8],
    filename: &str,
    mapping: Option<&SurveyMapping>,
) -> Result<Pass> {
    actor.require(Action::SurveyRecord)?;
    let sheet = read_sheet(bytes, filename)?;
    let mapping = mapping
        .cloned()
        .unwrap_or_else(|| detect_mapping(&sheet.headers));
    let tz = crate::plan::team_tz(tx)?;
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for (row, &number) in sheet.rows.iter().zip(&sheet.row_numbers) {
        let mut parsed = match parse_row(tx, tz, &sheet, &mapping, number, row) {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        parsed.duplicate = already_stored(tx, &parsed)?;
        if !parsed.duplicate {
            for n in responses(&parsed) {
                if let Err(e) = insert(tx, now, actor, &n, "import") {
                    let e = match e {
                        Error::NotFound(_) => row_error(
                            number,
                            "",
                            "survey.import_customer_unknown",
                            "the customer is not one you may record answers for",
                        ),
                        Error::Invalid { code, message, .. } => {
                            row_error(number, "", code, message)
                        }
                        other => return Err(other),
                    };
                    errors.push(e);
                    break;
                }
            }
        }
        rows.push(parsed);
    }
    Ok(Pass {
        sheet,
        mapping,
        rows,
        errors,
    })
}

/// Show what importing the file would do, writing nothing (`SurveyRecord`).
pub fn preview(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    bytes: &[u8],
    filename: &str,
    mapping: Option<&SurveyMapping>,
) -> Result<SurveyPreview> {
    let tx = conn.transaction()?;
    let p = run(&tx, now, actor, bytes, filename, mapping)?;
    tx.rollback()?;
    let failed: Vec<usize> = p.errors.iter().map(|e| e.row).collect();
    let ok: Vec<ImportedRow> = p
        .rows
        .into_iter()
        .filter(|r| !failed.contains(&r.row))
        .collect();
    Ok(SurveyPreview {
        headers: p.sheet.headers,
        mapping: p.mapping,
        total_rows: p.sheet.rows.len(),
        duplicates: ok.iter().filter(|r| r.duplicate).count(),
        rows: ok.into_iter().take(PREVIEW_ROWS).collect(),
        errors: p.errors,
    })
}

/// Import the file in one transaction: every row or none (`SurveyRecord`). Rows whose answers
/// are already stored are skipped and counted.
pub fn apply(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    bytes: &[u8],
    filename: &str,
    mapping: &SurveyMapping,
) -> Result<SurveyImportReport> {
    let tx = conn.transaction()?;
    let p = run(&tx, now, actor, bytes, filename, Some(mapping))?;
    if !p.errors.is_empty() {
        tx.rollback()?;
        return Ok(SurveyImportReport {
            errors: p.errors,
            ..Default::default()
        });
    }
    tx.commit()?;
    let skipped = p.rows.iter().filter(|r| r.duplicate).count();
    Ok(SurveyImportReport {
        committed: true,
        imported: p.rows.len() - skipped,
        skipped_duplicates: skipped,
        errors: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Fixture, t};

    const NOW: (i32, u32, u32) = (2026, 5, 20);

    fn now() -> DateTime<Utc> {
        t(NOW.0, NOW.1, NOW.2, 0, 0)
    }

    /// The fixture plus a contact with a mobile and e-mail on `cust1b`.
    fn fixture() -> Fixture {
        let f = Fixture::new();
        f.conn
            .execute(
                "INSERT INTO contacts (customer_id, name, mobile, email) VALUES (?1, '赵', '13912345678', 'zhao@example.com')",
                [f.cust1b],
            )
            .unwrap();
        f
    }

    fn stored(f: &Fixture) -> Vec<(i64, String, i64, i64, String)> {
        let mut s = f
            .conn
            .prepare(
                "SELECT customer_id, kind, score, responded_at, source FROM survey_responses ORDER BY id",
            )
            .unwrap();
        s.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
    }

    const ZH: &str = "序号,提交时间,客户名称,您向朋友推荐我们的可能性有多大？,您对我们的服务满意度,意见建议\n\
        1,2026/5/10 14:03:22,KH-T-00001,9,5,很好\n\
        2,2026-05-11 09:00,贸易有限公司,6,,一般\n\
        3,2026年5月12日,139 1234 5678,,4,\n";

    #[test]
    fn detects_chinese_and_english_headers() {
        let zh: Vec<String> = ZH
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(String::from)
            .collect();
        assert_eq!(
            detect_mapping(&zh).columns,
            [
                None,
                Some(SurveyField::AnsweredAt),
                Some(SurveyField::Customer),
                Some(SurveyField::Nps),
                Some(SurveyField::Csat),
                Some(SurveyField::Comment)
            ]
        );
        let en: Vec<String> = [
            "Submitted at",
            "Email",
            "How likely are you to recommend us to a friend?",
            "Satisfaction",
            "Comments",
            "Browser",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            detect_mapping(&en).columns,
            [
                Some(SurveyField::AnsweredAt),
                Some(SurveyField::Customer),
                Some(SurveyField::Nps),
                Some(SurveyField::Csat),
                Some(SurveyField::Comment),
                None
            ]
        );
    }

    #[test]
    fn imports_utf8_bom_csv_matching_by_number_name_and_mobile() {
        let mut f = fixture();
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(ZH.as_bytes());
        let p = preview(&mut f.conn, now(), &f.staff1, &bytes, "a.csv", None);
        // staff1 only sees cust1: the other two rows are refused as not visible.
        assert_eq!(
            p.unwrap().errors.iter().map(|e| e.row).collect::<Vec<_>>(),
            [3, 4]
        );
        let p = preview(&mut f.conn, now(), &f.head1, &bytes, "a.csv", None).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let got: Vec<_> = p
            .rows
            .iter()
            .map(|r| (r.row, r.customer_id, r.matched_by, r.nps, r.csat))
            .collect();
        assert_eq!(
            got,
            [
                (2, f.cust1, MatchedBy::Number, Some(9), Some(5)),
                (3, f.cust1b, MatchedBy::Name, Some(6), None),
                (4, f.cust1b, MatchedBy::Mobile, None, Some(4)),
            ]
        );
        // Beijing time 14:03:22 is 06:03:22 UTC; a bare date is local midnight.
        assert_eq!(
            p.rows[0].answered_at,
            t(2026, 5, 10, 6, 3) + chrono::Duration::seconds(22)
        );
        assert_eq!(p.rows[2].answered_at, t(2026, 5, 11, 16, 0));
        assert!(stored(&f).is_empty(), "the preview writes nothing");
        let r = apply(&mut f.conn, now(), &f.head1, &bytes, "a.csv", &p.mapping).unwrap();
        assert_eq!(
            (r.committed, r.imported, r.skipped_duplicates),
            (true, 3, 0)
        );
        let s = stored(&f);
        assert_eq!(s.len(), 4);
        assert!(s.iter().all(|x| x.4 == "import"));
        // Importing the same file again skips every row.
        let again = apply(&mut f.conn, now(), &f.head1, &bytes, "a.csv", &p.mapping).unwrap();
        assert_eq!((again.imported, again.skipped_duplicates), (0, 3));
        assert_eq!(stored(&f).len(), 4);
    }

    #[test]
    fn reads_gbk_and_xlsx_and_matches_by_email() {
        let mut f = fixture();
        let text = "答题时间,邮箱,满意度\n2026-05-01 10:00,ZHAO@example.com,3\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let p = preview(&mut f.conn, now(), &f.admin, &gbk, "g.csv", None).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(
            (p.rows[0].customer_id, p.rows[0].matched_by, p.rows[0].csat),
            (f.cust1b, MatchedBy::Email, Some(3))
        );
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in [
            "Submitted at",
            "Customer",
            "How likely to recommend",
            "Satisfaction",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "2026-05-02 08:30:00").unwrap();
        ws.write_string(1, 1, "制造有限公司").unwrap();
        ws.write_number(1, 2, 10.0).unwrap();
        ws.write_number(1, 3, 5.0).unwrap();
        let xlsx = wb.save_to_buffer().unwrap();
        let r = apply(
            &mut f.conn,
            now(),
            &f.admin,
            &xlsx,
            "s.xlsx",
            &detect_mapping(&read_sheet(&xlsx, "s.xlsx").unwrap().headers),
        )
        .unwrap();
        assert_eq!((r.committed, r.imported), (true, 1));
        assert_eq!(
            stored(&f),
            [
                (
                    f.cust2,
                    "nps".into(),
                    10,
                    t(2026, 5, 2, 0, 30).timestamp(),
                    "import".into()
                ),
                (
                    f.cust2,
                    "csat".into(),
                    5,
                    t(2026, 5, 2, 0, 30).timestamp(),
                    "import".into()
                ),
            ]
        );
    }

    #[test]
    fn each_bad_row_is_reported_and_nothing_is_written() {
        let mut f = fixture();
        let csv = "提交时间,客户名称,推荐可能性,满意度\n\
            2026-05-01 10:00,科技有限公司,8,4\n\
            2026-05-01 10:00,无此公司,8,4\n\
            2026-05-01 10:00,科技有限公司,11,4\n\
            2026-05-01 10:00,科技有限公司,8,0\n\
            昨天,科技有限公司,8,4\n\
            2026-05-01 10:00,科技有限公司,,\n\
            2026-06-01 10:00,科技有限公司,8,\n";
        let p = preview(&mut f.conn, now(), &f.admin, csv.as_bytes(), "b.csv", None).unwrap();
        let got: Vec<_> = p.errors.iter().map(|e| (e.row, e.code.as_str())).collect();
        assert_eq!(
            got,
            [
                (3, "survey.import_customer_unknown"),
                (4, "survey.import_nps_range"),
                (5, "survey.import_csat_range"),
                (6, "survey.import_bad_date"),
                (7, "survey.import_no_score"),
                (8, "survey.in_future"),
            ]
        );
        assert_eq!(p.errors[1].column, "推荐可能性");
        assert_eq!(p.rows.len(), 1);
        let r = apply(
            &mut f.conn,
            now(),
            &f.admin,
            csv.as_bytes(),
            "b.csv",
            &p.mapping,
        )
        .unwrap();
        assert!(!r.committed);
        assert_eq!(r.errors.len(), 6);
        assert!(stored(&f).is_empty(), "all or nothing");
        // Viewers may not import at all.
        assert!(matches!(
            preview(&mut f.conn, now(), &f.viewer, csv.as_bytes(), "b.csv", None),
            Err(Error::Forbidden(_))
        ));
    }
}
