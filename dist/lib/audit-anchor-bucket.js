"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuditAnchorBucket = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const s3 = __importStar(require("aws-cdk-lib/aws-s3"));
const constructs_1 = require("constructs");
/**
 * Where the rollout engine anchors a service's audit chain outside its table (docs/audit.md): an
 * S3 bucket with Object Lock in compliance mode (default retention = the records' retention),
 * versioned, encrypted, TLS-only, access-logged to its own log bucket. Versions expire by
 * lifecycle a day after their retention ends, as the table's records expire by TTL.
 */
class AuditAnchorBucket extends constructs_1.Construct {
    bucket;
    accessLogs;
    constructor(scope, id, props) {
        super(scope, id);
        const removalPolicy = props.removalPolicy ?? aws_cdk_lib_1.RemovalPolicy.RETAIN;
        this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
            encryption: s3.BucketEncryption.S3_MANAGED,
            blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
            enforceSSL: true,
            versioned: true,
            lifecycleRules: [{ expiration: aws_cdk_lib_1.Duration.days(props.retentionDays + 1), noncurrentVersionExpiration: aws_cdk_lib_1.Duration.days(1) }],
            removalPolicy,
        });
        aws_cdk_lib_1.Validations.of(this.accessLogs.node.defaultChild).acknowledge({
            id: 'AwsSolutions-S1',
            reason: 'This bucket receives the anchor bucket\'s server access logs; logging its own access would only log the log delivery.',
        });
        this.bucket = new s3.Bucket(this, 'Anchors', {
            objectLockEnabled: true,
            objectLockDefaultRetention: s3.ObjectLockRetention.compliance(aws_cdk_lib_1.Duration.days(props.retentionDays)),
            versioned: true,
            encryption: s3.BucketEncryption.S3_MANAGED,
            blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
            enforceSSL: true,
            serverAccessLogsBucket: this.accessLogs,
            serverAccessLogsPrefix: 'anchors/',
            lifecycleRules: [{ expiration: aws_cdk_lib_1.Duration.days(props.retentionDays + 1), noncurrentVersionExpiration: aws_cdk_lib_1.Duration.days(1) }],
            removalPolicy,
        });
    }
    /**
     * Lets `writers` put anchors under `prefix` and denies every other IAM principal any object write, and everyone
     * (writers too) deleting: anchors end only by lifecycle expiry, which S3 performs itself.
     */
    restrictWritesTo(writers, prefix) {
        // PutObject with ObjectLockMode/RetainUntilDate also needs s3:PutObjectRetention (S3 User Guide, "Object Lock permissions").
        for (const writer of writers) {
            writer.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:PutObjectRetention'], resources: [this.bucket.arnForObjects(`${prefix}*`)] }));
        }
        this.bucket.addToResourcePolicy(new iam.PolicyStatement({
            sid: 'OnlyTheRolloutEngineWritesAnchors',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold'],
            resources: [this.bucket.arnForObjects('*')],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': writers.map((w) => w.roleArn) }, Null: { 'aws:PrincipalArn': 'false' } },
        }));
        this.bucket.addToResourcePolicy(new iam.PolicyStatement({
            sid: 'NoOneDeletesAnchors',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
            resources: [this.bucket.arnForObjects('*')],
        }));
    }
}
exports.AuditAnchorBucket = AuditAnchorBucket;
