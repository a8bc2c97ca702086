// The reviewer's decision panel: the paragraph being decided, the remembered text selection (shown
// with the CSS Custom Highlight API where available), exemption checkboxes, justification, and the
// Redact selection / Withhold / Release / Refer actions → POST /api/documents/{doc}/decisions.
// The selection is sent as a UTF-8 byte range [b, e) into the paragraph text.
import { api } from '../api.js';
import { h, replace, uniqueId } from '../dom.js';
import { EXEMPTION_GROUPS } from '../exemptions.js';
import { utf8Offset, selectionIn, rangeIn } from '../text_offsets.js';
import { showError, showStatus, clearError } from '../notify.js';

const HIGHLIGHT = 'declass-pending';

function exemptionFieldset() {
  const boxes = [];
  const groups = EXEMPTION_GROUPS.map((group, i) => {
    const items = group.codes.map(([code, meaning]) => {
      const id = uniqueId('ex');
      const box = h('input', { type: 'checkbox', id, value: code, name: 'exemption' });
      boxes.push(box);
      return h('div', { class: 'ex-item' }, box,
        h('label', { for: id, title: meaning }, h('span', { class: 'ex-code' }, code), h('span', { class: 'sr-only' }, ` ${meaning}`)));
    });
    return h('details', { class: 'ex-group', open: i === 0 ? true : undefined },
      h('summary', {}, group.name), h('div', { class: 'ex-items' }, items));
  });
  const other = h('input', { type: 'text', id: 'ex-other', autocomplete: 'off', placeholder: 'e.g. (b)(3) 50 USC 3024(i), 50X1-HUM' });
  const fieldset = h('fieldset', { class: 'exemptions' },
    h('legend', {}, 'Exemption codes'),
    groups,
    h('label', { for: 'ex-other', class: 'ex-other-label' }, 'Other codes (comma-separated)'),
    other);
  return {
    fieldset,
    selected() {
      const list = boxes.filter((b) => b.checked).map((b) => b.value);
      for (const raw of other.value.split(',')) if (raw.trim()) list.push(raw.trim());
      return list;
    },
    reset() {
      for (const b of boxes) b.checked = false;
      other.value = '';
    },
    focus() {
      boxes[0].focus();
    },
  };
}

export function createDecisionPanel(docId, { onRecorded, paragraphText }) {
  let target = null; // { index, number }
  let selection = null; // { index, start, end, b, e, text }

  const targetLine = h('p', { class: 'dp-target' });
  const selectionLine = h('p', { class: 'dp-selection', 'aria-live': 'polite' });
  const ex = exemptionFieldset();
  const justification = h('textarea', { id: 'dp-justification', rows: '3', 'aria-describedby': 'dp-just-help' });
  const referTo = h('input', { type: 'text', id: 'dp-refer-to', autocomplete: 'off', placeholder: 'e.g. CIA' });

  const redactBtn = h('button', { type: 'button', class: 'btn btn-danger', id: 'dp-redact' }, 'Redact selection');
  const withholdBtn = h('button', { type: 'button', class: 'btn', id: 'dp-withhold' }, 'Withhold paragraph');
  const releaseBtn = h('button', { type: 'button', class: 'btn', id: 'dp-release' }, 'Release paragraph');
  const referBtn = h('button', { type: 'button', class: 'btn', id: 'dp-refer' }, 'Refer paragraph');

  const panel = h('section', { class: 'panel decision-panel', 'aria-labelledby': 'dp-h' },
    h('h2', { id: 'dp-h' }, 'Decision'),
    targetLine,
    selectionLine,
    ex.fieldset,
    h('label', { for: 'dp-justification' }, 'Justification'),
    justification,
    h('p', { id: 'dp-just-help', class: 'help' }, 'Required for a redaction or withholding; recorded in the audit trail.'),
    h('div', { class: 'dp-buttons' }, redactBtn, withholdBtn, releaseBtn),
    h('details', { class: 'dp-refer' },
      h('summary', {}, 'Refer to another agency'),
      h('label', { for: 'dp-refer-to' }, 'Agency'), referTo, referBtn));

  function paint() {
    if (target) {
      replace(targetLine, 'Deciding on ', h('strong', {}, `¶${target.index}`),
        target.number ? ` (paragraph ${target.number} of the record)` : '');
    } else {
      replace(targetLine, 'Select text in a paragraph to redact it, or press “Decide” on a paragraph to release, withhold or refer it.');
    }
    if (selection && target && selection.index === target.index) {
      replace(selectionLine, 'Selected: ', h('q', { class: 'dp-quote' }, selection.text), ' ',
        h('span', { class: 'dp-bytes' }, `(bytes ${selection.b}–${selection.e})`));
    } else {
      replace(selectionLine, 'No text selected.');
    }
    const haveTarget = Boolean(target);
    redactBtn.disabled = !(selection && target && selection.index === target.index);
    withholdBtn.disabled = !haveTarget;
    releaseBtn.disabled = !haveTarget;
    referBtn.disabled = !haveTarget;
    highlight();
  }

  function highlight() {
    if (typeof CSS === 'undefined' || !CSS.highlights || typeof Highlight === 'undefined') return;
    CSS.highlights.delete(HIGHLIGHT);
    if (!selection) return;
    const el = document.querySelector(`.para-text[data-paragraph="${selection.index}"]`);
    const range = el && rangeIn(el, selection.start, selection.end);
    if (range) CSS.highlights.set(HIGHLIGHT, new Highlight(range));
  }

  function onSelectionChange() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return; // keep the remembered selection
    const anchor = sel.anchorNode && (sel.anchorNode.nodeType === Node.ELEMENT_NODE ? sel.anchorNode : sel.anchorNode.parentElement);
    const el = anchor && anchor.closest('.para-text');
    if (!el) return;
    const index = Number(el.dataset.paragraph);
    const r = selectionIn(el);
    if (!r) {
      selectionLine.textContent = 'Select text inside one paragraph only.';
      return;
    }
    const text = el.textContent;
    selection = { index, start: r.start, end: r.end, b: utf8Offset(text, r.start), e: utf8Offset(text, r.end), text: text.slice(r.start, r.end) };
    target = { index, number: el.dataset.number || '' };
    paint();
  }

  async function decide(action) {
    if (!target) return;
    const codes = ex.selected();
    const why = justification.value.trim();
    const body = { paragraph: target.index, action, exemptions: codes, justification: why };
    if (action === 'redact') {
      if (!selection || selection.index !== target.index) return;
      // the text may have been re-rendered since the selection was made: check it still matches
      const current = paragraphText(target.index);
      if (current === undefined || current.slice(selection.start, selection.end) !== selection.text) {
        showError(new Error('the paragraph changed since the text was selected; select the text again'));
        return;
      }
      body.range = [selection.b, selection.e];
    }
    if ((action === 'redact' || action === 'withhold') && codes.length === 0) {
      showError(new Error(`${action === 'redact' ? 'a redaction' : 'a withholding'} needs at least one exemption code: tick one under “Exemption codes”, e.g. (b)(6)`));
      ex.focus();
      return;
    }
    if ((action === 'redact' || action === 'withhold') && !why) {
      showError(new Error('a redaction or withholding needs a justification: fill in “Justification”'));
      justification.focus();
      return;
    }
    if (action === 'release' && codes.length) {
      showError(new Error('a release withholds nothing, so it takes no exemption codes: untick them first'));
      return;
    }
    if (action === 'refer') {
      if (!referTo.value.trim()) {
        showError(new Error('a referral names the agency: fill in “Agency”'));
        referTo.focus();
        return;
      }
      body.refer_to = referTo.value.trim();
    }
    for (const b of [redactBtn, withholdBtn, releaseBtn, referBtn]) b.disabled = true;
    try {
      const decision = await api.decide(docId, body);
      clearError();
      const where = decision && decision.span ? ' on the selected text' : '';
      showStatus(`Recorded decision ${decision && decision.id ? `#${decision.id}` : ''}: ${action}${codes.length ? ` ${codes.join(', ')}` : ''}${where} in ¶${target.index}.`);
      selection = null;
      ex.reset();
      justification.value = '';
      referTo.value = '';
      window.getSelection()?.removeAllRanges();
      await onRecorded();
    } catch (err) {
      showError(err);
    } finally {
      paint();
    }
  }

  redactBtn.addEventListener('click', () => decide('redact'));
  withholdBtn.addEventListener('click', () => decide('withhold'));
  releaseBtn.addEventListener('click', () => decide('release'));
  referBtn.addEventListener('click', () => decide('refer'));
  document.addEventListener('selectionchange', onSelectionChange);
  paint();

  return {
    element: panel,
    focusOn(index, number) {
      if (!selection || selection.index !== index) selection = null;
      target = { index, number };
      paint();
      panel.querySelector('h2').setAttribute('tabindex', '-1');
      panel.querySelector('h2').focus();
    },
    repaint: paint,
    destroy() {
      document.removeEventListener('selectionchange', onSelectionChange);
      if (typeof CSS !== 'undefined' && CSS.highlights) CSS.highlights.delete(HIGHLIGHT);
    },
  };
}
