import { TaskDefinitionError } from '../../cli/deploy/task-definition';
import { CommandFailedError, PlanRefusedError, UsageError } from '../../cli/exit';
import { AwsCallError, DeployConfigError, DeploymentBlockedError, DeploymentFailedError } from '../../lambdas/aws/deploy-errors';
import { AppSpecUnreadableError } from '../../lambdas/aws/deployment-revision';
import { VersionsUnknownError } from '../../lambdas/aws/ecs-versions';
import {
  AuditAppendError,
  DeploymentTargetError,
  MetricsUnavailableError,
  NoHealthyTargetError,
  WeightsInvariantError,
} from '../../lambdas/aws/engine-errors';
import { RolloutStopError } from '../../lambdas/aws/sfn';
import { AppSpecError } from '../../lambdas/core/appspec';
import { EcsCanaryError } from '../../lambdas/core/ecs-canary-error';
import { InvocationRecordError } from '../../lambdas/core/hook-failure';
import { JudgeInputError } from '../../lambdas/core/judge';
import { LambdaEventError } from '../../lambdas/core/lambda-events';
import { PlanError } from '../../lambdas/core/rollout-plan';
import { ExecutionInputError } from '../../lambdas/core/rollout-state';
import {
  ListenerUnreadableError,
  MetadataRequiredError,
  NoHookExecutionError,
  TargetGroupsUnknownError,
} from '../../lambdas/handlers/act-errors';
import { ReadRetriesExhaustedError } from '../../lambdas/handlers/read-retry';
import { EnvironmentError } from '../../lambdas/handlers/runtime';
import { CanaryServiceError } from '../../lib/canary-service-error';
import { ConfigError } from '../../lib/config';
import { ScenarioError, SimulationError } from '../../sim';

/** One instance of every named error, built the way its module builds it. */
function instances(cause: Error): Array<[string, Error]> {
  const made: Error[] = [
    new AppSpecError('m', 'field', { cause }),
    new JudgeInputError('m', 'field', { cause }),
    new PlanError('m', 'field', { cause }),
    new ExecutionInputError('m', { cause }),
    new AwsCallError('m', 'AccessDeniedException', 'ecs:DescribeServices', undefined, { cause }),
    new AuditAppendError('m', { cause }),
    new NoHealthyTargetError('tg', undefined, { cause }),
    new DeploymentTargetError('m', { cause }),
    new MetricsUnavailableError('m', { cause }),
    new WeightsInvariantError('m', { cause }),
    new DeployConfigError('m', 'field', { cause }),
    new DeploymentBlockedError('m', 'frozen', [], { cause }),
    new DeploymentFailedError('m', 'd-1', 'Failed', { cause }),
    new EnvironmentError('m', { cause }),
    new ReadRetriesExhaustedError('m', { cause }),
    new TargetGroupsUnknownError('m', { cause }),
    new NoHookExecutionError('m', { cause }),
    new MetadataRequiredError('m', { cause }),
    new ListenerUnreadableError('test', 'm', { cause }),
    new RolloutStopError('m', [], { cause }),
    new AppSpecUnreadableError('m', { cause }),
    new VersionsUnknownError('m', { cause }),
    new CanaryServiceError('m', { cause }),
    new InvocationRecordError('m', { cause }),
    new LambdaEventError('m', { cause }),
    new ConfigError([{ file: 'f.yaml', field: 'p', line: 'f.yaml: p: m' }], { cause }),
    new TaskDefinitionError('m', 'field', { cause }),
    new ScenarioError('m', { cause }),
    new SimulationError('m', { cause }),
    new CommandFailedError('m', { cause }),
    new PlanRefusedError('m', { cause }),
    new UsageError('m', { cause }),
  ];
  return made.map((error) => [error.constructor.name, error]);
}

describe('EcsCanaryError', () => {
  const cause = new Error('the underlying failure');

  it.each(instances(cause))('is the base of %s, which carries its own name and its cause', (className, error) => {
    expect(error).toBeInstanceOf(EcsCanaryError);
    expect(EcsCanaryError.isEcsCanaryError(error)).toBe(true);
    expect(error.name).toBe(className);
    expect(error.cause).toBe(cause);
  });

  it('recognises an error of another copy of the package, and nothing else', () => {
    let Copy: typeof EcsCanaryError | undefined;
    jest.isolateModules(() => {
      Copy = (jest.requireActual('../../lambdas/core/ecs-canary-error') as { EcsCanaryError: typeof EcsCanaryError }).EcsCanaryError;
    });
    expect(Copy).not.toBe(EcsCanaryError);
    expect(EcsCanaryError.isEcsCanaryError(new Copy!('from the other copy'))).toBe(true);
    expect(EcsCanaryError.isEcsCanaryError(new Error('plain'))).toBe(false);
    expect(EcsCanaryError.isEcsCanaryError({ name: 'EcsCanaryError', message: 'lookalike' })).toBe(false);
    expect(EcsCanaryError.isEcsCanaryError(undefined)).toBe(false);
  });
});

describe('the error family in the sources', () => {
  it('has one root: every error class of bin/, lib/ and lambdas/ extends EcsCanaryError or one of its subclasses', () => {
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const path = jest.requireActual<typeof import('node:path')>('node:path');
    const root = path.join(__dirname, '..', '..');
    const sources = ['bin', 'lib', 'lambdas'].flatMap((dir) =>
      (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
        .filter((f) => f.endsWith('.ts'))
        .map((f) => path.join(dir, f)),
    );
    const plainErrors = sources.flatMap((file) =>
      [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/class (\w+) extends (?:Error|TypeError|RangeError)\b/g)].map(
        (m) => `${file}: ${m[1]}`,
      ),
    );
    expect(plainErrors).toEqual(['lambdas/core/ecs-canary-error.ts: EcsCanaryError']);
  });
});
