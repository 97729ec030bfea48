// Command palette logic: which commands match typed text, in what order, and selection movement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterCommands, matchScore, moveSelection } from '../src/logic/palette-core.js';

const commands = [
  { id: 'go-today', label: 'Go to Today', keywords: ['today'] },
  { id: 'go-customers', label: 'Go to Customers', keywords: ['customers'] },
  { id: 'go-settings', label: 'Go to Settings', keywords: ['settings'] },
  { id: 'settings-users', label: 'Settings › Users', keywords: ['settings', 'users'] },
  { id: 'switch-language', label: 'Switch language to 简体中文', keywords: ['language', 'lang', '语言'] },
  { id: 'logout', label: 'Log out', keywords: ['logout', 'sign out', '退出'] },
  { id: 'change-password', label: 'Change password', keywords: ['password', '密码'] },
  { id: 'zh-logout', label: '退出登录', keywords: ['logout'] },
];
const ids = (list) => list.map((c) => c.id);

test('an empty query keeps every command in order', () => {
  assert.deepEqual(ids(filterCommands(commands, '')), ids(commands));
  assert.deepEqual(ids(filterCommands(commands, '   ')), ids(commands));
});

test('matching is case-insensitive and needs every word', () => {
  assert.deepEqual(ids(filterCommands(commands, 'CUST')), ['go-customers']);
  assert.deepEqual(ids(filterCommands(commands, 'go set')), ['go-settings']);
  assert.deepEqual(ids(filterCommands(commands, 'zzz')), []);
});

test('label prefix ranks before word start, before substring, before keyword-only', () => {
  assert.deepEqual(ids(filterCommands(commands, 'settings')), ['settings-users', 'go-settings']);
  assert.deepEqual(ids(filterCommands(commands, 'log')), ['logout', 'zh-logout']);
  assert.equal(matchScore({ label: 'Log out' }, 'log'), 0);
  assert.equal(matchScore({ label: 'Go to Today' }, 'today'), 1);
  assert.equal(matchScore({ label: 'Change password' }, 'ssw'), 2);
  assert.equal(matchScore({ label: '退出登录', keywords: ['logout'] }, 'logout'), 3);
  assert.equal(matchScore({ label: 'x' }, 'y'), null);
});

test('Chinese text and keywords match', () => {
  assert.deepEqual(ids(filterCommands(commands, '退出')), ['zh-logout', 'logout']);
  assert.deepEqual(ids(filterCommands(commands, '语言')), ['switch-language']);
  assert.deepEqual(ids(filterCommands(commands, '密码')), ['change-password']);
});

test('regex characters in the query are taken literally', () => {
  assert.deepEqual(ids(filterCommands(commands, '(')), []);
  assert.deepEqual(ids(filterCommands(commands, '›')), ['settings-users']);
});

test('selection wraps around and handles empty lists', () => {
  assert.equal(moveSelection(0, 1, 3), 1);
  assert.equal(moveSelection(2, 1, 3), 0);
  assert.equal(moveSelection(0, -1, 3), 2);
  assert.equal(moveSelection(-1, 1, 3), 0);
  assert.equal(moveSelection(-1, -1, 3), 2);
  assert.equal(moveSelection(0, 1, 0), -1);
});
