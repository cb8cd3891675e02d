/**
 * Reads what a service stack publishes in SSM: the deployment metadata and the freeze switch.
 * One reader for everyone: the CLI, the cdk-deploy resource and the engine's Lambdas.
 * The parse functions are pure; the read functions are thin SSM adapters.
 */
import { type SSMClient } from '@aws-sdk/client-ssm';
import { type DeploymentMetadata } from '../core/metadata';
/** Parses and checks the JSON of `/ecs-canary/<service>/deployment`. Throws `DeployConfigError`. */
export declare function parseDeploymentMetadata(json: string, parameterName: string): DeploymentMetadata;
/** The freeze switch `/ecs-canary/<service>/freeze`. */
export interface FreezeState {
    readonly frozen: boolean;
    readonly reason?: string;
    readonly by?: string;
    readonly at?: string;
    /** The IAM identity (sts:GetCallerIdentity ARN) that set the switch; the engine records it when it stops a rollout. */
    readonly callerArn?: string;
}
/** Parses the freeze parameter's value. Throws `DeployConfigError` for anything else. */
export declare function parseFreeze(json: string, parameterName: string): FreezeState;
/** Reads and checks the deployment metadata; a missing parameter is a `DeployConfigError`. */
export declare function readDeploymentMetadata(ssm: SSMClient, service: string): Promise<DeploymentMetadata>;
/**
 * Reads and checks the deployment metadata by parameter name (the cdk-deploy resource is given
 * the name by its stack); a missing parameter is a `DeployConfigError`.
 */
export declare function readDeploymentMetadataParameter(ssm: SSMClient, parameterName: string): Promise<DeploymentMetadata>;
/**
 * Reads the freeze switch. The service stack creates it, so a missing switch is an error, never
 * "not frozen": a kill switch that was deleted must not fail open. `canary unfreeze` recreates it.
 */
export declare function readFreeze(ssm: SSMClient, parameterName: string): Promise<FreezeState>;
