// Model text is data, never markup: a model whose op names hold "</script>", "<script>" and "<!--"
// (tests/data/make_test_models.py: markup_names.onnx) shows those names literally in the table,
// the details and the graph, and opens no dialog (support/report.mjs fails the test on one).
import path from 'node:path';
import { runTest, compileReport, check, settle } from './support/report.mjs';

const MODELS = process.env.WINGLET_TEST_MODELS;

await runTest('markup', async (t) => {
  check(MODELS, 'WINGLET_TEST_MODELS is not set (run through ctest, which makes the test models first)');
  const { json, htmlPath } = compileReport(t.dir, { model: path.join(MODELS, 'markup_names.onnx'), device: 'stm32h743' });
  const names = json.ops.map((op) => op.name);
  check(names.includes('</script><script>alert(1)</script>'), `the JSON lost the markup name: ${JSON.stringify(names)}`);
  const page = await t.open(htmlPath);
  check(await page.evaluate(() => document.querySelectorAll('script').length) === 2,
    'the page has more than its data and viewer <script> elements: model text became markup');
  for (const [i, name] of names.entries()) {
    const row = `[data-testid=op-row][data-op-index="${i}"] .c-name`;
    check((await page.textContent(row)).includes(name), `table row ${i} does not show the name ${JSON.stringify(name)} as text`);
    await page.click(row);
    await settle(page);
    check((await page.textContent('[data-testid=details]')).includes(name), `the details of op ${i} do not show ${JSON.stringify(name)}`);
  }
  const graphText = await page.textContent('[data-testid=graph]');
  check(graphText.includes('Relu') && graphText.includes('Sigmoid'), `the graph does not show both ops: ${graphText.slice(0, 200)}`);
  t.log(`${names.length} op names with markup shown as text in table, details and graph; no dialog, no error`);
});
