/**
 * The deploy path shared by `canary deploy` and the cdk-deploy custom resource: one AppSpec
 * renderer, one task definition derivation, one "create and follow" path. The parts that also run
 * in Lambda live in `lambdas/core/appspec.ts` and `lambdas/aws/` and are re-exported here.
 */
export {
  awsCall,
  AwsCallError,
  DeployConfigError,
  DeploymentBlockedError,
  DeploymentFailedError,
  toAwsCallError,
} from '../../lambdas/aws/deploy-errors';
export { AppSpecError, type AppSpecInput, appSpecRevision, type EcsAppSpec, renderAppSpec } from '../../lambdas/core/appspec';
export {
  callerArn,
  type ControlCommand,
  type ControlRecord,
  controlRecord,
  newestAuditRecords,
  putControlRecord,
  readControlRecord,
  wholeAuditChain,
} from './audit';
export {
  ACTIVE_STATUSES,
  activeDeployments,
  appSpecFor,
  assertDeployable,
  ciCommit,
  createCanaryDeployment,
  deploymentDescription,
  type ImageRevisionPlan,
  planImageRevision,
  primaryTaskDefinition,
  registerRevision,
  stopWithRollback,
} from './deployment';
export {
  type DeploymentSnapshot,
  getDeploymentSnapshot,
  listenerWeights,
  readProductionListener,
  TERMINAL_STATUSES,
  toSnapshot,
  type TrafficWeights,
  trafficWeights,
} from './deployment-state';
export {
  type DeploymentOutcome,
  deploymentOutcome,
  follow,
  followDeployment,
  type FollowOptions,
  type FollowResult,
  realSleep,
  retryTransient,
} from './follow';
export {
  type FreezeState,
  parseDeploymentMetadata,
  parseFreeze,
  readDeploymentMetadata,
  readDeploymentMetadataParameter,
  readFreeze,
} from './service-config';
export {
  deriveTaskDefinition,
  diffTaskDefinitions,
  formatDiff,
  imageOf,
  imageProblem,
  READ_ONLY_TASK_DEFINITION_FIELDS,
  TaskDefinitionError,
} from './task-definition';
