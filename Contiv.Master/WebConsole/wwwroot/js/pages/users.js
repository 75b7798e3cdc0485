// Local users and tenant authorizations (admin only), through the auth proxy API.
import { api } from '../api.js';
import { h, clear, append } from '../dom.js';
import { store } from '../store.js';
import { deleteButton } from '../form.js';

export function usersPage(root, ctx) {
  const users = h('tbody');
  const authorizations = h('tbody');
  const userError = h('p', { class: 'error', role: 'alert' });
  const authError = h('p', { class: 'error', role: 'alert' });
  const userForm = h('form', { class: 'object', 'aria-label': 'user form', novalidate: true, onsubmit: addUser },
    h('label', {}, 'Username *', h('input', { name: 'username', autocomplete: 'off' })),
    h('label', {}, 'Password *', h('input', { name: 'password', type: 'password', autocomplete: 'new-password' })),
    h('label', {}, 'Role', h('select', { name: 'role' }, h('option', { value: 'ops' }, 'ops'), h('option', { value: 'admin' }, 'admin'))),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Add user')), userError);
  const tenantSelect = h('select', { name: 'tenant' });
  const userSelect = h('select', { name: 'principal' });
  const authForm = h('form', { class: 'object', 'aria-label': 'authorization form', novalidate: true, onsubmit: addAuthorization },
    h('label', {}, 'User', userSelect), h('label', {}, 'Tenant', tenantSelect),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Authorize')), authError);

  append(root, h('h1', {}, 'Users and authorizations'),
    h('h2', {}, 'Local users'), userForm,
    h('table', { 'aria-label': 'Local users' }, h('thead', {}, h('tr', {}, ['User', 'Role', 'Disabled', 'Actions'].map(x => h('th', { scope: 'col' }, x)))), users),
    h('h2', {}, 'Tenant authorizations (role ops)'), authForm,
    h('table', { 'aria-label': 'Authorizations' }, h('thead', {}, h('tr', {}, ['User', 'Tenant', 'Role', 'Actions'].map(x => h('th', { scope: 'col' }, x)))), authorizations));

  async function load() {
    try {
      const [userList, authList] = await Promise.all([api('GET', 'auth_proxy/local_users/'), api('GET', 'auth_proxy/authorizations/')]);
      clear(users).append(...userList.map(u => h('tr', { dataset: { user: u.username } }, h('td', {}, u.username), h('td', {}, u.role), h('td', {}, u.disable ? 'yes' : 'no'),
        h('td', {}, deleteButton(`user ${u.username}`, () => api('DELETE', `auth_proxy/local_users/${u.username}/`).then(load), e => { userError.textContent = e.message; })))));
      clear(authorizations).append(...authList.map(a => h('tr', { dataset: { authz: a.AuthzUUID } }, h('td', {}, a.PrincipalName), h('td', {}, a.TenantName), h('td', {}, a.Role),
        h('td', {}, deleteButton(`authorization of ${a.PrincipalName} for ${a.TenantName}`, () => api('DELETE', `auth_proxy/authorizations/${a.AuthzUUID}/`).then(load),
          e => { authError.textContent = e.message; })))));
      clear(userSelect).append(...userList.filter(u => u.role === 'ops').map(u => h('option', { value: u.username }, u.username)));
    } catch (e) { userError.textContent = e.message; }
    clear(tenantSelect).append(...[...store.objects.tenants.keys()].sort().map(t => h('option', { value: t }, t)));
  }

  async function addUser(event) {
    event.preventDefault();
    userError.textContent = '';
    const f = event.target;
    try {
      await api('POST', 'auth_proxy/local_users/', { username: f.username.value.trim(), password: f.password.value, role: f.role.value, disable: false });
      f.reset();
      await load();
    } catch (e) { userError.textContent = e.message; }
  }

  async function addAuthorization(event) {
    event.preventDefault();
    authError.textContent = '';
    try {
      await api('POST', 'auth_proxy/authorizations/', { PrincipalName: userSelect.value, Local: true, Role: 'ops', TenantName: tenantSelect.value });
      await load();
    } catch (e) { authError.textContent = e.message; }
  }

  load();
  return { update(changed) { if (changed.has('tenants') || changed.has('all')) load(); } };
}
