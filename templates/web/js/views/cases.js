// Case list (due dates, overdue cases highlighted, document counts) and one case with its documents.
import { api, seg } from '../api.js';
import { h } from '../dom.js';
import { statusBadge } from './badges.js';

export function todayIso() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function isOverdue(c) {
  return Boolean(c.due) && c.status !== 'closed' && String(c.due) < todayIso();
}

function dueCell(c) {
  const overdue = isOverdue(c);
  return h('td', { class: overdue ? 'due overdue' : 'due' },
    h('time', { datetime: c.due || '' }, c.due || '—'),
    overdue ? h('span', { class: 'overdue-badge' }, 'overdue') : null);
}

function documentCount(c) {
  if (Array.isArray(c.documents)) return c.documents.length;
  return typeof c.documents === 'number' ? c.documents : '—';
}

export async function renderCases(root) {
  const { cases = [] } = await api.cases();
  const rows = cases.map((c) => h('tr', { class: isOverdue(c) ? 'row-overdue' : '' },
    h('th', { scope: 'row' }, h('a', { href: `#/cases/${seg(c.id)}` }, c.id)),
    h('td', {}, c.requester || ''),
    h('td', {}, c.received || ''),
    dueCell(c),
    h('td', { class: 'num' }, String(documentCount(c))),
    h('td', {}, c.status || '')));
  root.append(h('section', { class: 'panel', 'aria-labelledby': 'cases-h' },
    h('h1', { id: 'cases-h' }, 'Cases'),
    cases.length === 0
      ? h('p', {}, 'No cases yet. An administrator creates them with declass case create.')
      : h('table', { class: 'table cases-table' },
        h('caption', {}, `${cases.length} case${cases.length === 1 ? '' : 's'}, by due date (20 working days after receipt)`),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Case'), h('th', { scope: 'col' }, 'Requester'), h('th', { scope: 'col' }, 'Received'),
          h('th', { scope: 'col' }, 'Due'), h('th', { scope: 'col', class: 'num' }, 'Documents'), h('th', { scope: 'col' }, 'Status'))),
        h('tbody', {}, rows))));
  return null;
}

export async function renderCase(root, ctx, caseId) {
  const c = await api.caseShow(caseId);
  const docs = Array.isArray(c.documents) ? c.documents : [];
  const overdue = isOverdue(c);
  root.append(h('section', { class: 'panel', 'aria-labelledby': 'case-h' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/cases' }, 'Cases'), ' › ', c.id),
    h('h1', { id: 'case-h' }, `Case ${c.id}`),
    h('dl', { class: 'meta' },
      h('dt', {}, 'Requester'), h('dd', {}, c.requester || ''),
      h('dt', {}, 'Received'), h('dd', {}, c.received || ''),
      h('dt', {}, 'Due'), h('dd', { class: overdue ? 'overdue' : '' }, c.due || '—', overdue ? h('span', { class: 'overdue-badge' }, 'overdue') : null),
      h('dt', {}, 'Policy'), h('dd', {}, c.policy_path || '—'),
      h('dt', {}, 'Status'), h('dd', {}, c.status || '')),
    h('h2', {}, 'Documents'),
    docs.length === 0
      ? h('p', {}, 'No documents in this case yet.')
      : h('table', { class: 'table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, 'Document'), h('th', { scope: 'col' }, 'Doc no.'), h('th', { scope: 'col' }, 'Source'),
          h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Imported'))),
        h('tbody', {}, docs.map((d) => h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: `#/documents/${seg(d.id)}` }, d.id)),
          h('td', {}, d.doc_no || ''),
          h('td', {}, d.source_name || ''),
          h('td', {}, statusBadge(d.status)),
          h('td', {}, `${d.imported_at || ''} by ${d.imported_by || '?'}`)))))));
  return null;
}
