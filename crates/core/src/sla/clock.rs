//! The SLA clock: a pure function of (targets, calendar, creation, events, now) → [`SlaState`].
//!
//! Definitions:
//! - The **response clock** runs from creation until the first customer-facing response (an
//!   internal note is not an event here at all). Closing an item before any response stops it
//!   without a response. It is never paused.
//! - The **resolution clock** runs from creation until the item is closed. Awaiting the
//!   customer's confirmation pauses it; leaving that state resumes it; a reopen after closing
//!   resumes it too. Paused and closed stretches push the deadline back by their length measured
//!   in the target's basis (calendar seconds, or business minutes added with
//!   `add_business_minutes`), so a pause never shortens a deadline. While paused, the stage and
//!   the time left are frozen at their values when the pause began; the reported due instant
//!   keeps moving with the pause.
//! - A deadline is met by an event at or before the due instant; it is breached strictly after.
//! - **Stages**: `due_soon` once ≥ 75 % of the allowed time (in the target's basis) is used;
//!   `escalated_level_1` (department head alerted) as soon as the resolution limit is breached;
//!   `escalated_level_2` (supervisor alerted) from one working day after that breach
//!   (`add_working_days(due, 1)`, whatever the target's basis); `breached` when a target was
//!   missed but no escalation runs: a first response overdue on an item whose resolution limit
//!   still holds, or a closed item that was resolved late. The stage of an open item is the worse
//!   of its pending response clock and its resolution clock; a closed item is `on_track` or
//!   `breached` by its resolution alone.
//! - **Elapsed** durations count the resolution clock's running time (pauses and closed
//!   stretches excluded): calendar seconds, and business time in whole minutes (×60) per running
//!   stretch, so business elapsed ≤ calendar elapsed.
//! - Events before creation count as at creation; events after `now` are ignored; events that
//!   make no sense in the current state (resuming a running clock) are ignored.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{Basis, PriorityTargets, SlaTarget, Unit};
use crate::Result;
use crate::calendar::WorkCalendar;

/// Something that happened to an item that the clocks care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaEventKind {
    /// A recorded customer-facing contact (stops the response clock the first time).
    Responded,
    /// Entered "awaiting customer confirmation" (pauses the resolution clock).
    Paused,
    /// Left "awaiting customer confirmation" back to work (resumes it).
    Resumed,
    /// Closed (or merged as a duplicate): stops both clocks.
    Closed,
    /// Reopened after closing or from awaiting confirmation: resumes the resolution clock.
    Reopened,
}

/// One clock event at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub kind: SlaEventKind,
}

/// How urgent an item's SLA situation is, in increasing order of severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaStage {
    /// Less than 75 % of the allowed time used.
    OnTrack,
    /// At least 75 % used: the assignee is reminded.
    DueSoon,
    /// A target was missed without a running escalation (see the module doc).
    Breached,
    /// The resolution limit is breached: the department head is alerted.
    #[serde(rename = "escalated_level_1")]
    EscalatedLevel1,
    /// One working day after the breach: the supervisor is alerted.
    #[serde(rename = "escalated_level_2")]
    EscalatedLevel2,
}

impl SlaStage {
    /// Every stage, in order.
    pub const ALL: [SlaStage; 5] = [
        SlaStage::OnTrack,
        SlaStage::DueSoon,
        SlaStage::Breached,
        SlaStage::EscalatedLevel1,
        SlaStage::EscalatedLevel2,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SlaStage::OnTrack => "on_track",
            SlaStage::DueSoon => "due_soon",
            SlaStage::Breached => "breached",
            SlaStage::EscalatedLevel1 => "escalated_level_1",
            SlaStage::EscalatedLevel2 => "escalated_level_2",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<SlaStage> {
        SlaStage::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The SLA situation of an item at an instant, for badges, queues and the overdue scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlaState {
    /// When the first response is due.
    pub response_due: DateTime<Utc>,
    /// When the first customer-facing response happened.
    pub responded_at: Option<DateTime<Utc>>,
    /// Whether the response target was met; `None` while undecided (or closed unanswered in
    /// time).
    pub response_met: Option<bool>,
    /// When resolution is due (pushed back by pauses).
    pub resolution_due: DateTime<Utc>,
    /// When the item was closed, if it is closed now.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Whether the resolution limit was met; `None` while undecided.
    pub resolution_met: Option<bool>,
    /// True while awaiting the customer's confirmation.
    pub paused: bool,
    /// Running time of the resolution clock, calendar seconds.
    pub elapsed_calendar_secs: i64,
    /// Running time of the resolution clock in business hours, seconds (whole minutes).
    pub elapsed_business_secs: i64,
    /// Calendar seconds until the pending deadline (the response target while unanswered, else
    /// the resolution limit); negative when overdue; frozen while paused or closed.
    pub time_left_secs: i64,
    /// The stage.
    pub stage: SlaStage,
    /// The next instant at which the stage changes if nothing else happens (`None` when closed
    /// or nothing is pending); the overdue scan looks at items whose instant has come.
    pub next_change_at: Option<DateTime<Utc>>,
}

/// Measuring and adding time in one basis.
struct Meter<'a> {
    basis: Basis,
    cal: &'a WorkCalendar,
}

impl Meter<'_> {
    /// Time in `[a, b)` in seconds of this basis (business: whole minutes × 60).
    fn measure(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b <= a {
            return 0;
        }
        match self.basis {
            Basis::Calendar => (b - a).num_seconds(),
            Basis::Business => self.cal.business_minutes_between(a, b) * 60,
        }
    }

    /// `t` plus `secs` of this basis (business: rounded up to whole minutes).
    fn add(&self, t: DateTime<Utc>, secs: i64) -> Result<DateTime<Utc>> {
        let secs = secs.max(0);
        match self.basis {
            Basis::Calendar => Ok(t + TimeDelta::seconds(secs)),
            Basis::Business => self.cal.add_business_minutes(t, (secs + 59) / 60),
        }
    }
}

/// The instant a target falls due for an item created at `created`, before any pause.
pub fn due_instant(
    target: SlaTarget,
    cal: &WorkCalendar,
    created: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    match (target.basis, target.unit) {
        (Basis::Business, Unit::Days) => cal.add_working_days(created, target.amount),
        (Basis::Business, _) => cal.add_business_minutes(created, target.nominal_minutes() as i64),
        (Basis::Calendar, _) => Ok(created + TimeDelta::minutes(target.nominal_minutes() as i64)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Running,
    Paused,
    Stopped,
}

/// Stage of a running clock at `at` that falls due at `due`, `allowed` and `used` in basis
/// seconds.
fn used_stage(allowed: i64, used: i64) -> SlaStage {
    if 4 * used >= 3 * allowed {
        SlaStage::DueSoon
    } else {
        SlaStage::OnTrack
    }
}

/// Compute the SLA state; see the module documentation for every definition. Fails only when
/// the calendar has no working time at all (`calendar.no_working_time`).
pub fn sla_state(
    targets: &PriorityTargets,
    cal: &WorkCalendar,
    created: DateTime<Utc>,
    events: &[SlaEvent],
    now: DateTime<Utc>,
) -> Result<SlaState> {
    let now = now.max(created);
    let mut evs: Vec<SlaEvent> = events
        .iter()
        .filter(|e| e.at <= now)
        .map(|e| SlaEvent {
            at: e.at.max(created),
            kind: e.kind,
        })
        .collect();
    evs.sort_by_key(|e| e.at);

    // Walk the events: running and halted stretches of the resolution clock.
    let (mut run, mut since) = (Run::Running, created);
    let mut running: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let mut halted: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let (mut responded_at, mut response_stop) = (None, None);
    for e in &evs {
        match e.kind {
            SlaEventKind::Responded if response_stop.is_none() => {
                responded_at = Some(e.at);
                response_stop = Some(e.at);
            }
            SlaEventKind::Paused if run == Run::Running => {
                running.push((since, e.at));
                (run, since) = (Run::Paused, e.at);
            }
            SlaEventKind::Resumed if run == Run::Paused => {
                halted.push((since, e.at));
                (run, since) = (Run::Running, e.at);
            }
            SlaEventKind::Reopened if run != Run::Running => {
                halted.push((since, e.at));
                (run, since) = (Run::Running, e.at);
            }
            SlaEventKind::Closed if run != Run::Stopped => {
                match run {
                    Run::Running => running.push((since, e.at)),
                    _ => halted.push((since, e.at)),
                }
                (run, since) = (Run::Stopped, e.at);
                response_stop.get_or_insert(e.at);
            }
            _ => {}
        }
    }
    if run == Run::Running {
        running.push((since, now));
    }
    let eval_at = if run == Run::Running { now } else { since };

    // Elapsed running time, both ways.
    let calendar = Meter {
        basis: Basis::Calendar,
        cal,
    };
    let business = Meter {
        basis: Basis::Business,
        cal,
    };
    let elapsed_calendar_secs: i64 = running.iter().map(|&(a, b)| calendar.measure(a, b)).sum();
    let elapsed_business_secs: i64 = running.iter().map(|&(a, b)| business.measure(a, b)).sum();

    // Resolution clock.
    let res = Meter {
        basis: targets.resolution.basis,
        cal,
    };
    let res_due0 = due_instant(targets.resolution, cal, created)?;
    let allowed = res.measure(created, res_due0);
    let halted_before: i64 = halted.iter().map(|&(a, b)| res.measure(a, b)).sum();
    let used: i64 = running.iter().map(|&(a, b)| res.measure(a, b)).sum();
    let due_eval = res.add(res_due0, halted_before)?;
    let level2_at = cal.add_working_days(due_eval, 1)?;
    let resolution_due = if run == Run::Paused {
        res.add(res_due0, halted_before + res.measure(since, now))?
    } else {
        due_eval
    };
    let res_stage = if eval_at > due_eval {
        if eval_at >= level2_at {
            SlaStage::EscalatedLevel2
        } else {
            SlaStage::EscalatedLevel1
        }
    } else {
        used_stage(allowed, used)
    };
    let resolved_at = (run == Run::Stopped).then_some(since);
    let resolution_met = match resolved_at {
        Some(at) => Some(at <= due_eval),
        None if eval_at > due_eval => Some(false),
        None => None,
    };

    // Response clock.
    let resp = Meter {
        basis: targets.response.basis,
        cal,
    };
    let response_due = due_instant(targets.response, cal, created)?;
    let pending = response_stop.is_none();
    let response_met = match (responded_at, response_stop) {
        (Some(at), _) => Some(at <= response_due),
        (None, Some(stop)) => (stop > response_due).then_some(false),
        (None, None) => (now > response_due).then_some(false),
    };
    let allowed_r = resp.measure(created, response_due);
    let resp_stage = if now > response_due {
        SlaStage::Breached
    } else {
        used_stage(allowed_r, resp.measure(created, now))
    };

    let (stage, time_left_secs) = if run == Run::Stopped {
        let stage = if resolution_met == Some(false) {
            SlaStage::Breached
        } else {
            SlaStage::OnTrack
        };
        (stage, (due_eval - since).num_seconds())
    } else if pending {
        (
            res_stage.max(resp_stage),
            (response_due - now).num_seconds(),
        )
    } else {
        (res_stage, (due_eval - eval_at).num_seconds())
    };

    // When does the stage change next, if nothing happens?
    let mut next: Vec<DateTime<Utc>> = Vec::new();
    if run != Run::Stopped {
        if pending {
            if resp_stage < SlaStage::DueSoon {
                next.push(resp.add(created, (3 * allowed_r + 3) / 4)?);
            }
            if resp_stage < SlaStage::Breached {
                next.push(response_due + TimeDelta::seconds(1));
            }
        }
        if run == Run::Running {
            if res_stage < SlaStage::DueSoon {
                next.push(res.add(created, halted_before + (3 * allowed + 3) / 4)?);
            }
            if res_stage < SlaStage::EscalatedLevel1 {
                next.push(due_eval + TimeDelta::seconds(1));
            }
            if res_stage < SlaStage::EscalatedLevel2 {
                next.push(level2_at);
            }
        }
    }
    // Rounding may put a threshold a moment in the past: look again a second later.
    let next_change_at = next
        .into_iter()
        .min()
        .map(|t| t.max(now + TimeDelta::seconds(1)));

    Ok(SlaState {
        response_due,
        responded_at,
        response_met,
        resolution_due,
        resolved_at,
        resolution_met,
        paused: run == Run::Paused,
        elapsed_calendar_secs,
        elapsed_business_secs,
        time_left_secs,
        stage,
        next_change_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{DayKind, Interval, WeeklyHours, china};
    use crate::sla::SlaPolicy;
    use chrono::{NaiveDate, TimeZone};
    use proptest::prelude::*;

    fn iv(s: &str, e: &str) -> Interval {
        Interval::parse(s, e).unwrap()
    }

    fn shanghai(week: WeeklyHours) -> WorkCalendar {
        WorkCalendar::new(chrono_tz::Asia::Shanghai, week)
    }

    /// The China 2026 calendar, built with `set_day` from the official table.
    fn china_2026(week: WeeklyHours) -> WorkCalendar {
        let mut cal = shanghai(week);
        for day in china::days_2026() {
            cal.set_day(day.day, day.kind, day.name);
        }
        cal
    }

    fn at(cal: &WorkCalendar, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        cal.tz
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap()
            .to_utc()
    }

    fn t(basis: Basis, amount: u32, unit: Unit) -> SlaTarget {
        SlaTarget::new(amount, unit, basis)
    }

    fn targets(response: SlaTarget, resolution: SlaTarget) -> PriorityTargets {
        PriorityTargets {
            response,
            resolution,
        }
    }

    fn ev(at: DateTime<Utc>, kind: SlaEventKind) -> SlaEvent {
        SlaEvent { at, kind }
    }

    #[test]
    fn friday_afternoon_plus_one_business_hour_is_monday_morning() {
        let cal = shanghai(WeeklyHours::mon_fri(&[iv("09:00", "17:00")]).unwrap());
        let tg = targets(
            t(Basis::Business, 1, Unit::Hours),
            t(Basis::Business, 2, Unit::Days),
        );
        let fri = at(&cal, 2026, 3, 6, 16, 30);
        let s = sla_state(&tg, &cal, fri, &[], fri).unwrap();
        assert_eq!(s.response_due, at(&cal, 2026, 3, 9, 9, 30));
        assert_eq!(s.stage, SlaStage::OnTrack);
        // Saturday noon: 30 of 60 business minutes used.
        let sat = at(&cal, 2026, 3, 7, 12, 0);
        let s = sla_state(&tg, &cal, fri, &[], sat).unwrap();
        assert_eq!(s.stage, SlaStage::OnTrack);
        assert_eq!(s.elapsed_business_secs, 30 * 60);
        assert_eq!(s.elapsed_calendar_secs, 19 * 3600 + 30 * 60);
        // Monday 09:15: 45 of 60 minutes, due soon.
        let mon = at(&cal, 2026, 3, 9, 9, 15);
        let s = sla_state(&tg, &cal, fri, &[], mon).unwrap();
        assert_eq!(s.stage, SlaStage::DueSoon);
        assert_eq!(s.time_left_secs, 15 * 60);
        // Answered at 09:40: too late, the response clock stays missed.
        let late = at(&cal, 2026, 3, 9, 9, 40);
        let s = sla_state(
            &tg,
            &cal,
            fri,
            &[ev(late, SlaEventKind::Responded)],
            at(&cal, 2026, 3, 9, 10, 0),
        )
        .unwrap();
        assert_eq!(s.responded_at, Some(late));
        assert_eq!(s.response_met, Some(false));
        assert_eq!(s.stage, SlaStage::OnTrack, "the resolution clock governs");
    }

    #[test]
    fn created_outside_hours_starts_at_the_next_business_minute() {
        let cal = shanghai(WeeklyHours::default_china());
        let sunday = at(&cal, 2026, 3, 8, 22, 0);
        let p = SlaPolicy::default();
        let s = sla_state(&p.normal, &cal, sunday, &[], sunday).unwrap();
        // 3 working days from Monday 09:00.
        assert_eq!(s.response_due, at(&cal, 2026, 3, 12, 9, 0));
        let s = sla_state(&p.important, &cal, sunday, &[], sunday).unwrap();
        assert_eq!(s.response_due, at(&cal, 2026, 3, 10, 9, 0));
        // The urgent calendar clock does not wait for Monday.
        let s = sla_state(&p.urgent, &cal, sunday, &[], sunday).unwrap();
        assert_eq!(s.response_due, at(&cal, 2026, 3, 9, 0, 0));
        assert_eq!(s.resolution_due, at(&cal, 2026, 3, 11, 22, 0));
    }

    #[test]
    fn national_day_eve_with_make_up_saturday() {
        let cal = china_2026(WeeklyHours::default_china());
        // Wednesday 30 September 17:30, half an hour before the holiday starts.
        let eve = at(&cal, 2026, 9, 30, 17, 30);
        let p = SlaPolicy::default();
        let s = sla_state(&p.normal, &cal, eve, &[], eve).unwrap();
        // Three working days: Thu 8, Fri 9 and the make-up Saturday 10 October.
        assert_eq!(s.response_due, at(&cal, 2026, 10, 10, 17, 30));
        // Seven working days: 8, 9, 10, 12, 13, 14, 15 October.
        let s = sla_state(&p.important, &cal, eve, &[], eve).unwrap();
        assert_eq!(s.response_due, at(&cal, 2026, 10, 8, 17, 30));
        assert_eq!(s.resolution_due, at(&cal, 2026, 10, 15, 17, 30));
        // Over the holiday no business time passes: only the 30 minutes on the eve.
        let holiday = at(&cal, 2026, 10, 5, 12, 0);
        let s = sla_state(&p.important, &cal, eve, &[], holiday).unwrap();
        assert_eq!(s.elapsed_business_secs, 30 * 60);
        assert_eq!(s.stage, SlaStage::OnTrack);
        // 1 business hour from the eve: 30 min on 30 Sep, 30 min on 8 Oct.
        let tg = targets(
            t(Basis::Business, 1, Unit::Hours),
            t(Basis::Business, 1, Unit::Days),
        );
        let s = sla_state(&tg, &cal, eve, &[], eve).unwrap();
        assert_eq!(s.response_due, at(&cal, 2026, 10, 8, 9, 30));
        // Make-up Saturday counts as working time for the pause push too: paused on Friday
        // 9 Oct 17:00 for 2 business hours (17:00–18:00 Fri + 09:00–10:00 Sat).
        let ev_list = [
            ev(at(&cal, 2026, 10, 8, 10, 0), SlaEventKind::Responded),
            ev(at(&cal, 2026, 10, 9, 17, 0), SlaEventKind::Paused),
            ev(at(&cal, 2026, 10, 10, 10, 0), SlaEventKind::Resumed),
        ];
        let s = sla_state(
            &p.important,
            &cal,
            eve,
            &ev_list,
            at(&cal, 2026, 10, 12, 9, 0),
        )
        .unwrap();
        // 120 business minutes after 15 Oct 17:30: 30 that evening, 90 on Friday 16 Oct.
        assert_eq!(s.resolution_due, at(&cal, 2026, 10, 16, 10, 30));
        assert!(!s.paused);
    }

    #[test]
    fn lunch_break_inside_the_window() {
        let cal = shanghai(WeeklyHours::default_china_with_lunch());
        let tg = targets(
            t(Basis::Business, 2, Unit::Hours),
            t(Basis::Business, 4, Unit::Hours),
        );
        let created = at(&cal, 2026, 3, 4, 11, 30);
        let s = sla_state(&tg, &cal, created, &[], created).unwrap();
        // 30 minutes before lunch, 90 after.
        assert_eq!(s.response_due, at(&cal, 2026, 3, 4, 14, 30));
        assert_eq!(s.resolution_due, at(&cal, 2026, 3, 4, 16, 30));
        // At 13:00 only 30 business minutes have passed.
        let s = sla_state(&tg, &cal, created, &[], at(&cal, 2026, 3, 4, 13, 0)).unwrap();
        assert_eq!(s.elapsed_business_secs, 30 * 60);
        assert_eq!(s.elapsed_calendar_secs, 90 * 60);
        // 75 % of the 2-hour response target is 90 minutes: 14:00.
        let s = sla_state(&tg, &cal, created, &[], at(&cal, 2026, 3, 4, 13, 30)).unwrap();
        assert_eq!(s.stage, SlaStage::OnTrack);
        assert_eq!(s.next_change_at, Some(at(&cal, 2026, 3, 4, 14, 0)));
        let s = sla_state(&tg, &cal, created, &[], at(&cal, 2026, 3, 4, 14, 0)).unwrap();
        assert_eq!(s.stage, SlaStage::DueSoon);
    }

    #[test]
    fn awaiting_customer_pauses_and_pushes_the_deadline() {
        let cal = shanghai(WeeklyHours::default_china());
        let p = SlaPolicy::default();
        let created = at(&cal, 2026, 3, 2, 10, 0); // Monday
        let base = at(&cal, 2026, 3, 5, 10, 0); // urgent: 3 calendar days
        let pause = at(&cal, 2026, 3, 3, 10, 0);
        let events = [
            ev(at(&cal, 2026, 3, 2, 11, 0), SlaEventKind::Responded),
            ev(pause, SlaEventKind::Paused),
        ];
        // Still paused five days later: the due instant moved by five days, the stage is frozen.
        let later = at(&cal, 2026, 3, 8, 10, 0);
        let s = sla_state(&p.urgent, &cal, created, &events, later).unwrap();
        assert!(s.paused);
        assert_eq!(s.resolution_due, base + TimeDelta::days(5));
        assert_eq!(s.stage, SlaStage::OnTrack);
        assert_eq!(s.time_left_secs, 2 * 86_400);
        assert_eq!(s.elapsed_calendar_secs, 86_400);
        assert_eq!(s.next_change_at, None);
        // Resumed after a day: pushed by exactly one day, running again.
        let mut events = events.to_vec();
        events.push(ev(at(&cal, 2026, 3, 4, 10, 0), SlaEventKind::Resumed));
        let s = sla_state(&p.urgent, &cal, created, &events, later).unwrap();
        assert_eq!(s.resolution_due, base + TimeDelta::days(1));
        assert_eq!(s.stage, SlaStage::EscalatedLevel1);
        // Closed late, then reopened: the closed stretch does not count either.
        events.push(ev(at(&cal, 2026, 3, 9, 10, 0), SlaEventKind::Closed));
        let s = sla_state(
            &p.urgent,
            &cal,
            created,
            &events,
            at(&cal, 2026, 3, 9, 12, 0),
        )
        .unwrap();
        assert_eq!(s.resolved_at, Some(at(&cal, 2026, 3, 9, 10, 0)));
        assert_eq!(s.resolution_met, Some(false));
        assert_eq!(s.stage, SlaStage::Breached);
        assert_eq!(s.next_change_at, None);
        events.push(ev(at(&cal, 2026, 3, 10, 10, 0), SlaEventKind::Reopened));
        let s = sla_state(
            &p.urgent,
            &cal,
            created,
            &events,
            at(&cal, 2026, 3, 10, 10, 0),
        )
        .unwrap();
        assert_eq!(s.resolved_at, None);
        assert_eq!(s.resolution_due, base + TimeDelta::days(2));
    }

    #[test]
    fn escalation_levels() {
        let cal = shanghai(WeeklyHours::default_china());
        let p = SlaPolicy::default();
        let created = at(&cal, 2026, 3, 2, 10, 0); // Monday
        let responded = [ev(at(&cal, 2026, 3, 2, 10, 30), SlaEventKind::Responded)];
        let stage = |y, mo, d, h, mi| {
            sla_state(
                &p.urgent,
                &cal,
                created,
                &responded,
                at(&cal, y, mo, d, h, mi),
            )
            .unwrap()
            .stage
        };
        // 72 h allowed; 75 % = 54 h → Wednesday 16:00.
        assert_eq!(stage(2026, 3, 4, 15, 59), SlaStage::OnTrack);
        assert_eq!(stage(2026, 3, 4, 16, 0), SlaStage::DueSoon);
        assert_eq!(
            stage(2026, 3, 5, 10, 0),
            SlaStage::DueSoon,
            "exactly at the limit"
        );
        assert_eq!(stage(2026, 3, 5, 10, 1), SlaStage::EscalatedLevel1);
        // Level 2 one working day after the breach: Friday 10:00.
        assert_eq!(stage(2026, 3, 6, 9, 59), SlaStage::EscalatedLevel1);
        assert_eq!(stage(2026, 3, 6, 10, 0), SlaStage::EscalatedLevel2);
        // A response target missed while the resolution limit holds is "breached".
        let s = sla_state(&p.urgent, &cal, created, &[], at(&cal, 2026, 3, 2, 12, 1)).unwrap();
        assert_eq!(s.stage, SlaStage::Breached);
        assert_eq!(s.response_met, Some(false));
        assert_eq!(s.time_left_secs, -60);
        // A breach at the end of Friday reaches level 2 at the end of Monday.
        let fri = at(&cal, 2026, 3, 6, 16, 0);
        let tg = targets(
            t(Basis::Calendar, 1, Unit::Hours),
            t(Basis::Calendar, 1, Unit::Hours),
        );
        let r = [ev(fri, SlaEventKind::Responded)];
        let s = sla_state(&tg, &cal, fri, &r, at(&cal, 2026, 3, 9, 16, 59)).unwrap();
        assert_eq!(s.stage, SlaStage::EscalatedLevel1);
        assert_eq!(s.next_change_at, Some(at(&cal, 2026, 3, 9, 17, 0)));
        let s = sla_state(&tg, &cal, fri, &r, at(&cal, 2026, 3, 9, 17, 0)).unwrap();
        assert_eq!(s.stage, SlaStage::EscalatedLevel2);
        assert_eq!(s.next_change_at, None);
    }

    #[test]
    fn closing_unanswered_stops_the_response_clock() {
        let cal = shanghai(WeeklyHours::default_china());
        let p = SlaPolicy::default();
        let created = at(&cal, 2026, 3, 2, 10, 0);
        let closed = [ev(at(&cal, 2026, 3, 2, 11, 0), SlaEventKind::Closed)];
        let s = sla_state(
            &p.urgent,
            &cal,
            created,
            &closed,
            at(&cal, 2026, 3, 9, 0, 0),
        )
        .unwrap();
        assert_eq!(s.response_met, None);
        assert_eq!(s.resolution_met, Some(true));
        assert_eq!(s.stage, SlaStage::OnTrack);
        assert_eq!(s.elapsed_calendar_secs, 3600);
    }

    fn prop_calendars() -> Vec<WorkCalendar> {
        let mut odd = WorkCalendar::new(
            chrono_tz::Europe::Berlin,
            WeeklyHours::new([
                (
                    chrono::Weekday::Mon,
                    vec![iv("08:00", "12:00"), iv("12:30", "16:45")],
                ),
                (chrono::Weekday::Wed, vec![iv("00:00", "24:00")]),
                (chrono::Weekday::Sat, vec![iv("00:00", "00:15")]),
            ])
            .unwrap(),
        );
        odd.set_day(
            NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            DayKind::Holiday,
            "",
        );
        vec![china_2026(WeeklyHours::default_china_with_lunch()), odd]
    }

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        let lo = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .unwrap()
            .timestamp();
        let hi = Utc
            .with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
            .unwrap()
            .timestamp();
        (lo..hi).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
    }

    fn target() -> impl Strategy<Value = SlaTarget> {
        (
            1u32..20,
            prop_oneof![Just(Unit::Minutes), Just(Unit::Hours), Just(Unit::Days)],
            prop_oneof![Just(Basis::Calendar), Just(Basis::Business)],
        )
            .prop_map(|(a, u, b)| SlaTarget::new(a, u, b))
    }

    fn kind() -> impl Strategy<Value = SlaEventKind> {
        prop_oneof![
            Just(SlaEventKind::Responded),
            Just(SlaEventKind::Paused),
            Just(SlaEventKind::Resumed),
            Just(SlaEventKind::Closed),
            Just(SlaEventKind::Reopened),
        ]
    }

    /// Events as offsets in seconds (up to 30 days) after creation.
    fn events() -> impl Strategy<Value = Vec<(i64, SlaEventKind)>> {
        prop::collection::vec((0i64..30 * 86_400, kind()), 0..6)
    }

    /// Events without pauses of their own, so that an added pause lies in a running stretch
    /// (or a closed one), never ends an existing pause.
    fn events_without_pauses() -> impl Strategy<Value = Vec<(i64, SlaEventKind)>> {
        let k = prop_oneof![
            Just(SlaEventKind::Responded),
            Just(SlaEventKind::Closed),
            Just(SlaEventKind::Reopened),
        ];
        prop::collection::vec((0i64..30 * 86_400, k), 0..6)
    }

    fn build(created: DateTime<Utc>, evs: &[(i64, SlaEventKind)]) -> Vec<SlaEvent> {
        evs.iter()
            .map(|&(s, k)| ev(created + TimeDelta::seconds(s), k))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]

        #[test]
        fn deadlines_never_before_creation(which in 0..2usize, r in target(), x in target(),
                                           created in instant(), evs in events(), later in 0i64..40 * 86_400) {
            let cal = &prop_calendars()[which];
            let tg = targets(r, x);
            let s = sla_state(&tg, cal, created, &build(created, &evs), created + TimeDelta::seconds(later)).unwrap();
            prop_assert!(s.response_due >= created);
            prop_assert!(s.resolution_due >= created);
            prop_assert!(s.resolution_due > created || x.basis == Basis::Business);
        }

        #[test]
        fn a_pause_never_shortens_the_deadline(which in 0..2usize, r in target(), x in target(),
                                               created in instant(), evs in events_without_pauses(),
                                               p in 0i64..20 * 86_400, len in 0i64..10 * 86_400,
                                               later in 0i64..40 * 86_400) {
            let cal = &prop_calendars()[which];
            let tg = targets(r, x);
            let now = created + TimeDelta::seconds(later);
            let base = build(created, &evs);
            let mut paused = base.clone();
            paused.push(ev(created + TimeDelta::seconds(p), SlaEventKind::Paused));
            paused.push(ev(created + TimeDelta::seconds(p + len), SlaEventKind::Resumed));
            let a = sla_state(&tg, cal, created, &base, now).unwrap();
            let b = sla_state(&tg, cal, created, &paused, now).unwrap();
            prop_assert!(b.resolution_due >= a.resolution_due, "{} < {}", b.resolution_due, a.resolution_due);
            prop_assert!(b.elapsed_calendar_secs <= a.elapsed_calendar_secs);
            prop_assert_eq!(b.response_due, a.response_due);
        }

        #[test]
        fn business_elapsed_within_calendar_elapsed(which in 0..2usize, r in target(), x in target(),
                                                    created in instant(), evs in events(), later in 0i64..40 * 86_400) {
            let cal = &prop_calendars()[which];
            let s = sla_state(&targets(r, x), cal, created, &build(created, &evs), created + TimeDelta::seconds(later)).unwrap();
            prop_assert!(s.elapsed_business_secs <= s.elapsed_calendar_secs);
            prop_assert!(s.elapsed_business_secs >= 0);
            prop_assert!(s.elapsed_calendar_secs <= later);
        }

        #[test]
        fn monotonic_in_now(which in 0..2usize, r in target(), x in target(), created in instant(),
                            evs in events(), a in 0i64..40 * 86_400, b in 0i64..40 * 86_400) {
            let cal = &prop_calendars()[which];
            let tg = targets(r, x);
            let events = build(created, &evs);
            let (lo, hi) = (a.min(b), a.max(b));
            let s1 = sla_state(&tg, cal, created, &events, created + TimeDelta::seconds(lo)).unwrap();
            let s2 = sla_state(&tg, cal, created, &events, created + TimeDelta::seconds(hi)).unwrap();
            prop_assert!(s2.elapsed_calendar_secs >= s1.elapsed_calendar_secs);
            prop_assert!(s2.elapsed_business_secs >= s1.elapsed_business_secs);
            prop_assert!(s2.resolution_due >= s1.resolution_due);
            // With every event already in the past, the stage only gets worse and nothing
            // changes before the announced instant.
            let last = events.iter().map(|e| e.at).max().unwrap_or(created);
            if last <= created + TimeDelta::seconds(lo) {
                prop_assert!(s2.stage >= s1.stage, "{:?} then {:?}", s1.stage, s2.stage);
                if s2.stage != s1.stage {
                    let next = s1.next_change_at.expect("a change was announced");
                    prop_assert!(next <= created + TimeDelta::seconds(hi));
                }
            }
        }
    }
}
