//! The change-request rule: a key-field change waiting longer than
//! [`OVERDUE_AFTER_HOURS`](crate::customer::change_request::OVERDUE_AFTER_HOURS) reminds the
//! people who may decide it — the head of the approving department (the owner's, else the
//! customer's) and every active admin — once each, for as long as it stays pending.

use crate::Result;
use crate::clock::from_unix;
use crate::customer::change_request::OVERDUE_AFTER_HOURS;
use crate::reminder::{Candidate, Stage};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, params};

/// Reminders of change requests pending longer than 24 hours at `now`, one per request and
/// decider (kind and item kind `change_request`, stage overdue; title: the customer's name,
/// body: the requester's reason). The candidate stays current until the request is decided, so
/// a reminder held back by quiet hours still goes out, and a decided one is superseded.
pub fn change_request_candidates(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Candidate>> {
    let admins: Vec<i64> = {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM users WHERE active = 1 AND role = 'admin' ORDER BY id",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let cutoff = now - Duration::hours(OVERDUE_AFTER_HOURS);
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.requested_at, r.reason, c.name,
                (SELECT h.id FROM departments d JOIN users h ON h.id = d.head_user_id
                  WHERE d.id = coalesce(o.department_id, c.department_id)
                    AND h.active = 1 AND h.role = 'head')
         FROM change_requests r JOIN customers c ON c.id = r.customer_id
         LEFT JOIN users o ON o.id = c.owner_user_id
         WHERE r.status = 'pending' AND r.requested_at < ?1
         ORDER BY r.requested_at, r.id",
    )?;
    let rows = stmt.query_map(params![cutoff.timestamp()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<i64>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, requested_at, reason, customer, head) = row?;
        let mut deciders: Vec<i64> = head.into_iter().collect();
        deciders.extend(admins.iter().filter(|a| Some(**a) != head));
        for user in deciders {
            out.push(Candidate {
                kind: "change_request".into(),
                stage: Stage::Overdue,
                item_kind: "change_request".into(),
                item_id: id,
                recipient_user_id: user,
                title: customer.clone(),
                body: reason.clone(),
                due_at: from_unix(requested_at) + Duration::hours(OVERDUE_AFTER_HOURS),
            });
        }
    }
    Ok(out)
}
