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
exports.AuditSigningKey = void 0;
const aws_cdk_lib_1 = require("aws-cdk-lib");
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const kms = __importStar(require("aws-cdk-lib/aws-kms"));
const constructs_1 = require("constructs");
/**
 * The asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) the rollout engine signs a service's audit
 * records with (docs/audit.md). Verifiers need only `kms:GetPublicKey`. The key policy keeps
 * CDK's default (the account administers the key through IAM) and adds one Deny: `kms:Sign` by
 * any IAM principal but the signers given to `restrictSigningTo`, so an administrator's `kms:*`
 * cannot sign either without first changing the key policy (a CloudTrail-logged PutKeyPolicy).
 * Asymmetric keys have no automatic rotation (AWS KMS Developer Guide, "Rotating AWS KMS keys").
 */
class AuditSigningKey extends constructs_1.Construct {
    key;
    constructor(scope, id, props) {
        super(scope, id);
        this.key = new kms.Key(this, 'Key', {
            description: `ecs-canary ${props.serviceName}: signs the audit trail`,
            keySpec: kms.KeySpec.ECC_NIST_P256,
            keyUsage: kms.KeyUsage.SIGN_VERIFY,
            pendingWindow: aws_cdk_lib_1.Duration.days(30),
            removalPolicy: props.removalPolicy ?? aws_cdk_lib_1.RemovalPolicy.RETAIN,
        });
    }
    /**
     * Grants `kms:Sign` to `signers` (their identity policies) and denies it to every other IAM
     * principal in the key policy. Requests without a principal ARN (none are made for Sign) are
     * left to the rest of the policy. Whether KMS evaluates the Deny exactly so for every caller
     * can only be confirmed on a live account (docs/audit.md).
     */
    restrictSigningTo(signers) {
        for (const signer of signers)
            this.key.grant(signer, 'kms:Sign');
        this.key.addToResourcePolicy(new iam.PolicyStatement({
            sid: 'OnlyTheRolloutEngineSigns',
            effect: iam.Effect.DENY,
            principals: [new iam.AnyPrincipal()],
            actions: ['kms:Sign'],
            resources: ['*'],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': signers.map((s) => s.roleArn) }, Null: { 'aws:PrincipalArn': 'false' } },
        }));
    }
}
exports.AuditSigningKey = AuditSigningKey;
