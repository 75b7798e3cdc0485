// What the console shows: every object the caller may read, by kind and key, kept current by the master's watch stream
// (GET /api/v1/watch/, server-sent events read through fetch so that the token goes in a header, not the URL).
import { api, session } from './api.js';
import { KINDS } from './kinds.js';

export const store = {
  objects: Object.fromEntries(Object.keys(KINDS).map(k => [k, new Map()])),
  nodes: [],
  tenantVersion: new Map(), // tenant -> how many changes the console has seen in it (pages re-read its inspect)
  changes: 0,
  lastChangeAt: 0,
};

const listeners = new Set();
export function onChange(listener) { listeners.add(listener); return () => listeners.delete(listener); }
let notifyQueued = false;
function notify(what) {
  store.changes++;
  store.lastChangeAt = performance.now();
  pending.add(what);
  if (notifyQueued) return;
  notifyQueued = true;
  queueMicrotask(() => {
    notifyQueued = false;
    const changed = new Set(pending);
    pending.clear();
    for (const listener of listeners) listener(changed);
  });
}
const pending = new Set();

export async function loadAll() {
  const kinds = Object.keys(KINDS);
  const lists = await Promise.all(kinds.map(k => api('GET', k + '/').catch(() => [])));
  kinds.forEach((kind, i) => {
    store.objects[kind] = new Map((lists[i] ?? []).map(o => [o.key, o]));
  });
  await loadNodes();
  notify('all');
}

export async function loadNodes() {
  try {
    const nodes = await api('GET', 'inspect/nodes/');
    store.nodes = Array.isArray(nodes) ? nodes : (nodes?.nodes ?? []);
  } catch {
    store.nodes = [];
  }
  notify('nodes');
}

export function apply(type, data) {
  switch (type) {
    case 'put':
      store.objects[data.kind]?.set(data.key, data.object);
      notify(data.kind);
      break;
    case 'delete':
      store.objects[data.kind]?.delete(data.key);
      notify(data.kind);
      break;
    case 'tenant':
      store.tenantVersion.set(data.tenant, (store.tenantVersion.get(data.tenant) ?? 0) + 1);
      notify('tenant:' + data.tenant);
      break;
    case 'nodes':
      loadNodes();
      break;
    case 'realized':
      notify('realization');
      break;
    case 'resync':
      resyncSoon();
      break;
  }
}

let resyncTimer = 0;
function resyncSoon() {
  clearTimeout(resyncTimer);
  resyncTimer = setTimeout(loadAll, 150);
}

// The stream: reconnects after a loss with the last event's id, so the master replays what was missed (or says resync).
export class Watch {
  constructor(onState, onExpired) {
    this.onState = onState;
    this.onExpired = onExpired;
    this.lastId = '';
    this.stopped = false;
    this.abort = null;
  }

  start() {
    this.stopped = false;
    this.loop();
  }

  stop() {
    this.stopped = true;
    this.abort?.abort();
  }

  async loop() {
    let delay = 500;
    while (!this.stopped) {
      this.abort = new AbortController();
      try {
        const headers = { 'X-Auth-Token': session.token ?? '' };
        if (this.lastId) headers['Last-Event-ID'] = this.lastId;
        const response = await fetch('/api/v1/watch/', { headers, signal: this.abort.signal, cache: 'no-store' });
        if (response.status === 401) { this.onExpired(); return; }
        if (!response.ok) throw new Error(`watch answered ${response.status}`);
        await this.read(response.body.getReader());
      } catch (e) {
        if (this.stopped) return;
      }
      if (this.stopped) return;
      this.onState('lost');
      await new Promise(r => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }

  async read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.dispatch(block);
      }
    }
  }

  dispatch(block) {
    let id = '', type = 'message', data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') type = value;
      else if (field === 'data') data += value;
    }
    if (type === 'message' && !data) return;
    const payload = data ? JSON.parse(data) : {};
    if (type === 'expired') { this.stopped = true; this.onExpired(); return; }
    if (type === 'hello') {
      // A first connection loads everything now that no change can be missed; a resumed one is replayed to.
      if (!this.lastId) loadAll();
      this.onState('on');
    } else apply(type, payload);
    if (id) this.lastId = id;
  }
}
