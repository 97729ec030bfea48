// Reminders lead to the page of their item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeForItem } from '../src/logic/notification-route.js';

test('items route to their pages', () => {
  assert.equal(routeForItem('feedback', 12), '#/feedback/12');
  assert.equal(routeForItem('feedback', 'x'), '#/feedback');
  assert.equal(routeForItem('customer', 3), '#/customers/3');
  assert.equal(routeForItem('task', 9), '#/today');
  assert.equal(routeForItem('care_holiday', 1), '#/plans');
  assert.equal(routeForItem('change_request', 4), '#/customers', 'the deciders open their customers list');
  assert.equal(routeForItem('unknown', 1), null);
});
