/* winglet report viewer — graph view (#graph-pane).
 *
 * The model is shown level by level: name scopes collapse into single nodes, and only expanded
 * levels are laid out. Layout is nested: every expanded group (scope, or synthetic chunk of a scope
 * with too many children) is laid out on its own with dagre, and its box becomes one node of its
 * parent's layout. Layouts are cached per group, so expanding a scope costs one dagre run for it
 * plus one per ancestor, each over at most MAX_CHILDREN nodes. Data edges are lifted once, at load,
 * to the level where they cross between siblings (the lowest common ancestor group).
 */
(function () {
  'use strict';
  const WG = window.WG;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  const MAX_CHILDREN = 150;               // dagre never sees more siblings than this
  const FIRST_VIEW_NODES = 40;            // the first view opens scopes while it shows at most this many
  const OP_W = 164, OP_H = 44;
  const SCOPE_W = 204, SCOPE_H = 54;
  const HEADER_H = 30;                    // cluster title bar
  const MIN_ZOOM = 0.03, MAX_ZOOM = 3;
  // dagre's cost grows with the ranks long edges cross (one dummy node per rank). Past this budget,
  // edges spanning more than LONG_SPAN ranks are not routed but drawn as labelled stubs.
  const DUMMY_BUDGET = 160, LONG_SPAN = 4;
  const NA_FILL = '#e4e4e4';
  const GRAPH_METRIC_KEYS = ['latency_us', 'energy_uj', 'memory_traffic_bytes', 'macs', 'weight_bytes', 'sqnr_db', 'unit'];

  /* ------------------------------------------------------------------ small helpers */

  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));
  const r1 = (v) => Math.round(v * 10) / 10;

  function truncate(text, maxChars) {
    text = String(text);
    return text.length <= maxChars ? text : text.slice(0, maxChars - 1) + '\u2026';
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text != null) node.textContent = text;
    return node;
  }

  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const k in attrs || {}) node.setAttribute(k, attrs[k]);
    return node;
  }

  /* Dark fills need light text: relative luminance of "#rrggbb" or "rgb(r, g, b)". */
  function isDark(css) {
    let rgb = null;
    const hex = /^#([0-9a-f]{6})$/i.exec(css);
    if (hex) rgb = [0, 2, 4].map((k) => parseInt(hex[1].slice(k, k + 2), 16));
    const fn = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(css);
    if (fn) rgb = [+fn[1], +fn[2], +fn[3]];
    if (!rgb) return false;
    const lin = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.2); });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2] < 0.22;
  }

  function fmtCount(n) { return WG.fmt && WG.fmt.count ? WG.fmt.count(n) : String(n); }

  /* ------------------------------------------------------------------ metrics */

  function graphMetrics() {
    const known = new Map((WG.metrics || []).map((m) => [m.key, m]));
    const fallback = {
      latency_us: { label: 'Latency', fmt: WG.fmt.us, get: (op) => op.latency_us },
      energy_uj: { label: 'Energy', fmt: WG.fmt.uj, get: (op) => op.energy_uj },
      memory_traffic_bytes: { label: 'Memory traffic', fmt: WG.fmt.bytes, get: (op) => op.memory_traffic_bytes },
      macs: { label: 'MACs', fmt: WG.fmt.count, get: (op) => op.macs },
      weight_bytes: { label: 'Weight bytes', fmt: WG.fmt.bytes, get: (op) => op.weight_bytes },
      sqnr_db: { label: 'Error (SQNR)', fmt: WG.fmt.db, get: (op) => (op.compression ? op.compression.sqnr_db : null) },
      unit: { label: 'Unit', fmt: String, get: (op) => op.unit },
    };
    return GRAPH_METRIC_KEYS.map((key) => {
      const base = Object.assign({ key }, fallback[key], known.get(key) || {});
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
    if (c.loose) parts.push(fmtCount(c.loose) + ' op' + (c.loose > 1 ? 's' : ''));
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

  /* ------------------------------------------------------------------ the view */

  const view = {
    model: null, metrics: [], metric: null,
    expanded: new Set(),         // group ids; the root (0) is always expanded
    boxes: new Map(),            // item key -> absolute {x, y, w, h} (top-left) of the last render
    aggCache: new Map(),         // metric key -> Float64Array per group (NaN = n/a)
    domain: null,
    zoom: { k: 1, x: 0, y: 0 },
    fitted: false, focusGroup: 0,
    dom: {},
  };

  const groupOf = (key) => view.model.groups[+key.slice(1)];
  const isGroupKey = (key) => key[0] === 'g';
  const isExpanded = (gid) => gid === 0 || view.expanded.has(gid);

  function ancestorsOfOp(i) {
    const chain = [];
    for (let gid = view.model.opGroup[i]; gid >= 0; gid = view.model.groups[gid].parent) chain.push(gid);
    return chain.reverse();        // root first
  }

  function ancestorsOfGroup(gid) {
    const chain = [];
    for (let g = gid; g >= 0; g = view.model.groups[g].parent) chain.push(g);
    return chain.reverse();
  }

  /* The visible node standing for op i: the outermost collapsed ancestor, or the op itself. */
  function visibleKeyOfOp(i) {
    for (const gid of ancestorsOfOp(i)) if (!isExpanded(gid)) return 'g' + gid;
    return 'o' + i;
  }

  /* Layout caches of a group and its ancestors are stale once anything inside changes. */
  function invalidate(gid) {
    for (let g = gid; g >= 0; g = view.model.groups[g].parent) view.model.groups[g].layout = null;
  }

  function setExpanded(gid, open) {
    if (gid === 0 || isExpanded(gid) === open) return false;
    if (open) view.expanded.add(gid); else view.expanded.delete(gid);
    invalidate(gid);
    return true;
  }

  /* Open levels that are a single scope so the screen shows several nodes. At the top, also open
     a scope that holds almost the whole model next to one or two stragglers (e.g. "/model" + "/lm_head"). */
  function autoOpen(gid) {
    let g = view.model.groups[gid];
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
    walk(view.model.groups[0]);
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
    for (const other of Array.from(view.expanded)) {
      if (other !== gid && ancestorsOfGroup(other).includes(gid)) setExpanded(other, false);
    }
    if (gid === 0) autoOpen(0);
  }

  /* ---------------------------------------------------------------- aggregation + colour */

  function aggregate(metric) {
    if (view.aggCache.has(metric.key)) return view.aggCache.get(metric.key);
    const { ops, groups, opGroup } = view.model;
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
    view.aggCache.set(metric.key, agg);
    return agg;
  }

  function valueOf(key) {
    const m = view.metric;
    if (isGroupKey(key)) {
      const v = aggregate(m)[+key.slice(1)];
      return Number.isNaN(v) ? null : v;
    }
    const v = m.get(view.model.ops[+key.slice(1)]);
    return v == null || !isFinite(v) ? null : v;
  }

  function dominantUnit(g) {
    let best = null, n = -1;
    for (const [unit, count] of g.units) if (count > n) { best = unit; n = count; }
    return best;
  }

  /* Colour domain over the nodes on screen: each level shows its own hot spots. Log scale when the
     values span more than two decades (latency, MACs and bytes usually do). */
  function computeDomain(visibleKeys) {
    const m = view.metric;
    if (m.categorical) { view.domain = null; return; }
    let lo = Infinity, hi = -Infinity, loPos = Infinity;
    for (const key of visibleKeys) {
      const v = valueOf(key);
      if (v == null) continue;
      lo = Math.min(lo, v); hi = Math.max(hi, v);
      if (v > 0) loPos = Math.min(loPos, v);
    }
    if (lo === Infinity) { view.domain = null; return; }
    const log = !m.lowerIsWorse && loPos !== Infinity && hi / loPos > 100;
    view.domain = { lo: log ? loPos : lo, hi, log };
  }

  function scaleT(v) {
    const d = view.domain;
    if (!d || v == null) return null;
    let t;
    if (d.hi <= d.lo) t = 1;
    else if (d.log) t = v <= 0 ? 0 : (Math.log(v) - Math.log(d.lo)) / (Math.log(d.hi) - Math.log(d.lo));
    else t = (v - d.lo) / (d.hi - d.lo);
    t = clamp(t, 0, 1);
    return view.metric.lowerIsWorse ? 1 - t : t;     // the "bad" end is always the bright end
  }

  function fillOf(key) {
    if (view.metric.categorical) {
      const unit = isGroupKey(key) ? dominantUnit(groupOf(key)) : view.model.ops[+key.slice(1)].unit;
      return unit == null ? NA_FILL : WG.unitColor(unit);
    }
    const t = scaleT(valueOf(key));
    return t == null ? NA_FILL : WG.colorScale(t);
  }

  function valueText(key) {
    const m = view.metric;
    if (m.categorical) {
      if (!isGroupKey(key)) return String(view.model.ops[+key.slice(1)].unit);
      const units = groupOf(key).units;
      return units.size === 1 ? String(dominantUnit(groupOf(key))) : units.size + ' units';
    }
    const v = valueOf(key);
    if (v == null) return m.lowerIsWorse ? 'exact' : 'n/a';
    return m.fmt(v);
  }

  /* ---------------------------------------------------------------- layout */

  function itemSize(key) {
    if (!isGroupKey(key)) return { w: OP_W, h: OP_H };
    const g = groupOf(key);
    if (!isExpanded(g.id)) return { w: SCOPE_W, h: SCOPE_H };
    const lay = ensureLayout(g);
    return { w: lay.boxW, h: lay.boxH };
  }

  function transitionLabel(e) {
    if (!e.transitions.size) return null;
    if (e.transitions.size === 1) {
      const [pair, n] = e.transitions.entries().next().value;
      return n > 1 ? pair + ' \u00d7' + n : pair;
    }
    let n = 0;
    for (const c of e.transitions.values()) n += c;
    return n + ' unit transitions';
  }

  /* Estimated rank of every item: longest path in execution order (data edges run forwards in
     execution order, so this is a topological order; the rare backward lifted edge is ignored). */
  function estimateRanks(g) {
    const order = new Map(g.items.map((key, k) => [key, k]));
    const rank = new Int32Array(g.items.length);
    const byFrom = g.items.map(() => []);
    for (const e of g.edges.values()) byFrom[order.get(e.from)].push(order.get(e.to));
    for (let k = 0; k < g.items.length; k++) {
      for (const w of byFrom[k]) if (w > k && rank[w] < rank[k] + 1) rank[w] = rank[k] + 1;
    }
    return (key) => rank[order.get(key)];
  }

  /* Split the level's edges into those dagre routes and long-range ones drawn as stubs. */
  function splitEdges(g) {
    const all = Array.from(g.edges.values());
    const rankOf = estimateRanks(g);
    const span = (e) => Math.abs(rankOf(e.to) - rankOf(e.from));
    let dummies = 0;
    for (const e of all) dummies += Math.max(0, span(e) - 1);
    if (dummies <= DUMMY_BUDGET) return { routed: all, detached: [] };
    const routed = [], detached = [];
    for (const e of all) (span(e) > LONG_SPAN ? detached : routed).push(e);
    // Still too many: drop the longest of the rest.
    routed.sort((a, b) => span(a) - span(b));
    dummies = 0;
    for (const e of routed) dummies += Math.max(0, span(e) - 1);
    while (dummies > DUMMY_BUDGET && routed.length) {
      const e = routed.pop();
      dummies -= Math.max(0, span(e) - 1);
      detached.push(e);
    }
    return { routed, detached };
  }

  /* dagre layout of the items joined by routed edges; centres relative to the layout's top-left. */
  function layoutLinked(keys, routed) {
    const pos = new Map();
    if (!keys.length) return { w: 0, h: 0, pos, edges: [] };
    const dg = new dagre.graphlib.Graph({ multigraph: false, compound: false });
    dg.setGraph({ rankdir: 'TB', nodesep: 22, ranksep: 34, edgesep: 10, marginx: 14, marginy: 14 });
    dg.setDefaultEdgeLabel(() => ({}));
    for (const key of keys) {
      const s = itemSize(key);
      dg.setNode(key, { width: s.w, height: s.h });
    }
    for (const e of routed) {
      const label = transitionLabel(e);
      dg.setEdge(e.from, e.to, label ? { width: label.length * 6.2 + 10, height: 16, labelpos: 'c' } : {});
    }
    dagre.layout(dg);
    for (const key of keys) {
      const n = dg.node(key);
      pos.set(key, { x: n.x, y: n.y, w: n.width, h: n.height });
    }
    const edges = [];
    for (const e of routed) {
      const de = dg.edge(e.from, e.to);
      if (de && de.points) edges.push({ e, points: de.points, label: transitionLabel(e), lx: de.x, ly: de.y });
    }
    return { w: dg.graph().width || 0, h: dg.graph().height || 0, pos, edges };
  }

  /* Items with no edge at this level (constants, shape ops, ...) would all share dagre's first
     rank as one very wide row; flow them into a compact grid instead. */
  function layoutLoose(keys, minWidth) {
    const pos = new Map();
    if (!keys.length) return { w: 0, h: 0, pos };
    const gap = 16, margin = 14;
    const sizes = keys.map(itemSize);
    const cell = sizes.reduce((a, s) => a + s.w, 0) / sizes.length + gap;
    const cols = Math.max(Math.ceil(Math.sqrt(keys.length * 1.6)), Math.min(10, Math.floor((minWidth - 2 * margin) / cell)));
    const rowLimit = Math.max(cols * cell, ...sizes.map((s) => s.w + gap));
    let x = 0, y = 0, rowH = 0, w = 0;
    keys.forEach((key, k) => {
      const s = sizes[k];
      if (x > 0 && x + s.w > rowLimit) { x = 0; y += rowH + gap; rowH = 0; }
      pos.set(key, { x: margin + x + s.w / 2, y: margin + y + s.h / 2, w: s.w, h: s.h });
      x += s.w + gap;
      w = Math.max(w, x - gap);
      rowH = Math.max(rowH, s.h);
    });
    return { w: w + 2 * margin, h: y + rowH + 2 * margin, pos };
  }

  /* Lay out one expanded level: loose items in a grid on top, the connected part below. */
  function ensureLayout(g) {
    if (g.layout) return g.layout;
    const { routed, detached } = splitEdges(g);
    const linkedSet = new Set();
    for (const e of routed) { linkedSet.add(e.from); linkedSet.add(e.to); }
    const linked = layoutLinked(g.items.filter((k) => linkedSet.has(k)), routed);
    const loose = layoutLoose(g.items.filter((k) => !linkedSet.has(k)), linked.w);
    const innerW = Math.max(linked.w, loose.w);
    const innerH = loose.h + linked.h - (loose.h && linked.h ? 14 : 0);
    const isRoot = g.id === 0;
    const headerW = Math.min(420, 90 + (g.label.length + 24) * 6.5);
    const boxW = isRoot ? innerW : Math.max(innerW, headerW);
    const boxH = isRoot ? innerH : innerH + HEADER_H;
    const top = isRoot ? 0 : HEADER_H;
    const pos = new Map();
    const place = (part, dy) => {
      const dx = (boxW - part.w) / 2;
      for (const [key, p] of part.pos) pos.set(key, { x: p.x + dx, y: p.y + dy, w: p.w, h: p.h });
      return dx;
    };
    place(loose, top);
    const linkedTop = top + (loose.h ? loose.h - 14 : 0);
    const dx = place(linked, linkedTop);
    const edges = linked.edges.map((le) => Object.assign(le, {
      points: le.points.map((p) => ({ x: p.x + dx, y: p.y + linkedTop })),
      lx: le.lx != null ? le.lx + dx : null, ly: le.ly != null ? le.ly + linkedTop : null,
    }));
    g.layout = { boxW, boxH, pos, edges, detached };
    return g.layout;
  }

  /* ---------------------------------------------------------------- rendering */

  function edgePath(points) {
    if (points.length < 3) return 'M' + points.map((p) => r1(p.x) + ',' + r1(p.y)).join('L');
    let d = 'M' + r1(points[0].x) + ',' + r1(points[0].y);
    for (let k = 1; k < points.length - 1; k++) {
      const p = points[k], q = points[k + 1];
      const mx = k === points.length - 2 ? q.x : (p.x + q.x) / 2;
      const my = k === points.length - 2 ? q.y : (p.y + q.y) / 2;
      d += 'Q' + r1(p.x) + ',' + r1(p.y) + ' ' + r1(mx) + ',' + r1(my);
    }
    return d;
  }

  function opTitle(i) {
    const op = view.model.ops[i];
    const lines = [op.name, op.op_type + ' on ' + op.unit, view.metric.label + ': ' + valueText('o' + i)];
    if (op.critical) lines.push('on the critical path');
    if (op.fallback_reason) lines.push('fallback: ' + op.fallback_reason);
    return lines.join('\n');
  }

  function groupTitle(g) {
    const lines = [g.kind === 'chunk' ? groupPathLabel(g) : g.path || '/', fmtCount(g.opCount) + ' ops',
      view.metric.label + ': ' + valueText('g' + g.id)];
    if (g.kind === 'chunk') {
      const c = g.chunk;
      lines.splice(1, 0, 'part of a wide level, by execution order: ' + g.range,
        (c.scopes ? 'holds ' + chunkContentsText(g) + (c.scopes > 1 ? ' (' + c.first + ' \u2026 ' + c.last + ')' : '') : 'holds ' + chunkContentsText(g)));
    }
    if (g.units.size > 1) lines.push('units: ' + Array.from(g.units.entries()).map(([u, n]) => u + ' ' + n).join(', '));
    if (g.critical) lines.push(g.critical + ' on the critical path');
    if (g.fallbacks) lines.push(g.fallbacks + ' fallback op' + (g.fallbacks > 1 ? 's' : ''));
    return lines.join('\n');
  }

  function groupPathLabel(g) {
    return ancestorsOfGroup(g.id).slice(1).map((gid) => view.model.groups[gid].label).join(' / ');
  }

  function shortOpName(op) {
    let name = op.name || '';
    if (op.scope && name.startsWith(op.scope + '/')) name = name.slice(op.scope.length + 1);
    else if (name.includes('/')) name = name.slice(name.lastIndexOf('/') + 1);
    return name || op.op_type;
  }

  function toggleSvg(g, x, y, open) {
    return '<g class="wg-g-toggle" data-testid="scope-toggle" data-scope="' + esc(g.path) + '" role="button" tabindex="0"'
      + ' aria-expanded="' + open + '" aria-label="' + (open ? 'Collapse ' : 'Expand ') + esc(g.label) + '"'
      + ' transform="translate(' + r1(x) + ',' + r1(y) + ')"><rect width="18" height="18" rx="4"/>'
      + '<path d="' + (open ? 'M5 9h8' : 'M5 9h8M9 5v8') + '"/></g>';
  }

  function unitBar(g, x, y, w) {
    if (!view.metric.categorical || g.units.size < 2) return '';
    let out = '', cx = x;
    for (const [unit, n] of g.units) {
      const uw = (w * n) / g.opCount;
      out += '<rect class="wg-g-unitbar" x="' + r1(cx) + '" y="' + y + '" width="' + r1(uw) + '" height="5" fill="' + WG.unitColor(unit) + '"/>';
      cx += uw;
    }
    return out;
  }

  function renderOp(i, b, out) {
    const op = view.model.ops[i];
    const key = 'o' + i;
    const fill = fillOf(key);
    const value = valueText(key);
    const cls = ['wg-g-node', 'wg-g-op'];
    if (isDark(fill)) cls.push('dark');
    if (op.fallback_reason) cls.push('fallback');
    if (op.critical) cls.push('critical');
    if (view.selectedKey === key) cls.push('selected');
    out.nodes.push('<g class="' + cls.join(' ') + '" data-testid="graph-node" data-op-index="' + i + '" transform="translate('
      + r1(b.x) + ',' + r1(b.y) + ')"><title>' + esc(opTitle(i)) + '</title>'
      + '<rect class="wg-g-body" width="' + b.w + '" height="' + b.h + '" rx="7" style="fill:' + fill + '"/>'
      + '<text class="wg-g-t1" x="9" y="17">' + esc(truncate(op.op_type, Math.floor((b.w - 26 - value.length * 6) / 7.4))) + '</text>'
      + '<text class="wg-g-val" x="' + (b.w - 8) + '" y="17" text-anchor="end">' + esc(value) + '</text>'
      + '<text class="wg-g-t2" x="9" y="34">' + (op.fallback_reason ? '\u26a0 ' : '') + esc(truncate(shortOpName(op), 25)) + '</text>'
      + '</g>');
  }

  function renderCollapsed(g, b, out) {
    const key = 'g' + g.id;
    const fill = fillOf(key);
    const cls = ['wg-g-node', 'wg-g-scope'];
    if (isDark(fill)) cls.push('dark');
    if (g.fallbacks) cls.push('has-fallback');
    if (g.critical) cls.push('critical');
    if (view.selectedKey === key) cls.push('contains-selected');
    const value = valueText(key);
    // "N ops · ⚠ K fallback", shortened to "⚠ K" when the value leaves too little room.
    const room = Math.floor((b.w - 24 - value.length * 6) / 5.9);
    const ops = fmtCount(g.opCount) + ' ops';
    const fb = g.fallbacks ? ' \u00b7 \u26a0 ' + fmtCount(g.fallbacks) : '';
    const full = (ops + fb + ' fallback').length <= room || !fb ? ops + fb + (fb ? ' fallback' : '') : ops + fb;
    // A chunk says what it holds ("11 scopes + 139 ops"); the op total and fallbacks are in its tooltip.
    const chunkText = g.kind === 'chunk' && g.chunk.scopes ? chunkContentsText(g) : null;
    const extraText = truncate(chunkText && chunkText.length <= room ? chunkText : full, room);
    out.nodes.push('<g class="' + cls.join(' ') + '" data-testid="graph-scope" data-scope="' + esc(g.path) + '" data-group="' + g.id
      + '" transform="translate(' + r1(b.x) + ',' + r1(b.y) + ')"><title>' + esc(groupTitle(g)) + '</title>'
      + '<rect class="wg-g-stack" x="5" y="5" width="' + b.w + '" height="' + b.h + '" rx="8"/>'
      + '<rect class="wg-g-body" width="' + b.w + '" height="' + b.h + '" rx="8" style="fill:' + fill + '"/>'
      + toggleSvg(g, 7, 8, false)
      + '<text class="wg-g-t1" x="31" y="21">' + esc(truncate(g.label, 21)) + '</text>'
      + '<text class="wg-g-val" x="' + (b.w - 8) + '" y="41" text-anchor="end">' + esc(value) + '</text>'
      + '<text class="wg-g-t2" x="9" y="41">' + esc(extraText) + '</text>'
      + unitBar(g, 0, b.h - 5, b.w)
      + '</g>');
  }

  function renderCluster(g, b, out) {
    const key = 'g' + g.id;
    const cls = ['wg-g-cluster', 'depth-' + Math.min(g.depth, 6)];
    if (g.kind === 'chunk') cls.push('chunk');
    const summary = fmtCount(g.opCount) + ' ops \u00b7 ' + valueText(key) + (g.fallbacks ? ' \u00b7 \u26a0 ' + g.fallbacks : '');
    out.clusters.push('<g class="' + cls.join(' ') + '" data-testid="graph-cluster" data-scope="' + esc(g.path) + '" data-group="' + g.id
      + '" transform="translate(' + r1(b.x) + ',' + r1(b.y) + ')"><title>' + esc(groupTitle(g)) + '</title>'
      + '<rect class="wg-g-cbody" width="' + r1(b.w) + '" height="' + r1(b.h) + '" rx="10"/>'
      + '<path class="wg-g-chead" d="M0,10a10,10 0 0 1 10,-10h' + r1(b.w - 20) + 'a10,10 0 0 1 10,10v' + (HEADER_H - 10) + 'h' + r1(-b.w) + 'z"/>'
      + '<rect class="wg-g-cswatch" x="' + r1(b.w - 12) + '" y="8" width="6" height="14" rx="2" style="fill:' + fillOf(key) + '"/>'
      + toggleSvg(g, 7, 6, true)
      + '<text class="wg-g-ctitle" x="31" y="19">' + esc(truncate(g.label, 40)) + '<tspan class="wg-g-csum" dx="10">'
      + esc(summary) + '</tspan></text></g>');
  }

  function renderEdges(g, ox, oy, out) {
    for (const le of g.layout.edges) {
      const pts = le.points.map((p) => ({ x: p.x + ox, y: p.y + oy }));
      const cross = le.e.transitions.size > 0;
      const width = cross ? 2.4 : Math.min(4, 1.2 + Math.log2(le.e.count) * 0.6);
      out.edges.push('<path class="wg-g-edge' + (cross ? ' xunit' : '') + '" d="' + edgePath(pts) + '" style="stroke-width:'
        + r1(width) + '" marker-end="url(#wg-arrow' + (cross ? '-x' : '') + ')"/>');
      if (le.label && le.lx != null) {
        const w = le.label.length * 6.2 + 10;
        out.labels.push('<g class="wg-g-elabel" transform="translate(' + r1(le.lx + ox - w / 2) + ',' + r1(le.ly + oy - 8) + ')">'
          + '<title>' + esc(le.e.count + ' edge(s); unit transitions: ' + Array.from(le.e.transitions.keys()).join(', ')) + '</title>'
          + '<rect width="' + r1(w) + '" height="16" rx="8"/><text x="' + r1(w / 2) + '" y="12" text-anchor="middle">'
          + esc(le.label) + '</text></g>');
      }
    }
  }

  function itemLabel(key) {
    if (isGroupKey(key)) return groupOf(key).label;
    const op = view.model.ops[+key.slice(1)];
    return shortOpName(op);
  }

  /* Long-range edges that were not routed: a pill above the target naming the source(s), and a
     count under the source. Both carry the full list in their tooltip. */
  function renderDetached(g, ox, oy, out) {
    const lay = g.layout;
    if (!lay.detached.length) return;
    const into = new Map(), outOf = new Map();
    for (const e of lay.detached) {
      if (!into.has(e.to)) into.set(e.to, []);
      into.get(e.to).push(e);
      if (!outOf.has(e.from)) outOf.set(e.from, []);
      outOf.get(e.from).push(e);
    }
    const pill = (x, y, text, title, cross) => {
      const w = text.length * 6 + 12;
      return '<g class="wg-g-stub' + (cross ? ' xunit' : '') + '" transform="translate(' + r1(x) + ',' + r1(y) + ')"><title>' + esc(title)
        + '</title><rect width="' + r1(w) + '" height="15" rx="7.5"/><text x="6" y="11">' + esc(text) + '</text></g>';
    };
    for (const [to, list] of into) {
      const p = lay.pos.get(to);
      const text = list.length === 1 ? '← ' + truncate(itemLabel(list[0].from), 18) : '← ' + list.length + ' inputs';
      const title = 'Long-range input' + (list.length > 1 ? 's' : '') + ' (not drawn):\n'
        + list.map((e) => itemLabel(e.from) + (e.transitions.size ? '  [' + Array.from(e.transitions.keys()).join(', ') + ']' : '')).join('\n');
      out.labels.push(pill(ox + p.x - p.w / 2 + 4, oy + p.y - p.h / 2 - 17, text, title, list.some((e) => e.transitions.size)));
    }
    for (const [from, list] of outOf) {
      const p = lay.pos.get(from);
      const text = '→ ' + list.length + ' more';
      const title = 'Long-range output' + (list.length > 1 ? 's' : '') + ' (not drawn) to:\n' + list.map((e) => itemLabel(e.to)).join('\n');
      out.labels.push(pill(ox + p.x + p.w / 2 - text.length * 6 - 16, oy + p.y + p.h / 2 + 3, text, title, list.some((e) => e.transitions.size)));
    }
  }

  /* Walk the expanded levels, placing every visible item at absolute coordinates. */
  function renderGroup(g, ox, oy, out) {
    const lay = ensureLayout(g);
    renderEdges(g, ox, oy, out);
    renderDetached(g, ox, oy, out);
    for (const key of g.items) {
      const p = lay.pos.get(key);
      const b = { x: ox + p.x - p.w / 2, y: oy + p.y - p.h / 2, w: p.w, h: p.h };
      view.boxes.set(key, b);
      out.visible.push(key);
      if (!isGroupKey(key)) { out.ops.push([+key.slice(1), b]); continue; }
      const child = groupOf(key);
      if (isExpanded(child.id)) {
        out.clusterList.push([child, b]);
        renderGroup(child, b.x, b.y, out);
      } else {
        out.collapsed.push([child, b]);
      }
    }
  }

  function render() {
    const t0 = performance.now();
    const root = view.model.groups[0];
    const out = { nodes: [], clusters: [], edges: [], labels: [], ops: [], collapsed: [], clusterList: [], visible: [] };
    view.boxes = new Map();
    renderGroup(root, 0, 0, out);
    const t1 = performance.now();
    // The colour domain covers the leaves on screen (ops and collapsed groups), not clusters.
    computeDomain(out.visible.filter((key) => !(isGroupKey(key) && isExpanded(+key.slice(1)))));
    for (const [g, b] of out.clusterList) renderCluster(g, b, out);
    for (const [i, b] of out.ops) renderOp(i, b, out);
    for (const [g, b] of out.collapsed) renderCollapsed(g, b, out);
    view.dom.viewport.innerHTML = '<g class="wg-g-clusters">' + out.clusters.join('') + '</g><g class="wg-g-edges">'
      + out.edges.join('') + '</g><g class="wg-g-nodes">' + out.nodes.join('') + '</g><g class="wg-g-elabels">' + out.labels.join('') + '</g>';
    view.size = { w: ensureLayout(root).boxW, h: ensureLayout(root).boxH };
    view.lastRender = { layoutMs: t1 - t0, totalMs: performance.now() - t0, visible: out.visible.length };
    renderMinimap(out);
    renderLegend();
    renderBreadcrumbs();
  }

  /* ---------------------------------------------------------------- zoom / pan */

  /* view.zoom maps graph to screen: screen = graph * k + (x, y). Panning is native scrolling of an
     svg padded by one canvas size on every side, so scrollIntoView (keyboard focus, automation)
     reaches any node; zoom is the viewport's scale. */
  function applyZoom() {
    const z = view.zoom, sc = view.dom.scroller, svg = view.dom.svg;
    const c = canvasSize();
    if (!c.w || !c.h) return;      // hidden (another tab): keep the view for when it shows again
    const size = view.size || { w: 0, h: 0 };
    const pad = { x: Math.max(1, Math.round(c.w)), y: Math.max(1, Math.round(c.h)) };
    svg.style.width = Math.ceil(size.w * z.k + 2 * pad.x) + 'px';
    svg.style.height = Math.ceil(size.h * z.k + 2 * pad.y) + 'px';
    view.dom.viewport.setAttribute('transform', 'translate(' + pad.x + ',' + pad.y + ') scale(' + z.k.toFixed(4) + ')');
    view.pad = pad;
    sc.scrollLeft = pad.x - z.x;
    sc.scrollTop = pad.y - z.y;
    syncFromScroll();
  }

  /* The browser clamps scrolling (and may scroll on its own): read the pan back from it. */
  function syncFromScroll() {
    const sc = view.dom.scroller;
    if (!view.pad || !sc.clientWidth) return;
    view.zoom.x = view.pad.x - sc.scrollLeft;
    view.zoom.y = view.pad.y - sc.scrollTop;
    updateMinimapViewport();
  }

  /* Cached (kept current by a ResizeObserver) so that zooming after a re-render doesn't force an
     extra synchronous layout of the new SVG. */
  function canvasSize() {
    if (view.canvasSize && view.canvasSize.w) return view.canvasSize;
    const sc = view.dom.scroller;
    return { w: sc.clientWidth, h: sc.clientHeight };
  }

  function zoomAt(factor, px, py) {
    const z = view.zoom;
    view.autoFit = false;
    const k = clamp(z.k * factor, MIN_ZOOM, MAX_ZOOM);
    z.x = px - ((px - z.x) * k) / z.k;
    z.y = py - ((py - z.y) * k) / z.k;
    z.k = k;
    applyZoom();
  }

  function fitBox(b, maxK) {
    const c = canvasSize();
    view.autoFit = false;
    if (!c.w || !c.h || !b.w || !b.h) return false;
    view.zoom = placeAvoidingMinimap(b, c, maxK);
    applyZoom();
    return true;
  }

  /* Centre box b in the canvas; if the minimap (bottom-right) would then cover part of it, fit it
     into the strip left of or above the minimap instead, whichever keeps the larger zoom, unless
     that costs more than a third of the zoom. */
  function placeAvoidingMinimap(b, c, maxK) {
    const at = (k, w, h) => ({ k, x: w / 2 - (b.x + b.w / 2) * k, y: h / 2 - (b.y + b.h / 2) * k });
    const kFit = (w, h) => clamp(Math.min((w - 32) / b.w, (h - 32) / b.h), MIN_ZOOM, maxK);
    const whole = at(kFit(c.w, c.h), c.w, c.h);
    const mm = view.dom.minimap ? minimapSize() : null;
    if (!mm) return whole;
    const mmLeft = c.w - mm.W - 8, mmTop = c.h - mm.H - 8;
    const right = (b.x + b.w) * whole.k + whole.x, bottom = (b.y + b.h) * whole.k + whole.y;
    if (right <= mmLeft || bottom <= mmTop) return whole;
    const beside = at(kFit(mmLeft, c.h), mmLeft, c.h), above = at(kFit(c.w, mmTop), c.w, mmTop);
    const best = beside.k >= above.k ? beside : above;
    return best.k >= whole.k * 0.67 ? best : whole;
  }

  /* Fit the whole graph; a graph too tall to read when fitted is fitted to the width instead and
     shown from its top (the model's inputs). */
  function fit() {
    if (!view.size) return;
    const c = canvasSize();
    if (!c.w || !c.h) return;
    const s = view.size;
    const whole = Math.min((c.w - 32) / s.w, (c.h - 32) / s.h);
    if (whole >= 0.4) {
      view.fitted = fitBox({ x: 0, y: 0, w: s.w, h: s.h }, 1.1);
      view.autoFit = true;
      return;
    }
    const k = clamp(Math.min((c.w - 32) / s.w, 0.9), MIN_ZOOM, 1.1);
    view.zoom = { k, x: c.w / 2 - (s.w / 2) * k, y: 12 };
    applyZoom();
    view.fitted = view.autoFit = true;
  }

  function centreOn(key, minK) {
    const b = view.boxes.get(key);
    view.autoFit = false;
    const c = canvasSize();
    if (!b || !c.w) return;
    const z = view.zoom;
    z.k = Math.max(z.k, minK || 0);
    z.x = c.w / 2 - (b.x + b.w / 2) * z.k;
    z.y = c.h / 2 - (b.y + b.h / 2) * z.k;
    if (!isGroupKey(key)) keepClusterInView(+key.slice(1));
    applyZoom();
  }

  /* Centring a node can cut its clusters' titles off at the left; shift sideways so that the
     outermost enclosing cluster that fits the canvas width is wholly in view (the node is inside it). */
  function keepClusterInView(i) {
    const c = canvasSize(), z = view.zoom, m = 12;
    for (const gid of ancestorsOfOp(i).slice(1)) {
      const b = view.boxes.get('g' + gid);
      if (!b || b.w * z.k > c.w - 2 * m) continue;
      const left = b.x * z.k + z.x, right = left + b.w * z.k;
      if (left < m) z.x += m - left;
      else if (right > c.w - m) z.x -= right - (c.w - m);
      return;
    }
  }

  /* Re-lay out after a toggle, keeping `anchorKey` at the same place on screen. */
  function relayoutKeeping(anchorKey) {
    const before = view.boxes.get(anchorKey);
    view.autoFit = false;
    render();
    const after = view.boxes.get(anchorKey);
    if (before && after) {
      view.zoom.x += (before.x - after.x) * view.zoom.k;
      view.zoom.y += (before.y - after.y) * view.zoom.k;
    }
  }

  /* Bring a box into view after it grew: zoom out (not below 0.35) until it fits, keeping its
     top-left where it was, then shift it inside the canvas, top-left first. */
  function revealBox(b) {
    const c = canvasSize(), z = view.zoom, m = 12;
    if (!b || !c.w) return;
    const sx = b.x * z.k + z.x, sy = b.y * z.k + z.y;
    const kFit = Math.min((c.w - 2 * m) / b.w, (c.h - 2 * m) / b.h);
    if (kFit < z.k) z.k = Math.max(kFit, Math.min(z.k, 0.35));
    z.x = sx - b.x * z.k;
    z.y = sy - b.y * z.k;
    const shift = (start, size, limit) => {
      let d = 0;
      if (start + size > limit - m) d = limit - m - (start + size);
      if (start + d < m) d = m - start;
      return d;
    };
    z.x += shift(b.x * z.k + z.x, b.w * z.k, c.w);
    z.y += shift(b.y * z.k + z.y, b.h * z.k, c.h);
  }

  function installPanZoom() {
    const svg = view.dom.svg;
    svg.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = view.dom.scroller.getBoundingClientRect();
      const delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
      zoomAt(Math.exp(-delta * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });

    let drag = null;
    svg.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      drag = { id: ev.pointerId, sx: ev.clientX, sy: ev.clientY, x: view.zoom.x, y: view.zoom.y, moved: false };
    });
    svg.addEventListener('pointermove', (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      const dx = ev.clientX - drag.sx, dy = ev.clientY - drag.sy;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      if (!drag.moved) { drag.moved = true; svg.setPointerCapture(ev.pointerId); svg.classList.add('panning'); }
      view.autoFit = false;
      view.zoom.x = drag.x + dx;
      view.zoom.y = drag.y + dy;
      applyZoom();
    });
    const end = (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      // A drag must not also count as a click on whatever is under the pointer.
      view.suppressClick = drag.moved;
      svg.classList.remove('panning');
      drag = null;
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
  }

  /* ---------------------------------------------------------------- interaction */

  function toggleGroup(gid) {
    const g = view.model.groups[gid];
    if (!g || gid === 0) return;
    const t0 = performance.now();
    const opening = !isExpanded(gid);
    setExpanded(gid, opening);
    if (opening) autoOpen(gid);
    view.focusGroup = opening ? gid : Math.max(0, g.parent);
    syncSelectedKey();
    relayoutKeeping('g' + gid);
    if (opening) revealBox(view.boxes.get('g' + gid));
    applyZoom();
    view.lastToggleMs = performance.now() - t0;
  }

  function groupIdFromElement(node) {
    const holder = node.closest('[data-group]');
    if (holder) return +holder.getAttribute('data-group');
    return null;
  }

  function onClick(ev) {
    if (view.suppressClick) { view.suppressClick = false; return; }
    const toggle = ev.target.closest('[data-testid=scope-toggle]');
    if (toggle) { toggleGroup(groupIdFromElement(toggle)); return; }
    const opNode = ev.target.closest('[data-testid=graph-node]');
    if (opNode) { WG.select(+opNode.getAttribute('data-op-index'), 'graph'); return; }
    const scope = ev.target.closest('[data-testid=graph-scope],[data-testid=graph-cluster]');
    if (scope) { view.focusGroup = groupIdFromElement(scope); renderBreadcrumbs(); }
  }

  function onDblClick(ev) {
    if (ev.target.closest('[data-testid=scope-toggle]')) return;   // its clicks already toggled
    const scope = ev.target.closest('[data-testid=graph-scope],[data-testid=graph-cluster]');
    if (scope && !ev.target.closest('[data-testid=graph-node]')) toggleGroup(groupIdFromElement(scope));
  }

  function onKey(ev) {
    const toggle = ev.target.closest && ev.target.closest('[data-testid=scope-toggle]');
    if (toggle && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault();
      const gid = groupIdFromElement(toggle);
      toggleGroup(gid);
      // The node was re-rendered: give focus back to the same scope's toggle.
      const again = view.dom.svg.querySelector('[data-group="' + gid + '"] [data-testid=scope-toggle]');
      if (again) again.focus();
      return;
    }
    const c = canvasSize();
    const step = 60;
    const actions = {
      '+': () => zoomAt(1.25, c.w / 2, c.h / 2), '=': () => zoomAt(1.25, c.w / 2, c.h / 2),
      '-': () => zoomAt(0.8, c.w / 2, c.h / 2), '_': () => zoomAt(0.8, c.w / 2, c.h / 2),
      '0': () => fit(),
      ArrowLeft: () => { view.zoom.x += step; applyZoom(); },
      ArrowRight: () => { view.zoom.x -= step; applyZoom(); },
      ArrowUp: () => { view.zoom.y += step; applyZoom(); },
      ArrowDown: () => { view.zoom.y -= step; applyZoom(); },
    };
    const act = actions[ev.key];
    if (act && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      view.autoFit = false;
      act();
    }
  }

  /* The key of the node that currently stands for the selected op (itself, or a collapsed scope). */
  function syncSelectedKey() {
    const i = WG.state && WG.state.selected;
    view.selectedKey = i == null || !view.model.ops[i] ? null : visibleKeyOfOp(i);
  }

  function markSelection() {
    const svg = view.dom.svg;
    svg.querySelectorAll('.selected, .contains-selected').forEach((n) => n.classList.remove('selected', 'contains-selected'));
    const key = view.selectedKey;
    if (!key) return;
    const node = isGroupKey(key)
      ? svg.querySelector('[data-testid=graph-scope][data-group="' + key.slice(1) + '"]')
      : svg.querySelector('[data-testid=graph-node][data-op-index="' + key.slice(1) + '"]');
    if (node) node.classList.add(isGroupKey(key) ? 'contains-selected' : 'selected');
  }

  function onSelect(i, source) {
    if (i == null || !view.model.ops[i]) {
      view.selectedKey = null;
      markSelection();
      renderBreadcrumbs();
      return;
    }
    if (source === 'graph') {
      syncSelectedKey();
      markSelection();
      renderBreadcrumbs();
      return;
    }
    // From elsewhere: open the op's scopes, highlight it and bring it into view.
    let changed = false;
    for (const gid of ancestorsOfOp(i)) changed = setExpanded(gid, true) || changed;
    syncSelectedKey();
    if (changed) render(); else { markSelection(); renderBreadcrumbs(); }
    centreOn('o' + i, 0.85);
  }

  /* ---------------------------------------------------------------- breadcrumbs */

  function renderBreadcrumbs() {
    const nav = view.dom.crumbs;
    if (!nav) return;
    const i = WG.state ? WG.state.selected : null;
    const hasOp = i != null && view.model.ops[i];
    const chain = hasOp ? ancestorsOfOp(i) : ancestorsOfGroup(view.focusGroup || 0);
    nav.textContent = '';
    chain.forEach((gid, k) => {
      const g = view.model.groups[gid];
      if (k > 0) nav.appendChild(el('span', { class: 'wg-crumb-sep', 'aria-hidden': 'true' }, '\u203a'));
      const b = el('button', { type: 'button', class: 'wg-crumb', 'data-scope': g.path, 'data-group': gid,
        title: gid === 0 ? 'Collapse everything' : 'Collapse back to ' + (g.path || g.label) }, gid === 0 ? g.label : g.label);
      nav.appendChild(b);
    });
    if (hasOp) {
      nav.appendChild(el('span', { class: 'wg-crumb-sep', 'aria-hidden': 'true' }, '\u203a'));
      nav.appendChild(el('span', { class: 'wg-crumb current', title: view.model.ops[i].name }, shortOpName(view.model.ops[i])));
    }
  }

  function onCrumb(ev) {
    const b = ev.target.closest('button.wg-crumb');
    if (!b) return;
    const gid = +b.getAttribute('data-group');
    collapseBelow(gid);
    view.focusGroup = gid;
    syncSelectedKey();
    render();
    if (gid === 0) fit();
    else {
      const box = view.boxes.get('g' + gid);
      if (box) fitBox(box, 1);
    }
  }

  /* ---------------------------------------------------------------- minimap + legend */

  /* Read once: the minimap has a fixed CSS size, and reading it after a re-render would force layout. */
  function minimapSize() {
    if (!view.mmSize) {
      const W = view.dom.minimap.clientWidth, H = view.dom.minimap.clientHeight;
      if (!W || !H) return { W: 168, H: 112 };
      view.mmSize = { W, H };
    }
    return view.mmSize;
  }

  /* The overview is a canvas (cheap at any size) with the viewport as a positioned box on top. */
  function renderMinimap(out) {
    const mm = view.dom.minimap, cv = view.dom.minimapCanvas;
    const s = view.size;
    if (!s.w || !s.h) return;
    const { W, H } = minimapSize();
    const ratio = window.devicePixelRatio || 1;
    cv.width = Math.round(W * ratio);
    cv.height = Math.round(H * ratio);
    const k = Math.min((W - 8) / s.w, (H - 8) / s.h);
    view.mm = { k, x: (W - s.w * k) / 2, y: (H - s.h * k) / 2 };
    const ctx = cv.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const rect = (b) => [view.mm.x + b.x * k, view.mm.y + b.y * k, Math.max(1, b.w * k), Math.max(1, b.h * k)];
    ctx.fillStyle = 'rgba(120,134,156,0.12)';
    ctx.strokeStyle = '#9aa3b0';
    ctx.lineWidth = 1;
    for (const [, b] of out.clusterList) { ctx.fillRect(...rect(b)); ctx.strokeRect(...rect(b)); }
    for (const [i, b] of out.ops) { ctx.fillStyle = fillOf('o' + i); ctx.fillRect(...rect(b)); }
    for (const [g, b] of out.collapsed) { ctx.fillStyle = fillOf('g' + g.id); ctx.fillRect(...rect(b)); }
    updateMinimapViewport();
  }

  function updateMinimapViewport() {
    const box = view.dom.minimapView, m = view.mm;
    if (!box || !m) return;
    const c = canvasSize(), z = view.zoom;
    const { W, H } = minimapSize();
    // Clip to the minimap so a zoomed-out view still shows a sensible frame.
    const x0 = clamp(m.x + (-z.x / z.k) * m.k, 0, W), y0 = clamp(m.y + (-z.y / z.k) * m.k, 0, H);
    const x1 = clamp(m.x + ((c.w - z.x) / z.k) * m.k, 0, W), y1 = clamp(m.y + ((c.h - z.y) / z.k) * m.k, 0, H);
    box.style.transform = 'translate(' + r1(x0) + 'px,' + r1(y0) + 'px)';
    box.style.width = r1(Math.max(2, x1 - x0)) + 'px';
    box.style.height = r1(Math.max(2, y1 - y0)) + 'px';
  }

  function installMinimap() {
    const mm = view.dom.minimap;
    let dragging = false;
    const moveTo = (ev) => {
      const r = mm.getBoundingClientRect(), m = view.mm;
      if (!m) return;
      const p = { x: (ev.clientX - r.left - m.x) / m.k, y: (ev.clientY - r.top - m.y) / m.k };
      const c = canvasSize(), z = view.zoom;
      view.autoFit = false;
      z.x = c.w / 2 - p.x * z.k;
      z.y = c.h / 2 - p.y * z.k;
      applyZoom();
    };
    mm.addEventListener('pointerdown', (ev) => { dragging = true; mm.setPointerCapture(ev.pointerId); moveTo(ev); ev.preventDefault(); });
    mm.addEventListener('pointermove', (ev) => { if (dragging) moveTo(ev); });
    mm.addEventListener('pointerup', () => { dragging = false; });
    mm.addEventListener('pointercancel', () => { dragging = false; });
  }

  function renderLegend() {
    const lg = view.dom.legend;
    const m = view.metric;
    lg.textContent = '';
    lg.appendChild(el('div', { class: 'wg-legend-title' }, m.label + (m.categorical ? '' : view.domain && view.domain.log ? ' (log scale)' : '')));
    if (m.categorical) {
      const units = Array.from(view.model.groups[0].units.keys());
      const row = el('div', { class: 'wg-legend-units' });
      for (const u of units) {
        const item = el('span', { class: 'wg-legend-unit' });
        item.appendChild(el('i', { style: 'background:' + WG.unitColor(u) }));
        item.appendChild(document.createTextNode(String(u)));
        row.appendChild(item);
      }
      lg.appendChild(row);
    } else if (view.domain) {
      const stops = [];
      for (let k = 0; k <= 10; k++) stops.push(WG.colorScale(k / 10) + ' ' + k * 10 + '%');
      const d = view.domain;
      const scale = el('div', { class: 'wg-legend-scale' });
      scale.appendChild(el('span', null, m.lowerIsWorse ? m.fmt(d.hi) + ' better' : m.fmt(d.lo)));
      scale.appendChild(el('span', { class: 'wg-legend-bar', style: 'background:linear-gradient(to right,' + stops.join(',') + ')' }));
      scale.appendChild(el('span', null, m.lowerIsWorse ? m.fmt(d.lo) + ' worse' : m.fmt(d.hi)));
      lg.appendChild(scale);
    } else {
      lg.appendChild(el('div', { class: 'wg-legend-note' }, 'no values at this level'));
    }
    if (WG.hasEdges && !WG.hasEdges()) {
      lg.appendChild(el('div', { class: 'wg-legend-note', title: 'Op inputs are recorded from report schema 1.3 on' },
        'no data edges in this report'));
    }
    const keys = el('div', { class: 'wg-legend-keys' });
    keys.innerHTML = '<span><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" rx="3" class="lg-na"/></svg>'
      + (m.lowerIsWorse ? 'exact / n/a' : 'n/a') + '</span>'
      + '<span><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" rx="3" class="lg-fallback"/></svg>fallback</span>'
      + '<span><svg width="22" height="12"><rect x="1.5" y="1.5" width="19" height="9" rx="3" class="lg-critical"/></svg>critical path</span>'
      + '<span><svg width="26" height="12"><path d="M1 6h24" class="lg-xunit"/></svg>unit transition</span>';
    lg.appendChild(keys);
  }

  /* ---------------------------------------------------------------- mount */

  function buildDom(pane) {
    pane.classList.add('wg-graph-pane');
    const bar = el('div', { class: 'wg-graph-toolbar' });
    const label = el('label', { class: 'wg-graph-metric-label' }, 'Colour by ');
    const select = el('select', { 'data-testid': 'graph-metric', 'aria-label': 'Graph colour metric' });
    for (const m of view.metrics) select.appendChild(el('option', { value: m.key }, m.label));
    select.value = view.metric.key;
    label.appendChild(select);
    const fitBtn = el('button', { type: 'button', class: 'wg-btn', 'data-testid': 'graph-fit', title: 'Fit the graph (0)' }, 'Fit');
    const collapseBtn = el('button', { type: 'button', class: 'wg-btn', 'data-testid': 'graph-collapse-all', title: 'Collapse every scope' }, 'Collapse all');
    const zoomIn = el('button', { type: 'button', class: 'wg-btn', title: 'Zoom in (+)', 'aria-label': 'Zoom in' }, '+');
    const zoomOut = el('button', { type: 'button', class: 'wg-btn', title: 'Zoom out (\u2212)', 'aria-label': 'Zoom out' }, '\u2212');
    bar.append(label, zoomOut, zoomIn, fitBtn, collapseBtn);
    const crumbs = el('nav', { class: 'wg-crumbs', 'data-testid': 'breadcrumbs', 'aria-label': 'Scope path' });
    const canvas = el('div', { class: 'wg-graph-canvas' });
    const svg = svgEl('svg', { 'data-testid': 'graph', class: 'wg-graph-svg', tabindex: '0', role: 'group',
      'aria-label': 'Model graph. Arrow keys pan, plus and minus zoom, 0 fits.' });
    svg.innerHTML = '<defs>'
      + '<marker id="wg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,1L9,5L0,9z" class="wg-arrowhead"/></marker>'
      + '<marker id="wg-arrow-x" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,1L9,5L0,9z" class="wg-arrowhead xunit"/></marker>'
      + '</defs>';
    const viewport = svgEl('g', { class: 'wg-graph-viewport' });
    svg.appendChild(viewport);
    const minimap = el('div', { 'data-testid': 'minimap', class: 'wg-minimap', role: 'img', 'aria-label': 'Overview; click or drag to move the view' });
    const minimapCanvas = el('canvas');
    const minimapView = el('div', { class: 'mm-view' });
    minimap.append(minimapCanvas, minimapView);
    const legend = el('div', { class: 'wg-legend', 'aria-live': 'polite' });
    const scroller = el('div', { class: 'wg-graph-scroll' });
    scroller.appendChild(svg);
    scroller.addEventListener('scroll', syncFromScroll, { passive: true });
    canvas.append(scroller, minimap);
    pane.textContent = '';
    pane.append(bar, crumbs, canvas, legend);
    view.dom = { pane, select, svg, viewport, minimap, minimapCanvas, minimapView, legend, crumbs, canvas, scroller };

    select.addEventListener('change', () => setMetric(select.value, true));
    fitBtn.addEventListener('click', fit);
    zoomIn.addEventListener('click', () => { const c = canvasSize(); zoomAt(1.25, c.w / 2, c.h / 2); });
    zoomOut.addEventListener('click', () => { const c = canvasSize(); zoomAt(0.8, c.w / 2, c.h / 2); });
    collapseBtn.addEventListener('click', () => { collapseBelow(0); view.focusGroup = 0; syncSelectedKey(); render(); fit(); });
    crumbs.addEventListener('click', onCrumb);
    svg.addEventListener('click', onClick);
    svg.addEventListener('dblclick', onDblClick);
    svg.addEventListener('keydown', onKey);
    installPanZoom();
    installMinimap();
    // Fit once the pane has a size (it may be hidden behind another tab at load).
    if (window.ResizeObserver) {
      new ResizeObserver((entries) => {
        const r = entries[entries.length - 1].contentRect;
        view.canvasSize = { w: r.width, h: r.height };
        const c = canvasSize();
        if (!c.w || !c.h) return;
        // Until the user moves the view, keep it fitted; otherwise keep it and recompute the
        // scroll padding (one canvas size) for the new size.
        if (!view.fitted || view.autoFit) fit(); else applyZoom();
      }).observe(canvas);
    }
  }

  function setMetric(key, announce) {
    const m = view.metrics.find((x) => x.key === key);
    if (!m || m === view.metric) return;
    view.metric = m;
    view.dom.select.value = key;
    render();
    applyZoom();
    if (announce) WG.bus.emit('metric', key);
  }

  function init() {
    const pane = document.getElementById('graph-pane');
    if (!pane || !WG.doc) return;
    const t0 = performance.now();
    view.metrics = graphMetrics();
    view.metric = view.metrics[0];
    view.model = buildHierarchy(WG.doc);
    liftEdges(view.model, WG.edges());
    const tModel = performance.now();
    buildDom(pane);
    if (!view.model.ops.length) {
      view.dom.canvas.appendChild(el('p', { class: 'wg-graph-empty' }, 'This report has no operators.'));
      return;
    }
    openFirstView();
    syncSelectedKey();
    render();
    fit();
    if (WG.state && WG.state.selected != null) onSelect(WG.state.selected, 'init');

    WG.bus.on('select', (i, meta) => {
      const source = meta && typeof meta === 'object' ? meta.source : meta;
      onSelect(typeof i === 'object' && i !== null ? i.index : i, source);
    });
    WG.bus.on('metric', (key) => { if (view.metric && key !== view.metric.key) setMetric(key, false); });
    // The pane may have been hidden (another tab first) or resized: fit once it has a size.
    const refit = () => { if (!view.fitted) fit(); };
    WG.bus.on('tab', refit);
    WG.bus.on('resize', refit);
    view.timings = { modelMs: tModel - t0, firstRenderMs: performance.now() - tModel };
  }

  WG.modules.push({ id: 'graph', order: 20, mount: init });

  // Exposed for debugging and the dev timing checks.
  WG.graph = {
    init,
    timings: () => Object.assign({}, view.timings, { lastRender: view.lastRender, lastToggleMs: view.lastToggleMs }),
    toggle: (path) => {
      const g = view.model.groups.find((x) => x.path === path);
      if (g) toggleGroup(g.id);
    },
    fit,
  };
})();
