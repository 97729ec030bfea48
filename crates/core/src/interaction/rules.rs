//! Pure checks of an interaction as typed: text fields, the satisfaction range, and that it did
//! not happen in the future. Checks that need the database (channel, participants) are in
//! `store.rs`.

use super::InteractionInput;
use crate::validate::{optional_line, required_line, text};
use crate::{Error, Result};
use chrono::{DateTime, Duration, Utc};

/// How far ahead of `now` an interaction may be dated (clock differences between machines).
pub const FUTURE_SLACK_SECS: i64 = 10 * 60;

/// The input with its text normalised, or the first rule it breaks.
pub fn check_input(input: &InteractionInput, now: DateTime<Utc>) -> Result<InteractionInput> {
    if input.occurred_at > now + Duration::seconds(FUTURE_SLACK_SECS) {
        return Err(Error::invalid(
            "interaction.in_future",
            "occurred_at",
            "an interaction cannot be dated in the future",
        ));
    }
    if let Some(s) = input.satisfaction
        && !(1..=5).contains(&s)
    {
        return Err(Error::invalid(
            "interaction.satisfaction_range",
            "satisfaction",
            "satisfaction is a score from 1 to 5",
        ));
    }
    let mut contact_ids = input.contact_ids.clone();
    contact_ids.sort_unstable();
    contact_ids.dedup();
    let mut user_ids = input.user_ids.clone();
    user_ids.sort_unstable();
    user_ids.dedup();
    Ok(InteractionInput {
        occurred_at: input.occurred_at,
        channel: optional_line("channel", &input.channel)?,
        subject: required_line("subject", &input.subject)?,
        key_points: text("key_points", &input.key_points)?,
        customer_needs: text("customer_needs", &input.customer_needs)?,
        commitments: text("commitments", &input.commitments)?,
        next_step: text("next_step", &input.next_step)?,
        satisfaction: input.satisfaction,
        feedback_id: input.feedback_id,
        contact_ids,
        user_ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::t;

    fn input() -> InteractionInput {
        InteractionInput {
            occurred_at: t(2024, 3, 1, 2, 0),
            channel: "visit".into(),
            subject: " 新增采购需求 ".into(),
            key_points: String::new(),
            customer_needs: String::new(),
            commitments: String::new(),
            next_step: String::new(),
            satisfaction: None,
            feedback_id: None,
            contact_ids: vec![3, 1, 3],
            user_ids: vec![],
        }
    }

    #[test]
    fn checks_and_normalises() {
        let now = t(2024, 3, 1, 8, 0);
        let ok = check_input(&input(), now).unwrap();
        assert_eq!(ok.subject, "新增采购需求");
        assert_eq!(ok.contact_ids, vec![1, 3]);
        let mut i = input();
        i.subject = "  ".into();
        assert_eq!(check_input(&i, now).unwrap_err().code(), "field.required");
        for bad in [0u8, 6] {
            let mut i = input();
            i.satisfaction = Some(bad);
            assert_eq!(
                check_input(&i, now).unwrap_err().code(),
                "interaction.satisfaction_range"
            );
        }
        let mut i = input();
        i.satisfaction = Some(5);
        assert!(check_input(&i, now).is_ok());
        let mut i = input();
        i.occurred_at = now + Duration::seconds(FUTURE_SLACK_SECS);
        assert!(check_input(&i, now).is_ok(), "a little clock skew is fine");
        i.occurred_at = now + Duration::hours(1);
        assert_eq!(
            check_input(&i, now).unwrap_err().code(),
            "interaction.in_future"
        );
    }
}
