// A selection of list rows that may stand for more rows than are loaded: either the ids ticked
// one by one (and by shift-click ranges), or "all matching the filters" minus the ids unticked
// since. It turns into the core's bulk `selection` argument. Pure: no DOM.

export class RowSelection {
  constructor() {
    this.clear();
  }

  /** Nothing selected. */
  clear() {
    this.all = false;
    this.ids = new Set();
    this.except = new Set();
    this.anchor = null;
  }

  /** Every row matching the filters. */
  selectAll() {
    this.all = true;
    this.ids = new Set();
    this.except = new Set();
  }

  /** Is the row with this id selected? */
  has(id) {
    return this.all ? !this.except.has(id) : this.ids.has(id);
  }

  /** Select or unselect one row, remembering it as the anchor of a later shift-click. */
  set(id, on, index = null) {
    if (this.all) {
      if (on) this.except.delete(id);
      else this.except.add(id);
    } else if (on) this.ids.add(id);
    else this.ids.delete(id);
    if (index !== null) this.anchor = index;
  }

  /** Flip one row. */
  toggle(id, index = null) {
    this.set(id, !this.has(id), index);
  }

  /**
   * Shift-click at `index`: give every row between the anchor and `index` the state `on`.
   * `idAt(i)` returns the id of row i, or undefined when that row is not loaded (skipped).
   * Without an anchor it acts on the one row.
   */
  range(index, on, idAt) {
    const from = this.anchor ?? index;
    const [a, b] = from <= index ? [from, index] : [index, from];
    for (let i = a; i <= b; i += 1) {
      const id = idAt(i);
      if (id !== undefined) this.set(id, on);
    }
    this.anchor = index;
  }

  /** How many rows are selected, given how many match the filters. */
  count(total) {
    return this.all ? Math.max(0, total - this.except.size) : this.ids.size;
  }

  /** Is anything selected? */
  any(total) {
    return this.count(total) > 0;
  }

  /** The core's `selection` for the list query `query`. */
  toPayload(query) {
    if (this.all) {
      const { offset: _o, limit: _l, ...rest } = query;
      return { mode: 'query', query: rest, except: [...this.except] };
    }
    return { mode: 'ids', ids: [...this.ids] };
  }
}
