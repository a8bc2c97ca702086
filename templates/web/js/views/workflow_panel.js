// Document-level workflow actions by role and status: accept recommendations and submit (reviewer,
// authority), approve or return with a comment, and release (authority); plus the approval history.
import { api } from '../api.js';
import { h } from '../dom.js';
import { showError, showStatus, clearError } from '../notify.js';
import { statusBadge } from './badges.js';

export const DECIDABLE = ['imported', 'in_review', 'returned'];

const STATUS_HELP = {
  imported: 'Imported; no decision recorded yet.',
  in_review: 'In review: record decisions, then submit for approval.',
  submitted: 'Submitted: a review authority who made no decision on it approves or returns it.',
  approved: 'Approved: a review authority releases it (signed PDF).',
  returned: 'Returned to the reviewer with a comment; revise and submit again.',
  released: 'Released: the signed PDF, its verification and page previews are shown above.',
};

export function renderWorkflowPanel(view, ctx, { onChanged, onReleased }) {
  const doc = view.document;
  const role = ctx.me.role;
  const status = doc.status;
  const canDecide = (role === 'reviewer' || role === 'authority') && DECIDABLE.includes(status);
  const busy = (buttons, on) => buttons.forEach((b) => { b.disabled = on; });

  async function act(buttons, call, message) {
    busy(buttons, true);
    try {
      const result = await call();
      clearError();
      showStatus(typeof message === 'function' ? message(result) : message);
      await onChanged(result);
    } catch (err) {
      showError(err);
    } finally {
      busy(buttons, false);
    }
  }

  const parts = [];
  if (canDecide) {
    const accept = h('button', { type: 'button', class: 'btn', id: 'wf-accept' }, 'Accept recommendations');
    const submit = h('button', { type: 'button', class: 'btn btn-primary', id: 'wf-submit' }, 'Submit for approval');
    accept.addEventListener('click', () => act([accept, submit], () => api.accept(doc.id), (r) => {
      const n = Array.isArray(r.recorded) ? r.recorded.length : 0;
      const need = Array.isArray(r.needs_decision) ? r.needs_decision : [];
      return `Accepted ${n} recommendation${n === 1 ? '' : 's'}.` +
        (need.length ? ` Paragraphs needing a decision: ${need.map((i) => `¶${i}`).join(', ')}.` : '');
    }));
    submit.addEventListener('click', () => act([accept, submit], () => api.submit(doc.id), `${doc.id} submitted for approval.`));
    parts.push(h('div', { class: 'wf-buttons' }, accept, submit));
  }
  if (role === 'authority' && status === 'submitted') {
    const approve = h('button', { type: 'button', class: 'btn btn-primary', id: 'wf-approve' }, 'Approve');
    const comment = h('textarea', { id: 'wf-comment', rows: '3' });
    const ret = h('button', { type: 'button', class: 'btn', id: 'wf-return' }, 'Return to reviewer');
    approve.addEventListener('click', () => act([approve, ret], () => api.approve(doc.id), `${doc.id} approved.`));
    ret.addEventListener('click', () => {
      if (!comment.value.trim()) {
        showError(new Error('returning a document needs a comment for the reviewer: fill in “Comment for the reviewer”'));
        comment.focus();
        return;
      }
      act([approve, ret], () => api.returnDoc(doc.id, comment.value.trim()), `${doc.id} returned to the reviewer.`);
    });
    parts.push(h('div', { class: 'wf-buttons' }, approve),
      h('div', { class: 'wf-return' }, h('label', { for: 'wf-comment' }, 'Comment for the reviewer'), comment, ret));
  }
  if (role === 'authority' && status === 'approved') {
    const title = h('input', { type: 'text', id: 'wf-title', autocomplete: 'off', placeholder: 'e.g. Senior Reviewer' });
    const release = h('button', { type: 'button', class: 'btn btn-primary', id: 'wf-release' }, 'Release and sign');
    release.addEventListener('click', async () => {
      release.disabled = true;
      showStatus('Releasing: redacting, stamping, signing and verifying…');
      try {
        const body = { rasterize_unsafe_pages: false };
        if (title.value.trim()) body.authority_title = title.value.trim();
        const result = await api.release(doc.id, body);
        clearError();
        showStatus(`${doc.id} released: ${result.pages ?? '?'} page${result.pages === 1 ? '' : 's'}, signed.`);
        await onReleased(result);
      } catch (err) {
        showError(err);
        release.disabled = false;
      }
    });
    parts.push(h('div', { class: 'wf-release' },
      h('label', { for: 'wf-title' }, 'Authority title on the stamp (optional)'), title, release));
  }
  if (!parts.length) parts.push(h('p', { class: 'help' }, `Nothing for a${role === 'authority' || role === 'auditor' || role === 'admin' ? 'n' : ''} ${role} to do at this stage.`));

  const approvals = Array.isArray(view.approvals) ? view.approvals : [];
  return h('section', { class: 'panel workflow-panel', 'aria-labelledby': 'wf-h' },
    h('h2', { id: 'wf-h' }, 'Workflow'),
    h('p', {}, statusBadge(status), ' ', STATUS_HELP[status] || ''),
    parts,
    approvals.length
      ? h('div', { class: 'approvals' }, h('h3', {}, 'Approvals'), h('ul', {}, approvals.map((a) => h('li', {},
        h('strong', {}, a.outcome), ` by ${a.authority} at ${a.decided_at}`, a.comment ? h('span', { class: 'justification' }, ` — ${a.comment}`) : ''))))
      : null);
}
