// Compare: `winglet compare a.json b.json -o diff.html` of MobileNetV2 as compiled and with an int8
// recipe; the diff row of a changed op and the totals show each report's own JSON numbers.
import path from 'node:path';
import { runTest, compileReport, check, winglet, INT8_RECIPE } from './support/report.mjs';

const TOTALS = {
  latency_ms: (d) => d.totals.latency_ms, energy_mj: (d) => d.totals.energy_mj, avg_power_w: (d) => d.totals.avg_power_w,
  peak_memory_bytes: (d) => d.totals.peak_memory_bytes, storage_bytes: (d) => d.plan.storage_bytes,
  weight_bytes: (d) => d.totals.weight_bytes, macs: (d) => d.totals.macs, op_count: (d) => d.totals.op_count,
};
const OP_KEYS = ['latency_us', 'energy_uj', 'weight_bytes'];

await runTest('compare', async (t) => {
  const a = compileReport(t.dir, { name: 'a', html: false, whatIf: false });
  const b = compileReport(t.dir, { name: 'b', html: false, whatIf: false, recipe: INT8_RECIPE });
  const docs = [a.json, b.json];
  const diff = path.join(t.dir, 'diff.html');
  winglet(['compare', a.jsonPath, b.jsonPath, '-o', diff, '--label', 'fp32', '--label', 'int8'], { cwd: t.dir });
  const page = await t.open(diff);
  await page.waitForSelector('[data-testid=compare-table]', { state: 'visible', timeout: 5000 }).catch(() => {
    throw new Error('the compare page shows no visible [data-testid=compare-table] (Compare should be the default tab)');
  });
  const text = await page.textContent('body');
  for (const label of ['fp32', 'int8']) check(text.includes(label), `the compare page does not show the label "${label}"`);

  // Totals of each report.
  for (const [key, get] of Object.entries(TOTALS)) {
    for (let r = 0; r < 2; r++) {
      const sel = `[data-testid=compare-total][data-key=${key}][data-report="${r}"]`;
      const v = await page.getAttribute(sel, 'data-value');
      check(v !== null, `no ${sel}`);
      check(Number(v) === get(docs[r]), `${sel} data-value is ${v}, report ${r}'s JSON has ${get(docs[r])}`);
    }
  }
  t.log(`compare-total: ${Object.keys(TOTALS).length} keys x 2 reports equal the JSONs`);

  // The op whose latency changed most, and a few more changed ones.
  const byName = new Map(b.json.ops.map((op) => [op.name, op]));
  const changed = a.json.ops.filter((op) => byName.has(op.name) && byName.get(op.name).latency_us !== op.latency_us)
    .sort((x, y) => Math.abs(byName.get(y.name).latency_us - y.latency_us) - Math.abs(byName.get(x.name).latency_us - x.latency_us));
  check(changed.length > 0, 'the int8 recipe changed no op latency; nothing to compare');
  for (const op of changed.slice(0, 5)) {
    const row = `[data-testid=compare-row][data-op-name="${op.name.replace(/"/g, '\\"')}"]`;
    check(await page.$(row), `no compare-row for changed op ${op.name}`);
    const pair = [op, byName.get(op.name)];
    for (const key of OP_KEYS) {
      for (let r = 0; r < 2; r++) {
        const sel = `${row} [data-testid=compare-cell][data-key=${key}][data-report="${r}"]`;
        const v = await page.getAttribute(sel, 'data-value');
        check(v !== null, `no ${sel}`);
        check(Number(v) === pair[r][key], `${op.name}: ${key} of report ${r} shows data-value ${v}, its JSON has ${pair[r][key]}`);
      }
    }
  }
  const top = changed[0];
  t.log(`compare-row ${top.name}: latency ${top.latency_us} -> ${byName.get(top.name).latency_us} us as in the JSONs (and ${Math.min(4, changed.length - 1)} more rows)`);
});
