/**
 * The deploy path shared by `canary deploy` and the cdk-deploy custom resource: one AppSpec
 * renderer, one task definition derivation, one "create and follow" path. The parts that also run
 * in Lambda live in `lambdas/core/appspec.ts` and `lambdas/aws/` and are re-exported here.
 */
export { appSpecRevision, AppSpecError, renderAppSpec, type AppSpecInput, type EcsAppSpec } from '../../lambdas/core/appspec';
export { callerArn, controlRecord, newestAuditReason, newestAuditRecords, putControlRecord, readControlRecord, wholeAuditChain, type ControlCommand, type ControlRecord } from './audit';
export {
  ACTIVE_STATUSES,
  activeDeployments,
  appSpecFor,
  assertDeployable,
  ciCommit,
  createCanaryDeployment,
  deploymentDescription,
  planImageRevision,
  primaryTaskDefinition,
  registerRevision,
  stopWithRollback,
  type ImageRevisionPlan,
} from './deployment';
export { AwsCallError, awsCall, DeployConfigError, DeploymentBlockedError, DeploymentFailedError, toAwsCallError } from '../../lambdas/aws/deploy-errors';
export { deploymentOutcome, follow, followDeployment, realSleep, retryTransient, type DeploymentOutcome, type FollowOptions, type FollowResult } from './follow';
export {
  getDeploymentSnapshot,
  listenerWeights,
  readProductionListener,
  TERMINAL_STATUSES,
  toSnapshot,
  trafficWeights,
  type DeploymentSnapshot,
  type TrafficWeights,
} from './deployment-state';
export { parseDeploymentMetadata, parseFreeze, readDeploymentMetadata, readDeploymentMetadataParameter, readFreeze, type FreezeState } from './service-config';
export { deriveTaskDefinition, diffTaskDefinitions, formatDiff, imageOf, imageProblem, READ_ONLY_TASK_DEFINITION_FIELDS, TaskDefinitionError } from './task-definition';
