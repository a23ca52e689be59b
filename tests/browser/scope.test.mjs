// Collapsible name scopes: expanding a scope (its scope-toggle) shows what it holds, down to the
// ops' own graph nodes at its leaf; collapsing it hides them again.
import { runTest, compileReport, check, settle, opsInScope } from './support/report.mjs';

// What the graph shows now: op nodes, collapsed scopes and expanded clusters.
async function graphState(page) {
  return page.evaluate(() => ({
    nodes: [...document.querySelectorAll('[data-testid=graph-node]')].map((n) => Number(n.dataset.opIndex)),
    scopes: [...document.querySelectorAll('[data-testid=graph-scope]')].map((n) => n.dataset.scope),
    clusters: [...document.querySelectorAll('[data-testid=graph-cluster]')].map((n) => n.dataset.scope),
  })).then((s) => ({ ...s, nodes: new Set(s.nodes) }));
}

const within = (scope, path) => scope === path || scope.startsWith(path + '/');

await runTest('scope', async (t) => {
  const { json, htmlPath } = compileReport(t.dir);
  const ops = json.ops;
  const page = await t.open(htmlPath);

  // A leaf scope in the middle of the model with several ops, e.g. /features/features.3/conv/conv.1/conv.1.2.
  const counts = new Map();
  for (const op of ops) counts.set(op.scope, (counts.get(op.scope) || 0) + 1);
  const leaves = [...counts].filter(([s, n]) => n >= 3 && s.split('/').filter(Boolean).length >= 3).map(([s]) => s);
  check(leaves.length > 0, 'no leaf scope with three ops');
  const leaf = leaves[Math.floor(leaves.length / 2)];
  const parts = leaf.split('/').filter(Boolean);
  const levels = parts.map((_, k) => '/' + parts.slice(0, k + 1).join('/'));
  const leafOps = opsInScope(json, leaf).filter((i) => ops[i].scope === leaf);
  t.log(`walking down to ${leaf} (${leafOps.length} ops)`);

  for (const level of levels) {
    let s = await graphState(page);
    if (s.clusters.includes(level)) continue;   // opened automatically with its parent (single child)
    check(s.scopes.includes(level), `scope ${level} is neither a collapsed graph-scope nor a graph-cluster; shown scopes: ${s.scopes.join(', ')}`);
    const inside = opsInScope(json, level);
    const early = inside.filter((i) => s.nodes.has(i));
    check(early.length === 0, `ops [${early}] of collapsed scope ${level} already have graph nodes`);

    await page.click(`[data-testid=scope-toggle][data-scope="${level}"]`);
    await settle(page);
    s = await graphState(page);
    check(s.clusters.includes(level), `after clicking the toggle of ${level} there is no graph-cluster for it`);
    check(!s.scopes.includes(level), `${level} is still shown collapsed after expanding it`);
    // Every op inside is now either a node or inside a collapsed sub-scope; the direct ops are nodes.
    for (const i of inside) {
      const shown = s.nodes.has(i) || s.scopes.some((p) => p.startsWith(level + '/') && within(ops[i].scope, p)) ||
        s.scopes.some((p) => p.startsWith(level + '#') );   // a chunk of a very wide level
      check(shown, `op ${i} (${ops[i].name}) inside expanded ${level} is neither a node nor in a collapsed sub-scope`);
      if (ops[i].scope === level) check(s.nodes.has(i), `op ${i} (${ops[i].name}) directly in expanded ${level} has no graph node`);
    }
  }
  let s = await graphState(page);
  const missing = leafOps.filter((i) => !s.nodes.has(i));
  check(missing.length === 0, `after expanding ${leaf}, ops [${missing}] have no graph node`);
  t.log(`expanded: graph nodes [${leafOps}] present`);
  await t.screenshot('expanded');

  // Collapse the leaf: its nodes go, the collapsed scope comes back.
  await page.click(`[data-testid=scope-toggle][data-scope="${leaf}"]`);
  await settle(page);
  s = await graphState(page);
  check(!s.clusters.includes(leaf), `${leaf} is still a cluster after collapsing it`);
  check(s.scopes.includes(leaf), `${leaf} is not shown as a collapsed graph-scope after collapsing it`);
  const left = leafOps.filter((i) => s.nodes.has(i));
  check(left.length === 0, `after collapsing ${leaf}, ops [${left}] still have graph nodes`);

  // Collapse the outermost level: nothing below it stays on screen.
  await page.click(`[data-testid=scope-toggle][data-scope="${levels[0]}"]`);
  await settle(page);
  s = await graphState(page);
  const below = opsInScope(json, levels[0]).filter((i) => s.nodes.has(i));
  check(below.length === 0, `after collapsing ${levels[0]}, ops [${below.slice(0, 10)}…] still have graph nodes`);
  const inner = s.clusters.concat(s.scopes).filter((p) => p.startsWith(levels[0] + '/'));
  check(inner.length === 0, `after collapsing ${levels[0]}, scopes inside it are still drawn: ${inner.join(', ')}`);
  check(s.scopes.includes(levels[0]), `${levels[0]} is not shown collapsed`);
  t.log(`collapsed ${leaf} and ${levels[0]}: their nodes are gone`);
});
