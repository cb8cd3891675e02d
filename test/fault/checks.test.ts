/**
 * The campaign's own machinery: the injector fails calls and kills invocations as configured, and
 * the extra checks catch what they are for (a write for an older deployment, a write without a
 * record first), so a campaign that passes is not passing because its checks are blind.
 */
import { type Action, ElasticLoadBalancingV2Client, ModifyListenerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { EcsCanaryError } from '../../lambdas/core/ecs-canary-error';
import { FakeAws } from '../support';
import { faultChecks } from './support/checks';
import { campaignConfig, CampaignConfigError } from './support/config';
import { FaultInjector, InvocationDiedError } from './support/injector';
import { SeededRandom } from './support/random';

const forward = (weights: Array<[string, number]>): Action[] => [
  { Type: 'forward', ForwardConfig: { TargetGroups: weights.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
];

function setUp(rates: { perCall: number; perInvocation: number }) {
  const world = new FakeAws({ onHandlerError: 'record' }).install();
  const service = world.addService({ name: 'svc' });
  const trace: string[] = [];
  const injector = FaultInjector.forWorld(world, service.metadata.auditTableName!, new SeededRandom(7), rates, (line) =>
    trace.push(line),
  ).attach(world);
  return { world, service, injector, trace };
}

describe('fault campaign machinery', () => {
  let env: ReturnType<typeof setUp>;
  afterEach(() => env.world.restore());

  describe('FaultInjector', () => {
    it('fails calls made inside an invocation, and only those', async () => {
      env = setUp({ perCall: 1, perInvocation: 0 });
      const ssm = new SSMClient({});
      const read = () => ssm.send(new GetParameterCommand({ Name: env.service.metadata.freezeParameterName }));
      await expect(read()).resolves.toBeDefined();
      env.world.lambda.register('reader', read);
      await expect(env.world.lambda.invoke('reader', {})).rejects.toThrow(/Rate exceeded|internal error|timed out/);
      expect(env.injector.faults).toBe(1);
      expect(env.trace[0]).toMatch(/^reader#1 GetParameter: (throttle|5xx|timeout)/);
    });

    it('kills an invocation after one of its calls: later calls fail and the invoker sees the death', async () => {
      env = setUp({ perCall: 0, perInvocation: 1 });
      const ssm = new SSMClient({});
      let answered = 0;
      env.world.lambda.register('reader', async () => {
        for (let i = 0; i < 12; i += 1) {
          await ssm.send(new GetParameterCommand({ Name: env.service.metadata.freezeParameterName })).then(
            () => {
              answered += 1;
            },
            () => undefined,
          );
        }
        return 'survived';
      });
      await expect(env.world.lambda.invoke('reader', {})).rejects.toBeInstanceOf(InvocationDiedError);
      expect(env.injector.deaths).toBe(1);
      // The fatal call itself was applied but never answered; nothing after it was.
      expect(answered).toBe(env.injector.invocations[0].dieAfter! - 1);
    });
  });

  describe('faultChecks', () => {
    it('names a weight write for an older deployment, made without a decision recorded first (7 and 6)', async () => {
      env = setUp({ perCall: 0, perInvocation: 0 });
      const { world, service } = env;
      const older = world.deploy('svc');
      world.codedeploy.stopDeployment({ deploymentId: older, autoRollbackEnabled: false });
      await world.clock.advance(60_000);
      const newest = world.deploy('svc');
      const elbv2 = new ElasticLoadBalancingV2Client({});
      world.lambda.register('late-guard', () =>
        elbv2.send(
          new ModifyListenerCommand({
            ListenerArn: service.metadata.productionListenerArn,
            DefaultActions: forward([
              [service.blue.arn, 100],
              [service.green.arn, 0],
            ]),
          }),
        ),
      );
      await world.lambda.invoke('late-guard', { detail: { deploymentId: older, state: 'STOP' } });
      const found = faultChecks(world, env.injector, [], false).map((v) => [v.invariant, v.message]);
      expect(found).toEqual([
        [6, expect.stringMatching(/^late-guard#1 wrote ModifyListener .* without recording a decision first$/)],
        [
          7,
          expect.stringMatching(
            new RegExp(`^late-guard#1 wrote ModifyListener .* for ${older} while ${newest} was the group's newest deployment$`),
          ),
        ],
      ]);
    });

    it("names a deployment created without the engine's hooks that production reached and that succeeded (8), and passes one stopped at its start", async () => {
      env = setUp({ perCall: 0, perInvocation: 0 });
      const { world } = env;
      const ungated = world.deploy('svc', { hooks: false });
      await world.clock.advanceUntil(() => world.codedeploy.deployment(ungated).status === 'Succeeded', 120 * 60_000, 60_000);
      const stopped = world.deploy('svc', { hooks: false });
      world.codedeploy.stopDeployment({ deploymentId: stopped, autoRollbackEnabled: true });
      await world.clock.advance(10 * 60_000);
      const releases = [
        { index: 0, deploymentId: ungated, bad: false, ungated: 'no hooks' },
        { index: 1, deploymentId: stopped, bad: false, ungated: 'no hooks' },
      ];
      const found = faultChecks(world, env.injector, releases, true)
        .filter((v) => v.invariant === 8)
        .map((v) => v.message);
      expect(found).toEqual([
        expect.stringMatching(new RegExp(`^${ungated} \\(created with no hooks\\) got production weight: `)),
        `${ungated} (created with no hooks) succeeded instead of being stopped at its start`,
      ]);
    });
  });

  describe('campaignConfig', () => {
    it.each([
      [{ FAULT_ROLLOUTS: '0' }, 'FAULT_ROLLOUTS is "0"; accepted: a whole number ≥ 1'],
      [{ FAULT_RATE: '1.5' }, 'FAULT_RATE is "1.5"; accepted: a share of calls from 0 to below 1, e.g. 0.01'],
    ])(
      'refuses %j with a CampaignConfigError, one of the EcsCanaryError family, naming the variable, value and what is accepted',
      (env, line) => {
        const error = (() => {
          try {
            campaignConfig(env);
          } catch (thrown) {
            return thrown;
          }
          return undefined;
        })();
        expect(error).toBeInstanceOf(CampaignConfigError);
        expect(EcsCanaryError.isEcsCanaryError(error)).toBe(true);
        expect(error).toMatchObject({ name: 'CampaignConfigError', message: line });
      },
    );
  });
});
