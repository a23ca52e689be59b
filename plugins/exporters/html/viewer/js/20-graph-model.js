/* winglet report viewer — graph view, part 1 of 4: the model (pure data, no DOM).
 *
 * The graph shows the model level by level: name scopes collapse into single nodes, and a level
 * with more than MAX_CHILDREN children is split into synthetic chunks by execution order. This
 * file builds that group hierarchy, names the chunks, lifts data edges to the level where they
 * cross between siblings, tracks which groups are expanded, and sums metrics per group.
 *
 * The graph files share one namespace, WG.graphParts: `state` (the view's state, below) and one
 * entry per file (`model`, `layout`, `render`); 23-graph-view.js mounts the pane.
 */
(function () {
  'use strict';
  const WG = window.WG;
  const G = (WG.graphParts = WG.graphParts || {});

  const MAX_CHILDREN = 150;               // dagre never sees more siblings than this
  const FIRST_VIEW_NODES = 40;            // the first view opens scopes while it shows at most this many
  const MIN_CONSTANTS_GROUPED = 4;        // a level with this many Constant ops shows them as one node
  const GRAPH_METRIC_KEYS = ['latency_us', 'energy_uj', 'memory_traffic_bytes', 'macs', 'weight_bytes', 'sqnr_db', 'unit'];

  /* The state every graph file reads and writes. */
  const state = (G.state = {
    model: null,                 // {ops, groups, opGroup} from buildHierarchy
    metrics: [], metric: null,   // what nodes can be / are coloured by
    expanded: new Set(),         // group ids; the root (0) is always expanded
    boxes: new Map(),            // item key -> absolute {x, y, w, h} (top-left) of the last render
    aggCache: new Map(),         // metric key -> Float64Array per group (NaN = n/a)
    domain: null,                // colour domain {lo, hi, log} of the nodes on screen
    size: null,                  // {w, h} of the whole laid-out graph
    selectedKey: null,           // the visible node standing for the selected op
    focusGroup: 0,               // the group the breadcrumbs show when no op is selected
    zoom: { k: 1, x: 0, y: 0 },  // graph -> screen: screen = graph * k + (x, y)
    pad: null,                   // scroll padding around the svg
    canvasSize: null,            // kept current by a ResizeObserver
    fitted: false, autoFit: false, suppressClick: false,
    mm: null, mmSize: null,      // minimap transform and size
    dom: {},
    timings: null, lastRender: null, lastToggleMs: null,
  });

  /* Small numeric helpers shared by the graph files. */
  G.clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  G.r1 = (v) => Math.round(v * 10) / 10;

  /* ------------------------------------------------------------------ metrics */

  /* The metrics the graph colours by: the core's, plus the categorical 'unit'. */
  function graphMetrics() {
    const unit = { label: 'Unit', fmt: String, get: (op) => op.unit };
    return GRAPH_METRIC_KEYS.map((key) => {
      const base = Object.assign({ key }, key === 'unit' ? unit : WG.metric(key) || {});
      base.lowerIsWorse = key === 'sqnr_db';
      base.categorical = key === 'unit';
      base.label = key === 'sqnr_db' ? 'Error (SQNR, lower = worse)' : base.label;
      return base;
    });
  }

  /* ------------------------------------------------------------------ hierarchy */

  /* Groups: index 0 is the root. kind 'root' | 'scope' | 'chunk'. Items are keys: "o<i>" for an op,
     "g<id>" for a group. Every group's items are in execution order. */
  function buildHierarchy(doc) {
    const ops = doc.ops || [];
    const groups = [];
    const opGroup = new Int32Array(ops.length).fill(0);

    const newGroup = (kind, path, label, parent) => {
      const g = {
        id: groups.length, kind, path, label, parent, depth: parent < 0 ? 0 : groups[parent].depth + 1,
        items: [], firstOp: Infinity, lastOp: -1, opCount: 0, fallbacks: 0, critical: 0, units: new Map(),
        edges: new Map(), layout: null,
      };
      groups.push(g);
      return g;
    };

    // The scope node that owns each op (the deepest listing it, should a node list its subtree).
    const tree = WG.scopeTree();
    const deepest = new Array(ops.length).fill(null);
    const walk = (node) => {
      for (const i of node.ops || []) deepest[i] = node;
      for (const child of node.children.values()) walk(child);
    };
    walk(tree);

    // Mirror the scope tree into groups, children ordered by their first op.
    const firstOf = new Map();
    const first = (node) => {
      if (firstOf.has(node)) return firstOf.get(node);
      let f = Infinity;
      for (const i of node.ops || []) if (i < f) f = i;
      for (const child of node.children.values()) f = Math.min(f, first(child));
      firstOf.set(node, f);
      return f;
    };
    const mirror = (node, parentId) => {
      const g = parentId < 0 ? newGroup('root', node.path || '', doc.model && doc.model.graph_name || 'model', -1)
        : newGroup('scope', node.path, node.name, parentId);
      const entries = [];
      for (const i of node.ops || []) if (deepest[i] === node) entries.push({ first: i, key: 'o' + i });
      for (const child of node.children.values()) {
        if (first(child) === Infinity) continue;
        const cg = mirror(child, g.id);
        entries.push({ first: first(child), key: 'g' + cg.id });
      }
      entries.sort((a, b) => a.first - b.first);
      g.items = entries.map((e) => e.key);
      return g;
    };
    mirror(tree, -1);

    const setParent = (key, gid) => {
      if (key[0] === 'o') opGroup[+key.slice(1)] = gid; else groups[+key.slice(1)].parent = gid;
    };
    for (const g of groups) for (const key of g.items) setParent(key, g.id);

    // Constant nodes feed weights, not activations, so they have no edges and would fill a level
    // with a grid of boxes: a level's Constants (when there are several) become one group.
    const gatherConstants = (g) => {
      const constants = g.items.filter((key) => key[0] === 'o' && ops[+key.slice(1)].op_type === 'Constant');
      if (constants.length < MIN_CONSTANTS_GROUPED) return;
      const cg = newGroup('chunk', g.path + '#constants', '', g.id);
      cg.constants = true;
      cg.items = constants;
      for (const key of constants) setParent(key, cg.id);
      const at = g.items.indexOf(constants[0]);
      const moved = new Set(constants);
      g.items = g.items.filter((key) => !moved.has(key));
      g.items.splice(at, 0, 'g' + cg.id);
    };
    for (let k = groups.length - 1; k >= 0; k--) gatherConstants(groups[k]);

    // Split levels that are too wide into chunks of consecutive items (nested if still too wide).
    const chunk = (g) => {
      while (g.items.length > MAX_CHILDREN) {
        const nChunks = Math.ceil(g.items.length / MAX_CHILDREN);
        const size = Math.ceil(g.items.length / nChunks);
        const old = g.items;
        g.items = [];
        for (let c = 0; c * size < old.length; c++) {
          const ch = newGroup('chunk', g.path + '#' + c, '', g.id);
          ch.items = old.slice(c * size, (c + 1) * size);
          for (const key of ch.items) setParent(key, ch.id);
          g.items.push('g' + ch.id);
        }
      }
    };
    for (let k = 0; k < groups.length; k++) chunk(groups[k]);
    // Depths changed under chunks: recompute top-down (groups are created parents first).
    for (const g of groups) g.depth = g.parent < 0 ? 0 : groups[g.parent].depth + 1;

    // Per-group aggregates that don't depend on the metric.
    ops.forEach((op, i) => {
      for (let gid = opGroup[i]; gid >= 0; gid = groups[gid].parent) {
        const g = groups[gid];
        g.opCount++;
        if (i < g.firstOp) g.firstOp = i;
        if (i > g.lastOp) g.lastOp = i;
        if (op.fallback_reason) g.fallbacks++;
        if (op.critical) g.critical++;
        g.units.set(op.unit, (g.units.get(op.unit) || 0) + 1);
      }
    });
    for (const g of groups) if (g.kind === 'chunk') nameChunk(g, groups);

    return { ops, groups, opGroup };
  }

  /* A chunk is named by what it holds, so a wide level reads like its scopes: "blocks.0 … blocks.8"
     (first and last child scope, looking through nested chunks), else its op range. */
  function nameChunk(g, groups) {
    if (g.constants) {
      g.chunk = { scopes: 0, loose: g.items.length };
      g.label = g.items.length + ' constants';
      g.range = 'Constant ops ' + g.firstOp + '\u2013' + g.lastOp + ' (they feed weights: no edges)';
      return;
    }
    const scopes = [];
    let loose = 0;
    const walk = (c) => {
      for (const key of c.items) {
        if (key[0] === 'o') { loose++; continue; }
        const child = groups[+key.slice(1)];
        if (child.kind === 'chunk') walk(child); else scopes.push(child.label);
      }
    };
    walk(g);
    g.chunk = { scopes: scopes.length, loose, first: scopes[0], last: scopes[scopes.length - 1] };
    const range = 'ops ' + g.firstOp + '\u2013' + g.lastOp;
    if (!scopes.length) g.label = range;
    else if (scopes.length === 1) g.label = scopes[0];
    else g.label = tailTruncate(scopes[0], 10) + ' \u2026 ' + tailTruncate(scopes[scopes.length - 1], 10);
    g.range = range;
  }

  /* Keep the end of a long scope name: "encoder.layer.11" -> "…layer.11" (the index is what differs). */
  function tailTruncate(text, maxChars) {
    text = String(text);
    return text.length <= maxChars ? text : '\u2026' + text.slice(text.length - maxChars + 1);
  }

  /* "11 scopes + 139 ops": what an unopened chunk holds. */
  function chunkContentsText(g) {
    const c = g.chunk;
    const parts = [];
    if (c.scopes) parts.push(c.scopes + ' scope' + (c.scopes > 1 ? 's' : ''));
    if (c.loose) parts.push(WG.fmt.count(c.loose) + ' op' + (c.loose > 1 ? 's' : ''));
    return parts.join(' + ');
  }

  /* Lift every data edge to the group where its ends become distinct siblings. O(E · depth). */
  function liftEdges(model, edges) {
    const { ops, groups, opGroup } = model;
    const parentOf = (key) => (key[0] === 'o' ? opGroup[+key.slice(1)] : groups[+key.slice(1)].parent);
    const depthOf = (key) => groups[parentOf(key)].depth;
    const up = (key) => 'g' + parentOf(key);
    for (const [from, to] of edges) {
      if (from === to || from == null || to == null) continue;
      let a = 'o' + from, b = 'o' + to;
      while (depthOf(a) > depthOf(b)) a = up(a);
      while (depthOf(b) > depthOf(a)) b = up(b);
      while (parentOf(a) !== parentOf(b)) { a = up(a); b = up(b); }
      if (a === b) continue;
      const g = groups[parentOf(a)];
      const id = a + '>' + b;
      let e = g.edges.get(id);
      if (!e) { e = { from: a, to: b, count: 0, transitions: new Map() }; g.edges.set(id, e); }
      e.count++;
      const uf = ops[from].unit, ut = ops[to].unit;
      if (uf !== ut) {
        const pair = uf + '\u2192' + ut;
        e.transitions.set(pair, (e.transitions.get(pair) || 0) + 1);
      }
    }
  }

  /* ------------------------------------------------------------------ keys, ancestors, visibility */

  const groupOf = (key) => state.model.groups[+key.slice(1)];
  const isGroupKey = (key) => key[0] === 'g';
  const isExpanded = (gid) => gid === 0 || state.expanded.has(gid);

  function ancestorsOfOp(i) {
    const chain = [];
    for (let gid = state.model.opGroup[i]; gid >= 0; gid = state.model.groups[gid].parent) chain.push(gid);
    return chain.reverse();        // root first
  }

  function ancestorsOfGroup(gid) {
    const chain = [];
    for (let g = gid; g >= 0; g = state.model.groups[g].parent) chain.push(g);
    return chain.reverse();
  }

  /* The visible node standing for op i: the outermost collapsed ancestor, or the op itself. */
  function visibleKeyOfOp(i) {
    for (const gid of ancestorsOfOp(i)) if (!isExpanded(gid)) return 'g' + gid;
    return 'o' + i;
  }

  /* Layout caches (group.layout, filled by 21-graph-layout.js) of a group and its ancestors are
     stale once anything inside changes. */
  function invalidateLayouts(gid) {
    for (let g = gid; g >= 0; g = state.model.groups[g].parent) state.model.groups[g].layout = null;
  }

  function setExpanded(gid, open) {
    if (gid === 0 || isExpanded(gid) === open) return false;
    if (open) state.expanded.add(gid); else state.expanded.delete(gid);
    invalidateLayouts(gid);
    return true;
  }

  /* Open levels that are a single scope so the screen shows several nodes. At the top, also open
     a scope that holds almost the whole model next to one or two stragglers (e.g. "/model" + "/lm_head"). */
  function autoOpen(gid) {
    let g = state.model.groups[gid];
    for (;;) {
      const groupsHere = g.items.filter(isGroupKey).map(groupOf);
      const big = groupsHere.find((c) => c.opCount > 0.8 * g.opCount);
      const open = g.items.length === 1 && groupsHere.length === 1 ? groupsHere[0]
        : gid === 0 && g.items.length <= 3 && big ? big : null;
      if (!open) return;
      setExpanded(open.id, true);
      g = open;
    }
  }

  /* Leaves on screen: ops and collapsed groups inside expanded levels. */
  function onScreen() {
    const leaves = [];
    const walk = (g) => {
      for (const key of g.items) {
        if (isGroupKey(key) && isExpanded(+key.slice(1))) walk(groupOf(key)); else leaves.push(key);
      }
    };
    walk(state.model.groups[0]);
    return leaves;
  }

  /* Items a group shows once opened, autoOpen following its single-scope levels. */
  function openedSize(g) {
    while (g.items.length === 1 && isGroupKey(g.items[0])) g = groupOf(g.items[0]);
    return g.items.length;
  }

  /* First view: open the largest collapsed scope again and again while the screen keeps at most
     FIRST_VIEW_NODES nodes, so a model shows real structure rather than one "features" box.
     A scope opens on its own when it dominates its level (twice its largest sibling); comparable
     siblings (repeated blocks) open together or not at all, so a level is shown evenly. */
  function openFirstView() {
    autoOpen(0);
    let leaves = onScreen();
    for (;;) {
      const collapsed = leaves.filter(isGroupKey).map(groupOf);
      if (!collapsed.length) return;
      const largest = collapsed.reduce((a, b) => (b.opCount > a.opCount ? b : a));
      const siblings = collapsed.filter((g) => g.parent === largest.parent);
      const runnerUp = siblings.reduce((n, g) => (g === largest ? n : Math.max(n, g.opCount)), 0);
      const batch = largest.opCount >= 2 * runnerUp ? [largest] : siblings;
      const grow = batch.reduce((n, g) => n + openedSize(g) - 1, 0);
      if (grow <= 0 || leaves.length + grow > FIRST_VIEW_NODES) return;
      for (const g of batch) { setExpanded(g.id, true); autoOpen(g.id); }
      leaves = onScreen();
    }
  }

  function collapseBelow(gid) {
    for (const other of Array.from(state.expanded)) {
      if (other !== gid && ancestorsOfGroup(other).includes(gid)) setExpanded(other, false);
    }
    if (gid === 0) autoOpen(0);
  }

  /* ------------------------------------------------------------------ aggregates */

  /* Per group: the sum of the metric over its ops (the minimum for lower-is-worse metrics). */
  function aggregate(metric) {
    if (state.aggCache.has(metric.key)) return state.aggCache.get(metric.key);
    const { ops, groups, opGroup } = state.model;
    const agg = new Float64Array(groups.length).fill(NaN);
    const worst = metric.lowerIsWorse;
    if (!metric.categorical) {
      ops.forEach((op, i) => {
        const v = metric.get(op);
        if (v == null || !isFinite(v)) return;
        for (let gid = opGroup[i]; gid >= 0; gid = groups[gid].parent) {
          const cur = agg[gid];
          agg[gid] = Number.isNaN(cur) ? v : worst ? Math.min(cur, v) : cur + v;
        }
      });
    }
    state.aggCache.set(metric.key, agg);
    return agg;
  }

  /* The current metric's value of an op or group key; null = n/a. */
  function valueOf(key) {
    const m = state.metric;
    if (isGroupKey(key)) {
      const v = aggregate(m)[+key.slice(1)];
      return Number.isNaN(v) ? null : v;
    }
    const v = m.get(state.model.ops[+key.slice(1)]);
    return v == null || !isFinite(v) ? null : v;
  }

  function dominantUnit(g) {
    let best = null, n = -1;
    for (const [unit, count] of g.units) if (count > n) { best = unit; n = count; }
    return best;
  }

  G.model = {
    graphMetrics, buildHierarchy, liftEdges, chunkContentsText,
    groupOf, isGroupKey, isExpanded, ancestorsOfOp, ancestorsOfGroup, visibleKeyOfOp,
    setExpanded, autoOpen, openFirstView, collapseBelow,
    valueOf, dominantUnit,
  };
})();
