// One tenant as a picture: hosts → their endpoints → groups → networks, and the policies' rules between groups. Two
// endpoints picked (on the picture or in the lists) get the masters' verdict for tcp, udp and icmp, with the rule that
// decides it on each side (GET inspect/verdict/, computed from the intent by DESIGN §5).
import { api } from '../api.js';
import { h, svg, clear, append } from '../dom.js';
import { store } from '../store.js';
import { tenantEndpoints } from '../tenantEndpoints.js';
import { rulesOf } from './policies.js';

const COLUMNS = { host: 16, endpoint: 236, group: 496, network: 806 };
const NODE = { width: 180, height: 22 };
const ROW = 30;
const MOST = 300; // endpoints drawn at once: beyond that a picture stops being readable, pick a host

export function topologyPage(root) {
  let tenant = pickTenant();
  let host = '';
  let endpoints = [];
  let from = null;
  let to = null;
  let port = 80;
  let disposed = false;
  const picture = h('div', { class: 'topology' });
  const verdict = h('section', { 'aria-label': 'Verdict', 'aria-live': 'polite', class: 'verdict' });
  const tenantSelect = h('select', { 'aria-label': 'Tenant', onchange: e => { tenant = e.target.value; from = to = null; load(); } });
  const hostSelect = h('select', { 'aria-label': 'Host', onchange: e => { host = e.target.value; render(); } });
  const fromSelect = h('select', { 'aria-label': 'From endpoint', onchange: e => { from = e.target.value || null; render(); judge(); } });
  const toSelect = h('select', { 'aria-label': 'To endpoint', onchange: e => { to = e.target.value || null; render(); judge(); } });
  const portInput = h('input', { type: 'number', min: 1, max: 65535, value: port, 'aria-label': 'Port (tcp and udp)',
    onchange: e => { port = Number(e.target.value) || 80; judge(); } });
  append(root, h('h1', {}, 'Topology'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Tenant', tenantSelect), h('label', {}, 'Host', hostSelect),
      h('label', {}, 'From', fromSelect), h('label', {}, 'To', toSelect), h('label', {}, 'Port', portInput)),
    h('p', { class: 'muted' }, 'Pick two endpoints (click, or Enter on a focused one) to see what a new connection between them meets. ',
      'Arrows between groups are rules: green allows, red denies; a rule that names no group applies to every peer.'),
    verdict, picture);

  function pickTenant() {
    const names = [...store.objects.tenants.keys()].sort();
    return names.includes('default') ? 'default' : names[0] ?? '';
  }

  async function load() {
    const asked = tenant;
    try { endpoints = asked ? await tenantEndpoints(asked) : []; } catch { endpoints = []; }
    if (disposed || asked !== tenant) return;
    if (from && !endpoints.some(e => e.endpointID === from)) from = null;
    if (to && !endpoints.some(e => e.endpointID === to)) to = null;
    render();
    judge();
  }

  const label = e => e.containerName || e.containerID || e.endpointID;
  const groupOf = e => e.endpointGroupKey ? e.endpointGroupKey.split(':').slice(1).join(':') : null;
  const networkOf = e => (e.network ?? '').split('.')[0];

  function options(select, values, chosen, none) {
    clear(select);
    if (none !== undefined) select.append(h('option', { value: '' }, none));
    for (const [value, text] of values) select.append(h('option', { value, selected: value === chosen }, text));
  }

  function render() {
    options(tenantSelect, [...store.objects.tenants.keys()].sort().map(t => [t, t]), tenant);
    const hosts = [...new Set(endpoints.map(e => e.homingHost))].sort();
    if (host && !hosts.includes(host)) host = '';
    options(hostSelect, hosts.map(x => [x, x]), host, 'every host');
    const sorted = [...endpoints].sort((a, b) => (a.homingHost ?? '').localeCompare(b.homingHost ?? '') || label(a).localeCompare(label(b)));
    const choices = sorted.map(e => [e.endpointID, `${label(e)} (${(e.ipAddress ?? [])[0] ?? 'no address'}, ${e.homingHost})`]);
    options(fromSelect, choices, from, '—');
    options(toSelect, choices, to, '—');
    append(clear(picture), draw(sorted.filter(e => !host || e.homingHost === host)));
  }

  function draw(shown) {
    const drawn = shown.slice(0, MOST);
    const groups = [...store.objects.endpointGroups.values()].filter(g => g.tenantName === tenant);
    const networks = [...store.objects.networks.values()].filter(n => n.tenantName === tenant);
    if (drawn.length === 0 && groups.length === 0 && networks.length === 0)
      return h('p', { class: 'muted' }, tenant ? `Tenant ${tenant} has no networks, groups or endpoints yet.` : 'No tenant to show.');

    // Rows: endpoints in host order; each group and network near the endpoints it holds, so lines stay short.
    const endpointRow = new Map(drawn.map((e, i) => [e.endpointID, i]));
    const mean = rows => rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Infinity;
    const groupOrder = groups.map(g => [g.groupName, mean(drawn.filter(e => groupOf(e) === g.groupName).map(e => endpointRow.get(e.endpointID)))])
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(x => x[0]);
    const groupRow = new Map(groupOrder.map((g, i) => [g, i]));
    const networkOrder = networks.map(n => [n.networkName, mean([
      ...groups.filter(g => g.networkName === n.networkName).map(g => groupRow.get(g.groupName)),
      ...drawn.filter(e => !groupOf(e) && networkOf(e) === n.networkName).map(e => endpointRow.get(e.endpointID))])])
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(x => x[0]);
    const networkRow = new Map(networkOrder.map((n, i) => [n, i]));
    const hostNames = [...new Set(drawn.map(e => e.homingHost))];
    const hostRow = new Map(hostNames.map(x => [x, mean(drawn.map((e, i) => e.homingHost === x ? i : null).filter(i => i !== null))]));
    const rows = Math.max(drawn.length, groupOrder.length, networkOrder.length, 1);
    const y = row => 40 + row * ROW;
    const width = COLUMNS.network + NODE.width + 16;
    const height = y(rows) + 10;

    const lines = svg('g', { class: 'links' });
    const arcs = svg('g', { class: 'rules' });
    const nodes = svg('g', { class: 'nodes' });
    const link = (x1, r1, x2, r2, kind) => lines.append(svg('line', {
      x1: x1 + NODE.width, y1: y(r1) + NODE.height / 2, x2, y2: y(r2) + NODE.height / 2, class: `link ${kind}` }));

    for (const e of drawn) {
      const row = endpointRow.get(e.endpointID);
      link(COLUMNS.host, hostRow.get(e.homingHost), COLUMNS.endpoint, row, 'homed');
      if (groupOf(e) && groupRow.has(groupOf(e))) link(COLUMNS.endpoint, row, COLUMNS.group, groupRow.get(groupOf(e)), 'member');
      else if (networkRow.has(networkOf(e))) link(COLUMNS.endpoint, row, COLUMNS.network, networkRow.get(networkOf(e)), 'member');
    }
    for (const g of groups)
      if (networkRow.has(g.networkName)) link(COLUMNS.group, groupRow.get(g.groupName), COLUMNS.network, networkRow.get(g.networkName), 'on');

    // Rules between groups: an in rule of a policy on G with fromEndpointGroup F is F → G; an out rule with toEndpointGroup T is G → T.
    const seen = new Set();
    for (const g of groups) {
      for (const policy of g.policies ?? []) {
        for (const rule of rulesOf(`${tenant}:${policy}`)) {
          const [a, b] = rule.direction === 'out' ? [g.groupName, rule.toEndpointGroup] : [rule.fromEndpointGroup, g.groupName];
          const id = `${a}>${b}>${policy}>${rule.ruleId}`;
          if (seen.has(id)) continue;
          seen.add(id);
          arcs.append(ruleArc(a, b, rule, groupRow, y));
        }
      }
    }

    const node = (column, row, kind, text, detail, attrs = {}) => svg('g', {
      class: `node ${kind}${attrs.selected ? ' ' + attrs.selected : ''}`, transform: `translate(${COLUMNS[column]},${y(row)})`,
      dataset: { kind, name: attrs.name ?? text }, tabindex: attrs.onpick ? 0 : null, role: attrs.onpick ? 'button' : 'img',
      'aria-label': `${kind} ${text}${detail ? ', ' + detail : ''}${attrs.selected ? ', picked as ' + attrs.selected : ''}`,
      onclick: attrs.onpick, onkeydown: attrs.onpick ? ev => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); attrs.onpick(); } } : null,
    }, svg('title', {}, `${text}${detail ? '\n' + detail : ''}`),
      svg('rect', { width: NODE.width, height: NODE.height, rx: 4 }),
      svg('text', { x: 8, y: 15 }, clip(text)));

    for (const x of hostNames) nodes.append(node('host', hostRow.get(x), 'host', x, `${drawn.filter(e => e.homingHost === x).length} endpoints`));
    for (const e of drawn) {
      const picked = e.endpointID === from ? 'from' : e.endpointID === to ? 'to' : '';
      nodes.append(node('endpoint', endpointRow.get(e.endpointID), 'endpoint', `${label(e)} ${(e.ipAddress ?? [])[0] ?? ''}`.trim(),
        `${e.endpointID} on ${e.homingHost}`, { name: e.endpointID, selected: picked, onpick: () => pick(e.endpointID) }));
    }
    for (const g of groupOrder) {
      const policies = groups.find(x => x.groupName === g).policies ?? [];
      nodes.append(node('group', groupRow.get(g), 'group', g, policies.length ? `policies ${policies.join(', ')}` : 'no policy'));
    }
    for (const n of networkOrder) {
      const config = networks.find(x => x.networkName === n);
      nodes.append(node('network', networkRow.get(n), 'network', `${n} ${config.subnet ?? ''}`.trim(), `${config.encap}`, { name: n }));
    }

    const heads = svg('g', { class: 'heads' }, Object.entries({ host: 'Hosts', endpoint: 'Endpoints', group: 'Groups', network: 'Networks' })
      .map(([column, text]) => svg('text', { x: COLUMNS[column], y: 22 }, text)));
    const more = shown.length > drawn.length ? h('p', { class: 'notice', role: 'note' },
      `Showing ${drawn.length} of ${shown.length} endpoints: pick a host to see the rest.`) : null;
    return [more, svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': `Topology of tenant ${tenant}` },
      svg('defs', {}, ['allow', 'deny'].map(action => svg('marker', { id: `arrow-${action}`, viewBox: '0 0 10 10', refX: 9, refY: 5,
        markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', class: `arrow ${action}` }, svg('path', { d: 'M0,0 L10,5 L0,10 z' })))),
      heads, lines, arcs, nodes)];
  }

  // A rule drawn as an arc right of the group column; a rule naming no peer group is a short stub ("any").
  function ruleArc(a, b, rule, groupRow, y) {
    const action = rule.action === 'deny' ? 'deny' : 'allow';
    const x = COLUMNS.group + NODE.width;
    const what = `${rule.policyName}/${rule.ruleId}: ${rule.direction} ${action} ${rule.protocol || 'any protocol'}${rule.port ? '/' + rule.port : ''}, priority ${rule.priority ?? 1}`;
    const attrs = { class: `rule ${action}`, dataset: { policy: rule.policyName, rule: rule.ruleId, from: a ?? '*', to: b ?? '*' } };
    if (!groupRow.has(a ?? b) || !groupRow.has(b ?? a)) return svg('g', attrs); // names a group not in this tenant: matches nothing
    const mid = NODE.height / 2;
    if (a == null || b == null) {
      const row = groupRow.get(a ?? b);
      const [x1, x2] = a == null ? [x + 40, x + 2] : [x + 2, x + 40];
      return svg('g', attrs, svg('title', {}, `${what} (${a == null ? 'from any peer' : 'to any peer'})`),
        svg('line', { x1, y1: y(row) + mid - 4, x2, y2: y(row) + mid - 4, 'marker-end': `url(#arrow-${action})` }),
        svg('text', { x: x + 44, y: y(row) + mid }, 'any'));
    }
    const [y1, y2] = [y(groupRow.get(a)) + mid, y(groupRow.get(b)) + mid];
    const bulge = 30 + Math.abs(y2 - y1) / 3;
    const d = a === b
      ? `M${x},${y1 - 5} C${x + 40},${y1 - 25} ${x + 40},${y1 + 15} ${x},${y1 + 5}`
      : `M${x},${y1} C${x + bulge},${y1} ${x + bulge},${y2} ${x},${y2}`;
    return svg('g', attrs, svg('title', {}, what), svg('path', { d, 'marker-end': `url(#arrow-${action})` }));
  }

  function pick(id) {
    if (!from || (from && to)) { from = id; to = null; }
    else if (id !== from) to = id;
    render();
    judge();
    picture.querySelector(`[data-name="${CSS.escape(id)}"]`)?.focus();
  }

  let asked = 0;
  async function judge() {
    const ask = ++asked;
    clear(verdict);
    if (!from || !to) return;
    try {
      const answer = await api('GET', `inspect/verdict/?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&port=${port}`);
      if (ask === asked && !disposed) showVerdict(answer);
    } catch (e) {
      if (ask === asked && !disposed) clear(verdict).append(h('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  function showVerdict(answer) {
    const name = e => `${e.containerName || e.endpointID} (${e.ipAddress ?? 'no address'}${e.groupName ? ', group ' + e.groupName : ''})`;
    const side = s => s ? h('td', { dataset: { verdict: s.verdict } },
      h('strong', {}, s.verdict), ` · ${s.reason}`, s.rule ? h('div', { class: 'muted' }, ruleText(s.rule)) : null) : h('td', { class: 'muted' }, '—');
    append(clear(verdict), h('h2', {}, `${name(answer.from)} → ${name(answer.to)}`),
      answer.unreachable ? h('p', { class: 'notice', role: 'note' }, answer.unreachable) : null,
      h('table', { 'aria-label': 'Verdict per protocol' },
        h('thead', {}, h('tr', {}, ['Protocol', 'Verdict', 'Source side (out rules)', 'Destination side (in rules)'].map(x => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, answer.verdicts.map(v => h('tr', { dataset: { protocol: v.protocol, verdict: v.verdict } },
          h('td', {}, v.port ? `${v.protocol}/${v.port}` : v.protocol),
          h('td', { class: v.verdict === 'allow' ? 'status-up' : 'status-down' }, `${v.verdict} · ${v.reason}`),
          side(v.source), side(v.destination))))));
  }

  const ruleText = r => `${r.policyName}/${r.ruleId}: ${r.direction} ${r.action} priority ${r.priority ?? 1}` +
    `${r.protocol ? ' ' + r.protocol : ''}${r.port ? '/' + r.port : ''}` +
    `${r.fromEndpointGroup ? ' from ' + r.fromEndpointGroup : ''}${r.toEndpointGroup ? ' to ' + r.toEndpointGroup : ''}` +
    `${r.fromNetwork ? ' from net ' + r.fromNetwork : ''}${r.toNetwork ? ' to net ' + r.toNetwork : ''}` +
    `${r.fromIpAddress ? ' from ' + r.fromIpAddress : ''}${r.toIpAddress ? ' to ' + r.toIpAddress : ''}`;

  const clip = text => text.length > 24 ? text.slice(0, 23) + '…' : text;

  render();
  load();
  let reloadTimer = 0;
  return {
    dispose() { disposed = true; clearTimeout(reloadTimer); },
    update(changed) {
      if (!tenant) tenant = pickTenant();
      if (changed.has('all') || changed.has(`tenant:${tenant}`)) {
        // A tenant's changes come in bursts (an endpoint is made in several steps): read its endpoints once per burst.
        clearTimeout(reloadTimer);
        reloadTimer = setTimeout(load, 100);
      } else if (['tenants', 'endpointGroups', 'networks', 'rules', 'policys'].some(k => changed.has(k))) {
        render();
        judge();
      }
    },
  };
}
