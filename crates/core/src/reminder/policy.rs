//! Whether a reminder may go to the desktop now. Pure: the user's preferences, the team
//! calendar and the instant decide. A reminder held back stays pending and is delivered at the
//! first allowed tick (it is never lost: the notification centre shows it at once).

use super::{Reminder, Stage};
use crate::calendar::WorkCalendar;
use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// A user's notification preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prefs {
    /// Start of quiet hours, minutes from local midnight (team time zone).
    pub quiet_start: Option<u16>,
    /// End of quiet hours (exclusive); may be before the start (overnight, e.g. 22:00–08:00).
    pub quiet_end: Option<u16>,
    /// Reminder kinds that never go to the desktop (still listed in the notification centre).
    pub muted_kinds: Vec<String>,
    /// Desktop notifications paused until this instant ("pause for 1 hour" in the tray).
    pub paused_until: Option<DateTime<Utc>>,
}

/// Why a reminder is not shown now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    /// The user paused notifications.
    Paused,
    /// Inside the user's quiet hours.
    QuietHours,
    /// An escalation outside business hours.
    OutsideBusinessHours,
    /// The user muted this kind: it stays in the notification centre only.
    Muted,
}

/// May `reminder` be shown on the desktop at `now`? `Ok(())` or the reason to hold it.
pub fn may_deliver(
    reminder: &Reminder,
    prefs: &Prefs,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
) -> Result<(), Hold> {
    if prefs.muted_kinds.iter().any(|k| k == &reminder.kind) {
        return Err(Hold::Muted);
    }
    if prefs.paused_until.is_some_and(|until| now < until) {
        return Err(Hold::Paused);
    }
    if let (Some(start), Some(end)) = (prefs.quiet_start, prefs.quiet_end) {
        let local = now.with_timezone(&calendar.tz);
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let quiet = if start <= end {
            minute >= start && minute < end
        } else {
            minute >= start || minute < end
        };
        if quiet {
            return Err(Hold::QuietHours);
        }
    }
    if reminder.stage.is_escalation() && !calendar.is_open_at(now) {
        return Err(Hold::OutsideBusinessHours);
    }
    Ok(())
}

/// What to show after a time away: one summary instead of a flood when more than `threshold`
/// reminders are waiting. Returns counts per kind, largest first, or `None` when the
/// reminders should be shown one by one.
pub fn summarise(pending: &[Reminder], threshold: usize) -> Option<Vec<(String, usize)>> {
    if pending.len() <= threshold {
        return None;
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for r in pending {
        match counts.iter_mut().find(|(k, _)| k == &r.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.kind.clone(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(counts)
}

/// What one scheduler tick shows on the desktop for one user.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeliveryPlan {
    /// One notification summing up a backlog (counts per kind), instead of a flood.
    pub summary: Option<Vec<(String, usize)>>,
    /// Ids the summary stands for (marked delivered with it).
    pub summarised: Vec<i64>,
    /// Reminders to show one by one, most urgent first.
    pub individual: Vec<Reminder>,
    /// Reminders held back for now (shown at a later tick).
    pub held: Vec<(i64, Hold)>,
}

/// Decide what to show now out of a user's pending reminders: those the preferences and the
/// calendar allow, as one summary when more than `flood` are waiting (after a time away), one
/// by one otherwise.
pub fn plan_delivery(
    pending: &[Reminder],
    prefs: &Prefs,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
    flood: usize,
) -> DeliveryPlan {
    let mut plan = DeliveryPlan::default();
    let mut allowed = Vec::new();
    for r in pending {
        match may_deliver(r, prefs, calendar, now) {
            Ok(()) => allowed.push(r.clone()),
            Err(hold) => plan.held.push((r.id, hold)),
        }
    }
    allowed.sort_by_key(|r| urgency(r.stage));
    match summarise(&allowed, flood) {
        Some(counts) => {
            plan.summary = Some(counts);
            plan.summarised = allowed.iter().map(|r| r.id).collect();
        }
        None => plan.individual = allowed,
    }
    plan
}

/// Escalations outrank overdue items, which outrank due ones: the order to show pending
/// reminders in, most urgent first.
pub fn urgency(stage: Stage) -> u8 {
    match stage {
        Stage::Escalated2 => 0,
        Stage::Escalated1 => 1,
        Stage::Overdue => 2,
        Stage::Due => 3,
        Stage::DueSoon => 4,
        Stage::Info => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WeeklyHours;
    use chrono::TimeZone;

    fn cal() -> WorkCalendar {
        WorkCalendar::new(chrono_tz::Asia::Shanghai, WeeklyHours::default_china())
    }

    fn reminder(kind: &str, stage: Stage) -> Reminder {
        let t = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        Reminder {
            id: 1,
            kind: kind.into(),
            stage,
            item_kind: "task".into(),
            item_id: 7,
            recipient_user_id: 1,
            title: "回访".into(),
            body: String::new(),
            due_at: t,
            created_at: t,
            delivered_at: None,
            read_at: None,
        }
    }

    /// 2026-11-23 is a Monday; `h` is the hour in Shanghai.
    fn monday_local(h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 11, 23, h, m, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn quiet_hours_overnight_hold_then_release() {
        let prefs = Prefs {
            quiet_start: Some(22 * 60),
            quiet_end: Some(8 * 60),
            ..Prefs::default()
        };
        let r = reminder("task", Stage::Due);
        assert_eq!(
            may_deliver(&r, &prefs, &cal(), monday_local(23, 0)),
            Err(Hold::QuietHours)
        );
        assert_eq!(
            may_deliver(&r, &prefs, &cal(), monday_local(7, 59)),
            Err(Hold::QuietHours)
        );
        assert_eq!(may_deliver(&r, &prefs, &cal(), monday_local(8, 0)), Ok(()));
    }

    #[test]
    fn pause_and_mute() {
        let now = monday_local(10, 0);
        let paused = Prefs {
            paused_until: Some(now + chrono::Duration::hours(1)),
            ..Prefs::default()
        };
        let r = reminder("task", Stage::Due);
        assert_eq!(may_deliver(&r, &paused, &cal(), now), Err(Hold::Paused));
        assert_eq!(
            may_deliver(&r, &paused, &cal(), now + chrono::Duration::hours(1)),
            Ok(())
        );
        let muted = Prefs {
            muted_kinds: vec!["task".into()],
            ..Prefs::default()
        };
        assert_eq!(may_deliver(&r, &muted, &cal(), now), Err(Hold::Muted));
        assert_eq!(
            may_deliver(&reminder("care", Stage::Due), &muted, &cal(), now),
            Ok(())
        );
    }

    #[test]
    fn escalations_wait_for_business_hours() {
        let r = reminder("feedback_resolution", Stage::Escalated1);
        assert_eq!(
            may_deliver(&r, &Prefs::default(), &cal(), monday_local(20, 0)),
            Err(Hold::OutsideBusinessHours)
        );
        assert_eq!(
            may_deliver(&r, &Prefs::default(), &cal(), monday_local(9, 30)),
            Ok(())
        );
        // An ordinary due reminder is not held in the evening.
        assert_eq!(
            may_deliver(
                &reminder("task", Stage::Due),
                &Prefs::default(),
                &cal(),
                monday_local(20, 0)
            ),
            Ok(())
        );
    }

    #[test]
    fn delivery_plan_holds_summarises_or_lists() {
        let now = monday_local(23, 0);
        let prefs = Prefs {
            quiet_start: Some(22 * 60),
            quiet_end: Some(7 * 60),
            ..Prefs::default()
        };
        let mut pending: Vec<Reminder> = (1..=5)
            .map(|i| Reminder {
                id: i,
                ..reminder("task", Stage::Due)
            })
            .collect();
        let plan = plan_delivery(&pending, &prefs, &cal(), now, 3);
        assert_eq!(plan.held.len(), 5, "quiet hours hold everything");
        assert!(plan.summary.is_none() && plan.individual.is_empty());
        let morning = monday_local(9, 0) + chrono::Duration::days(1);
        let plan = plan_delivery(&pending, &prefs, &cal(), morning, 3);
        assert_eq!(plan.summary, Some(vec![("task".to_string(), 5)]));
        assert_eq!(plan.summarised.len(), 5);
        pending.truncate(2);
        pending[1].stage = Stage::Overdue;
        let plan = plan_delivery(&pending, &prefs, &cal(), morning, 3);
        assert!(plan.summary.is_none());
        assert_eq!(
            plan.individual.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![2, 1],
            "overdue first"
        );
    }

    #[test]
    fn a_backlog_becomes_one_summary() {
        let mut pending: Vec<Reminder> = (0..5).map(|_| reminder("task", Stage::Due)).collect();
        pending.extend((0..2).map(|_| reminder("feedback_resolution", Stage::Overdue)));
        assert_eq!(summarise(&pending[..2], 3), None);
        assert_eq!(
            summarise(&pending, 3),
            Some(vec![
                ("task".to_string(), 5),
                ("feedback_resolution".to_string(), 2)
            ])
        );
        assert!(urgency(Stage::Escalated2) < urgency(Stage::Overdue));
    }
}
