// Document view: header (ids, status, disposition), the signed release when there is one, the
// paragraphs colour-coded by portion classification, and the side panels for the workflow and for
// the reviewer's decisions. Re-fetches GET /api/documents/{doc} after every change.
import { api, seg } from '../api.js';
import { h, replace } from '../dom.js';
import { LEVEL_NAMES } from '../portion.js';
import { statusBadge, codes } from './badges.js';
import { renderParagraph } from './paragraphs.js';
import { createDecisionPanel } from './decision_panel.js';
import { renderWorkflowPanel, DECIDABLE } from './workflow_panel.js';
import { renderReleasePanel, rememberPages } from './release_panel.js';

function legend() {
  return h('ul', { class: 'legend', 'aria-label': 'Portion classification colours' },
    ['U', 'C', 'S', 'TS', ''].map((l) => h('li', { class: `legend-item level-${l || 'none'}` },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }), l ? `(${l}) ${LEVEL_NAMES[l]}` : 'Unmarked')),
    h('li', { class: 'legend-item' }, h('mark', { class: 'withheld' }, 'withheld'), ' decided'),
    h('li', { class: 'legend-item' }, h('mark', { class: 'recommended' }, 'recommended'), ' by the policy'));
}

export async function renderDocument(root, ctx, docId) {
  let view = await api.document(docId);
  let decisionPanel = null;
  let releasePanel = null;

  const headerBox = h('div', { class: 'doc-header' });
  const releaseBox = h('div', { class: 'release-box' });
  const parasBox = h('div', { class: 'paragraphs' });
  const sideBox = h('aside', { class: 'side', 'aria-label': 'Actions' });
  const section = h('section', { class: 'doc-view', 'aria-labelledby': 'doc-h' },
    headerBox, releaseBox, h('div', { class: 'doc-layout' }, h('div', { class: 'doc-main' }, legend(), parasBox), sideBox));
  root.append(section);

  const paragraphText = (index) => {
    const p = view.paragraphs.find((x) => x.index === index);
    return p ? p.text : undefined;
  };

  async function refresh() {
    view = await api.document(docId);
    paint();
  }

  function paint() {
    const doc = view.document;
    const role = ctx.me.role;
    const canDecide = (role === 'reviewer' || role === 'authority') && DECIDABLE.includes(doc.status);
    const undecided = view.paragraphs.filter((p) => p.effective && p.effective.action === 'undecided').length;
    replace(headerBox,
      h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/cases' }, 'Cases'), ' › ',
        h('a', { href: `#/cases/${seg(doc.case)}` }, doc.case), ' › ', doc.id),
      h('h1', { id: 'doc-h' }, `Document ${doc.id}`, doc.doc_no ? h('span', { class: 'doc-no' }, ` · ${doc.doc_no}`) : ''),
      h('p', { class: 'doc-status' }, statusBadge(doc.status),
        ` ${view.paragraphs.length} paragraphs`, undecided ? h('strong', { class: 'undecided-count' }, ` · ${undecided} need a decision`) : ' · all decided'),
      h('dl', { class: 'meta meta-inline' },
        h('dt', {}, 'Source'), h('dd', {}, `${doc.source_name} (${doc.source_size} bytes)`),
        h('dt', {}, 'Imported'), h('dd', {}, `${doc.imported_at} by ${doc.imported_by}`),
        view.disposition ? [h('dt', {}, 'Recommended disposition'), h('dd', {}, String(view.disposition))] : null,
        Array.isArray(view.stamp_codes) && view.stamp_codes.length ? [h('dt', {}, 'Stamp codes'), h('dd', {}, codes(view.stamp_codes))] : null));

    if (releasePanel) releasePanel.destroy();
    releasePanel = null;
    if (doc.status === 'released' || (view.releases && view.releases.length)) {
      releasePanel = renderReleasePanel(view);
      replace(releaseBox, releasePanel.element);
      releasePanel.load();
    } else {
      replace(releaseBox);
    }

    if (canDecide && !decisionPanel) {
      decisionPanel = createDecisionPanel(doc.id, { onRecorded: refresh, paragraphText });
    } else if (!canDecide && decisionPanel) {
      decisionPanel.destroy();
      decisionPanel = null;
    }
    const onDecide = (p) => decisionPanel && decisionPanel.focusOn(p.index, p.number || '');
    replace(parasBox, view.paragraphs.map((p) => renderParagraph(p, { canDecide, onDecide })));
    replace(sideBox,
      renderWorkflowPanel(view, ctx, {
        onChanged: refresh,
        onReleased: async (result) => {
          rememberPages(doc.id, result && result.pages);
          await refresh();
        },
      }),
      decisionPanel ? decisionPanel.element : null);
    if (decisionPanel) decisionPanel.repaint();
  }

  paint();
  return () => {
    if (decisionPanel) decisionPanel.destroy();
    if (releasePanel) releasePanel.destroy();
  };
}
