/**
 * Text the CLI prints from AWS — the freeze switch's reason and who set it (anyone with
 * ssm:PutParameter can write them), and records that quote them — at random with control
 * characters, ANSI escapes, line breaks and bidirectional overrides in it. `canary status`, the
 * refusal `canary deploy` ends with, and its progress lines show them made visible, as
 * `canary history` does: no such text moves the cursor, adds a line or prints reversed.
 */
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import fc from 'fast-check';

import { describedTaskDefinition } from '../deploy/fixtures';
import {
  aws,
  chain,
  decision,
  resetAws,
  run,
  seedAudit,
  seedDeployment,
  seedDeploymentList,
  seedListener,
  seedService,
  SIGNED_AUDIT,
  target,
} from './harness';

const SEED = Number(process.env.FUZZ_SEED ?? 3707);

/** What escapeControl makes visible: C0, DEL, C1, Arabic letter mark, zero-width and bidi, BOM. */

const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\u001b[2J',
        '\u001b[32m all clear',
        '\n',
        '\r',
        '\t',
        '\u0085',
        '\u009b2J',
        '\u202e',
        '\u2028',
        '\u200b',
        '\u0000',
        '\u0007',
      ),
      fc.string({ maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => `incident ${parts.join('')}`);

function frozen(reason: string, by: string): void {
  seedService(SIGNED_AUDIT, JSON.stringify({ frozen: true, reason, by, at: '2026-11-21T11:00:00.000Z' }));
}

function expectVisible(text: string, lines: number): void {
  expect(text).not.toMatch(UNSAFE);
  expect(text.split('\n').filter((l) => l !== '')).toHaveLength(lines);
}

describe('text from AWS with control characters', () => {
  beforeEach(() => resetAws());

  /** A rollout at 25% whose last verdict quotes `verdictReason`, with the switch frozen by `by` for `reason`. */
  function rolloutAt25(reason: string, by: string, verdictReason: string): void {
    frozen(reason, by);
    seedDeploymentList(['d-NEW'], ['d-NEW']);
    seedDeployment([{ deploymentId: 'd-NEW', status: 'InProgress' }], target([['AfterAllowTestTraffic', 'InProgress']], 25));
    seedListener(25);
    seedAudit(chain([decision({ stage: { index: 1, weight: 25 }, verdict: 'hold', reason: verdictReason })]));
  }

  it('canary status shows a frozen switch’s reason and setter, and a quoted verdict, each on its line, made visible', async () => {
    rolloutAt25('incident 42', 'bo', 'bake 2/10 min');
    const benign = await run(['status', 'web']);
    expect(benign.code).toBe(0);
    expect(benign.stdout.text).toContain('FROZEN by bo');
    expect(benign.stdout.text).toContain('bake 2/10 min');
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, hostileText, async (reason, by, verdictReason) => {
        resetAws();
        rolloutAt25(reason, by, verdictReason);
        const result = await run(['status', 'web']);
        expect(result.code).toBe(benign.code);
        expectVisible(result.stdout.text, benign.stdout.lines().length);
        expectVisible(result.stderr.text, benign.stderr.lines().length);
      }),
      { seed: SEED, numRuns: 15 },
    );
  });

  it('canary deploy refuses a frozen service on one last line, the reason made visible', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (reason, by) => {
        resetAws();
        frozen(reason, by);
        seedDeploymentList([]);
        aws.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: describedTaskDefinition() });
        const result = await run(['deploy', 'web', '--image', 'public.ecr.aws/nginx/nginx:1.27']);
        expect(result.code).toBe(1);
        expect(result.stderr.text).not.toMatch(UNSAFE);
        expect(result.stdout.text).not.toMatch(UNSAFE);
        expect(result.stderr.lines().at(-1)).toMatch(/^refused: web is frozen by /);
      }),
      { seed: SEED, numRuns: 15 },
    );
  });
});
