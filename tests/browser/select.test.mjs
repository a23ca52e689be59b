// Linked selection: clicking an op's table row selects its graph node (the graph opens the scopes
// that hid it), and clicking a graph node selects and reveals its table row.
import { runTest, compileReport, tableRows, check, settle, filterTable } from './support/report.mjs';

const node = (i) => `[data-testid=graph-node][data-op-index="${i}"]`;
const row = (i) => `[data-testid=op-row][data-op-index="${i}"]`;

async function selectedNodes(page) {
  return page.$$eval('[data-testid=graph-node].selected', (ns) => ns.map((n) => Number(n.dataset.opIndex)));
}

// True when the element's box lies inside the graph's svg box (it was centred into view).
async function insideGraph(page, selector) {
  return page.evaluate((sel) => {
    const svg = document.querySelector('svg[data-testid=graph]').getBoundingClientRect();
    const b = document.querySelector(sel).getBoundingClientRect();
    return b.width > 0 && b.left >= svg.left - 1 && b.right <= svg.right + 1 && b.top >= svg.top - 1 && b.bottom <= svg.bottom + 1;
  }, selector);
}

await runTest('select', async (t) => {
  const { json, htmlPath } = compileReport(t.dir);
  const ops = json.ops;
  const page = await t.open(htmlPath);

  // The slowest Conv three or more scopes deep: hidden inside collapsed scopes at first.
  const depth = (op) => (op.scope || '').split('/').filter(Boolean).length;
  const deep = ops.map((op, i) => i).filter((i) => ops[i].op_type === 'Conv' && depth(ops[i]) >= 3);
  check(deep.length > 0, 'MobileNetV2 has no Conv three scopes deep?');
  const target = deep.reduce((a, b) => (ops[b].latency_us > ops[a].latency_us ? b : a));
  check(await page.$(node(target)) === null, `op ${target} (${ops[target].name}) is already a graph node before selecting it; pick a hidden one`);

  // Table -> graph.
  await filterTable(page, ops[target].name);
  await page.click(row(target));
  await settle(page);
  await page.waitForSelector(node(target), { timeout: 5000 }).catch(() => {
    throw new Error(`selecting op ${target} (${ops[target].name}) in the table did not expand its scopes: no ${node(target)}`);
  });
  let sel = await selectedNodes(page);
  check(sel.length === 1 && sel[0] === target, `after clicking row ${target} the selected graph nodes are [${sel}], expected [${target}]`);
  check(await page.getAttribute(row(target), 'aria-selected') === 'true', `row ${target} is not aria-selected after its click`);
  check((await page.getAttribute(row(target), 'class')).split(/\s+/).includes('selected'), `row ${target} lacks class "selected"`);
  check(await insideGraph(page, node(target)), `graph node ${target} was selected but not brought into view`);
  t.log(`table row ${target} -> graph node selected and in view`);

  // Graph -> table: click a consumer of the target (now on screen next to it).
  await filterTable(page, '');
  const produced = new Set(ops[target].output_names);
  const consumers = ops.map((op, i) => i).filter((i) => (ops[i].inputs || []).some((n) => produced.has(n)));
  check(consumers.length > 0, `op ${target} has no consumer`);
  const other = consumers[0];
  // Open the collapsed scopes that still hide the consumer with their own toggles, outermost first.
  for (let step = 0; step < 10 && !(await page.$(node(other))); step++) {
    const scope = await page.evaluate((s) => [...document.querySelectorAll('[data-testid=graph-scope]')]
      .map((g) => g.dataset.scope).filter((p) => s === p || s.startsWith(p + '/')).sort((a, b) => a.length - b.length)[0], ops[other].scope);
    check(scope != null, `graph node ${other} (${ops[other].name}) is neither shown nor inside a collapsed scope`);
    await page.click(`[data-testid=scope-toggle][data-scope="${scope}"]`);
    await settle(page);
  }
  check(await page.$(node(other)), `graph node ${other} never appeared`);
  await page.click(node(other));
  await settle(page);
  sel = await selectedNodes(page);
  check(sel.length === 1 && sel[0] === other, `after clicking graph node ${other} the selected graph nodes are [${sel}], expected [${other}]`);
  const rows = await tableRows(page);
  const r = rows.find((x) => x.index === other);
  check(r, `clicking graph node ${other} did not bring its table row into the DOM`);
  check(r.selected && r.ariaSelected === 'true', `table row ${other} is not selected after clicking its graph node (class selected=${r.selected}, aria-selected=${r.ariaSelected})`);
  check(r.visible, `table row ${other} is selected but not scrolled into view`);
  const stale = rows.filter((x) => x.selected && x.index !== other).map((x) => x.index);
  check(stale.length === 0, `rows [${stale}] are still selected`);
  t.log(`graph node ${other} -> table row selected and in view`);
});
