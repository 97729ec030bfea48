// Pure helpers of the customer page's survey card: checking the "Record answer" form (NPS 0–10
// and/or CSAT 1–5) into the answers to send, and folding stored answers (one row per question)
// back into one line per occasion for the list, with the counts shown beside it.

/** Allowed score ranges, inclusive; the core (survey::SurveyKind::range) checks them again. */
export const SURVEY_RANGES = { nps: [0, 10], csat: [1, 5] };

/** A score field's text → integer, null when blank, NaN when not a whole number. */
export function parseScore(text) {
  const s = String(text ?? '').trim();
  if (s === '') return null;
  return /^\d+$/.test(s) ? Number(s) : NaN;
}

/**
 * The form's scores → { error } (ApiError-shaped, translated via error.<code>) or { answers }:
 * one {kind, score} per filled question. At least one question must be answered.
 */
export function checkSurveyScores({ nps, csat }) {
  const answers = [];
  for (const [kind, text] of [['nps', nps], ['csat', csat]]) {
    const score = parseScore(text);
    if (score === null) continue;
    const [lo, hi] = SURVEY_RANGES[kind];
    if (Number.isNaN(score) || score < lo || score > hi) {
      return { error: { code: 'survey.score_invalid', field: kind, params: null } };
    }
    answers.push({ kind, score });
  }
  if (!answers.length) return { error: { code: 'survey.no_score', field: 'nps', params: null } };
  return { answers };
}

/**
 * Stored answers (newest first, one per question) → one line per occasion: answers given at the
 * same moment with the same links and comment are shown together as {nps, csat}.
 */
export function groupAnswers(responses) {
  const lines = [];
  const byKey = new Map();
  for (const r of responses) {
    const key = JSON.stringify([r.responded_at, r.interaction_id ?? null, r.feedback_id ?? null, r.comment ?? '']);
    let line = byKey.get(key);
    if (!line || line[r.kind] != null) {
      line = { ids: [], responded_at: r.responded_at, interaction_id: r.interaction_id ?? null, feedback_id: r.feedback_id ?? null, comment: r.comment ?? '', nps: null, csat: null };
      byKey.set(key, line);
      lines.push(line);
    }
    line[r.kind] = r.score;
    line.ids.push(r.id);
  }
  return lines;
}

/** How many NPS and CSAT answers the customer gave. */
export function surveyCounts(responses) {
  let nps = 0;
  let csat = 0;
  for (const r of responses) {
    if (r.kind === 'nps') nps += 1;
    else if (r.kind === 'csat') csat += 1;
  }
  return { nps, csat };
}
