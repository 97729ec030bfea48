// Customer screen logic: typed amounts, the list query, history values, base64, and every key
// the customer screens build at run time (stages, fields, events, import fields, error codes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { catalogs, UI_DIR } from '../test-support/helpers.js';
import { parseAmount, amountInput, toQuery, valueText, toBase64, duplicateProbe, splitTags, daysSince, STAGES, IMPORT_FIELDS, DUPLICATE_POLICIES, HISTORY_FIELDS, HISTORY_KINDS } from '../src/screens/customers/model.js';

test('typed amounts become exact minor units', () => {
  assert.equal(parseAmount('12,345.6'), 1234560);
  assert.equal(parseAmount(' ¥1.05 '), 105);
  assert.equal(parseAmount('１２３'), 12300);
  assert.equal(parseAmount(''), 0);
  assert.equal(parseAmount('0.1'), 10);
  assert.equal(parseAmount('-3'), -300);
  for (const bad of ['1.234', 'abc', '1e5', '.', '12345678901234']) assert.equal(parseAmount(bad), null, bad);
  assert.equal(amountInput(1234560), '12345.60');
  assert.equal(amountInput(0), '');
  assert.equal(parseAmount(amountInput(99999999999)), 99999999999);
});

test('the filter state becomes the list query', () => {
  const q = toQuery({ stage: 'signed', tier: '', industry: '', tag: '3', owner: '', department: '', archived: false, noContact: '30', q: ' 华东 ', sort: 'amount', desc: true }, 50);
  assert.deepEqual(q, { stage: 'signed', tier: null, industry: null, tag_id: 3, owner_user_id: null, department_id: null, archived: false, no_contact_days: 30, has_open_feedback: false, q: '华东', sort: 'annual_amount', desc: true, offset: 50, limit: 50 });
  assert.equal(toQuery({ sort: 'last_contact' }).sort, 'last_contact_at');
});

test('history values read as text', () => {
  const fmt = { money: (m) => `¥${m / 100}`, date: (d) => `D${d}`, user: (id) => `U${id}`, dept: (id) => `P${id}`, contact: (id) => `C${id}`, stage: (s) => `S:${s}`, yes: 'Y', no: 'N', dash: '—' };
  assert.equal(valueText('annual_amount', 12000, fmt), '¥120');
  assert.equal(valueText('owner_user_id', 4, fmt), 'U4');
  assert.equal(valueText('stage', 'signed', fmt), 'S:signed');
  assert.equal(valueText('contact_phone', { mobile: '13800138000', landline: '' }, fmt), '13800138000');
  assert.equal(valueText('tags', ['a', 'b'], fmt), 'a、b');
  assert.equal(valueText('name', null, fmt), '—');
  assert.equal(valueText('primary_contact', 7, fmt), 'C7');
});

test('base64, duplicate probes, tags and days', () => {
  assert.equal(toBase64(new TextEncoder().encode('客户,a')), Buffer.from('客户,a').toString('base64'));
  const big = new Uint8Array(100000).map((_, i) => i % 251);
  assert.equal(toBase64(big), Buffer.from(big).toString('base64'));
  assert.deepEqual(duplicateProbe(' 华东 ', [{ mobile: '138', email: '' }, { mobile: '', email: 'a@b.cn' }]), { name: '华东', mobiles: ['138'], emails: ['a@b.cn'], exclude_id: null });
  assert.deepEqual(splitTags('技术导向型, 大客户、 ；重点'), ['技术导向型', '大客户', '重点']);
  assert.equal(daysSince(null), null);
  assert.equal(daysSince(1000, 1000 * 1000 + 3 * 86400 * 1000), 3);
});

test('run-time customer keys exist in both locales', () => {
  const keys = [
    ...STAGES.map((s) => `customer.stage.${s}`),
    ...IMPORT_FIELDS.map((f) => `customer.import.field.${f}`),
    ...DUPLICATE_POLICIES.map((p) => `customer.import.policy.${p}`),
    ...HISTORY_FIELDS.map((f) => `customer.field.${f}`),
    ...HISTORY_KINDS.map((k) => `customer.event.${k}`),
    ...['same_name', 'same_mobile', 'same_email'].map((r) => `customer.dup.reason.${r}`),
    ...['number', 'name', 'stage', 'tier', 'industry', 'owner', 'last_contact', 'amount', 'tags'].map((c) => `customer.col.${c}`),
  ];
  for (const k of keys) for (const [loc, cat] of Object.entries(catalogs)) assert.ok(k in cat, `${loc} lacks ${k}`);
});

test('every error code of the customer core has a translation', () => {
  const dir = join(UI_DIR, '..', 'crates', 'core', 'src', 'customer');
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.rs')) files.push(join(d, e.name));
    }
  };
  walk(dir);
  const codes = new Set();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/Error::(?:invalid|conflict)\(\s*"([a-z_]+\.[a-z_]+)"/g)) codes.add(m[1]);
  }
  assert.ok(codes.size > 25, `found only ${codes.size} codes`);
  for (const c of codes) for (const [loc, cat] of Object.entries(catalogs)) assert.ok(`error.${c}` in cat, `${loc} lacks error.${c}`);
});
