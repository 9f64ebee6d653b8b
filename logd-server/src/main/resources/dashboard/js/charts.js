// Time charts on uPlot (served from its WebJar). Colours come from the CSS custom properties, so
// charts follow the light or dark theme; they are redrawn when the system theme changes.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import {compact, num} from './dom.js';

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const themeListeners = new Set();
dark.addEventListener('change', () => themeListeners.forEach((fn) => fn()));

/** Calls fn when the system switches between light and dark; answers a function that stops it. */
export function onThemeChange(fn) {
  themeListeners.add(fn);
  return () => themeListeners.delete(fn);
}

/** The colour of a level, of a status class, or of the n-th other series. */
export function seriesColor(key, n) {
  const level = css(`--lvl-${key}`);
  if (level) return level;
  const status = /^[1-5]xx$/.test(key) ? css(`--status-${key}`) : '';
  if (status) return status;
  return css(`--series-${n % 8}`) || '#888';
}

function axis() {
  return {
    stroke: css('--muted'),
    grid: {stroke: css('--grid'), width: 1},
    ticks: {stroke: css('--grid'), width: 1},
    font: `11px ${css('--font-ui')}`,
  };
}

/**
 * A bar chart over time in `el`.
 *
 * @param el the container; its width is followed
 * @param xs bucket starts in milliseconds
 * @param series [{label, values, color}] stacked in this order, bottom first
 * @param opts {height, stepMs, onSelect(fromMs, toMs), title}
 * @returns {destroy()}
 */
export function barChart(el, xs, series, opts = {}) {
  const height = opts.height || 180;
  // uPlot does not stack: draw running totals, tallest first, so each bar covers the ones above it.
  const cumulative = [];
  let running = xs.map(() => 0);
  for (const s of series) {
    running = running.map((v, i) => v + (s.values[i] || 0));
    cumulative.push(running);
  }
  const order = series.map((_, i) => i).reverse();
  const bars = uPlot.paths.bars({size: [0.86, 80], align: 1});
  const uSeries = [{value: (u, v) => (v == null ? '' : new Date(v * 1000).toLocaleString())}];
  for (const i of order) {
    const s = series[i];
    uSeries.push({
      label: s.label,
      stroke: s.color,
      fill: s.color,
      width: 0,
      paths: bars,
      points: {show: false},
      value: (u, v, si, idx) => (idx == null ? '' : num(s.values[idx] || 0)),
    });
  }
  const data = [xs.map((x) => x / 1000), ...order.map((i) => cumulative[i])];
  const stepS = (opts.stepMs || 60_000) / 1000;
  const options = {
    width: Math.max(200, el.clientWidth),
    height,
    title: opts.title,
    legend: {show: opts.legend !== false, live: true},
    cursor: {drag: {x: Boolean(opts.onSelect), y: false, setScale: false}, points: {show: false}},
    scales: {
      x: {time: true, range: (u, min, max) => [min, max + stepS]},
      y: {range: (u, min, max) => [0, Math.max(1, max) * 1.05]},
    },
    axes: [axis(), {...axis(), size: 48, values: (u, ticks) => ticks.map((t) => compact(t))}],
    series: uSeries,
    hooks: {
      setSelect: [(u) => {
        if (opts.onSelect && u.select.width > 3) {
          const a = u.posToVal(u.select.left, 'x') * 1000;
          const b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
          opts.onSelect(Math.floor(a), Math.ceil(b));
        }
        u.setSelect({left: 0, top: 0, width: 0, height: 0}, false);
      }],
    },
  };
  el.replaceChildren();
  const chart = new uPlot(options, data, el);
  el.dataset.points = String(xs.length);
  el.dataset.total = String(series.reduce((t, s) => t + s.values.reduce((a, b) => a + (b || 0), 0), 0));
  const resize = new ResizeObserver(() => {
    const w = Math.max(200, el.clientWidth);
    if (Math.abs(w - chart.width) > 1) chart.setSize({width: w, height});
  });
  resize.observe(el);
  return {
    destroy() {
      resize.disconnect();
      chart.destroy();
    },
  };
}
