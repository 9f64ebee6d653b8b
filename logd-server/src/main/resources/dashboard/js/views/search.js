// Search: a Lucene query, a hits histogram (drag to zoom), results newest first with infinite
// scroll through the cursor, facets that narrow the query, and export of what matches.
import {api, url, ApiError} from '../api.js';
import {h, fill, num, announce} from '../dom.js';
import {resolve, iso, pickStep, stepMillis} from '../time.js';
import {barChart, onThemeChange, seriesColor} from '../charts.js';
import {eventTable} from '../events.js';
import {narrow} from '../query.js';

export const title = 'Search';
export const usesRange = true;

const PAGE = 100;
const FIRST_FACETS = ['level', 'service', 'host'];
const LIKELY_FACETS = ['status', 'method', 'path', 'client_ip', 'source_ip', 'dest_port', 'dest_host', 'facility',
  'tags', 'action', 'network', 'user', 'exception', 'es_index'];
const NOT_FACETS = /^(message|import_id|import_line|pid|request_id|trace_id|span_id|timestamp|received|truncated)$|(_ms|_time|_at)$/;
const MAX_FACETS = 12;

let root = null;
let input = null;
let table = null;
let chart = null;
let observer = null;
let abort = null;
let stopTheme = null;
let state = null; // {q, from, to, cursor, loadingMore, hits}

export function mount(el, ctx) {
  input = h('input', {id: 'q', name: 'q', type: 'search', class: 'query-input', spellcheck: 'false',
    autocomplete: 'off', placeholder: 'service:api AND level:error   "connection refused"   status:>=500',
    'aria-describedby': 'query-help'});
  const form = h('form', {class: 'querybar', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    if (q === (ctx.params.get('q') || '')) load(ctx); // the same query again: run it again
    else ctx.set({q: q || null});
  }},
  h('label', {for: 'q', class: 'sr-only'}, 'Query (Lucene syntax)'),
  input,
  h('button', {type: 'submit', class: 'primary', id: 'run-query'}, 'Search'));
  table = eventTable({caption: 'Matching events, newest first', empty: 'No events match.',
    onFilter: (field, value, exclude) => ctx.set({q: narrow(ctx.params.get('q') || '', field, value, exclude)})});
  root = h('div', {class: 'view search'},
    h('h1', {class: 'sr-only'}, 'Search'),
    form,
    h('p', {id: 'query-help', class: 'muted help'},
      'Lucene syntax: words, "phrases", field:value, ranges like status:[500 TO 599], NOT, OR, CIDR like client_ip:10.0.0.0/8. Press / to come back here.'),
    h('div', {id: 'query-error', class: 'query-error', role: 'alert', hidden: true}),
    h('div', {class: 'search-body'},
      h('aside', {class: 'facets', 'aria-label': 'Field values'},
        h('h2', null, 'Fields'), h('div', {id: 'facets'})),
      h('section', {class: 'results', 'aria-label': 'Results'},
        h('div', {class: 'card chart-card'},
          h('div', {class: 'card-head'},
            h('h2', {id: 'hits-total', 'aria-live': 'polite'}, '…'),
            h('span', {class: 'muted hint', id: 'took'}),
            h('span', {class: 'spacer'}),
            h('span', {class: 'export'}, 'Export ',
              h('a', {id: 'export-ndjson', download: 'logd-export.ndjson'}, 'NDJSON'), ' · ',
              h('a', {id: 'export-csv', download: 'logd-export.csv'}, 'CSV'))),
          h('div', {class: 'chart', id: 'hits-chart', role: 'img', 'aria-label': 'Matching events over time'})),
        table.el,
        h('p', {class: 'sentinel muted', id: 'more'}))));
  el.append(root);
  observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) more();
  }, {rootMargin: '400px'});
  observer.observe(root.querySelector('#more'));
  stopTheme = onThemeChange(() => state?.hits && drawHits(ctx, state.hits));
  load(ctx);
}

export function update(ctx) {
  load(ctx);
}

export function refresh(ctx) {
  load(ctx);
}

export function unmount() {
  abort?.abort();
  observer?.disconnect();
  chart?.destroy();
  stopTheme?.();
  root = input = table = chart = observer = state = null;
}

async function load(ctx) {
  abort?.abort();
  abort = new AbortController();
  const signal = abort.signal;
  const q = ctx.params.get('q') || '';
  if (document.activeElement !== input || input.value.trim() === q) input.value = q;
  const {fromMs, toMs} = resolve(ctx.range());
  state = {q, from: iso(fromMs), to: iso(toMs), cursor: null, loadingMore: false, hits: null, signal};
  const step = pickStep(Math.max(1000, toMs - fromMs), 120, '1s');
  const base = {q, from: state.from, to: state.to};
  root.querySelector('#export-ndjson').href = url('/api/v1/logs/export', {...base, format: 'ndjson'});
  root.querySelector('#export-csv').href = url('/api/v1/logs/export', {...base, format: 'csv'});
  root.classList.add('loading');
  setMore('Searching…');
  try {
    const [page, hits] = await Promise.all([
      api('/api/v1/logs', {params: {...base, limit: PAGE}, signal}),
      api('/api/v1/logs/hits', {params: {...base, step}, signal}),
      loadFacets(ctx, base, signal),
    ]);
    if (!root || signal.aborted) return;
    showQueryError(null);
    table.clear();
    table.add(page.events);
    state.cursor = page.next_cursor;
    state.hits = {hits, step};
    root.querySelector('#hits-total').textContent = `${num(hits.total)} ${hits.total === 1 ? 'event' : 'events'}`;
    root.querySelector('#took').textContent = `newest first · ${page.took_ms} ms`;
    drawHits(ctx, state.hits);
    setMore(state.cursor ? '' : page.events.length ? 'That is all.' : '');
    root.dataset.loaded = String(Date.now());
    announce(`${num(hits.total)} events match`);
  } catch (e) {
    if (e.name === 'AbortError' || !root) return;
    table.clear();
    chart?.destroy();
    chart = null;
    root.querySelector('#hits-chart').replaceChildren();
    root.querySelector('#hits-total').textContent = 'No results';
    root.querySelector('#took').textContent = '';
    fill(root.querySelector('#facets'));
    setMore('');
    showQueryError(e, q);
  } finally {
    root?.classList.remove('loading');
  }
}

/** The next page, when the end of the table scrolls into view. */
async function more() {
  if (!state || !state.cursor || state.loadingMore) return;
  state.loadingMore = true;
  const s = state;
  setMore('Loading more…');
  try {
    const page = await api('/api/v1/logs', {params: {q: s.q, from: s.from, to: s.to, limit: PAGE, cursor: s.cursor},
      signal: s.signal});
    if (s !== state) return;
    table.add(page.events);
    s.cursor = page.next_cursor;
    setMore(s.cursor ? '' : 'That is all.');
  } catch (e) {
    if (e.name !== 'AbortError' && s === state) setMore(`Could not load more: ${e.message}`);
  } finally {
    s.loadingMore = false;
  }
  // Still in view (a tall window): keep going.
  if (s === state && s.cursor) {
    const r = root.querySelector('#more').getBoundingClientRect();
    if (r.top < window.innerHeight + 400) more();
  }
}

function setMore(text) {
  const el = root.querySelector('#more');
  el.textContent = text;
}

function drawHits(ctx, {hits, step}) {
  chart?.destroy();
  const xs = hits.buckets.map((b) => Date.parse(b.t));
  chart = barChart(root.querySelector('#hits-chart'), xs,
    [{label: 'events', color: seriesColor('hits', 0), values: hits.buckets.map((b) => b.count)}],
    {height: 120, legend: false, stepMs: stepMillis(step), onSelect: (a, b) => ctx.zoomTo(a, b)});
}

async function loadFacets(ctx, base, signal) {
  const {fields} = await api('/api/v1/fields', {params: {from: base.from, to: base.to}, signal});
  const names = new Set(fields.map((f) => f.name));
  const usable = (f) => !NOT_FACETS.test(f.name) && f.types.some((t) => ['keyword', 'long', 'bool', 'ip'].includes(t));
  const chosen = [...FIRST_FACETS];
  for (const n of LIKELY_FACETS) if (names.has(n) && chosen.length < MAX_FACETS) chosen.push(n);
  for (const f of fields) {
    if (chosen.length >= MAX_FACETS) break;
    if (!chosen.includes(f.name) && usable(f)) chosen.push(f.name);
  }
  const facets = await api('/api/v1/logs/facets', {params: {...base, fields: chosen.join(','), limit: 8}, signal});
  if (!root || signal.aborted) return;
  const sections = chosen.filter((f) => facets[f] && facets[f].length).map((field) => {
    const values = facets[field];
    return h('section', {class: 'facet', dataset: {field}},
      h('h3', null, field),
      h('ul', null, values.map(({value, count}) => h('li', null,
        h('button', {type: 'button', class: 'facet-value', dataset: {field, value},
          'aria-label': `Filter to ${field} ${value} (${count} events)`, title: `Add ${field}:${value} to the query`,
          onclick: () => ctx.set({q: narrow(base.q, field, value)})},
        h('span', {class: 'facet-name'}, field === 'level' ? h('span', {class: `dot lvl-${value}`}) : null, value),
        h('span', {class: 'facet-count'}, num(count))),
        h('button', {type: 'button', class: 'icon facet-exclude', dataset: {field, value},
          'aria-label': `Exclude ${field} ${value}`, title: `Exclude ${field}:${value}`,
          onclick: () => ctx.set({q: narrow(base.q, field, value, true)})}, '−')))));
  });
  fill(root.querySelector('#facets'), sections.length ? sections : h('p', {class: 'muted'}, 'No field values in this range.'));
}

function showQueryError(e, q) {
  const box = root.querySelector('#query-error');
  input.removeAttribute('aria-invalid');
  if (!e) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  if (e instanceof ApiError && e.code === 'invalid_query') {
    input.setAttribute('aria-invalid', 'true');
    const pos = Math.max(0, Math.min(q.length, e.position ?? q.length));
    fill(box,
      h('p', {class: 'error-title'}, 'The query does not parse', e.position != null ? ` (at character ${pos + 1})` : '', ':'),
      h('pre', {class: 'query-echo', 'aria-hidden': 'true'},
        q.slice(0, pos), h('mark', null, q.slice(pos, pos + 1) || ' '), q.slice(pos + 1), '\n',
        ' '.repeat(pos), h('span', {class: 'caret'}, '^')),
      h('p', {class: 'error-message'}, e.message));
  } else {
    const code = e instanceof ApiError ? e.code : null;
    fill(box, h('p', {class: 'error-message'}, code === 'invalid_time' ? `The time range is not valid: ${e.message}`
      : code === 'query_too_broad' ? `The query is too broad: ${e.message}` : `The search failed: ${e.message}`));
  }
  box.hidden = false;
}
