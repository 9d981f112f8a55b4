/**
 * `sflowkit acl-server` as its own program, for the network-namespace test and the round-trip benchmark to run
 * inside a namespace (`ip netns exec NS node acl-server-entry.js …`). It does what src/cli/main.ts does for
 * the subcommand, so the tests need not depend on main.ts's list of commands.
 */
import { aclServerCommand } from '../../src/cli/acl-server-command.js';

const args = process.argv.slice(2);
if (args[0] === 'acl-server') args.shift();
aclServerCommand(args).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sflowkit acl-server: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
