/**
 * 0:2007–0:2010 mib2_ip_group, mib2_icmp_group, mib2_tcp_group and mib2_udp_group
 * (https://sflow.org/sflow_host_ip.txt) from /proc/net/snmp, which prints each MIB-II group as a line of
 * names and a line of values. Fields are matched by name, from the codec's own field list: hsflowd reads the
 * values by position, which puts Linux's extra InCsumErrors column of the Icmp line into icmpInDestUnreachs
 * and shifts every ICMP counter after it.
 */
import type { KnownCounterRecord } from '../../sflow/model.js';
import { COUNTER_RECORDS } from '../../sflow/registry.js';
import { counterRecord, readText, u32 } from './proc-text.js';

/** The /proc/net/snmp line, and its names where they differ from the MIB's (as the codec spells them). */
const GROUPS = [
  { record: 'mib2_ip_group', line: 'Ip', prefix: 'ip', renamed: {} },
  {
    record: 'mib2_icmp_group',
    line: 'Icmp',
    prefix: 'icmp',
    renamed: { InParamProbs: 'InParmProbs', OutParamProbs: 'OutParmProbs' },
  },
  { record: 'mib2_tcp_group', line: 'Tcp', prefix: 'tcp', renamed: { InCsumErrs: 'InCsumErrors' } },
  { record: 'mib2_udp_group', line: 'Udp', prefix: 'udp', renamed: {} },
] as const;

export async function readTcpip(root: string): Promise<KnownCounterRecord[]> {
  const snmp = await readText(root, 'proc/net/snmp');
  return snmp === undefined ? [] : tcpipRecords(snmp);
}

/** The four records; a group whose lines are missing is left out, a field whose column is missing is 0. */
export function tcpipRecords(snmp: string): KnownCounterRecord[] {
  const table = parseSnmp(snmp);
  const out: KnownCounterRecord[] = [];
  for (const g of GROUPS) {
    const values = table.get(g.line);
    if (values === undefined) continue;
    const shape = COUNTER_RECORDS[g.record].codec.shape;
    if (shape.kind !== 'struct') throw new TypeError(`${g.record} is not a struct`);
    const renamed: Record<string, string> = g.renamed;
    const fields: Record<string, number> = {};
    for (const field of Object.keys(shape.fields)) {
      const name = field.slice(g.prefix.length);
      const v = values.get(renamed[name] ?? name);
      // tcpMaxConn is -1 where the limit is dynamic; u32 sends it as 0xFFFFFFFF, as the MIB's -1.
      if (v !== undefined) fields[field] = u32(v);
    }
    out.push(counterRecord(g.record, fields));
  }
  return out;
}

/** Line prefix (`Ip`) → column name (`InReceives`) → value. */
export function parseSnmp(text: string): Map<string, Map<string, bigint>> {
  const table = new Map<string, Map<string, bigint>>();
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const names = lines[i].trim().split(/\s+/);
    const values = lines[i + 1].trim().split(/\s+/);
    if (names[0] !== values[0] || !names[0].endsWith(':') || !/^-?\d+$/.test(values[1] ?? '')) continue;
    const group = new Map<string, bigint>();
    for (let k = 1; k < names.length && k < values.length; k++) {
      if (/^-?\d+$/.test(values[k])) group.set(names[k], BigInt(values[k]));
    }
    table.set(names[0].slice(0, -1), group);
    i++;
  }
  return table;
}
