// Endpoints of every visible tenant (from each tenant's inspect), by host or by group, re-read when their tenant changes.
import { tenantEndpoints } from '../tenantEndpoints.js';
import { h, clear, append } from '../dom.js';
import { store } from '../store.js';

export function endpointsPage(root, ctx) {
  const byTenant = new Map();
  const content = h('div');
  let grouping = 'homingHost';
  let disposed = false;
  const select = h('select', { 'aria-label': 'Group endpoints by', onchange: e => { grouping = e.target.value; render(); } },
    h('option', { value: 'homingHost' }, 'host'), h('option', { value: 'endpointGroupKey' }, 'endpoint group'), h('option', { value: 'network' }, 'network'));
  append(root, h('h1', {}, 'Endpoints'), h('div', { class: 'toolbar' }, h('label', {}, 'Group by', select)), content);

  function render() {
    const all = [...byTenant.values()].flat();
    const groups = new Map();
    for (const e of all) {
      const name = e[grouping] || '(none)';
      if (!groups.has(name)) groups.set(name, []);
      groups.get(name).push(e);
    }
    clear(content);
    if (all.length === 0) content.append(h('p', { class: 'muted' }, 'No endpoints.'));
    for (const [name, endpoints] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
      content.append(h('h2', {}, `${name} (${endpoints.length})`),
        h('table', { 'aria-label': `Endpoints of ${name}` }, h('thead', {}, h('tr', {},
          ['Container', 'Address', 'MAC', 'Host', 'Group', 'Network', 'Labels'].map(x => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, endpoints.sort((a, b) => (a.containerName ?? '').localeCompare(b.containerName ?? '')).map(e => h('tr', { dataset: { id: e.endpointID } },
            h('td', {}, e.containerName || e.containerID || e.endpointID), h('td', {}, (e.ipAddress ?? []).filter(a => a).join(', ')),
            h('td', {}, e.macAddress), h('td', {}, e.homingHost), h('td', {}, e.endpointGroupKey ?? ''), h('td', {}, e.network),
            h('td', {}, Object.entries(e.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')))))));
    }
  }

  async function load(tenant) {
    try { byTenant.set(tenant, await tenantEndpoints(tenant)); } catch { byTenant.delete(tenant); }
    if (!disposed) render();
  }

  for (const tenant of store.objects.tenants.keys()) load(tenant);
  render();
  return {
    update(changed) {
      if (changed.has('all')) { byTenant.clear(); for (const tenant of store.objects.tenants.keys()) load(tenant); }
      for (const what of changed) if (what.startsWith('tenant:')) load(what.slice(7));
    },
    dispose() { disposed = true; },
  };
}
