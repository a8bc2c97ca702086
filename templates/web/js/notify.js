// The page's two message areas: the error banner (role=alert, shows the API's JSON error code and
// message) and the polite status line for completed actions.
import { ApiError } from './api.js';

const $ = (id) => document.getElementById(id);

export function showError(err) {
  const banner = $('error');
  if (err instanceof ApiError) {
    $('error-title').textContent = err.status ? `Error ${err.status} (${err.code}):` : 'Connection error:';
  } else {
    $('error-title').textContent = 'Error:';
  }
  $('error-message').textContent = err && err.message ? err.message : String(err);
  banner.hidden = false;
  showStatus('');
}

export function clearError() {
  $('error').hidden = true;
  $('error-title').textContent = '';
  $('error-message').textContent = '';
}

export function showStatus(message) {
  $('status').textContent = message;
}

export function wireNotices() {
  $('error-dismiss').addEventListener('click', clearError);
}
