/**
 * One datagram read the way sflowtool reads it, driving an Output: the datagram's header and each sample's,
 * in sflowtool's order, with the -g context kept as it goes (walk-cursor.ts); the records of each sample in
 * record-reader.ts.
 */

import type { RtFlowSample, RtMetricSample } from '../sflow/model.js';
import { RtFlow, RtMetric } from '../sflow/rt-samples.js';
import type { Put } from './field-map.js';
import { sflowtoolDropReason } from './fields/drops.js';
import { tagText } from './format.js';
import type { Received, SampleKind } from './output.js';
import { COUNTERS, FLOW, RecordReader } from './record-reader.js';
import { inOutPort, rtSampleFields } from './sample-fields.js';
import { SampleState } from './sample-state.js';
import { isoLocal } from './time-format.js';
import { Abort, DECODE_ERROR, END_OF_DATA } from './walk-cursor.js';

export type { WalkOptions } from './walk-cursor.js';

export class DatagramWalker extends RecordReader {
  walk(r: Received): void {
    this.r = r;
    this.data = r.bytes;
    this.pos = 0;
    this.prefix = '';
    this.c = {
      time: r.pcapSec || r.readSec,
      agent: '-',
      subAgentId: 0,
      sequenceNo: 0,
      dsClass: 0,
      dsIndex: 0,
      sampleType: 0,
      elementType: 0,
      scope: 'datagram',
    };
    this.reader.reset(r.bytes);
    this.out.mark();
    this.out.datagramStart(r, this.c);
    try {
      this.datagram();
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      this.out.error(`caught exception: ${e.code}\n`);
    }
    this.out.datagramEnd(r, this.c);
  }

  private datagram(): void {
    const { r } = this;
    this.field('datagramSourceIP', r.source);
    this.field('datagramSize', r.bytes.length);
    this.field('unixSecondsUTC', r.readSec);
    this.field('unixSecondsUTC_uS', r.readUsec);
    if (this.wants) this.field('localtime', isoLocal(r.readSec));
    if (r.pcapSec && this.wants) {
      this.field('pcapTimestamp', isoLocal(r.pcapSec));
      this.field('pcapTimestamp_uS', r.pcapUsec);
    }
    const version = this.u32();
    this.field('datagramVersion', version);
    if (version !== 5) {
      this.receiveError(
        version === 2 || version === 4
          ? `sFlow version ${version} is not decoded by sflowkit\n`
          : 'unexpected datagram version number\n',
      );
    }
    this.c.agent = this.address();
    this.c.subAgentId = this.u32();
    this.field('agentSubId', this.c.subAgentId);
    this.c.sequenceNo = this.u32();
    const uptime = this.u32();
    const samples = this.u32();
    this.field('agent', this.c.agent);
    this.field('packetSequenceNo', this.c.sequenceNo);
    this.field('sysUpTime', uptime);
    this.field('samplesInPacket', samples);
    this.c.scope = 'sample';
    this.out.open('samples', '[');
    for (let i = 0; i < samples; i++) {
      if (this.pos >= this.data.length) {
        this.out.error(`unexpected end of datagram after sample ${i} of ${samples}\n`);
        throw new Abort(END_OF_DATA);
      }
      this.s = new SampleState();
      this.c.dsClass = 0;
      this.c.dsIndex = 0;
      this.c.elementType = 0;
      this.c.sampleType = this.u32();
      this.out.sampleStart(this.c);
      if (this.wants) this.field('sampleType_tag', tagText(this.c.sampleType));
      this.sample(this.c.sampleType);
      this.out.sampleEnd(this.c);
    }
    this.out.close(']');
  }

  /** sflowtool's receiveError: a message and a hex dump of the datagram, marked where reading stopped. */
  private receiveError(message: string): never {
    let dump = '';
    const d = this.data;
    for (let i = 0; i < d.length; i += 16) {
      const hex: string[] = [];
      for (let k = i; k < Math.min(i + 16, d.length); k++) {
        if (k === this.pos) hex.push('<*>');
        hex.push(d[k].toString(16).padStart(2, '0'));
      }
      dump += `${hex.join('-')}\n`;
    }
    this.out.error(`${message} (source IP = ${this.r.source})\n${dump}`);
    throw new Abort(DECODE_ERROR);
  }

  private sample(type: number): void {
    if (type === 1 || type === 3) this.flowSample(type === 3);
    else if (type === 2 || type === 4) this.countersSample(type === 4);
    else if (type === 5) this.discardSample();
    else if (type === ((4300 << 12) | 1002) || type === ((4300 << 12) | 1003)) this.rtSample(type);
    else {
      const len = this.u32();
      this.out.note(`skipping unknown sample: ${tagText(type)} len=${len | 0}\n`, this.c);
      this.skip(len);
    }
  }

  private done(kind: SampleKind): void {
    const { s } = this;
    const vlans = this.options.vlans;
    const passed = vlans === undefined || vlans[s.inVlan] === 1 || vlans[s.outVlan] === 1;
    this.out.sampleDone(kind, s, this.c, this.r, passed);
  }

  /** The sample's data source: two words when expanded, else class and index packed in one. */
  private dataSource(expanded: boolean): void {
    const { c } = this;
    if (expanded) {
      c.dsClass = this.u32();
      c.dsIndex = this.u32();
    } else {
      const id = this.u32();
      c.dsClass = id >>> 24;
      c.dsIndex = id & 0xffffff;
    }
  }

  private flowSample(expanded: boolean): void {
    const { c, s } = this;
    this.field('sampleType', 'FLOWSAMPLE');
    const len = this.u32();
    const start = this.pos;
    const seq = this.u32();
    this.dataSource(expanded);
    this.field('sampleSequenceNo', seq);
    if (this.wants) this.field('sourceId', `${c.dsClass}:${c.dsIndex}`);
    s.meanSkipCount = this.u32();
    const pool = this.u32();
    const drops = this.u32();
    this.field('meanSkipCount', s.meanSkipCount);
    this.field('samplePool', pool);
    this.field('dropEvents', drops);
    let inFormat: number;
    let outFormat: number;
    if (expanded) {
      inFormat = this.u32();
      s.inputPort = this.u32();
      outFormat = this.u32();
      s.outputPort = this.u32();
    } else {
      const i = this.u32();
      const o = this.u32();
      inFormat = i >>> 30;
      outFormat = o >>> 30;
      s.inputPort = i & 0x3fffffff;
      s.outputPort = o & 0x3fffffff;
    }
    if (this.wants) {
      this.field('inputPort', inOutPort(inFormat, s.inputPort));
      this.field('outputPort', inOutPort(outFormat, s.outputPort));
    }
    this.out.open('elements', '[');
    this.records(FLOW);
    this.lengthCheck('flow_sample', start, len);
    this.out.close(']');
    this.done('flow');
  }

  private discardSample(): void {
    const { c, s } = this;
    this.field('sampleType', 'DISCARD');
    const len = this.u32();
    const start = this.pos;
    const seq = this.u32();
    c.dsClass = this.u32();
    c.dsIndex = this.u32();
    this.field('sampleSequenceNo', seq);
    if (this.wants) this.field('sourceId', `${c.dsClass}:${c.dsIndex}`);
    this.field('dropEvents', this.u32());
    s.inputPort = this.u32();
    s.outputPort = this.u32();
    this.field('inputPort', s.inputPort);
    this.field('outputPort', s.outputPort);
    const reason = this.u32();
    this.field('discardCode', reason);
    this.field('discardReason', sflowtoolDropReason(reason) ?? 'NotFound');
    this.out.open('elements', '[');
    this.prefix = 'discarded_';
    this.records(FLOW);
    this.prefix = '';
    this.lengthCheck('discard_sample', start, len);
    this.out.close(']');
    this.done('discard');
  }

  private countersSample(expanded: boolean): void {
    const { c } = this;
    this.field('sampleType', 'COUNTERSSAMPLE');
    const len = this.u32();
    const start = this.pos;
    this.field('sampleSequenceNo', this.u32());
    this.dataSource(expanded);
    if (this.wants) this.field('sourceId', `${c.dsClass}:${c.dsIndex}`);
    this.out.open('elements', '[');
    this.records(COUNTERS);
    this.lengthCheck('counters_sample', start, len);
    this.out.close(']');
    this.done('counters');
  }

  private rtSample(type: number): void {
    const metric = type === ((4300 << 12) | 1002);
    this.field('sampleType', metric ? 'RTMETRIC' : 'RTFLOW');
    const len = this.u32();
    const start = this.pos;
    const name = metric ? 'rtmetric' : 'rtflow';
    const print = (v: unknown, put: Put) =>
      rtSampleFields({ ...(v as object), name, tag: tagText(type) } as RtMetricSample | RtFlowSample, put);
    const value = this.body(metric ? RtMetric : RtFlow, start, len, print);
    if (this.wants) print(value, this.put);
    this.lengthCheck(metric ? 'rtmetric_sample' : 'rtflow_sample', start, len);
    this.done('rt');
  }
}
