// Login view: the user pastes an API token (from `declass user token NAME`); GET /api/me checks it
// and names the user; the token is kept in sessionStorage for this tab only.
import { api, session } from '../api.js';
import { h } from '../dom.js';
import { showError, clearError } from '../notify.js';

export function renderLogin(root, ctx) {
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    required: true, placeholder: 'dcl_…', 'aria-describedby': 'token-help',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in');
  const form = h('form', { class: 'login-form', novalidate: true },
    h('label', { for: 'token' }, 'API token'),
    input,
    h('p', { id: 'token-help', class: 'help' },
      'Ask an administrator for a token made with ', h('code', {}, 'declass user token NAME'),
      '. It is kept in this browser tab only and sent to the server as a bearer token.'),
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      showError(new Error('the API token is empty; paste the token printed by `declass user token NAME`'));
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      const me = await api.me(token);
      session.set(token);
      input.value = '';
      clearError();
      ctx.onLogin(me);
    } catch (err) {
      showError(err);
      input.focus();
      input.select();
    } finally {
      submit.disabled = false;
    }
  });

  root.append(h('section', { class: 'panel login', 'aria-labelledby': 'login-h' },
    h('h1', { id: 'login-h' }, 'Sign in'),
    form));
  return null;
}
