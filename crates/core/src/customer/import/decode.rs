//! Reading a spreadsheet file into text cells: CSV (UTF-8 with or without BOM, else GB18030 /
//! GBK as saved by Excel and WPS) and XLSX (first sheet). Cells are returned verbatim.

use crate::{Error, Result};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Duration, NaiveDate};
use std::io::Cursor;

/// A file's cells: the header row and the data rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// First row.
    pub headers: Vec<String>,
    /// The other rows (empty rows dropped, row numbers kept in `row_numbers`).
    pub rows: Vec<Vec<String>>,
    /// Spreadsheet row number (1 = header) of each row in `rows`.
    pub row_numbers: Vec<usize>,
}

fn empty() -> Error {
    Error::invalid("import.empty_file", "file", "the file has no rows")
}

/// Decode CSV bytes to text: UTF-8 (BOM removed) when valid, otherwise GB18030 (a superset of
/// GBK); anything that is neither is refused rather than guessed.
pub fn decode_text(bytes: &[u8]) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
        .ok_or_else(|| {
            Error::invalid(
                "import.encoding_unknown",
                "file",
                "the file is neither UTF-8 nor GBK/GB18030; save it as UTF-8 CSV or XLSX",
            )
        })
}

fn finish(mut all: Vec<(usize, Vec<String>)>) -> Result<Sheet> {
    all.retain(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    if all.is_empty() {
        return Err(empty());
    }
    let (_, headers) = all.remove(0);
    let headers = headers.into_iter().map(|h| h.trim().to_string()).collect();
    let (row_numbers, rows) = all.into_iter().unzip();
    Ok(Sheet {
        headers,
        rows,
        row_numbers,
    })
}

/// Parse CSV text.
pub fn read_csv(bytes: &[u8]) -> Result<Sheet> {
    let text = decode_text(bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut all = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| {
            Error::invalid(
                "import.csv_invalid",
                "file",
                format!("the CSV file cannot be read near row {}: {e}", i + 1),
            )
        })?;
        all.push((i + 1, rec.iter().map(str::to_string).collect()));
    }
    finish(all)
}

/// An Excel serial date as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (base + Duration::days(serial.floor() as i64))
        .format("%Y-%m-%d")
        .to_string()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Parse the first sheet of an XLSX workbook.
pub fn read_xlsx(bytes: &[u8]) -> Result<Sheet> {
    let bad = |e: String| {
        Error::invalid(
            "import.xlsx_invalid",
            "file",
            format!("the workbook cannot be read: {e}"),
        )
    };
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| bad(e.to_string()))?;
    let range = match wb.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| bad(e.to_string()))?,
        None => return Err(empty()),
    };
    let start = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let all = range
        .rows()
        .enumerate()
        .map(|(i, r)| (start + i + 1, r.iter().map(cell_text).collect()))
        .collect();
    finish(all)
}

/// Read a file by its name's extension (`.xlsx`, else CSV).
pub fn read_sheet(bytes: &[u8], filename: &str) -> Result<Sheet> {
    if bytes.is_empty() {
        return Err(empty());
    }
    if filename.to_lowercase().ends_with(".xlsx") {
        read_xlsx(bytes)
    } else if filename.to_lowercase().ends_with(".xls") {
        Err(Error::invalid(
            "import.format_unsupported",
            "file",
            "save the workbook as .xlsx or .csv",
        ))
    } else {
        read_csv(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_bom_and_gbk() {
        let text = "客户名称,联系电话\n中山集团,13800138000\n";
        let plain = read_csv(text.as_bytes()).unwrap();
        assert_eq!(plain.headers, ["客户名称", "联系电话"]);
        assert_eq!(plain.rows, [["中山集团", "13800138000"]]);
        assert_eq!(plain.row_numbers, [2]);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(read_csv(&bom).unwrap(), plain);
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(read_csv(&gbk).unwrap(), plain);
    }

    #[test]
    fn empty_and_undecodable_files_are_refused() {
        assert_eq!(
            read_sheet(b"", "a.csv").unwrap_err().code(),
            "import.empty_file"
        );
        assert_eq!(
            read_sheet(b"\n,,\n", "a.csv").unwrap_err().code(),
            "import.empty_file"
        );
        assert_eq!(
            read_sheet(&[0xFF, 0xFE, 0xFF, 0x30, 0x81], "a.csv")
                .unwrap_err()
                .code(),
            "import.encoding_unknown"
        );
        assert_eq!(
            read_sheet(b"not a zip", "a.xlsx").unwrap_err().code(),
            "import.xlsx_invalid"
        );
    }
}
