// Locale catalogs: same keys in both languages, no blanks, matching placeholders, and every key
// the source asks for (literally or by a known prefix) exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { catalogs, filesUnder, read, SRC_DIR, UI_DIR } from '../test-support/helpers.js';
import { PAGES, SETTINGS_TABS } from '../src/logic/router-core.js';
import { ROLES, THEME_MODES } from '../src/logic/catalog.js';
import { LOCALES } from '../src/logic/i18n-core.js';

const zh = catalogs['zh-CN'];
const en = catalogs.en;

function placeholders(text) {
  return [...text.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]).sort();
}

test('both locales have exactly the same keys', () => {
  const zk = Object.keys(zh).sort();
  const ek = Object.keys(en).sort();
  assert.deepEqual(zk.filter((k) => !(k in en)), [], 'keys only in zh-CN');
  assert.deepEqual(ek.filter((k) => !(k in zh)), [], 'keys only in en');
  assert.equal(zk.length, ek.length);
  assert.ok(zk.length > 150, 'catalogs look truncated');
});

test('no value is empty or non-string', () => {
  for (const [loc, cat] of Object.entries(catalogs)) {
    for (const [k, v] of Object.entries(cat)) {
      assert.equal(typeof v, 'string', `${loc} ${k}`);
      assert.notEqual(v.trim(), '', `${loc} ${k} is empty`);
    }
  }
});

test('placeholders match between languages', () => {
  for (const k of Object.keys(zh)) assert.deepEqual(placeholders(zh[k]), placeholders(en[k]), `placeholders differ for ${k}`);
});

test('the Chinese catalog is really Chinese for screen text', () => {
  for (const k of ['page.today', 'setup.submit', 'login.submit', 'role.viewer', 'calendar.kind.workday']) {
    assert.match(zh[k], /[\u4e00-\u9fff]/, k);
  }
  assert.equal(zh['role.admin'], '管理员');
  assert.equal(zh['role.supervisor'], '客服主管');
  assert.equal(zh['role.head'], '部门负责人');
  assert.equal(zh['role.staff'], '员工');
  assert.equal(zh['role.viewer'], '管理层(只读)');
  assert.equal(zh['calendar.kind.holiday'], '法定节假日');
  assert.equal(zh['calendar.kind.workday'], '调休上班');
});

test('every literal t() / tOr() key in src exists in both locales', () => {
  const missing = [];
  let count = 0;
  for (const file of filesUnder(SRC_DIR, '.js')) {
    const text = read(file);
    for (const m of text.matchAll(/\b(?:t|tOr)\(\s*'([^'$]+)'/g)) {
      count++;
      for (const [loc, cat] of Object.entries(catalogs)) if (!(m[1] in cat)) missing.push(`${relative(UI_DIR, file)}: ${m[1]} (${loc})`);
    }
    // Default keys passed as parameters, e.g. readOnlyNote(key = 'settings.read_only').
    for (const m of text.matchAll(/key = '([a-z][\w.-]+)'/g)) {
      for (const [loc, cat] of Object.entries(catalogs)) if (!(m[1] in cat)) missing.push(`${relative(UI_DIR, file)}: ${m[1]} (${loc})`);
    }
  }
  assert.ok(count > 100, `found only ${count} t() calls; is the scan broken?`);
  assert.deepEqual(missing, []);
});

test('keys built at run time exist for every value they can take', () => {
  const needed = [
    ...PAGES.map((p) => `page.${p}`),
    ...PAGES.filter((p) => p !== 'today' && p !== 'settings').map((p) => `coming.${p}`),
    ...SETTINGS_TABS.map((tab) => `settings.tab.${tab}`),
    ...ROLES.map((r) => `role.${r}`),
    ...THEME_MODES.map((m) => `theme.${m}`),
    ...LOCALES.map((l) => `lang.${l}`),
    'calendar.kind.holiday', 'calendar.kind.workday',
    'greeting.morning', 'greeting.noon', 'greeting.afternoon', 'greeting.evening',
    'calendar.source.user', 'calendar.source.cn-2026',
  ];
  for (const k of needed) {
    assert.ok(k in zh, `zh-CN lacks ${k}`);
    assert.ok(k in en, `en lacks ${k}`);
  }
});

// The error codes of the UI contract, as listed there at the time of writing.
const CONTRACT_CODES = [
  'auth.forbidden', 'auth.unauthenticated', 'auth.bad_credentials', 'auth.throttled', 'not_found', 'db.busy', 'db.error',
  'db.migration', 'db.too_new', 'io.error', 'field.required', 'field.too_long', 'field.control_chars', 'money.invalid',
  'password.too_short', 'password.too_long', 'password.old_wrong', 'password.unchanged', 'password.hash_failed',
  'user.username_invalid', 'user.username_taken', 'user.role_invalid', 'user.last_admin', 'user.locale_invalid',
  'team.already_set_up', 'department.code_invalid', 'department.code_taken', 'department.head_invalid',
  'calendar.time_zone_invalid', 'calendar.interval_invalid', 'calendar.interval_overlap', 'calendar.no_working_time',
  'calendar.ical_invalid',
];

test('every contract error code has a translation', () => {
  const codes = new Set(CONTRACT_CODES);
  const doc = join(UI_DIR, '..', 'docs', 'dev', 'ui-contract.md');
  if (existsSync(doc)) {
    const text = read(doc);
    const section = text.slice(text.indexOf('Error codes'), text.indexOf('## Stable'));
    for (const m of section.matchAll(/`([a-z_]+(?:\.[a-z_]+)?)`/g)) if (!m[1].startsWith('error')) codes.add(m[1]);
  }
  codes.add('unknown');
  for (const code of codes) {
    assert.ok(`error.${code}` in zh, `zh-CN lacks error.${code}`);
    assert.ok(`error.${code}` in en, `en lacks error.${code}`);
  }
  assert.match(zh['error.auth.throttled'], /\{seconds\}/);
  assert.match(en['error.unknown'], /\{message\}/);
});
