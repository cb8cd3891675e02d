/**
 * The CLI against the stateful fake of AWS (test/support): real CodeDeploy lifecycle, listeners,
 * task definitions, SSM and the audit table. The hooks are stand-ins for the engine that shift
 * the listener and answer as each test scripts; the CLI's sleeps drive the fake clock.
 */
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ElasticLoadBalancingV2Client, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { type CliDeps, createClients } from '../../cli/context';
import { runCli } from '../../cli/program';
import { anchorRecord, appendAudit } from '../../lambdas/aws/dynamodb';
import type { AuditDraft } from '../../lambdas/core/audit-chain';
import { FakeAws, type FakeService } from '../support';

const IMAGE = '111111111111.dkr.ecr.us-east-1.amazonaws.com/web:2.0.0';
type HookScript = Partial<Record<'AfterAllowTestTraffic' | 'BeforeAllowTraffic' | 'AfterAllowTraffic', 'Succeeded' | 'Failed' | 'never'>>;

let world: FakeAws;
let web: FakeService;
const codedeploy = () => new CodeDeployClient({ region: 'us-east-1' });
const ddb = () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }), { marshallOptions: { removeUndefinedValues: true } });

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

/** As the engine appends (lambdas/aws/dynamodb.ts): signed with the service's key, then anchored. */
async function audit(draft: Partial<AuditDraft> & { deploymentId: string; reason: string }) {
  const table = {
    client: ddb(),
    tableName: web.metadata.auditTableName!,
    service: 'web',
    retentionDays: 30,
    signer: { client: new KMSClient({ region: 'us-east-1' }), keyArn: web.metadata.auditKeyArn! },
    anchors: { client: new S3Client({ region: 'us-east-1' }), bucket: web.metadata.auditAnchorBucket! },
  };
  await anchorRecord(table, await appendAudit(table, { kind: 'decision', actor: 'engine', ...draft } as AuditDraft, world.clock.now()));
}

/** Hooks as the engine would answer them: shift to 5% in the first window, then answer as scripted. */
function scriptHooks(script: HookScript) {
  world.codedeploy.onHook(async (hook, event) => {
    const answer = script[hook as keyof HookScript] ?? 'Succeeded';
    if (hook === 'AfterAllowTestTraffic') {
      await setWeight(5, event.DeploymentId);
      await audit({
        deploymentId: event.DeploymentId,
        hook,
        stage: { index: 0, weight: 5 },
        verdict: 'start',
        reason: 'rollout started: 5%',
      });
    }
    if (answer === 'never') return;
    if (hook === 'AfterAllowTestTraffic' && answer === 'Succeeded') {
      await world.clock.sleep(6 * 60_000);
      await setWeight(25, event.DeploymentId);
      await audit({
        deploymentId: event.DeploymentId,
        hook,
        stage: { index: 1, weight: 25 },
        verdict: 'promote',
        reason: 'promoted from 5% to 25%',
      });
      await world.clock.sleep(2 * 60_000);
    }
    if (answer === 'Failed') {
      await audit({
        deploymentId: event.DeploymentId,
        hook,
        stage: { index: 0, weight: 5 },
        verdict: 'rollback',
        reason: 'canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750)',
      });
      await setWeight(0, event.DeploymentId);
    }
    await codedeploy().send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: event.DeploymentId,
        lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
        status: answer,
      }),
    );
  });
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
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
    env: { CANARY_ACTOR: 'ana', ...env },
    now: () => world.clock.date(),
    sleep: (ms) => world.clock.advance(ms),
    clients: (o) => createClients({ region: 'us-east-1', ...o }),
  };
  const code = await runCli(argv, deps);
  const lastError = err.text.trim().split('\n').at(-1) ?? '';
  return { code, stdout: out.text, lastError };
}

beforeEach(() => {
  world = new FakeAws().install();
  web = world.addService({ name: 'web', terminationWaitMinutes: 0 });
});
afterEach(() => world.restore());

describe('canary against the fake AWS', () => {
  describe('deploy', () => {
    it('takes the image through every hook to success and exits 0', async () => {
      scriptHooks({});
      const result = await run(['deploy', 'web', '--image', IMAGE], { GITHUB_SHA: 'cafe123' });
      expect(result.code).toBe(0);
      const [deployment] = [...world.codedeploy.deployments.values()];
      expect(deployment.status).toBe('Succeeded');
      expect(deployment.description).toBe(`ecs-canary: ${IMAGE} (commit cafe123)`);
      expect(deployment.hookReports.map((r) => [r.hook, r.status])).toEqual([
        ['AfterAllowTestTraffic', 'Succeeded'],
        ['BeforeAllowTraffic', 'Succeeded'],
        ['AfterAllowTraffic', 'Succeeded'],
      ]);
      const revision = world.ecs.describeTaskDefinition({ taskDefinition: deployment.appSpec.taskDefinition }).taskDefinition!;
      expect(revision.containerDefinitions?.[0]).toMatchObject({ name: 'app', image: IMAGE, portMappings: [{ containerPort: 8080 }] });
      expect(result.stdout).toMatch(
        /InProgress \| AfterAllowTestTraffic \| stage 1\/3 \(5%\) \| traffic 5% new \| bake 5 of 5 data-minutes left \(not judged yet\) \| verdict start: rollout started: 5%/,
      );
      expect(result.stdout).toMatch(
        /InProgress \| AfterAllowTestTraffic \| stage 2\/3 \(25%\) \| traffic 25% new \| bake 10 of 10 data-minutes left \(not judged yet\) \| verdict promote: promoted from 5% to 25%/,
      );
      expect(result.stdout.trim().split('\n').at(-1)).toMatch(/deployment d-\w+ succeeded$/);
    });

    it('exits 1 with the judge reason and CodeDeploy error when a hook fails, production back on the original', async () => {
      scriptHooks({ AfterAllowTestTraffic: 'Failed' });
      const result = await run(['deploy', 'web', '--image', IMAGE]);
      expect(result.code).toBe(1);
      expect(result.lastError).toMatch(
        /^failed: deployment d-\w+ failed( and rolled back)?: canary 5xx 4.8% \(12\/250\) vs baseline 0.3% \(14\/4750\); CodeDeploy: HOOK_EXECUTION_FAILURE: /,
      );
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toMatchObject({ [web.blue.arn]: 100 });
    });

    it('refuses a second deployment while one is in progress (exit 1) and creates nothing', async () => {
      scriptHooks({ AfterAllowTestTraffic: 'never' });
      expect((await run(['deploy', 'web', '--image', IMAGE, '--no-wait'])).code).toBe(0);
      await world.clock.advance(5 * 60_000);
      const second = await run(['deploy', 'web', '--image', `${IMAGE}-b`]);
      expect(second.code).toBe(1);
      expect(second.lastError).toMatch(/^refused: web already has a deployment in progress \(d-\w+\)/);
      expect(world.codedeploy.deployments.size).toBe(1);
    });

    it('honours freeze until unfreeze', async () => {
      scriptHooks({});
      expect((await run(['freeze', 'web', '--reason', 'incident 42', '--yes'])).code).toBe(0);
      const refused = await run(['deploy', 'web', '--image', IMAGE]);
      expect(refused.code).toBe(1);
      expect(refused.lastError).toMatch(/web is frozen by ana at .*: incident 42/);
      expect((await run(['unfreeze', 'web'])).code).toBe(0);
      expect((await run(['deploy', 'web', '--image', IMAGE])).code).toBe(0);
    });
  });

  describe('rollback', () => {
    it('records who and why, stops the deployment and returns once the original serves 100%', async () => {
      scriptHooks({ AfterAllowTestTraffic: 'never' });
      await run(['deploy', 'web', '--image', IMAGE, '--no-wait']);
      await world.clock.advance(3 * 60_000);
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toMatchObject({ [web.green.arn]: 5 });
      const result = await run(['rollback', 'web', '--reason', 'p99 up']);
      expect(result.code).toBe(0);
      expect(result.stdout.trim().split('\n').at(-1)).toMatch(/rolled back d-\w+: the original web-blue serves 100% of production$/);
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toMatchObject({ [web.blue.arn]: 100 });
      // Who and why, in the control parameter (operators do not write the audit table), with the STS identity.
      expect(JSON.parse(world.ssm.value(web.metadata.controlParameterName!)!)).toMatchObject({
        command: 'abort',
        requestedBy: 'ana',
        reason: 'p99 up',
        callerArn: world.sts.callerArn,
      });
    });
  });

  describe('promote', () => {
    it('ends the termination wait after 100%', async () => {
      world.restore();
      world = new FakeAws().install();
      web = world.addService({ name: 'web', terminationWaitMinutes: 60 });
      scriptHooks({});
      await run(['deploy', 'web', '--image', IMAGE, '--no-wait']);
      await world.clock.advanceUntil(() => [...world.codedeploy.deployments.values()][0].inTerminationWait, 60 * 60_000);
      const status = await run(['status', 'web']);
      expect(status.stdout).toMatch(/IN PROGRESS · termination wait \(canary promote ends it\)\n/);
      const result = await run(['promote', 'web']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/termination wait ended/);
      await world.clock.advance(60_000);
      expect([...world.codedeploy.deployments.values()][0].status).toBe('Succeeded');
    });
  });

  describe('history', () => {
    it('lists the trail newest first and verifies the chain', async () => {
      scriptHooks({ AfterAllowTestTraffic: 'Failed' });
      await run(['deploy', 'web', '--image', IMAGE]);
      const result = await run(['history', 'web'], {
        CANARY_AUDIT_TRUST_ROOT: `${web.metadata.auditKeyArn},${web.metadata.auditAnchorBucket}`,
      });
      expect(result.code).toBe(0);
      const lines = result.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^#2 .* verdict rollback/);
      expect(lines.at(-1)).toMatch(
        /^hash chain verified: 2 records intact \(hash chain, signatures \(key .*, pinned\), 2 anchors \(every version\)\)$/,
      );
    });
  });
});
