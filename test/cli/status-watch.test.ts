/**
 * `canary status --watch` against the stateful fake of AWS (test/support): a real CodeDeploy
 * lifecycle whose hooks shift the listener as the engine would and record its decisions; the
 * CLI's sleeps drive the fake clock. The watch ends with the deployment (and CodeDeploy's
 * rollback of it) and exits like `canary deploy`: 0 succeeded, 1 rolled back.
 */
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { type CliDeps, createClients } from '../../cli/context';
import { runCli } from '../../cli/program';
import { anchorRecord, appendAudit, type AuditTable } from '../../lambdas/aws/dynamodb';
import type { AuditDraft, AuditRecord } from '../../lambdas/core/audit-chain';
import { FakeAws, type FakeService } from '../support';

const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/web:2.0.0';
const MINUTE = 60_000;
let world: FakeAws;
let web: FakeService;
let chainTip: AuditRecord | undefined;

async function setWeight(replacement: number, deploymentId: string) {
  const d = world.codedeploy.deployment(deploymentId);
  await new ElasticLoadBalancingV2Client({ region: 'us-east-1' }).send(
    new ModifyListenerCommand({
      ListenerArn: web.metadata.productionListenerArn,
      DefaultActions: [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: d.originalTargetGroupArn, Weight: 100 - replacement },
              { TargetGroupArn: d.replacementTargetGroupArn, Weight: replacement },
            ],
          },
        },
      ],
    }),
  );
}

/** The engine's append path: signed with the service's key, then anchored (status quotes only records that verify). */
async function audit(draft: Partial<AuditDraft> & { deploymentId: string; reason: string }) {
  const table: AuditTable = {
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }), { marshallOptions: { removeUndefinedValues: true } }),
    tableName: web.metadata.auditTableName!,
    service: 'web',
    retentionDays: 30,
    signer: { client: new KMSClient({ region: 'us-east-1' }), keyArn: web.metadata.auditKeyArn! },
    anchors: { client: new S3Client({ region: 'us-east-1' }), bucket: web.metadata.auditAnchorBucket! },
  };
  chainTip = await appendAudit(table, { kind: 'decision', actor: 'engine', hook: 'AfterAllowTestTraffic', ...draft }, world.clock.now());
  await anchorRecord(table, chainTip);
}

const bake = (left: number) => ({
  check: 'bake',
  status: left === 0 ? 'pass' : 'hold',
  observed: 'complete data-minute(s) at 25%',
  bar: '≥ the stage bake',
  detail: left === 0 ? '' : `baking: ${left} data-minute(s) left.`,
});
const ROLLBACK = 'rollback: canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750): evidence 412 ≥ 303.';

/** The first window as the engine would run it: 5%, then 25% with a judged hold, then `end`. */
function scriptRollout(end: 'rollback' | 'succeed') {
  world.codedeploy.onHook(async (hook, event) => {
    const id = event.DeploymentId;
    if (hook === 'AfterAllowTestTraffic') {
      await setWeight(5, id);
      await audit({
        deploymentId: id,
        stage: { index: 0, weight: 5 },
        weights: { original: 95, replacement: 5 },
        verdict: 'start',
        reason: 'rollout started: 5%',
      });
      await world.clock.sleep(3 * MINUTE);
      await setWeight(25, id);
      await audit({
        deploymentId: id,
        stage: { index: 1, weight: 25 },
        weights: { original: 75, replacement: 25 },
        verdict: 'promote',
        reason: 'promoted from 5% to 25%',
      });
      await world.clock.sleep(2 * MINUTE);
      await audit({
        deploymentId: id,
        stage: { index: 1, weight: 25 },
        weights: { original: 75, replacement: 25 },
        verdict: 'hold',
        reason: 'hold: baking: 3 data-minute(s) left.',
        reasons: [bake(3)],
      });
      await world.clock.sleep(2 * MINUTE);
      if (end === 'rollback') {
        await audit({
          deploymentId: id,
          stage: { index: 1, weight: 25 },
          weights: { original: 100, replacement: 0 },
          verdict: 'rollback',
          reason: ROLLBACK,
          reasons: [
            {
              check: 'errors',
              status: 'fail',
              observed: 'canary 4.8% (12/250) vs baseline 0.30% (14/4750)',
              bar: 'evidence ≥ 303',
              detail: ROLLBACK,
            },
          ],
        });
        await setWeight(0, id);
      }
    }
    const status = hook === 'AfterAllowTestTraffic' && end === 'rollback' ? 'Failed' : 'Succeeded';
    await new CodeDeployClient({ region: 'us-east-1' }).send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: id,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status,
      }),
    );
  });
}

async function run(argv: string[], tty = false) {
  const out = {
    text: '',
    isTTY: tty,
    columns: 200,
    write(t: string) {
      this.text += t;
      return true;
    },
  };
  const err = {
    text: '',
    isTTY: tty,
    write(t: string) {
      this.text += t;
      return true;
    },
  };
  const started = world.clock.now();
  const deps: CliDeps = {
    stdout: out,
    stderr: err,
    env: { CANARY_ACTOR: 'ana' },
    now: () => world.clock.date(),
    sleep: (ms) => world.clock.advance(ms),
    clients: (o) => createClients({ region: 'us-east-1', ...o }),
  };
  const code = await runCli(argv, deps);
  return {
    code,
    stdout: out.text,
    lines: out.text.trim().split('\n'),
    lastError: err.text.trim().split('\n').at(-1) ?? '',
    sleptMs: world.clock.now() - started,
  };
}

/** The printed lines without their timestamps. */
const untimed = (lines: string[]) => lines.map((l) => l.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));

beforeEach(() => {
  world = new FakeAws().install();
  web = world.addService({ name: 'web', terminationWaitMinutes: 0 });
  chainTip = undefined;
});
afterEach(() => world.restore());

describe('canary status --watch', () => {
  it('follows a rollout to its rollback, printing only what changed, and exits 1 with the reason last', async () => {
    scriptRollout('rollback');
    expect((await run(['deploy', 'web', '--image', IMAGE, '--no-wait'])).code).toBe(0);
    const id = [...world.codedeploy.deployments.keys()][0];
    const result = await run(['status', 'web', '--watch', '--poll-seconds', '60']);
    expect(result.code).toBe(1);
    expect(result.lastError).toMatch(
      new RegExp(
        `^failed: deployment ${id} failed and rolled back: ${ROLLBACK.slice(0, -1).replace(/[().]/g, '\\$&')}; CodeDeploy: HOOK_EXECUTION_FAILURE: `,
      ),
    );
    // Ended with the deployment: CodeDeploy's own rollback of it has ended too.
    const rollback = world.codedeploy.deployment(id).rollbackInfo?.rollbackDeploymentId;
    expect(world.codedeploy.deployment(rollback!).status).toBe('Succeeded');

    const lines = untimed(result.lines);
    // Each traffic state is printed once, when it changed, in the order the listener went through them.
    expect(lines.filter((l) => l.startsWith('  traffic now:'))).toEqual([
      // Before CodeDeploy labels the task sets, then with the original only, then the engine's shifts.
      '  traffic now: 100% web-blue — read from the production listener',
      '  traffic now: 100% original (web-blue) — read from the production listener',
      '  traffic now: 95% original (web-blue), 5% replacement (web-green) — read from the production listener',
      '  traffic now: 75% original (web-blue), 25% replacement (web-green) — read from the production listener',
      '  traffic now: 100% original (web-blue), 0% replacement (web-green) — read from the production listener',
    ]);
    const bakeAt25 = web.metadata.plan.windows[0].steps[1].bakeMinutes;
    expect(lines).toContain(
      `  bake    ${bakeAt25} of ${bakeAt25} data-minutes left (the judge has not counted this stage's data-minutes yet)`,
    );
    expect(lines).toContain(`  bake    3 of ${bakeAt25} data-minutes left`);
    // Fewer headlines than reads: unchanged screens print nothing.
    const reads = result.sleptMs / 60_000 + 1;
    expect(lines.filter((l) => l.startsWith('web  ')).length).toBeLessThan(reads);
    // The last screen is the rollback's, outcome first.
    const last = lines.slice(lines.lastIndexOf(lines.filter((l) => l.startsWith('web  ')).at(-1)!));
    expect(last[0]).toMatch(new RegExp(`^web  ${id}  ROLLED BACK \\(Failed at .*\\) · AfterAllowTestTraffic, stage 2/3 \\(25%\\)$`));
    expect(last).toContain(`  why     ${ROLLBACK}`);
    expect(last).toContain("  by      the engine: the judge's verdict at stage 2/3 (25%) (AfterAllowTestTraffic)");
  });

  it('exits 0 when the deployment succeeds', async () => {
    scriptRollout('succeed');
    await run(['deploy', 'web', '--image', IMAGE, '--no-wait']);
    const result = await run(['status', 'web', '--watch', '--poll-seconds', '30']);
    expect(result.code).toBe(0);
    expect(
      untimed(result.lines)
        .filter((l) => l.startsWith('web  '))
        .at(-1),
    ).toMatch(/^web {2}d-\w+ {2}SUCCEEDED at /);
    expect(untimed(result.lines)).toContain(
      '  traffic now: 0% original (web-blue), 100% replacement (web-green) — read from the production listener',
    );
  });

  it('in a terminal redraws the screen in place until the end', async () => {
    scriptRollout('rollback');
    await run(['deploy', 'web', '--image', IMAGE, '--no-wait']);
    const result = await run(['status', 'web', '--watch', '--poll-seconds', '60'], true);
    expect(result.code).toBe(1);
    const frames = result.stdout.split(/\x1b\[\d+F\x1b\[J/);
    expect(frames.length).toBeGreaterThan(3);
    const running = frames.find((f) => f.includes('IN PROGRESS · AfterAllowTestTraffic, stage 2/3 (25%)'));
    expect(running).toMatch(/hook {4}AfterAllowTestTraffic must answer by .* \(\d\d:\d\d left\)/);
    expect(frames.at(-1)).toMatch(/ROLLED BACK/);
    expect(frames.at(-1)).toContain('traffic now: 100% original (web-blue), 0% replacement (web-green)');
  });

  it('watching a deployment that already ended prints it once and exits by its outcome', async () => {
    scriptRollout('rollback');
    await run(['deploy', 'web', '--image', IMAGE, '--no-wait']);
    await world.clock.advance(20 * MINUTE);
    const result = await run(['status', 'web', '--watch']);
    expect(result.code).toBe(1);
    expect(result.sleptMs).toBe(0);
    expect(untimed(result.lines)[0]).toMatch(/ROLLED BACK/);
  });
});
