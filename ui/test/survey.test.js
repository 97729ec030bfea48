// The customer page's survey card: form checks, grouping answers into lines, counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScore, checkSurveyScores, groupAnswers, surveyCounts } from '../src/logic/survey.js';

test('scores parse as whole numbers; blank is no answer', () => {
  assert.equal(parseScore(' 7 '), 7);
  assert.equal(parseScore(''), null);
  assert.equal(parseScore(undefined), null);
  assert.ok(Number.isNaN(parseScore('7.5')));
  assert.ok(Number.isNaN(parseScore('-1')));
  assert.ok(Number.isNaN(parseScore('abc')));
});

test('the form needs at least one score, each within its range', () => {
  assert.deepEqual(checkSurveyScores({ nps: '', csat: '' }), { error: { code: 'survey.no_score', field: 'nps', params: null } });
  assert.deepEqual(checkSurveyScores({ nps: '11', csat: '' }).error, { code: 'survey.score_invalid', field: 'nps', params: null });
  assert.deepEqual(checkSurveyScores({ nps: '', csat: '0' }).error, { code: 'survey.score_invalid', field: 'csat', params: null });
  assert.deepEqual(checkSurveyScores({ nps: '', csat: '6' }).error?.field, 'csat');
  assert.deepEqual(checkSurveyScores({ nps: '0', csat: '' }), { answers: [{ kind: 'nps', score: 0 }] });
  assert.deepEqual(checkSurveyScores({ nps: '10', csat: '5' }), { answers: [{ kind: 'nps', score: 10 }, { kind: 'csat', score: 5 }] });
  assert.deepEqual(checkSurveyScores({ nps: '', csat: '1' }), { answers: [{ kind: 'csat', score: 1 }] });
});

test('answers of one occasion are shown on one line, others apart', () => {
  const at1 = '2026-11-20T08:00:00Z';
  const at2 = '2026-11-01T08:00:00Z';
  const rows = [
    { id: 3, kind: 'nps', score: 9, responded_at: at1, interaction_id: 4, feedback_id: null, comment: 'ok' },
    { id: 4, kind: 'csat', score: 5, responded_at: at1, interaction_id: 4, feedback_id: null, comment: 'ok' },
    { id: 2, kind: 'nps', score: 3, responded_at: at2, interaction_id: null, feedback_id: 7, comment: '' },
    { id: 1, kind: 'nps', score: 6, responded_at: at2, interaction_id: null, feedback_id: 7, comment: '' },
  ];
  const lines = groupAnswers(rows);
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0], { ids: [3, 4], responded_at: at1, interaction_id: 4, feedback_id: null, comment: 'ok', nps: 9, csat: 5 });
  // Two NPS answers at the same moment are two lines, never one overwriting the other.
  assert.deepEqual(lines.slice(1).map((l) => [l.nps, l.csat, l.feedback_id]), [[3, null, 7], [6, null, 7]]);
  assert.deepEqual(groupAnswers([]), []);
  assert.deepEqual(surveyCounts(rows), { nps: 3, csat: 1 });
  assert.deepEqual(surveyCounts([]), { nps: 0, csat: 0 });
});
