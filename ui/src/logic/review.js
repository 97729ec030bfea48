// Pure quarter-end review logic (no DOM): outcomes, the label of a review, its status at an
// instant, the keyboard's next row, and whether a confirmation form is complete. The core
// (crates/core customer/review.rs) decides again; this only keeps the screen honest.

/** The outcomes an owner can give, in the order the form offers them. */
export const OUTCOMES = ['active', 'renewed', 'churned', 'stage_change'];

/** "2026 Q4". */
export function reviewLabel(review) {
  return `${review.year} Q${review.quarter}`;
}

/** 'open' or 'closed' at `nowSecs` (Unix seconds). */
export function reviewStatus(review, nowSecs) {
  return review.closed_at != null || nowSecs >= review.closes_at ? 'closed' : 'open';
}

/** Confirmed share as a whole percentage (0 for an empty review). */
export function percent(confirmed, total) {
  return total > 0 ? Math.floor((confirmed * 100) / total) : 0;
}

/**
 * The index of the next row to focus after row `from` was confirmed: the next unconfirmed
 * row after it, else the first unconfirmed before it, else -1. `rows` are items
 * ({outcome}); confirmed rows have an outcome.
 */
export function nextOpenRow(rows, from) {
  for (let i = from + 1; i < rows.length; i++) if (!rows[i].outcome) return i;
  for (let i = 0; i < Math.min(from, rows.length); i++) if (!rows[i].outcome) return i;
  return -1;
}

/**
 * Problems of a confirmation before it is sent: {field, key} or null. Churn and stage changes
 * need a note (it is the change's reason); a stage change needs a stage other than the
 * current one.
 */
export function confirmationProblem({ outcome, newStage, note }, currentStage) {
  if (!OUTCOMES.includes(outcome)) return { field: 'outcome', key: 'error.review.outcome_required' };
  if (outcome === 'stage_change') {
    if (!newStage) return { field: 'new_stage', key: 'error.review.stage_required' };
    if (newStage === currentStage) return { field: 'new_stage', key: 'error.review.stage_unchanged' };
  }
  const changes = outcome === 'churned' ? currentStage !== 'churned' : outcome === 'stage_change';
  if (changes && !String(note ?? '').trim()) return { field: 'note', key: 'error.review.note_required' };
  return null;
}
