/**
 * The metric tables for records the generator does not send, from samples built with the record codecs and
 * sent through the encoder and decoder: a virtual machine's data source (vir_ names), a hypervisor, GPUs,
 * values agents send for unknown; application, JVM and Open vSwitch counters (checked against numbers an
 * sFlow-RT dump shows); processor, LAG and optics.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CounterRecord, type CountersSample, decodeDatagram, encodeDatagram } from '../sflow/index.js';
import { recordValue } from '../sflow/record-values.js';
import { COUNTER_RECORDS, type CounterRecordName, type CounterRecordValue } from '../sflow/registry.js';
import { counterMetrics } from './counter-metrics.js';

function record<N extends CounterRecordName>(name: N, fields: Partial<CounterRecordValue<N>>): CounterRecord {
  const def = COUNTER_RECORDS[name];
  return { name, tag: def.tag, value: recordValue(def.codec as never, fields) } as CounterRecord;
}

/** A counter sample of data source `type`:`index`, as a decoder reads it off the wire. */
function sample(type: number, index: number, records: CounterRecord[]): CountersSample {
  const bytes = encodeDatagram({
    version: 5,
    agentAddress: '192.0.2.1',
    subAgentId: 100000,
    sequenceNumber: 1,
    uptime: 1000,
    samples: [
      {
        name: 'counters_sample',
        tag: '0:2',
        sequenceNumber: 1,
        sourceIdType: type,
        sourceIdIndex: index,
        records,
      },
    ],
  });
  return decodeDatagram(bytes).samples[0] as CountersSample;
}

const GIB = 1024n ** 3n;
const descr = record('host_descr', {
  hostname: 'vm-7',
  uuid: Uint8Array.from({ length: 16 }, (_, i) => i + 1),
  machineType: 3,
  osName: 2,
  osRelease: '6.8',
});

test("a virtual machine's data source gives vir_ metrics between two polls", () => {
  const before = sample(3, 7, [
    descr,
    record('virt_cpu', { state: 1, cpuTime: 4_000_000, nrVirtCpu: 4 }),
    record('virt_memory', { memory: 2n * GIB, maxMemory: 4n * GIB }),
    record('virt_disk_io', { capacity: 100n * GIB, allocation: 80n * GIB, available: 25n * GIB, rdReq: 10 }),
    record('virt_net_io', { rxBytes: 2n ** 64n - 500_000n, txPackets: 2 ** 32 - 100 }),
  ]);
  const now = sample(3, 7, [
    descr,
    record('virt_cpu', { state: 1, cpuTime: 4_015_000, nrVirtCpu: 4 }),
    record('virt_memory', { memory: 2n * GIB, maxMemory: 4n * GIB }),
    record('virt_disk_io', { capacity: 100n * GIB, allocation: 80n * GIB, available: 25n * GIB, rdReq: 210 }),
    record('virt_net_io', { rxBytes: 500_000n, txPackets: 900 }),
  ]);
  const m = counterMetrics(now, before, 10);
  assert.equal(m.vir_host_name, 'vm-7');
  assert.equal(m.vir_os_name, 'linux');
  assert.equal(m.vir_machine_type, 'x86_64');
  assert.equal(m.vir_uuid, '01020304-0506-0708-090a-0b0c0d0e0f10');
  assert.equal(m.host_name, undefined);
  // 15 s of CPU in 10 s: one and a half CPUs busy.
  assert.equal(m.vir_cpu_utilization, 150);
  assert.equal(m.vir_cpu_num, 4);
  assert.equal(m.vir_state, 'running');
  assert.equal(m.vir_mem_utilization, 50);
  assert.equal(m.vir_disk_utilization, 75);
  assert.equal(m.vir_reads, 20);
  // Both counters wrapped: 64 and 32 bits.
  assert.equal(m.vir_bytes_in, 100_000);
  assert.equal(m.vir_pkts_out, 100);
});

test("a physical host's host_descr keeps its names; virt_node gives vnode_ gauges", () => {
  const m = counterMetrics(
    sample(2, 1, [
      descr,
      record('virt_node', {
        mhz: 2400,
        cpus: 64,
        memory: 512n * GIB,
        memoryFree: 100n * GIB,
        numDomains: 12,
      }),
    ]),
    undefined,
    undefined,
  );
  assert.equal(m.host_name, 'vm-7');
  assert.equal(m.vir_host_name, undefined);
  assert.equal(m.vnode_cpu_num, 64);
  assert.equal(m.vnode_mem_free, 100 * 1024 ** 3);
  assert.equal(m.vnode_domains, 12);
});

test('GPU utilization is per device, power is the change of energy per second', () => {
  const gpu = (gpuTime: number, memTime: number, energy: number) =>
    sample(2, 1, [
      record('nvidia_gpu', {
        deviceCount: 2,
        processes: 3,
        gpuTime,
        memTime,
        memTotal: 80n * GIB,
        memFree: 20n * GIB,
        energy,
        temperature: 61,
        fanSpeed: 40,
      }),
    ]);
  const m = counterMetrics(gpu(20_000, 5_000, 3_000_000), gpu(10_000, 1_000, 1_000_000), 10);
  // 10 s of GPU time over two GPUs in 10 s: half busy.
  assert.equal(m.nvml_gpu_utilization, 50);
  assert.equal(m.nvml_mem_utilization, 20);
  assert.equal(m.nvml_power, 200);
  assert.equal(m.nvml_temperature, 61);
  assert.equal(m.nvml_device_count, 2);
});

test('unknown loads and partition use are left out; host_cpu without steal and guest times still adds up', () => {
  const cpu = (user: number, idle: number) =>
    sample(2, 1, [
      record('host_cpu', {
        loadOne: -1,
        loadFive: -1,
        loadFifteen: -1,
        cpuNum: 2,
        cpuUser: user,
        cpuIdle: idle,
        cpuSteal: undefined,
        cpuGuest: undefined,
        cpuGuestNice: undefined,
      }),
      record('host_disk_io', { diskTotal: 100n, diskFree: 100n, partMaxUsed: -1 }),
    ]);
  const before = cpu(1000, 5000);
  assert.equal((before.records[0] as { value: { cpuSteal?: number } }).value.cpuSteal, undefined);
  const m = counterMetrics(cpu(1500, 6500), before, 1);
  assert.equal(m.load_one, undefined);
  assert.equal(m.load_one_per_cpu, undefined);
  assert.equal(m.part_max_used, undefined);
  assert.equal(m.disk_utilization, 0);
  assert.equal(m.cpu_user, 25);
  assert.equal(m.cpu_idle, 75);
  assert.equal(m.cpu_utilization, 25);
  assert.equal(m.cpu_steal, undefined);
});

test('guest time is counted inside user time, not added to the total', () => {
  const cpu = (user: number, idle: number, guest: number) =>
    sample(2, 1, [
      record('host_cpu', { cpuUser: user, cpuIdle: idle, cpuSteal: 0, cpuGuest: guest, cpuGuestNice: 0 }),
    ]);
  // 600 ms of user time, 200 of it running a guest, and 400 idle: 60% user, 20% guest.
  const m = counterMetrics(cpu(1600, 1400, 1200), cpu(1000, 1000, 1000), 1);
  assert.equal(m.cpu_user, 60);
  assert.equal(m.cpu_guest, 20);
  assert.equal(m.cpu_idle, 40);
  assert.equal(m.cpu_utilization, 60);
});

test('HTTP worker pool and application counters', () => {
  const app = (active: number, delayed: number, success: number, userTime: number, systemTime: number) =>
    sample(3, 80, [
      record('app_workers', {
        workersActive: active,
        workersIdle: 40 - active,
        workersMax: 40,
        reqDelayed: delayed,
      }),
      record('app_operations', { application: 'shop', success, notFound: success / 10 }),
      record('app_resources', { userTime, systemTime, memUsed: 51_789_824n, fdOpen: 12, connMax: 100 }),
    ]);
  const m = counterMetrics(app(10, 150, 3000, 1012, 2004), app(4, 50, 1000, 1000, 2000), 9.999);
  assert.equal(m.workers_active, 10);
  assert.equal(m.workers_utilization, 25);
  near(m.req_delayed, 100 / 9.999);
  assert.equal(m.app_name, 'shop');
  near(m.app_success, 2000 / 9.999);
  near(m.app_not_found, 200 / 9.999);
  // An sFlow-RT dump of an Open vSwitch daemon (10 s polling) read app_usertime 0.12001200120012002 and
  // app_systemtime 0.040004000400040006: 12 and 4 ms of CPU time in 9.999 s, as percents of one CPU.
  assert.equal(m.app_usertime, 0.12001200120012002);
  assert.equal(m.app_systemtime, 0.040004000400040006);
  assert.equal(m.app_mem_used, 51_789_824);
  assert.equal(m.app_conn_max, 100);
});

test('JVM runtime and statistics', () => {
  const jvm = (gcCount: number, gcTime: number, started: number) =>
    sample(3, 1, [
      record('jvm_runtime', {
        vmName: 'OpenJDK 64-Bit Server VM',
        vmVendor: 'Eclipse Adoptium',
        vmVersion: '21',
      }),
      record('jvm_statistics', {
        heapUsed: 300n * 1024n * 1024n,
        heapMax: 1024n * 1024n * 1024n,
        gcCount,
        gcTime,
        threadNumLive: 42,
        threadNumStarted: started,
        fdOpenCount: 90,
      }),
    ]);
  const m = counterMetrics(jvm(130, 2500, 400), jvm(100, 2000, 380), 10);
  assert.equal(m.jvm_name, 'OpenJDK 64-Bit Server VM');
  assert.equal(m.jvm_version, '21');
  assert.equal(m.jvm_heap_used, 300 * 1024 * 1024);
  assert.equal(m.jvm_gc_count, 3);
  // Half a second collecting in ten: 5% of the time.
  assert.equal(m.jvm_gc_time, 5);
  assert.equal(m.jvm_thread_live, 42);
  assert.equal(m.jvm_thread_started, 2);
  assert.equal(m.jvm_fds_open, 90);
  // jvm_statistics without the file descriptor counts (100 bytes) still decodes and gives the rest.
  const short = sample(3, 1, [record('jvm_statistics', { fdOpenCount: undefined, fdMaxCount: undefined })]);
  const s = counterMetrics(short, undefined, undefined);
  assert.equal(s.jvm_fds_open, undefined);
  assert.equal(s.jvm_heap_used, 0);
});

test('Open vSwitch datapath: the ratios sFlow-RT reports', () => {
  const ovs = (hits: number, maskHits: number) =>
    sample(2, 1000, [record('ovs_dp_stats', { hits, misses: 7, lost: 0, maskHits, flows: 4, masks: 4 })]);
  const m = counterMetrics(ovs(1022, 1073), ovs(1000, 1000), 9.999);
  // The same sFlow-RT dump: ovs_dp_hits 2.2002200220022, ovs_mask_hits 7.3007300730073, no misses,
  // ovs_dp_hitrate 100, ovs_dp_missrate 0, ovs_dp_maskhitsperpacket 3.3181818181818183.
  assert.equal(m.ovs_dp_hits, 2.2002200220022);
  assert.equal(m.ovs_mask_hits, 7.3007300730073);
  assert.equal(m.ovs_dp_hitrate, 100);
  assert.equal(m.ovs_dp_missrate, 0);
  assert.equal(m.ovs_dp_maskhitsperpacket, 3.3181818181818183);
  assert.equal(m.ovs_dp_flows, 4);
});

test('processor, LAG port and optical module', () => {
  const sw = (lacpRx: number) =>
    sample(0, 5, [
      record('processor', {
        cpu5s: 1250,
        cpu1m: 980,
        cpu5m: -1,
        totalMemory: 8n * GIB,
        freeMemory: 2n * GIB,
      }),
      record('lag_port_stats', {
        dot3adAggPortActorSystemID: '02:00:00:00:00:01',
        dot3adAggPortPartnerOperSystemID: '02:00:00:00:00:02',
        dot3adAggPortAttachedAggID: 1000501,
        dot3adAggPortState: Uint8Array.from([0x3d, 0x3f, 0x3d, 0x3f]),
        dot3adAggPortStatsLACPDUsRx: lacpRx,
      }),
      record('sfp', { moduleId: 1, moduleNumLanes: 4, moduleSupplyVoltage: 3300, moduleTemperature: -5250 }),
    ]);
  const m = counterMetrics(sw(130), sw(100), 30);
  assert.equal(m.cpu_5sec, 12.5);
  assert.equal(m.cpu_1min, 9.8);
  assert.equal(m.cpu_5min, undefined);
  assert.equal(m.mem_free, 2 * 1024 ** 3);
  assert.equal(m.agg_actorsystemid, '02:00:00:00:00:01');
  assert.equal(m.agg_partneropersystemid, '02:00:00:00:00:02');
  assert.equal(m.agg_attachedaggid, 1000501);
  assert.equal(m.agg_actoroperstate, 0x3f);
  assert.equal(m.agg_lacpdusrx, 1);
  assert.equal(m.opt_module_lanes, 4);
  assert.equal(m.opt_module_supply_voltage, 3.3);
  assert.equal(m.opt_module_temperature, -5.25);
});

function near(actual: unknown, expected: number) {
  assert.equal(typeof actual, 'number');
  assert.ok(Math.abs((actual as number) - expected) < 1e-9, `${actual} vs ${expected}`);
}
