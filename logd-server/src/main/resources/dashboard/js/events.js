// The events table shared by search, live tail and context: one row per event, newest first
// unless told otherwise, with a row that opens to the whole event.
import {h, fill} from './dom.js';
import {formatEventTime} from './time.js';

const LEVELS = ['trace', 'debug', 'info', 'notice', 'warn', 'error', 'crit', 'alert', 'emerg'];

/** A level as a coloured badge (the colour is also named, so it is never the only cue). */
export function levelBadge(level) {
  const known = LEVELS.includes(level);
  return h('span', {class: `lvl lvl-${known ? level : 'none'}`}, level || '—');
}

/** The whole event as indented JSON. */
const pretty = (e) => JSON.stringify(e, null, 2);

/**
 * An events table.
 *
 * @param opts {caption, onFilter(field, value, exclude), highlight: id, maxRows, empty}
 * @returns {el, add(events, {atTop}), clear(), size(), setEmpty(text)}
 */
export function eventTable(opts = {}) {
  const table = h('table', {class: 'events'},
    opts.caption ? h('caption', {class: 'sr-only'}, opts.caption) : null,
    h('thead', null, h('tr', null,
      h('th', {scope: 'col', class: 'c-open'}, h('span', {class: 'sr-only'}, 'Open')),
      h('th', {scope: 'col', class: 'c-time'}, 'Time'),
      h('th', {scope: 'col', class: 'c-level'}, 'Level'),
      h('th', {scope: 'col', class: 'c-service'}, 'Service'),
      h('th', {scope: 'col', class: 'c-host'}, 'Host'),
      h('th', {scope: 'col', class: 'c-message'}, 'Message'))));
  const empty = h('p', {class: 'empty', hidden: true}, opts.empty || 'No events.');
  const el = h('div', {class: 'events-wrap'}, table, empty);
  let count = 0;

  function row(e) {
    const body = h('tbody', {class: 'event', dataset: {id: e.id}});
    if (opts.highlight && e.id === opts.highlight) body.classList.add('current');
    const toggle = h('button', {class: 'open', type: 'button', 'aria-expanded': 'false',
      'aria-label': `Show the whole event at ${e.timestamp}`}, '▸');
    const main = h('tr', {class: 'summary'},
      h('td', {class: 'c-open'}, toggle),
      h('td', {class: 'c-time'}, h('time', {datetime: e.timestamp, title: e.timestamp}, formatEventTime(e.timestamp))),
      h('td', {class: 'c-level'}, levelBadge(e.level)),
      h('td', {class: 'c-service'}, e.service || ''),
      h('td', {class: 'c-host'}, e.host || ''),
      h('td', {class: 'c-message'}, firstLine(e.message)));
    let detail = null;
    const flip = () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      toggle.textContent = open ? '▾' : '▸';
      if (open) {
        detail = detail || h('tr', {class: 'detail'}, h('td', {colspan: 6}, eventDetail(e, opts.onFilter)));
        body.append(detail);
      } else if (detail) {
        detail.remove();
      }
    };
    toggle.addEventListener('click', (ev) => { ev.stopPropagation(); flip(); });
    main.addEventListener('click', () => {
      if (!window.getSelection().toString()) flip(); // selecting text is not a click on the row
    });
    body.append(main);
    return body;
  }

  return {
    el,
    add(events, {atTop = false} = {}) {
      if (!events.length) return;
      const rows = events.map(row);
      if (atTop) {
        // events come newest first; the newest ends up at the very top
        const first = table.tBodies[0] || null;
        rows.forEach((r) => table.insertBefore(r, first));
      } else {
        rows.forEach((r) => table.append(r));
      }
      count += rows.length;
      if (opts.maxRows) {
        while (count > opts.maxRows) {
          table.tBodies[atTop ? table.tBodies.length - 1 : 0].remove();
          count--;
        }
      }
      empty.hidden = true;
    },
    clear() {
      [...table.tBodies].forEach((b) => b.remove());
      count = 0;
      empty.hidden = false;
    },
    size: () => count,
    setEmpty(text) {
      empty.textContent = text;
      empty.hidden = count > 0;
    },
  };
}

function firstLine(message) {
  const m = message || '';
  const nl = m.indexOf('\n');
  return nl < 0 ? m : `${m.slice(0, nl)} …`;
}

/** The opened row: actions, the event's fields with filter buttons, and its JSON. */
function eventDetail(e, onFilter) {
  const pairs = [];
  for (const k of ['service', 'host', 'level', 'facility']) {
    if (e[k] != null) pairs.push([k, e[k]]);
  }
  for (const [k, v] of Object.entries(e.fields || {})) pairs.push([k, v]);
  for (const t of e.tags || []) pairs.push(['tags', t]);
  const copy = h('button', {type: 'button', class: 'link'}, 'Copy JSON');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(pretty(e));
      copy.textContent = 'Copied';
    } catch {
      copy.textContent = 'Copy failed (select the JSON below)';
    }
  });
  return h('div', {class: 'event-detail'},
    h('div', {class: 'actions'},
      h('a', {href: `#/context?id=${encodeURIComponent(e.id)}`}, 'Show context (surrounding events)'),
      copy,
      h('span', {class: 'muted'}, `id ${e.id}`)),
    pairs.length ? h('table', {class: 'kv'}, h('tbody', null, pairs.map(([k, v]) => fieldRow(k, v, onFilter)))) : null,
    h('pre', {class: 'json', tabindex: '0', 'aria-label': 'Event JSON'}, pretty(e)));
}

function fieldRow(k, v, onFilter) {
  const values = Array.isArray(v) ? v : [v];
  const text = values.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  const filterable = onFilter && values.length === 1 && v !== null && typeof v !== 'object';
  return h('tr', null,
    h('th', {scope: 'row'}, k),
    h('td', {class: 'kv-value'}, text),
    h('td', {class: 'kv-actions'}, filterable ? [
      h('button', {type: 'button', class: 'icon', title: `Filter to ${k}: ${text}`, 'aria-label': `Filter to ${k} ${text}`,
        onclick: () => onFilter(k, v, false)}, '+'),
      h('button', {type: 'button', class: 'icon', title: `Exclude ${k}: ${text}`, 'aria-label': `Exclude ${k} ${text}`,
        onclick: () => onFilter(k, v, true)}, '−'),
    ] : null));
}
