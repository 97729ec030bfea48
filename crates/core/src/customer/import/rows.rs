//! Turning one spreadsheet row into a new customer, with errors naming the row and column.
//! Cells are stored verbatim (a formula-looking `=cmd|…` is just text); too-long cells and
//! bad numbers, dates, phones and emails are row errors.

use super::RowError;
use super::mapping::{ColumnMapping, ImportField};
use crate::customer::contact_rules::{split_phone, validate_contacts};
use crate::customer::fields::validate_customer;
use crate::customer::model::{ContactInput, CustomerInput, NewCustomer, Stage, Tier};
use crate::money::Money;
use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use std::collections::HashMap;

/// Parse a date as people type it: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t: String = s
        .trim()
        .chars()
        .map(crate::validate::to_half_width)
        .map(|c| {
            if matches!(c, '/' | '.' | '年' | '月') {
                '-'
            } else {
                c
            }
        })
        .filter(|c| *c != '日')
        .collect();
    let t = t.split_whitespace().next().unwrap_or_default();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Parse an amount, also in 万 (ten thousands): `50万`, `¥12,000.50`, `12000元`.
pub fn parse_amount(s: &str) -> Result<Money> {
    let t = s.trim().trim_end_matches('元').trim();
    if let Some(w) = t.strip_suffix('万') {
        let m = Money::parse(w)?;
        return m
            .0
            .checked_mul(10_000)
            .map(Money)
            .ok_or_else(|| Error::invalid("money.invalid", "amount", "amount too large"));
    }
    Money::parse(t)
}

fn err(row: usize, headers: &[String], col: Option<usize>, e: &Error) -> RowError {
    RowError {
        row,
        column: col
            .and_then(|c| headers.get(c))
            .cloned()
            .unwrap_or_default(),
        code: e.code().to_string(),
        message: e.to_string(),
    }
}

/// Which import field a validation error's form field comes from.
fn field_of_error(e: &Error) -> Option<ImportField> {
    let Error::Invalid { field: Some(f), .. } = e else {
        return None;
    };
    Some(match *f {
        "name" => ImportField::Name,
        "industry" => ImportField::Industry,
        "products" => ImportField::Products,
        "annual_amount" | "amount" => ImportField::AnnualAmount,
        "source" => ImportField::Source,
        "first_feedback" => ImportField::FirstFeedback,
        "next_followup_plan" => ImportField::NextFollowupPlan,
        "contract_end" => ImportField::ContractTerm,
        "contact_name" => ImportField::ContactName,
        "position" => ImportField::ContactPosition,
        "mobile" => ImportField::ContactMobile,
        "landline" => ImportField::ContactLandline,
        "phone" => ImportField::ContactPhone,
        "email" => ImportField::ContactEmail,
        "tags" => ImportField::Tags,
        _ => return None,
    })
}

/// Parse one row (`row` is its spreadsheet number, for messages).
pub fn parse_row(
    cells: &[String],
    headers: &[String],
    mapping: &ColumnMapping,
    users: &HashMap<String, i64>,
    _tz: Tz,
    row: usize,
) -> std::result::Result<NewCustomer, RowError> {
    let get = |f: ImportField| -> &str {
        mapping
            .column_of(f)
            .and_then(|i| cells.get(i))
            .map(|s| s.trim())
            .unwrap_or_default()
    };
    let fail = |f: ImportField, e: Error| err(row, headers, mapping.column_of(f), &e);
    let date = |f: ImportField| -> std::result::Result<Option<NaiveDate>, RowError> {
        match get(f) {
            "" => Ok(None),
            s => parse_date(s).map(Some).ok_or_else(|| {
                fail(
                    f,
                    Error::invalid("import.date_invalid", "date", format!("not a date: {s:?}")),
                )
            }),
        }
    };
    let mut c = CustomerInput {
        name: get(ImportField::Name).to_string(),
        industry: get(ImportField::Industry).to_string(),
        products: get(ImportField::Products).to_string(),
        source: get(ImportField::Source).to_string(),
        first_feedback: get(ImportField::FirstFeedback).to_string(),
        next_followup_plan: get(ImportField::NextFollowupPlan).to_string(),
        coop_start: date(ImportField::CoopStart)?,
        next_followup_on: date(ImportField::NextFollowupOn)?,
        ..Default::default()
    };
    let s = get(ImportField::AnnualAmount);
    if !s.is_empty() {
        c.annual_amount = parse_amount(s).map_err(|e| fail(ImportField::AnnualAmount, e))?;
    }
    match get(ImportField::ContractTerm) {
        "" => {}
        s => {
            c.contract_end = match parse_date(s) {
                Some(d) => Some(d),
                None => {
                    let years: Option<i32> = s
                        .trim_end_matches('年')
                        .trim()
                        .parse()
                        .ok()
                        .filter(|_| s.ends_with('年'));
                    match (years, c.coop_start) {
                        (Some(y), Some(start)) => start.with_year(start.year() + y),
                        _ => {
                            return Err(fail(
                                ImportField::ContractTerm,
                                Error::invalid(
                                    "import.term_invalid",
                                    "contract_end",
                                    format!("give an end date or a number of years: {s:?}"),
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }
    let s = get(ImportField::Tier);
    if !s.is_empty() {
        c.tier = Tier::parse(s).ok_or_else(|| {
            fail(
                ImportField::Tier,
                Error::invalid(
                    "import.tier_invalid",
                    "tier",
                    format!("use A, B or C: {s:?}"),
                ),
            )
        })?;
    }
    let s = get(ImportField::Stage);
    if !s.is_empty() {
        c.stage = Stage::parse(s).ok_or_else(|| {
            fail(
                ImportField::Stage,
                Error::invalid(
                    "import.stage_invalid",
                    "stage",
                    format!("unknown stage {s:?}"),
                ),
            )
        })?;
    }
    let s = get(ImportField::Owner);
    if !s.is_empty() {
        c.owner_user_id = Some(*users.get(&s.to_lowercase()).ok_or_else(|| {
            fail(
                ImportField::Owner,
                Error::invalid(
                    "import.owner_unknown",
                    "owner",
                    format!("no active user {s:?}"),
                ),
            )
        })?);
    }
    let c = validate_customer(&c).map_err(|e| {
        let f = field_of_error(&e).unwrap_or(ImportField::Name);
        fail(f, e)
    })?;

    let mut contacts = Vec::new();
    let (mut mobile, mut landline) = (
        get(ImportField::ContactMobile).to_string(),
        get(ImportField::ContactLandline).to_string(),
    );
    let phone = get(ImportField::ContactPhone);
    if !phone.is_empty() {
        let (m, l) = split_phone(phone).map_err(|e| fail(ImportField::ContactPhone, e))?;
        if mobile.is_empty() {
            mobile = m;
        }
        if landline.is_empty() {
            landline = l;
        }
    }
    let k = ContactInput {
        name: get(ImportField::ContactName).to_string(),
        position: get(ImportField::ContactPosition).to_string(),
        mobile,
        landline,
        email: get(ImportField::ContactEmail).to_string(),
        is_primary: true,
        ..Default::default()
    };
    if !(k.name.is_empty()
        && k.position.is_empty()
        && k.mobile.is_empty()
        && k.landline.is_empty()
        && k.email.is_empty())
    {
        contacts.push(k);
    }
    let contacts = validate_contacts(&contacts).map_err(|e| {
        let f = field_of_error(&e).unwrap_or(ImportField::ContactName);
        fail(f, e)
    })?;
    let tags: Vec<String> = get(ImportField::Tags)
        .split([',', '，', '、', ';', '；', '/', '|'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let tags =
        crate::customer::fields::clean_tags(&tags).map_err(|e| fail(ImportField::Tags, e))?;
    Ok(NewCustomer {
        customer: c,
        contacts,
        tags,
    })
}
