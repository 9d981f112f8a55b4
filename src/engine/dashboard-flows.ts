/**
 * The flow definitions the dashboard charts, defined by `sflowkit serve` at start unless --dashboard=off (and
 * left as they are when the state file already holds them): ordinary definitions, so the REST API, thresholds
 * and apps can use them too. Values are scaled by the sampling rate like every flow's.
 */
export const DASHBOARD_FLOWS: Record<string, Record<string, unknown>> = {
  /** Traffic by service (packet-keys.ts `service`: tcp/443, udp/53, icmp), for the protocol breakdown. */
  sflowkit_protocols: { keys: 'service', value: 'bytes' },
  /** Host pairs and their service, for the application map and the top talkers. */
  sflowkit_hosts: { keys: 'or:ipsource:ip6source,or:ipdestination:ip6destination,service', value: 'bytes' },
  sflowkit_http_methods: { keys: 'httpmethod', value: 'requests' },
  sflowkit_http_status: { keys: 'httpstatus', value: 'requests' },
  sflowkit_http_urls: { keys: 'httphost,httpurl', value: 'requests' },
  sflowkit_http_clients: {
    keys: 'or:clientaddress:clientaddress6',
    value: 'requests',
    filter: 'httpmethod!=null',
  },
  /** Response times in microseconds, binned: <1 ms, 1–10 ms, 10–100 ms, 100 ms–1 s, ≥1 s. */
  sflowkit_http_durations: {
    keys: 'bucket:duration:1000:10000:100000:1000000',
    value: 'requests',
    // A missing key compares as the text null: this keeps memcache's durations out.
    filter: 'httpmethod!=null',
  },
  sflowkit_memcache_ops: { keys: 'memcachecommand', value: 'requests' },
  sflowkit_memcache_keys: { keys: 'memcachekey', value: 'requests' },
  sflowkit_memcache_missed: { keys: 'memcachekey', value: 'requests', filter: 'memcachestatus=NOT_FOUND' },
};

/**
 * Flows of transactions, which each server reports only for itself: their totals are the sum over agents
 * (charted so), where a packet is seen by every switch on its path and the largest agent's value is the
 * network's (aggMode max, the default).
 */
export const SUMMED_FLOWS: ReadonlySet<string> = new Set(
  Object.keys(DASHBOARD_FLOWS).filter(
    (n) => n.startsWith('sflowkit_http_') || n.startsWith('sflowkit_memcache_'),
  ),
);
