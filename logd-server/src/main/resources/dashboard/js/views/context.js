// Context: the events just before and after one event, from the same host and service, oldest
// first, with the event itself highlighted (#/context?id=…&n=25).
import {api} from '../api.js';
import {h, fill} from '../dom.js';
import {eventTable} from '../events.js';
import {formatEventTime} from '../time.js';
import {clause} from '../query.js';

export const title = 'Context';
export const usesRange = false;

let root = null;
let abort = null;

export function mount(el, ctx) {
  root = h('div', {class: 'view context'});
  el.append(root);
  update(ctx);
}

export function refresh(ctx) {
  update(ctx);
}

export function unmount() {
  abort?.abort();
  root = null;
}

export async function update(ctx) {
  abort?.abort();
  abort = new AbortController();
  const id = ctx.params.get('id') || '';
  const n = Math.min(500, Math.max(5, Number(ctx.params.get('n')) || 25));
  fill(root, h('h1', null, 'Context'), h('p', {class: 'muted'}, 'Loading…'));
  let c;
  try {
    c = await api(`/api/v1/logs/${encodeURIComponent(id)}/context`, {params: {before: n, after: n}, signal: abort.signal});
  } catch (e) {
    if (e.name === 'AbortError' || !root) return;
    fill(root, h('h1', null, 'Context'),
      h('p', {class: 'error banner', role: 'alert'}, e.status === 404 ? 'There is no such event (or it has been deleted).' : e.message),
      h('p', null, h('a', {href: '#/search'}, 'Back to search')));
    return;
  }
  if (!root) return;
  const e = c.event;
  const table = eventTable({caption: 'Surrounding events, oldest first', highlight: e.id, empty: 'Nothing around it.'});
  table.add([...c.before, e, ...c.after]);
  const same = [e.host && clause('host', e.host), e.service && clause('service', e.service)].filter(Boolean).join(' AND ');
  fill(root,
    h('div', {class: 'context-head'},
      h('h1', null, 'Context'),
      h('p', null, `${c.before.length} events before and ${c.after.length} after the one at `,
        h('time', {datetime: e.timestamp}, formatEventTime(e.timestamp)),
        e.host || e.service ? ` from ${[e.service, e.host].filter(Boolean).join(' on ')}` : '', ', oldest first.'),
      h('p', {class: 'actions'},
        h('button', {type: 'button', onclick: () => history.back()}, 'Back'),
        h('button', {type: 'button', onclick: () => ctx.set({n: String(Math.min(500, n * 2))})}, 'Show more around it'),
        same ? h('a', {href: `#/search?q=${encodeURIComponent(same)}`}, 'Search this host and service') : null)),
    table.el);
  root.querySelector('tbody.current')?.scrollIntoView({block: 'center'});
  root.querySelector('tbody.current button.open')?.focus({preventScroll: true});
}
