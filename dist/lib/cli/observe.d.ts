import type { AuditRecord } from '../../lambdas/core/audit-chain';
import type { DeploymentMetadata } from '../../lambdas/core/metadata';
import { type ControlRecord } from '../deploy/audit';
import { AwsCallError } from '../deploy/errors';
import { type DeploymentSnapshot } from '../deploy/observe';
import type { AwsClients } from './context';
import { type ProgressState } from './progress/model';
export interface Observation {
    readonly snapshot: DeploymentSnapshot;
    readonly records: readonly AuditRecord[];
    readonly progress: ProgressState;
    readonly terminal: boolean;
}
export declare function observeDeployment(clients: AwsClients, metadata: DeploymentMetadata, deploymentId: string): Promise<Observation>;
/** The active deployment of the service, if any. */
export declare function currentDeployment(clients: AwsClients, metadata: DeploymentMetadata): Promise<string | undefined>;
/** The active deployment, else the most recent one; fails when the group has none. */
export declare function currentOrLastDeployment(clients: AwsClients, metadata: DeploymentMetadata): Promise<string>;
/** The active deployment, or a `CommandFailedError` saying there is nothing to act on. */
export declare function requireActiveDeployment(clients: AwsClients, metadata: DeploymentMetadata, command: string): Promise<string>;
/** What `canary status` reads about one deployment; the listener is always read, never inferred. */
export interface StatusObservation {
    /** The deployment the story is about: the one asked for, or the one CodeDeploy's rollback rolled back. */
    readonly subject: DeploymentSnapshot;
    /** CodeDeploy's automatic rollback of the subject, when there is one. */
    readonly rollback?: DeploymentSnapshot;
    /** The subject's newest audit records, newest first. */
    readonly records: readonly AuditRecord[];
    /** Production listener weights per target group name, or why they could not be read. */
    readonly listener: ReadonlyMap<string, number> | AwsCallError;
    /** The operator control record, when it names the subject (who ran `canary rollback`). */
    readonly control?: ControlRecord;
    /** The subject has ended and so has its rollback, if any. */
    readonly terminal: boolean;
}
export declare function observeStatus(clients: AwsClients, metadata: DeploymentMetadata, deploymentId: string): Promise<StatusObservation>;
