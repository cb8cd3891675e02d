/**
 * What every engine Lambda shares: SDK clients created once per container, the Powertools
 * logger, the environment and the service's deployment metadata (read from SSM at cold start).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeploymentMetadata } from '../core/metadata';
import type { AuditTable } from '../aws/dynamodb';
import { type HttpGet } from '../aws/http';
export declare class EnvironmentError extends Error {
    constructor(message: string, options?: {
        cause?: unknown;
    });
}
export interface Clients {
    readonly codedeploy: CodeDeployClient;
    readonly elbv2: ElasticLoadBalancingV2Client;
    readonly cloudwatch: CloudWatchClient;
    readonly dynamo: DynamoDBDocumentClient;
    readonly sns: SNSClient;
    readonly ssm: SSMClient;
    readonly sfn: SFNClient;
    /** Signs audit records (kms:Sign on the service's key only). */
    readonly kms: KMSClient;
    /** Writes the chain's anchors to the Object Lock bucket. */
    readonly s3: S3Client;
    readonly http: HttpGet;
}
export interface Env {
    readonly service: string;
    readonly metadataParameter: string;
    readonly freezeParameter: string;
    readonly auditTableName: string;
    readonly auditRetentionDays: number;
    /** The KMS key audit records are signed with. @default - unsigned (a stack without the key) */
    readonly auditKeyArn?: string;
    /** The Object Lock bucket of the chain's anchors. @default - no anchors */
    readonly auditAnchorBucket?: string;
    /** The operator control parameter (tick and guard). @default - no operator commands are read */
    readonly controlParameter?: string;
    /** Guard only: the deployment group's rollback alarms, whose states it records. */
    readonly alarmNames?: readonly string[];
    readonly topicArn: string;
    /** Hooks and guard only. */
    readonly stateMachineArn?: string;
    /**
     * Where smoke checks go: through the test listener (`http://<alb>:<test port><path>`), or, for a
     * hook running inside the VPC, to each healthy replacement target directly.
     */
    readonly smokeCheckMode: 'test-listener' | 'replacement-targets';
}
export interface Runtime {
    readonly clients: Clients;
    readonly env: Env;
    readonly metadata: DeploymentMetadata;
    readonly audit: AuditTable;
    readonly logger: Logger;
    readonly clock: () => number;
}
export declare const logger: Logger;
/** Created once per container and reused across invocations. */
export declare const defaultClients: Clients;
export declare function readEnv(env?: NodeJS.ProcessEnv): Env;
/** The runtime of this container: metadata is read once, at the first invocation. */
export declare function runtime(clients?: Clients, env?: NodeJS.ProcessEnv, clock?: () => number): Promise<Runtime>;
/** For tests: forget the cached runtime. */
export declare function resetRuntime(): void;
/** The audit table as the engine appends to it: signed with the service's key, anchored in its bucket. */
export declare function auditTable(clients: Pick<Clients, 'dynamo' | 'kms' | 's3'>, env: Env): AuditTable;
