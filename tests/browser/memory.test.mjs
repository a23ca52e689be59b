// Where the model lives (schema 1.4): on the microcontroller the header shows flash and RAM against
// the device's, from the JSON's plan.memory; an op whose activations exceed the 128 KiB DTCM shows
// its spill in the details pane, formatted from the JSON's numbers; one that fits shows none; a
// phone shows RAM alone.
import path from 'node:path';
import { runTest, compileReport, check, settle } from './support/report.mjs';

const MODELS = process.env.WINGLET_TEST_MODELS;

function fmtIn(page, f, v) {
  return page.evaluate(([f, v]) => WG.fmt[f](v), [f, v]);
}

await runTest('memory', async (t) => {
  check(MODELS, 'WINGLET_TEST_MODELS is not set (run through ctest, which makes the test models first)');
  // tests/data/make_test_models.py: relu1 and pool exceed the DTCM, relu2 does not.
  const { json, htmlPath } = compileReport(t.dir, { model: path.join(MODELS, 'mcu_spill.onnx'), device: 'stm32h743', whatIf: false });
  const memory = json.plan.memory;
  check(memory && memory.weights_in === 'storage', `the JSON has no plan.memory with weights in storage: ${JSON.stringify(memory)}`);
  const page = await t.open(htmlPath);

  const flash = await page.textContent('[data-testid=memory-flash]');
  const wantFlash = `Flash ${await fmtIn(page, 'bytes', memory.storage.needed_bytes)} of ${await fmtIn(page, 'bytes', memory.storage.capacity_bytes)}`;
  check(flash === wantFlash, `the flash badge shows "${flash}", the JSON formats as "${wantFlash}"`);
  const ram = await page.textContent('[data-testid=memory-ram]');
  const wantRam = `RAM ${await fmtIn(page, 'bytes', memory.ram.needed_bytes)} of ${await fmtIn(page, 'bytes', memory.ram.capacity_bytes)}`;
  check(ram === wantRam, `the RAM badge shows "${ram}", the JSON formats as "${wantRam}"`);
  check(!(await page.getAttribute('[data-testid=memory-ram]', 'class')).includes('badge-bad'), 'the RAM badge is marked exceeded, but the model fits');

  for (const [i, op] of json.ops.entries()) {
    await page.click(`[data-testid=op-row][data-op-index="${i}"] .c-name`);
    await settle(page);
    const shown = await page.$('[data-testid=details-spill]');
    if (!op.spill) {
      check(!shown, `op ${op.name} does not spill in the JSON, but its details show a spill`);
      continue;
    }
    check(shown, `op ${op.name} spills ${op.spill.bytes} B in the JSON, but its details show no spill`);
    const text = await page.textContent('[data-testid=details-spill]');
    const want = `${await fmtIn(page, 'bytes', op.spill.bytes)} over on-chip memory: +${await fmtIn(page, 'bytes', op.spill.traffic_bytes)} traffic, ` +
      `+${await fmtIn(page, 'us', op.spill.latency_us)}, +${await fmtIn(page, 'uj', op.spill.energy_uj)}`;
    check(text === want, `op ${op.name}: the details show "${text}", the JSON formats as "${want}"`);
  }
  check(json.ops.filter((op) => op.spill).length === 2, 'the model should spill on exactly two ops (relu1, pool)');

  // MobileNetV2 on the phone: weights in RAM, so one RAM badge and no flash badge.
  const phone = compileReport(t.dir, { name: 'phone', whatIf: false });
  await page.goto('file://' + phone.htmlPath);
  await page.waitForFunction(() => window.WG_READY === true, null, { timeout: 30000 });
  check(!(await page.$('[data-testid=memory-flash]')), 'the phone report shows a flash badge');
  check((await page.textContent('[data-testid=memory-ram]')).startsWith('RAM '), 'the phone report has no RAM badge');
  t.log(`flash "${flash}", RAM "${ram}"; ${json.ops.length} ops' spills match the JSON`);
});
