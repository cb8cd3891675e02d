import type { Command } from 'commander';
import type { DeploymentMetadata } from '../../../lambdas/core/metadata';
import { AwsCallError } from '../../deploy/errors';
import { type FreezeState } from '../../deploy/service-config';
import type { AwsClients, CliDeps } from '../context';
import type { ProgressState } from '../progress/model';
export interface AlarmView {
    readonly name: string;
    readonly state: string;
    readonly reason?: string;
}
export declare function registerStatus(program: Command, deps: CliDeps): void;
/** The deployment group's rollback alarms and their states. */
export declare function alarmStates(clients: AwsClients, metadata: DeploymentMetadata): Promise<AlarmView[]>;
/** The status text (pure). */
export declare function renderStatus(progress: ProgressState, extra: {
    deadline: string;
    freeze: FreezeState;
    alarms: readonly AlarmView[] | AwsCallError;
    rollbackOf?: string;
}, width?: number): string[];
