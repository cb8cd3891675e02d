/**
 * The cdk-deploy custom resource (`lib/cdk-deploy-trigger.ts`), behind the CDK provider
 * framework: `onEvent` starts the canary deployment of the task definition revision
 * CloudFormation registered, `isComplete` (mode `wait` only) follows it until CodeDeploy reports
 * an end. Same deploy path as `canary deploy` (`lambdas/aws/deployments.ts`): one AppSpec, one
 * freeze/in-progress check. Delete does nothing: deleting the resource never deploys or stops.
 *
 * The decisions are `core/cdk-deploy.ts`; this file reads, calls the core, and acts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { newestVerifiedReason } from '../aws/audit-record-check';
import { AwsCallError, DeployConfigError, DeploymentBlockedError, DeploymentFailedError } from '../aws/deploy-errors';
import { deploymentOutcome, type DeploymentSnapshot, getDeploymentSnapshot } from '../aws/deployment-snapshot';
import { assertDeployable, createCanaryDeployment, primaryTaskDefinition, stopWithRollback } from '../aws/deployments';
import { readDeploymentMetadataParameter } from '../aws/service-parameters';
import type { TrustRoot } from '../core/audit-chain';
import { CDK_DEPLOY_WAIT_LIMIT_MINUTES, cdkDeployDescription, type CdkDeployMode, decideCompletion, decideStart } from '../core/cdk-deploy';
import { isDecimalNumber } from '../core/decimal-number';
import { shortJson } from '../core/lambda-events';
import type { DeploymentMetadata } from '../core/metadata';
import { type InvocationContext, startInvocation } from './invocation';

/** The resource's properties (all strings, as CloudFormation sends them). */
export interface CdkDeployProperties {
  /** The revision to deploy: the task definition CloudFormation registered. */
  readonly TaskDefinitionArn: string;
  /** Its image, for the deployment description and messages. */
  readonly Image: string;
  /** `/ecs-canary/<name>/deployment`. */
  readonly MetadataParameterName: string;
  /** Cluster name or ARN of the service. */
  readonly Cluster: string;
  /** Service name or ARN. */
  readonly Service: string;
}

/** The provider framework's onEvent input (CloudFormation's request, minus the response URL). */
export interface CdkDeployEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: Record<string, unknown>;
  readonly PhysicalResourceId?: string;
}

/** What `onEvent` returns; `Data` reaches `isComplete` and CloudFormation (`Fn::GetAtt`). */
export interface CdkDeployResult {
  readonly PhysicalResourceId: string;
  readonly Data?: {
    /** The deployment started, or '' when none was needed. */
    readonly DeploymentId: string;
    /** One line for people (also the stack output). */
    readonly Message: string;
    /** When `isComplete` stops waiting and stops the deployment (ISO time). */
    readonly WaitDeadline?: string;
  };
}

export interface CdkDeployCompletionEvent extends CdkDeployEvent {
  readonly PhysicalResourceId: string;
  readonly Data?: CdkDeployResult['Data'];
}

export interface CdkDeployCompletion {
  readonly IsComplete: boolean;
  readonly Data?: { readonly Message: string };
}

const clients = {
  codedeploy: new CodeDeployClient({}),
  ecs: new ECSClient({}),
  ssm: new SSMClient({}),
  dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({})),
  kms: new KMSClient({}),
  s3: new S3Client({}),
};
export const logger = new Logger({ serviceName: 'ecs-canary-cdk-deploy' });

/** `CDK_DEPLOY_MODE` and `WAIT_LIMIT_MINUTES`, set by the construct. */
function settings(env: NodeJS.ProcessEnv = process.env): { mode: Exclude<CdkDeployMode, 'off'>; waitLimitMinutes: number } {
  const mode = env.CDK_DEPLOY_MODE;
  if (mode !== 'wait' && mode !== 'start') {
    throw new DeployConfigError(`environment CDK_DEPLOY_MODE is ${JSON.stringify(mode)}; accepted: wait or start`, 'CDK_DEPLOY_MODE');
  }
  const text = env.WAIT_LIMIT_MINUTES ?? String(CDK_DEPLOY_WAIT_LIMIT_MINUTES);
  const waitLimitMinutes = Number(text);
  if (!isDecimalNumber(text) || !(waitLimitMinutes > 0 && waitLimitMinutes <= CDK_DEPLOY_WAIT_LIMIT_MINUTES)) {
    throw new DeployConfigError(
      `environment WAIT_LIMIT_MINUTES is ${JSON.stringify(env.WAIT_LIMIT_MINUTES)}; accepted: minutes in decimal, above 0 and at most ${CDK_DEPLOY_WAIT_LIMIT_MINUTES}`,
      'WAIT_LIMIT_MINUTES',
    );
  }
  return { mode, waitLimitMinutes };
}

/** `AUDIT_TRUST_ROOT` (`<keyArn>,<bucket>`), set by the construct from the engine's key and anchor bucket; undefined when unset. */
function auditTrustRoot(env: NodeJS.ProcessEnv = process.env): TrustRoot | undefined {
  const [keyArn, bucket] = (env.AUDIT_TRUST_ROOT ?? '').split(',');
  return keyArn && bucket ? { keyArn, bucket } : undefined;
}

function properties(event: CdkDeployEvent): CdkDeployProperties {
  if (event.RequestType !== 'Create' && event.RequestType !== 'Update' && event.RequestType !== 'Delete')
    throw new DeployConfigError(
      `RequestType is ${shortJson(event.RequestType)}; accepted: Create, Update or Delete (CloudFormation's request types)`,
      'RequestType',
    );
  const props = (event.ResourceProperties ?? {}) as Partial<Record<string, unknown>>;
  const names = ['TaskDefinitionArn', 'Image', 'MetadataParameterName', 'Cluster', 'Service'] as const;
  for (const name of names) {
    if (typeof props[name] !== 'string' || props[name] === '') {
      throw new DeployConfigError(
        `resource property ${name} is ${shortJson(props[name])}; accepted: a non-empty string (set by CdkDeployTrigger)`,
        name,
      );
    }
  }
  return props as unknown as CdkDeployProperties;
}

/** Create/Update: deploy the requested revision unless it already runs; Delete: nothing. */
export async function onEvent(event: CdkDeployEvent, context?: InvocationContext): Promise<CdkDeployResult> {
  startInvocation(logger, context);
  if (event.RequestType === 'Delete') {
    logger.info('delete: nothing to do (deleting this resource never deploys or stops a deployment)');
    return { PhysicalResourceId: event.PhysicalResourceId ?? 'ecs-canary-cdk-deploy' };
  }
  const { mode, waitLimitMinutes } = settings();
  const props = properties(event);
  const physicalId = event.PhysicalResourceId ?? `ecs-canary-cdk-deploy:${props.Service}`;
  const metadata = await readDeploymentMetadataParameter(clients.ssm, props.MetadataParameterName);
  const primary = await primaryTaskDefinition(clients.ecs, { cluster: props.Cluster, service: props.Service });
  const decision = decideStart({ requestedTaskDefinitionArn: props.TaskDefinitionArn, primaryTaskDefinitionArn: primary });
  if (decision.action === 'skip') {
    logger.info('no deployment needed', {
      requestType: event.RequestType,
      taskDefinitionArn: props.TaskDefinitionArn,
      primary,
      reason: decision.reason,
    });
    return { PhysicalResourceId: physicalId, Data: { DeploymentId: '', Message: `${metadata.service}: ${decision.reason}` } };
  }
  try {
    await assertDeployable(clients, metadata);
  } catch (error) {
    if (error instanceof DeploymentBlockedError) {
      throw new DeploymentBlockedError(
        `cdk deploy cannot ship ${props.Image}: ${error.message}`,
        error.blockedBy,
        error.activeDeploymentIds,
        { cause: error },
      );
    }
    throw error;
  }
  const deploymentId = await createCanaryDeployment(clients.codedeploy, {
    metadata,
    taskDefinitionArn: props.TaskDefinitionArn,
    description: cdkDeployDescription(props.Image),
  });
  logger.appendKeys({ deploymentId });
  const now = Date.now();
  const message =
    mode === 'start'
      ? `${metadata.service}: started deployment ${deploymentId} of ${props.Image}; follow it with canary status ${metadata.service}`
      : `${metadata.service}: deployment ${deploymentId} of ${props.Image} started; waiting for it (at most ${waitLimitMinutes} min)`;
  logger.info(message, { taskDefinitionArn: props.TaskDefinitionArn, primary, mode });
  return {
    PhysicalResourceId: physicalId,
    Data: {
      DeploymentId: deploymentId,
      Message: message,
      ...(mode === 'wait' ? { WaitDeadline: new Date(now + waitLimitMinutes * 60_000).toISOString() } : {}),
    },
  };
}

/** `wait`: complete when CodeDeploy reports Succeeded; fail with the judge's reason otherwise. */
export async function isComplete(event: CdkDeployCompletionEvent, context?: InvocationContext): Promise<CdkDeployCompletion> {
  startInvocation(logger, context);
  const deploymentId = event.Data?.DeploymentId;
  if (event.RequestType === 'Delete' || !deploymentId) return { IsComplete: true };
  logger.appendKeys({ deploymentId });
  const { waitLimitMinutes } = settings();
  const props = properties(event);
  const deadline = Date.parse(event.Data?.WaitDeadline ?? '');
  if (Number.isNaN(deadline)) {
    throw new DeployConfigError(
      `Data.WaitDeadline is ${JSON.stringify(event.Data?.WaitDeadline)}; accepted: the ISO time onEvent returned`,
      'WaitDeadline',
    );
  }
  let snapshot: DeploymentSnapshot;
  try {
    snapshot = await getDeploymentSnapshot(clients.codedeploy, deploymentId);
  } catch (error) {
    // A throttled or failed read is retried at the next poll; a missing permission is not.
    if (!(error instanceof AwsCallError) || error.missingAction !== undefined || Date.now() >= deadline) throw error;
    logger.warn('could not read the deployment; trying again at the next poll', { error: error.message });
    return { IsComplete: false };
  }
  const decision = decideCompletion(snapshot, Date.now(), deadline);
  logger.info('deployment polled', { status: snapshot.status, currentEvent: snapshot.currentEvent, decision: decision.action });
  switch (decision.action) {
    case 'keep-waiting':
      return { IsComplete: false };
    case 'succeeded':
      return { IsComplete: true, Data: { Message: `deployment ${deploymentId} of ${props.Image} succeeded` } };
    case 'failed':
      throw await failure(props, snapshot);
    case 'stop-and-fail':
      return stopAfterTimeout(props, deploymentId, waitLimitMinutes);
  }
}

/** The failure CloudFormation shows: the judge's newest reason, else CodeDeploy's error. */
async function failure(props: CdkDeployProperties, snapshot: DeploymentSnapshot): Promise<DeploymentFailedError> {
  let auditReason: string | undefined;
  let metadata: DeploymentMetadata | undefined;
  try {
    metadata = await readDeploymentMetadataParameter(clients.ssm, props.MetadataParameterName);
    // Quoted only when its record verifies against the trust root the stack set, never the parameter's (ssm:PutParameter rewrites it).
    if (metadata.auditTableName)
      auditReason = await newestVerifiedReason(
        { ddb: clients.dynamo, s3: clients.s3, kms: clients.kms },
        {
          tableName: metadata.auditTableName,
          service: metadata.service,
          deploymentId: snapshot.deploymentId,
          trustRoot: auditTrustRoot(),
          now: () => Date.now(),
        },
      );
  } catch (error) {
    // The reason is a courtesy: CodeDeploy's own error still explains the failure.
    logger.warn('could not read the audit reason', { error: (error as Error).message });
  }
  const outcome = deploymentOutcome(snapshot, auditReason);
  const follow = metadata ? ` (canary history ${metadata.service} shows every decision)` : '';
  logger.error('deployment did not succeed', { status: snapshot.status, reason: outcome.reason });
  return new DeploymentFailedError(`cdk deploy of ${props.Image}: ${outcome.reason}${follow}`, snapshot.deploymentId, snapshot.status);
}

/** Own deadline reached: stop with rollback (production back to the original), then fail saying so. */
async function stopAfterTimeout(props: CdkDeployProperties, deploymentId: string, waitLimitMinutes: number): Promise<CdkDeployCompletion> {
  try {
    await stopWithRollback(clients.codedeploy, deploymentId);
  } catch (error) {
    if (error instanceof AwsCallError && error.code === 'DeploymentAlreadyCompletedException') {
      // It ended between the poll and the stop: report how.
      const snapshot = await getDeploymentSnapshot(clients.codedeploy, deploymentId);
      if (snapshot.status === 'Succeeded') {
        return { IsComplete: true, Data: { Message: `deployment ${deploymentId} of ${props.Image} succeeded` } };
      }
      throw await failure(props, snapshot);
    }
    throw error;
  }
  logger.error('wait limit reached: deployment stopped with rollback', { waitLimitMinutes });
  throw new DeploymentFailedError(
    `cdk deploy of ${props.Image}: deployment ${deploymentId} did not finish within ${waitLimitMinutes} min, the longest a stack update can wait; stopped it with rollback (production returns to the original task set). Shorten the rollout plan, or set deployOnCdkDeploy: start and follow with canary status`,
    deploymentId,
    'Stopped',
  );
}
