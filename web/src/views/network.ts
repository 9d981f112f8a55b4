/**
 * The network: the top flows of a definition typed in or picked (sFlow-RT's browse-flows), the traffic by
 * service over time, and every switch interface with its utilization, errors and discards.
 */
import { type Columns, flowHistory } from '../api.js';
import { h, panel } from '../dom.js';
import { every } from '../poll.js';
import { REFRESH_MS, type View } from '../view.js';
import { FlowChart, flowUnit } from './flow-chart.js';
import { TopFlows } from './network-flows.js';
import { Interfaces } from './network-interfaces.js';
import { serviceName } from './services.js';

const PROTOCOLS = 'sflowkit_protocols';
const EMPTY: Columns = { times: [], series: {} };

export const network: View = {
  id: 'network',
  title: 'Network',
  nav: true,
  mount(root, ctx) {
    const flows = new TopFlows(panel(root, 'Top flows', 'flows'), ctx);
    const services = panel(root, 'Traffic by service (bits/s)', 'protocols');
    const noProtocols = h(
      'p',
      { class: 'muted', hidden: true },
      `no ${PROTOCOLS} flow: sflowkit serve defines it unless --dashboard=off`,
    );
    services.append(noProtocols);
    const protocols = new FlowChart(services, flowUnit('bytes'), serviceName);
    const interfaces = new Interfaces(panel(root, 'Interfaces', 'interface-panel'));

    const stop = every(REFRESH_MS, async () => {
      await flows.update();
      // Asked only when defined: a 404 every second would fill the console.
      const defined = flows.has(PROTOCOLS);
      noProtocols.hidden = defined;
      const [history] = await Promise.all([
        defined ? flowHistory(PROTOCOLS, ctx.minutes(), 10) : EMPTY,
        interfaces.update(),
      ]);
      protocols.update(history);
    });
    return () => {
      stop();
      flows.destroy();
      protocols.destroy();
    };
  },
};
