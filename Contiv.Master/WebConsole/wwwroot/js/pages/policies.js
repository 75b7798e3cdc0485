// Policies, and the rules of the chosen one as an ordered table (highest priority first, as the datapath matches
// them), each added, edited or deleted in place.
import { api } from '../api.js';
import { h, clear, append } from '../dom.js';
import { KINDS } from '../kinds.js';
import { store } from '../store.js';
import { objectForm, deleteButton } from '../form.js';
import { canWrite, readOnlyReason, writableTenants } from '../access.js';
import { objectTable, show } from './objects.js';

const RULE_COLUMNS = ['ruleId', 'priority', 'direction', 'action', 'protocol', 'port', 'fromEndpointGroup', 'toEndpointGroup',
  'fromNetwork', 'toNetwork', 'fromIpAddress', 'toIpAddress'];

export function rulesOf(policyKey) {
  return [...store.objects.rules.values()].filter(r => `${r.tenantName}:${r.policyName}` === policyKey)
    .sort((a, b) => (b.priority ?? 1) - (a.priority ?? 1) || a.ruleId.localeCompare(b.ruleId, undefined, { numeric: true }));
}

export function policiesPage(root, ctx) {
  const error = h('p', { class: 'error', role: 'alert' });
  const onError = e => { error.textContent = (e.status === 403 ? 'Not allowed: ' : '') + e.message; };
  const writable = canWrite(ctx, 'policys');
  const form = writable ? objectForm('policys', { tenants: writableTenants(ctx) }) : null;
  let chosen = location.hash.split('/')[2] ? decodeURIComponent(location.hash.split('/')[2]) : null;
  const rulesSection = h('section', { 'aria-label': 'Rules' });
  // policy key -> { host: 'realized' | 'pending' } from its inspect: which agents' switches hold its newest change.
  const realization = new Map();
  let disposed = false;
  const table = objectTable('policys', ctx, {
    edit: o => form?.edit(o), onError,
    extraHeads: ['Rules', 'Realized on hosts'],
    extra: o => [h('td', {}, `${rulesOf(o.key).length} `,
      h('button', { type: 'button', 'aria-label': `Rules of ${o.key}`, onclick: () => choose(o.key) }, 'Rules')),
      h('td', { class: 'realization' }, realizationOf(o.key))],
  });

  function realizationOf(key) {
    const hosts = realization.get(key);
    if (hosts === undefined) return h('span', { class: 'muted' }, '…');
    if (hosts === null) return h('span', { class: 'muted' }, 'not known (the state feed did not answer)');
    const names = Object.keys(hosts).sort();
    if (names.length === 0) return h('span', { class: 'muted' }, 'no hosts');
    return names.map(host => h('span', { class: 'chip ' + hosts[host], dataset: { host, status: hosts[host] },
      title: hosts[host] === 'realized' ? `${host} enforces the newest change` : `${host} has not applied the newest change yet` },
      `${host} ${hosts[host] === 'realized' ? '✓' : '…'}`, h('span', { class: 'sr' }, ` ${hosts[host]}`)));
  }

  async function loadRealization(keys) {
    await Promise.all(keys.map(async key => {
      try { realization.set(key, (await api('GET', `inspect/policys/${key}/`))?.Oper?.realization ?? null); }
      catch { realization.delete(key); }
    }));
    if (!disposed) table.update();
  }

  // Changes come in bursts (a rule add touches the policy, then each host reports): read the inspects once per burst.
  const stale = new Set();
  let staleTimer = 0;
  function refreshSoon(keys) {
    for (const key of keys) stale.add(key);
    clearTimeout(staleTimer);
    staleTimer = setTimeout(() => { const keys = [...stale]; stale.clear(); loadRealization(keys); }, 150);
  }
  const allPolicies = () => [...store.objects.policys.keys()];

  function choose(key) {
    chosen = key;
    history.replaceState(null, '', `#/policys/${encodeURIComponent(key)}`);
    renderRules();
    rulesSection.querySelector('h2')?.focus();
  }

  let ruleForm = null;
  let ruleBody = null;
  function renderRules() {
    clear(rulesSection);
    ruleForm = null;
    ruleBody = null;
    if (!chosen || !store.objects.policys.has(chosen)) return;
    const [tenantName, policyName] = chosen.split(':');
    const ruleWritable = canWrite(ctx, 'rules', tenantName);
    ruleForm = ruleWritable ? objectForm('rules', { fixed: { tenantName, policyName }, replaceOnEdit: true }) : null;
    ruleBody = h('tbody');
    append(rulesSection, h('h2', { tabindex: '-1' }, `Rules of policy ${chosen}`),
      ruleWritable ? null : h('p', { class: 'notice', role: 'note' }, readOnlyReason(ctx, 'rules')),
      h('table', { 'aria-label': `Rules of ${chosen}` },
        h('thead', {}, h('tr', {}, RULE_COLUMNS.map(c => h('th', { scope: 'col' }, KINDS.rules.fields.find(f => f.name === c).label)),
          h('th', { scope: 'col' }, 'Actions'))),
        ruleBody),
      ruleForm ? h('h2', {}, 'Add or edit a rule') : null,
      ruleForm ? h('p', { class: 'muted' }, 'The API cannot change a rule once made: saving an edited rule deletes it and creates it again.') : null,
      ruleForm?.element);
    updateRules();
  }

  function updateRules() {
    if (!ruleBody) return;
    clear(ruleBody);
    const [tenantName] = chosen.split(':');
    const ruleWritable = canWrite(ctx, 'rules', tenantName);
    const rules = rulesOf(chosen);
    for (const rule of rules)
      ruleBody.append(h('tr', { dataset: { key: rule.key } }, RULE_COLUMNS.map(c => h('td', {}, show(rule[c]))),
        h('td', { class: 'actions' },
          h('button', { type: 'button', disabled: !ruleWritable, 'aria-label': `Edit rule ${rule.ruleId}`, onclick: () => ruleForm?.edit(rule) }, 'Edit'), ' ',
          ruleWritable ? deleteButton(`rule ${rule.ruleId}`, () => api('DELETE', `rules/${rule.key}/`).then(() => store.objects.rules.delete(rule.key)), onError)
            : h('button', { type: 'button', disabled: true }, 'Delete'))));
    if (rules.length === 0) ruleBody.append(h('tr', {}, h('td', { colspan: RULE_COLUMNS.length + 1, class: 'muted' }, 'No rules yet.')));
  }

  append(root, h('h1', {}, 'Policies'),
    writable ? null : h('p', { class: 'notice', role: 'note' }, readOnlyReason(ctx, 'policys')),
    form ? h('h2', {}, 'Create a policy') : null, form?.element, error, table.element, rulesSection);
  renderRules();
  loadRealization(allPolicies());
  return {
    dispose() { disposed = true; clearTimeout(staleTimer); },
    update(changed) {
      if (changed.has('all') || changed.has('realization')) refreshSoon(allPolicies());
      else {
        const tenants = [...changed].filter(c => c.startsWith('tenant:')).map(c => c.slice(7));
        if (tenants.length) refreshSoon(allPolicies().filter(k => tenants.includes(k.split(':')[0])));
      }
      if (changed.has('all') || changed.has('policys') || changed.has('rules')) table.update();
      if (changed.has('all') || changed.has('policys')) { if (!ruleBody || !store.objects.policys.has(chosen)) renderRules(); }
      if (changed.has('rules')) updateRules();
      if (changed.has('tenants') || changed.has('all')) form?.setTenants(writableTenants(ctx));
    },
  };
}
