// Numbers shown equal the JSON export's: for a sample of ops, every table cell (its raw number,
// data-value, exactly; and its text, the JSON value formatted by the page's own WG.fmt), the
// selected op's details, and the summary totals (data-value, exact).
import { runTest, compileReport, check, settle, revealRow } from './support/report.mjs';

// Table column key -> WG.fmt formatter name (null: shown as text).
const COLUMNS = {
  latency_us: 'us', energy_uj: 'uj', memory_traffic_bytes: 'bytes', macs: 'count', flops: 'count', params: 'count',
  weight_bytes: 'bytes', output_bytes: 'bytes', start_us: 'us',
  name: null, op_type: null, scope: null, unit: null, bound: null, fallback_reason: null,
};
const DETAILS = { latency_us: 'us', energy_uj: 'uj', start_us: 'us', memory_traffic_bytes: 'bytes', macs: 'count', flops: 'count',
  params: 'count', weight_bytes: 'bytes', input_bytes: 'bytes', output_bytes: 'bytes' };
const TOTALS = { latency_ms: 'ms', energy_mj: 'mj', avg_power_w: 'w', peak_memory_bytes: 'bytes', storage_bytes: 'bytes' };

// The page's own formatting of VALUE (the viewer shows an empty cell for a missing value).
function formatIn(page, fmtName, value) {
  return page.evaluate(([f, v]) => (v == null ? '' : f ? WG.fmt[f](v) : String(v)), [fmtName, value]);
}

// The text of each cell of op row I, without decorations (heat square, unit swatch, fallback mark).
function rowCells(page, i) {
  return page.$eval(`[data-testid=op-row][data-op-index="${i}"]`, (row) => {
    const out = {};
    for (const cell of row.querySelectorAll('[role=gridcell]')) {
      const key = [...cell.classList].find((c) => c.startsWith('c-'));
      if (!key) continue;
      if (cell.hasAttribute('data-value')) out['raw:' + key.slice(2)] = Number(cell.getAttribute('data-value'));
      const copy = cell.cloneNode(true);
      copy.querySelectorAll('.heat, .swatch, .mark-fallback').forEach((n) => n.remove());
      out[key.slice(2)] = copy.textContent.trim();
    }
    return out;
  });
}

await runTest('numbers', async (t) => {
  const { json, htmlPath } = compileReport(t.dir);
  const ops = json.ops;
  const page = await t.open(htmlPath);

  // ~20 ops: evenly spread over the model plus the five slowest and one fallback.
  const sample = new Set();
  for (let k = 0; k < 16; k++) sample.add(Math.round((k * (ops.length - 1)) / 15));
  ops.map((op, i) => i).sort((a, b) => ops[b].latency_us - ops[a].latency_us).slice(0, 5).forEach((i) => sample.add(i));
  const fb = ops.findIndex((op) => op.fallback_reason);
  if (fb >= 0) sample.add(fb);

  let cells = 0;
  for (const i of [...sample].sort((a, b) => a - b)) {
    await revealRow(page, i, i);   // default order is execution order: op i is at position i
    const shown = await rowCells(page, i);
    check(shown.index === String(i), `row of op ${i} shows index "${shown.index}"`);
    for (const [key, f] of Object.entries(COLUMNS)) {
      check(key in shown, `the table has no column cell c-${key}`);
      const want = (await formatIn(page, f, ops[i][key])).trim();
      check(shown[key] === want, `op ${i} (${ops[i].name}) ${key}: the table shows "${shown[key]}", the JSON value ${JSON.stringify(ops[i][key])} formats as "${want}"`);
      if (f && ops[i][key] != null) {
        check(shown['raw:' + key] === ops[i][key], `op ${i} (${ops[i].name}) ${key}: the cell's data-value is ${shown['raw:' + key]}, the JSON has ${ops[i][key]}`);
      }
      cells++;
    }
  }
  t.log(`${sample.size} ops, ${cells} table cells equal the JSON values (raw data-value and text formatted by WG.fmt)`);

  // Details of one sampled op: the raw value in each field's title, and its formatted text.
  const pick = [...sample][7];
  await revealRow(page, pick, pick);
  await page.click(`[data-testid=op-row][data-op-index="${pick}"]`);
  await settle(page);
  for (const [key, f] of Object.entries(DETAILS)) {
    const dd = `[data-testid=details] dd[data-key=${key}]`;
    check(await page.$(dd), `details of op ${pick} have no ${dd}`);
    const title = await page.getAttribute(dd, 'title');
    const v = ops[pick][key];
    if (v != null) check(Number(title) === v, `details of op ${pick}: ${key} raw value (title) is ${title}, the JSON has ${v}`);
    const text = await page.$eval(dd, (e) => e.firstChild ? e.firstChild.textContent.trim() : '');
    const want = v == null ? 'n/a' : await formatIn(page, f, v);
    check(text === want, `details of op ${pick}: ${key} shows "${text}", the JSON value formats as "${want}"`);
  }
  const details = await page.textContent('[data-testid=details]');
  for (const junk of ['[object ', 'undefined', 'NaN', 'nullnull']) {
    check(!details.includes(junk), `the details pane of op ${pick} shows "${junk}": …${details.slice(Math.max(0, details.indexOf(junk) - 60), details.indexOf(junk) + 60)}…`);
  }
  t.log(`details of op ${pick}: ${Object.keys(DETAILS).length} fields equal the JSON`);

  // Summary totals, exact.
  const expected = { ...json.totals, storage_bytes: json.plan.storage_bytes };
  for (const [key, f] of Object.entries(TOTALS)) {
    const card = `[data-testid=total-${key}]`;
    const v = await page.getAttribute(card, 'data-value');
    check(v !== null && v !== '', `${card} has no data-value`);
    check(Number(v) === expected[key], `${card} data-value is ${v}, the JSON has ${expected[key]}`);
    const text = await page.textContent(card);
    const want = await formatIn(page, f, expected[key]);
    check(text.includes(want), `${card} shows "${text}", which lacks the JSON value formatted as "${want}"`);
  }
  t.log('summary totals equal the JSON totals');
});
