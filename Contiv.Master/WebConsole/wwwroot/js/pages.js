// Every page of the console: name -> { title, adminOnly, render(root, ctx) -> { update(changed), dispose() } }.
import { dashboardPage } from './pages/dashboard.js';
import { objectsPage } from './pages/objects.js';
import { policiesPage } from './pages/policies.js';
import { endpointsPage } from './pages/endpoints.js';
import { usersPage } from './pages/users.js';
import { topologyPage } from './pages/topology.js';
import { KINDS } from './kinds.js';

const objects = kind => ({ title: KINDS[kind].title, adminOnly: KINDS[kind].adminOnly, render: (root, ctx) => objectsPage(kind, root, ctx) });

export const PAGES = {
  dashboard: { title: 'Dashboard', render: dashboardPage },
  tenants: objects('tenants'),
  networks: objects('networks'),
  endpointGroups: objects('endpointGroups'),
  policys: { title: 'Policies', render: policiesPage },
  appProfiles: objects('appProfiles'),
  netprofiles: objects('netprofiles'),
  extContractsGroups: objects('extContractsGroups'),
  serviceLBs: objects('serviceLBs'),
  Bgps: objects('Bgps'),
  endpoints: { title: 'Endpoints', render: endpointsPage },
  topology: { title: 'Topology', render: topologyPage },
  globals: objects('globals'),
  users: { title: 'Users', adminOnly: true, render: usersPage },
};
