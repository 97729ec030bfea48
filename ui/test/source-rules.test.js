// Rules the whole UI source keeps: CSP-safe markup, no HTML injection or eval, one module that
// talks to Tauri, a header comment in every file, and every contract test id present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { filesUnder, read, SRC_DIR, UI_DIR } from '../test-support/helpers.js';

const jsFiles = filesUnder(SRC_DIR, '.js');
const rel = (f) => relative(UI_DIR, f);
const allSource = jsFiles.map(read).join('\n');

test('no innerHTML, insertAdjacentHTML, document.write, eval or new Function', () => {
  for (const f of jsFiles) {
    const code = read(f).replace(/const FORBIDDEN = new Set\([^)]*\);/, '');
    for (const bad of [/\.innerHTML\s*=/, /\.outerHTML\s*=/, /insertAdjacentHTML\(/, /document\.write/, /\beval\(/, /new Function\(/, /setAttribute\(\s*'style'/]) {
      assert.doesNotMatch(code, bad, `${rel(f)} uses ${bad}`);
    }
  }
});

test('only api.js imports the Tauri API', () => {
  const users = jsFiles.filter((f) => read(f).includes('@tauri-apps/api'));
  assert.deepEqual(users.map(rel), ['src/api.js']);
});

test('the dev mock is only reached through a dynamic import in api.js', () => {
  for (const f of jsFiles) {
    const code = read(f);
    if (rel(f) === 'src/api.js') assert.match(code, /import\('\.\/dev\/mock-backend\.js'\)/);
    else if (!rel(f).startsWith('src/dev/')) assert.doesNotMatch(code, /mock-backend/, rel(f));
  }
  const api = read(join(SRC_DIR, 'api.js'));
  assert.match(api, /__TAURI_INTERNALS__/);
  assert.match(api, /get\('mock'\) === '1'/);
});

test('every source file starts with a comment saying what it is for', () => {
  for (const f of [...jsFiles, join(SRC_DIR, 'styles.css'), join(UI_DIR, 'vite.config.js')]) {
    assert.match(read(f), /^(\/\/|\/\*)/, rel(f));
  }
});

test('index.html has no inline script or style', () => {
  const html = read(join(UI_DIR, 'index.html'));
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    assert.match(m[1], /\bsrc=/, 'every <script> has a src');
    assert.equal(m[2].trim(), '', 'no inline script body');
  }
  assert.doesNotMatch(html, /<style\b/);
  assert.doesNotMatch(html, /\sstyle=/);
  assert.doesNotMatch(html, /\son[a-z]+=/);
});

test('every data-testid of the UI contract appears in the source', () => {
  const ids = [
    'setup-form', 'setup-company', 'setup-admin-username', 'setup-admin-name', 'setup-admin-password', 'setup-admin-password2',
    'setup-timezone', 'setup-lunch', 'setup-submit', 'login-form', 'login-team-name', 'login-username', 'login-password',
    'login-submit', 'form-error', 'shell', 'sidebar', 'page-title', 'global-search', 'user-menu', 'user-menu-name',
    'menu-change-password', 'menu-switch-user', 'menu-logout', 'lang-select', 'theme-toggle', 'coming-soon', 'palette',
    'palette-input', 'palette-item', 'toast', 'dialog', 'dialog-confirm', 'dialog-cancel', 'user-add', 'user-save',
    'calendar-add-day',
  ];
  const built = (id) => {
    // Dialog buttons are named from the dialog's prefix: formDialog({prefix: 'user'}) → user-save.
    const m = /^(.*)-(save|cancel)$/.exec(id);
    return !!m && allSource.includes(`prefix: '${m[1]}'`) && allSource.includes(`\`\${prefix}-${m[2]}\``);
  };
  for (const id of ids) assert.ok(allSource.includes(`'${id}'`) || built(id), `missing data-testid ${id}`);
  // Built ones: nav-<page>, settings-tab-<tab>, field-error-<field>.
  assert.match(allSource, /`nav-\$\{page\}`/);
  assert.match(allSource, /`settings-tab-\$\{tab\}`/);
  assert.match(allSource, /`field-error-\$\{name\}`/);
});

test('every command of the contract has a helper in api.js', () => {
  const api = read(join(SRC_DIR, 'api.js'));
  const commands = [
    'app_status', 'setup_team', 'login', 'logout', 'current_session', 'change_password', 'set_locale', 'team_get', 'team_update',
    'departments_list', 'department_save', 'users_list', 'user_create', 'user_update', 'user_reset_password', 'calendar_get',
    'calendar_save_hours', 'calendar_set_day', 'calendar_remove_day', 'calendar_seed_china', 'calendar_import_ical',
  ];
  for (const c of commands) assert.match(api, new RegExp(`call\\('${c}'`), c);
  // Top-level args are camelCase as Tauri expects.
  assert.match(api, /call\('change_password', \{ oldPassword, newPassword \}\)/);
});
