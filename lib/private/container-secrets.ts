/**
 * ECS secrets from the service file, each granting the task execution role exactly what ECS needs
 * to fetch it at task start: `secretsmanager:GetSecretValue` on that secret, `ssm:GetParameters`
 * on that parameter, and `kms:Decrypt` on the customer managed key when one is named.
 */
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ArnFormat, Stack } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';

/** One secret as the service file gives it (`secrets.NAME`). */
export interface SecretSource {
  readonly secretsManager?: string;
  readonly jsonKey?: string;
  readonly ssmParameter?: string;
  readonly kmsKeyArn?: string;
}

/** The ARN of an SSM parameter given by name (`/orders/api-key`) or ARN, in the stack's account and region. */
export function parameterArn(scope: Construct, parameter: string): string {
  if (parameter.startsWith('arn:')) return parameter;
  return Stack.of(scope).formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: parameter.slice(1),
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** The resources a secret's grant names: the secret or parameter, and its key when given. */
export function secretResources(
  scope: Construct,
  source: SecretSource,
): { readonly action: string; readonly arn: string; readonly kmsKeyArn?: string } {
  if (source.secretsManager) return { action: 'secretsmanager:GetSecretValue', arn: source.secretsManager, kmsKeyArn: source.kmsKeyArn };
  return { action: 'ssm:GetParameters', arn: parameterArn(scope, source.ssmParameter!), kmsKeyArn: source.kmsKeyArn };
}

/**
 * The `valueFrom` ECS reads: the secret ARN, `<arn>:<jsonKey>::` for one key of its JSON
 * (ECS developer guide, "Pass Secrets Manager secrets through environment variables"), or the
 * parameter ARN.
 */
export function secretValueFrom(scope: Construct, source: SecretSource): string {
  if (source.secretsManager) return source.jsonKey ? `${source.secretsManager}:${source.jsonKey}::` : source.secretsManager;
  return parameterArn(scope, source.ssmParameter!);
}

/** An `ecs.Secret` whose grant names exactly its secret or parameter (and key), nothing else. */
export function exactSecret(scope: Construct, source: SecretSource): ecs.Secret {
  const { action, arn, kmsKeyArn } = secretResources(scope, source);
  return {
    arn: secretValueFrom(scope, source),
    hasField: source.jsonKey !== undefined,
    grantRead: (grantee: iam.IGrantable) => {
      const grant = iam.Grant.addToPrincipal({ grantee, actions: [action], resourceArns: [arn] });
      if (!kmsKeyArn) return grant;
      return grant.combine(iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [kmsKeyArn] }));
    },
  } as ecs.Secret;
}

/** `NAME → ecs.Secret` for a container's `secrets`. */
export function containerSecrets(scope: Construct, secrets: Readonly<Record<string, SecretSource>>): Record<string, ecs.Secret> {
  return Object.fromEntries(Object.entries(secrets).map(([name, source]) => [name, exactSecret(scope, source)]));
}
