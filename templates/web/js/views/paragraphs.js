// One paragraph of the review view: colour-coded by its portion classification, the text with the
// effective withheld spans (or, while undecided, the recommended spans) marked, the recommendation
// with its explanation, the decisions made, and the effective result.
import { h } from '../dom.js';
import { portionOf } from '../portion.js';
import { utf16Offset } from '../text_offsets.js';
import { portionBadge, effectiveBadge, codes } from './badges.js';

// text split into text nodes and <mark> elements; spans are UTF-8 byte ranges into text
function markedText(text, spans) {
  const marks = spans
    .map((s) => ({ ...s, start: utf16Offset(text, s.begin), end: utf16Offset(text, s.end) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const out = [];
  let pos = 0;
  for (const m of marks) {
    if (m.start < pos) continue; // overlapping spans: the first one wins
    if (m.start > pos) out.push(text.slice(pos, m.start));
    out.push(h('mark', { class: m.cls, title: m.title }, text.slice(m.start, m.end)));
    pos = m.end;
  }
  if (pos < text.length) out.push(text.slice(pos));
  return out;
}

function spansToMark(p) {
  const eff = p.effective;
  if (eff && eff.action === 'redact' && Array.isArray(eff.spans)) {
    return eff.spans.map((s) => ({ begin: s.begin, end: s.end, cls: 'withheld', title: `withheld ${codes(s.exemptions)}` }));
  }
  const rec = p.recommendation;
  if ((!eff || eff.action === 'undecided') && rec && Array.isArray(rec.spans)) {
    return rec.spans.map((s) => ({ begin: s.begin, end: s.end, cls: 'recommended', title: `recommended: redact ${codes(s.exemptions)}` }));
  }
  return [];
}

function recommendationLine(rec) {
  if (!rec) return h('p', { class: 'rec' }, h('span', { class: 'label' }, 'Recommendation: '), 'none (the policy has no rule for this paragraph)');
  const action = rec.action === 'review' ? `needs human review (policy: ${rec.policy_action || 'flag'})` : rec.action;
  return h('div', { class: 'rec' },
    h('p', {}, h('span', { class: 'label' }, 'Recommendation: '), h('span', { class: `rec-action rec-${rec.action}` }, action),
      rec.exemptions && rec.exemptions.length ? ` ${codes(rec.exemptions)}` : '',
      rec.refer_to ? ` to ${rec.refer_to}` : '',
      rec.spans && rec.spans.length ? ` — ${rec.spans.length} span${rec.spans.length === 1 ? '' : 's'}` : ''),
    rec.explanation ? h('p', { class: 'explanation' }, rec.explanation) : null,
    rec.rules_fired && rec.rules_fired.length ? h('p', { class: 'rules' }, 'Rules: ', codes(rec.rules_fired)) : null);
}

function decisionItem(d) {
  const span = d.span && typeof d.span === 'object' ? d.span : null;
  return h('li', { class: `decision decision-${d.action}` },
    h('span', { class: 'decision-id' }, `#${d.id}`), ' ',
    h('strong', {}, d.action), d.exemptions && d.exemptions.length ? ` ${codes(d.exemptions)}` : '',
    d.refer_to ? ` to ${d.refer_to}` : '',
    span ? [' of ', span.text !== undefined ? h('q', {}, span.text) : '', ` (bytes ${span.begin}–${span.end})`] : ' (whole paragraph)',
    ` by ${d.reviewer || '?'} at ${d.decided_at || '?'}`,
    d.basis === 'accepted' ? ' · accepted recommendation' : '',
    d.follows_recommendation === false ? h('span', { class: 'override' }, ' · overrides the recommendation') : '',
    d.justification ? h('span', { class: 'justification' }, ` — ${d.justification}`) : '');
}

function withheldList(eff) {
  if (!eff || eff.action !== 'redact' || !Array.isArray(eff.spans) || !eff.spans.length) return null;
  return h('p', { class: 'withheld-list' }, h('span', { class: 'label' }, 'Withheld: '),
    eff.spans.map((s, i) => [i ? '; ' : '', s.text !== undefined ? h('q', {}, s.text) : `bytes ${s.begin}–${s.end}`, ` ${codes(s.exemptions)}`]));
}

export function renderParagraph(p, { canDecide, onDecide }) {
  const portion = portionOf(p);
  const level = portion.level || 'none';
  const eff = p.effective;
  const headingId = `para-${p.index}-h`;
  const textClass = ['para-text', eff && eff.action === 'withhold' ? 'para-text--withheld' : '', eff && eff.action === 'refer' ? 'para-text--referred' : ''];
  return h('article', { class: `para level-${level}`, id: `para-${p.index}`, 'aria-labelledby': headingId, dataset: { index: String(p.index) } },
    h('header', { class: 'para-head' },
      h('h3', { id: headingId }, `¶${p.index}`, p.number ? h('span', { class: 'para-number' }, ` · no. ${p.number}`) : ''),
      portionBadge(portion),
      effectiveBadge(eff),
      canDecide ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => onDecide(p), 'aria-label': `Decide on paragraph ${p.index}` }, 'Decide') : null),
    h('p', { class: textClass, dataset: { paragraph: String(p.index), number: p.number || '' } }, markedText(p.text || '', spansToMark(p))),
    h('div', { class: 'para-info' },
      recommendationLine(p.recommendation),
      withheldList(eff),
      Array.isArray(p.decisions) && p.decisions.length
        ? h('details', { class: 'decisions', open: true }, h('summary', {}, `Decisions (${p.decisions.length})`), h('ul', {}, p.decisions.map(decisionItem)))
        : null));
}
