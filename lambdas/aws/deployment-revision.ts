/**
 * CodeDeploy adapter of the start check: what GetDeployment says about a deployment, its AppSpec's
 * content, the deployments waiting in Ready, the stop with rollback and the continue past the
 * ready wait.
 *
 * GetDeployment names the revision but "the content property of the appSpecContent object in the
 * returned revision is always null. Use GetApplicationRevision and the sha256 property of the
 * returned appSpecContent object to get the content" (CodeDeploy API Reference, GetDeployment).
 */
import {
  CodeDeployClient,
  ContinueDeploymentCommand,
  DeploymentAlreadyCompletedException,
  DeploymentIsNotInReadyStateException,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  ListDeploymentsCommand,
  type RevisionLocation,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';

import { EcsCanaryError } from '../core/ecs-canary-error';
import type { StartedDeployment } from '../core/start-check';

/** The AppSpec of a deployment cannot be read; the start check stops the deployment (fail safe). */
export class AppSpecUnreadableError extends EcsCanaryError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppSpecUnreadableError';
  }
}

export interface DeploymentRevision {
  readonly deployment: StartedDeployment;
  /** The revision as GetDeployment names it (type and sha256, no content). */
  readonly location?: RevisionLocation;
}

export async function readStartedDeployment(client: CodeDeployClient, deploymentId: string): Promise<DeploymentRevision> {
  const { deploymentInfo: info } = await client.send(new GetDeploymentCommand({ deploymentId }));
  const location = info?.revision;
  const sha256 = location?.appSpecContent?.sha256 ?? location?.string?.sha256;
  return {
    deployment: {
      status: info?.status ?? 'Unknown',
      ...(info?.applicationName ? { applicationName: info.applicationName } : {}),
      ...(info?.deploymentGroupName ? { deploymentGroupName: info.deploymentGroupName } : {}),
      ...(info?.creator ? { creator: info.creator } : {}),
      ...(info?.rollbackInfo?.rollbackTriggeringDeploymentId
        ? { rollbackTriggeringDeploymentId: info.rollbackInfo.rollbackTriggeringDeploymentId }
        : {}),
      ...(info?.description ? { description: info.description } : {}),
      ...(location ? { revision: { type: location.revisionType, ...(sha256 ? { sha256 } : {}) } } : {}),
    },
    ...(location ? { location } : {}),
  };
}

/**
 * The AppSpec's content: for an AppSpecContent (or String) revision, GetApplicationRevision by its
 * sha256. A revision stored in S3 or GitHub is not read (that would need read access to whatever
 * bucket or repository a pipeline chose): `AppSpecUnreadableError`, like any failed read.
 */
export async function readAppSpecContent(
  client: CodeDeployClient,
  applicationName: string,
  location: RevisionLocation | undefined,
): Promise<string> {
  const type = location?.revisionType;
  const sha256 = type === 'AppSpecContent' ? location?.appSpecContent?.sha256 : type === 'String' ? location?.string?.sha256 : undefined;
  if (type !== 'AppSpecContent' && type !== 'String') {
    throw new AppSpecUnreadableError(
      `a ${type ?? 'missing'} revision; the start check reads AppSpecContent revisions only (what canary deploy, the AWS GitHub action and aws deploy create-deployment --revision send)`,
    );
  }
  if (!sha256) throw new AppSpecUnreadableError(`GetDeployment names the ${type} revision without its sha256`);
  try {
    const { revision } = await client.send(
      new GetApplicationRevisionCommand({
        applicationName,
        revision:
          type === 'AppSpecContent' ? { revisionType: type, appSpecContent: { sha256 } } : { revisionType: type, string: { sha256 } },
      }),
    );
    const content = type === 'AppSpecContent' ? revision?.appSpecContent?.content : revision?.string?.content;
    if (!content) throw new AppSpecUnreadableError(`GetApplicationRevision returned the ${type} revision ${sha256} without content`);
    return content;
  } catch (error) {
    if (error instanceof AppSpecUnreadableError) throw error;
    throw new AppSpecUnreadableError(`GetApplicationRevision of ${sha256}: ${(error as Error).name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * StopDeployment with autoRollbackEnabled: CodeDeploy routes production back to the original and
 * removes the replacement. Returns false when the deployment had already ended.
 */
export async function stopWithRollback(client: CodeDeployClient, deploymentId: string): Promise<boolean> {
  try {
    await client.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
    return true;
  } catch (error) {
    if (error instanceof DeploymentAlreadyCompletedException) return false;
    throw error;
  }
}

/**
 * ContinueDeployment (READY_WAIT): a deployment waiting in Ready goes on to reroute production.
 * Returns false when it was not waiting (an earlier check continued it, or it has ended).
 */
export async function continuePastReadyWait(client: CodeDeployClient, deploymentId: string): Promise<boolean> {
  try {
    await client.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: 'READY_WAIT' }));
    return true;
  } catch (error) {
    if (error instanceof DeploymentIsNotInReadyStateException || error instanceof DeploymentAlreadyCompletedException) return false;
    throw error;
  }
}

/** The group's deployments waiting in Ready for ContinueDeployment, every page. */
export async function readyDeployments(client: CodeDeployClient, applicationName: string, deploymentGroupName: string): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListDeploymentsCommand({ applicationName, deploymentGroupName, includeOnlyStatuses: ['Ready'], nextToken }),
    );
    ids.push(...(page.deployments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return ids;
}
