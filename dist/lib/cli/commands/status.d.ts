import type { Command } from 'commander';
import type { DeploymentMetadata } from '../../../lambdas/core/metadata';
import { AwsCallError } from '../../deploy/errors';
import { type FreezeState } from '../../deploy/service-config';
import type { AwsClients, CliDeps } from '../context';
import { type StatusView } from './status-view';
export interface AlarmView {
    readonly name: string;
    readonly state: string;
    readonly reason?: string;
}
export declare function registerStatus(program: Command, deps: CliDeps): void;
/** The deployment group's rollback alarms and their states. */
export declare function alarmStates(clients: AwsClients, metadata: DeploymentMetadata): Promise<AlarmView[]>;
export interface StatusExtra {
    /** The hook line (`deadlineText`), or undefined when no hook runs. */
    readonly deadline?: string;
    readonly freeze: FreezeState;
    readonly alarms: readonly AlarmView[] | AwsCallError;
    /** The deployment asked for when it was CodeDeploy's rollback of the subject. */
    readonly askedFor?: string;
}
/** The status screen (pure): outcome first. */
export declare function renderStatus(view: StatusView, extra: StatusExtra): string[];
