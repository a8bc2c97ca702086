// End-to-end browser test of the reviewer web page against a running `declass serve` (driven by
// tests/cli/web_e2e.sh, which passes everything through E2E_* variables): the reviewer redacts a name
// with (b)(6) by selecting it with the mouse, accepts the rest and submits; an authority who decided
// is refused approval (error shown); another authority approves, releases, sees the page previews and
// downloads the signed PDF. Fails on console errors, CSP violations or document text/tokens in URLs.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`missing environment variable ${k} (set by tests/cli/web_e2e.sh)`);
  return v;
};
const BASE = env('E2E_BASE_URL');
const NAME = env('E2E_NAME');
const tokens = { reviewer: env('E2E_REVIEWER_TOKEN'), decider: env('E2E_DECIDER_TOKEN'), approver: env('E2E_APPROVER_TOKEN') };
const OUT_PDF = env('E2E_OUT_PDF');
const SHOTS = env('E2E_SCREENSHOT_DIR');
const PROFILE = env('E2E_USER_DATA_DIR');
const TIMEOUT = 30000;

let step = 'start';
const say = (s) => { step = s; console.log(`e2e: ${s}`); };
const problems = [];

function expect(cond, what) {
  if (!cond) throw new Error(`expectation failed at "${step}": ${what}`);
}

const context = await chromium.launchPersistentContext(PROFILE, {
  executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  acceptDownloads: true,
  viewport: { width: 1400, height: 1000 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
context.setDefaultTimeout(TIMEOUT);
const page = context.pages()[0] || await context.newPage();
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text().slice(0, 300)}`); });
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
page.on('request', (r) => {
  const url = r.url();
  if (url.includes(tokens.reviewer) || url.includes(tokens.approver) || url.includes(tokens.decider)) problems.push('a token appeared in a request URL');
  if (decodeURIComponent(url).toUpperCase().includes(NAME.toUpperCase())) problems.push('document text appeared in a request URL');
});

const errorText = async () => (await page.locator('#error').isVisible()) ? (await page.locator('#error').innerText()) : '';

async function login(token, who, role) {
  say(`log in as ${who}`);
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#who-name').filter({ hasText: who }).waitFor();
  expect((await page.locator('#who-role').innerText()) === role, `role shown is ${role}`);
  expect(!page.url().includes('dcl_'), 'token not in the page URL');
  const stored = await page.evaluate(() => sessionStorage.getItem('declass.token'));
  expect(stored === token, 'token kept in sessionStorage');
}

async function logout() {
  say('log out');
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.locator('#token').waitFor();
  expect((await page.evaluate(() => sessionStorage.getItem('declass.token'))) === null, 'token removed on logout');
}

async function openDocument(caseId, docId) {
  say(`open case ${caseId} and document ${docId} through the case list`);
  await page.locator('.cases-table').waitFor();
  const row = page.locator('.cases-table tbody tr').filter({ hasText: caseId });
  expect((await row.count()) === 1, 'case listed once');
  expect((await row.locator('.overdue-badge').count()) === 1, 'the 2017 case is highlighted as overdue');
  expect((await row.locator('td.num').innerText()).trim() === '1', 'document count 1');
  await row.getByRole('link', { name: caseId }).click();
  await page.getByRole('link', { name: docId, exact: true }).click();
  await page.locator('.para-text').first().waitFor();
}

async function statusIs(text) {
  await page.locator('.doc-status .status-badge').filter({ hasText: text }).waitFor();
}

try {
  say('load the page');
  const resp = await page.goto(BASE + '/');
  expect(resp && resp.ok(), 'GET / answers 200');
  const csp = resp.headers()['content-security-policy'] || '';
  expect(csp.includes("default-src 'self'"), `CSP header present (got "${csp}")`);
  await page.locator('#token').waitFor();

  say('a wrong token shows the API error');
  await page.locator('#token').fill('dcl_' + 'x'.repeat(43));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#error').waitFor({ state: 'visible' });
  expect((await errorText()).includes('401'), 'error banner names 401');
  problems.length = 0; // the browser logs the failed 401 fetch itself; that one is expected

  await login(tokens.reviewer, process.env.E2E_REVIEWER || 'alice', 'reviewer');
  await openDocument(env('E2E_CASE'), env('E2E_DOC'));

  say('portion colours: paragraphs are colour-coded');
  const levels = await page.locator('article.para').evaluateAll((els) => els.map((e) => [...e.classList].find((c) => c.startsWith('level-'))));
  expect(levels.includes('level-S'), 'some paragraph is coloured Secret');
  expect(levels.includes('level-U'), 'some paragraph is coloured Unclassified');
  const sColour = await page.locator('article.para.level-S').first().evaluate((e) => getComputedStyle(e).borderLeftColor);
  expect(sColour === 'rgb(198, 40, 40)', `Secret paragraphs have the red border (got ${sColour})`);

  say('UTF-16 ↔ UTF-8 offsets of the page module on non-ASCII text');
  const offs = await page.evaluate(async () => {
    const m = await import('/web/js/text_offsets.js');
    const t = 'Ä€😀x'; // 2 + 3 + 4 + 1 bytes; the emoji is two UTF-16 units
    return [m.utf8Offset(t, 1), m.utf8Offset(t, 2), m.utf8Offset(t, 4), m.utf8Offset(t, 5), m.utf16Offset(t, 5), m.utf16Offset(t, 9)];
  });
  expect(JSON.stringify(offs) === JSON.stringify([2, 5, 9, 10, 2, 4]), `offsets ${JSON.stringify(offs)}`);

  say('select the name with the mouse');
  const target = await page.evaluate((name) => {
    const el = [...document.querySelectorAll('.para-text')].find((e) => e.textContent.includes(name));
    if (!el) return null;
    el.scrollIntoView({ block: 'center' });
    const full = el.textContent;
    const at = full.indexOf(name);
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let pos = 0;
    const charRect = (i) => {
      walker.currentNode = el;
      pos = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (i < pos + n.data.length) {
          const r = document.createRange();
          r.setStart(n, i - pos);
          r.setEnd(n, i - pos + 1);
          return r.getBoundingClientRect();
        }
        pos += n.data.length;
      }
      return null;
    };
    const a = charRect(at);
    const b = charRect(at + name.length - 1);
    return { index: Number(el.dataset.paragraph), x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2,
      bytes: new TextEncoder().encode(full.slice(0, at)).length };
  }, NAME);
  expect(target, 'a paragraph contains the name');
  await page.mouse.move(target.x1, target.y1);
  await page.mouse.down();
  await page.mouse.move(target.x2, target.y2, { steps: 12 });
  await page.mouse.up();
  await page.locator('.dp-quote').filter({ hasText: NAME }).waitFor();
  expect((await page.locator('.dp-quote').innerText()) === NAME, 'the panel shows exactly the selected name');
  const bytesShown = await page.locator('.dp-bytes').innerText();
  expect(bytesShown.includes(`${target.bytes}–${target.bytes + new TextEncoder().encode(NAME).length}`), `UTF-8 byte range shown (${bytesShown})`);

  say('redact it under (b)(6)');
  await page.locator('input[name=exemption][value="(b)(6)"]').check();
  await page.getByLabel('Justification').fill('Name of a private individual; personal privacy (e2e test).');
  await page.getByRole('button', { name: 'Redact selection' }).click();
  await page.locator('#status').filter({ hasText: 'Recorded decision' }).waitFor();
  const para = page.locator(`#para-${target.index}`);
  await para.locator('mark.withheld').filter({ hasText: NAME }).waitFor();
  expect((await para.locator('.decisions li').filter({ hasText: '(b)(6)' }).count()) >= 1, 'the decision is listed with (b)(6)');
  await page.screenshot({ path: path.join(SHOTS, 'reviewer-document.png'), fullPage: true });

  say('accept the recommendations and decide what is left');
  await page.getByRole('button', { name: 'Accept recommendations' }).click();
  await page.locator('#status').filter({ hasText: 'Accepted' }).waitFor();
  for (let guard = 0; guard < 50; guard += 1) {
    const open = page.locator('article.para:has(.eff-undecided)');
    if ((await open.count()) === 0) break;
    const first = open.first();
    await first.getByRole('button', { name: /^Decide on paragraph/ }).click();
    await page.getByLabel('Justification').fill('Released after review (e2e test).');
    await page.getByRole('button', { name: 'Release paragraph' }).click();
    await page.locator('#status').filter({ hasText: 'Recorded decision' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('#dp-release')?.disabled);
  }
  expect((await page.locator('article.para:has(.eff-undecided)').count()) === 0, 'every paragraph decided');
  expect((await para.locator('mark.withheld').filter({ hasText: NAME }).count()) === 1, 'the redaction survives accepting the recommendations');

  say('submit');
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await statusIs('submitted');
  await logout();

  say('an authority who decided on the document may not approve it');
  await login(tokens.decider, process.env.E2E_DECIDER || 'carol', 'authority');
  await openDocument(env('E2E_CASE'), env('E2E_DOC'));
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.locator('#error').waitFor({ state: 'visible' });
  const sod = await errorText();
  expect(sod.includes('403') && sod.includes('forbidden'), `separation of duties refused with 403 forbidden (banner: ${sod.slice(0, 200)})`);
  console.log(`e2e: error banner shown: ${sod.replace(/\s+/g, ' ').slice(0, 160)}`);
  problems.length = 0; // the browser logs the refused fetch (403) itself
  await statusIs('submitted');
  await logout();

  await login(tokens.approver, process.env.E2E_APPROVER || 'bob', 'authority');
  await openDocument(env('E2E_CASE'), env('E2E_DOC'));
  say('approve');
  await page.getByRole('button', { name: 'Approve' }).click();
  await statusIs('approved');
  say('release');
  await page.getByLabel('Authority title on the stamp (optional)').fill('Senior Reviewer');
  await page.getByRole('button', { name: 'Release and sign' }).click();
  await statusIs('released');
  await page.locator('.previews[data-loaded]').waitFor({ timeout: 60000 });
  const pages = Number(await page.locator('.previews').getAttribute('data-loaded'));
  expect(pages >= 1, 'at least one preview page');
  const imgs = await page.locator('img.preview-img').evaluateAll((els) => els.map((i) => ({ src: i.src.slice(0, 5), w: i.naturalWidth, h: i.naturalHeight, complete: i.complete })));
  for (const [k, im] of imgs.entries()) {
    if (!im.complete) await page.locator('img.preview-img').nth(k).evaluate((i) => new Promise((r) => { i.onload = r; i.onerror = r; }));
  }
  const loaded = await page.locator('img.preview-img').evaluateAll((els) => els.map((i) => ({ src: i.src.slice(0, 5), w: i.naturalWidth, h: i.naturalHeight })));
  expect(loaded.length === pages, `${pages} preview images`);
  expect(loaded.every((i) => i.src === 'blob:' && i.w > 100 && i.h > 100), `every preview is a decoded blob: image (${JSON.stringify(loaded)})`);
  await page.locator('.verify-line').filter({ hasText: /valid|FAILED|unavailable/ }).waitFor();
  const verifyText = await page.locator('.verify-line').innerText();
  expect(verifyText.startsWith('Signature and release checks: valid'), `the server verifies the release (${verifyText.slice(0, 200)})`);
  await page.locator('.release-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'authority-release.png'), fullPage: true });

  say('download the signed PDF');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download signed PDF' }).click(),
  ]);
  await download.saveAs(OUT_PDF);
  const head = fs.readFileSync(OUT_PDF).subarray(0, 5).toString('latin1');
  expect(head === '%PDF-', 'the download is a PDF');
  expect(download.suggestedFilename().endsWith('-release.pdf'), `file name ${download.suggestedFilename()}`);
  console.log(`e2e: ${pages} preview page(s), PDF ${fs.statSync(OUT_PDF).size} bytes, server verify: valid`);

  expect(problems.length === 0, `no console errors, CSP violations or leaks in URLs:\n  ${problems.join('\n  ')}`);
  console.log('e2e: PASS');
  await context.close();
} catch (err) {
  console.error(`e2e: FAIL at "${step}": ${err.message}`);
  if (problems.length) console.error(`e2e: browser problems:\n  ${problems.join('\n  ')}`);
  try {
    console.error(`e2e: error banner: ${(await errorText()).slice(0, 300)}`);
    await page.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true });
    console.error(`e2e: screenshot of the failure: ${path.join(SHOTS, 'failure.png')}`);
  } catch { /* the browser may be gone */ }
  await context.close().catch(() => {});
  process.exit(1);
}
