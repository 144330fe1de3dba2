// The classifier under V8's CPU profiler (what `node --cpu-prof` records, started through node:inspector
// once the code is warm, so that module loading is not in the picture): classify() over the lab mix for a
// few seconds, then the functions that took the time.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeProfile } from './cpuprofile.mjs';
import { collectExchanges, loadFixtures } from './throughput.mjs';

/** @param {any} m the bundled entries @param {number} [seconds] */
export async function profileClassifier(m, seconds = 3) {
  const exchanges = collectExchanges(m, loadFixtures(), true);
  let sink = 0;
  const loop = (/** @type {number} */ ms) => {
    const end = performance.now() + ms;
    while (performance.now() < end) for (const ex of exchanges) sink += m.classify(ex)?.reason.length ?? 0;
  };
  loop(500);
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    loop(seconds * 1000);
    const { profile } = await session.post('Profiler.stop');
    const file = join(tmpdir(), `cors-bench-classify-${process.pid}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const summary = summarizeProfile(file, 40);
    const keep = (/** @type {{ fn: string }} */ r) => !/\(root\)|\(program\)|\(idle\)|profile-classifier|loop /.test(r.fn);
    return { file, sink, self: summary.self.filter(keep).slice(0, 15), total: summary.total.filter(keep).slice(0, 20) };
  } finally {
    session.disconnect();
  }
}
