import { CodeDeployClient, PutLifecycleEventHookExecutionStatusCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import {
  CreateRuleCommand,
  DeleteRuleCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { assertInvariants, checkInvariants, type HookEvent, InvariantError, onBehalfOf } from '../support';
import { MINUTE, useWorld } from './helpers';

const elbv2 = new ElasticLoadBalancingV2Client({ region: 'us-east-1' });
const codedeploy = new CodeDeployClient({ region: 'us-east-1' });

describe('checkInvariants', () => {
  const fx = useWorld();
  const hookEvents: Record<string, HookEvent> = {};
  beforeEach(() => fx.world.codedeploy.onHook((hook, event) => void (hookEvents[hook] = event)));

  const setWeights = (green: number, blue = 100 - green, listener = fx.web.metadata.productionListenerArn) =>
    elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listener,
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: fx.web.blue.arn, Weight: blue },
                { TargetGroupArn: fx.web.green.arn, Weight: green },
              ],
            },
          },
        ],
      }),
    );
  const report = (hook: string, status: 'Succeeded' | 'Failed') =>
    codedeploy.send(
      new PutLifecycleEventHookExecutionStatusCommand({
        deploymentId: hookEvents[hook].DeploymentId,
        lifecycleEventHookExecutionId: hookEvents[hook].LifecycleEventHookExecutionId,
        status,
      }),
    );
  /** A deployment waiting in AfterAllowTestTraffic, its replacement healthy. */
  const deployed = async () => {
    const id = fx.world.deploy('web');
    await fx.world.clock.advance(2 * MINUTE);
    return id;
  };
  const invariantsOf = () => checkInvariants(fx.world).map((v) => v.invariant);

  it('finds nothing wrong in a canary at 5% of a healthy replacement', async () => {
    await deployed();
    await setWeights(5);
    expect(checkInvariants(fx.world)).toEqual([]);
  });

  it('flags (1) a production write to a target group without healthy targets', async () => {
    const id = await deployed();
    fx.world.setReplacementHealth(id, 'unhealthy');
    await setWeights(5);
    expect(invariantsOf()).toContain(1);
  });

  it.each([
    ['weights that sum to 95', () => setWeights(5, 90)],
    ['weights that sum to 200 on the test listener', () => setWeights(100, 100, fx.web.metadata.testListenerArn)],
  ])('flags (2) %s', async (_, write) => {
    await deployed();
    await write();
    expect(invariantsOf()).toContain(2);
  });

  it('flags (2) a forward to a target group of another service', async () => {
    const { world, web } = fx;
    await deployed();
    const lbArn = web.blue.loadBalancerArn;
    const foreign = world.elbv2.addTargetGroup('other', lbArn);
    await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: web.metadata.productionListenerArn,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: foreign.arn }],
      }),
    );
    expect(checkInvariants(world, { current: false }).map((v) => v.invariant)).toEqual([2, 1, 7]);
  });

  it.each([
    ['a shift to the replacement', 10, [3]],
    ['the restore of the original', 0, []],
  ])('after the deployment stopped, judges %s as %j under (3)', async (_, green, expected) => {
    const id = await deployed();
    await codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));
    await setWeights(green);
    expect(checkInvariants(fx.world, { current: false, restoreGraceMs: Infinity }).map((v) => v.invariant)).toEqual(expected);
  });

  it('flags (4) a hook reported Failed while the replacement still had traffic', async () => {
    await deployed();
    await setWeights(5);
    await report('AfterAllowTestTraffic', 'Failed');
    expect(invariantsOf()).toContain(4);
  });

  it('accepts (4) a hook reported Failed after the restore', async () => {
    await deployed();
    await setWeights(5);
    await setWeights(0);
    await report('AfterAllowTestTraffic', 'Failed');
    await fx.world.clock.advance(5 * MINUTE);
    expect(checkInvariants(fx.world)).toEqual([]);
  });

  it('flags (4) a stopped deployment whose production nobody restored within the grace time', async () => {
    const id = await deployed();
    await setWeights(25);
    await codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));
    await fx.world.clock.advance(MINUTE);
    expect(invariantsOf()).toEqual([]);
    await fx.world.clock.advance(2 * MINUTE);
    expect(invariantsOf()).toEqual([4]);
  });

  const headerRule = (tg: string) =>
    elbv2.send(
      new CreateRuleCommand({
        ListenerArn: fx.web.metadata.productionListenerArn,
        Priority: 1,
        Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['1'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: tg }],
      }),
    );

  it('flags (1) a production rule written to forward to a target group without healthy targets', async () => {
    const id = await deployed();
    fx.world.setReplacementHealth(id, 'unhealthy');
    await headerRule(fx.web.green.arn);
    const violations = checkInvariants(fx.world, { current: false });
    expect(violations.map((v) => v.invariant)).toEqual([1, 7]);
    expect(violations[0].message).toMatch(/client CreateRule \(production\) forwards weight 1 to web-green/);
    expect(violations[1].message).toMatch(
      /client CreateRule \(production\): gives weight 1 to web-green, which had no healthy target at that moment/,
    );
  });

  it("flags (7) a write made for a deployment that is no longer the group's current one, not one for the current deployment", async () => {
    const first = await deployed();
    await codedeploy.send(new StopDeploymentCommand({ deploymentId: first, autoRollbackEnabled: true }));
    await fx.world.clock.advance(MINUTE);
    const second = await deployed();
    await onBehalfOf(second, () => setWeights(5));
    expect(checkInvariants(fx.world)).toEqual([]);
    await onBehalfOf(first, () => setWeights(0));
    const violations = checkInvariants(fx.world, { current: false });
    expect(violations.map((v) => v.invariant)).toEqual([7]);
    expect(violations[0].message).toMatch(
      new RegExp(
        `client ModifyListener \\(production\\): written for ${first}, which is no longer the group's current deployment \\(${second} is\\)`,
      ),
    );
  });

  it('accepts (7) a rule deletion for an older deployment', async () => {
    const first = await deployed();
    await headerRule(fx.web.green.arn);
    await codedeploy.send(new StopDeploymentCommand({ deploymentId: first, autoRollbackEnabled: true }));
    await fx.world.clock.advance(MINUTE);
    await deployed();
    const [rule] = fx.world.elbv2.listener(fx.web.metadata.productionListenerArn).rules;
    await onBehalfOf(first, () => elbv2.send(new DeleteRuleCommand({ RuleArn: rule.ruleArn })));
    expect(checkInvariants(fx.world).filter((v) => v.invariant === 7)).toEqual([]);
  });

  it('flags (1) a production rule that still forwards to a target group whose targets are gone', async () => {
    await deployed();
    await headerRule(fx.web.green.arn);
    expect(invariantsOf()).toEqual([]);
    fx.world.ecs.deleteTaskSet(fx.world.ecs.liveTaskSets(fx.web.green.arn)[0]);
    expect(invariantsOf()).toEqual([1]);
  });

  it('flags (4) a rule forwarding to the replacement after CodeDeploy rolled the deployment back', async () => {
    const id = await deployed();
    await codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    await fx.world.clock.advance(MINUTE);
    expect(invariantsOf()).toEqual([]);
    fx.world.ecs.createTaskSet(fx.web.ecsService, fx.web.initialTaskDefinitionArn, fx.web.green.arn, 'healthy');
    await headerRule(fx.web.green.arn);
    const violations = checkInvariants(fx.world).filter((v) => v.invariant === 4);
    expect(violations.map((v) => v.message)).toEqual([
      expect.stringMatching(new RegExp(`client CreateRule forwards weight 1 to web-green after ${id} was rolled back`)),
      expect.stringMatching(new RegExp(`rule 1 of production still forwards weight 1 to web-green, ${id} was rolled back`)),
    ]);
  });

  it('accepts (4) writes to the same target group once the next deployment has started', async () => {
    const id = await deployed();
    await codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    await fx.world.clock.advance(MINUTE);
    await deployed();
    await setWeights(5);
    expect(checkInvariants(fx.world)).toEqual([]);
  });

  it('reports (6) the problems of the audit-chain hook, with the chain items it was given', async () => {
    const seen: unknown[] = [];
    fx.world.dynamodb.putItem({ TableName: 'web-audit', Item: { pk: 'web', sk: 0, kind: 'control' } });
    fx.world.dynamodb.putItem({ TableName: 'web-audit', Item: { pk: 'web', sk: 1, hash: 'a' } });
    const violations = checkInvariants(fx.world, {
      verifyAuditChain: (items) => (seen.push(...items.map((i) => i.sk)), ['hash of sk 1 does not match']),
    });
    expect(seen).toEqual([1]);
    expect(violations).toMatchObject([{ invariant: 6, message: 'hash of sk 1 does not match' }]);
  });

  it('assertInvariants throws an InvariantError naming each violation', async () => {
    await deployed();
    await setWeights(5, 90);
    expect(() => assertInvariants(fx.world)).toThrow(InvariantError);
    expect(() => assertInvariants(fx.world)).toThrow(/\[2\] web at .*sum to 95/);
  });
});
