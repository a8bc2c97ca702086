// Client for the declass HTTP API (docs/API.md): bearer token from sessionStorage, JSON bodies,
// errors turned into ApiError with the server's {"error":{"code","message"}}. Paths carry only ids,
// never document text (request bodies do); nothing is logged.

const TOKEN_KEY = 'declass.token';

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export const seg = (s) => encodeURIComponent(String(s));

async function errorFrom(res, method, path) {
  let code = `http_${res.status}`;
  let message = '';
  try {
    const body = await res.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || '';
    }
  } catch {
    // not JSON (a proxy, a crash): fall through to the generic message
  }
  if (!message) message = `${method} ${path} answered HTTP ${res.status} ${res.statusText || ''}`.trim();
  return new ApiError(res.status, code, message);
}

async function send(method, path, { body, token, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const bearer = token ?? session.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const init = { method, headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', `cannot reach the declass server for ${method} ${path} (${e.message}); is 'declass serve' still running?`);
  }
  if (!res.ok) throw await errorFrom(res, method, path);
  return res;
}

export async function getJson(path, opts) {
  const res = await send('GET', path, opts);
  return res.json();
}

// State-changing calls always send a JSON body (the server refuses POST without application/json).
export async function postJson(path, body = {}) {
  const res = await send('POST', path, { body });
  const text = await res.text();
  return text ? JSON.parse(text) : {};
}

export async function getBlob(path, accept = '*/*') {
  const res = await send('GET', path, { accept });
  return res.blob();
}

export const api = {
  health: () => getJson('/api/health', { token: '' }),
  me: (token) => getJson('/api/me', token ? { token } : undefined),
  cases: () => getJson('/api/cases'),
  caseShow: (id) => getJson(`/api/cases/${seg(id)}`),
  document: (id) => getJson(`/api/documents/${seg(id)}`),
  decide: (id, decision) => postJson(`/api/documents/${seg(id)}/decisions`, decision),
  accept: (id) => postJson(`/api/documents/${seg(id)}/accept`),
  submit: (id) => postJson(`/api/documents/${seg(id)}/submit`),
  approve: (id) => postJson(`/api/documents/${seg(id)}/approve`),
  returnDoc: (id, comment) => postJson(`/api/documents/${seg(id)}/return`, { comment }),
  release: (id, body) => postJson(`/api/documents/${seg(id)}/release`, body),
  verify: (id) => getJson(`/api/documents/${seg(id)}/verify`),
  releasePdf: (id) => getBlob(`/api/documents/${seg(id)}/release.pdf`, 'application/pdf'),
  releasePage: (id, n) => getBlob(`/api/documents/${seg(id)}/release/pages/${seg(n)}.png`, 'image/png'),
};
