/**
 * The capacity provider strategy in the AppSpec: CodeDeploy creates the replacement task set from
 * the AppSpec's TargetService properties, so a service on Fargate Spot names its strategy there.
 */
import { appSpecFor } from '../../cli/deploy/deployment';
import { pipelineAppSpec } from '../../cli/deploy/pipeline-appspec';
import { renderAppSpec } from '../../lambdas/core/appspec';
import { HOOK_FUNCTIONS, metadata, taskDefinitionArn } from './fixtures';

const STRATEGY = [
  { capacityProvider: 'FARGATE', weight: 1, base: 1 },
  { capacityProvider: 'FARGATE_SPOT', weight: 3 },
];
const properties = (appSpec: ReturnType<typeof renderAppSpec>) => appSpec.Resources[0].TargetService.Properties;

describe('AppSpec capacity provider strategy', () => {
  it('renders CapacityProviderStrategy with Base only where the strategy has one', () => {
    const appSpec = renderAppSpec({
      taskDefinitionArn: taskDefinitionArn(8),
      containerName: 'web',
      containerPort: 8080,
      hooks: HOOK_FUNCTIONS,
      capacityProviderStrategy: STRATEGY,
    });
    expect(properties(appSpec).CapacityProviderStrategy).toEqual([
      { CapacityProvider: 'FARGATE', Base: 1, Weight: 1 },
      { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
    ]);
  });

  it('leaves it out for the FARGATE launch type (no strategy, or an empty one)', () => {
    for (const capacityProviderStrategy of [undefined, []]) {
      const appSpec = renderAppSpec({
        taskDefinitionArn: taskDefinitionArn(8),
        containerName: 'web',
        containerPort: 8080,
        hooks: HOOK_FUNCTIONS,
        capacityProviderStrategy,
      });
      expect(properties(appSpec)).not.toHaveProperty('CapacityProviderStrategy');
    }
  });

  it('takes the strategy from the deployment metadata, for canary deploy, cdk deploy and pipelines alike', () => {
    const withStrategy = metadata({ capacityProviderStrategy: STRATEGY });
    expect(properties(appSpecFor(withStrategy, taskDefinitionArn(8))).CapacityProviderStrategy).toHaveLength(2);
    expect(properties(pipelineAppSpec(withStrategy)).CapacityProviderStrategy).toHaveLength(2);
    expect(properties(appSpecFor(metadata(), taskDefinitionArn(8)))).not.toHaveProperty('CapacityProviderStrategy');
  });
});
