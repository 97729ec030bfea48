//! Importing customers from CSV or XLSX: read the cells (`decode.rs`), map columns to fields
//! (`mapping.rs`), parse and validate every row (`rows.rs`), preview with per-row errors and
//! likely duplicates, then apply in one transaction — all rows or none.

pub mod decode;
#[cfg(test)]
mod fuzz_tests;
mod indexes;
pub mod mapping;
mod rows;

pub use decode::{Sheet, read_sheet};
pub use mapping::{ColumnMapping, ImportField, detect_mapping};
pub use rows::parse_row;

use super::changes::{Change, apply_change, current_value};
use super::dedupe::{DuplicateProbe, DuplicateReason, KnownKeys, find_duplicates};
use super::history::{HistoryKind, NewEntry, record};
use super::model::ContactInput;
use super::model::NewCustomer;
use super::search_index;
use super::store::{
    InsertLookups, contacts_of, insert_contact, insert_customer_unindexed, load_visible,
    local_year, touch,
};
use crate::account::Actor;
use crate::permission::Action;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rows shown parsed in the preview.
pub const PREVIEW_ROWS: usize = 20;

/// Page cache (KiB) while an import writes: 256 MB, taken only for the import's duration.
const IMPORT_CACHE_KIB: i64 = 256 * 1024;

/// From how many rows a preview reads every stored duplicate key once ([`KnownKeys`]) rather
/// than looking each row up: reading them all costs about as much as a few hundred look-ups on
/// a large database, and a 100k-row preview's look-ups were a third of the import's own work.
const KEYS_IN_MEMORY_FROM: usize = 500;

/// A problem with one cell or row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    /// Spreadsheet row number (the header is row 1).
    pub row: usize,
    /// Header of the column concerned, empty for the whole row.
    pub column: String,
    /// Stable code (translated by the UI).
    pub code: String,
    /// English text.
    pub message: String,
}

/// A row that looks like an existing customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowDuplicate {
    /// Spreadsheet row number.
    pub row: usize,
    /// The existing customer.
    pub existing_customer_id: i64,
    /// Why.
    pub reason: DuplicateReason,
}

/// What the preview shows before anything is written.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    /// The file's headers.
    pub headers: Vec<String>,
    /// The mapping used (detected or given).
    pub mapping: ColumnMapping,
    /// Total data rows.
    pub total_rows: usize,
    /// The first rows, parsed.
    pub rows: Vec<(usize, NewCustomer)>,
    /// Every row error.
    pub errors: Vec<RowError>,
    /// Every likely duplicate.
    pub duplicates: Vec<RowDuplicate>,
}

/// What to do with a row that looks like an existing customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// Leave the existing customer alone and skip the row.
    Skip,
    /// Fill the existing customer with the row's non-empty values, add new contacts and tags.
    Update,
    /// Create a new customer anyway.
    Create,
}

/// The outcome of an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// True when the rows were written; false when errors stopped the import (nothing written).
    pub committed: bool,
    /// Customers created.
    pub created: usize,
    /// Existing customers updated.
    pub updated: usize,
    /// Rows skipped as duplicates.
    pub skipped: usize,
    /// Row errors (the import is all or nothing: any error means nothing was written).
    pub errors: Vec<RowError>,
}

/// Display and log-in names of active users, for the owner column.
fn user_names(conn: &Connection) -> Result<HashMap<String, i64>> {
    let mut map = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, username, display_name FROM users WHERE active = 1")?;
    for r in stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })? {
        let (id, u, d) = r?;
        map.insert(u.to_lowercase(), id);
        map.entry(d.to_lowercase()).or_insert(id);
    }
    Ok(map)
}

fn probe(c: &NewCustomer) -> DuplicateProbe {
    DuplicateProbe {
        name: c.customer.name.clone(),
        mobiles: c
            .contacts
            .iter()
            .map(|k| k.mobile.clone())
            .filter(|m| !m.is_empty())
            .collect(),
        emails: c
            .contacts
            .iter()
            .map(|k| k.email.clone())
            .filter(|m| !m.is_empty())
            .collect(),
        exclude_id: None,
    }
}

struct Parsed {
    sheet: Sheet,
    mapping: ColumnMapping,
    rows: Vec<(usize, std::result::Result<NewCustomer, RowError>)>,
}

fn parse_all(
    conn: &Connection,
    bytes: &[u8],
    filename: &str,
    mapping: Option<&ColumnMapping>,
) -> Result<Parsed> {
    let sheet = read_sheet(bytes, filename)?;
    let mapping = mapping
        .cloned()
        .unwrap_or_else(|| detect_mapping(&sheet.headers));
    if mapping.column_of(ImportField::Name).is_none() {
        return Err(Error::invalid(
            "import.name_column_missing",
            "mapping",
            "choose the column that holds the customer name",
        ));
    }
    let users = user_names(conn)?;
    let tz = crate::calendar::store::parse_time_zone(&crate::team::time_zone(conn)?)?;
    let rows = sheet
        .rows
        .iter()
        .zip(&sheet.row_numbers)
        .map(|(cells, &n)| (n, parse_row(cells, &sheet.headers, &mapping, &users, tz, n)))
        .collect();
    Ok(Parsed {
        sheet,
        mapping,
        rows,
    })
}

/// Read a file and show what an import would do: mapping, first rows, every row error and
/// every likely duplicate. Writes nothing.
pub fn preview(
    conn: &Connection,
    actor: &Actor,
    bytes: &[u8],
    filename: &str,
    mapping: Option<&ColumnMapping>,
) -> Result<Preview> {
    actor.require(Action::CustomerImport)?;
    let p = parse_all(conn, bytes, filename, mapping)?;
    // Only rows the stored keys match are looked up in full (`first_match` is `None` exactly
    // when `find_duplicates` finds nothing).
    let known = if p.rows.len() >= KEYS_IN_MEMORY_FROM {
        Some(KnownKeys::load(conn)?)
    } else {
        None
    };
    let mut errors = Vec::new();
    let mut duplicates = Vec::new();
    let mut shown = Vec::new();
    for (n, r) in p.rows {
        match r {
            Ok(c) => {
                let probe = probe(&c);
                let found = match &known {
                    Some(k) if k.first_match(&probe).is_none() => Vec::new(),
                    _ => find_duplicates(conn, &probe)?,
                };
                for d in found {
                    duplicates.push(RowDuplicate {
                        row: n,
                        existing_customer_id: d.customer_id,
                        reason: d.reason,
                    });
                }
                if shown.len() < PREVIEW_ROWS {
                    shown.push((n, c));
                }
            }
            Err(e) => errors.push(e),
        }
    }
    Ok(Preview {
        headers: p.sheet.headers,
        mapping: p.mapping,
        total_rows: p.sheet.rows.len(),
        rows: shown,
        errors,
        duplicates,
    })
}

/// Import a file in one transaction. Any row error (or a duplicate outside the actor's scope
/// under `Update`) stops the import with nothing written; the report lists every error.
/// `progress(done, total)` is called as rows are written. The committed rows are synced to disk
/// in the write-ahead log; copying them into the database file is left to the caller
/// ([`crate::db::checkpoint`], best on another connection, where nobody waits for it).
#[allow(clippy::too_many_arguments)]
pub fn apply(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    bytes: &[u8],
    filename: &str,
    mapping: &ColumnMapping,
    policy: DuplicatePolicy,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    actor.require(Action::CustomerImport)?;
    let p = parse_all(conn, bytes, filename, Some(mapping))?;
    let errors: Vec<RowError> = p
        .rows
        .iter()
        .filter_map(|(_, r)| r.as_ref().err().cloned())
        .collect();
    if !errors.is_empty() {
        return Ok(ImportReport {
            errors,
            ..Default::default()
        });
    }
    // SQLite's default page cache is 2 MB; the search index of a large file touches far more
    // pages than that, so the import runs with a larger one and gives it back afterwards.
    let previous: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
    // Copying a 100k import from the write-ahead log into the database file took about 7 % of
    // it; the caller does that afterwards (see above).
    let deferred = crate::db::DeferredCheckpoint::begin(conn)?;
    let result = write_rows(conn, now, actor, p.rows, policy, progress);
    deferred.end(conn)?;
    conn.pragma_update(None, "cache_size", previous)?;
    result
}

/// Write the parsed rows in one transaction (the second half of [`apply`]).
fn write_rows(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    rows: Vec<(usize, std::result::Result<NewCustomer, RowError>)>,
    policy: DuplicatePolicy,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<ImportReport> {
    let total = rows.len();
    let tx = conn.transaction()?;
    let mut lookups = InsertLookups::bulk(&tx, local_year(&tx, now)?)?;
    // Duplicates are found in memory: the stored keys read once, each written row's added.
    let mut known = match policy {
        DuplicatePolicy::Create => None,
        _ => Some(KnownKeys::load(&tx)?),
    };
    // New customers get ids above every existing one; they are indexed for search in bulk
    // after the loop (per-row index maintenance made a 100k import take minutes).
    let (first_new, existing): (i64, i64) = tx.query_row(
        "SELECT coalesce(max(id), 0) + 1, count(*) FROM customers",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // A large import writes faster with the secondary indexes built afterwards.
    let aside = if indexes::SetAside::worthwhile(total, existing) {
        Some(indexes::SetAside::drop_indexes(&tx)?)
    } else {
        None
    };
    let mut report = ImportReport::default();
    let mut updated_new = Vec::new();
    for (i, (n, r)) in rows.into_iter().enumerate() {
        let Ok(c) = r else { continue };
        let dup = known.as_ref().and_then(|k| k.first_match(&probe(&c)));
        let result = match (dup, policy) {
            (Some(_), DuplicatePolicy::Skip) => {
                report.skipped += 1;
                Ok(())
            }
            (Some(id), _) => {
                if id >= first_new {
                    updated_new.push(id);
                }
                update_existing(&tx, now, actor, id, &c).map(|added| {
                    if let Some(k) = known.as_mut() {
                        k.add(id, None, &added);
                    }
                    report.updated += 1;
                })
            }
            (None, _) => {
                insert_customer_unindexed(&tx, now, actor, &mut lookups, &c, HistoryKind::Imported)
                    .map(|id| {
                        if let Some(k) = known.as_mut() {
                            k.add(id, Some(&c.customer.name), &c.contacts);
                        }
                        report.created += 1;
                    })
            }
        };
        if let Err(e) = result {
            report.errors.push(RowError {
                row: n,
                column: String::new(),
                code: e.code().to_string(),
                message: e.to_string(),
            });
        }
        if (i + 1) % 1000 == 0 || i + 1 == total {
            progress(i + 1, total);
        }
    }
    if !report.errors.is_empty() {
        return Ok(ImportReport {
            errors: report.errors,
            ..Default::default()
        });
    }
    // A row that updated a customer created earlier in this file indexed it already.
    updated_new.sort_unstable();
    updated_new.dedup();
    for id in updated_new {
        search_index::unindex(&tx, id)?;
    }
    lookups.finish(&tx)?;
    if let Some(aside) = aside {
        aside.rebuild(&tx)?;
    }
    search_index::index_from(&tx, first_new)?;
    tx.commit()?;
    report.committed = true;
    Ok(report)
}

/// Fill an existing customer from an imported row: non-empty fields overwrite (except the
/// name, which matched), contacts with a
/// new mobile or email are added, tags are added. Every change goes to the history.
/// Returns the contacts added.
fn update_existing(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    c: &NewCustomer,
) -> Result<Vec<ContactInput>> {
    load_visible(conn, actor, id)?;
    search_index::unindex(conn, id)?;
    let new = super::fields::validate_customer(&c.customer)?;
    let mut changed = false;
    for f in super::fields::SCALAR_FIELDS {
        let v = super::fields::scalar_value(&new, f);
        let empty = v.is_null()
            || v == serde_json::json!("")
            || (f == "annual_amount" && v == serde_json::json!(0));
        // The existing legal name stays: the row matched it (maybe written differently).
        if f == "name" {
            continue;
        }
        if empty
            || matches!(
                f,
                "stage" | "tier" | "currency" | "owner_user_id" | "department_id"
            ) && !provided(c, f)
        {
            continue;
        }
        let old = current_value(conn, id, f, None)?;
        if old != v {
            let ch = Change::new(f, None, old, v);
            apply_change(conn, id, &ch)?;
            record(
                conn,
                now,
                Some(actor.user_id),
                id,
                HistoryKind::Imported,
                NewEntry {
                    field: f,
                    old_value: Some(&ch.old),
                    new_value: Some(&ch.new),
                    ..Default::default()
                },
            )?;
            changed = true;
        }
    }
    let existing = contacts_of(conn, id)?;
    let mut added = Vec::new();
    for k in super::contact_rules::validate_contacts(&c.contacts)? {
        let known = existing.iter().any(|e| {
            (!k.mobile.is_empty() && e.mobile == k.mobile)
                || (!k.email.is_empty() && e.email.eq_ignore_ascii_case(&k.email))
                || (e.name == k.name && k.mobile.is_empty() && k.email.is_empty())
        });
        if !known {
            let cid = insert_contact(conn, id, &k, existing.is_empty())?;
            let v = super::fields::contact_json(&k);
            record(
                conn,
                now,
                Some(actor.user_id),
                id,
                HistoryKind::Imported,
                NewEntry {
                    field: "contact_added",
                    contact_id: Some(cid),
                    new_value: Some(&v),
                    ..Default::default()
                },
            )?;
            changed = true;
            added.push(k);
        }
    }
    if !c.tags.is_empty() {
        let old = current_value(conn, id, "tags", None)?;
        let mut names: Vec<String> = serde_json::from_value(old.clone()).unwrap_or_default();
        names.extend(c.tags.iter().cloned());
        let names = super::fields::clean_tags(&names)?;
        let new = super::changes::tags_value(&names);
        if new != old {
            let ch = Change::new("tags", None, old, new);
            apply_change(conn, id, &ch)?;
            record(
                conn,
                now,
                Some(actor.user_id),
                id,
                HistoryKind::Imported,
                NewEntry {
                    field: "tags",
                    old_value: Some(&ch.old),
                    new_value: Some(&ch.new),
                    ..Default::default()
                },
            )?;
            changed = true;
        }
    }
    if changed {
        touch(conn, now, actor.user_id, id)?;
    }
    search_index::index(conn, id)?;
    Ok(added)
}

/// Was this enum-like field actually given in the row (not just its default)?
fn provided(c: &NewCustomer, f: &str) -> bool {
    match f {
        "owner_user_id" => c.customer.owner_user_id.is_some(),
        "department_id" => c.customer.department_id.is_some(),
        "stage" => c.customer.stage != Default::default(),
        "tier" => c.customer.tier != Default::default(),
        _ => true,
    }
}
