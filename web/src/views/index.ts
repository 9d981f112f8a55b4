/** The dashboard's views, in the header's order. */
import type { View } from '../view.js';
import { cluster } from './cluster.js';
import { events } from './events.js';
import { host } from './host.js';
import { http } from './http.js';
import { map } from './map.js';
import { memcache } from './memcache.js';
import { network } from './network.js';
import { overview } from './overview.js';
import { servers } from './servers.js';

export const VIEWS: View[] = [overview, map, cluster, servers, network, http, memcache, events, host];
