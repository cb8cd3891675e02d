/**
 * Runs the `canary` CLI in process against a FakeAws account: its sleeps advance the fake clock,
 * its SDK clients go to the fakes (and, with `caller`, its calls are attributed to that caller).
 */
import { type CliDeps, createClients } from '../../cli/context';
import { runCli } from '../../cli/program';
import { asCaller } from './mocks';
import type { FakeAws } from './world';

/** `env` adds to the environment (e.g. CANARY_AUDIT_TRUST_ROOT, the pin `canary history` verifies against). */
export async function runCliOn(
  world: FakeAws,
  argv: string[],
  options: { region: string; caller?: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = {
    text: '',
    isTTY: false,
    write(t: string) {
      this.text += t;
      return true;
    },
  };
  const err = {
    text: '',
    isTTY: false,
    write(t: string) {
      this.text += t;
      return true;
    },
  };
  const deps: CliDeps = {
    stdout: out,
    stderr: err,
    env: { CANARY_ACTOR: 'oncall', ...options.env },
    now: () => world.clock.date(),
    sleep: (ms) => world.clock.advance(ms),
    clients: (o) => createClients({ region: options.region, ...o }),
  };
  const run = () => runCli(argv, deps);
  const code = await (options.caller ? asCaller(options.caller, run) : run());
  return { code, stdout: out.text, stderr: err.text };
}
