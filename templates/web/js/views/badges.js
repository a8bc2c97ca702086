// Small labelled badges: document status, portion classification, effective result of a paragraph.
import { h } from '../dom.js';
import { LEVEL_NAMES } from '../portion.js';

const STATUS_TEXT = {
  imported: 'imported', in_review: 'in review', submitted: 'submitted for approval',
  approved: 'approved', returned: 'returned to reviewer', released: 'released',
};

export function statusBadge(status) {
  return h('span', { class: `status-badge status-${status || 'unknown'}` }, STATUS_TEXT[status] || status || 'unknown');
}

export function portionBadge(portion) {
  const level = portion.level || 'none';
  return h('span', { class: `portion-badge level-${level}`, title: LEVEL_NAMES[portion.level] },
    portion.mark || 'unmarked',
    h('span', { class: 'sr-only' }, ` (${LEVEL_NAMES[portion.level]})`));
}

export function codes(list) {
  return Array.isArray(list) && list.length ? list.join(', ') : '';
}

export function effectiveBadge(eff) {
  if (!eff) return h('span', { class: 'eff-badge eff-undecided' }, 'no result');
  const action = eff.action || 'undecided';
  let text = {
    release: 'release', redact: 'release with redactions', withhold: 'withhold in full',
    refer: 'refer', undecided: 'needs a decision',
  }[action] || action;
  if (eff.exemptions && eff.exemptions.length) text += ` ${codes(eff.exemptions)}`;
  if (eff.refer_to) text += ` to ${eff.refer_to}`;
  if (eff.implicit) text += ' (recommended, no decision needed)';
  return h('span', { class: `eff-badge eff-${action}` }, h('span', { class: 'eff-label' }, 'Result: '), text);
}
