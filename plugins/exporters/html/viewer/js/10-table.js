// Op table: every op with all its metrics; sort, filter, group, hot-spot bars, keyboard and linked
// selection. Virtualised: only the rows in view are in the DOM, so 10,000 ops stay fast.
(function () {
  'use strict';
  const WG = window.WG;
  const h = WG.h;
  const ops = WG.doc.ops;
  const ROW_H = 22;          // keep in sync with --row-h in style.css
  const OVERSCAN = 8;       // extra rows above/below the viewport, so fast scrolling shows no gaps

  const isNum = (x) => typeof x === 'number' && isFinite(x);
  const num = (key) => (op) => (isNum(op[key]) ? op[key] : null);
  const comp = (key) => (op) => (op.compression && op.compression[key] != null ? op.compression[key] : null);
  const hasCompression = ops.some((op) => op.compression);

  function maxOf(key) {
    let m = 0;
    for (const op of ops) if (isNum(op[key]) && op[key] > m) m = op[key];
    return m;
  }
  function sumOf(key) {
    let s = 0;
    for (const op of ops) if (isNum(op[key])) s += op[key];
    return s;
  }
  const max = { latency_us: maxOf('latency_us'), energy_uj: maxOf('energy_uj') };
  const total = { latency_us: sumOf('latency_us'), energy_uj: sumOf('energy_uj') };

  // Column model. type: 'num' sorts numerically and is summed in group rows when `sum` is set.
  const COLUMNS = [
    { key: 'index', label: '#', type: 'num', width: ops.length > 999 ? 66 : 52, get: (op, i) => i, title: 'Execution order (op id)' },
    { key: 'name', label: 'Name', type: 'text', width: 240, get: (op) => op.name || '' },
    { key: 'op_type', label: 'Op type', type: 'text', width: 110, get: (op) => op.op_type || '' },
    { key: 'scope', label: 'Scope', type: 'text', width: 180, get: (op) => op.scope || '' },
    { key: 'unit', label: 'Unit', type: 'text', width: 64, get: (op) => op.unit || '' },
    { key: 'latency_us', label: 'Latency', type: 'num', width: 104, get: num('latency_us'), fmt: WG.fmt.us, sum: true, bar: 'latency' },
    { key: 'energy_uj', label: 'Energy', type: 'num', width: 104, get: num('energy_uj'), fmt: WG.fmt.uj, sum: true, bar: 'energy' },
    { key: 'memory_traffic_bytes', label: 'Mem traffic', type: 'num', width: 84, get: num('memory_traffic_bytes'), fmt: WG.fmt.bytes, sum: true },
    { key: 'macs', label: 'MACs', type: 'num', width: 70, get: num('macs'), fmt: WG.fmt.count, sum: true },
    { key: 'flops', label: 'FLOPs', type: 'num', width: 70, get: num('flops'), fmt: WG.fmt.count, sum: true },
    { key: 'params', label: 'Params', type: 'num', width: 66, get: num('params'), fmt: WG.fmt.count, sum: true },
    { key: 'weight_bytes', label: 'Weights', type: 'num', width: 76, get: num('weight_bytes'), fmt: WG.fmt.bytes, sum: true },
    { key: 'output_bytes', label: 'Output', type: 'num', width: 76, get: num('output_bytes'), fmt: WG.fmt.bytes, sum: true },
    { key: 'start_us', label: 'Start', type: 'num', width: 76, get: num('start_us'), fmt: WG.fmt.us },
    { key: 'bound', label: 'Bound', type: 'text', width: 72, get: (op) => op.bound || '' },
    { key: 'critical', label: 'Critical', type: 'num', width: 56, get: (op) => (op.critical ? 1 : 0), fmt: (v) => (v ? '●' : ''), sum: true, sumFmt: (v) => String(v), title: 'On the critical path' },
    { key: 'fallback_reason', label: 'Fallback', type: 'text', width: 160, get: (op) => op.fallback_reason || '' },
  ];
  // A measured plan (schema 1.4): where each op's time comes from.
  if ((WG.doc.plan || {}).source === 'measured') {
    COLUMNS.splice(6, 0, { key: 'source', label: 'Source', type: 'text', width: 92, get: (op) => op.source || '',
      title: 'measured: a runtime kernel ran for this op and was timed; fused: it ran inside another op\'s kernel; folded: computed once at load' });
  }
  if (hasCompression) {
    COLUMNS.push(
      { key: 'sqnr_db', label: 'SQNR', type: 'num', width: 66, get: comp('sqnr_db'), fmt: (v) => (v == null ? '' : WG.fmt.db(v)), title: 'Weight compression error (signal-to-quantisation-noise ratio); higher is better' },
      // compression.bits is the whole stored tensor (codes, scales, tables, masks): shown against the original.
      { key: 'bits', label: 'Stored', type: 'num', width: 60, get: (op) => storedFraction(op), fmt: (v) => (v == null ? '' : WG.fmt.pct(v)), title: 'Stored size of the compressed weight as a share of the original (codes + scales + tables + masks)' },
      { key: 'technique', label: 'Compression', type: 'text', width: 96, get: (op) => (op.compression && op.compression.technique) || '' });
  }
  const COL = new Map(COLUMNS.map((c) => [c.key, c]));
  const TEXT_DEFAULT_FMT = (v) => v;

  // ---------- view state ----------
  const view = {
    sortKey: 'index', sortDir: 'asc',
    text: '', opType: '', unit: '', flag: '', groupBy: '',
    collapsed: new Set(),
    items: [],          // op index (number) or group object, in display order
    rowOf: new Map(),   // op index -> position in items
    shownOps: 0,
    cursor: -1,         // position in items of the keyboard cursor
  };
  let els = null;       // DOM references, set by mount()

  // ---------- filtering, sorting, grouping ----------
  const searchText = ops.map((op) => `${op.name || ''}\n${op.op_type || ''}\n${op.scope || ''}\n${op.unit || ''}`.toLowerCase());

  function matches(i) {
    const op = ops[i];
    if (view.opType && op.op_type !== view.opType) return false;
    if (view.unit && op.unit !== view.unit) return false;
    if (view.flag === 'critical' && !op.critical) return false;
    if (view.flag === 'fallback' && !op.fallback_reason) return false;
    if (view.flag === 'compressed' && !op.compression) return false;
    if (view.flag === 'costly' && !(op.latency_us > 0 || op.energy_uj > 0)) return false;
    if (view.text) {
      const hay = searchText[i];
      for (const term of view.text) if (!hay.includes(term)) return false;
    }
    return true;
  }

  // Compares two op indices by the sort column: nulls last in both directions, ties by execution order.
  function storedFraction(op) {
    const c = op.compression;
    return c && c.bits != null && c.original_bits ? c.bits / c.original_bits : null;
  }

  function comparator() {
    const col = COL.get(view.sortKey) || COL.get('index');
    const dir = view.sortDir === 'desc' ? -1 : 1;
    const values = ops.map((op, i) => col.get(op, i));
    if (col.type === 'num') {
      return (a, b) => {
        const x = values[a], y = values[b];
        if (x == null || y == null) return x == null && y == null ? a - b : x == null ? 1 : -1;
        return x === y ? a - b : (x - y) * dir;
      };
    }
    return (a, b) => {
      const x = values[a], y = values[b];
      if (!x || !y) return !x && !y ? a - b : !x ? 1 : -1;
      const c = x < y ? -1 : x > y ? 1 : 0;
      return c === 0 ? a - b : c * dir;
    };
  }

  function groupKeyOf(i) {
    const op = ops[i];
    if (view.groupBy === 'op_type') return op.op_type || '(none)';
    if (view.groupBy === 'scope') return op.scope || '/';
    if (view.groupBy === 'unit') return op.unit || '(none)';
    return '';
  }

  function makeGroup(key, members) {
    const sums = {};
    for (const c of COLUMNS) {
      if (!c.sum) continue;
      let s = 0, any = false;
      for (const i of members) { const v = c.get(ops[i], i); if (v != null) { s += v; any = true; } }
      sums[c.key] = any ? s : null;
    }
    let first = Infinity;
    for (const i of members) if (i < first) first = i;
    return { group: true, key, ops: members, sums, first };
  }

  function rebuild() {
    const shown = [];
    for (let i = 0; i < ops.length; i++) if (matches(i)) shown.push(i);
    shown.sort(comparator());
    view.shownOps = shown.length;
    let items;
    if (!view.groupBy) {
      items = shown;
    } else {
      const groups = new Map();
      for (const i of shown) {
        const k = groupKeyOf(i);
        if (!groups.has(k)) groups.set(k, []);
        groups.get(k).push(i);
      }
      const list = [...groups].map(([k, members]) => makeGroup(k, members));
      sortGroups(list);
      items = [];
      for (const g of list) {
        items.push(g);
        if (!view.collapsed.has(g.key)) for (const i of g.ops) items.push(i);
      }
    }
    view.items = items;
    view.rowOf = new Map();
    items.forEach((it, k) => { if (typeof it === 'number') view.rowOf.set(it, k); });
    const sel = WG.state.selected;
    view.cursor = sel != null && view.rowOf.has(sel) ? view.rowOf.get(sel) : Math.min(view.cursor, items.length - 1);
  }

  // Groups follow the sort column when it can be summed (biggest first), else their first op.
  function sortGroups(list) {
    const col = COL.get(view.sortKey);
    const dir = view.sortDir === 'desc' ? -1 : 1;
    if (col && col.sum) {
      list.sort((a, b) => ((a.sums[col.key] || 0) - (b.sums[col.key] || 0)) * dir || a.first - b.first);
    } else if (col && col.key === view.groupBy) {
      list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) * dir);
    } else {
      list.sort((a, b) => a.first - b.first);
    }
  }

  // ---------- rendering ----------
  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ESC[c]);

  function cellText(col, v) {
    if (v == null || v === '') return '';
    return (col.fmt || TEXT_DEFAULT_FMT)(v);
  }

  function barStyle(col, v) {
    const m = max[col.key];
    if (!m || !isNum(v) || v <= 0) return '';
    return ` style="--w:${Math.max(1, Math.round((v / m) * 100))}%"`;
  }

  function shareTitle(col, v) {
    const t = total[col.key];
    return t && isNum(v) ? ` title="${esc(WG.fmt.pct(v / t))} of total"` : '';
  }

  // The exact number behind a numeric cell's text (data-value), as in the JSON export.
  function rawValue(col, v) {
    return col.type === 'num' && typeof v === 'number' && Number.isFinite(v) ? ` data-value="${v}"` : '';
  }

  function opCellHtml(col, op, i) {
    const v = col.get(op, i);
    const text = cellText(col, v);
    const cls = `c c-${col.key}${col.type === 'num' ? ' num' : ''}`;
    if (col.bar) return `<div class="${cls} bar bar-${col.bar}" role="gridcell"${barStyle(col, v)}${shareTitle(col, v)}${rawValue(col, v)}>${esc(text)}</div>`;
    if (col.key === 'index') {
      const t = max.latency_us ? Math.sqrt((op.latency_us || 0) / max.latency_us) : 0;
      return `<div class="${cls}" role="gridcell"><span class="heat" style="background:${WG.colorScale(t)}" title="latency heat"></span>${i}</div>`;
    }
    if (col.key === 'unit') return `<div class="${cls}" role="gridcell"><span class="swatch" style="background:${WG.unitColor(op.unit)}"></span>${esc(text)}</div>`;
    if (col.key === 'name') {
      const mark = op.fallback_reason ? '<span class="mark-fallback" title="fallback">⚠</span>' : '';
      return `<div class="${cls}" role="gridcell" title="${esc(op.name || '')}">${mark}${esc(text)}</div>`;
    }
    const title = col.type === 'text' && text ? ` title="${esc(text)}"` : '';
    return `<div class="${cls}" role="gridcell"${title}${rawValue(col, v)}>${esc(text)}</div>`;
  }

  function opRowHtml(i, k) {
    const op = ops[i];
    const selected = WG.state.selected === i;
    const cls = 'r op' + (selected ? ' selected' : '') + (k === view.cursor ? ' cursor' : '') +
      (op.fallback_reason ? ' fallback' : '') + (op.critical ? ' critical' : '');
    let html = `<div class="${cls}" role="row" id="op-row-${i}" tabindex="-1" data-testid="op-row" data-op-index="${i}" ` +
      `aria-rowindex="${k + 2}" aria-selected="${selected}" style="top:${k * ROW_H}px">`;
    for (const col of COLUMNS) html += opCellHtml(col, op, i);
    return html + '</div>';
  }

  function groupRowHtml(g, k) {
    const open = !view.collapsed.has(g.key);
    let html = `<div class="r grp${k === view.cursor ? ' cursor' : ''}" role="row" tabindex="-1" data-testid="group-row" ` +
      `data-group="${esc(g.key)}" aria-expanded="${open}" aria-rowindex="${k + 2}" style="top:${k * ROW_H}px">`;
    for (const col of COLUMNS) {
      let text = '';
      if (col.key === 'index') text = `<span class="twisty">${open ? '▾' : '▸'}</span>`;
      else if (col.key === 'name') text = `<b>${esc(g.key)}</b> <span class="muted">${g.ops.length} op${g.ops.length === 1 ? '' : 's'}</span>`;
      else if (col.sum && g.sums[col.key] != null) text = esc((col.sumFmt || col.fmt)(g.sums[col.key]));
      const bar = col.bar ? ` bar bar-${col.bar}` : '';
      const style = col.bar && total[col.key] ? ` style="--w:${Math.round((g.sums[col.key] / total[col.key]) * 100)}%"` : '';
      const title = col.bar && total[col.key] ? ` title="${esc(WG.fmt.pct(g.sums[col.key] / total[col.key]))} of total"` : col.key === 'name' ? ` title="${esc(g.key)}"` : '';
      html += `<div class="c c-${col.key}${col.type === 'num' ? ' num' : ''}${bar}" role="gridcell"${style}${title}>${text}</div>`;
    }
    return html + '</div>';
  }

  // Rows in the DOM, by position in view.items. Scrolling only adds the rows that come into view
  // and removes those that leave, so a frame touches a handful of rows, not the whole window.
  const rendered = new Map();
  const template = document.createElement('template');

  function rowHtml(k) {
    const it = view.items[k];
    return typeof it === 'number' ? opRowHtml(it, k) : groupRowHtml(it, k);
  }

  // force: the items changed (sort, filter, grouping), so every rendered row is stale.
  function renderRows(force) {
    const scroller = els.scroller;
    const top = scroller.scrollTop;
    const height = scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const last = Math.min(view.items.length, Math.ceil((top + height) / ROW_H) + OVERSCAN);
    const hadFocus = els.body.contains(document.activeElement);
    if (force) {
      rendered.clear();
      els.body.textContent = '';
      els.body.style.height = view.items.length * ROW_H + 'px';
    }
    for (const [k, row] of rendered) if (k < first || k >= last) { row.remove(); rendered.delete(k); }
    let html = '';
    for (let k = first; k < last; k++) if (!rendered.has(k)) html += rowHtml(k);
    if (html) {
      template.innerHTML = html;
      for (const row of template.content.children) rendered.set(Number(row.getAttribute('aria-rowindex')) - 2, row);
      els.body.append(template.content);
    }
    if (hadFocus && !els.body.contains(document.activeElement)) focusCursor();
  }

  // Selection and cursor changes only restyle the rows already in the DOM.
  function updateMarks() {
    const sel = WG.state.selected;
    for (const [k, row] of rendered) {
      const isSel = row.dataset.opIndex != null && Number(row.dataset.opIndex) === sel;
      row.classList.toggle('selected', isSel);
      if (row.dataset.opIndex != null) row.setAttribute('aria-selected', String(isSel));
      row.classList.toggle('cursor', k === view.cursor);
    }
  }

  function renderHeader() {
    for (const col of COLUMNS) {
      const cell = els.headCells.get(col.key);
      const active = view.sortKey === col.key;
      cell.setAttribute('aria-sort', active ? (view.sortDir === 'desc' ? 'descending' : 'ascending') : 'none');
      cell.querySelector('.sort').textContent = active ? (view.sortDir === 'desc' ? '▼' : '▲') : '';
    }
  }

  function renderStatus() {
    const n = view.shownOps;
    els.status.textContent = n === ops.length ? `${ops.length} ops` : `${n} of ${ops.length} ops`;
    els.table.dataset.shownOps = String(n);
    els.table.dataset.groupCount = String(view.groupBy ? view.items.length - countOpRows() : 0);
    els.empty.hidden = view.items.length > 0;
  }

  function countOpRows() {
    let n = 0;
    for (const it of view.items) if (typeof it === 'number') n++;
    return n;
  }

  function refresh() {
    rebuild();
    renderHeader();
    renderStatus();
    renderRows(true);
  }

  // ---------- interaction ----------
  function sortBy(key) {
    const col = COL.get(key);
    if (view.sortKey === key) view.sortDir = view.sortDir === 'desc' ? 'asc' : 'desc';
    else { view.sortKey = key; view.sortDir = 'desc'; }   // every column starts descending (biggest first)
    refresh();
    scrollToCursor();
    return col;
  }

  function toggleGroup(key) {
    if (view.collapsed.has(key)) view.collapsed.delete(key);
    else view.collapsed.add(key);
    refresh();
  }

  function scrollToRow(k, center) {
    if (k < 0) return;
    const s = els.scroller;
    const headH = els.head.offsetHeight;
    const y = k * ROW_H;
    const viewH = s.clientHeight - headH;
    if (center) {
      if (y < s.scrollTop || y + ROW_H > s.scrollTop + viewH) s.scrollTop = Math.max(0, y - viewH / 2);
    } else if (y < s.scrollTop) s.scrollTop = y;
    else if (y + ROW_H > s.scrollTop + viewH) s.scrollTop = y + ROW_H - viewH;
    renderRows(false);
  }
  function scrollToCursor() { scrollToRow(view.cursor, true); }

  function focusCursor() {
    const it = view.items[view.cursor];
    if (it == null) { els.scroller.focus({ preventScroll: true }); return; }
    const row = els.body.querySelector(`.r[aria-rowindex="${view.cursor + 2}"]`);
    (row || els.scroller).focus({ preventScroll: true });
  }

  function moveCursor(k) {
    if (!view.items.length) return;
    view.cursor = Math.max(0, Math.min(view.items.length - 1, k));
    const it = view.items[view.cursor];
    if (typeof it === 'number') WG.select(it, 'table');   // restyles through the 'select' listener
    else updateMarks();
    scrollToRow(view.cursor, false);
    focusCursor();
  }

  function onKey(e) {
    const page = Math.max(1, Math.floor((els.scroller.clientHeight - els.head.offsetHeight) / ROW_H) - 1);
    const k = view.cursor;
    const it = view.items[k];
    switch (e.key) {
      case 'ArrowDown': moveCursor(k + 1); break;
      case 'ArrowUp': moveCursor(k < 0 ? 0 : k - 1); break;
      case 'PageDown': moveCursor(k + page); break;
      case 'PageUp': moveCursor(k - page); break;
      case 'Home': moveCursor(0); break;
      case 'End': moveCursor(view.items.length - 1); break;
      case 'Enter': case ' ':
        if (it == null) return;
        if (typeof it === 'number') WG.select(it, 'table'); else { toggleGroup(it.key); focusCursor(); }
        break;
      case 'ArrowLeft': case 'ArrowRight':
        if (it && typeof it !== 'number' && view.collapsed.has(it.key) === (e.key === 'ArrowRight')) { toggleGroup(it.key); focusCursor(); break; }
        return;   // let the pane scroll sideways
      case 'Escape': WG.select(null, 'table'); break;
      default: return;
    }
    e.preventDefault();
  }

  function onBodyClick(e) {
    const row = e.target.closest('.r');
    if (!row) return;
    view.cursor = Number(row.getAttribute('aria-rowindex')) - 2;
    if (row.classList.contains('grp')) { toggleGroup(row.dataset.group); focusCursor(); return; }
    updateMarks();
    WG.select(Number(row.dataset.opIndex), 'table');
    focusCursor();
  }

  // Selection from anywhere: highlight the row, open its group, scroll it into view.
  function onSelect(i, info) {
    if (i != null && !view.rowOf.has(i) && view.groupBy) {
      const key = groupKeyOf(i);
      if (view.collapsed.has(key) && matches(i)) { view.collapsed.delete(key); rebuild(); renderStatus(); renderRows(true); }
    }
    if (i != null && view.rowOf.has(i)) view.cursor = view.rowOf.get(i);
    updateMarks();
    if (i != null && view.rowOf.has(i) && (!info || info.source !== 'table')) scrollToRow(view.cursor, true);
  }

  // ---------- construction ----------
  function uniqueSorted(values) {
    return [...new Set(values.filter(Boolean))].sort();
  }

  function selectEl(testid, label, options) {
    return h('select', { 'data-testid': testid, 'aria-label': label, title: label },
      options.map(([value, text]) => h('option', { value, text })));
  }

  function buildToolbar() {
    const filter = h('input', { type: 'search', 'data-testid': 'table-filter', placeholder: 'Filter name, op type, scope, unit…',
      'aria-label': 'Filter ops', spellcheck: 'false', autocomplete: 'off' });
    const types = selectEl('table-op-type', 'Op type', [['', 'All op types']].concat(uniqueSorted(ops.map((o) => o.op_type)).map((t) => [t, t])));
    const units = selectEl('table-unit', 'Unit', [['', 'All units']].concat(uniqueSorted(ops.map((o) => o.unit)).map((u) => [u, u])));
    const flagOptions = [['', 'All ops'], ['costly', 'With cost'], ['critical', 'Critical path'], ['fallback', 'Fallbacks']];
    if (hasCompression) flagOptions.push(['compressed', 'Compressed']);
    const flags = selectEl('table-flags', 'Show', flagOptions);
    const group = selectEl('table-group', 'Group by', [['', 'No grouping'], ['op_type', 'Group by op type'], ['scope', 'Group by scope'], ['unit', 'Group by unit']]);
    const status = h('span', { class: 'tbl-status muted', 'aria-live': 'polite' });

    let pending = 0;
    filter.addEventListener('input', () => {
      clearTimeout(pending);
      // Debounced: typing into a 10k-op table should not rebuild on every key.
      pending = setTimeout(() => {
        view.text = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
        if (!view.text.length) view.text = '';
        els.scroller.scrollTop = 0;
        refresh();
      }, ops.length > 2000 ? 120 : 0);
    });
    filter.addEventListener('keydown', (e) => { if (e.key === 'ArrowDown') { e.preventDefault(); moveCursor(Math.max(0, view.cursor)); } });
    types.addEventListener('change', () => { view.opType = types.value; refresh(); });
    units.addEventListener('change', () => { view.unit = units.value; refresh(); });
    flags.addEventListener('change', () => { view.flag = flags.value; refresh(); });
    group.addEventListener('change', () => { view.groupBy = group.value; view.collapsed.clear(); els.scroller.scrollTop = 0; refresh(); });
    return { bar: h('div', { class: 'tbl-toolbar' }, filter, types, units, flags, group, status), status };
  }

  function buildHead() {
    const headCells = new Map();
    const head = h('div', { class: 'r head', role: 'row', 'aria-rowindex': 1 });
    for (const col of COLUMNS) {
      const cell = h('div', { class: `c c-${col.key}${col.type === 'num' ? ' num' : ''}`, role: 'columnheader',
        tabindex: 0, 'data-testid': 'col-' + col.key, 'aria-sort': 'none', title: (col.title ? col.title + ' — ' : '') + 'click to sort' },
      h('span', { class: 'lbl', text: col.label }), h('span', { class: 'sort', 'aria-hidden': 'true' }));
      cell.addEventListener('click', () => sortBy(col.key));
      cell.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(col.key); } });
      headCells.set(col.key, cell);
      head.append(cell);
    }
    return { head, headCells };
  }

  function columnCss() {
    // One rule per column keeps rows cheap: cells carry only a class.
    // #, Name and (when the pane is wide enough to spare it) Op type stay put when the table scrolls
    // sideways, so a row scrolled into view from elsewhere still says what it is.
    let left = 0;
    let css = '';
    for (const col of COLUMNS) {
      css += `#table-pane .c-${col.key}{width:${col.width}px;flex:0 0 ${col.width}px}`;
      if (col.key === 'index' || col.key === 'name') { css += `#table-pane .c-${col.key}{position:sticky;left:${left}px;z-index:1}`; left += col.width; }
      if (col.key === 'op_type') {
        css += `@container (min-width:${left + col.width + 200}px){#table-pane .c-op_type{position:sticky;left:${left}px;z-index:1;box-shadow:inset -1px 0 0 var(--border)}}`;
      }
    }
    const width = COLUMNS.reduce((s, c) => s + c.width, 0);
    css += `#table-pane .r{width:${width}px}`;
    return h('style', { text: css });
  }

  function mount() {
    const pane = document.getElementById('table-pane');
    if (!pane) return;
    const { bar, status } = buildToolbar();
    const { head, headCells } = buildHead();
    const body = h('div', { class: 'tbl-body', role: 'rowgroup' });
    const empty = h('div', { class: 'tbl-empty muted', text: 'No ops match the filter.', hidden: true });
    const scroller = h('div', { class: 'tbl-scroll', tabindex: 0 }, h('div', { class: 'tbl-headwrap', role: 'rowgroup' }, head), body, empty);
    const table = h('div', { class: 'tbl', role: 'grid', 'data-testid': 'op-table', 'aria-label': 'Ops',
      'aria-rowcount': ops.length + 1, 'aria-colcount': COLUMNS.length }, scroller);
    // The grid role sits on the scroll container's parent; keys bubble up from rows and the scroller.
    pane.replaceChildren(columnCss(), bar, table);
    els = { pane, table, scroller, head, headCells, body, status, empty };

    let ticking = false;
    scroller.addEventListener('scroll', () => {
      if (ticking) return;
      ticking = true;
      requestAnimationFrame(() => { ticking = false; renderRows(false); });
    }, { passive: true });
    body.addEventListener('click', onBodyClick);
    table.addEventListener('keydown', (e) => { if (!e.target.closest('.head')) onKey(e); });
    WG.bus.on('select', onSelect);
    WG.bus.on('resize', () => renderRows(false));
    WG.bus.on('tab', (id) => { if (id === 'explore') renderRows(false); });
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => renderRows(false)).observe(scroller);
    refresh();
  }

  WG.table = {
    columns: COLUMNS,
    sortBy,
    setFilter(text) { const f = els.pane.querySelector('[data-testid=table-filter]'); f.value = text; f.dispatchEvent(new Event('input')); },
    refresh: () => refresh(),
  };
  WG.modules.push({ id: 'table', order: 10, mount });
})();
