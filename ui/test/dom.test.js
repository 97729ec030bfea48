// The DOM builder against a minimal fake document: text stays text, HTML/style hooks are refused.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

class FakeNode {
  constructor(doc, nodeType) {
    this.ownerDocument = doc;
    this.nodeType = nodeType;
    this.childNodes = [];
  }
  appendChild(child) {
    this.childNodes.push(child);
    return child;
  }
  removeChild(child) {
    this.childNodes = this.childNodes.filter((c) => c !== child);
    return child;
  }
  get firstChild() {
    return this.childNodes[0] ?? null;
  }
}

class FakeElement extends FakeNode {
  constructor(doc, tag, ns) {
    super(doc, 1);
    this.tagName = tag.toUpperCase();
    this.namespaceURI = ns ?? null;
    this.attributes = {};
    this.dataset = {};
    this.listeners = {};
  }
  setAttribute(k, v) {
    this.attributes[k] = String(v);
  }
  addEventListener(type, fn) {
    (this.listeners[type] ??= []).push(fn);
  }
}

const fakeDocument = {
  createElement(tag) {
    return new FakeElement(fakeDocument, tag);
  },
  createElementNS(ns, tag) {
    return new FakeElement(fakeDocument, tag, ns);
  },
  createTextNode(text) {
    const n = new FakeNode(fakeDocument, 3);
    n.data = text;
    return n;
  },
};

let dom;
before(async () => {
  globalThis.document = fakeDocument;
  dom = await import('../src/dom.js');
});

test('string children become text nodes, even when they look like HTML', () => {
  const el = dom.h('p', { class: 'x' }, '<img src=x onerror=alert(1)>', 42);
  assert.equal(el.tagName, 'P');
  assert.equal(el.childNodes.length, 2);
  assert.equal(el.childNodes[0].nodeType, 3);
  assert.equal(el.childNodes[0].data, '<img src=x onerror=alert(1)>');
  assert.equal(el.childNodes[1].data, '42');
  assert.equal(el.attributes.class, 'x');
});

test('nested arrays, nodes and skipped values', () => {
  const child = dom.h('span', {});
  const el = dom.h('div', null, ['a', [child, null, false, undefined, true]], 'b');
  assert.deepEqual(el.childNodes.map((c) => c.nodeType), [3, 1, 3]);
  assert.equal(el.childNodes[1], child);
});

test('attributes: class lists, dataset, booleans, handlers, properties', () => {
  let clicked = 0;
  const el = dom.h('input', {
    class: ['btn', null, 'btn-primary'], 'data-testid': 'user-save', dataset: { id: 7, gone: null },
    disabled: true, hidden: false, onclick: () => clicked++, value: 'v',
  });
  assert.equal(el.attributes.class, 'btn btn-primary');
  assert.equal(el.attributes['data-testid'], 'user-save');
  assert.deepEqual(el.dataset, { id: '7' });
  assert.equal(el.attributes.disabled, '');
  assert.ok(!('hidden' in el.attributes));
  assert.equal(el.value, 'v');
  assert.ok(!('value' in el.attributes));
  el.listeners.click[0]();
  assert.equal(clicked, 1);
});

test('HTML and style hooks are refused', () => {
  assert.throws(() => dom.h('div', { innerHTML: '<b>x</b>' }), TypeError);
  assert.throws(() => dom.h('div', { outerHTML: 'x' }), TypeError);
  assert.throws(() => dom.h('div', { style: 'color:red' }), TypeError);
  assert.throws(() => dom.h('div', { onclick: 'alert(1)' }), TypeError);
  assert.throws(() => dom.h('div', {}, { toString: () => '<b>' }), TypeError);
});

test('svg elements use the SVG namespace', () => {
  const el = dom.svg('path', { d: 'M0 0' });
  assert.equal(el.namespaceURI, 'http://www.w3.org/2000/svg');
  assert.equal(el.attributes.d, 'M0 0');
});

test('clear and options', () => {
  const el = dom.h('select', {}, dom.options([['a', 'A'], [2, 'Two']], 2));
  assert.equal(el.childNodes.length, 2);
  assert.equal(el.childNodes[1].selected, true);
  assert.equal(el.childNodes[0].selected, undefined);
  dom.clear(el);
  assert.equal(el.childNodes.length, 0);
});
