//! Routing as pure rules: which departments a sub-category goes to (the first is the lead by
//! default, the others collaborate), and round-robin among a department's members.

use serde::{Deserialize, Serialize};

/// The departments an item goes to, by id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Route {
    /// Lead department; `None` when no rule matched (the supervisor routes by hand).
    pub lead: Option<i64>,
    /// Collaborating departments (see the item in their queues).
    pub collaborators: Vec<i64>,
}

/// Route by the rule's department codes (in rule order) against the team's departments
/// `(code, id, archived)`: unknown and archived departments are skipped; the first remaining one
/// leads, the rest collaborate.
pub fn route(rule_codes: &[String], departments: &[(String, i64, bool)]) -> Route {
    let mut ids: Vec<i64> = Vec::new();
    for code in rule_codes {
        if let Some((_, id, _)) = departments
            .iter()
            .find(|(c, _, archived)| c == code && !archived)
            && !ids.contains(id)
        {
            ids.push(*id);
        }
    }
    let mut it = ids.into_iter();
    Route {
        lead: it.next(),
        collaborators: it.collect(),
    }
}

/// How a department hands out new items inside itself. Stored per department code in the
/// settings key [`ASSIGNMENT_KEY`] as `{"cs": "round_robin", ...}`; missing means manual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentMode {
    /// The head (or supervisor) assigns someone.
    #[default]
    Manual,
    /// Each new item goes to the next active member in turn.
    RoundRobin,
}

/// Settings key of the per-department [`AssignmentMode`] map.
pub const ASSIGNMENT_KEY: &str = "feedback.assignment_modes";

/// The member after `last` in `members` (sorted ascending by id), wrapping around; the first
/// member when `last` is unknown or gone; `None` when there are no members.
pub fn next_round_robin(members: &[i64], last: Option<i64>) -> Option<i64> {
    let first = *members.first()?;
    Some(match last {
        Some(l) => members.iter().copied().find(|&m| m > l).unwrap_or(first),
        None => first,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps() -> Vec<(String, i64, bool)> {
        [
            ("cs", 1, false),
            ("sales", 2, false),
            ("rnd", 3, false),
            ("finance", 4, false),
            ("old", 5, true),
        ]
        .iter()
        .map(|&(c, i, a)| (c.to_string(), i, a))
        .collect()
    }

    fn codes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rules_pick_lead_and_collaborators() {
        assert_eq!(
            route(&codes(&["sales", "finance"]), &deps()),
            Route {
                lead: Some(2),
                collaborators: vec![4]
            }
        );
        assert_eq!(route(&codes(&["rnd"]), &deps()).lead, Some(3));
        // Archived and unknown departments are skipped, duplicates collapse.
        assert_eq!(
            route(&codes(&["old", "nope", "cs", "cs"]), &deps()),
            Route {
                lead: Some(1),
                collaborators: vec![]
            }
        );
        assert_eq!(route(&[], &deps()), Route::default());
    }

    #[test]
    fn round_robin_cycles() {
        let m = [3, 7, 9];
        assert_eq!(next_round_robin(&m, None), Some(3));
        assert_eq!(next_round_robin(&m, Some(3)), Some(7));
        assert_eq!(next_round_robin(&m, Some(9)), Some(3));
        // The last one left the department: continue with whoever comes after.
        assert_eq!(next_round_robin(&m, Some(8)), Some(9));
        assert_eq!(next_round_robin(&[], Some(1)), None);
        let mut seen = vec![];
        let mut last = None;
        for _ in 0..6 {
            last = next_round_robin(&m, last);
            seen.push(last.unwrap());
        }
        assert_eq!(seen, [3, 7, 9, 3, 7, 9]);
    }
}
