// What the signed-in user may change: the console offers only that, and says why the rest is read-only.
import { store } from './store.js';
import { KINDS } from './kinds.js';

export function isAdmin(ctx) { return ctx.me.role === 'admin'; }

// The tenants the user may change objects of.
export function writableTenants(ctx) {
  if (isAdmin(ctx)) return [...store.objects.tenants.keys()].sort();
  return [...ctx.me.tenants].sort();
}

export function canWrite(ctx, kind, tenant) {
  if (isAdmin(ctx)) return true;
  if (KINDS[kind].global) return false;
  if (kind === 'tenants' && tenant === undefined) return false; // a new tenant needs an admin
  return tenant === undefined ? ctx.me.tenants.length > 0 : ctx.me.tenants.includes(tenant);
}

export function readOnlyReason(ctx, kind) {
  if (KINDS[kind].global) return `You are ${ctx.me.username} (role ${ctx.me.role}): you may read ${KINDS[kind].title}, changing them needs role admin.`;
  if (kind === 'tenants') return `You are ${ctx.me.username} (role ${ctx.me.role}): creating a tenant needs role admin; you may change ${ctx.me.tenants.join(', ') || 'no tenant'}.`;
  return `You are ${ctx.me.username} (role ${ctx.me.role}): you may change objects of ${ctx.me.tenants.join(', ') || 'no tenant'} only.`;
}
