// Shared plumbing of the browser tests: find winglet and Chromium, build reports from the shipped
// MobileNetV2 into a private temp dir, open them in headless Chromium, and turn any failure (an
// assertion, a console error, an uncaught page error) into a non-zero exit with a clear message.
// Every test still leaves a screenshot in $WINGLET_ARTIFACT_DIR, pass or fail.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = process.env.WINGLET_SOURCE_DIR || path.resolve(HERE, '../../..');
export const WINGLET = process.env.WINGLET_BIN || path.join(SOURCE_DIR, 'build/bin/winglet');
export const ARTIFACT_DIR = process.env.WINGLET_ARTIFACT_DIR || path.join(SOURCE_DIR, 'build/test-artifacts/browser');
export const CHROMIUM = process.env.WINGLET_CHROMIUM || '/usr/bin/chromium';
export const MODEL = path.join(SOURCE_DIR, 'examples/mobilenet_v2.onnx');
export const DEVICE = process.env.WINGLET_TEST_DEVICE || 'apple-a17-pro';
export const INT8_RECIPE = '[default]\ntechnique = "quantize"\nbits = 8\nactivations = "int8"\n';
const NPM_HINT = 'run `npm ci` in tests/browser (scripts/install-deps.sh does)';

export class TestFailure extends Error {}

export function check(cond, message) {
  if (!cond) throw new TestFailure(message);
}

// |a - b| <= rel * max(|a|, |b|) (and exact equality for zeros).
export function closeRel(a, b, rel = 1e-9) {
  if (typeof a !== 'number' || typeof b !== 'number' || !isFinite(a) || !isFinite(b)) return false;
  return a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

async function loadPlaywright() {
  const major = Number(process.versions.node.split('.')[0]);
  check(major >= 18, `Node.js ${process.versions.node} is too old for playwright-core 1.61 (needs >= 18); install a newer nodejs, then ${NPM_HINT}`);
  try {
    return await import('playwright-core');
  } catch (e) {
    throw new TestFailure(`playwright-core is not installed (${e.code || e.message}): ${NPM_HINT}`);
  }
}

// Runs winglet; throws with its stderr on a non-zero exit unless allowFailure. -q keeps the
// compile table off stdout.
export function winglet(args, { cwd, allowFailure = false } = {}) {
  try {
    const stdout = execFileSync(WINGLET, ['-q', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: 0, stdout, stderr: '' };
  } catch (e) {
    if (e.code === 'ENOENT') throw new TestFailure(`winglet not found at ${WINGLET} (set WINGLET_BIN)`);
    if (allowFailure && typeof e.status === 'number') return { status: e.status, stdout: e.stdout, stderr: e.stderr };
    throw new TestFailure(`winglet ${args.join(' ')} failed (exit ${e.status}):\n${e.stderr || e.message}`);
  }
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// Compiles MODEL (default: the shipped MobileNetV2) for DEVICE twice, into DIR/NAME.html (the report under test; what-if is implied)
// and DIR/NAME.json with --what-if unless whatIf is false (the independent expectation). No shared cache: tests run in
// parallel and must not see each other's entries.
export function compileReport(dir, { name = 'report', recipe = null, html = true, whatIf = true, model = MODEL, device = DEVICE } = {}) {
  const common = [model, '-t', device, '--no-cache'];
  if (recipe) {
    const recipePath = path.join(dir, name + '.recipe.toml');
    fs.writeFileSync(recipePath, recipe);
    common.push('--recipe', recipePath);
  }
  const jsonPath = path.join(dir, name + '.json');
  winglet(['compile', ...common, ...(whatIf ? ['--what-if'] : []), '-o', jsonPath], { cwd: dir });
  const out = { json: readJson(jsonPath), jsonPath };
  if (html) {
    out.htmlPath = path.join(dir, name + '.html');
    winglet(['compile', ...common, '-o', out.htmlPath], { cwd: dir });
  }
  return out;
}

// Op indices of the scope PATH and everything below it.
export function opsInScope(doc, scopePath) {
  const out = [];
  doc.ops.forEach((op, i) => {
    const s = op.scope || '';
    if (s === scopePath || s.startsWith(scopePath + '/')) out.push(i);
  });
  return out;
}

// Opens an HTML file in a fresh page, records console errors and page errors, waits for WG_READY.
async function openPage(browser, file, errors) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.stack || e.message}`));
  // The report never opens a dialog; one would mean model text ran as script.
  page.on('dialog', (d) => { errors.push(`dialog opened (${d.type()}): ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  // The report is offline: any request other than the file itself is a bug.
  page.on('request', (r) => { if (!r.url().startsWith('file://') && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) errors.push(`network request: ${r.url()}`); });
  await page.goto('file://' + path.resolve(file));
  await page.waitForFunction(() => window.WG_READY === true, null, { timeout: 30000 });
  return page;
}

// runTest('sort', async (t) => { ... }): t = {dir, browser, open(file) -> page, screenshot(tag), log(...)}.
// Exit code 0 on success, 1 on any failure (message on stderr). The temp dir is removed on success
// and kept (path printed) on failure.
export async function runTest(name, body) {
  const started = Date.now();
  const errors = [];
  let browser = null;
  let page = null;
  let dir = null;
  let failure = null;
  const log = (...a) => console.log(`[${name}]`, ...a);
  try {
    const { chromium } = await loadPlaywright();
    check(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set WINGLET_CHROMIUM)`);
    check(fs.existsSync(MODEL), `test model missing: ${MODEL}`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `winglet-browser-${name}-`));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
    const t = {
      dir, browser, log,
      async open(file) { page = await openPage(browser, file, errors); return page; },
      // An extra screenshot mid-test (the final one is taken automatically).
      async screenshot(tag) {
        fs.mkdirSync(ARTIFACT_DIR, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACT_DIR, `${name}-${tag}.png`) });
      },
    };
    await body(t);
    check(errors.length === 0, `the page reported errors:\n  ${errors.join('\n  ')}`);
  } catch (e) {
    failure = e;
  }
  if (page) {
    try {
      fs.mkdirSync(ARTIFACT_DIR, { recursive: true });
      const shot = path.join(ARTIFACT_DIR, `${name}.png`);
      await page.screenshot({ path: shot });
      log(`screenshot: ${shot}`);
    } catch (e) {
      log(`could not save the screenshot: ${e.message}`);
    }
  }
  if (browser) await browser.close().catch(() => {});
  if (failure) {
    const what = failure instanceof TestFailure ? failure.message : failure.stack || String(failure);
    console.error(`[${name}] FAIL: ${what}`);
    if (errors.length && !(failure instanceof TestFailure && failure.message.startsWith('the page reported'))) {
      console.error(`[${name}] page errors:\n  ${errors.join('\n  ')}`);
    }
    if (dir) console.error(`[${name}] files kept in ${dir}`);
    process.exit(1);
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  log(`PASS (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exit(0);
}

// ---------- page helpers ----------

// The op rows the table has rendered, in display order: [{index, position, visible}], where
// visible = inside the scroller's viewport (below the sticky header).
export async function tableRows(page) {
  return page.evaluate(() => {
    const scroller = document.querySelector('[data-testid=op-table] .tbl-scroll') ||
      document.querySelector('[data-testid=op-table]');
    const head = document.querySelector('[data-testid=op-table] [role=columnheader]');
    const box = scroller.getBoundingClientRect();
    const top = head ? head.getBoundingClientRect().bottom : box.top;
    return [...document.querySelectorAll('[data-testid=op-row]')].map((r) => {
      const b = r.getBoundingClientRect();
      return {
        index: Number(r.dataset.opIndex),
        position: Number(r.getAttribute('aria-rowindex')) - 2,
        visible: b.bottom > top + 1 && b.top < box.bottom - 1 && b.height > 0,
        selected: r.classList.contains('selected'),
        ariaSelected: r.getAttribute('aria-selected'),
      };
    }).sort((a, b) => a.position - b.position);
  });
}

// Waits two animation frames (the table and graph re-render in rAF callbacks).
export async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

// Types TEXT into the table filter and waits for the debounced refresh.
export async function filterTable(page, text) {
  await page.fill('[data-testid=table-filter]', text);
  await page.waitForTimeout(300);
  await settle(page);
}

// Scrolls the table so op row POSITION (display order) is rendered, then returns its element handle.
export async function revealRow(page, position, opIndex) {
  await page.evaluate((k) => {
    const scroller = document.querySelector('[data-testid=op-table] .tbl-scroll');
    const row = document.querySelector('[data-testid=op-row]');
    const h = row ? row.getBoundingClientRect().height : 22;
    scroller.scrollTop = Math.max(0, k * h - scroller.clientHeight / 2);
    scroller.dispatchEvent(new Event('scroll'));
  }, position);
  const sel = `[data-testid=op-row][data-op-index="${opIndex}"]`;
  await page.waitForSelector(sel, { timeout: 5000 });
  return page.$(sel);
}

export async function dataValue(page, selector) {
  const v = await page.getAttribute(selector, 'data-value');
  check(v !== null, `${selector} has no data-value attribute`);
  check(v !== '', `${selector} has an empty data-value`);
  return Number(v);
}
