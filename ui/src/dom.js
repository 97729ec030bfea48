// A tiny DOM builder. h(tag, attrs, ...children): string/number children become text nodes, so
// user text can never be parsed as HTML; HTML strings, innerHTML and style attributes are refused.

const SVG_NS = 'http://www.w3.org/2000/svg';
const FORBIDDEN = new Set(['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'srcdoc', 'style']);
// Set as properties (not attributes) so they reflect the live state.
const PROPS = new Set(['value', 'checked', 'selected', 'indeterminate']);

function isNode(x) {
  return x !== null && typeof x === 'object' && typeof x.nodeType === 'number';
}

/** Append children (nested arrays allowed; null/false/true skipped). */
export function append(parent, ...children) {
  const doc = parent.ownerDocument ?? document;
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false || c === true) continue;
    if (typeof c === 'string' || typeof c === 'number') parent.appendChild(doc.createTextNode(String(c)));
    else if (isNode(c)) parent.appendChild(c);
    else throw new TypeError('h(): a child must be a string, a number or a DOM node');
  }
  return parent;
}

function setAttrs(el, attrs) {
  const late = [];
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (FORBIDDEN.has(key)) throw new TypeError(`h(): attribute "${key}" is not allowed`);
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') {
      const cls = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
      if (cls) el.setAttribute('class', cls);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) el.dataset[k] = String(v);
    } else if (key.startsWith('on') && key.length > 2) {
      if (typeof value !== 'function') throw new TypeError(`h(): ${key} must be a function`);
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'ref') {
      if (typeof value !== 'function') throw new TypeError('h(): ref must be a function');
      late.push(() => value(el));
    } else if (PROPS.has(key)) {
      late.push(() => {
        el[key] = value;
      });
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  return late;
}

/** Create an HTML element. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const late = setAttrs(el, attrs);
  append(el, children);
  for (const fn of late) fn(); // after children, so a <select>'s value finds its <option>
  return el;
}

/** Create an SVG element (icons). */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  const late = setAttrs(el, attrs);
  append(el, children);
  for (const fn of late) fn();
  return el;
}

/** Remove every child. */
export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Replace an element's children. */
export function replaceChildren(el, ...children) {
  clear(el);
  return append(el, children);
}

/** <option>s from [value, label] pairs. */
export function options(pairs, selected) {
  return pairs.map(([value, label]) => h('option', { value: String(value), selected: String(value) === String(selected) }, label));
}
