// The create/edit form of one kind, built from its field list. Errors are the API's own messages, shown next to the
// field they name (or above the buttons when they name none).
import { api } from './api.js';
import { h, clear } from './dom.js';
import { KINDS, keyOf } from './kinds.js';
import { store } from './store.js';

let formCount = 0;

// options: { fixed: {field: value}, tenants: [writable tenants], replaceOnEdit, onSaved(object) }
export function objectForm(kind, options = {}) {
  const spec = KINDS[kind];
  const id = `form-${kind}-${++formCount}`;
  const fixed = options.fixed ?? {};
  const inputs = new Map();
  const errors = new Map();
  const general = h('p', { class: 'error', role: 'alert' });
  const status = h('span', { class: 'muted', role: 'status' });
  let editing = null;

  const fields = spec.fields.filter(f => !(f.name in fixed)).map(field => {
    const inputId = `${id}-${field.name}`;
    const errorId = inputId + '-error';
    let input;
    if (field.name === 'tenantName' && !spec.global && kind !== 'tenants') {
      input = h('select', { id: inputId, name: field.name, 'aria-describedby': errorId },
        (options.tenants ?? []).map(t => h('option', { value: t }, t)));
    } else if (field.options) {
      input = h('select', { id: inputId, name: field.name, 'aria-describedby': errorId },
        field.options.map(o => h('option', { value: o }, o || '(any)')));
    } else {
      const listId = field.ref ? `${inputId}-choices` : undefined;
      input = h('input', { id: inputId, name: field.name, type: field.type === 'number' ? 'number' : 'text',
        placeholder: field.placeholder ?? (field.list ? 'comma-separated' : undefined), list: listId, 'aria-describedby': errorId,
        'aria-required': field.required ? 'true' : undefined, autocomplete: 'off' });
      if (listId) input.addEventListener('focus', () => fillChoices(field, listId));
    }
    inputs.set(field.name, input);
    const error = h('p', { class: 'field-error', id: errorId });
    errors.set(field.name, error);
    return h('div', {}, h('label', { for: inputId }, field.label + (field.required ? ' *' : ''), input),
      field.ref ? h('datalist', { id: `${inputId}-choices` }) : null, error);
  });

  function fillChoices(field, listId) {
    const tenant = fixed.tenantName ?? inputs.get('tenantName')?.value;
    const names = [...store.objects[field.ref].values()]
      .filter(o => KINDS[field.ref].global || field.ref === 'tenants' || o.tenantName === tenant)
      .map(o => o[KINDS[field.ref].key.at(-1)]);
    clear(document.getElementById(listId)).append(...names.map(n => h('option', { value: n })));
  }

  const submit = h('button', { type: 'submit', class: 'primary' }, `Create ${spec.one}`);
  const cancel = h('button', { type: 'button', hidden: true, onclick: () => reset() }, 'Cancel');
  const form = h('form', { class: 'object', id, 'aria-label': `${spec.one} form`, novalidate: true, onsubmit: save },
    fields, h('div', { class: 'buttons' }, submit, cancel, status), general);

  function values() {
    const body = { ...fixed };
    for (const field of spec.fields) {
      if (field.name in fixed) continue;
      const raw = inputs.get(field.name).value.trim();
      if (raw === '') continue;
      if (field.type === 'number') body[field.name] = Number(raw);
      else if (field.list) body[field.name] = raw.split(',').map(v => v.trim()).filter(v => v);
      else body[field.name] = raw;
    }
    return body;
  }

  function clearErrors() {
    general.textContent = '';
    for (const [name, error] of errors) {
      error.textContent = '';
      inputs.get(name).removeAttribute('aria-invalid');
    }
  }

  // The field a message names: the longest field name found in it as a word.
  function fieldOf(message) {
    const named = [...inputs.keys()].filter(name => new RegExp(`(^|[^A-Za-z0-9-])${name.replace(/[-]/g, '\\-')}($|[^A-Za-z0-9-])`).test(message));
    return named.sort((a, b) => b.length - a.length)[0];
  }

  async function save(event) {
    event.preventDefault();
    clearErrors();
    status.textContent = '';
    const body = values();
    const key = keyOf(kind, body);
    const path = `${kind}/${encodeURIComponent(key).replace(/%3A/g, ':')}/`;
    try {
      const saved = editing && options.replaceOnEdit ? await replace(path, body) : await api('POST', path, body);
      status.textContent = `${spec.one} ${key} saved`;
      if (saved?.key) store.objects[kind].set(saved.key, saved);
      reset(true);
      options.onSaved?.(saved);
    } catch (e) {
      const field = e.status === 400 || e.status === 409 ? fieldOf(e.message) : undefined;
      const prefix = e.status === 403 ? 'Not allowed: ' : '';
      if (field) {
        errors.get(field).textContent = e.message;
        inputs.get(field).setAttribute('aria-invalid', 'true');
        inputs.get(field).focus();
      } else general.textContent = prefix + e.message;
    }
  }

  // The API refuses to change some objects once made (a rule, as in the original): saving one deletes it and creates it
  // again, and puts the old one back if the new one is refused.
  async function replace(path, body) {
    const before = store.objects[kind].get(editing);
    await api('DELETE', path);
    store.objects[kind].delete(editing);
    try {
      return await api('POST', path, body);
    } catch (e) {
      if (before) await api('POST', path, bodyOf(before)).catch(() => {});
      throw e;
    }
  }

  function bodyOf(object) {
    return Object.fromEntries(spec.fields.filter(f => object[f.name] !== undefined && object[f.name] !== '').map(f => [f.name, object[f.name]]));
  }

  function reset(keepStatus) {
    editing = null;
    for (const [name, input] of inputs) {
      input.disabled = false;
      input.value = input.tagName === 'SELECT' ? input.options[0]?.value ?? '' : '';
    }
    submit.textContent = `Create ${spec.one}`;
    cancel.hidden = true;
    if (!keepStatus) status.textContent = '';
    clearErrors();
  }

  function edit(object) {
    reset();
    editing = object.key;
    for (const field of spec.fields) {
      const input = inputs.get(field.name);
      if (!input) continue;
      const value = object[field.name];
      input.value = value === undefined || value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value);
      if (spec.key.includes(field.name)) input.disabled = true;
    }
    submit.textContent = `Save ${spec.one}`;
    cancel.hidden = false;
    inputs.get(spec.fields.find(f => !spec.key.includes(f.name) && inputs.has(f.name))?.name ?? spec.key[0])?.focus();
  }

  return { element: form, edit, reset, setTenants(tenants) {
    const select = inputs.get('tenantName');
    if (!select || select.tagName !== 'SELECT') return;
    const was = select.value;
    clear(select).append(...tenants.map(t => h('option', { value: t }, t)));
    if (tenants.includes(was)) select.value = was;
  } };
}

// A delete button that asks once more before it deletes.
export function deleteButton(label, run, onError) {
  const button = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${label}` }, 'Delete');
  let armed = 0;
  button.addEventListener('click', async () => {
    if (!armed) {
      button.textContent = 'Confirm delete';
      armed = setTimeout(() => { armed = 0; button.textContent = 'Delete'; }, 4000);
      return;
    }
    clearTimeout(armed);
    armed = 0;
    button.disabled = true;
    try { await run(); } catch (e) { onError(e); button.disabled = false; button.textContent = 'Delete'; }
  });
  return button;
}
