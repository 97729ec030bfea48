// The customer list's saved views and columns: a view's query comes back as the filter state it
// was saved from, the column set matches the core's, and every key built at run time exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogs, UI_DIR } from '../test-support/helpers.js';
import { toQuery, stateFromQuery, columnOfSortKey, SORT_KEYS, LIST_COLUMNS, DEFAULT_COLUMNS } from '../src/screens/customers/model.js';

test('a saved view re-applies the filters and sort it was saved with', () => {
  const s = { stage: 'signed', tier: 'A', industry: '制造业', tag: '4', owner: '2', department: '', archived: false, noContact: '30', openFeedback: true, q: '华东', sort: 'last_contact', desc: true };
  const q = toQuery(s, 0, 0);
  assert.equal(q.has_open_feedback, true);
  assert.deepEqual(stateFromQuery(q), s);
  // Unknown or missing sort keys fall back to the number column.
  assert.equal(columnOfSortKey('nope'), 'number');
  for (const [col, key] of Object.entries(SORT_KEYS)) assert.equal(columnOfSortKey(key), col);
  assert.equal(stateFromQuery({}).openFeedback, false);
});

test('the list columns are the core view columns, each with a header in both locales', () => {
  const rust = readFileSync(join(UI_DIR, '..', 'crates/core/src/customer/views.rs'), 'utf8');
  const block = /pub const COLUMNS: \[&str; \d+\] = \[([^\]]*)\]/.exec(rust)[1];
  const core = [...block.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
  assert.deepEqual(LIST_COLUMNS, core);
  assert.ok(DEFAULT_COLUMNS.every((c) => LIST_COLUMNS.includes(c)));
  for (const col of LIST_COLUMNS) for (const [loc, cat] of Object.entries(catalogs)) assert.ok(`customer.col.${col}` in cat, `${loc} lacks customer.col.${col}`);
  for (const col of Object.keys(SORT_KEYS)) assert.ok(LIST_COLUMNS.includes(col), `sortable ${col} is a column`);
});

test('bulk action keys built at run time exist in both locales', () => {
  const kinds = ['change_owner', 'add_tags', 'remove_tags', 'change_tier'];
  const keys = kinds.flatMap((k) => [`customer.bulk.${k}_title`, `customer.bulk.${k}_label`]);
  for (const k of keys) for (const [loc, cat] of Object.entries(catalogs)) assert.ok(k in cat, `${loc} lacks ${k}`);
});
