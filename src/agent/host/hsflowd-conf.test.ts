/**
 * hsflowd.conf: a file with every key we type, the spellings hsflowd allows, warnings for what it would not
 * know, each refusal with its line and reason, configs as users publish them, and the per-speed sampling.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  appSettingsFor,
  defaultHostAgentConfig,
  type HostAgentConfig,
  HsflowdConfError,
  parseHsflowdConf,
  samplingFor,
  speedName,
} from './hsflowd-conf.js';

const FULL = `# /etc/hsflowd.conf for a KVM host with containers
sflow {
  # agent address selection
  agent = eth0
  agent.cidr = 10.0.0.0/8
  agent.cidr = !172.17.0.0/16   # never the docker bridge
  agent.cidr = 2001:db8::/32
  agentIP = 10.1.2.3
  subAgentId = 7
  uuid = 8f3c2a0e-1b2c-4d5e-8f90-a1b2c3d4e5f6

  # sampling and polling
  polling = 20
  sampling = 512
  sampling.100M = 100
  sampling.1G = 1000
  sampling.10G = 10K
  sampling.40G = 40000
  sampling.100G = 100000
  sampling.bps_ratio = 2000000
  sampling.http = 100
  sampling.memcache = 50
  sampling.app.myapp = 10
  polling.app.myapp = 5
  polling.http = 10
  headerBytes = 256
  datagramBytes = 1400

  DNSSD = off
  DNSSD_domain = .example.com
  refreshAdaptors = 300
  checkAdaptors = 20

  collector { ip = 10.0.0.1 udpport = 6343 }
  collector {
    ip = 2001:db8::1
    UDPPort = 6344
    dev = mgmt
  }
  collector{ip=fe80::1;udpport=7000;namespace=ns1}

  pcap { dev = eth0 }
  pcap { dev.pattern = "eth[0-9]{1,2}" sampling = 100 promisc = on }
  pcap { speed = 1G- }
  nflog { group = 5 probability = 0.0025 }
  psample { group = 2 egress = on }
  json { UDPPort = 36343 }
  ovs { }
  docker { markTraffic = on }
  containerd { hostname = off }
  systemd { dropPriv = off cgroup_procs = "/sys/fs/cgroup/%s/cgroup.procs" }
  tcp { }
  kvm { refreshVMs = 60 }
  opx { switchport = "e101-.*" port { dev = e101-001-0 } }
}
`;

test('a file with every key parses to the typed config', () => {
  const { config, warnings } = parseHsflowdConf(FULL, '/etc/hsflowd.conf');
  assert.deepEqual(warnings, [
    "/etc/hsflowd.conf:29: 'DNSSD' is deprecated; hsflowd prefers dns-sd { } to turn it on; leave it out to turn it off",
    "/etc/hsflowd.conf:30: 'DNSSD_domain' is deprecated; hsflowd prefers dns-sd { domain = .example.com }",
  ]);
  const expected: HostAgentConfig = {
    file: '/etc/hsflowd.conf',
    sampling: 512,
    polling: 20,
    headerBytes: 256,
    datagramBytes: 1400,
    samplingBySpeed: { '100M': 100, '1G': 1000, '10G': 10000, '40G': 40000, '100G': 100000 },
    bpsRatio: 2000000,
    apps: {
      http: { sampling: 100, polling: 10 },
      memcache: { sampling: 50 },
      'app.myapp': { sampling: 10, polling: 5 },
    },
    collectors: [
      { address: '10.0.0.1', port: 6343 },
      { address: '2001:db8::1', port: 6344, dev: 'mgmt' },
      { address: 'fe80::1', port: 7000, namespace: 'ns1' },
    ],
    agent: 'eth0',
    agentIP: '10.1.2.3',
    agentCidrs: [
      { address: '10.0.0.0', bits: 8, exclude: false },
      { address: '172.17.0.0', bits: 16, exclude: true },
      { address: '2001:db8::', bits: 32, exclude: false },
    ],
    subAgentId: 7,
    uuid: '8f3c2a0e-1b2c-4d5e-8f90-a1b2c3d4e5f6',
    dnsSd: { enabled: false, domain: '.example.com' },
    daemon: { refreshAdaptors: 300, checkAdaptors: 20 },
    modules: {
      pcap: [
        { dev: 'eth0' },
        { devPattern: 'eth[0-9]{1,2}', sampling: 100, promisc: true },
        { speed: { min: 1e9, max: Number.POSITIVE_INFINITY } },
      ],
      nflog: { group: 5, probability: 0.0025, samplingRate: 400 },
      psample: { group: 2, ingress: true, egress: true },
      json: { udpPort: 36343 },
      ovs: {},
      docker: { markTraffic: true },
      containerd: { hostname: false },
      systemd: { dropPriv: false, cgroupProcs: '/sys/fs/cgroup/%s/cgroup.procs' },
      tcp: {},
    },
    otherModules: [
      { name: 'kvm', line: 53, settings: { refreshVMs: '60' }, blocks: [] },
      {
        name: 'opx',
        line: 54,
        settings: { switchport: 'e101-.*' },
        blocks: [{ name: 'port', line: 54, settings: { dev: 'e101-001-0' }, blocks: [] }],
      },
    ],
  };
  assert.deepEqual(config, expected);
});

test('a minimal file gets hsflowd defaults', () => {
  const { config, warnings } = parseHsflowdConf('sflow { collector { ip = 192.0.2.1 } }');
  assert.deepEqual(warnings, []);
  assert.deepEqual(config, {
    ...defaultHostAgentConfig(),
    collectors: [{ address: '192.0.2.1', port: 6343 }],
  });
  assert.equal(config.sampling, 400);
  assert.equal(config.polling, 30);
  assert.equal(config.headerBytes, 128);
  assert.equal(config.datagramBytes, 1400);
});

test("'=' and ';' are optional, braces may touch words, names match in any case, later values win", () => {
  const a = parseHsflowdConf(
    'sflow{SAMPLING 100;Polling=10;polling 15 Collector{IP 192.0.2.1 UdpPort=1}}',
  ).config;
  assert.equal(a.sampling, 100);
  assert.equal(a.polling, 15);
  assert.deepEqual(a.collectors, [{ address: '192.0.2.1', port: 1 }]);
  // hsflowd's 1.x names for sampling and polling
  const b = parseHsflowdConf(
    'sflow { packetSamplingRate = 64 counterPollingInterval = 5 dns-sd { } }',
  ).config;
  assert.equal(b.sampling, 64);
  assert.equal(b.polling, 5);
});

test('dns-sd { } turns DNS-SD on; DNSSD = on does too', () => {
  assert.deepEqual(parseHsflowdConf('sflow { dns-sd { domain = .sf.example.com } }').config.dnsSd, {
    enabled: true,
    domain: '.sf.example.com',
  });
  assert.deepEqual(parseHsflowdConf('sflow { dns-sd { } }').config.dnsSd, { enabled: true });
  const { config, warnings } = parseHsflowdConf('sflow {\n DNSSD = on\n}');
  assert.deepEqual(config.dnsSd, { enabled: true });
  assert.equal(warnings.length, 1);
});

test('unknown settings and blocks are skipped with a warning naming the key and the line', () => {
  const { config, warnings } = parseHsflowdConf(
    [
      'sflow {',
      '  samplin = 400',
      '  collector { ip = 192.0.2.1 colour = blue }',
      '  sniffer { dev = eth0 nested { x = 1 } }',
      '  frobnicate',
      '  polling = 10',
      '}',
    ].join('\n'),
    'x.conf',
  );
  assert.deepEqual(warnings, [
    "x.conf:2: unknown setting 'samplin' in sflow { } (ignored)",
    "x.conf:3: unknown setting 'colour' in collector { } (ignored)",
    "x.conf:4: unknown block 'sniffer' in sflow { } (skipped)",
    "x.conf:5: unknown setting 'frobnicate' in sflow { } (ignored)",
  ]);
  assert.equal(config.sampling, 400 /* the default: the misspelt key did nothing */);
  assert.equal(config.polling, 10);
  assert.deepEqual(config.collectors, [{ address: '192.0.2.1', port: 6343 }]);
});

test('a config with nowhere to send is a warning', () => {
  const { warnings } = parseHsflowdConf('sflow {\n  polling = 10\n}', 'h.conf');
  assert.deepEqual(warnings, ['h.conf:1: no collector { } and no dns-sd { }: the agent has nowhere to send']);
});

/** Parses, expecting an HsflowdConfError; returns it. */
function refusal(text: string): HsflowdConfError {
  try {
    parseHsflowdConf(text);
  } catch (e) {
    assert.ok(e instanceof HsflowdConfError, String(e));
    return e;
  }
  assert.fail(`accepted: ${text}`);
}

test('each malformed file is refused with its line and reason', () => {
  const cases: [string, HsflowdConfError['code'], number, string][] = [
    [
      'sflow {\n  collector {\n    ip = 10.0.0.1\n    udpport = abc\n  }\n}',
      'BAD_VALUE',
      4,
      "'udpport' must be a port number 1–65535, not 'abc'",
    ],
    [
      'sflow {\n collector { ip = 10.0.0.1 udpport = 0 } }',
      'BAD_VALUE',
      2,
      "'udpport' must be a port number 1–65535, not '0'",
    ],
    [
      'sflow {\n collector { ip = 10.0.0.1 udpport = 65536 } }',
      'BAD_VALUE',
      2,
      "'udpport' must be a port number 1–65535, not '65536'",
    ],
    [
      'sflow {\n collector { ip = 10.0.0.300 } }',
      'BAD_VALUE',
      2,
      "'ip' must be an IP address or host name, not '10.0.0.300'",
    ],
    [
      'sflow {\n collector { ip = 2001:db8::g } }',
      'BAD_VALUE',
      2,
      "'ip' must be an IP address or host name, not '2001:db8::g'",
    ],
    ['sflow {\n polling =\n sampling = 400\n}', 'MISSING_VALUE', 2, "'polling' needs a value"],
    ['sflow {\n collector { ip }\n}', 'MISSING_VALUE', 2, "'ip' needs a value"],
    [
      'sflow {\n sampling = 1-in-400\n}',
      'BAD_VALUE',
      2,
      "'sampling' must be a sampling rate 0–10000000, not '1-in-400'",
    ],
    [
      'sflow {\n sampling = 11M\n}',
      'BAD_VALUE',
      2,
      "'sampling' must be a sampling rate 0–10000000, not '11M'",
    ],
    ['sflow {\n polling = 301\n}', 'BAD_VALUE', 2, "'polling' must be a number of seconds 0–300, not '301'"],
    [
      'sflow {\n datagramBytes = 100\n}',
      'BAD_VALUE',
      2,
      "'datagramBytes' must be a number of bytes 200–8192, not '100'",
    ],
    [
      'sflow {\n headerBytes = 257\n}',
      'BAD_VALUE',
      2,
      "'headerBytes' must be a number of bytes 0–256, not '257'",
    ],
    [
      'sflow {\n nflog { probability = 1.5 }\n}',
      'BAD_VALUE',
      2,
      "'probability' must be a number 0–1, not '1.5'",
    ],
    ['sflow {\n DNSSD = yes\n}', 'BAD_VALUE', 2, "'DNSSD' must be on or off, not 'yes'"],
    [
      'sflow {\n agent.cidr = 10.0.0.0/33\n}',
      'BAD_VALUE',
      2,
      "'agent.cidr' must be an address prefix such as 10.0.0.0/8 or 2001:db8::/32 (or !prefix), not '10.0.0.0/33'",
    ],
    [
      'sflow {\n DNSSD { }\n}',
      'MISSING_VALUE',
      2,
      "'DNSSD' needs a value (the block is spelled 'dns-sd { }')",
    ],
    [
      'sflow {\n collector {\n  ip = 10.0.0.1\n}',
      'UNBALANCED_BRACES',
      1,
      "'sflow' block opened on line 1 is not closed",
    ],
    [
      'sflow {\n collector {\n  ip = 10.0.0.1\n',
      'UNBALANCED_BRACES',
      2,
      "'collector' block opened on line 2 is not closed",
    ],
    ['sflow {\n}\n}', 'UNBALANCED_BRACES', 3, "'}' with no block open"],
    ['sflow {\n mystery { a = 1\n', 'UNBALANCED_BRACES', 2, "'mystery' block opened on line 2 is not closed"],
    ['polling = 10\nsflow { }', 'SYNTAX', 1, "'polling' is outside 'sflow { … }', where every setting goes"],
    [
      'sflow { collector { ip = 10.0.0.1 } }\nsampling = 400',
      'SYNTAX',
      2,
      "'sampling' is outside 'sflow { … }', where every setting goes",
    ],
    ['sflow {\n collector ip = 10.0.0.1\n}', 'SYNTAX', 2, "'collector' is a block: write 'collector { … }'"],
    ['sflow {\n { }\n}', 'SYNTAX', 2, "'{' must follow a block name"],
    ['sflow { }\nsflow { }', 'SYNTAX', 2, "a second 'sflow' block (the first is on line 1)"],
    ['sflow {\n pcap { dev.pattern = "eth[0-9 }\n}', 'SYNTAX', 2, 'a quoted value is not closed: "eth[0-9 }'],
    ['# nothing but a comment\n', 'INCOMPLETE', 1, "no 'sflow { … }' block"],
    [
      'sflow {\n polling = 10\n collector { udpport = 6343 }\n}',
      'INCOMPLETE',
      3,
      "collector { } needs an 'ip'",
    ],
  ];
  for (const [text, code, line, reason] of cases) {
    const e = refusal(text);
    assert.deepEqual({ code: e.code, line: e.line, reason: e.reason }, { code, line, reason }, text);
    assert.equal(e.message, `hsflowd.conf:${line}: ${reason}`);
  }
});

test('the file name given is in the message', () => {
  assert.throws(() => parseHsflowdConf('sflow {\n\n polling = x\n}', '/etc/hsflowd.conf'), {
    name: 'HsflowdConfError',
    message: "/etc/hsflowd.conf:3: 'polling' must be a number of seconds 0–300, not 'x'",
  });
});

// Configurations as published on blog.sflow.com (the seeds): hsflowd 1.x, where DNS-SD was on by default and
// ULOG was set up with flat keys.
const PUBLISHED = {
  // "Rackspace cloudservers", 2011
  rackspace: `sflow {
  DNSSD = off
  polling = 30
  sampling = 400

  collector {
    ip = 10.180.164.230
  }

  ulogGroup = 1
  ulogProbability = 0.01
}`,
  // "Proxmox", 2011: braces touching the block names
  proxmox: `sflow{
  DNSSD = off
  polling = 20
  sampling = 400
  collector{
    ip = 10.0.0.50
    udpport = 6343
  }
  ulogGroup = 5
  ulogProbability = 0.0025
}`,
  // "Docker performance monitoring" and Cumulus Linux, 2014
  cumulus: `sflow {
  DNSSD = off

  polling = 20
  sampling.10G = 2000
  collector {
    ip = 10.0.0.1
  }
}`,
  // sflow.net's Linux configuration page: a Docker host with several collectors
  docker: `sflow {
  agent.CIDR = 10.0.0.0/8
  polling = 10
  sampling = 1000
  collector { ip = 10.100.12.13 }
  collector { ip = 10.122.1.2 }
  collector { ip = 10.144.1.2 UDPPort=6344 }
  pcap { dev = docker0 }
  pcap { dev = docker_gwbridge }
  docker {}
}`,
  hpc: `sflow {
  sampling.http = 50 # for apache mod_sflow
  collector { ip = 10.100.12.13 }
  json { UDPPort = 36343 } # for RTMETRIC
  nvml {} # Nvidia GPU
}`,
  allNics: 'sflow {\n  collector { ip = 10.100.12.13 }\n  pcap { speed = 1- }\n  tcp {}\n}',
};

test('published configurations parse', () => {
  const rackspace = parseHsflowdConf(PUBLISHED.rackspace);
  assert.deepEqual(rackspace.config.collectors, [{ address: '10.180.164.230', port: 6343 }]);
  assert.deepEqual(rackspace.config.modules.ulog, { group: 1, probability: 0.01, samplingRate: 100 });
  assert.deepEqual(
    rackspace.warnings.map((w) => w.replace(/;.*/, '')),
    [
      "hsflowd.conf:2: 'DNSSD' is deprecated",
      "hsflowd.conf:10: 'ulogGroup' is deprecated",
      "hsflowd.conf:11: 'ulogProbability' is deprecated",
    ],
  );

  const proxmox = parseHsflowdConf(PUBLISHED.proxmox).config;
  assert.deepEqual(proxmox.collectors, [{ address: '10.0.0.50', port: 6343 }]);
  assert.deepEqual(proxmox.modules.ulog, { group: 5, probability: 0.0025, samplingRate: 400 });
  assert.equal(proxmox.polling, 20);

  const cumulus = parseHsflowdConf(PUBLISHED.cumulus).config;
  assert.deepEqual(cumulus.samplingBySpeed, { '10G': 2000 });
  assert.equal(samplingFor(cumulus, 10_000_000_000), 2000);
  assert.equal(samplingFor(cumulus, 1_000_000_000), 1000);

  const docker = parseHsflowdConf(PUBLISHED.docker);
  assert.deepEqual(docker.warnings, []);
  assert.deepEqual(docker.config.collectors.at(-1), { address: '10.144.1.2', port: 6344 });
  assert.deepEqual(docker.config.modules.pcap, [{ dev: 'docker0' }, { dev: 'docker_gwbridge' }]);
  assert.deepEqual(docker.config.modules.docker, {});
  assert.deepEqual(docker.config.agentCidrs, [{ address: '10.0.0.0', bits: 8, exclude: false }]);

  const hpc = parseHsflowdConf(PUBLISHED.hpc);
  assert.deepEqual(hpc.warnings, []);
  assert.deepEqual(hpc.config.apps, { http: { sampling: 50 } });
  assert.deepEqual(hpc.config.otherModules, [{ name: 'nvml', line: 5, settings: {}, blocks: [] }]);

  const allNics = parseHsflowdConf(PUBLISHED.allNics).config;
  assert.deepEqual(allNics.modules.pcap, [{ speed: { min: 1, max: Number.POSITIVE_INFINITY } }]);
  assert.deepEqual(allNics.modules.tcp, {});
});

test('sampling by link speed follows hsflowd: sampling.<speed>, else ifSpeed / 1,000,000 but at least 100', () => {
  const config = defaultHostAgentConfig();
  const cases: [number | bigint, number][] = [
    [0, 400], // speed unknown: `sampling`
    [10_000_000, 100], // 10M: the floor
    [100_000_000, 100],
    [1_000_000_000, 1_000],
    [2_500_000_000, 2_500],
    [10_000_000_000, 10_000],
    [25_000_000_000n, 25_000],
    [40_000_000_000, 40_000],
    [100_000_000_000, 100_000],
    [400_000_000_000n, 400_000],
  ];
  for (const [speed, rate] of cases) assert.equal(samplingFor(config, speed), rate, `${speed}`);

  const set = parseHsflowdConf(
    'sflow { sampling = 256 sampling.1G = 512 sampling.10g = 4096 sampling.2G = 3000 dns-sd { } }',
  ).config;
  assert.equal(samplingFor(set, 0), 256);
  assert.equal(samplingFor(set, 1_000_000_000), 512);
  assert.equal(samplingFor(set, 10_000_000_000), 4096);
  // hsflowd names 2.5G "2G" (it truncates), so sampling.2G covers it
  assert.equal(samplingFor(set, 2_500_000_000), 3000);
  // `sampling` does not apply to links whose speed is known
  assert.equal(samplingFor(set, 40_000_000_000), 40_000);
});

test('sampling.bps_ratio replaces the 1,000,000 divisor; 0 falls back on sampling', () => {
  const ratio = parseHsflowdConf('sflow { sampling.bps_ratio = 10M dns-sd { } }').config;
  assert.equal(samplingFor(ratio, 10_000_000_000), 1000);
  assert.equal(samplingFor(ratio, 1_000_000), 1 /* at least 1, not 100 */);
  const off = parseHsflowdConf('sflow { sampling = 333 sampling.bps_ratio = 0 dns-sd { } }').config;
  assert.equal(samplingFor(off, 10_000_000_000), 333);
});

test('speed names as hsflowd prints them', () => {
  const cases: [number, string][] = [
    [999, '999'],
    [1000, '1K'],
    [100_000_000, '100M'],
    [1_000_000_000, '1G'],
    [2_500_000_000, '2G'],
    [100_000_000_000, '100G'],
    [999_000_000_000, '999G'],
    [1_000_000_000_000, '1T'],
    [10_000_000_000_000, '10T'],
  ];
  for (const [bps, name] of cases) assert.equal(speedName(bps), name);
});

test('application settings: the deepest sampling.X / polling.X match, else the defaults', () => {
  const config = parseHsflowdConf(
    'sflow { sampling = 400 polling = 30 sampling.http = 100 sampling.app = 1000 sampling.app.db = 20 polling.app.db = 5 dns-sd { } }',
  ).config;
  assert.deepEqual(appSettingsFor(config, 'http'), { sampling: 100, polling: 30 });
  assert.deepEqual(appSettingsFor(config, 'memcache'), { sampling: 400, polling: 30 });
  assert.deepEqual(appSettingsFor(config, 'app.db'), { sampling: 20, polling: 5 });
  assert.deepEqual(appSettingsFor(config, 'app.db.replica'), { sampling: 20, polling: 5 });
  assert.deepEqual(appSettingsFor(config, 'app.dbx'), { sampling: 1000, polling: 30 });
});
