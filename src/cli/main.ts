#!/usr/bin/env node
/** `sflowkit`: the command and its subcommands. The only place that wires components together. */
import { aclServerCommand } from './acl-server-command.js';
import { agentCommand } from './agent-command.js';
import { decodeCommand } from './decode-command.js';
import { demoCommand } from './demo-command.js';
import { generateCommand } from './generate-command.js';
import { memcacheProxyCommand } from './memcache-proxy-command.js';
import { serveCommand } from './serve-command.js';

const USAGE = `usage: sflowkit <command> [options]

commands:
  acl-server  a REST API that writes switch ACLs (iptables, cl-acltool); see sflowkit acl-server -h
  agent    the Host sFlow agent: this host's counters to collectors, configured by hsflowd.conf or DNS-SD;
           see sflowkit agent -h
  decode   decode sFlow from a capture file (-r) or a UDP port (-p); see sflowkit decode -h
  demo     write a small capture of sFlow that sflowkit makes itself, and decode it
  generate the sFlow of a simulated data center, to a pcap file or a collector; see sflowkit generate -h
  memcache-proxy  a proxy in front of memcached that reports its operations in sFlow; see sflowkit memcache-proxy -h
  serve    the analyzer: sFlow in on UDP 6343, flows, metrics, thresholds and events out on a REST API
           (port 8008, sFlow-RT's routes) and Prometheus; --demo feeds it the generator; see sflowkit serve -h
  help     this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'decode':
      return decodeCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'generate':
      return generateCommand(rest);
    case 'serve':
      return serveCommand(rest);
    case 'acl-server':
      return aclServerCommand(rest);
    case 'agent':
      return agentCommand(rest);
    case 'memcache-proxy':
      return memcacheProxyCommand(rest);
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`sflowkit: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sflowkit: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
