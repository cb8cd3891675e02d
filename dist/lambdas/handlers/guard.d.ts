import { type Runtime } from './runtime';
export interface DeploymentStateChange {
    readonly 'detail-type'?: string;
    readonly detail: {
        readonly deploymentId: string;
        readonly state: string;
        readonly deploymentGroup?: string;
        readonly application?: string;
    };
}
export declare const handler: (event: DeploymentStateChange) => Promise<{
    restored: boolean;
    stopped: string[];
}>;
export declare function guard(rt: Runtime, event: DeploymentStateChange): Promise<{
    restored: boolean;
    stopped: string[];
}>;
