// Small DOM helpers. Everything that came from a log goes in as text, never as HTML.

/**
 * Creates an element: h('a', {href: '#/x', class: 'nav'}, 'text', childNode).
 * Attributes named on* take a listener; `dataset` and boolean values are handled; null and
 * false attributes are left out; children may be strings, nodes, arrays, null or false.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'value' && 'value' in el) el.value = v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const integer = new Intl.NumberFormat();
const compactFormat = new Intl.NumberFormat(undefined, {notation: 'compact', maximumFractionDigits: 1});

/** 12,345 */
export const num = (n) => (n == null ? '–' : integer.format(n));

/** 12.3K */
export const compact = (n) => (n == null ? '–' : compactFormat.format(n));

/** 1.5 MB (decimal units, as disks are sold) */
export function bytes(n) {
  if (n == null) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ${units[i]}`;
}

/** 3.2 ms, 1.25 s */
export function millis(ms) {
  if (ms == null) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10000 ? 1 : 2)} s`;
  return `${ms >= 100 ? Math.round(ms) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms`;
}

/** 12.5 % */
export const percent = (x) => (x == null ? '–' : `${(x * 100).toFixed(x < 0.001 && x > 0 ? 3 : x < 0.1 ? 2 : 1)} %`);

/** A polite announcement for screen readers (the #status live region). */
export function announce(text) {
  const live = document.getElementById('status');
  if (live) live.textContent = text;
}
