/**
 * The settings an application agent (the HTTP instrumentation, the memcache proxy) runs with: what its caller
 * gave, else the host agent's auto file (as mod-sflow and memcached's sFlow read /etc/hsflowd.auto), else
 * defaults. The file is read again every polling interval, so one hsflowd.conf or DNS-SD zone drives them all;
 * the exporter is replaced only when the agent address or datagram size change, so sequence numbers go on.
 */
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { type Collector, SflowExporter } from '../agent/exporter.js';
import { type AutoSettings, readAutoFile } from '../agent/host/auto-file.js';

/** This host's first non-loopback IPv4 address (127.0.0.1 if it has none): an agent address by default. */
export function firstIpv4(): string {
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

export interface InstrumentOptions {
  /** One transaction in this many is sampled; 0: none. */
  sampling?: number;
  /** Seconds between counter samples; 0: none. */
  polling?: number;
  collectors?: Collector[];
  agentAddress?: string;
  /** The host agent's published settings (hsflowd's /etc/hsflowd.auto). */
  autoFile?: string;
  /**
   * Whether the caller named the auto file. A named file that is missing means "wait for the host agent": no
   * collectors meanwhile. A default path that is missing means there is no host agent: 127.0.0.1:6343.
   */
  autoFileNamed?: boolean;
}

export interface InstrumentSettings {
  sampling: number;
  polling: number;
  collectors: Collector[];
  agentAddress: string;
  datagramBytes: number;
}

/** What `o` and the auto file `auto` say for the application `app` (the NAME of hsflowd's sampling.NAME). */
export function instrumentSettings(
  app: string,
  o: InstrumentOptions,
  auto: AutoSettings | undefined,
  defaults: { sampling: number; agentAddress: () => string },
): InstrumentSettings {
  // sampling.NAME=0 turns sampling off; a file without any sampling line says nothing (0 as read).
  const fromFile = auto?.samplingBy[app] ?? (auto?.sampling || undefined);
  const waitForFile = o.autoFileNamed === true && auto === undefined;
  return {
    sampling: o.sampling ?? fromFile ?? defaults.sampling,
    polling: o.polling ?? (auto?.polling || 20),
    collectors:
      o.collectors && o.collectors.length > 0
        ? o.collectors
        : (auto?.collectors ?? (waitForFile ? [] : [{ address: '127.0.0.1', port: 6343 }])),
    agentAddress: o.agentAddress ?? (auto?.agentAddress || defaults.agentAddress()),
    datagramBytes: auto?.datagramBytes ?? 1400,
  };
}

/**
 * Settings that follow the auto file, and the exporter that sends with them. `onChange` hears each new
 * revision (after the exporter has followed it).
 */
export class FollowedSettings {
  private timer: NodeJS.Timeout | undefined;
  settings: InstrumentSettings;
  exporter: SflowExporter;

  constructor(
    private readonly app: string,
    private readonly o: InstrumentOptions,
    private readonly defaults: {
      sampling: number;
      agentAddress: () => string;
      subAgentId: number;
      /** The caller's own exporter: used as it is, never replaced nor closed here. */
      exporter?: SflowExporter;
    },
    private readonly onChange: (now: InstrumentSettings, before: InstrumentSettings) => void = () => {},
  ) {
    this.settings = instrumentSettings(app, o, this.readAuto(), defaults);
    this.exporter = this.exporterFor(this.settings);
  }

  /** Whether the auto file was named and has no settings yet (missing, or caught between revisions). */
  get waiting(): boolean {
    return this.o.autoFileNamed === true && this.readAuto() === undefined;
  }

  private readAuto(): AutoSettings | undefined {
    return this.o.autoFile ? readAutoFile(this.o.autoFile) : undefined;
  }

  private exporterFor(s: InstrumentSettings): SflowExporter {
    if (this.defaults.exporter) return this.defaults.exporter;
    return new SflowExporter({
      agentAddress: s.agentAddress,
      subAgentId: this.defaults.subAgentId,
      collectors: s.collectors,
      datagramBytes: s.datagramBytes,
    });
  }

  /** Reads the auto file again; whether the settings changed. */
  reread(): boolean {
    const auto = this.readAuto();
    // Unreadable but there: caught between two revisions (or a writer that is not atomic); keep what we have.
    if (auto === undefined && this.o.autoFile && existsSync(this.o.autoFile)) return false;
    const next = instrumentSettings(this.app, this.o, auto, this.defaults);
    const before = this.settings;
    if (JSON.stringify(next) === JSON.stringify(before)) return false;
    // The caller's own exporter sends where the caller said.
    if (this.defaults.exporter === undefined) {
      if (next.agentAddress !== before.agentAddress || next.datagramBytes !== before.datagramBytes) {
        const old = this.exporter;
        this.exporter = this.exporterFor(next);
        void old.close();
      } else this.exporter.setCollectors(next.collectors);
    }
    this.settings = next;
    this.onChange(next, before);
    return true;
  }

  /** Reads the file again every polling interval (20 s when polling is off) until close(). */
  follow(): void {
    if (!this.o.autoFile) return;
    const tick = () => {
      this.reread();
      this.timer = setTimeout(tick, (this.settings.polling || 20) * 1000).unref();
    };
    this.timer = setTimeout(tick, (this.settings.polling || 20) * 1000).unref();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.exporter !== this.defaults.exporter) await this.exporter.close();
  }
}
