// What-if recipe export: choose "int8" for one op, download recipe.toml (whatif-export), run
// `winglet optimize --recipe recipe.toml --json`: it must succeed and compress exactly that op's
// weight, to the size and error the what_if block promised.
import fs from 'node:fs';
import path from 'node:path';
import { runTest, compileReport, check, closeRel, settle, filterTable, winglet, MODEL } from './support/report.mjs';

await runTest('recipe', async (t) => {
  const { json, htmlPath } = compileReport(t.dir);
  const w = json.what_if;
  check(w && w.ops.length > 1, 'the --what-if JSON has no what_if block');
  const page = await t.open(htmlPath);

  // The slowest candidate in the middle of the model (not the first or last weight).
  const inner = w.ops.slice(1, -1);
  const target = inner.reduce((a, b) => (json.ops[b].latency_us > json.ops[a].latency_us ? b : a));
  const name = json.ops[target].name;
  await filterTable(page, name);
  await page.click(`[data-testid=op-row][data-op-index="${target}"]`);
  await settle(page);
  await page.selectOption('[data-testid=whatif-op-choice]', 'int8');
  await settle(page);

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click('[data-testid=whatif-export]')]);
  check(download.suggestedFilename() === 'recipe.toml', `the export downloads "${download.suggestedFilename()}", expected recipe.toml`);
  const recipePath = path.join(t.dir, 'recipe.toml');
  await download.saveAs(recipePath);
  const recipe = fs.readFileSync(recipePath, 'utf8');
  check(recipe.includes(name), `recipe.toml does not name the chosen op ${name}:\n${recipe}`);
  t.log(`exported recipe.toml for op ${target} (${name}), ${recipe.length} bytes`);

  const outPath = path.join(t.dir, 'out.onnx');
  const run = winglet(['optimize', MODEL, '--recipe', recipePath, '-o', outPath, '--json'], { cwd: t.dir, allowFailure: true });
  check(run.status === 0, `winglet optimize --recipe recipe.toml exited ${run.status}:\n${run.stderr}\nrecipe:\n${recipe}`);
  check(fs.existsSync(outPath) && fs.statSync(outPath).size > 0, 'winglet optimize wrote no model');
  const after = JSON.parse(run.stdout);

  const compressed = after.ops.map((op, i) => [i, op]).filter(([, op]) => op.compression && op.compression.technique && op.compression.technique !== 'none');
  check(compressed.length === 1 && compressed[0][1].name === name,
    `optimize compressed ${compressed.length} weights (${compressed.map(([i, op]) => `${i} ${op.name}`).slice(0, 5).join(', ')}), expected only ${name}`);
  const c = compressed[0][1].compression;
  check(c.technique === 'quantize', `op ${name} was compressed by ${c.technique}, expected quantize`);
  check(/(^|\s)bits=8(\s|$)/.test(c.options || ''), `op ${name} compression options are "${c.options}", expected bits=8`);
  // The exported recipe reproduces the what-if alternative exactly: same stored size and error.
  const k = w.ops.indexOf(target);
  const int8 = w.alternatives.find((a) => a.id === 'int8');
  check(compressed[0][1].weight_bytes === int8.weight_bytes[k],
    `optimized weight of ${name} is ${compressed[0][1].weight_bytes} bytes; what_if int8 promised ${int8.weight_bytes[k]}`);
  if (int8.sqnr_db[k] != null) {
    check(closeRel(c.sqnr_db, int8.sqnr_db[k]), `optimized SQNR of ${name} is ${c.sqnr_db} dB; what_if int8 promised ${int8.sqnr_db[k]}`);
  }
  t.log(`optimize: exit 0, only ${name} quantized (${c.options}), ${compressed[0][1].weight_bytes} B, SQNR ${c.sqnr_db} dB`);
});
