// Sorting the op table by latency: the rows in view follow the JSON export's ops sorted by
// latency_us, descending on the first click and ascending on the second.
import { runTest, compileReport, tableRows, check, settle } from './support/report.mjs';

await runTest('sort', async (t) => {
  const { json, htmlPath } = compileReport(t.dir);
  const page = await t.open(htmlPath);
  const latency = (i) => json.ops[i].latency_us;
  // Expected order by value only: ties may come in any order, so compare the value at each position.
  const byLatency = (dir) => json.ops.map((_, i) => i).sort((a, b) => (latency(a) - latency(b)) * dir || a - b);

  async function checkOrder(dir, label) {
    const header = '[data-testid=col-latency_us]';
    const sort = await page.getAttribute(header, 'aria-sort');
    check(sort === label, `after clicking ${header} aria-sort is "${sort}", expected "${label}"`);
    const expected = byLatency(dir);
    const check_rows = (rows, where) => {
      const visible = rows.filter((r) => r.visible);
      check(visible.length >= 10, `only ${visible.length} op rows visible at the ${where} of the table`);
      check(new Set(rows.map((r) => r.index)).size === rows.length, `a row is repeated at the ${where}: ${rows.map((r) => r.index)}`);
      for (let k = 1; k < visible.length; k++) {
        check(visible[k].position === visible[k - 1].position + 1, `visible rows are not consecutive at the ${where}`);
      }
      for (const r of visible) {
        const want = expected[r.position];
        check(latency(r.index) === latency(want),
          `${label} by latency, row ${r.position} is op ${r.index} (${latency(r.index)} us); ` +
          `the JSON sorted ${label} has op ${want} (${latency(want)} us) there`);
      }
      return visible;
    };
    const top = check_rows(await tableRows(page), 'top');
    check(top[0].position === 0, `the first visible row is at position ${top[0].position}, not 0`);
    // The other end of the table: the virtualised body must render the tail in the same order.
    await page.evaluate(() => { const s = document.querySelector('[data-testid=op-table] .tbl-scroll'); s.scrollTop = s.scrollHeight; });
    await settle(page);
    const bottom = check_rows(await tableRows(page), 'bottom');
    check(bottom[bottom.length - 1].position === json.ops.length - 1,
      `the last visible row is at position ${bottom[bottom.length - 1].position}, expected ${json.ops.length - 1}`);
    await page.evaluate(() => { document.querySelector('[data-testid=op-table] .tbl-scroll').scrollTop = 0; });
    await settle(page);
    t.log(`${label}: ${top.length} + ${bottom.length} visible rows match the JSON order`);
  }

  await page.click('[data-testid=col-latency_us]');
  await settle(page);
  await checkOrder(-1, 'descending');
  await page.click('[data-testid=col-latency_us]');
  await settle(page);
  await checkOrder(1, 'ascending');
});
