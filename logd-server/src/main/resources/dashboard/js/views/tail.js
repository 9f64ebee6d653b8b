// Live tail: new events as they are stored, over Server-Sent Events (/api/v1/logs/tail), with a
// filter, pause and resume, and bounded memory: the table keeps the newest MAX_ROWS events, and
// while paused at most MAX_ROWS wait; whatever is past that is counted as missed, never stored.
import {url} from '../api.js';
import {h, num, announce} from '../dom.js';
import {eventTable} from '../events.js';
import {narrow} from '../query.js';

export const title = 'Live tail';
export const usesRange = false;

export const MAX_ROWS = 1000;

let root = null;
let table = null;
let input = null;
let pauseButton = null;
let stream = null; // {controller}
let waiting = []; // events held while paused or until the next frame, oldest first
let paused = false;
let frame = 0;
let counts = {received: 0, missedLocal: 0, missedServer: 0};
let retryTimer = 0;

export function mount(el, ctx) {
  input = h('input', {id: 'tail-q', type: 'search', class: 'query-input', spellcheck: 'false', autocomplete: 'off',
    placeholder: 'Filter, e.g. level:[warn TO *] AND NOT service:cron'});
  pauseButton = h('button', {type: 'button', id: 'tail-pause', 'aria-pressed': 'false', onclick: () => setPaused(!paused)},
    'Pause');
  table = eventTable({caption: 'Live events, newest first', maxRows: MAX_ROWS,
    empty: 'Waiting for new events…',
    onFilter: (field, value, exclude) => ctx.set({q: narrow(ctx.params.get('q') || '', field, value, exclude)})});
  root = h('div', {class: 'view tail'},
    h('h1', {class: 'sr-only'}, 'Live tail'),
    h('form', {class: 'querybar', role: 'search', onsubmit: (ev) => {
      ev.preventDefault();
      const q = input.value.trim();
      if (q === (ctx.params.get('q') || '')) connect(q);
      else ctx.set({q: q || null});
    }},
    h('label', {for: 'tail-q', class: 'sr-only'}, 'Filter (Lucene syntax)'),
    input,
    h('button', {type: 'submit', class: 'primary'}, 'Apply'),
    pauseButton,
    h('button', {type: 'button', id: 'tail-clear', onclick: () => {
      table.clear();
      waiting = [];
      counts = {received: 0, missedLocal: 0, missedServer: counts.missedServer};
      status();
    }}, 'Clear')),
    h('p', {class: 'tail-status', id: 'tail-status', 'aria-live': 'off'},
      h('span', {class: 'live-dot', 'aria-hidden': 'true'}), h('span', {id: 'tail-state'}, 'Connecting…'),
      h('span', {id: 'tail-counts', class: 'muted'})),
    h('div', {id: 'tail-error', class: 'query-error', role: 'alert', hidden: true}),
    table.el);
  el.append(root);
  paused = false;
  counts = {received: 0, missedLocal: 0, missedServer: 0};
  update(ctx);
}

export function update(ctx) {
  const q = ctx.params.get('q') || '';
  input.value = q;
  connect(q);
}

export function unmount() {
  disconnect();
  cancelAnimationFrame(frame);
  root = table = input = pauseButton = null;
  waiting = [];
}

function disconnect() {
  clearTimeout(retryTimer);
  stream?.controller.abort();
  stream = null;
}

function setPaused(p) {
  paused = p;
  pauseButton.textContent = p ? 'Resume' : 'Pause';
  pauseButton.setAttribute('aria-pressed', String(p));
  root.classList.toggle('paused', p);
  announce(p ? 'Live tail paused' : 'Live tail resumed');
  if (!p) schedule();
  status();
}

/** Opens the stream; reconnects with backoff (0.5 s doubling to 30 s) when it drops. */
function connect(q, attempt = 0) {
  disconnect();
  const controller = new AbortController();
  const mine = {controller};
  stream = mine;
  showError(null);
  setState('Connecting…', 'connecting');
  run(q, controller.signal).then((outcome) => {
    if (stream !== mine) return;
    if (outcome.fatal) {
      setState('Stopped', 'stopped');
      showError(outcome.fatal);
      return;
    }
    const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
    setState(`Disconnected; reconnecting in ${(delay / 1000).toFixed(1)} s (events in between are not shown)`, 'stopped');
    retryTimer = setTimeout(() => connect(q, outcome.connected ? 0 : attempt + 1), delay);
  });
}

/** Reads one SSE connection until it ends; answers {fatal} for answers a retry would not change. */
async function run(q, signal) {
  let res;
  try {
    res = await fetch(url('/api/v1/logs/tail', {q}), {signal, credentials: 'same-origin', cache: 'no-store',
      headers: {Accept: 'text/event-stream'}});
  } catch (e) {
    return {connected: false};
  }
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const j = await res.json();
      message = j.error?.message || message;
      if (j.error?.position != null) message += ` (at character ${j.error.position + 1})`;
    } catch {
      // not JSON: keep the status line
    }
    if (res.status === 401) {
      location.reload(); // the session ended: the shell shows the sign-in
      return {fatal: 'Signed out.'};
    }
    return res.status >= 400 && res.status < 500 ? {fatal: `The filter was refused: ${message}`} : {connected: false};
  }
  setState(q ? 'Live (filtered)' : 'Live', 'live');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data = [];
  try {
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      buffer += value;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        if (line === '') {
          if (data.length) receive(data.join('\n'));
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        } else if (line.startsWith(':')) {
          const m = /^: ?dropped (\d+)/.exec(line);
          if (m) {
            counts.missedServer = Number(m[1]);
            status();
          }
        }
      }
    }
  } catch (e) {
    if (signal.aborted) return {connected: true};
  }
  return {connected: true};
}

function receive(json) {
  let e;
  try {
    e = JSON.parse(json);
  } catch {
    return;
  }
  counts.received++;
  waiting.push(e);
  if (waiting.length > MAX_ROWS) {
    const over = waiting.length - MAX_ROWS;
    waiting.splice(0, over);
    counts.missedLocal += over;
  }
  if (!paused) schedule();
  else status();
}

/** Draws what arrived once per frame, however fast events come. */
function schedule() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    if (!table || paused || !waiting.length) return;
    const batch = waiting;
    waiting = [];
    table.add(batch.reverse(), {atTop: true});
    status();
  });
}

function setState(text, cls) {
  if (!root) return;
  root.querySelector('#tail-state').textContent = text;
  root.querySelector('#tail-status').dataset.state = cls;
}

function status() {
  if (!root) return;
  const parts = [`${num(counts.received)} received`, `${num(table.size())} shown`];
  if (paused) parts.push(`${num(waiting.length)} waiting`);
  if (counts.missedLocal) parts.push(`${num(counts.missedLocal)} dropped here (more than ${num(MAX_ROWS)} waiting)`);
  if (counts.missedServer) parts.push(`${num(counts.missedServer)} skipped by the server (this view fell behind)`);
  root.querySelector('#tail-counts').textContent = ` · ${parts.join(' · ')}`;
}

function showError(text) {
  const box = root?.querySelector('#tail-error');
  if (!box) return;
  box.textContent = text || '';
  box.hidden = !text;
}
