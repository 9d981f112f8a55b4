/**
 * The host agent's containers: listed once a polling interval (a new one shows within an interval, one gone
 * is skipped when its cgroup has emptied), each polled as its own data source 3:N at its own offset within
 * the interval (counter-poller.ts staggers them, as it does the NICs).
 */
import type { KnownCounterRecord } from '../../sflow/model.js';
import {
  type ContainerList,
  type ContainerModules,
  enabledKinds,
  type HostFacts,
  listContainers,
  readContainer,
  readHostFacts,
} from './cgroup-counters.js';
import { virtNode } from './cgroup-records.js';
import { ContainerTracker } from './cgroup-tracker.js';
import type { CounterPoller } from './counter-poller.js';

export class ContainerSources {
  private readonly tracker = new ContainerTracker();
  private list: ContainerList | undefined;
  private listedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly root: string) {}

  /** The poller ids of the containers known (`vnode N`), to keep their phases. */
  get ids(): string[] {
    return this.list?.containers.map((c) => id(c.index)) ?? [];
  }

  /** virt_node for the host's sample while a container module is on, else undefined. */
  virtNode(host: readonly KnownCounterRecord[]): KnownCounterRecord | undefined {
    return this.list === undefined ? undefined : virtNode(host, this.list.containers.length);
  }

  /** Lists the containers when due, and sends the counters of each that is due at `second`. */
  async poll(
    second: number,
    modules: ContainerModules | undefined,
    poller: CounterPoller,
    send: (index: number, records: KnownCounterRecord[]) => void,
  ): Promise<void> {
    if (enabledKinds(modules).size === 0) {
      this.list = undefined;
      this.tracker.keepOnly(new Set());
      return;
    }
    let facts: HostFacts | undefined;
    const host = async () => {
      facts ??= await readHostFacts(this.root);
      return facts;
    };
    if (this.list === undefined || second - this.listedAt >= poller.interval) {
      this.list = await listContainers(this.root, modules ?? {}, this.tracker, await host());
      this.listedAt = second;
    }
    const { mounts, containers } = this.list;
    if (mounts === undefined) return;
    for (const c of containers) {
      if (!poller.due(id(c.index), second)) continue;
      const records = await readContainer(this.root, mounts, c, await host(), this.tracker);
      if (records) send(c.index, records);
    }
  }
}

const id = (index: number) => `vnode ${index}`;
