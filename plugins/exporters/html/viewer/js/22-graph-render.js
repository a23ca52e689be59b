/* winglet report viewer — graph view, part 3 of 4: rendering.
 *
 * Draws the expanded levels into the svg viewport as one markup string: clusters (expanded
 * groups), ops, collapsed groups, edges and their labels. Also the colour domain (each level
 * shows its own hot spots) and the legend under the graph.
 */
(function () {
  'use strict';
  const WG = window.WG;
  const G = WG.graphParts;
  const state = G.state;
  const { clamp, r1 } = G;
  const { groupOf, isGroupKey, isExpanded, ancestorsOfGroup, chunkContentsText, valueOf, dominantUnit } = G.model;
  const { HEADER_H, ensureLayout } = G.layout;

  const NA_FILL = '#e4e4e4';

  /* ------------------------------------------------------------------ small helpers */

  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

  function truncate(text, maxChars) {
    text = String(text);
    return text.length <= maxChars ? text : text.slice(0, maxChars - 1) + '\u2026';
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

  /* An op's name without its scope (the scope is in the clusters and breadcrumbs around it). */
  function shortOpName(op) {
    let name = op.name || '';
    if (op.scope && name.startsWith(op.scope + '/')) name = name.slice(op.scope.length + 1);
    else if (name.includes('/')) name = name.slice(name.lastIndexOf('/') + 1);
    return name || op.op_type;
  }

  /* ------------------------------------------------------------------ colour */

  /* Colour domain over the nodes on screen: each level shows its own hot spots. Log scale when the
     values span more than two decades (latency, MACs and bytes usually do). */
  function computeDomain(visibleKeys) {
    const m = state.metric;
    if (m.categorical) { state.domain = null; return; }
    let lo = Infinity, hi = -Infinity, loPos = Infinity;
    for (const key of visibleKeys) {
      const v = valueOf(key);
      if (v == null) continue;
      lo = Math.min(lo, v); hi = Math.max(hi, v);
      if (v > 0) loPos = Math.min(loPos, v);
    }
    if (lo === Infinity) { state.domain = null; return; }
    const log = !m.lowerIsWorse && loPos !== Infinity && hi / loPos > 100;
    state.domain = { lo: log ? loPos : lo, hi, log };
  }

  function scaleT(v) {
    const d = state.domain;
    if (!d || v == null) return null;
    let t;
    if (d.hi <= d.lo) t = 1;
    else if (d.log) t = v <= 0 ? 0 : (Math.log(v) - Math.log(d.lo)) / (Math.log(d.hi) - Math.log(d.lo));
    else t = (v - d.lo) / (d.hi - d.lo);
    t = clamp(t, 0, 1);
    return state.metric.lowerIsWorse ? 1 - t : t;     // the "bad" end is always the bright end
  }

  function fillOf(key) {
    if (state.metric.categorical) {
      const unit = isGroupKey(key) ? dominantUnit(groupOf(key)) : state.model.ops[+key.slice(1)].unit;
      return unit == null ? NA_FILL : WG.unitColor(unit);
    }
    const t = scaleT(valueOf(key));
    return t == null ? NA_FILL : WG.colorScale(t);
  }

  function valueText(key) {
    const m = state.metric;
    if (m.categorical) {
      if (!isGroupKey(key)) return String(state.model.ops[+key.slice(1)].unit);
      const units = groupOf(key).units;
      return units.size === 1 ? String(dominantUnit(groupOf(key))) : units.size + ' units';
    }
    const v = valueOf(key);
    if (v == null) return m.lowerIsWorse ? 'exact' : 'n/a';
    return m.fmt(v);
  }

  /* ------------------------------------------------------------------ tooltips */

  function opTitle(i) {
    const op = state.model.ops[i];
    const lines = [op.name, op.op_type + ' on ' + op.unit, state.metric.label + ': ' + valueText('o' + i)];
    if (op.critical) lines.push('on the critical path');
    if (op.fallback_reason) lines.push('fallback: ' + op.fallback_reason);
    return lines.join('\n');
  }

  function groupTitle(g) {
    const lines = [g.kind === 'chunk' ? groupPathLabel(g) : g.path || '/', WG.fmt.count(g.opCount) + ' ops',
      state.metric.label + ': ' + valueText('g' + g.id)];
    if (g.constants) {
      lines.splice(1, 0, g.range);
    } else if (g.kind === 'chunk') {
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
    return ancestorsOfGroup(g.id).slice(1).map((gid) => state.model.groups[gid].label).join(' / ');
  }

  function itemLabel(key) {
    if (isGroupKey(key)) return groupOf(key).label;
    const op = state.model.ops[+key.slice(1)];
    return shortOpName(op);
  }

  /* ------------------------------------------------------------------ nodes */

  function toggleSvg(g, x, y, open) {
    return '<g class="wg-g-toggle" data-testid="scope-toggle" data-scope="' + esc(g.path) + '" role="button" tabindex="0"'
      + ' aria-expanded="' + open + '" aria-label="' + (open ? 'Collapse ' : 'Expand ') + esc(g.label) + '"'
      + ' transform="translate(' + r1(x) + ',' + r1(y) + ')"><rect width="18" height="18" rx="4"/>'
      + '<path d="' + (open ? 'M5 9h8' : 'M5 9h8M9 5v8') + '"/></g>';
  }

  function unitBar(g, x, y, w) {
    if (!state.metric.categorical || g.units.size < 2) return '';
    let out = '', cx = x;
    for (const [unit, n] of g.units) {
      const uw = (w * n) / g.opCount;
      out += '<rect class="wg-g-unitbar" x="' + r1(cx) + '" y="' + y + '" width="' + r1(uw) + '" height="5" fill="' + WG.unitColor(unit) + '"/>';
      cx += uw;
    }
    return out;
  }

  function renderOp(i, b, out) {
    const op = state.model.ops[i];
    const key = 'o' + i;
    const fill = fillOf(key);
    const value = valueText(key);
    const cls = ['wg-g-node', 'wg-g-op'];
    if (isDark(fill)) cls.push('dark');
    if (op.fallback_reason) cls.push('fallback');
    if (op.critical) cls.push('critical');
    if (state.selectedKey === key) cls.push('selected');
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
    if (state.selectedKey === key) cls.push('contains-selected');
    const value = valueText(key);
    // "N ops · ⚠ K fallback", shortened to "⚠ K" when the value leaves too little room.
    const room = Math.floor((b.w - 24 - value.length * 6) / 5.9);
    const ops = WG.fmt.count(g.opCount) + ' ops';
    const fb = g.fallbacks ? ' \u00b7 \u26a0 ' + WG.fmt.count(g.fallbacks) : '';
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
    const summary = WG.fmt.count(g.opCount) + ' ops \u00b7 ' + valueText(key) + (g.fallbacks ? ' \u00b7 \u26a0 ' + g.fallbacks : '');
    out.clusters.push('<g class="' + cls.join(' ') + '" data-testid="graph-cluster" data-scope="' + esc(g.path) + '" data-group="' + g.id
      + '" transform="translate(' + r1(b.x) + ',' + r1(b.y) + ')"><title>' + esc(groupTitle(g)) + '</title>'
      + '<rect class="wg-g-cbody" width="' + r1(b.w) + '" height="' + r1(b.h) + '" rx="10"/>'
      + '<path class="wg-g-chead" d="M0,10a10,10 0 0 1 10,-10h' + r1(b.w - 20) + 'a10,10 0 0 1 10,10v' + (HEADER_H - 10) + 'h' + r1(-b.w) + 'z"/>'
      + '<rect class="wg-g-cswatch" x="' + r1(b.w - 12) + '" y="8" width="6" height="14" rx="2" style="fill:' + fillOf(key) + '"/>'
      + toggleSvg(g, 7, 6, true)
      + '<text class="wg-g-ctitle" x="31" y="19">' + esc(truncate(g.label, 40)) + '<tspan class="wg-g-csum" dx="10">'
      + esc(summary) + '</tspan></text></g>');
  }

  /* ------------------------------------------------------------------ edges */

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

  /* ------------------------------------------------------------------ the scene */

  /* Walk the expanded levels, placing every visible item at absolute coordinates. */
  function renderGroup(g, ox, oy, out) {
    const lay = ensureLayout(g);
    renderEdges(g, ox, oy, out);
    renderDetached(g, ox, oy, out);
    for (const key of g.items) {
      const p = lay.pos.get(key);
      const b = { x: ox + p.x - p.w / 2, y: oy + p.y - p.h / 2, w: p.w, h: p.h };
      state.boxes.set(key, b);
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

  /* Lay out and draw everything expanded into state.dom.viewport; sets state.boxes, .size,
     .domain and .lastRender. Returns what was placed ({ops, collapsed, clusterList: [item, box]}). */
  function renderScene() {
    const t0 = performance.now();
    const root = state.model.groups[0];
    const out = { nodes: [], clusters: [], edges: [], labels: [], ops: [], collapsed: [], clusterList: [], visible: [] };
    state.boxes = new Map();
    renderGroup(root, 0, 0, out);
    const t1 = performance.now();
    // The colour domain covers the leaves on screen (ops and collapsed groups), not clusters.
    computeDomain(out.visible.filter((key) => !(isGroupKey(key) && isExpanded(+key.slice(1)))));
    for (const [g, b] of out.clusterList) renderCluster(g, b, out);
    for (const [i, b] of out.ops) renderOp(i, b, out);
    for (const [g, b] of out.collapsed) renderCollapsed(g, b, out);
    state.dom.viewport.innerHTML = '<g class="wg-g-clusters">' + out.clusters.join('') + '</g><g class="wg-g-edges">'
      + out.edges.join('') + '</g><g class="wg-g-nodes">' + out.nodes.join('') + '</g><g class="wg-g-elabels">' + out.labels.join('') + '</g>';
    state.size = { w: ensureLayout(root).boxW, h: ensureLayout(root).boxH };
    state.lastRender = { layoutMs: t1 - t0, totalMs: performance.now() - t0, visible: out.visible.length };
    return out;
  }

  /* ------------------------------------------------------------------ legend */

  function renderLegend() {
    const h = WG.h;
    const lg = state.dom.legend;
    const m = state.metric;
    lg.textContent = '';
    lg.appendChild(h('div', { class: 'wg-legend-title', text: m.label + (m.categorical ? '' : state.domain && state.domain.log ? ' (log scale)' : '') }));
    if (m.categorical) {
      const units = Array.from(state.model.groups[0].units.keys());
      const row = h('div', { class: 'wg-legend-units' });
      for (const u of units) row.appendChild(h('span', { class: 'wg-legend-unit' }, h('i', { style: 'background:' + WG.unitColor(u) }), String(u)));
      lg.appendChild(row);
    } else if (state.domain) {
      const stops = [];
      for (let k = 0; k <= 10; k++) stops.push(WG.colorScale(k / 10) + ' ' + k * 10 + '%');
      const d = state.domain;
      lg.appendChild(h('div', { class: 'wg-legend-scale' },
        h('span', { text: m.lowerIsWorse ? m.fmt(d.hi) + ' better' : m.fmt(d.lo) }),
        h('span', { class: 'wg-legend-bar', style: 'background:linear-gradient(to right,' + stops.join(',') + ')' }),
        h('span', { text: m.lowerIsWorse ? m.fmt(d.lo) + ' worse' : m.fmt(d.hi) })));
    } else {
      lg.appendChild(h('div', { class: 'wg-legend-note', text: 'no values at this level' }));
    }
    if (WG.hasEdges && !WG.hasEdges()) {
      lg.appendChild(h('div', { class: 'wg-legend-note', title: 'Op inputs are recorded from report schema 1.3 on',
        text: 'no data edges in this report' }));
    }
    const keys = h('div', { class: 'wg-legend-keys' });
    keys.innerHTML = '<span><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" rx="3" class="lg-na"/></svg>'
      + (m.lowerIsWorse ? 'exact / n/a' : 'n/a') + '</span>'
      + '<span><svg width="22" height="12"><rect x="1" y="1" width="20" height="10" rx="3" class="lg-fallback"/></svg>fallback</span>'
      + '<span><svg width="22" height="12"><rect x="1.5" y="1.5" width="19" height="9" rx="3" class="lg-critical"/></svg>critical path</span>'
      + '<span><svg width="26" height="12"><path d="M1 6h24" class="lg-xunit"/></svg>unit transition</span>';
    lg.appendChild(keys);
  }

  G.render = { renderScene, renderLegend, fillOf, shortOpName };
})();
