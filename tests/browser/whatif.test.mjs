// What-if: choosing "int8" for one selected op (then "int4" for a second) changes the summary
// totals by exactly the per-op differences the JSON export's what_if block gives (the arithmetic of plugins/exporters/html/README.md:
// totals + Σ (alternative − current) over changed ops; power = energy / latency).
import { runTest, compileReport, check, closeRel, settle, filterTable, dataValue } from './support/report.mjs';

const KEYS = ['latency_ms', 'energy_mj', 'avg_power_w', 'peak_memory_bytes', 'storage_bytes'];

// The totals the page should show for CHOICES ([[opIndex, altId], ...]), from the JSON alone.
function expectedTotals(doc, choices) {
  const w = doc.what_if;
  const t = {
    latency_ms: doc.totals.latency_ms, energy_mj: doc.totals.energy_mj, avg_power_w: doc.totals.avg_power_w,
    peak_memory_bytes: doc.totals.peak_memory_bytes, storage_bytes: doc.plan.storage_bytes,
  };
  if (!choices.length) return t;
  let dLatUs = 0, dEnergyUj = 0, dWeight = 0;
  for (const [i, id] of choices) {
    const k = w.ops.indexOf(i);
    const alt = w.alternatives.find((a) => a.id === id);
    dLatUs += alt.latency_us[k] - doc.ops[i].latency_us;
    dEnergyUj += alt.energy_uj[k] - doc.ops[i].energy_uj;
    dWeight += alt.weight_bytes[k] - doc.ops[i].weight_bytes;
  }
  t.latency_ms += dLatUs / 1000;
  t.energy_mj += dEnergyUj / 1000;
  t.peak_memory_bytes += dWeight;
  t.storage_bytes += dWeight;
  t.avg_power_w = t.energy_mj / t.latency_ms;
  return t;
}

async function checkTotals(page, expected, what) {
  for (const key of KEYS) {
    const shown = await dataValue(page, `[data-testid=total-${key}]`);
    check(closeRel(shown, expected[key]),
      `${what}: total-${key} data-value is ${shown}, the JSON gives ${expected[key]} (rel. error ${Math.abs(shown - expected[key]) / Math.abs(expected[key])})`);
  }
}

await runTest('whatif', async (t) => {
  const { json, htmlPath } = compileReport(t.dir);
  check(json.what_if && json.what_if.ops.length > 2, 'the --what-if JSON has no what_if block (or fewer than 3 candidates)');
  for (const id of ['int8', 'int4']) check(json.what_if.alternatives.some((a) => a.id === id), `what_if has no "${id}" alternative`);
  const page = await t.open(htmlPath);
  await checkTotals(page, expectedTotals(json, []), 'as compiled');

  // The two slowest candidates (a distinct weight each, so the per-op deltas add up).
  const cands = [...json.what_if.ops].sort((a, b) => json.ops[b].latency_us - json.ops[a].latency_us);
  const picks = [[cands[0], 'int8'], [cands[1], 'int4']];
  const chosen = [];
  for (const [i, id] of picks) {
    await filterTable(page, json.ops[i].name);
    await page.click(`[data-testid=op-row][data-op-index="${i}"]`);
    await settle(page);
    const sel = '[data-testid=whatif-op-choice]';
    check(!(await page.$eval(sel, (e) => e.disabled)), `${sel} is disabled with candidate op ${i} (${json.ops[i].name}) selected`);
    const values = await page.$$eval(`${sel} option`, (os) => os.map((o) => o.value));
    check(values.includes('current') && values.includes(id), `${sel} offers [${values}], expected "current" and "${id}"`);
    await page.selectOption(sel, id);
    await settle(page);
    chosen.push([i, id]);
    await checkTotals(page, expectedTotals(json, chosen), `after ${chosen.map(([o, a]) => `op ${o} -> ${a}`).join(', ')}`);
    t.log(`op ${i} (${json.ops[i].name}) -> ${id}: totals match the JSON arithmetic`);
  }
  check(await page.$('[data-testid=whatif-active]'), 'no what-if note (whatif-active) while choices are made');

  // Every candidate on int8 is the engine's own exact total for that alternative.
  await page.selectOption('[data-testid=whatif-model-choice]', 'int8');
  await settle(page);
  const int8 = json.what_if.alternatives.find((a) => a.id === 'int8').totals;
  await checkTotals(page, { ...int8, avg_power_w: int8.avg_power_w ?? int8.energy_mj / int8.latency_ms }, 'whole model int8');
  t.log('whole model int8: totals equal what_if int8 totals');
});
