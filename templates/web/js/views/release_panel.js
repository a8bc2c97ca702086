// The signed release of a document: who released and signed it, the server-side verification result,
// a preview image of every page (fetched with the bearer token, shown through blob: URLs) and a
// Download button for the signed PDF (fetch → blob → <a download>).
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { showError, showStatus } from '../notify.js';

const knownPages = new Map(); // document id → page count reported by the release call

export function rememberPages(docId, pages) {
  if (Number.isInteger(pages) && pages > 0) knownPages.set(docId, pages);
}

export function renderReleasePanel(view) {
  const doc = view.document;
  const releases = Array.isArray(view.releases) ? view.releases : [];
  const last = releases[releases.length - 1] || {};
  const urls = [];
  const fileName = `${(doc.doc_no || doc.id).replace(/[^A-Za-z0-9._-]/g, '_')}-release.pdf`;

  const download = h('button', { type: 'button', class: 'btn btn-primary', id: 'rel-download' }, 'Download signed PDF');
  const verifyLine = h('p', { class: 'verify-line', 'aria-live': 'polite' });
  const previews = h('div', { class: 'previews', 'aria-label': 'Pages of the signed release' });

  download.addEventListener('click', async () => {
    download.disabled = true;
    try {
      const blob = await api.releasePdf(doc.id);
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: fileName, class: 'sr-only' }, 'download');
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      showStatus(`Downloaded ${fileName} (${blob.size} bytes).`);
    } catch (err) {
      showError(err);
    } finally {
      download.disabled = false;
    }
  });

  async function showPages(pages) {
    const figures = [];
    for (let n = 1; n <= pages; n += 1) {
      const img = h('img', { alt: `Page ${n} of ${pages} of the signed release of ${doc.id}`, class: 'preview-img', 'data-page': String(n) });
      figures.push(h('figure', { class: 'preview' }, img, h('figcaption', {}, `Page ${n} of ${pages}`)));
    }
    replace(previews, figures);
    for (let n = 1; n <= pages; n += 1) {
      const blob = await api.releasePage(doc.id, n);
      const url = URL.createObjectURL(blob);
      urls.push(url);
      const img = previews.querySelector(`img[data-page="${n}"]`);
      if (img) {
        img.src = url;
        const link = h('a', { href: url, target: '_blank', rel: 'noopener', class: 'preview-link' }, `Open page ${n} full size`);
        img.closest('figure').append(link);
      }
    }
    previews.dataset.loaded = String(pages);
  }

  async function load() {
    let pages = knownPages.get(doc.id);
    try {
      const v = await api.verify(doc.id);
      if (!pages && Number.isInteger(v.pages)) pages = v.pages;
      const failures = Array.isArray(v.failures) ? v.failures : [];
      replace(verifyLine, h('span', { class: v.valid ? 'ok' : 'not-ok' }, v.valid ? 'Signature and release checks: valid' : 'Verification FAILED'),
        v.signer ? ` · signed by ${v.signer}` : '', v.timestamp ? ` · timestamp ${v.timestamp}` : '',
        failures.length ? h('ul', { class: 'failures' }, failures.map((f) => h('li', {}, f))) : '');
    } catch (err) {
      replace(verifyLine, h('span', { class: 'not-ok' }, `Verification unavailable: ${err.message}`));
    }
    if (pages) await showPages(pages);
    else replace(previews, h('p', { class: 'help' }, 'The number of pages is unknown; download the PDF to see it.'));
  }

  const element = h('section', { class: 'panel release-panel', 'aria-labelledby': 'rel-h' },
    h('h2', { id: 'rel-h' }, 'Signed release'),
    h('dl', { class: 'meta' },
      h('dt', {}, 'Released by'), h('dd', {}, last.released_by || '—'),
      h('dt', {}, 'Signer'), h('dd', {}, last.signer || '—'),
      h('dt', {}, 'Released at'), h('dd', {}, last.released_at || '—'),
      h('dt', {}, 'SHA-256'), h('dd', { class: 'hash' }, last.output_sha256 || '—')),
    h('div', { class: 'rel-buttons' }, download),
    verifyLine,
    previews);

  return {
    element,
    load: () => load().catch(showError),
    destroy() {
      for (const u of urls) URL.revokeObjectURL(u);
    },
  };
}
