/**
 * `npm run bench:decode`: decode throughput on one core, for a fixed time per case. Prints datagrams/s,
 * samples/s and MB/s for the corpus mix and for typical switch datagrams, with the full model and with the
 * sampled packet headers parsed too. Figures go to docs/benchmarks.md with this command.
 */

import { switchDatagram } from '../src/generator/switch-datagram.js';
import { decodeHeader } from '../src/packet/index.js';
import { decodeDatagram } from '../src/sflow/datagram.js';
import type { Datagram } from '../src/sflow/model.js';
import { corpusCaptures, HAS_CORPUS } from '../test/support/corpus.js';
import { corpusDatagrams } from '../test/support/datagrams.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

type Work = (d: Datagram) => number;

/** Counts samples: the full model decode only. */
const modelOnly: Work = (d) => d.samples.length;

/** The full model, then every sampled packet header parsed (Ethernet, IP, transport, tunnels). */
const withHeaders: Work = (d) => {
  let parsed = 0;
  for (const s of d.samples) {
    if (!('records' in s)) continue;
    for (const r of s.records) {
      if (r.name !== 'sampled_header') continue;
      const v = r.value;
      if (decodeHeader(v.protocol, v.header, v.frameLength, v.stripped)) parsed++;
    }
  }
  return parsed >= 0 ? d.samples.length : 0;
};

function run(label: string, inputs: Uint8Array[], work: Work): void {
  let datagrams = 0;
  let samples = 0;
  let flowSamples = 0;
  let bytes = 0;
  const flowsIn = inputs.map(
    (b) => decodeDatagram(b).samples.filter((x) => x.name.startsWith('flow_sample')).length,
  );
  // Warm up so the JIT has settled before timing.
  for (let i = 0; i < 20_000; i++) work(decodeDatagram(inputs[i % inputs.length]));
  const t0 = performance.now();
  const until = t0 + SECONDS * 1000;
  let now = t0;
  while (now < until) {
    for (let k = 0; k < 1000; k++) {
      const b = inputs[datagrams % inputs.length];
      samples += work(decodeDatagram(b));
      flowSamples += flowsIn[datagrams % inputs.length];
      bytes += b.length;
      datagrams++;
    }
    now = performance.now();
  }
  const s = (now - t0) / 1000;
  const fmt = (x: number) => Math.round(x / s).toLocaleString('en-US');
  console.log(
    `${label.padEnd(60)} ${fmt(datagrams).padStart(11)} datagrams/s ${fmt(samples).padStart(12)} samples/s ${fmt(flowSamples).padStart(11)} flow samples/s ${(bytes / s / 1e6).toFixed(1).padStart(7)} MB/s`,
  );
}

const mixes: [string, Uint8Array[]][] = [
  ['switch datagrams (7 flow + 1 counter sample)', [switchDatagram()]],
];
if (HAS_CORPUS) {
  const corpus = corpusCaptures()
    .flatMap((n) => corpusDatagrams(n))
    .filter((b) => {
      try {
        decodeDatagram(b);
        return true;
      } catch {
        return false;
      }
    });
  mixes.push([`corpus mix (${corpus.length} datagrams)`, corpus]);
} else {
  console.log('corpus not found: set SFLOWKIT_CORPUS to include the corpus mix');
}

console.log(`node ${process.version}, ${SECONDS} s per case, one core`);
for (const [label, inputs] of mixes) {
  run(`${label}, model`, inputs, modelOnly);
  run(`${label}, model + headers`, inputs, withHeaders);
}
