//! Survey responses: NPS ("how likely are you to recommend us", 0–10) and CSAT (1–5) answers
//! recorded against a customer, optionally tied to an interaction or a feedback item, by hand or
//! imported from a survey tool's export. The dashboard's satisfaction figures
//! (`crate::insight`) are computed from these rows.

pub mod import;

use crate::account::Actor;
use crate::customer::scope::can_see;
use crate::permission::Action;
use crate::validate::text;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Which question was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyKind {
    /// Net Promoter Score question, 0–10.
    Nps,
    /// Customer satisfaction, 1–5.
    Csat,
}

impl SurveyKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyKind::Nps => "nps",
            SurveyKind::Csat => "csat",
        }
    }

    /// Parse the stored name (also accepted in imports, case-insensitive).
    pub fn parse(s: &str) -> Option<SurveyKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nps" => Some(SurveyKind::Nps),
            "csat" => Some(SurveyKind::Csat),
            _ => None,
        }
    }

    /// The allowed score range, inclusive.
    pub fn range(self) -> (i64, i64) {
        match self {
            SurveyKind::Nps => (0, 10),
            SurveyKind::Csat => (1, 5),
        }
    }
}

/// Refuse a score outside the kind's range (`survey.score_invalid`).
pub fn check_score(kind: SurveyKind, score: i64) -> Result<i64> {
    let (lo, hi) = kind.range();
    if (lo..=hi).contains(&score) {
        Ok(score)
    } else {
        Err(Error::invalid(
            "survey.score_invalid",
            "score",
            format!("a {} score is {lo} to {hi}", kind.as_str()),
        ))
    }
}

/// What the recording form (and each imported row) sends.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewResponse {
    /// The customer who answered.
    pub customer_id: i64,
    /// NPS or CSAT.
    pub kind: SurveyKind,
    /// The answer.
    pub score: i64,
    /// When they answered (default: now).
    #[serde(default)]
    pub responded_at: Option<DateTime<Utc>>,
    /// The interaction the survey followed, if any (must belong to the customer).
    #[serde(default)]
    pub interaction_id: Option<i64>,
    /// The feedback item the survey followed, if any (must belong to the customer).
    #[serde(default)]
    pub feedback_id: Option<i64>,
    /// Free comment of the customer.
    #[serde(default)]
    pub comment: String,
}

/// One stored response, as the customer page lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyResponse {
    /// Row id.
    pub id: i64,
    /// The customer.
    pub customer_id: i64,
    /// NPS or CSAT.
    pub kind: SurveyKind,
    /// The answer.
    pub score: i64,
    /// When they answered.
    pub responded_at: DateTime<Utc>,
    /// Linked interaction.
    pub interaction_id: Option<i64>,
    /// Linked feedback item.
    pub feedback_id: Option<i64>,
    /// Comment.
    pub comment: String,
    /// `manual` or `import`.
    pub source: String,
}

/// The customer's owner and department, or `NotFound` when `actor` may not see it.
fn visible_customer(conn: &Connection, actor: &Actor, id: i64) -> Result<()> {
    let row: Option<(Option<i64>, Option<i64>)> = conn
        .query_row(
            "SELECT owner_user_id, department_id FROM customers WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((owner, dept)) if can_see(actor, owner, dept) => Ok(()),
        _ => Err(Error::NotFound("customer")),
    }
}

/// Check a linked record belongs to the customer (`survey.link_mismatch`).
fn check_link(conn: &Connection, table: &str, id: Option<i64>, customer: i64) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    let owner: Option<Option<i64>> = conn
        .query_row(
            &format!("SELECT customer_id FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?;
    if owner.flatten() == Some(customer) {
        Ok(())
    } else {
        Err(Error::invalid(
            "survey.link_mismatch",
            if table == "interactions" {
                "interaction_id"
            } else {
                "feedback_id"
            },
            "the linked record belongs to another customer",
        ))
    }
}

/// Insert one checked response; shared by [`record`] and the import (inside its transaction).
pub(crate) fn insert(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &NewResponse,
    source: &str,
) -> Result<i64> {
    visible_customer(conn, actor, input.customer_id)?;
    let score = check_score(input.kind, input.score)?;
    let at = input.responded_at.unwrap_or(now);
    if at > now {
        return Err(Error::invalid(
            "survey.in_future",
            "responded_at",
            "a response cannot be dated in the future",
        ));
    }
    check_link(
        conn,
        "interactions",
        input.interaction_id,
        input.customer_id,
    )?;
    check_link(conn, "feedback_items", input.feedback_id, input.customer_id)?;
    let comment = text("comment", &input.comment)?;
    conn.execute(
        "INSERT INTO survey_responses (customer_id, kind, score, interaction_id, feedback_id, comment,
             responded_at, source, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            input.customer_id,
            input.kind.as_str(),
            score,
            input.interaction_id,
            input.feedback_id,
            comment,
            at.timestamp(),
            source,
            actor.user_id,
            now.timestamp()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Record a response by hand (`SurveyRecord`, on a customer the actor sees).
pub fn record(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &NewResponse,
) -> Result<SurveyResponse> {
    actor.require(Action::SurveyRecord)?;
    let id = insert(conn, now, actor, input, "manual")?;
    get(conn, id)
}

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<SurveyResponse> {
    let kind: String = r.get(2)?;
    Ok(SurveyResponse {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        kind: SurveyKind::parse(&kind).unwrap_or(SurveyKind::Csat),
        score: r.get(3)?,
        responded_at: crate::clock::from_unix(r.get(4)?),
        interaction_id: r.get(5)?,
        feedback_id: r.get(6)?,
        comment: r.get(7)?,
        source: r.get(8)?,
    })
}

const COLUMNS: &str =
    "id, customer_id, kind, score, responded_at, interaction_id, feedback_id, comment, source";

fn get(conn: &Connection, id: i64) -> Result<SurveyResponse> {
    Ok(conn.query_row(
        &format!("SELECT {COLUMNS} FROM survey_responses WHERE id = ?1"),
        [id],
        read,
    )?)
}

/// A customer's responses, newest first (`CustomerView` on a visible customer).
pub fn for_customer(
    conn: &Connection,
    actor: &Actor,
    customer_id: i64,
) -> Result<Vec<SurveyResponse>> {
    actor.require(Action::CustomerView)?;
    visible_customer(conn, actor, customer_id)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM survey_responses WHERE customer_id = ?1 ORDER BY responded_at DESC, id DESC"
    ))?;
    let rows = stmt
        .query_map([customer_id], read)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Fixture, t};

    fn input(customer: i64, kind: SurveyKind, score: i64) -> NewResponse {
        NewResponse {
            customer_id: customer,
            kind,
            score,
            responded_at: None,
            interaction_id: None,
            feedback_id: None,
            comment: "很好".into(),
        }
    }

    #[test]
    fn records_within_range_and_scope() {
        let f = Fixture::new();
        let now = t(2026, 5, 10, 3, 0);
        let r = record(
            &f.conn,
            now,
            &f.staff1,
            &input(f.cust1, SurveyKind::Nps, 10),
        )
        .unwrap();
        assert_eq!(
            (r.score, r.responded_at, r.source.as_str()),
            (10, now, "manual")
        );
        for (kind, bad) in [
            (SurveyKind::Nps, 11),
            (SurveyKind::Nps, -1),
            (SurveyKind::Csat, 0),
            (SurveyKind::Csat, 6),
        ] {
            let e = record(&f.conn, now, &f.staff1, &input(f.cust1, kind, bad)).unwrap_err();
            assert_eq!(e.code(), "survey.score_invalid");
        }
        // Staff may not record on someone else's customer; viewers not at all.
        assert!(matches!(
            record(
                &f.conn,
                now,
                &f.staff1,
                &input(f.cust2, SurveyKind::Csat, 3)
            ),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            record(
                &f.conn,
                now,
                &f.viewer,
                &input(f.cust1, SurveyKind::Csat, 3)
            ),
            Err(Error::Forbidden(_))
        ));
        let mut future = input(f.cust1, SurveyKind::Csat, 4);
        future.responded_at = Some(t(2026, 6, 1, 0, 0));
        assert_eq!(
            record(&f.conn, now, &f.staff1, &future).unwrap_err().code(),
            "survey.in_future"
        );
        assert_eq!(for_customer(&f.conn, &f.head1, f.cust1).unwrap().len(), 1);
    }

    #[test]
    fn a_linked_interaction_must_belong_to_the_customer() {
        let f = Fixture::new();
        f.conn
            .execute(
                "INSERT INTO interactions (customer_id, occurred_at, channel, subject, created_at, updated_at)
                 VALUES (?1, 0, 'phone', 'x', 0, 0)",
                [f.cust1b],
            )
            .unwrap();
        let other = f.conn.last_insert_rowid();
        let mut i = input(f.cust1, SurveyKind::Csat, 4);
        i.interaction_id = Some(other);
        let e = record(&f.conn, t(2026, 5, 1, 0, 0), &f.admin, &i).unwrap_err();
        assert_eq!(e.code(), "survey.link_mismatch");
        i.customer_id = f.cust1b;
        assert!(record(&f.conn, t(2026, 5, 1, 0, 0), &f.admin, &i).is_ok());
    }
}
