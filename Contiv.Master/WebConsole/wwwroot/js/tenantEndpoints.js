// A tenant's endpoints as its inspect lists them (Oper.endpoints): endpoints are not config objects, so the watch
// stream says only that the tenant changed, and pages read them again.
import { api } from './api.js';

export async function tenantEndpoints(tenant) {
  return (await api('GET', `inspect/tenants/${encodeURIComponent(tenant)}/`))?.Oper?.endpoints ?? [];
}
