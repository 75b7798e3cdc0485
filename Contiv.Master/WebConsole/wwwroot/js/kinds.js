// The object kinds of the v1 API as the console edits them: key fields first, then the rest. `ref` names the kind a
// field's value is picked from (in the same tenant); `list` fields are comma-separated in the form, arrays in the API.
export const KINDS = {
  tenants: { title: 'Tenants', one: 'tenant', key: ['tenantName'], fields: [
    { name: 'tenantName', label: 'Name', required: true },
    { name: 'defaultNetwork', label: 'Default network', ref: 'networks' },
  ] },
  networks: { title: 'Networks', one: 'network', key: ['tenantName', 'networkName'], fields: [
    { name: 'tenantName', label: 'Tenant', ref: 'tenants', required: true },
    { name: 'networkName', label: 'Name', required: true },
    { name: 'encap', label: 'Encapsulation', options: ['vxlan', 'vlan'], required: true },
    { name: 'nwType', label: 'Type', options: ['data', 'infra'] },
    { name: 'subnet', label: 'Subnet (CIDR, optional range)', required: true, placeholder: '10.1.1.0/24' },
    { name: 'gateway', label: 'Gateway' },
    { name: 'pktTag', label: 'Packet tag (0: allocate)', type: 'number' },
    { name: 'ipv6Subnet', label: 'IPv6 subnet' },
    { name: 'ipv6Gateway', label: 'IPv6 gateway' },
    { name: 'cfgdTag', label: 'Configured tag' },
  ] },
  endpointGroups: { title: 'Endpoint groups', one: 'endpoint group', key: ['tenantName', 'groupName'], fields: [
    { name: 'tenantName', label: 'Tenant', ref: 'tenants', required: true },
    { name: 'groupName', label: 'Name', required: true },
    { name: 'networkName', label: 'Network', ref: 'networks', required: true },
    { name: 'policies', label: 'Policies', list: true, ref: 'policys' },
    { name: 'extContractsGrps', label: 'External contracts', list: true, ref: 'extContractsGroups' },
    { name: 'netProfile', label: 'Net profile', ref: 'netprofiles' },
    { name: 'ipPool', label: 'IP pool (range)' },
    { name: 'cfgdTag', label: 'Configured tag' },
  ] },
  policys: { title: 'Policies', one: 'policy', key: ['tenantName', 'policyName'], fields: [
    { name: 'tenantName', label: 'Tenant', ref: 'tenants', required: true },
    { name: 'policyName', label: 'Name', required: true },
  ] },
  rules: { title: 'Rules', one: 'rule', key: ['tenantName', 'policyName', 'ruleId'], hidden: true, fields: [
    { name: 'tenantName', label: 'Tenant', ref: 'tenants', required: true },
    { name: 'policyName', label: 'Policy', ref: 'policys', required: true },
    { name: 'ruleId', label: 'Rule id', required: true },
    { name: 'priority', label: 'Priority', type: 'number' },
    { name: 'direction', label: 'Direction', options: ['in', 'out'], required: true },
    { name: 'action', label: 'Action', options: ['allow', 'deny'], required: true },
    { name: 'protocol', label: 'Protocol', options: ['', 'tcp', 'udp', 'icmp'] },
    { name: 'port', label: 'Port', type: 'number' },
    { name: 'fromEndpointGroup', label: 'From group', ref: 'endpointGroups' },
    { name: 'toEndpointGroup', label: 'To group', ref: 'endpointGroups' },
    { name: 'fromNetwork', label: 'From network', ref: 'networks' },
    { name: 'toNetwork', label: 'To network', ref: 'networks' },
    { name: 'fromIpAddress', label: 'From address' },
    { name: 'toIpAddress', label: 'To address' },
  ] },
  appProfiles: { title: 'App profiles', one: 'app profile', key: ['tenantName', 'appProfileName'], fields: [
    { name: 'tenantName', label: 'Tenant', ref: 'tenants', required: true },
    { name: 'appProfileName', label: 'Name', required: true },
    { name: 'endpointGroups', label: 'Endpoint groups', list: true, ref: 'endpointGroups' },
  ] },
  netprofiles: { title: 'Net profiles', one: 'net profile', key: ['tenantName', 'profileName'], fields: [
    { name: 'tenantName', label: 'Tenant', ref: 'tenants', required: true },
    { name: 'profileName', label: 'Name', required: true },
    { name: 'bandwidth', label: 'Bandwidth', placeholder: '10 mbps' },
    { name: 'burst', label: 'Burst', type: 'number' },
    { name: 'DSCP', label: 'DSCP', type: 'number' },
  ] },
  extContractsGroups: { title: 'External contracts', one: 'external contracts group', key: ['tenantName', 'contractsGroupName'], fields: [
    { name: 'tenantName', label: 'Tenant', ref: 'tenants', required: true },
    { name: 'contractsGroupName', label: 'Name', required: true },
    { name: 'contractsType', label: 'Type', options: ['provided', 'consumed'], required: true },
    { name: 'contracts', label: 'Contracts', list: true },
  ] },
  serviceLBs: { title: 'Service LBs', one: 'service LB', key: ['tenantName', 'serviceName'], fields: [
    { name: 'tenantName', label: 'Tenant', ref: 'tenants', required: true },
    { name: 'serviceName', label: 'Name', required: true },
    { name: 'networkName', label: 'Network', ref: 'networks', required: true },
    { name: 'ipAddress', label: 'Service address' },
    { name: 'selectors', label: 'Selectors (key=value)', list: true },
    { name: 'ports', label: 'Ports (svc:provider:proto)', list: true },
  ] },
  Bgps: { title: 'BGP', one: 'Bgp host', key: ['hostname'], global: true, fields: [
    { name: 'hostname', label: 'Host', required: true },
    { name: 'routerip', label: 'Router address (CIDR)', required: true },
    { name: 'as', label: 'AS' },
    { name: 'neighbor-as', label: 'Neighbor AS' },
    { name: 'neighbor', label: 'Neighbor' },
  ] },
  globals: { title: 'Global settings', one: 'global settings', key: ['name'], global: true, adminOnly: true, fields: [
    { name: 'name', label: 'Name', required: true },
    { name: 'networkInfraType', label: 'Infra type', options: ['default', 'aci', 'aci-opflex'] },
    { name: 'vlans', label: 'VLANs', required: true },
    { name: 'vxlans', label: 'VXLANs', required: true },
    { name: 'fwdMode', label: 'Forwarding mode', options: ['bridge', 'routing'] },
    { name: 'arpMode', label: 'ARP mode', options: ['proxy', 'flood'] },
    { name: 'pvtSubnet', label: 'Private subnet', required: true },
  ] },
};

export const TENANT_KINDS = Object.keys(KINDS).filter(k => !KINDS[k].global);

export function keyOf(kind, values) {
  return KINDS[kind].key.map(f => values[f]).join(':');
}

export function tenantOf(kind, key) {
  return KINDS[kind].global ? null : key.split(':')[0];
}
