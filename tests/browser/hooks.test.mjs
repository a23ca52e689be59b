// Every test hook plugins/exporters/html/README.md lists is on the page (report and compare), with the attributes the other
// browser tests and outside tools rely on; keyboard basics of the table.
import path from 'node:path';
import { runTest, compileReport, check, settle, winglet } from './support/report.mjs';

const REPORT_HOOKS = [
  'op-table', 'col-latency_us', 'col-energy_uj', 'op-row', 'table-filter', 'table-group',
  'graph', 'graph-scope', 'scope-toggle', 'breadcrumbs', 'graph-metric', 'minimap',
  'whatif-model-choice', 'whatif-scope-choice', 'whatif-op-choice', 'whatif-export',
  'total-latency_ms', 'total-energy_mj', 'total-avg_power_w', 'total-peak_memory_bytes', 'total-storage_bytes',
];

await runTest('hooks', async (t) => {
  const { json, htmlPath } = compileReport(t.dir);
  const page = await t.open(htmlPath);
  const missing = [];
  for (const id of REPORT_HOOKS) if (!(await page.$(`[data-testid="${id}"]`))) missing.push(id);
  check(missing.length === 0, `report page lacks data-testid ${missing.join(', ')}`);
  check(await page.$eval('[data-testid=graph]', (e) => e.tagName.toLowerCase()) === 'svg', 'data-testid=graph is not an <svg>');
  check(await page.$eval('[data-testid=graph-metric]', (e) => e.tagName.toLowerCase()) === 'select', 'graph-metric is not a <select>');
  for (const id of ['whatif-model-choice', 'whatif-scope-choice', 'whatif-op-choice']) {
    check(await page.$eval(`[data-testid=${id}]`, (e) => e.tagName.toLowerCase()) === 'select', `${id} is not a <select>`);
  }
  const metrics = await page.$$eval('[data-testid=graph-metric] option', (os) => os.map((o) => o.value));
  t.log(`graph colour metrics: ${metrics.join(', ')}`);
  // Keyboard: focus the first row, ArrowDown selects the next op, Enter keeps it selected.
  await page.click('[data-testid=op-row][data-op-index="0"]');
  await page.keyboard.press('ArrowDown');
  await settle(page);
  check(await page.getAttribute('[data-testid=op-row][data-op-index="1"]', 'aria-selected') === 'true', 'ArrowDown in the table did not select op 1');
  check(await page.evaluate(() => WG.state.selected) === 1, 'ArrowDown did not move WG.state.selected to 1');
  check(json.ops.length > 1, 'report has fewer than 2 ops');

  // Compare page hooks.
  const other = compileReport(t.dir, { name: 'b', html: false, whatIf: false });
  const diff = path.join(t.dir, 'diff.html');
  winglet(['compare', other.jsonPath, other.jsonPath, '-o', diff], { cwd: t.dir });
  await page.goto('file://' + diff);
  await page.waitForFunction(() => window.WG_READY === true, null, { timeout: 30000 });
  for (const id of ['compare-table', 'compare-total']) check(await page.$(`[data-testid="${id}"]`), `compare page lacks data-testid ${id}`);
  t.log(`${REPORT_HOOKS.length} report hooks and the compare hooks are present`);
});
