// One kind's page: its objects as a table (live), a form to create or edit one, delete with a second click.
import { api } from '../api.js';
import { h, clear, append } from '../dom.js';
import { KINDS, tenantOf } from '../kinds.js';
import { store } from '../store.js';
import { objectForm, deleteButton } from '../form.js';
import { canWrite, readOnlyReason, writableTenants } from '../access.js';

export function show(value) {
  if (value === undefined || value === null || value === '') return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

// A table of objects of `kind`, columns from its fields; `extra(object)` adds cells, `filter(object)` picks rows.
export function objectTable(kind, ctx, { filter = () => true, edit, extraHeads = [], extra = () => [], onError }) {
  const spec = KINDS[kind];
  const columns = spec.fields.filter(f => f.name !== 'tenantName'); // the key names the tenant
  const body = h('tbody');
  const table = h('table', { 'aria-label': spec.title },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), columns.map(c => h('th', { scope: 'col' }, c.label)),
      extraHeads.map(x => h('th', { scope: 'col' }, x)), h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'Actions')))),
    body);
  function update() {
    clear(body);
    const rows = [...store.objects[kind].values()].filter(filter).sort((a, b) => a.key.localeCompare(b.key));
    for (const object of rows) {
      const writable = canWrite(ctx, kind, tenantOf(kind, object.key));
      body.append(h('tr', { dataset: { key: object.key } },
        h('td', {}, object.key),
        columns.map(c => h('td', {}, show(object[c.name]))),
        extra(object),
        h('td', { class: 'actions' },
          h('button', { type: 'button', disabled: !writable, title: writable ? undefined : readOnlyReason(ctx, kind), 'aria-label': `Edit ${object.key}`,
            onclick: () => edit(object) }, 'Edit'), ' ',
          writable ? deleteButton(object.key, () => api('DELETE', `${kind}/${object.key}/`).then(() => store.objects[kind].delete(object.key)), onError)
            : h('button', { type: 'button', disabled: true, title: readOnlyReason(ctx, kind) }, 'Delete'))));
    }
    if (rows.length === 0) body.append(h('tr', {}, h('td', { colspan: columns.length + extraHeads.length + 2, class: 'muted' }, `No ${spec.title.toLowerCase()} yet.`)));
  }
  update();
  return { element: table, update };
}

export function objectsPage(kind, root, ctx) {
  const spec = KINDS[kind];
  const error = h('p', { class: 'error', role: 'alert' });
  const writable = canWrite(ctx, kind);
  const form = writable ? objectForm(kind, { tenants: writableTenants(ctx), fixed: kind === 'globals' ? { name: 'global' } : undefined }) : null;
  let tenantFilter = '';
  const filterSelect = spec.global ? null : h('select', { 'aria-label': 'Show tenant', onchange: e => { tenantFilter = e.target.value; table.update(); } });
  function fillFilter() {
    if (!filterSelect) return;
    const tenants = [...store.objects.tenants.keys()].sort();
    clear(filterSelect).append(h('option', { value: '' }, 'All tenants'), ...tenants.map(t => h('option', { value: t }, t)));
    filterSelect.value = tenants.includes(tenantFilter) ? tenantFilter : '';
  }
  fillFilter();
  const table = objectTable(kind, ctx, {
    filter: o => !tenantFilter || tenantOf(kind, o.key) === tenantFilter,
    edit: o => form?.edit(o),
    onError: e => { error.textContent = (e.status === 403 ? 'Not allowed: ' : '') + e.message; },
  });
  append(root, h('h1', {}, spec.title),
    writable ? null : h('p', { class: 'notice', role: 'note' }, readOnlyReason(ctx, kind)),
    form ? h('h2', {}, kind === 'globals' ? 'Change the settings' : `Create or edit a ${spec.one}`) : null,
    form?.element,
    filterSelect ? h('div', { class: 'toolbar' }, h('label', {}, 'Tenant', filterSelect)) : null,
    error, table.element);
  return {
    update(changed) {
      if (changed.has(kind) || changed.has('all')) table.update();
      if (changed.has('tenants') || changed.has('all')) {
        fillFilter();
        form?.setTenants(writableTenants(ctx));
      }
    },
  };
}
