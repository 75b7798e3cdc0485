// The cluster at a glance: masters and agents as gossip sees them (and the leader), counts of every kind, VLAN/VXLAN
// use, and address use per network. Counts follow the store live; inspects are read again when their tenant changes.
import { api } from '../api.js';
import { h, clear, append } from '../dom.js';
import { store } from '../store.js';

export function dashboardPage(root, ctx) {
  const nodes = h('tbody');
  const cards = h('div', { class: 'cards' });
  const tags = h('p', { class: 'muted' });
  const networks = h('tbody');
  const endpointCounts = new Map(); // tenant -> endpoints, from the tenant's inspect
  const usage = new Map(); // network key -> inspect Oper
  let disposed = false;

  append(root, h('h1', {}, 'Dashboard'),
    h('h2', {}, 'Nodes'),
    h('table', { 'aria-label': 'Nodes' }, h('thead', {}, h('tr', {}, ['Address', 'Roles', 'Status', 'Host', 'Leader'].map(x => h('th', { scope: 'col' }, x)))), nodes),
    h('h2', {}, 'Objects'), cards,
    h('h2', {}, 'Segments and addresses'), tags,
    h('table', { 'aria-label': 'Address use per network' }, h('thead', {}, h('tr', {},
      ['Network', 'Encap', 'Tag', 'Subnet', 'Allocated', 'Available', 'Use'].map(x => h('th', { scope: 'col' }, x)))), networks));

  function renderNodes() {
    clear(nodes);
    for (const node of store.nodes)
      nodes.append(h('tr', {}, h('td', {}, node.address), h('td', {}, (node.roles ?? []).join(', ')),
        h('td', { class: node.status === 'up' ? 'status-up' : 'status-down' }, node.status), h('td', {}, node.host ?? ''),
        h('td', {}, node.leader ? 'leader' : '')));
    if (store.nodes.length === 0) nodes.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No nodes known (or not readable).')));
  }

  function renderCards() {
    const endpoints = [...endpointCounts.values()].reduce((a, b) => a + b, 0);
    const counts = [['Tenants', store.objects.tenants.size], ['Networks', store.objects.networks.size],
      ['Endpoint groups', store.objects.endpointGroups.size], ['Endpoints', endpoints], ['Policies', store.objects.policys.size],
      ['Rules', store.objects.rules.size], ['Service LBs', store.objects.serviceLBs.size],
      ['Masters', store.nodes.filter(n => (n.roles ?? []).includes('master')).length],
      ['Agents', store.nodes.filter(n => (n.roles ?? []).includes('agent')).length]];
    clear(cards).append(...counts.map(([label, n]) => h('div', { class: 'card', dataset: { count: label } }, h('div', { class: 'n' }, n), h('div', { class: 'l' }, label))));
  }

  function renderNetworks() {
    clear(networks);
    for (const network of [...store.objects.networks.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      const oper = usage.get(network.key);
      const allocated = oper?.allocatedAddressesCount ?? 0;
      const available = countRanges(oper?.availableIPAddresses);
      const share = allocated + available > 0 ? allocated / (allocated + available) : 0;
      const bar = h('span');
      bar.style.width = `${Math.round(share * 100)}%`;
      networks.append(h('tr', { dataset: { key: network.key } }, h('td', {}, network.key), h('td', {}, network.encap), h('td', {}, oper?.pktTag ?? network.pktTag ?? ''),
        h('td', {}, network.subnet), h('td', {}, oper ? allocated : '…'), h('td', {}, oper ? available : '…'),
        h('td', {}, h('div', { class: 'bar', role: 'img', 'aria-label': `${Math.round(share * 100)}% used` }, bar))));
    }
  }

  async function loadTenant(tenant) {
    try {
      const inspect = await api('GET', `inspect/tenants/${tenant}/`);
      endpointCounts.set(tenant, inspect?.Oper?.totalEndpoints ?? 0);
    } catch { endpointCounts.delete(tenant); }
    for (const network of [...store.objects.networks.values()].filter(n => n.tenantName === tenant)) {
      try { usage.set(network.key, (await api('GET', `inspect/networks/${network.key}/`))?.Oper); } catch { usage.delete(network.key); }
    }
    if (!disposed) { renderCards(); renderNetworks(); }
  }

  async function loadGlobal() {
    try {
      const oper = (await api('GET', 'inspect/globals/global/'))?.Oper ?? {};
      tags.textContent = `VLANs in use: ${oper.vlansInUse || 'none'} · VXLANs in use: ${oper.vxlansInUse || 'none'} · networks: ${oper.numNetworks ?? 0}`;
    } catch (e) { tags.textContent = e.message; }
  }

  function loadAll() {
    for (const tenant of store.objects.tenants.keys()) loadTenant(tenant);
    loadGlobal();
  }

  renderNodes(); renderCards(); renderNetworks(); loadAll();
  return {
    update(changed) {
      if (changed.has('nodes') || changed.has('all')) renderNodes();
      renderCards();
      if (changed.has('all')) { loadAll(); return; }
      if (changed.has('networks')) renderNetworks();
      for (const what of changed) if (what.startsWith('tenant:')) { loadTenant(what.slice(7)); loadGlobal(); }
    },
    dispose() { disposed = true; },
  };
}

// "10.1.1.3-10.1.1.254, 10.1.1.9" -> how many addresses.
export function countRanges(text) {
  if (!text) return 0;
  let n = 0;
  for (const part of String(text).split(',').map(p => p.trim()).filter(p => p)) {
    const [from, to] = part.split('-').map(ipNumber);
    n += to === undefined ? 1 : to - from + 1;
  }
  return n;
}

function ipNumber(ip) {
  return ip.trim().split('.').reduce((a, b) => a * 256 + Number(b), 0);
}
