// Overview: KPIs, events over time stacked by level, and the top services, hosts, source IPs and
// status codes, all from the per-minute rollups (/api/v1/metrics/*).
import {api, ApiError} from '../api.js';
import {h, fill, num, compact, bytes, millis, percent} from '../dom.js';
import {resolve, iso, pickStep, stepMillis} from '../time.js';
import {barChart, seriesColor, onThemeChange} from '../charts.js';
import {clause} from '../query.js';

export const title = 'Overview';
export const usesRange = true;

const LEVEL_ORDER = ['trace', 'debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'];
const TOPS = [
  ['service', 'Top services', 'service'],
  ['host', 'Top hosts', 'host'],
  ['source_ip', 'Top source IPs', null],
  ['status', 'Top status codes', 'status'],
];

let root = null;
let chart = null;
let abort = null;
let stopTheme = null;
let last = null; // the answers last drawn, to redraw on a theme change

export function mount(el, ctx) {
  root = h('div', {class: 'view overview'},
    h('h1', {class: 'sr-only'}, 'Overview'),
    h('p', {class: 'error banner', role: 'alert', hidden: true, id: 'overview-error'}),
    h('section', {class: 'kpis', 'aria-label': 'Key figures'},
      kpi('kpi-total', 'Events'),
      kpi('kpi-errors', 'Error rate'),
      kpi('kpi-rate', 'Events per minute'),
      kpi('kpi-bytes', 'Bytes'),
      h('div', {class: 'card kpi latency', id: 'kpi-latency'},
        h('h2', null, 'Latency'),
        h('dl', null,
          h('div', null, h('dt', null, 'p50'), h('dd', {id: 'lat-p50'}, '–')),
          h('div', null, h('dt', null, 'p95'), h('dd', {id: 'lat-p95'}, '–')),
          h('div', null, h('dt', null, 'p99'), h('dd', {id: 'lat-p99'}, '–'))))),
    h('section', {class: 'card chart-card', 'aria-labelledby': 'levels-title'},
      h('div', {class: 'card-head'},
        h('h2', {id: 'levels-title'}, 'Events over time by level'),
        h('span', {class: 'muted hint'}, 'Drag across the chart to zoom in')),
      h('div', {class: 'chart', id: 'levels-chart', role: 'img', 'aria-label': 'Events over time, stacked by level'})),
    h('section', {class: 'tops', 'aria-label': 'Top values'},
      TOPS.map(([dim, label]) => h('div', {class: 'card top', id: `top-${dim}`},
        h('h2', null, label), h('ol', {class: 'bars'}), h('p', {class: 'muted note', hidden: true})))));
  el.append(root);
  stopTheme = onThemeChange(() => last && drawChart(ctx, last));
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
  chart?.destroy();
  stopTheme?.();
  chart = root = last = null;
}

function kpi(id, label) {
  return h('div', {class: 'card kpi', id},
    h('h2', null, label), h('p', {class: 'value'}, '–'), h('p', {class: 'sub muted'}, '\u00a0'));
}

async function load(ctx) {
  abort?.abort();
  abort = new AbortController();
  const signal = abort.signal;
  const {fromMs, toMs} = resolve(ctx.range());
  const span = Math.max(60_000, toMs - fromMs);
  const step = pickStep(span, 90, '1m');
  const p = {from: iso(fromMs), to: iso(toMs)};
  const prev = {from: iso(fromMs - span), to: iso(fromMs)};
  root.classList.add('loading');
  try {
    const [ov, before, byLevel, total, ...tops] = await Promise.all([
      api('/api/v1/metrics/overview', {params: p, signal}),
      api('/api/v1/metrics/overview', {params: prev, signal}),
      api('/api/v1/metrics/timeseries', {params: {...p, step, by: 'level', limit: 20}, signal}),
      api('/api/v1/metrics/timeseries', {params: {...p, step}, signal}),
      ...TOPS.map(([dim]) => api('/api/v1/metrics/top', {params: {...p, dimension: dim, limit: 8}, signal})),
    ]);
    if (!root) return;
    showError(null);
    drawKpis(ov, before, span);
    last = {byLevel, total, step};
    drawChart(ctx, last);
    TOPS.forEach(([dim, , field], i) => drawTop(ctx, dim, field, tops[i]));
    root.dataset.loaded = String(Date.now());
  } catch (e) {
    if (e.name === 'AbortError' || !root) return;
    showError(e instanceof ApiError && e.status === 404
      ? 'The overview reads the per-minute rollups, and they are turned off on this server (rollups.enabled: false). Search still works.'
      : `The overview could not be loaded: ${e.message}`);
  } finally {
    root?.classList.remove('loading');
  }
}

function showError(text) {
  const el = root.querySelector('#overview-error');
  el.textContent = text || '';
  el.hidden = !text;
}

function setKpi(id, value, sub, trendClass) {
  const card = root.querySelector(`#${id}`);
  card.querySelector('.value').textContent = value;
  const s = card.querySelector('.sub');
  s.textContent = sub || '\u00a0';
  s.className = `sub ${trendClass || 'muted'}`;
}

function drawKpis(ov, before, span) {
  const spanText = spanLabel(span);
  setKpi('kpi-total', num(ov.total), trendText(ov.total, before.total, `vs previous ${spanText}`));
  const delta = ov.error_rate - before.error_rate;
  const trend = before.total === 0 ? `no events in the previous ${spanText}`
    : `${delta > 0 ? '▲' : delta < 0 ? '▼' : '='} ${Math.abs(delta * 100).toFixed(2)} pts vs previous ${spanText}`;
  setKpi('kpi-errors', percent(ov.error_rate), `${num(ov.errors)} errors · ${trend}`,
    before.total === 0 || Math.abs(delta) < 1e-9 ? 'muted' : delta > 0 ? 'trend-bad' : 'trend-good');
  setKpi('kpi-rate', compact(ov.events_per_minute), `over ${spanText}`);
  setKpi('kpi-bytes', bytes(ov.bytes), 'sum of the bytes field');
  const lat = ov.latency_ms || {};
  root.querySelector('#lat-p50').textContent = millis(lat.p50);
  root.querySelector('#lat-p95').textContent = millis(lat.p95);
  root.querySelector('#lat-p99').textContent = millis(lat.p99);
}

function trendText(now, before, suffix) {
  if (!before) return '';
  const change = (now - before) / before;
  return `${change >= 0 ? '▲' : '▼'} ${Math.abs(change * 100).toFixed(0)} % ${suffix}`;
}

function spanLabel(ms) {
  const m = Math.round(ms / 60_000);
  if (m < 120) return `${m} min`;
  const hrs = Math.round(m / 60);
  return hrs < 48 ? `${hrs} h` : `${Math.round(hrs / 24)} days`;
}

function drawChart(ctx, {byLevel, total, step}) {
  const el = root.querySelector('#levels-chart');
  chart?.destroy();
  const totals = total.series[0]?.points || [];
  const xs = totals.map(([t]) => Date.parse(t));
  const sorted = [...byLevel.series].sort((a, b) => rank(a.key) - rank(b.key));
  const series = sorted.map((s, i) => ({label: s.key, color: seriesColor(s.key, i), values: s.points.map(([, n]) => n)}));
  // Events without a level are in the total but in no level's series.
  const none = totals.map(([, n], i) => n - series.reduce((t, s) => t + (s.values[i] || 0), 0));
  if (none.some((n) => n > 0)) series.unshift({label: 'no level', color: seriesColor('none', 0), values: none});
  chart = barChart(el, xs, series, {height: 220, stepMs: stepMillis(step), onSelect: (a, b) => ctx.zoomTo(a, b)});
}

function rank(level) {
  const i = LEVEL_ORDER.indexOf(level);
  return i < 0 ? LEVEL_ORDER.length : i;
}

function drawTop(ctx, dim, field, answer) {
  const card = root.querySelector(`#top-${dim}`);
  const list = card.querySelector('ol');
  const note = card.querySelector('.note');
  const items = answer.items || [];
  const max = Math.max(1, ...items.map((x) => x.count));
  fill(list, items.map((it) => {
    const q = field ? clause(field, it.value) : `${clause('source_ip', it.value)} OR ${clause('client_ip', it.value)}`;
    const bar = h('span', {class: 'bar', 'aria-hidden': 'true'});
    bar.style.width = `${(100 * it.count) / max}%`; // CSSOM, which the CSP allows
    return h('li', null,
      h('a', {href: '#', class: 'top-item', title: `Search ${q}`, onclick: (ev) => {
        ev.preventDefault();
        ctx.open('search', {q});
      }}, bar, h('span', {class: 'top-value'}, it.value), h('span', {class: 'top-count'}, num(it.count))));
  }));
  const notes = [];
  if (!items.length) notes.push('No events carry this in the range.');
  if (answer.max_error > 0) notes.push(`Counts from a top-K summary: each may be low by up to ${num(answer.max_error)}.`);
  note.textContent = notes.join(' ');
  note.hidden = !notes.length;
}
