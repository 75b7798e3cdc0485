// The REST API with the session's token. Every failure becomes an ApiError carrying the server's own message.
const TOKEN = 'contiv.token';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let unauthorized = () => {};
let inflight = 0;
// How many API calls are unanswered (the watch stream is not one): tests wait for 0 before they look.
export function pendingCalls() { return inflight; }
export function onUnauthorized(handler) { unauthorized = handler; }
let forbidden = () => {};
// A 403 means the user's rights changed under the page (or it offered too much): the shell reads them again.
export function onForbidden(handler) { forbidden = handler; }

export const session = {
  get token() { return sessionStorage.getItem(TOKEN); },
  set token(value) { value ? sessionStorage.setItem(TOKEN, value) : sessionStorage.removeItem(TOKEN); },
};

export async function api(method, path, body) {
  const headers = {};
  if (session.token) headers['X-Auth-Token'] = session.token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response, text;
  inflight++;
  try {
    response = await fetch('/api/v1/' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    text = await response.text();
  } catch (e) {
    throw new ApiError(0, `the master did not answer (${e.message})`);
  } finally {
    inflight--;
  }
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('auth_proxy/login')) unauthorized();
    if (response.status === 403 && path !== 'auth_proxy/whoami/') forbidden();
    throw new ApiError(response.status, messageOf(text) || `${response.status} ${response.statusText}`);
  }
  return text ? JSON.parse(text) : null;
}

// The object API answers errors as text; the auth proxy as {"error": ...}.
function messageOf(text) {
  try {
    const json = JSON.parse(text);
    if (json && typeof json.error === 'string') return json.error;
  } catch { /* text */ }
  return text.trim();
}
