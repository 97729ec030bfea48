// Windowing of the customer list (which rows to render, spacers, pages to fetch, the page cache)
// and the row selection behind bulk actions (ticks, shift-click ranges, "all matching").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleRange, spacerHeights, pagesFor, scrollToReveal, PageCache } from '../src/logic/virtual-list.js';
import { RowSelection } from '../src/logic/selection.js';

test('only the rows in view (plus overscan) are rendered, at any depth of 100k rows', () => {
  const base = { viewportHeight: 400, rowHeight: 40, total: 100000, overscan: 5 };
  assert.deepEqual(visibleRange({ ...base, scrollTop: 0 }), { start: 0, end: 16 });
  // Deep in the list: first visible row 50000, 11 rows fit, 5 extra each side.
  assert.deepEqual(visibleRange({ ...base, scrollTop: 50000 * 40 }), { start: 49995, end: 50016 });
  const r = visibleRange({ ...base, scrollTop: 50000 * 40 + 13 });
  assert.ok(r.end - r.start <= 25, 'a bounded number of rows whatever the total');
  // Scrolled past the end (momentum): clamped to the last rows.
  const end = visibleRange({ ...base, scrollTop: 99999999 });
  assert.equal(end.end, 100000);
  assert.ok(end.start >= 99990 && end.start < end.end);
  // Short and empty lists.
  assert.deepEqual(visibleRange({ ...base, total: 3, scrollTop: 0 }), { start: 0, end: 3 });
  assert.deepEqual(visibleRange({ ...base, total: 0, scrollTop: 0 }), { start: 0, end: 0 });
  assert.deepEqual(visibleRange({ ...base, scrollTop: -50 }).start, 0);
});

test('spacers keep the scroll height of the whole list', () => {
  const total = 100000;
  const rowHeight = 40;
  const { start, end } = visibleRange({ scrollTop: 123456, viewportHeight: 600, rowHeight, total, overscan: 8 });
  const { top, bottom } = spacerHeights({ start, end, total, rowHeight });
  assert.equal(top + (end - start) * rowHeight + bottom, total * rowHeight);
  assert.equal(top, start * rowHeight);
  assert.deepEqual(spacerHeights({ start: 0, end: 0, total: 0, rowHeight }), { top: 0, bottom: 0 });
});

test('pages covering a range, and revealing a row for keyboard moves', () => {
  assert.deepEqual(pagesFor({ start: 0, end: 10 }, 100), [0]);
  assert.deepEqual(pagesFor({ start: 95, end: 205 }, 100), [0, 1, 2]);
  assert.deepEqual(pagesFor({ start: 200, end: 200 }, 100), []);
  assert.deepEqual(pagesFor({ start: 199, end: 200 }, 100), [1]);
  const v = { scrollTop: 400, viewportHeight: 200, rowHeight: 40 };
  assert.equal(scrollToReveal({ ...v, index: 12 }), null, 'row 12 (480–520) is in view');
  assert.equal(scrollToReveal({ ...v, index: 5 }), 200, 'above: scroll up to its top');
  assert.equal(scrollToReveal({ ...v, index: 20 }), 640, 'below: its bottom at the viewport bottom');
  assert.equal(scrollToReveal({ ...v, index: 14, headerHeight: 40 }), 440, 'the sticky header hides 40px');
});

test('the page cache fetches each page once, drops far pages and ignores stale answers', () => {
  const cache = new PageCache({ pageSize: 100, maxPages: 3 });
  assert.deepEqual(cache.missing({ start: 90, end: 120 }), [0, 1]);
  cache.begin(0);
  cache.begin(1);
  assert.deepEqual(cache.missing({ start: 90, end: 120 }), [], 'in flight: not asked again');
  const rows = (p) => Array.from({ length: 100 }, (_, i) => ({ id: p * 100 + i }));
  assert.ok(cache.put(0, rows(0)));
  assert.equal(cache.row(99).id, 99);
  assert.equal(cache.row(100), undefined, 'page 1 not here yet');
  // A failed fetch may be retried.
  cache.fail(1);
  assert.deepEqual(cache.missing({ start: 100, end: 110 }), [1]);
  cache.put(1, rows(1));
  assert.deepEqual(cache.loaded(98, 102).map(([i]) => i), [98, 99, 100, 101]);
  // Jump far away: with room for 3 pages, the one farthest from the new position goes.
  cache.missing({ start: 5000, end: 5010 });
  cache.put(50, rows(50));
  cache.put(51, rows(51));
  assert.equal(cache.pages.size, 3);
  assert.equal(cache.row(5), undefined, 'page 0 was dropped');
  assert.equal(cache.row(5005).id, 5005);
  // New filters: an answer for the old query is thrown away.
  const old = cache.generation;
  cache.begin(7);
  cache.reset();
  assert.equal(cache.put(7, rows(7), old), false);
  assert.equal(cache.row(705), undefined);
  assert.deepEqual(cache.missing({ start: 700, end: 701 }), [7], 'pending cleared by reset');
});

test('ticks, shift-click ranges and "all matching" become the bulk selection', () => {
  const s = new RowSelection();
  const ids = [11, 12, 13, 14, 15, 16];
  const idAt = (i) => ids[i];
  s.toggle(12, 1);
  assert.ok(s.has(12));
  s.range(4, true, idAt); // shift-click row 4: rows 1..4
  assert.deepEqual([...s.ids].sort(), [12, 13, 14, 15]);
  assert.equal(s.count(1000), 4);
  // Shift-click upwards unticking: from the anchor (4) to 2.
  s.range(2, false, idAt);
  assert.deepEqual([...s.ids], [12]);
  // Rows not loaded in a range are skipped, not invented.
  s.clear();
  s.toggle(11, 0);
  s.range(5, true, (i) => (i === 3 ? undefined : ids[i]));
  assert.deepEqual([...s.ids].sort(), [11, 12, 13, 15, 16]);
  assert.deepEqual(s.toPayload({ stage: 'signed', offset: 0, limit: 100 }), { mode: 'ids', ids: [...s.ids] });

  s.selectAll();
  assert.equal(s.count(100000), 100000);
  s.toggle(13);
  assert.equal(s.has(13), false);
  assert.equal(s.has(99999), true, 'rows never loaded are in "all matching"');
  assert.equal(s.count(100000), 99999);
  assert.deepEqual(s.toPayload({ stage: 'signed', offset: 200, limit: 100 }), { mode: 'query', query: { stage: 'signed' }, except: [13] });
  s.clear();
  assert.equal(s.any(100000), false);
});
