import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib/core';
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
export class AuditAnchorBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditAnchorBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays + 1), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy,
    });
    Validations.of(this.accessLogs.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-S1',
      reason: "This bucket receives the anchor bucket's server access logs; logging its own access would only log the log delivery.",
    });
    this.bucket = new s3.Bucket(this, 'Anchors', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(props.retentionDays)),
      versioned: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'anchors/',
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays + 1), noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy,
    });
  }

  /**
   * Lets `writers` put anchors under `prefix` and denies every other IAM principal any object write, and everyone
   * (writers too) deleting: anchors end only by lifecycle expiry, which S3 performs itself. The
   * lifecycle, versioning, Object Lock configuration and this policy can be changed only by the
   * `breakGlass` roles (ARN patterns): a lifecycle rule could otherwise add delete markers early.
   */
  public restrictWritesTo(writers: readonly iam.IRole[], prefix: string, breakGlass: readonly string[] = []): void {
    // PutObject with ObjectLockMode/RetainUntilDate also needs s3:PutObjectRetention (S3 User Guide, "Object Lock permissions").
    for (const writer of writers) {
      writer.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:PutObjectRetention'],
          resources: [this.bucket.arnForObjects(`${prefix}*`)],
        }),
      );
    }
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheRolloutEngineWritesAnchors',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': writers.map((w) => w.roleArn) }, Null: { 'aws:PrincipalArn': 'false' } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NoOneDeletesAnchors',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    if (breakGlass.length === 0) return;
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyBreakGlassChangesTheAnchorBucket',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [
          's3:PutLifecycleConfiguration',
          's3:PutBucketPolicy',
          's3:DeleteBucketPolicy',
          's3:PutBucketVersioning',
          's3:PutBucketObjectLockConfiguration',
        ],
        resources: [this.bucket.bucketArn],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': [...breakGlass] }, Null: { 'aws:PrincipalArn': 'false' } },
      }),
    );
  }
}
