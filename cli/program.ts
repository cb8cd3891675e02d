/**
 * The `canary` program: commander set-up, global options and the mapping of every outcome to an
 * exit code (see `exit.ts`). `runCli` never calls `process.exit`; `bin/canary.ts` does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { escapeControl } from '../lambdas/core/audit-anchor';
import { registerAppSpec } from './commands/appspec';
import { registerControl } from './commands/control';
import { registerDeploy } from './commands/deploy';
import { registerFreeze } from './commands/freeze';
import { registerHistory } from './commands/history';
import { registerPlan } from './commands/plan';
import { registerRollback } from './commands/rollback';
import { registerSimulate } from './commands/simulate';
import { registerStatus } from './commands/status';
import type { CliDeps } from './context';
import { CommandFailedError, EXIT, exitFor } from './exit';
import { regionOption } from './region';

export function buildProgram(deps: CliDeps): Command {
  const program = new Command('canary')
    .description('gated progressive rollouts (5% → 25% → 50% → 100%) for ECS services: deploy, watch, act')
    .addOption(
      new Option('--region <region>', 'AWS region, such as eu-west-1 (default: the SDK chain: AWS_REGION, profile, ...)').argParser(
        regionOption((line) => void deps.stderr.write(`${line}\n`)),
      ),
    )
    .addOption(new Option('--profile <profile>', 'AWS profile from ~/.aws/config (default: the SDK chain)').argParser(profileOption))
    .option('--json', 'print one JSON event per line')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    // Each subcommand's --help also lists --region, --profile and --json.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => void deps.stdout.write(text),
      writeErr: (text) => void deps.stderr.write(text),
      outputError: () => undefined,
    });
  registerDeploy(program, deps);
  registerStatus(program, deps);
  registerControl(program, deps);
  registerRollback(program, deps);
  registerHistory(program, deps);
  registerFreeze(program, deps);
  registerSimulate(program, deps);
  registerPlan(program, deps);
  registerAppSpec(program, deps);
  for (const command of program.commands)
    command.exitOverride().configureOutput({
      writeOut: (text) => void deps.stdout.write(text),
      writeErr: (text) => void deps.stderr.write(text),
      outputError: () => undefined,
    });
  return program;
}

/** `--profile`: an empty name would silently fall back to the default profile. */
function profileOption(value: string): string {
  if (value.trim() === '' || value !== value.trim())
    throw new InvalidArgumentError(
      `--profile is ${JSON.stringify(value)}; accepted: a profile name from ~/.aws/config, without surrounding spaces`,
    );
  return value;
}

/** The package's version: its package.json is one level up from cli/, two from dist/cli or the bundle's dist/bin. */
function packageVersion(): string {
  for (const up of [['..'], ['..', '..']]) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, ...up, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'ecs-canary') return pkg.version;
    } catch {
      // not there: try the next level
    }
  }
  return 'unknown';
}

/** What the SDK throws when neither `--region`, `AWS_REGION` nor the profile names a region. */
const SDK_REGION_MISSING = 'Region is missing';
const REGION_HINT =
  'usage error: no AWS region: pass --region <region>, set AWS_REGION, or set region for the profile in ~/.aws/config (--profile or AWS_PROFILE)';

/** True when `error` or one of its causes is the SDK's missing-region error. */
function isRegionMissing(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e.message === SDK_REGION_MISSING) return true;
  return false;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const program = buildProgram(deps);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    const { code, line: reason } = isRegionMissing(error) ? { code: EXIT.usage, line: REGION_HINT } : exitFor(error);
    if (reason) {
      // A parse error (not a bad value, whose line says what is accepted) points to the usage: the subcommand's help when one was named.
      const command = argv.find((a) => program.commands.some((c) => c.name() === a));
      const hint = error instanceof CommanderError && error.code !== 'commander.invalidArgument';
      const line = hint ? `${reason}; see canary ${command ? `${command} ` : ''}--help` : reason;
      // The last line quotes reasons from AWS (a frozen switch's, a judge's): one line, no control characters.
      deps.stderr.write(`${escapeControl(line)}\n`);
      const extra = error instanceof CommandFailedError ? error.result : undefined;
      if (argv.includes('--json'))
        deps.stdout.write(`${JSON.stringify({ type: 'result', at: deps.now().toISOString(), exitCode: code, ...extra, reason: line })}\n`);
    }
    return code;
  }
}
