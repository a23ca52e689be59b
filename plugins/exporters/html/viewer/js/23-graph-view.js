/* winglet report viewer — graph view, part 4 of 4: the pane (#graph-pane).
 *
 * Builds the pane (toolbar, breadcrumbs, scrolling svg, minimap, legend), pans and zooms, toggles
 * scopes, keeps the selection in sync with the other views, and registers the module 'graph'.
 */
(function () {
  'use strict';
  const WG = window.WG;
  const G = WG.graphParts;
  const state = G.state;
  const { clamp, r1 } = G;
  const { graphMetrics, buildHierarchy, liftEdges, isGroupKey, isExpanded, ancestorsOfOp, ancestorsOfGroup,
    visibleKeyOfOp, setExpanded, autoOpen, openFirstView, collapseBelow } = G.model;
  const { renderScene, renderLegend, fillOf, shortOpName } = G.render;

  const SVG_NS = 'http://www.w3.org/2000/svg';
  const MIN_ZOOM = 0.03, MAX_ZOOM = 3;

  /* Re-render everything: the graph, then the minimap, legend and breadcrumbs that describe it. */
  function render() {
    const out = renderScene();
    renderMinimap(out);
    renderLegend();
    renderBreadcrumbs();
  }

  /* ---------------------------------------------------------------- zoom / pan */

  /* state.zoom maps graph to screen: screen = graph * k + (x, y). Panning is native scrolling of an
     svg padded by one canvas size on every side, so scrollIntoView (keyboard focus, automation)
     reaches any node; zoom is the viewport's scale. */
  function applyZoom() {
    const z = state.zoom, sc = state.dom.scroller, svg = state.dom.svg;
    const c = canvasSize();
    if (!c.w || !c.h) return;      // hidden (another tab): keep the view for when it shows again
    const size = state.size || { w: 0, h: 0 };
    const pad = { x: Math.max(1, Math.round(c.w)), y: Math.max(1, Math.round(c.h)) };
    svg.style.width = Math.ceil(size.w * z.k + 2 * pad.x) + 'px';
    svg.style.height = Math.ceil(size.h * z.k + 2 * pad.y) + 'px';
    state.dom.viewport.setAttribute('transform', 'translate(' + pad.x + ',' + pad.y + ') scale(' + z.k.toFixed(4) + ')');
    state.pad = pad;
    sc.scrollLeft = pad.x - z.x;
    sc.scrollTop = pad.y - z.y;
    syncFromScroll();
  }

  /* The browser clamps scrolling (and may scroll on its own): read the pan back from it. */
  function syncFromScroll() {
    const sc = state.dom.scroller;
    if (!state.pad || !sc.clientWidth) return;
    state.zoom.x = state.pad.x - sc.scrollLeft;
    state.zoom.y = state.pad.y - sc.scrollTop;
    updateMinimapViewport();
  }

  /* Cached (kept current by a ResizeObserver) so that zooming after a re-render doesn't force an
     extra synchronous layout of the new SVG. */
  function canvasSize() {
    if (state.canvasSize && state.canvasSize.w) return state.canvasSize;
    const sc = state.dom.scroller;
    return { w: sc.clientWidth, h: sc.clientHeight };
  }

  function zoomAt(factor, px, py) {
    const z = state.zoom;
    state.autoFit = false;
    const k = clamp(z.k * factor, MIN_ZOOM, MAX_ZOOM);
    z.x = px - ((px - z.x) * k) / z.k;
    z.y = py - ((py - z.y) * k) / z.k;
    z.k = k;
    applyZoom();
  }

  function fitBox(b, maxK) {
    const c = canvasSize();
    state.autoFit = false;
    if (!c.w || !c.h || !b.w || !b.h) return false;
    state.zoom = placeAvoidingMinimap(b, c, maxK);
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
    const mm = state.dom.minimap ? minimapSize() : null;
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
    if (!state.size) return;
    const c = canvasSize();
    if (!c.w || !c.h) return;
    const s = state.size;
    const whole = Math.min((c.w - 32) / s.w, (c.h - 32) / s.h);
    if (whole >= 0.4) {
      state.fitted = fitBox({ x: 0, y: 0, w: s.w, h: s.h }, 1.1);
      state.autoFit = true;
      return;
    }
    const k = clamp(Math.min((c.w - 32) / s.w, 0.9), MIN_ZOOM, 1.1);
    state.zoom = { k, x: c.w / 2 - (s.w / 2) * k, y: 12 };
    applyZoom();
    state.fitted = state.autoFit = true;
  }

  function centreOn(key, minK) {
    const b = state.boxes.get(key);
    state.autoFit = false;
    const c = canvasSize();
    if (!b || !c.w) return;
    const z = state.zoom;
    z.k = Math.max(z.k, minK || 0);
    z.x = c.w / 2 - (b.x + b.w / 2) * z.k;
    z.y = c.h / 2 - (b.y + b.h / 2) * z.k;
    if (!isGroupKey(key)) keepClusterInView(+key.slice(1));
    applyZoom();
  }

  /* Centring a node can cut its clusters' titles off at the left; shift sideways so that the
     outermost enclosing cluster that fits the canvas width is wholly in view (the node is inside it). */
  function keepClusterInView(i) {
    const c = canvasSize(), z = state.zoom, m = 12;
    for (const gid of ancestorsOfOp(i).slice(1)) {
      const b = state.boxes.get('g' + gid);
      if (!b || b.w * z.k > c.w - 2 * m) continue;
      const left = b.x * z.k + z.x, right = left + b.w * z.k;
      if (left < m) z.x += m - left;
      else if (right > c.w - m) z.x -= right - (c.w - m);
      return;
    }
  }

  /* Re-lay out after a toggle, keeping `anchorKey` at the same place on screen. */
  function relayoutKeeping(anchorKey) {
    const before = state.boxes.get(anchorKey);
    state.autoFit = false;
    render();
    const after = state.boxes.get(anchorKey);
    if (before && after) {
      state.zoom.x += (before.x - after.x) * state.zoom.k;
      state.zoom.y += (before.y - after.y) * state.zoom.k;
    }
  }

  /* Bring a box into view after it grew: zoom out (not below 0.35) until it fits, keeping its
     top-left where it was, then shift it inside the canvas, top-left first. */
  function revealBox(b) {
    const c = canvasSize(), z = state.zoom, m = 12;
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
    const svg = state.dom.svg;
    svg.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = state.dom.scroller.getBoundingClientRect();
      const delta = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
      zoomAt(Math.exp(-delta * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });

    let drag = null;
    svg.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      drag = { id: ev.pointerId, sx: ev.clientX, sy: ev.clientY, x: state.zoom.x, y: state.zoom.y, moved: false };
    });
    svg.addEventListener('pointermove', (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      const dx = ev.clientX - drag.sx, dy = ev.clientY - drag.sy;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      if (!drag.moved) { drag.moved = true; svg.setPointerCapture(ev.pointerId); svg.classList.add('panning'); }
      state.autoFit = false;
      state.zoom.x = drag.x + dx;
      state.zoom.y = drag.y + dy;
      applyZoom();
    });
    const end = (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      // A drag must not also count as a click on whatever is under the pointer.
      state.suppressClick = drag.moved;
      svg.classList.remove('panning');
      drag = null;
    };
    svg.addEventListener('pointerup', end);
    svg.addEventListener('pointercancel', end);
  }

  /* ---------------------------------------------------------------- interaction */

  function toggleGroup(gid) {
    const g = state.model.groups[gid];
    if (!g || gid === 0) return;
    const t0 = performance.now();
    const opening = !isExpanded(gid);
    setExpanded(gid, opening);
    if (opening) autoOpen(gid);
    state.focusGroup = opening ? gid : Math.max(0, g.parent);
    syncSelectedKey();
    relayoutKeeping('g' + gid);
    if (opening) revealBox(state.boxes.get('g' + gid));
    applyZoom();
    state.lastToggleMs = performance.now() - t0;
  }

  function groupIdFromElement(node) {
    const holder = node.closest('[data-group]');
    if (holder) return +holder.getAttribute('data-group');
    return null;
  }

  function onClick(ev) {
    if (state.suppressClick) { state.suppressClick = false; return; }
    const toggle = ev.target.closest('[data-testid=scope-toggle]');
    if (toggle) { toggleGroup(groupIdFromElement(toggle)); return; }
    const opNode = ev.target.closest('[data-testid=graph-node]');
    if (opNode) { WG.select(+opNode.getAttribute('data-op-index'), 'graph'); return; }
    const scope = ev.target.closest('[data-testid=graph-scope],[data-testid=graph-cluster]');
    if (scope) { state.focusGroup = groupIdFromElement(scope); renderBreadcrumbs(); }
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
      const again = state.dom.svg.querySelector('[data-group="' + gid + '"] [data-testid=scope-toggle]');
      if (again) again.focus();
      return;
    }
    const c = canvasSize();
    const step = 60;
    const actions = {
      '+': () => zoomAt(1.25, c.w / 2, c.h / 2), '=': () => zoomAt(1.25, c.w / 2, c.h / 2),
      '-': () => zoomAt(0.8, c.w / 2, c.h / 2), '_': () => zoomAt(0.8, c.w / 2, c.h / 2),
      '0': () => fit(),
      ArrowLeft: () => { state.zoom.x += step; applyZoom(); },
      ArrowRight: () => { state.zoom.x -= step; applyZoom(); },
      ArrowUp: () => { state.zoom.y += step; applyZoom(); },
      ArrowDown: () => { state.zoom.y -= step; applyZoom(); },
    };
    const act = actions[ev.key];
    if (act && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      state.autoFit = false;
      act();
    }
  }

  /* ---------------------------------------------------------------- selection */

  /* The key of the node that currently stands for the selected op (itself, or a collapsed scope). */
  function syncSelectedKey() {
    const i = WG.state && WG.state.selected;
    state.selectedKey = i == null || !state.model.ops[i] ? null : visibleKeyOfOp(i);
  }

  function markSelection() {
    const svg = state.dom.svg;
    svg.querySelectorAll('.selected, .contains-selected').forEach((n) => n.classList.remove('selected', 'contains-selected'));
    const key = state.selectedKey;
    if (!key) return;
    const node = isGroupKey(key)
      ? svg.querySelector('[data-testid=graph-scope][data-group="' + key.slice(1) + '"]')
      : svg.querySelector('[data-testid=graph-node][data-op-index="' + key.slice(1) + '"]');
    if (node) node.classList.add(isGroupKey(key) ? 'contains-selected' : 'selected');
  }

  function onSelect(i, source) {
    if (i == null || !state.model.ops[i]) {
      state.selectedKey = null;
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
    const h = WG.h;
    const nav = state.dom.crumbs;
    if (!nav) return;
    const i = WG.state ? WG.state.selected : null;
    const hasOp = i != null && state.model.ops[i];
    const chain = hasOp ? ancestorsOfOp(i) : ancestorsOfGroup(state.focusGroup || 0);
    const separator = () => h('span', { class: 'wg-crumb-sep', 'aria-hidden': 'true', text: '\u203a' });
    nav.textContent = '';
    chain.forEach((gid, k) => {
      const g = state.model.groups[gid];
      if (k > 0) nav.appendChild(separator());
      nav.appendChild(h('button', { type: 'button', class: 'wg-crumb', 'data-scope': g.path, 'data-group': gid,
        title: gid === 0 ? 'Collapse everything' : 'Collapse back to ' + (g.path || g.label), text: g.label }));
    });
    if (hasOp) {
      const op = state.model.ops[i];
      nav.appendChild(separator());
      nav.appendChild(h('span', { class: 'wg-crumb current', title: op.name, text: shortOpName(op) }));
    }
  }

  function onCrumb(ev) {
    const b = ev.target.closest('button.wg-crumb');
    if (!b) return;
    const gid = +b.getAttribute('data-group');
    collapseBelow(gid);
    state.focusGroup = gid;
    syncSelectedKey();
    render();
    if (gid === 0) fit();
    else {
      const box = state.boxes.get('g' + gid);
      if (box) fitBox(box, 1);
    }
  }

  /* ---------------------------------------------------------------- minimap */

  /* Read once: the minimap has a fixed CSS size, and reading it after a re-render would force layout. */
  function minimapSize() {
    if (!state.mmSize) {
      const W = state.dom.minimap.clientWidth, H = state.dom.minimap.clientHeight;
      if (!W || !H) return { W: 168, H: 112 };
      state.mmSize = { W, H };
    }
    return state.mmSize;
  }

  /* The overview is a canvas (cheap at any size) with the viewport as a positioned box on top. */
  function renderMinimap(out) {
    const cv = state.dom.minimapCanvas;
    const s = state.size;
    if (!s.w || !s.h) return;
    const { W, H } = minimapSize();
    const ratio = window.devicePixelRatio || 1;
    cv.width = Math.round(W * ratio);
    cv.height = Math.round(H * ratio);
    const k = Math.min((W - 8) / s.w, (H - 8) / s.h);
    state.mm = { k, x: (W - s.w * k) / 2, y: (H - s.h * k) / 2 };
    const ctx = cv.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const rect = (b) => [state.mm.x + b.x * k, state.mm.y + b.y * k, Math.max(1, b.w * k), Math.max(1, b.h * k)];
    ctx.fillStyle = 'rgba(120,134,156,0.12)';
    ctx.strokeStyle = '#9aa3b0';
    ctx.lineWidth = 1;
    for (const [, b] of out.clusterList) { ctx.fillRect(...rect(b)); ctx.strokeRect(...rect(b)); }
    for (const [i, b] of out.ops) { ctx.fillStyle = fillOf('o' + i); ctx.fillRect(...rect(b)); }
    for (const [g, b] of out.collapsed) { ctx.fillStyle = fillOf('g' + g.id); ctx.fillRect(...rect(b)); }
    updateMinimapViewport();
  }

  function updateMinimapViewport() {
    const box = state.dom.minimapView, m = state.mm;
    if (!box || !m) return;
    const c = canvasSize(), z = state.zoom;
    const { W, H } = minimapSize();
    // Clip to the minimap so a zoomed-out view still shows a sensible frame.
    const x0 = clamp(m.x + (-z.x / z.k) * m.k, 0, W), y0 = clamp(m.y + (-z.y / z.k) * m.k, 0, H);
    const x1 = clamp(m.x + ((c.w - z.x) / z.k) * m.k, 0, W), y1 = clamp(m.y + ((c.h - z.y) / z.k) * m.k, 0, H);
    box.style.transform = 'translate(' + r1(x0) + 'px,' + r1(y0) + 'px)';
    box.style.width = r1(Math.max(2, x1 - x0)) + 'px';
    box.style.height = r1(Math.max(2, y1 - y0)) + 'px';
  }

  function installMinimap() {
    const mm = state.dom.minimap;
    let dragging = false;
    const moveTo = (ev) => {
      const r = mm.getBoundingClientRect(), m = state.mm;
      if (!m) return;
      const p = { x: (ev.clientX - r.left - m.x) / m.k, y: (ev.clientY - r.top - m.y) / m.k };
      const c = canvasSize(), z = state.zoom;
      state.autoFit = false;
      z.x = c.w / 2 - p.x * z.k;
      z.y = c.h / 2 - p.y * z.k;
      applyZoom();
    };
    mm.addEventListener('pointerdown', (ev) => { dragging = true; mm.setPointerCapture(ev.pointerId); moveTo(ev); ev.preventDefault(); });
    mm.addEventListener('pointermove', (ev) => { if (dragging) moveTo(ev); });
    mm.addEventListener('pointerup', () => { dragging = false; });
    mm.addEventListener('pointercancel', () => { dragging = false; });
  }

  /* ---------------------------------------------------------------- the pane */

  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const k in attrs || {}) node.setAttribute(k, attrs[k]);
    return node;
  }

  function buildDom(pane) {
    const h = WG.h;
    pane.classList.add('wg-graph-pane');
    const select = h('select', { 'data-testid': 'graph-metric', 'aria-label': 'Graph colour metric' },
      state.metrics.map((m) => h('option', { value: m.key, text: m.label })));
    select.value = state.metric.key;
    const label = h('label', { class: 'wg-graph-metric-label' }, 'Colour by ', select);
    const fitBtn = h('button', { type: 'button', class: 'wg-btn', 'data-testid': 'graph-fit', title: 'Fit the graph (0)', text: 'Fit' });
    const collapseBtn = h('button', { type: 'button', class: 'wg-btn', 'data-testid': 'graph-collapse-all', title: 'Collapse every scope', text: 'Collapse all' });
    const zoomIn = h('button', { type: 'button', class: 'wg-btn', title: 'Zoom in (+)', 'aria-label': 'Zoom in', text: '+' });
    const zoomOut = h('button', { type: 'button', class: 'wg-btn', title: 'Zoom out (\u2212)', 'aria-label': 'Zoom out', text: '\u2212' });
    const bar = h('div', { class: 'wg-graph-toolbar' }, label, zoomOut, zoomIn, fitBtn, collapseBtn);
    const crumbs = h('nav', { class: 'wg-crumbs', 'data-testid': 'breadcrumbs', 'aria-label': 'Scope path' });
    const svg = svgEl('svg', { 'data-testid': 'graph', class: 'wg-graph-svg', tabindex: '0', role: 'group',
      'aria-label': 'Model graph. Arrow keys pan, plus and minus zoom, 0 fits.' });
    svg.innerHTML = '<defs>'
      + '<marker id="wg-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,1L9,5L0,9z" class="wg-arrowhead"/></marker>'
      + '<marker id="wg-arrow-x" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" orient="auto-start-reverse" markerUnits="userSpaceOnUse"><path d="M0,1L9,5L0,9z" class="wg-arrowhead xunit"/></marker>'
      + '</defs>';
    const viewport = svgEl('g', { class: 'wg-graph-viewport' });
    svg.appendChild(viewport);
    const minimapCanvas = h('canvas');
    const minimapView = h('div', { class: 'mm-view' });
    const minimap = h('div', { 'data-testid': 'minimap', class: 'wg-minimap', role: 'img', 'aria-label': 'Overview; click or drag to move the view' },
      minimapCanvas, minimapView);
    const legend = h('div', { class: 'wg-legend', 'aria-live': 'polite' });
    const scroller = h('div', { class: 'wg-graph-scroll' }, svg);
    scroller.addEventListener('scroll', syncFromScroll, { passive: true });
    const canvas = h('div', { class: 'wg-graph-canvas' }, scroller, minimap);
    pane.textContent = '';
    pane.append(bar, crumbs, canvas, legend);
    state.dom = { pane, select, svg, viewport, minimap, minimapCanvas, minimapView, legend, crumbs, canvas, scroller };

    select.addEventListener('change', () => setMetric(select.value, true));
    fitBtn.addEventListener('click', fit);
    zoomIn.addEventListener('click', () => { const c = canvasSize(); zoomAt(1.25, c.w / 2, c.h / 2); });
    zoomOut.addEventListener('click', () => { const c = canvasSize(); zoomAt(0.8, c.w / 2, c.h / 2); });
    collapseBtn.addEventListener('click', () => { collapseBelow(0); state.focusGroup = 0; syncSelectedKey(); render(); fit(); });
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
        state.canvasSize = { w: r.width, h: r.height };
        const c = canvasSize();
        if (!c.w || !c.h) return;
        // Until the user moves the view, keep it fitted; otherwise keep it and recompute the
        // scroll padding (one canvas size) for the new size.
        if (!state.fitted || state.autoFit) fit(); else applyZoom();
      }).observe(canvas);
    }
  }

  function setMetric(key, announce) {
    const m = state.metrics.find((x) => x.key === key);
    if (!m || m === state.metric) return;
    state.metric = m;
    state.dom.select.value = key;
    render();
    applyZoom();
    if (announce) WG.bus.emit('metric', key);
  }

  function init() {
    const pane = document.getElementById('graph-pane');
    if (!pane || !WG.doc) return;
    const t0 = performance.now();
    state.metrics = graphMetrics();
    state.metric = state.metrics[0];
    state.model = buildHierarchy(WG.doc);
    liftEdges(state.model, WG.edges());
    const tModel = performance.now();
    buildDom(pane);
    if (!state.model.ops.length) {
      state.dom.canvas.appendChild(WG.h('p', { class: 'wg-graph-empty', text: 'This report has no operators.' }));
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
    WG.bus.on('metric', (key) => { if (state.metric && key !== state.metric.key) setMetric(key, false); });
    // The pane may have been hidden (another tab first) or resized: fit once it has a size.
    const refit = () => { if (!state.fitted) fit(); };
    WG.bus.on('tab', refit);
    WG.bus.on('resize', refit);
    state.timings = { modelMs: tModel - t0, firstRenderMs: performance.now() - tModel };
  }

  WG.modules.push({ id: 'graph', order: 20, mount: init });

  // Exposed for debugging and the dev timing checks.
  WG.graph = {
    init,
    timings: () => Object.assign({}, state.timings, { lastRender: state.lastRender, lastToggleMs: state.lastToggleMs }),
    toggle: (path) => {
      const g = state.model.groups.find((x) => x.path === path);
      if (g) toggleGroup(g.id);
    },
    fit,
  };
})();
