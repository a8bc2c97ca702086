// Entry point of the reviewer web page: session (API token in sessionStorage), header, hash routing
// (#/cases, #/cases/ID, #/documents/ID — ids only, never document text) and the error boundary that
// shows API errors and sends the user back to the login view when the token stops working.
import { api, session, ApiError } from './api.js';
import { clear, focusHeading } from './dom.js';
import { showError, clearError, showStatus, wireNotices } from './notify.js';
import { renderLogin } from './views/login.js';
import { renderCases, renderCase } from './views/cases.js';
import { renderDocument } from './views/document.js';

const state = { me: null, cleanup: null };
const main = document.getElementById('main');

function setUser(me) {
  state.me = me;
  document.getElementById('who').hidden = !me;
  document.getElementById('topnav').hidden = !me;
  document.getElementById('who-name').textContent = me ? me.name : '';
  const role = document.getElementById('who-role');
  role.textContent = me ? me.role : '';
  role.className = me ? `role-badge role-${me.role}` : 'role-badge';
}

function logout(message) {
  session.clear();
  setUser(null);
  if (message) showStatus(message);
  if (location.hash !== '#/login') location.hash = '#/login';
  else route();
}

// Runs an action; API errors are shown, a 401 ends the session.
async function guard(action) {
  try {
    return await action();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && state.me) {
      session.clear();
      setUser(null);
      showError(err);
      route();
      return undefined;
    }
    showError(err);
    return undefined;
  }
}

const ctx = {
  get me() {
    return state.me;
  },
  guard,
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  onLogin(me) {
    setUser(me);
    clearError();
    const wanted = sessionStorage.getItem('declass.after-login');
    sessionStorage.removeItem('declass.after-login');
    ctx.navigate(wanted && wanted.startsWith('#/') && wanted !== '#/login' ? wanted : '#/cases');
  },
};

async function route() {
  if (state.cleanup) state.cleanup();
  state.cleanup = null;
  clear(main);
  const hash = location.hash || '#/cases';
  if (!state.me) {
    if (hash !== '#/login') sessionStorage.setItem('declass.after-login', hash);
    state.cleanup = renderLogin(main, ctx);
    focusHeading(main);
    return;
  }
  const parts = hash.replace(/^#\//, '').split('/').map(decodeURIComponent);
  await guard(async () => {
    if (parts[0] === 'documents' && parts[1]) state.cleanup = await renderDocument(main, ctx, parts[1]);
    else if (parts[0] === 'cases' && parts[1]) state.cleanup = await renderCase(main, ctx, parts[1]);
    else state.cleanup = await renderCases(main, ctx);
    focusHeading(main);
  });
}

async function boot() {
  wireNotices();
  document.getElementById('logout').addEventListener('click', () => logout('Logged out.'));
  window.addEventListener('hashchange', () => {
    clearError();
    route();
  });
  api.health().then(
    (h) => {
      document.getElementById('footer').textContent = `declass ${h.version || ''}`.trim();
    },
    () => {},
  );
  if (session.token) {
    try {
      setUser(await api.me());
    } catch (err) {
      session.clear();
      if (!(err instanceof ApiError && err.status === 401)) showError(err);
      else showStatus('Your token is no longer valid; sign in again.');
    }
  }
  await route();
}

boot();
