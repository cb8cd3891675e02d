import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Duration, RemovalPolicy } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';

export interface AuditSigningKeyProps {
  /** The service whose audit records the key signs (in the key's description). */
  readonly serviceName: string;
  /**
   * What happens to the key when the stack is deleted. Records signed by a deleted key can no
   * longer be verified, so keep it as long as the trail.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) the rollout engine signs a service's audit
 * records with (docs/audit.md). Verifiers need only `kms:GetPublicKey`. The key policy keeps
 * CDK's default (the account administers the key through IAM) and adds one Deny: `kms:Sign` by
 * any IAM principal but the signers given to `restrictSigningTo`, so an administrator's `kms:*`
 * cannot sign either without first changing the key policy (a CloudTrail-logged PutKeyPolicy).
 * Asymmetric keys have no automatic rotation (AWS KMS Developer Guide, "Rotating AWS KMS keys").
 */
export class AuditSigningKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AuditSigningKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `ecs-canary ${props.serviceName}: signs the audit trail`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      pendingWindow: Duration.days(30),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /**
   * Grants `kms:Sign` to `signers` (their identity policies), with `kms:GetPublicKey` so that they
   * check the signature of the record they append after, and denies `kms:Sign` to every other IAM
   * principal in the key policy. Requests without a principal ARN (none are made for Sign) are
   * left to the rest of the policy. Whether KMS evaluates the Deny exactly so for every caller
   * can only be confirmed on a live account (docs/audit.md).
   */
  public restrictSigningTo(signers: readonly iam.IRole[]): void {
    for (const signer of signers) this.key.grant(signer, 'kms:Sign', 'kms:GetPublicKey');
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheRolloutEngineSigns',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': signers.map((s) => s.roleArn) }, Null: { 'aws:PrincipalArn': 'false' } },
      }),
    );
  }
}
