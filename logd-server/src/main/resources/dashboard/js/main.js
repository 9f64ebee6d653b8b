// The dashboard shell: sign-in, the hash router (#/view?q=…&from=…&to=…, so a view can be shared
// by its URL), the time-range picker and auto-refresh. Views live in ./views/.
import {api, onSignedOut, ApiError} from './api.js';
import {h, fill, announce} from './dom.js';
import {DEFAULT_RANGE, PRESETS, isValidTime, label, resolve, toLocalInput} from './time.js';
import * as overview from './views/overview.js';
import * as search from './views/search.js';
import * as tail from './views/tail.js';
import * as admin from './views/admin.js';
import * as context from './views/context.js';

const VIEWS = {overview, search, tail, admin, context};
const $ = (id) => document.getElementById(id);

let session = null;
let current = null; // {name, view}
let refreshTimer = null;

// ------------------------------------------------------------------ routing

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [name, query = ''] = raw.split('?', 2);
  return {name: VIEWS[name] ? name : 'overview', params: new URLSearchParams(query)};
}

function hashOf(name, params) {
  const qs = params.toString();
  return `#/${name}${qs ? `?${qs}` : ''}`;
}

/** What every view gets: the URL's parameters and ways to change them. */
const ctx = {
  get session() {
    return session;
  },
  get params() {
    return parseHash().params;
  },
  range() {
    const p = parseHash().params;
    const from = p.get('from');
    const to = p.get('to');
    return {
      from: from && isValidTime(from) ? from : DEFAULT_RANGE.from,
      to: to && isValidTime(to) ? to : DEFAULT_RANGE.to,
    };
  },
  /** Merges changes (null deletes) into the current view's parameters. */
  set(changes, {replace = false} = {}) {
    const {name, params} = parseHash();
    for (const [k, v] of Object.entries(changes)) {
      if (v == null || v === '') params.delete(k);
      else params.set(k, v);
    }
    go(hashOf(name, params), replace);
  },
  /** Opens another view, carrying the time range over. */
  open(name, extra = {}) {
    const params = new URLSearchParams();
    const r = ctx.range();
    if (r.from !== DEFAULT_RANGE.from) params.set('from', r.from);
    if (r.to !== DEFAULT_RANGE.to) params.set('to', r.to);
    const refresh = parseHash().params.get('refresh');
    if (refresh) params.set('refresh', refresh);
    for (const [k, v] of Object.entries(extra)) if (v != null && v !== '') params.set(k, v);
    go(hashOf(name, params));
  },
};

function go(hash, replace) {
  if (hash === location.hash) return;
  if (replace) {
    history.replaceState(null, '', hash);
    route();
  } else {
    location.hash = hash; // hashchange routes
  }
}

function route() {
  if (!session) return;
  const {name, params} = parseHash();
  if (name === 'admin' && session.role !== 'admin') {
    go('#/overview', true);
    return;
  }
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.dataset.view === name || (name === 'context' && a.dataset.view === 'search')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  renderRangePicker();
  $('range-picker').hidden = !VIEWS[name].usesRange;
  $('auto-refresh').value = params.get('refresh') || '0';
  scheduleRefresh(Number(params.get('refresh') || 0));
  if (current && current.name === name) {
    current.view.update(ctx);
    return;
  }
  if (current) current.view.unmount();
  const main = $('main');
  main.replaceChildren();
  current = {name, view: VIEWS[name]};
  document.title = `${VIEWS[name].title} · logd`;
  current.view.mount(main, ctx);
}

function scheduleRefresh(seconds) {
  clearInterval(refreshTimer);
  refreshTimer = null;
  if (seconds > 0) {
    refreshTimer = setInterval(() => {
      if (!document.hidden && current && current.view.refresh) current.view.refresh(ctx);
    }, seconds * 1000);
  }
}

// ------------------------------------------------------------------ time range picker

function renderRangePicker() {
  const range = ctx.range();
  const {fromMs, toMs} = resolve(range);
  const picker = $('range-picker');
  const wasOpen = picker.querySelector('details')?.open;
  const fromInput = h('input', {id: 'range-from', type: 'datetime-local', step: '1', value: toLocalInput(fromMs)});
  const toInput = h('input', {id: 'range-to', type: 'datetime-local', step: '1', value: toLocalInput(toMs)});
  const error = h('p', {class: 'error', role: 'alert', hidden: true});
  const details = h('details', {class: 'popover'},
    h('summary', {'aria-label': `Time range: ${label(range)}`}, h('span', {class: 'range-label'}, label(range))),
    h('div', {class: 'popover-panel', role: 'group', 'aria-label': 'Time range'},
      h('div', {class: 'presets'},
        h('h2', null, 'Relative'),
        PRESETS.map(([v, text]) => h('button', {
          type: 'button', class: range.from === v && range.to === 'now' ? 'preset active' : 'preset',
          'data-range': v, onclick: () => setRange({from: v, to: 'now'}),
        }, text))),
      h('form', {class: 'absolute', onsubmit: (ev) => {
        ev.preventDefault();
        const a = Date.parse(fromInput.value);
        const b = Date.parse(toInput.value);
        if (Number.isNaN(a) || Number.isNaN(b) || a >= b) {
          error.textContent = 'Pick a start before the end.';
          error.hidden = false;
          return;
        }
        setRange({from: new Date(a).toISOString(), to: new Date(b).toISOString()});
      }},
      h('h2', null, 'Absolute'),
      h('label', {for: 'range-from'}, 'From'), fromInput,
      h('label', {for: 'range-to'}, 'To'), toInput,
      error,
      h('button', {type: 'submit', class: 'primary'}, 'Apply'))));
  details.open = Boolean(wasOpen);
  details.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      details.open = false;
      details.querySelector('summary').focus();
    }
  });
  fill(picker, details);
}

function setRange(r) {
  const details = $('range-picker').querySelector('details');
  if (details) details.open = false;
  ctx.set({from: r.from === DEFAULT_RANGE.from ? null : r.from, to: r.to === 'now' ? null : r.to});
  announce(`Time range: ${label(r)}`);
}

/** Zooming a chart: an absolute range. */
function zoomTo(fromMs, toMs) {
  setRange({from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString()});
}
ctx.zoomTo = zoomTo;

// ------------------------------------------------------------------ session

function showSignIn(message) {
  session = null;
  if (current) current.view.unmount();
  current = null;
  scheduleRefresh(0);
  $('app').hidden = true;
  $('signin').hidden = false;
  const err = $('signin-error');
  err.textContent = message || '';
  err.hidden = !message;
  $('signin-key').focus();
}

function showApp(s) {
  session = s;
  $('signin').hidden = true;
  $('app').hidden = false;
  $('nav-admin').hidden = s.role !== 'admin';
  fill($('whoami'), h('span', {class: 'muted'}, 'tenant '), s.tenant, h('span', {class: 'muted'}, ` · ${s.role}`),
    s.name ? h('span', {class: 'muted'}, ` · ${s.name}`) : null);
  route();
}

async function signIn(ev) {
  ev.preventDefault();
  const input = $('signin-key');
  const button = $('signin-submit');
  const key = input.value.trim();
  if (!key) return;
  button.disabled = true;
  try {
    const s = await api('/api/v1/session', {method: 'POST', body: {key}, quiet401: true});
    input.value = '';
    showApp(s);
  } catch (e) {
    showSignIn(e instanceof ApiError && e.status === 401 ? 'That key is unknown or has been revoked.' : e.message);
  } finally {
    button.disabled = false;
  }
}

async function signOut() {
  try {
    await api('/api/v1/session', {method: 'DELETE', quiet401: true});
  } catch {
    // The cookie is cleared by the answer; if the server is gone the session dies with it.
  }
  showSignIn('Signed out.');
}

// ------------------------------------------------------------------ start

function keyboard(ev) {
  if (!session || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
  if (ev.key === '/') {
    ev.preventDefault();
    if (current?.name !== 'search') ctx.open('search');
    setTimeout(() => document.getElementById('q')?.focus(), 0);
  } else if (ev.key === 'r' && current?.view.refresh) {
    current.view.refresh(ctx);
  }
}

async function start() {
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  $('refresh-now').addEventListener('click', () => current?.view.refresh?.(ctx));
  $('auto-refresh').addEventListener('change', (ev) => ctx.set({refresh: ev.target.value === '0' ? null : ev.target.value}));
  window.addEventListener('hashchange', route);
  document.addEventListener('keydown', keyboard);
  onSignedOut(() => showSignIn('Your session has ended. Sign in again.'));
  try {
    showApp(await api('/api/v1/session', {quiet401: true}));
  } catch (e) {
    showSignIn(e instanceof ApiError && e.status === 401 ? '' : e.message);
  }
}

start();
