import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
export interface AuditAnchorBucketProps {
    /**
     * Days each anchor is locked in compliance mode (the audit records' TTL): no one, the account's
     * root user included, can delete or overwrite an anchor version before then.
     */
    readonly retentionDays: number;
    /**
     * What happens to the buckets when the stack is deleted (a locked object version outlives it either way).
     * @default RemovalPolicy.RETAIN
     */
    readonly removalPolicy?: RemovalPolicy;
}
/**
 * Where the rollout engine anchors a service's audit chain outside its table (docs/audit.md): an
 * S3 bucket with Object Lock in compliance mode (default retention = the records' retention),
 * versioned, encrypted, TLS-only, access-logged to its own log bucket. Versions expire by
 * lifecycle a day after their retention ends, as the table's records expire by TTL.
 */
export declare class AuditAnchorBucket extends Construct {
    readonly bucket: s3.Bucket;
    readonly accessLogs: s3.Bucket;
    constructor(scope: Construct, id: string, props: AuditAnchorBucketProps);
    /**
     * Lets `writers` put anchors under `prefix` and denies every other IAM principal any object write, and everyone
     * (writers too) deleting: anchors end only by lifecycle expiry, which S3 performs itself.
     */
    restrictWritesTo(writers: readonly iam.IRole[], prefix: string): void;
}
