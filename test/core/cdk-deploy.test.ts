import {
  cdkDeployDescription,
  cdkDeployWaitProblem,
  cdkDeployWorstCase,
  decideCompletion,
  decideStart,
} from '../../lambdas/core/cdk-deploy';
import { compilePlan, DEFAULT_ROLLOUT_PLAN, type RolloutPlanInput } from '../../lambdas/core/rollout-plan';

const ARN = (revision: number, family = 'ecs-canary-web') => `arn:aws:ecs:eu-west-1:123456789012:task-definition/${family}:${revision}`;
const DEFAULT_PLAN = DEFAULT_ROLLOUT_PLAN;
const SHORT_PLAN: RolloutPlanInput = { steps: [{ weight: 10, bakeMinutes: 5 }], holdLimitMinutes: 2, postTrafficBakeMinutes: 5 };

describe('cdk-deploy decisions', () => {
  describe('cdkDeployWorstCase', () => {
    it.each([
      ['the default plan', DEFAULT_PLAN, { planMinutes: 85, terminationWaitMinutes: 15, codeDeployStepsMinutes: 10, totalMinutes: 110 }],
      ['a one-step plan', SHORT_PLAN, { planMinutes: 14, terminationWaitMinutes: 5, codeDeployStepsMinutes: 10, totalMinutes: 29 }],
    ])('counts hook windows, termination wait and CodeDeploy steps for %s', (_name, plan, expected) => {
      expect(cdkDeployWorstCase(compilePlan(plan))).toEqual(expected);
    });
  });

  describe('cdkDeployWaitProblem', () => {
    it('accepts a plan that fits the 50 minutes', () => {
      expect(cdkDeployWaitProblem(compilePlan(SHORT_PLAN))).toBeUndefined();
    });

    it('accepts a plan of exactly 50 minutes and refuses one minute more', () => {
      const fits = { steps: [{ weight: 10, bakeMinutes: 10 }], holdLimitMinutes: 5, postTrafficBakeMinutes: 10 }; // 15 + 15 + 10 + 10
      expect(cdkDeployWaitProblem(compilePlan(fits))).toBeUndefined();
      expect(cdkDeployWaitProblem(compilePlan({ ...fits, steps: [{ weight: 10, bakeMinutes: 11 }] }))).toContain('takes up to 51 min');
    });

    it('says the worst case, its parts and how much to shorten for the default plan', () => {
      expect(cdkDeployWaitProblem(compilePlan(DEFAULT_PLAN))).toBe(
        'accepted: "start" or "off" with this rollout plan, or "wait" with a plan that finishes within 50 min (CloudFormation waits at most 60 min for a custom resource); ' +
          'this plan takes up to 110 min in the worst case (hook windows 85 + termination wait 15 + CodeDeploy steps 10); ' +
          'shorten rollout.steps[].bakeMinutes, rollout.holdLimitMinutes (counted once per step and once for the post-traffic bake) or rollout.postTrafficBakeMinutes (counted twice: bake and termination wait) by 60 min in total',
      );
    });
  });

  describe('decideStart', () => {
    it.each([
      ['the primary task set runs the requested revision', ARN(3), ARN(3), 'skip'],
      ['CloudFormation re-sends an older revision than the primary runs', ARN(2), ARN(5), 'skip'],
      ['the requested revision is newer', ARN(6), ARN(5), 'deploy'],
      ['the primary runs another family', ARN(1), ARN(9, 'other'), 'deploy'],
      ['the service reports no primary task set', ARN(1), undefined, 'deploy'],
    ])('decides when %s', (_name, requested, primary, action) => {
      expect(decideStart({ requestedTaskDefinitionArn: requested, primaryTaskDefinitionArn: primary }).action).toBe(action);
    });

    it('explains a skipped older revision', () => {
      expect(decideStart({ requestedTaskDefinitionArn: ARN(2), primaryTaskDefinitionArn: ARN(5) })).toEqual({
        action: 'skip',
        reason: expect.stringContaining(`runs ${ARN(5)}, newer than the requested ${ARN(2)}`),
      });
    });
  });

  describe('decideCompletion', () => {
    const deadline = 1_000_000;
    it.each([
      ['Succeeded', true, deadline - 1, 'succeeded'],
      ['Succeeded', true, deadline + 1, 'succeeded'],
      ['Failed', true, deadline - 1, 'failed'],
      ['Stopped', true, deadline + 1, 'failed'],
      ['InProgress', false, deadline - 1, 'keep-waiting'],
      ['InProgress', false, deadline, 'stop-and-fail'],
      ['Created', false, deadline + 60_000, 'stop-and-fail'],
    ])('a %s deployment (terminal %s) at %d decides %s', (status, terminal, now, action) => {
      expect(decideCompletion({ status, terminal }, now, deadline).action).toBe(action);
    });
  });

  describe('cdkDeployDescription', () => {
    it('names the image, at most 1024 characters', () => {
      expect(cdkDeployDescription('web:2')).toBe('cdk deploy: web:2');
      expect(cdkDeployDescription('x'.repeat(2000))).toHaveLength(1024);
    });
  });
});
