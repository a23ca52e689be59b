// Boot: fills the header, registers the Explore tab, mounts every module (see 00-core.js for the
// convention), wires the split panes and sets window.WG_READY once the first render is done.
(function () {
  'use strict';
  const WG = window.WG;
  const h = WG.h;

  function baseName(path) {
    return String(path || '').split(/[\\/]/).pop();
  }

  // Schema 1.4: each memory's need against the device's, as MCU tools show flash and RAM apart.
  function memoryBadges(memory) {
    if (!memory) return [];
    const badge = (name, m, holds) => h('span', {
      class: 'badge' + (m.fits === false ? ' badge-bad' : ''), 'data-testid': `memory-${name.toLowerCase()}`,
      text: `${name} ${WG.fmt.bytes(m.needed_bytes)}` + (m.capacity_bytes != null ? ` of ${WG.fmt.bytes(m.capacity_bytes)}` : ''),
      title: holds + (m.fits === false ? ' (exceeded)' : ''),
    });
    const inPlace = memory.weights_in === 'storage';
    const out = [];
    if (inPlace) out.push(badge('Flash', memory.storage, 'weights, read in place'));
    out.push(badge('RAM', memory.ram, inPlace ? 'activations + I/O' : 'weights + activations + I/O'));
    return out;
  }

  function renderHeader() {
    const doc = WG.doc;
    const model = doc.model || {};
    const device = (doc.plan && doc.plan.device) || {};
    const modelName = baseName(model.path) || model.graph_name || 'model';
    document.title = `${modelName} · winglet report`;
    const modelEl = document.getElementById('header-model');
    modelEl.replaceChildren(h('span', { class: 'header-label', text: 'Model' }),
      h('strong', { text: modelName, title: model.path || '' }),
      model.graph_name && model.graph_name !== modelName ? h('span', { class: 'muted', text: model.graph_name }) : null);
    document.getElementById('header-device').replaceChildren(
      h('span', { class: 'header-label', text: 'Device' }),
      h('strong', { text: device.name || device.id || 'unknown', title: device.id || '' }));
    const extra = [];
    const totals = doc.totals || {};
    extra.push(h('span', { text: `${WG.fmt.count(WG.doc.ops.length)} ops` }));
    // Schema 1.4: a measured plan says so, with its spread; a predicted one says it is a prediction.
    const measurement = (doc.plan || {}).measurement;
    if (measurement) {
      const l = measurement.latency_ms;
      extra.push(h('span', { class: 'badge badge-ok', 'data-testid': 'header-measured', text: `measured: median of ${measurement.runs} runs`,
        title: `${WG.fmt.ms(l.median)} (min ${WG.fmt.ms(l.min)}, p90 ${WG.fmt.ms(l.p90)}, max ${WG.fmt.ms(l.max)}, stdev ${WG.fmt.ms(l.stdev)})\n` +
          `${measurement.measured_on}\n${measurement.runtime}${measurement.energy_measured ? '' : '\nenergy not measured (no energy meter)'}` }));
    } else if ((doc.plan || {}).source === 'predicted') {
      extra.push(h('span', { class: 'muted', text: 'predicted', title: 'every figure comes from the device\'s cost model' }));
    }
    if (totals.fits === false) extra.push(h('span', { class: 'badge badge-bad', text: 'does not fit', title: (doc.plan || {}).fit_detail || '' }));
    else if (totals.fits === true) extra.push(h('span', { class: 'badge badge-ok', text: 'fits', title: (doc.plan || {}).fit_detail || '' }));
    // The inputs the numbers hold for (--input, --input-value), and the shapes that stayed unknown.
    const given = (model.given_inputs || []).map((g) => {
      const dims = g.shape ? (g.shape.length ? g.shape.join('x') : 'scalar') : '';
      const values = g.values ? g.values.join(',') : '';
      return `${g.name}=${dims}${dims && values ? ' = ' : ''}${values}`;
    });
    if (given.length) extra.push(h('span', { class: 'muted', text: `inputs ${given.join(', ')}`, title: 'the inputs this report was computed for' }));
    const unknown = doc.unknown_shapes || [];
    if (unknown.length) {
      const lines = unknown.slice(0, 20).map((u) => `${u.value} from ${u.op}: ${u.reason}`);
      if (unknown.length > 20) lines.push(`… and ${unknown.length - 20} more (all in the JSON report)`);
      extra.push(h('span', { class: 'badge badge-bad', text: `${WG.fmt.count(unknown.length)} unknown shapes`,
        title: lines.concat(doc.shape_suggestions || []).join('\n') }));
    }
    extra.push(...memoryBadges((doc.plan || {}).memory));
    if (WG.mode === 'compare') extra.push(h('span', { class: 'badge', text: `comparing ${(WG.payload.reports || []).length} reports` }));
    if (doc.schema_version) extra.push(h('span', { class: 'muted', text: `schema ${doc.schema_version}` }));
    document.getElementById('header-extra').replaceChildren(...extra);
  }

  // Drag (or arrow keys on) a splitter to resize the pane it names; the graph pane takes the rest.
  function wireSplitters() {
    for (const bar of document.querySelectorAll('.splitter[data-resize]')) {
      const pane = document.getElementById(bar.dataset.resize);
      const fromRight = pane.id === 'side-pane';
      const setWidth = (w) => {
        const max = document.getElementById('explore').clientWidth - 200;
        pane.style.flexBasis = Math.max(180, Math.min(max, w)) + 'px';
        WG.bus.emit('resize');
      };
      bar.addEventListener('pointerdown', (e) => {
        e.preventDefault();
        bar.setPointerCapture(e.pointerId);
        const startX = e.clientX;
        const startW = pane.getBoundingClientRect().width;
        const move = (ev) => setWidth(startW + (fromRight ? startX - ev.clientX : ev.clientX - startX));
        const up = () => { bar.removeEventListener('pointermove', move); bar.removeEventListener('pointerup', up); };
        bar.addEventListener('pointermove', move);
        bar.addEventListener('pointerup', up);
      });
      bar.addEventListener('keydown', (e) => {
        const step = e.shiftKey ? 64 : 16;
        const grow = fromRight ? 'ArrowLeft' : 'ArrowRight';
        const shrink = fromRight ? 'ArrowRight' : 'ArrowLeft';
        if (e.key !== grow && e.key !== shrink) return;
        e.preventDefault();
        setWidth(pane.getBoundingClientRect().width + (e.key === grow ? step : -step));
      });
    }
    window.addEventListener('resize', () => WG.bus.emit('resize'));
  }

  function mountModules() {
    const modules = WG.modules.slice().sort((a, b) => (a.order || 0) - (b.order || 0));
    return modules.map((m) => {
      const t = performance.now();
      try {
        return Promise.resolve(m.mount && m.mount());
      } catch (e) {
        console.error(`winglet: module ${m.id} failed to mount`, e);
        return Promise.resolve();
      } finally {
        WG.timings['mount ' + m.id] = Math.round(performance.now() - t);
      }
    });
  }

  function boot() {
    WG.timings = { 'scripts loaded': Math.round(performance.now()) };   // ms since navigation; dev aid
    renderHeader();
    WG.mountPanel('explore', 'Explore', document.getElementById('tab-explore'), { order: 0 });
    wireSplitters();
    const pending = mountModules();
    try { WG.renderSummary(); } catch (e) { console.error('winglet: summary failed', e); }
    const first = WG.panels[0];
    if (first) WG.showTab(first.id);
    Promise.allSettled(pending).then(() => {
      WG.timings.ready = Math.round(performance.now());
      window.WG_READY = true;
      document.body.dataset.ready = 'true';
    });
  }

  // The scripts sit at the end of <body>, so the skeleton already exists: boot now, before any
  // DOMContentLoaded listener, so that modules see a laid-out page.
  boot();
})();
