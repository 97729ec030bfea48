//! The quarter-end review (清查行动, seed 1.3). Near each quarter's end a review opens on its
//! own (the scheduler's tick or the first read, whichever comes first — [`ensure_current`] is
//! idempotent) with one item per active customer (not archived, not churned). Owners confirm
//! each item (still active / renewed / churned / stage change, with a note); a stage change
//! or churn follows the normal key-field rule (staff file a change request, approvers change
//! the stage directly). Every confirmation is written to the customer's history. When the
//! review closes, items left unconfirmed are flagged; closed reviews stay readable.
//!
//! Timing, in the team's time zone: the review of quarter Q opens at 00:00 on the
//! [`OPENS_DAYS_BEFORE_END`]th day before the next quarter starts and closes at 00:00
//! [`CLOSES_DAYS_AFTER_END`] days after it started (time to finish over the new year).

use super::change_request::key_fields;
use super::changes::Change;
use super::history::{HistoryKind, NewEntry, record};
use super::model::Stage;
use super::scope::{can_see, sql_filter};
use super::store::{apply_recorded, load, request_recorded, touch};
use crate::account::Actor;
use crate::permission::{Action, Role};
use crate::today::local_midnight;
use crate::{Error, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Days before the next quarter starts on which a review opens (the last week of the quarter).
pub const OPENS_DAYS_BEFORE_END: i64 = 7;
/// Days into the next quarter after which a review closes on its own.
pub const CLOSES_DAYS_AFTER_END: i64 = 14;

/// The opening window of one quarter's review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewWindow {
    /// The year of the quarter.
    pub year: i32,
    /// 1–4.
    pub quarter: u32,
    /// When it opens.
    pub opens_at: DateTime<Utc>,
    /// When it closes (unconfirmed items are flagged from then on).
    pub closes_at: DateTime<Utc>,
}

/// The first day of the quarter after (`year`, `quarter`).
fn next_quarter_start(year: i32, quarter: u32) -> NaiveDate {
    let (y, m) = if quarter >= 4 {
        (year + 1, 1)
    } else {
        (year, quarter * 3 + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
}

/// The window of the review of (`year`, `quarter`) in time zone `tz`.
pub fn window(year: i32, quarter: u32, tz: Tz) -> ReviewWindow {
    let end = next_quarter_start(year, quarter);
    ReviewWindow {
        year,
        quarter,
        opens_at: local_midnight(end - Duration::days(OPENS_DAYS_BEFORE_END), tz),
        closes_at: local_midnight(end + Duration::days(CLOSES_DAYS_AFTER_END), tz),
    }
}

/// The review window `now` falls in, if any: this quarter's (in its last week) or the previous
/// quarter's (in the first two weeks of this one).
pub fn window_at(now: DateTime<Utc>, tz: Tz) -> Option<ReviewWindow> {
    let d = now.with_timezone(&tz).date_naive();
    let q = d.month0() / 3 + 1;
    let prev = if q == 1 {
        (d.year() - 1, 4)
    } else {
        (d.year(), q - 1)
    };
    [(d.year(), q), prev]
        .into_iter()
        .map(|(y, q)| window(y, q, tz))
        .find(|w| w.opens_at <= now && now < w.closes_at)
}

/// Close reviews whose time is up and open the one `now` calls for, with an item per active
/// customer. Idempotent (one review per quarter, ever; a closed review is never reopened), so
/// the scheduler's tick and every read may call it. Returns the open review's id, if any.
pub fn ensure_current(conn: &Connection, now: DateTime<Utc>) -> Result<Option<i64>> {
    let tz = crate::plan::team_tz(conn)?;
    crate::plan::atomically(conn, || {
        conn.execute(
            "UPDATE quarter_reviews SET closed_at = closes_at
             WHERE closed_at IS NULL AND closes_at <= ?1",
            [now.timestamp()],
        )?;
        let Some(w) = window_at(now, tz) else {
            return Ok(None);
        };
        let opened = conn.execute(
            "INSERT OR IGNORE INTO quarter_reviews (year, quarter, opened_at, closes_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![w.year, w.quarter, now.timestamp(), w.closes_at.timestamp()],
        )?;
        let (id, closed): (i64, Option<i64>) = conn.query_row(
            "SELECT id, closed_at FROM quarter_reviews WHERE year = ?1 AND quarter = ?2",
            params![w.year, w.quarter],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if closed.is_some() {
            return Ok(None);
        }
        if opened == 1 {
            conn.execute(
                "INSERT INTO review_items (review_id, customer_id, owner_user_id)
                 SELECT ?1, id, owner_user_id FROM customers
                 WHERE archived = 0 AND stage <> 'churned'",
                [id],
            )?;
        }
        // Unconfirmed items follow the customer to a new owner (a handover mid-review).
        conn.execute(
            "UPDATE review_items SET owner_user_id =
                 (SELECT c.owner_user_id FROM customers c WHERE c.id = review_items.customer_id)
             WHERE review_id = ?1 AND outcome IS NULL",
            [id],
        )?;
        Ok(Some(id))
    })
}

/// How an owner confirms a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still active, nothing to change.
    Active,
    /// The contract was renewed.
    Renewed,
    /// Lost: the stage becomes churned.
    Churned,
    /// The stage moves (to `new_stage`).
    StageChange,
}

impl Outcome {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Active => "active",
            Outcome::Renewed => "renewed",
            Outcome::Churned => "churned",
            Outcome::StageChange => "stage_change",
        }
    }

    fn parse(s: &str) -> Option<Outcome> {
        [
            Outcome::Active,
            Outcome::Renewed,
            Outcome::Churned,
            Outcome::StageChange,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }
}

/// A review, as the list of reviews and the review page show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// Id.
    pub id: i64,
    /// Year of the quarter.
    pub year: i32,
    /// Quarter 1–4.
    pub quarter: u32,
    /// When it opened (Unix seconds).
    pub opened_at: i64,
    /// When it closes or closed on its own.
    pub closes_at: i64,
    /// When it closed.
    pub closed_at: Option<i64>,
    /// Items the reader sees.
    pub total: i64,
    /// Of those, confirmed.
    pub confirmed: i64,
}

/// One owner's progress in a review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerProgress {
    /// The owner (none when the customer has no owner).
    pub owner_user_id: Option<i64>,
    /// Customers to confirm.
    pub total: i64,
    /// Confirmed.
    pub confirmed: i64,
    /// Left unconfirmed by a closed review.
    pub flagged: i64,
}

/// One customer in a review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewItem {
    /// The customer.
    pub customer_id: i64,
    /// Its number.
    pub customer_number: String,
    /// Its name.
    pub customer_name: String,
    /// Its stage now.
    pub stage: Stage,
    /// Who confirms it.
    pub owner_user_id: Option<i64>,
    /// How it was confirmed (none yet).
    pub outcome: Option<Outcome>,
    /// The stage asked for by a stage change.
    pub new_stage: Option<Stage>,
    /// The owner's note.
    pub note: String,
    /// Who confirmed.
    pub confirmed_by: Option<i64>,
    /// When.
    pub confirmed_at: Option<i64>,
    /// The change request a staff confirmation filed, when the stage waits for approval.
    pub change_request_id: Option<i64>,
    /// Left unconfirmed when the review closed.
    pub flagged: bool,
}

/// A review with its per-owner progress and the items asked for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewDetail {
    /// The review (counts within the reader's scope).
    pub review: Review,
    /// Progress per owner, within the reader's scope (staff: their own only).
    pub progress: Vec<OwnerProgress>,
    /// Items (of one owner when asked), by customer number (a stable order for the keyboard).
    pub items: Vec<ReviewItem>,
}

/// The stored columns of review `id`.
type ReviewRow = (i64, i32, u32, i64, i64, Option<i64>);

fn review_row(conn: &Connection, id: i64) -> Result<ReviewRow> {
    conn.query_row(
        "SELECT id, year, quarter, opened_at, closes_at, closed_at FROM quarter_reviews WHERE id = ?1",
        [id],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        },
    )
    .optional()?
    .ok_or(Error::NotFound("review"))
}

/// Per-owner progress of review `id` within the actor's scope.
fn progress(conn: &Connection, actor: &Actor, id: i64) -> Result<Vec<OwnerProgress>> {
    let mut p = vec![rusqlite::types::Value::Integer(id)];
    let filter = sql_filter(actor, "c", &mut p);
    let mut stmt = conn.prepare(&format!(
        "SELECT ri.owner_user_id, count(*), count(ri.outcome),
                sum(ri.outcome IS NULL AND q.closed_at IS NOT NULL)
         FROM review_items ri JOIN customers c ON c.id = ri.customer_id
         JOIN quarter_reviews q ON q.id = ri.review_id
         WHERE ri.review_id = ?1{filter}
         GROUP BY ri.owner_user_id ORDER BY count(*) - count(ri.outcome) DESC, ri.owner_user_id"
    ))?;
    let rows = stmt
        .query_map(params_from_iter(p.iter()), |r| {
            Ok(OwnerProgress {
                owner_user_id: r.get(0)?,
                total: r.get(1)?,
                confirmed: r.get(2)?,
                flagged: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn to_review(row: ReviewRow, progress: &[OwnerProgress]) -> Review {
    Review {
        id: row.0,
        year: row.1,
        quarter: row.2,
        opened_at: row.3,
        closes_at: row.4,
        closed_at: row.5,
        total: progress.iter().map(|p| p.total).sum(),
        confirmed: progress.iter().map(|p| p.confirmed).sum(),
    }
}

/// Every review, newest first, with the counts the actor sees. Opens the current one first
/// when it is due (the first access does what the scheduler would).
pub fn list_reviews(conn: &Connection, now: DateTime<Utc>, actor: &Actor) -> Result<Vec<Review>> {
    actor.require(Action::CustomerView)?;
    ensure_current(conn, now)?;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM quarter_reviews ORDER BY year DESC, quarter DESC")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|id| {
            let p = progress(conn, actor, id)?;
            Ok(to_review(review_row(conn, id)?, &p))
        })
        .collect()
}

/// One review: progress per owner and its items within the actor's scope, only those of
/// `owner` when given (the "my customers" list passes the actor's own id).
pub fn review_detail(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    owner: Option<i64>,
) -> Result<ReviewDetail> {
    actor.require(Action::CustomerView)?;
    ensure_current(conn, now)?;
    let row = review_row(conn, id)?;
    let progress = progress(conn, actor, id)?;
    let mut p = vec![rusqlite::types::Value::Integer(id)];
    let mut filter = sql_filter(actor, "c", &mut p);
    if let Some(o) = owner {
        p.push(rusqlite::types::Value::Integer(o));
        filter.push_str(&format!(" AND ri.owner_user_id = ?{}", p.len()));
    }
    let closed = row.5.is_some();
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.number, c.name, c.stage, ri.owner_user_id, ri.outcome, ri.new_stage,
                ri.note, ri.confirmed_by, ri.confirmed_at, ri.change_request_id
         FROM review_items ri JOIN customers c ON c.id = ri.customer_id
         WHERE ri.review_id = ?1{filter}
         ORDER BY c.number"
    ))?;
    let items = stmt
        .query_map(params_from_iter(p.iter()), |r| {
            let outcome = r
                .get::<_, Option<String>>(5)?
                .and_then(|s| Outcome::parse(&s));
            Ok(ReviewItem {
                customer_id: r.get(0)?,
                customer_number: r.get(1)?,
                customer_name: r.get(2)?,
                stage: Stage::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
                owner_user_id: r.get(4)?,
                outcome,
                new_stage: r
                    .get::<_, Option<String>>(6)?
                    .and_then(|s| Stage::parse(&s)),
                note: r.get(7)?,
                confirmed_by: r.get(8)?,
                confirmed_at: r.get(9)?,
                change_request_id: r.get(10)?,
                flagged: closed && outcome.is_none(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ReviewDetail {
        review: to_review(row, &progress),
        progress,
        items,
    })
}

/// What the owner says about one customer.
#[derive(Debug, Clone, Deserialize)]
pub struct ConfirmInput {
    /// The review.
    pub review_id: i64,
    /// The customer.
    pub customer_id: i64,
    /// How.
    pub outcome: Outcome,
    /// The new stage, for a stage change.
    #[serde(default)]
    pub new_stage: Option<Stage>,
    /// A note (required for churn and stage changes: it is the change's reason).
    #[serde(default)]
    pub note: String,
}

/// Confirm one customer of an open review. Churn and stage changes change the stage through
/// the key-field rule: staff file a change request (the note is its reason), heads,
/// supervisors and admins change it at once. The confirmation goes into the customer's
/// history (kind `reviewed`, field `review`). Confirming twice is refused.
pub fn confirm(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &ConfirmInput,
) -> Result<ReviewItem> {
    actor.require(Action::ReviewConfirm)?;
    let note = crate::validate::text("note", &input.note)?;
    ensure_current(conn, now)?;
    let tx = conn.transaction()?;
    let row = review_row(&tx, input.review_id)?;
    if row.5.is_some() {
        return Err(Error::conflict(
            "review.closed",
            "this review is closed; it can only be read",
        ));
    }
    let confirmed: Option<Option<String>> = tx
        .query_row(
            "SELECT outcome FROM review_items WHERE review_id = ?1 AND customer_id = ?2",
            params![input.review_id, input.customer_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(confirmed) = confirmed else {
        return Err(Error::NotFound("review_item"));
    };
    let c = load(&tx, input.customer_id)?;
    if !can_see(actor, c.owner_user_id, c.department_id) {
        return Err(Error::NotFound("review_item"));
    }
    if confirmed.is_some() {
        return Err(Error::conflict(
            "review.already_confirmed",
            "this customer was already confirmed in this review",
        ));
    }
    let target = match input.outcome {
        Outcome::Active | Outcome::Renewed => None,
        Outcome::Churned => Some(Stage::Churned),
        Outcome::StageChange => match input.new_stage {
            Some(s) if s != c.stage => Some(s),
            Some(_) => {
                return Err(Error::invalid(
                    "review.stage_unchanged",
                    "new_stage",
                    "choose a stage other than the current one",
                ));
            }
            None => {
                return Err(Error::invalid(
                    "review.stage_required",
                    "new_stage",
                    "choose the new stage",
                ));
            }
        },
    };
    let target = target.filter(|s| *s != c.stage);
    if target.is_some() && note.trim().is_empty() {
        return Err(Error::invalid(
            "review.note_required",
            "note",
            "say why the stage changes",
        ));
    }
    if target.is_some() && c.archived {
        return Err(Error::conflict(
            "customer.archived",
            "restore the customer before editing it",
        ));
    }
    let mut request = None;
    if let Some(stage) = target {
        let ch = Change::new("stage", None, json!(c.stage), json!(stage));
        let needs_approval =
            actor.role == Role::Staff && key_fields(&tx)?.iter().any(|k| k == "stage");
        if needs_approval {
            request = Some(request_recorded(&tx, now, actor.user_id, c.id, &ch, &note)?);
        } else {
            apply_recorded(&tx, now, actor.user_id, c.id, &ch)?;
            touch(&tx, now, actor.user_id, c.id)?;
        }
    }
    let entry = json!({
        "year": row.1, "quarter": row.2, "outcome": input.outcome.as_str(),
        "new_stage": target.map(Stage::as_str), "note": note,
    });
    record(
        &tx,
        now,
        Some(actor.user_id),
        c.id,
        HistoryKind::Reviewed,
        NewEntry {
            field: "review",
            new_value: Some(&entry),
            change_request_id: request,
            ..Default::default()
        },
    )?;
    tx.execute(
        "UPDATE review_items SET outcome = ?1, new_stage = ?2, note = ?3, confirmed_by = ?4,
             confirmed_at = ?5, change_request_id = ?6, owner_user_id = ?7
         WHERE review_id = ?8 AND customer_id = ?9",
        params![
            input.outcome.as_str(),
            target.map(Stage::as_str),
            note,
            actor.user_id,
            now.timestamp(),
            request,
            c.owner_user_id,
            input.review_id,
            c.id
        ],
    )?;
    tx.commit()?;
    review_detail(conn, now, actor, input.review_id, None)?
        .items
        .into_iter()
        .find(|i| i.customer_id == input.customer_id)
        .ok_or(Error::NotFound("review_item"))
}

#[cfg(test)]
mod tests;
