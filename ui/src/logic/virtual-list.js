// Windowing for long lists (the customer list scrolls through 100k rows): which rows are in
// view, the spacer heights that stand for the rows not rendered, which pages to fetch, and a
// bounded cache of fetched pages. Pure: no DOM, no fetching; the screen supplies both.

/**
 * The rows to render for a scroll position: [start, end) with `overscan` extra rows on each
 * side, clamped to the list. Rows all have the same height.
 */
export function visibleRange({ scrollTop, viewportHeight, rowHeight, total, overscan = 10 }) {
  if (!(rowHeight > 0) || total <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.floor(top / rowHeight);
  const count = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(total - 1, first) - overscan);
  const end = Math.min(total, first + count + overscan);
  return { start, end: Math.max(start, end) };
}

/** Heights (px) of the empty space above and below the rendered rows. */
export function spacerHeights({ start, end, total, rowHeight }) {
  return { top: start * rowHeight, bottom: Math.max(0, total - end) * rowHeight };
}

/** The page numbers (0-based, `pageSize` rows each) that hold rows [start, end). */
export function pagesFor({ start, end }, pageSize) {
  if (end <= start) return [];
  const out = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p += 1) out.push(p);
  return out;
}

/** The scrollTop that brings row `index` into a viewport, or null when it is already visible. */
export function scrollToReveal({ index, scrollTop, viewportHeight, rowHeight, headerHeight = 0 }) {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight - headerHeight) return bottom - viewportHeight + headerHeight;
  return null;
}

/**
 * Fetched pages of one query, at most `maxPages` kept (the ones farthest from the last page
 * asked for are dropped first). `generation` changes with every reset, so answers for an older
 * query can be recognised and thrown away.
 */
export class PageCache {
  constructor({ pageSize, maxPages = 40 }) {
    this.pageSize = pageSize;
    this.maxPages = maxPages;
    this.pages = new Map();
    this.pending = new Set();
    this.generation = 0;
    this.focus = 0;
  }

  /** Forget everything (new filters or sort). */
  reset() {
    this.pages.clear();
    this.pending.clear();
    this.generation += 1;
  }

  /** The row at `index`, or undefined when its page is not here. */
  row(index) {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page ? page[index % this.pageSize] : undefined;
  }

  /** Pages of [start, end) neither cached nor being fetched; marks the focus for eviction. */
  missing(range) {
    const wanted = pagesFor(range, this.pageSize);
    if (wanted.length) this.focus = wanted[0];
    return wanted.filter((p) => !this.pages.has(p) && !this.pending.has(p));
  }

  /** Note that page `p` is being fetched. */
  begin(p) {
    this.pending.add(p);
  }

  /** Store page `p` fetched under `generation`; returns false (and stores nothing) when stale. */
  put(p, items, generation = this.generation) {
    if (generation !== this.generation) return false;
    this.pending.delete(p);
    this.pages.set(p, items);
    while (this.pages.size > this.maxPages) {
      let far = null;
      for (const k of this.pages.keys()) if (far === null || Math.abs(k - this.focus) > Math.abs(far - this.focus)) far = k;
      this.pages.delete(far);
    }
    return true;
  }

  /** A fetch of page `p` failed: let it be asked for again. */
  fail(p, generation = this.generation) {
    if (generation === this.generation) this.pending.delete(p);
  }

  /** The rows of [start, end) that are loaded, as [index, row] pairs. */
  loaded(start, end) {
    const out = [];
    for (let i = start; i < end; i += 1) {
      const r = this.row(i);
      if (r !== undefined) out.push([i, r]);
    }
    return out;
  }
}
