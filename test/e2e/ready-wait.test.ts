/**
 * Invariant 8 when the start check is late, lost or failing: the group waits in Ready before
 * production is rerouted, and only the start check continues it, for a gated deployment. An
 * ungated deployment whose check never ran waits and is stopped; production never moves to it.
 * Where an ECS deployment waits (before BeforeAllowTraffic or right before AllowTraffic) is not
 * documented, so every case runs with both.
 */
import { CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';

import { READY_WAIT_MINUTES } from '../../lambdas/core/start-check';
import { renderAppSpec } from '../support';
import { EngineWorld, type EngineWorldOptions } from './support/engine-world';

const MINUTE = 60_000;
const codedeploy = new CodeDeployClient({ region: 'us-east-1' });
const POSITIONS = ['BeforeAllowTraffic', 'AllowTraffic'] as const;

let env: EngineWorld;
afterEach(() => env?.restore());

async function createHookless(): Promise<string> {
  const { metadata } = env.service;
  const { taskDefinition } = env.world.ecs.registerTaskDefinition({
    family: metadata.taskDefinitionFamily,
    containerDefinitions: [
      { name: metadata.containerName, image: 'svc:pipeline', portMappings: [{ containerPort: metadata.containerPort }] },
    ],
  });
  const { deploymentId } = await codedeploy.send(
    new CreateDeploymentCommand({
      applicationName: metadata.applicationName,
      deploymentGroupName: metadata.deploymentGroupName,
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: renderAppSpec(metadata, taskDefinition.taskDefinitionArn!, {}) },
      },
    }),
  );
  return deploymentId!;
}

function productionToReplacement(deploymentId: string) {
  const { replacementTargetGroupArn } = env.world.codedeploy.deployment(deploymentId);
  return env.world.elbv2.writes.filter(
    (w) => w.listenerArn === env.service.metadata.productionListenerArn && (w.forward[replacementTargetGroupArn] ?? 0) > 0,
  );
}

const records = (deploymentId: string) => env.auditRecords().filter((r) => r.deploymentId === deploymentId && r.actor === 'start-check');

function world(readyWait: (typeof POSITIONS)[number], options: Partial<EngineWorldOptions> = {}): EngineWorld {
  return new EngineWorld({ totalRps: 50, startCheck: true, readyWait, ...options });
}

describe.each(POSITIONS)('the ready wait (before %s)', (position) => {
  it('a gated deployment is continued on its READY event, recorded once, and rolls out to success', async () => {
    env = world(position);
    const id = env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    expect(env.deployment.statusHistory.map((h) => h.status)).toContain('Ready');
    expect(records(id).map((r) => r.verdict)).toEqual(['start']);
    expect(env.startChecks.filter((c) => c.verdict === 'continue')).toEqual([
      expect.objectContaining({ deploymentId: id, continued: true }),
    ]);
    expect(env.violations).toEqual([]);
  });

  it('a gated deployment whose READY never arrives is continued by the minute sweep', async () => {
    env = world(position, { startCheckEvents: ['START'], sweep: true });
    const id = env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    const ready = env.deployment.statusHistory.find((h) => h.status === 'Ready')!;
    const resumed = env.deployment.statusHistory.find((h) => h.status === 'InProgress' && h.at > ready.at)!;
    expect(resumed.at - ready.at).toBeLessThanOrEqual(MINUTE);
    expect(env.startChecks.find((c) => c.verdict === 'continue')).toMatchObject({ deploymentId: id, sweep: true, continued: true });
    expect(records(id).map((r) => r.verdict)).toEqual(['start']);
    expect(env.violations).toEqual([]);
  });

  it('a hookless deployment whose START never arrives is stopped in its ready wait, production never on it', async () => {
    env = world(position, { startCheckEvents: ['READY'] });
    env.expectDeployment();
    const id = await createHookless();
    await env.world.clock.advance(10 * MINUTE);
    expect(env.world.codedeploy.deployment(id).status).toBe('Stopped');
    expect(productionToReplacement(id)).toEqual([]);
    expect(records(id)).toEqual([
      expect.objectContaining({
        verdict: 'abort',
        figures: expect.objectContaining({ event: 'READY' }),
        reason: expect.stringMatching(/in its ready wait: the AppSpec names no hooks/),
      }),
    ]);
    expect(env.world.sns.messages.filter((m) => m.message.includes(id) && /stopped in its ready wait/.test(m.subject ?? ''))).toHaveLength(
      1,
    );
    expect(env.violations).toEqual([]);
  });

  it('a hookless deployment no check ever sees waits and is stopped by CodeDeploy; production never moves', async () => {
    env = world(position, { startCheckEvents: [] });
    env.expectDeployment();
    const id = await createHookless();
    await env.world.clock.advance((READY_WAIT_MINUTES + 5) * MINUTE);
    const deployment = env.world.codedeploy.deployment(id);
    expect(deployment.status).toBe('Stopped');
    expect(deployment.errorInformation?.message).toMatch(/ready wait/);
    expect(productionToReplacement(id)).toEqual([]);
    expect(env.world.elbv2.percents(env.service.metadata.productionListenerArn)[deployment.originalTargetGroupArn]).toBe(100);
  });

  it('a gated deployment whose replacement has no healthy target in Ready is stopped, not rerouted', async () => {
    env = world(position, { startCheckEvents: ['START'], sweep: true });
    const id = env.deploy();
    await env.world.clock.advanceUntil(() => env.deployment.status === 'Ready', 120 * MINUTE, 1_000);
    env.world.setReplacementHealth(id, 'unhealthy');
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Stopped');
    expect(env.deployment.statusHistory.filter((h) => h.status === 'InProgress')).toHaveLength(1);
    expect(records(id).at(-1)).toMatchObject({ verdict: 'abort', reason: expect.stringMatching(/no healthy target/) });
    expect(env.world.elbv2.percents(env.service.metadata.productionListenerArn)[env.deployment.originalTargetGroupArn]).toBe(100);
  });

  it('READY delivered twice and the sweep: one record, one ContinueDeployment that continues', async () => {
    env = world(position, { sweep: true });
    env.world.codedeploy.deliverStateChanges((event) => (event.detail.state === 'READY' ? [0, 5_000] : [0]));
    const id = env.deploy();
    await env.runToCompletion();
    expect(env.deployment.status).toBe('Succeeded');
    expect(records(id).map((r) => r.verdict)).toEqual(['start']);
    expect(env.startChecks.filter((c) => c.deploymentId === id && c.continued === true)).toHaveLength(1);
    expect(env.violations).toEqual([]);
  });
});
