//! "Export everything", for leaving Rapport (or auditing it): every table as a CSV file plus
//! every attachment, in one zip archive. CSV files are UTF-8 with a BOM (so spreadsheet programs
//! read Chinese correctly) and text cells that a spreadsheet would run as a formula are
//! neutralised like the customer export does. The search index is left out: it is derived from
//! the tables and rebuilt on import.
//!
//! The archive is written with the `zip` crate (already in the build through the spreadsheet
//! libraries, well maintained, streaming writer): rows go straight from SQLite into the
//! compressor, so even a large database needs little memory.

use crate::account::Actor;
use crate::customer::export::neutralise;
use crate::permission::Action;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

/// What went into an archive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// Where the archive is.
    pub file: PathBuf,
    /// Tables exported and their row counts, by name.
    pub tables: Vec<(String, u64)>,
    /// Attachment files included.
    pub attachments: usize,
}

/// Tables the export leaves out: SQLite's own, and the search index (derived data).
fn skipped(table: &str) -> bool {
    table.starts_with("sqlite_")
        || table.starts_with("customer_fts")
        || table.starts_with("contact_fts")
        || table.starts_with("customer_grams")
        || table.starts_with("contact_grams")
}

/// The name of an archive written at `now`.
pub fn file_name(now: DateTime<Utc>) -> String {
    format!("rapport-export-{}.zip", now.format("%Y%m%d-%H%M%S"))
}

/// Export everything for the signed-in admin into the folder `dir` (created if missing).
pub fn export_all_as(
    conn: &Connection,
    actor: &Actor,
    data_dir: &Path,
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<ExportSummary> {
    actor.require(Action::DataManage)?;
    export_all(conn, data_dir, dir, now)
}

/// Write `dir/rapport-export-<time>.zip` with `tables/<table>.csv` for every table, the files
/// under `data_dir/attachments/` as `attachments/…`, and `manifest.json`. Reads in one
/// transaction, so the archive is a consistent snapshot even while the app writes.
pub fn export_all(
    conn: &Connection,
    data_dir: &Path,
    dir: &Path,
    now: DateTime<Utc>,
) -> Result<ExportSummary> {
    std::fs::create_dir_all(dir).map_err(io)?;
    let file = dir.join(file_name(now));
    let out = std::fs::File::create(&file).map_err(io)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(out));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let tx = conn.unchecked_transaction()?;
    let tables: Vec<String> = {
        let mut stmt =
            tx.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?
            .into_iter()
            .filter(|t| !skipped(t))
            .collect()
    };
    let mut summary = ExportSummary {
        file: file.clone(),
        ..Default::default()
    };
    for table in &tables {
        zip.start_file(format!("tables/{table}.csv"), options)
            .map_err(zip_err)?;
        zip.write_all("\u{feff}".as_bytes()).map_err(io)?;
        let rows = write_table(&tx, table, &mut zip)?;
        summary.tables.push((table.clone(), rows));
    }
    drop(tx);
    let root = data_dir.join(crate::attachment::blob::DIR);
    if root.is_dir() {
        let mut stack = vec![root.clone()];
        let mut files = Vec::new();
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).map_err(io)? {
                let p = e.map_err(io)?.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        files.sort();
        for p in files {
            let rel = p.strip_prefix(&root).unwrap_or(&p);
            let name: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            zip.start_file(format!("attachments/{}", name.join("/")), options)
                .map_err(zip_err)?;
            let mut f = std::fs::File::open(&p).map_err(io)?;
            std::io::copy(&mut f, &mut zip).map_err(io)?;
            summary.attachments += 1;
        }
    }
    zip.start_file("manifest.json", options).map_err(zip_err)?;
    let manifest = serde_json::json!({
        "exported_at": now.to_rfc3339(),
        "schema_version": crate::db::migrations::current_version(conn)?,
        "tables": summary.tables.iter().map(|(t, n)| serde_json::json!({"name": t, "rows": n})).collect::<Vec<_>>(),
        "attachments": summary.attachments,
    });
    zip.write_all(manifest.to_string().as_bytes()).map_err(io)?;
    zip.finish().map_err(zip_err)?.flush().map_err(io)?;
    Ok(summary)
}

/// One table as CSV: header row, then each row; text neutralised, NULL empty, blobs as hex.
fn write_table(conn: &Connection, table: &str, out: &mut dyn Write) -> Result<u64> {
    let quoted = format!("\"{}\"", table.replace('"', "\"\""));
    let mut stmt = conn.prepare(&format!("SELECT * FROM {quoted}"))?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&names).map_err(csv_err)?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    let mut record: Vec<String> = Vec::with_capacity(names.len());
    while let Some(r) = rows.next()? {
        record.clear();
        for i in 0..names.len() {
            record.push(match r.get_ref(i)? {
                ValueRef::Null => String::new(),
                ValueRef::Integer(v) => v.to_string(),
                ValueRef::Real(v) => v.to_string(),
                ValueRef::Text(t) => neutralise(&String::from_utf8_lossy(t)),
                ValueRef::Blob(b) => b.iter().map(|x| format!("{x:02x}")).collect(),
            });
        }
        w.write_record(&record).map_err(csv_err)?;
        n += 1;
    }
    w.flush().map_err(io)?;
    Ok(n)
}

fn io(e: std::io::Error) -> Error {
    Error::conflict("export.write_failed", e.to_string())
}

fn zip_err(e: zip::result::ZipError) -> Error {
    Error::conflict("export.write_failed", e.to_string())
}

fn csv_err(e: csv::Error) -> Error {
    Error::conflict("export.write_failed", e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::io::Read;

    #[test]
    fn every_table_and_attachment_goes_into_the_zip_formula_safe() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join(crate::db::DB_FILE)).unwrap();
        conn.execute_batch(
            "INSERT INTO team (id, name, time_zone, created_at) VALUES (1, '=HYPERLINK(\"x\")', 'Asia/Shanghai', 0);
             INSERT INTO customers (id, number, name, annual_amount, created_at, updated_at)
                 VALUES (1, 'KH-2026-00001', '中山华为', -5, 0, 0);",
        )
        .unwrap();
        let blob = dir.path().join("attachments/ab/cdef");
        std::fs::create_dir_all(blob.parent().unwrap()).unwrap();
        std::fs::write(&blob, b"hello").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        let s = export_all(&conn, dir.path(), &dir.path().join("out"), now).unwrap();
        assert_eq!(s.attachments, 1);
        assert!(s.tables.iter().any(|(t, n)| t == "customers" && *n == 1));
        assert!(
            !s.tables
                .iter()
                .any(|(t, _)| t.starts_with("customer_fts") || t.starts_with("customer_grams"))
        );
        let mut z = zip::ZipArchive::new(std::fs::File::open(&s.file).unwrap()).unwrap();
        let mut text = String::new();
        z.by_name("tables/team.csv")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("'=HYPERLINK"), "{text}");
        text.clear();
        z.by_name("tables/customers.csv")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert!(
            text.contains("中山华为") && text.contains(",-5,"),
            "numbers stay numbers: {text}"
        );
        text.clear();
        z.by_name("attachments/ab/cdef")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "hello");
        text.clear();
        z.by_name("manifest.json")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.contains("\"schema_version\""));
    }

    #[test]
    fn only_admins_export_everything() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open_in_memory().unwrap();
        let actor = Actor {
            user_id: 1,
            username: "s".into(),
            display_name: "s".into(),
            role: crate::permission::Role::Supervisor,
            department_id: None,
            locale: String::new(),
            must_change_password: false,
        };
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        let err = export_all_as(&conn, &actor, dir.path(), dir.path(), now).unwrap_err();
        assert_eq!(err.code(), "auth.forbidden");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing written"
        );
    }
}
