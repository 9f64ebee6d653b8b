// Admin (admin keys only): tenants and API keys. Admins of tenant default run the appliance and
// see every tenant; other admins see only their own. A new key's secret is shown once.
import {api} from '../api.js';
import {h, fill, announce} from '../dom.js';
import {formatShort} from '../time.js';

export const title = 'Admin';
export const usesRange = false;

let root = null;

export function mount(el, ctx) {
  root = h('div', {class: 'view admin'},
    h('h1', {class: 'sr-only'}, 'Admin'),
    h('section', {class: 'card', 'aria-labelledby': 'tenants-title'},
      h('h2', {id: 'tenants-title'}, 'Tenants'),
      h('div', {id: 'tenants'}),
      h('form', {id: 'tenant-form', class: 'inline-form', hidden: ctx.session.tenant !== 'default',
        onsubmit: (ev) => createTenant(ev, ctx)},
      h('label', {for: 'tenant-name'}, 'New tenant'),
      h('input', {id: 'tenant-name', required: true, pattern: '[a-z0-9][a-z0-9_-]{0,62}',
        title: 'lower-case letters, digits, - and _', spellcheck: 'false', autocomplete: 'off'}),
      h('button', {type: 'submit', class: 'primary'}, 'Create tenant'),
      h('p', {class: 'error', role: 'alert', hidden: true}))),
    h('section', {class: 'card', 'aria-labelledby': 'keys-title'},
      h('h2', {id: 'keys-title'}, 'API keys'),
      h('div', {id: 'new-key', class: 'new-key', role: 'status', hidden: true}),
      h('form', {id: 'key-form', class: 'inline-form', onsubmit: (ev) => createKey(ev, ctx)},
        h('label', {for: 'key-name'}, 'Name'),
        h('input', {id: 'key-name', required: true, maxlength: 100, autocomplete: 'off', placeholder: 'nginx-fleet'}),
        h('label', {for: 'key-role'}, 'Role'),
        h('select', {id: 'key-role'},
          h('option', {value: 'ingest'}, 'ingest (ship logs)'),
          h('option', {value: 'read'}, 'read (search and dashboards)'),
          h('option', {value: 'admin'}, 'admin (keys and tenants)')),
        h('label', {for: 'key-tenant'}, 'Tenant'),
        h('select', {id: 'key-tenant'}),
        h('button', {type: 'submit', class: 'primary'}, 'Create key'),
        h('p', {class: 'error', role: 'alert', hidden: true})),
      h('div', {id: 'keys'})));
  el.append(root);
  update(ctx);
}

export function refresh(ctx) {
  update(ctx);
}

export function unmount() {
  root = null;
}

export async function update(ctx) {
  try {
    const [{tenants}, {keys}] = await Promise.all([api('/api/v1/tenants'), api('/api/v1/keys')]);
    if (!root) return;
    drawTenants(tenants);
    drawKeys(ctx, keys, tenants);
  } catch (e) {
    if (root) fill(root.querySelector('#keys'), h('p', {class: 'error banner', role: 'alert'}, e.message));
  }
}

function drawTenants(tenants) {
  fill(root.querySelector('#tenants'), h('table', {class: 'grid'},
    h('thead', null, h('tr', null, h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col'}, 'Created'))),
    h('tbody', null, tenants.map((t) => h('tr', {dataset: {tenant: t.name}},
      h('td', null, t.name), h('td', null, formatShort(Date.parse(t.created))))))));
  const select = root.querySelector('#key-tenant');
  const chosen = select.value;
  fill(select, tenants.map((t) => h('option', {value: t.name}, t.name)));
  if (chosen) select.value = chosen;
}

function drawKeys(ctx, keys, tenants) {
  const multi = tenants.length > 1;
  fill(root.querySelector('#keys'), h('table', {class: 'grid keys'},
    h('thead', null, h('tr', null,
      h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col'}, 'ID'), multi ? h('th', {scope: 'col'}, 'Tenant') : null,
      h('th', {scope: 'col'}, 'Role'), h('th', {scope: 'col'}, 'Created'), h('th', {scope: 'col'}, 'Status'),
      h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')))),
    h('tbody', null, keys.map((k) => h('tr', {dataset: {key: k.id}, class: k.revoked ? 'revoked' : null},
      h('td', null, k.name || h('span', {class: 'muted'}, '(no name)'), k.id === ctx.session.key_id ? h('span', {class: 'badge'}, 'you') : null),
      h('td', null, h('code', null, k.id)),
      multi ? h('td', null, k.tenant) : null,
      h('td', null, k.role),
      h('td', null, formatShort(Date.parse(k.created))),
      h('td', null, k.revoked ? `revoked ${formatShort(Date.parse(k.revoked))}` : 'active'),
      h('td', {class: 'row-actions'}, k.revoked ? null : revokeControl(ctx, k)))))));
}

/** Revoke, then an inline confirmation (no modal dialog to trap focus). */
function revokeControl(ctx, k) {
  const cell = h('span');
  const ask = () => {
    const self = k.id === ctx.session.key_id;
    fill(cell,
      h('span', {class: 'confirm-text'}, self ? 'Revoke your own key? This signs you out.' : `Revoke ${k.name || k.id}?`),
      h('button', {type: 'button', class: 'danger', 'data-confirm': k.id, onclick: () => revoke(ctx, k)}, 'Revoke'),
      h('button', {type: 'button', onclick: () => fill(cell, first())}, 'Cancel'));
    cell.querySelector('button.danger').focus();
  };
  const first = () => h('button', {type: 'button', class: 'danger-outline', 'data-revoke': k.id,
    'aria-label': `Revoke key ${k.name || k.id}`, onclick: ask}, 'Revoke…');
  return fill(cell, first());
}

async function revoke(ctx, k) {
  try {
    await api(`/api/v1/keys/${encodeURIComponent(k.id)}`, {method: 'DELETE'});
    announce(`Key ${k.name || k.id} revoked`);
    update(ctx);
  } catch (e) {
    formError(root.querySelector('#key-form'), e.message);
  }
}

async function createTenant(ev, ctx) {
  ev.preventDefault();
  const form = ev.target;
  const input = root.querySelector('#tenant-name');
  try {
    await api('/api/v1/tenants', {method: 'POST', body: {name: input.value.trim()}});
    announce(`Tenant ${input.value} created`);
    input.value = '';
    formError(form, null);
    update(ctx);
  } catch (e) {
    formError(form, e.message);
  }
}

async function createKey(ev, ctx) {
  ev.preventDefault();
  const form = ev.target;
  const name = root.querySelector('#key-name');
  const body = {name: name.value.trim(), role: root.querySelector('#key-role').value,
    tenant: root.querySelector('#key-tenant').value || undefined};
  try {
    const k = await api('/api/v1/keys', {method: 'POST', body});
    formError(form, null);
    name.value = '';
    showSecret(k);
    update(ctx);
  } catch (e) {
    formError(form, e.message);
  }
}

function showSecret(k) {
  const box = root.querySelector('#new-key');
  const secret = h('input', {id: 'new-key-secret', readonly: true, value: k.key, spellcheck: 'false',
    'aria-label': `The new key's secret`});
  const copy = h('button', {type: 'button', onclick: async () => {
    try {
      await navigator.clipboard.writeText(k.key);
      copy.textContent = 'Copied';
    } catch {
      secret.select();
      copy.textContent = 'Press Ctrl+C';
    }
  }}, 'Copy');
  fill(box,
    h('p', null, h('strong', null, `Key “${k.name}” (${k.role}, tenant ${k.tenant}) created.`),
      ' Copy it now: it is shown only this once, and logd keeps only its hash.'),
    h('div', {class: 'secret-row'}, secret, copy,
      h('button', {type: 'button', onclick: () => { box.hidden = true; box.replaceChildren(); }}, 'Done')));
  box.hidden = false;
  secret.focus();
  secret.select();
}

function formError(form, text) {
  const p = form.querySelector('.error');
  p.textContent = text || '';
  p.hidden = !text;
}
