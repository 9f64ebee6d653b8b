// Time ranges as the URL and the API take them: relative ('-15m', 'now') or absolute (RFC 3339).

const UNIT_MS = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000};
const RELATIVE = /^-(\d{1,6})([smhdw])$/;

export const PRESETS = [
  ['-5m', 'Last 5 minutes'], ['-15m', 'Last 15 minutes'], ['-1h', 'Last 1 hour'], ['-6h', 'Last 6 hours'],
  ['-24h', 'Last 24 hours'], ['-7d', 'Last 7 days'], ['-30d', 'Last 30 days'],
];

export const DEFAULT_RANGE = Object.freeze({from: '-1h', to: 'now'});

/** Whether a value is one the range picker and the API both understand. */
export function isValidTime(v) {
  return v === 'now' || RELATIVE.test(v) || !Number.isNaN(Date.parse(v));
}

/** Milliseconds since the epoch of a time value, relative to nowMs. */
export function toMillis(v, nowMs) {
  if (v === 'now' || v == null || v === '') return nowMs;
  const m = RELATIVE.exec(v);
  if (m) return nowMs - Number(m[1]) * UNIT_MS[m[2]];
  return Date.parse(v);
}

/** The range pinned to absolute milliseconds, so every request of one refresh agrees. */
export function resolve(range, nowMs = Date.now()) {
  return {fromMs: toMillis(range.from, nowMs), toMs: toMillis(range.to, nowMs)};
}

export const isRelative = (range) => RELATIVE.test(range.from) && range.to === 'now';

/** RFC 3339 UTC, as the API takes it. */
export const iso = (ms) => new Date(ms).toISOString();

/** The label of the range picker's button. */
export function label(range) {
  if (range.to === 'now') {
    const preset = PRESETS.find(([v]) => v === range.from);
    if (preset) return preset[1];
    const m = RELATIVE.exec(range.from);
    if (m) return `Last ${m[1]}${m[2]}`;
  }
  const now = Date.now();
  const from = formatShort(toMillis(range.from, now));
  if (range.to === 'now') return `${from} → now`;
  const to = formatShort(toMillis(range.to, now));
  // the same day is written once: 2026-11-23 10:00 → 11:30
  return `${from} → ${to.slice(0, 10) === from.slice(0, 10) ? to.slice(11) : to}`;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** 2026-11-23 10:00 (local) */
export function formatShort(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of an <input type="datetime-local"> for ms (local time). */
export function toLocalInput(ms) {
  const d = new Date(ms);
  return `${formatShort(ms).replace(' ', 'T')}:${pad(d.getSeconds())}`;
}

/** An event's time for the results table: local, to the millisecond; the date only when not today. */
export function formatEventTime(rfc3339) {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return rfc3339;
  const d = new Date(ms);
  const t = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  const today = new Date();
  return d.toDateString() === today.toDateString()
    ? t : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${t}`;
}

const STEPS = ['1s', '5s', '10s', '30s', '1m', '5m', '10m', '15m', '30m', '1h', '3h', '6h', '12h', '1d'];

export const stepMillis = (step) => Number(step.slice(0, -1)) * UNIT_MS[step.slice(-1)];

/**
 * The smallest step that splits the span into at most `buckets` bars; never below `min`
 * ('1m' for metrics, which count whole minutes).
 */
export function pickStep(spanMs, buckets = 120, min = '1s') {
  const floor = stepMillis(min);
  for (const s of STEPS) {
    const ms = stepMillis(s);
    if (ms >= floor && spanMs / ms <= buckets) return s;
  }
  return '1d';
}
