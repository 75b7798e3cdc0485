// The console's shell: login, the user and role, the navigation, the live indicator, and the router (#/page).
import { api, session, onUnauthorized, onForbidden, pendingCalls } from './api.js';
import { h, clear } from './dom.js';
import { KINDS } from './kinds.js';
import { store, onChange, Watch } from './store.js';
import { PAGES } from './pages.js';

const $ = id => document.getElementById(id);
const ctx = { me: null, store };
let watch = null;
let current = null; // the shown page: { name, dispose, update }

function setLive(state) {
  const live = $('live');
  live.className = 'live ' + state;
  live.textContent = { on: 'live', lost: 'connection lost, reconnecting…', off: 'offline' }[state];
}

async function start() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', route);
  // On the loopback listener a request without a token is the local admin; on the secure one it needs a login.
  try {
    ctx.me = await api('GET', 'auth_proxy/whoami/');
  } catch {
    session.token = null;
    showLogin();
    return;
  }
  enter();
}

async function login(event) {
  event.preventDefault();
  const form = event.target;
  const error = $('login-error');
  error.textContent = '';
  try {
    const answer = await api('POST', 'auth_proxy/login/', { username: form.username.value, password: form.password.value });
    session.token = answer.token;
    ctx.me = await api('GET', 'auth_proxy/whoami/');
    form.password.value = '';
    enter();
  } catch (e) {
    error.textContent = e.message;
  }
}

async function logout() {
  try { await api('POST', 'auth_proxy/logout/'); } catch { /* the token may be gone already */ }
  session.token = null;
  showLogin('You have logged out.');
}

function showLogin(message) {
  watch?.stop();
  watch = null;
  ctx.me = null;
  setLive('off');
  current?.dispose?.();
  current = null;
  clear($('page'));
  $('nav').hidden = true;
  $('who').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message ?? '';
  $('login-form').username.focus();
}

function enter() {
  onUnauthorized(() => showLogin('Your session has ended (the token expired or was revoked): log in again.'));
  onForbidden(refreshRights);
  $('login').hidden = true;
  showWho();
  $('logout').hidden = !session.token;
  buildNav();
  watch = new Watch(setLive, () => showLogin('Your session has ended (the token expired): log in again.'));
  watch.start();
  route();
}

function showWho() {
  const who = $('who');
  who.textContent = `${ctx.me.username} (${ctx.me.role}${ctx.me.role === 'ops' ? ': ' + (ctx.me.tenants.join(', ') || 'no tenants') : ''})`;
  who.hidden = false;
}

// After a refusal: what the user may do now, shown in the header; the page keeps its message about the refusal.
async function refreshRights() {
  try {
    ctx.me = await api('GET', 'auth_proxy/whoami/');
    showWho();
  } catch { /* a 401 ends the session on its own */ }
}

function buildNav() {
  const nav = clear($('nav'));
  for (const [name, page] of Object.entries(PAGES)) {
    if (page.adminOnly && ctx.me.role !== 'admin') continue;
    nav.append(h('a', { href: '#/' + name, dataset: { page: name } }, page.title));
  }
  nav.hidden = false;
}

function route() {
  if (!ctx.me) return;
  const name = (location.hash.replace(/^#\//, '') || 'dashboard').split('/')[0];
  const page = PAGES[name] && !(PAGES[name].adminOnly && ctx.me.role !== 'admin') ? name : 'dashboard';
  for (const a of $('nav').querySelectorAll('a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  current?.dispose?.();
  const root = clear($('page'));
  const shown = PAGES[page].render(root, ctx);
  const unsubscribe = onChange(changed => shown.update?.(changed));
  current = { name: page, dispose: () => { unsubscribe(); shown.dispose?.(); } };
  document.title = `${PAGES[page].title} · Contiv console`;
}

// For tests and the figures: what the page holds and whether it is still waiting for the master.
window.contivConsole = { store, kinds: KINDS, pendingCalls };
start();
