// Render speed of winglet's HTML report in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from tests/browser/node_modules: `npm ci` there first).
//
//   node bench/report_render.mjs [--runs N] NAME REPORT.html REPORT.json [NAME REPORT.html REPORT.json ...]
//
// Per report, after one discarded warm-up load, N fresh pages (a new browser context each):
//   ready      navigation start -> window.WG_READY === true (table and graph rendered), in-page
//              performance.now(), whose origin is the navigation start
//   painted    the same, to the end of the first frame after WG_READY (rAF, then a task after it)
//   expand     click on the scope-toggle of the largest collapsed scope (or chunk of a wide level)
//              -> the next animation frame (the click handler's dagre layout and SVG rebuild are
//              done; in-page, from the click event's timestamp), and -> the end of that frame
//              (style, layout and paint included); then the same for the largest named scope that
//              the first expansion revealed
// and the sizes of the HTML and the JSON (compiled with --what-if, the same content) files.
// Prints a markdown table of median (min-max) in milliseconds.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.WINGLET_CHROMIUM || '/usr/bin/chromium';

function loadPlaywright() {
  const require = createRequire(path.join(ROOT, 'tests/browser/package.json'));
  try {
    return require('playwright-core');
  } catch {
    console.error('playwright-core is missing: run `npm ci` in tests/browser (scripts/install-deps.sh does)');
    process.exit(2);
  }
}

function parseArgs(argv) {
  let runs = 7;
  const cases = [];
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i]);
    else rest.push(argv[i]);
  }
  if (!rest.length || rest.length % 3 || !(runs > 0)) {
    console.error('usage: node bench/report_render.mjs [--runs N] NAME REPORT.html REPORT.json [...]');
    process.exit(2);
  }
  for (let i = 0; i < rest.length; i += 3) cases.push({ name: rest[i], html: path.resolve(rest[i + 1]), json: path.resolve(rest[i + 2]) });
  return { runs, cases };
}

// Runs before the page's own scripts: stamps the moment WG_READY becomes true, and the end of the
// frame that follows it.
const READY_HOOK = () => {
  let value;
  Object.defineProperty(window, 'WG_READY', {
    configurable: true,
    get: () => value,
    set: (v) => {
      value = v;
      if (v === true && window.__wgReadyAt == null) {
        window.__wgReadyAt = performance.now();
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => { window.__wgPaintedAt = performance.now(); };
          ch.port2.postMessage(0);
        });
      }
    },
  });
};

// The collapsed scope (or chunk of a wide level) holding the most ops; named scopes only if asked.
// Op counts come from the node's own "N ops" label, the only count a chunk carries.
function largestCollapsedScope(page, namedOnly) {
  return page.evaluate((named) => {
    let best = null;
    for (const g of document.querySelectorAll('[data-testid=graph-scope]')) {
      const p = g.dataset.scope;
      if (p == null || (named && (!p || p.includes('#')))) continue;
      const m = /([\d,]+) ops?\b/.exec(g.textContent);
      const n = m ? Number(m[1].replace(/,/g, '')) : 0;
      if (!best || n > best.ops) best = { scope: p, ops: n };
    }
    return best;
  }, namedOnly);
}

// Clicks the scope's toggle; returns ms from the click event to the next animation frame and to
// the end of that frame.
async function expandTimed(page, scope) {
  await page.evaluate(() => {
    window.__expand = null;
    document.addEventListener('click', (e) => {
      const t0 = e.timeStamp;
      requestAnimationFrame(() => {
        const frame = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { window.__expand = { frame: frame - t0, painted: performance.now() - t0 }; };
        ch.port2.postMessage(0);
      });
    }, { capture: true, once: true });
  });
  const sel = (id) => `[data-testid=${id}][data-scope="${scope.replace(/"/g, '\\"')}"]`;
  await page.click(sel('scope-toggle'));
  await page.waitForFunction(() => window.__expand != null, null, { timeout: 60000, polling: 20 });
  const e = await page.evaluate(() => window.__expand);
  if (!(await page.$(sel('graph-cluster')))) throw new Error(`scope "${scope}" did not expand`);
  return e;
}

async function measureOnce(browser, file) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(READY_HOOK);
  await page.goto('file://' + file, { timeout: 120000 });
  await page.waitForFunction(() => window.__wgPaintedAt != null, null, { timeout: 120000, polling: 50 });
  const { ready, painted } = await page.evaluate(() => ({ ready: window.__wgReadyAt, painted: window.__wgPaintedAt }));
  // Two expansions, as a reader would: the biggest thing on screen, then the biggest named scope
  // that shows up (on a 10k-op model: a chunk of the top level, then a block inside it).
  const expands = [];
  for (const namedOnly of [false, true]) {
    const target = await largestCollapsedScope(page, namedOnly);
    if (!target) break;
    const e = await expandTimed(page, target.scope);
    expands.push({ ...target, ...e });
  }
  const ops = await page.evaluate(() => WG.doc.ops.length);
  await context.close();
  if (errors.length) throw new Error(`${file}: ${errors.join('; ')}`);
  return { ready, painted, expands, ops };
}

function stats(xs) {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v[v.length - 1] };
}

const ms = (s) => (s ? `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : 'n/a');
const mib = (n) => `${(n / 1048576).toFixed(2)} MiB`;

async function main() {
  const { runs, cases } = parseArgs(process.argv.slice(2));
  const { chromium } = loadPlaywright();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
  const rows = [];
  for (const c of cases) {
    await measureOnce(browser, c.html);   // warm-up: disk cache, Chromium's code caches
    const samples = [];
    for (let r = 0; r < runs; r++) samples.push(await measureOnce(browser, c.html));
    const s = samples[0];
    rows.push({
      name: c.name, ops: s.ops, htmlBytes: fs.statSync(c.html).size, jsonBytes: fs.statSync(c.json).size,
      ready: stats(samples.map((x) => x.ready)), painted: stats(samples.map((x) => x.painted)),
      expands: s.expands.map((e, k) => ({
        scope: e.scope, ops: e.ops,
        frame: stats(samples.map((x) => x.expands[k] && x.expands[k].frame)),
        painted: stats(samples.map((x) => x.expands[k] && x.expands[k].painted)),
      })),
    });
    console.error(`${c.name}: done (${runs} runs)`);
  }
  const version = browser.version();
  await browser.close();

  console.log(`Headless Chromium ${version}, viewport 1600x1000, ${runs} runs after one warm-up; median (min–max), ms.\n`);
  console.log('| report | ops | HTML | JSON (--what-if) | HTML / JSON | nav start → WG_READY | → end of next frame |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.ops} | ${mib(r.htmlBytes)} | ${mib(r.jsonBytes)} | ${(r.htmlBytes / r.jsonBytes).toFixed(2)} | ${ms(r.ready)} | ${ms(r.painted)} |`);
  }
  console.log('\n| report | expand (scope-toggle click) | ops inside | click → next frame | click → end of that frame |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) {
    for (const e of r.expands) {
      console.log(`| ${r.name} | \`${e.scope.startsWith('#') ? 'top level ' + e.scope : e.scope}\` | ${e.ops} | ${ms(e.frame)} | ${ms(e.painted)} |`);
    }
  }
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
