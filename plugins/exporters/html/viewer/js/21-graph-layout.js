/* winglet report viewer — graph view, part 2 of 4: layout.
 *
 * Layout is nested: every expanded group (scope, or chunk of a wide scope) is laid out on its own
 * with dagre, and its box becomes one node of its parent's layout. Layouts are cached per group
 * (group.layout), so expanding a scope costs one dagre run for it plus one per ancestor, each over
 * at most MAX_CHILDREN nodes. Collapsed content is never laid out.
 */
(function () {
  'use strict';
  const G = window.WG.graphParts;
  const { groupOf, isGroupKey, isExpanded } = G.model;

  const OP_W = 164, OP_H = 44;
  const SCOPE_W = 204, SCOPE_H = 54;
  const HEADER_H = 30;                    // cluster title bar
  // dagre's cost grows with the ranks long edges cross (one dummy node per rank). Past this budget,
  // edges spanning more than LONG_SPAN ranks are not routed but drawn as labelled stubs.
  const DUMMY_BUDGET = 160, LONG_SPAN = 4;

  function itemSize(key) {
    if (!isGroupKey(key)) return { w: OP_W, h: OP_H };
    const g = groupOf(key);
    if (!isExpanded(g.id)) return { w: SCOPE_W, h: SCOPE_H };
    const lay = ensureLayout(g);
    return { w: lay.boxW, h: lay.boxH };
  }

  /* "cpu→npu ×3" on an edge that crosses units; null when it doesn't. */
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

  /* Lay out one expanded level (cached): loose items in a grid on top, the connected part below.
     {boxW, boxH, pos: key -> centre {x, y, w, h} relative to the box, edges, detached}. */
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

  G.layout = { HEADER_H, ensureLayout };
})();
