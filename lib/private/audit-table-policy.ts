import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The audit table's resource policy (docs/audit.md, "Who can write what"): PutItem by the engine's
 * `writers` only; UpdateItem, DeleteItem, BatchWriteItem and PartiQL writes by no one (the engine
 * only appends, with a conditional PutItem); TTL and this policy changed only by the `breakGlass`
 * role ARN patterns (CloudFormation's execution role by default). The Denies apply only to
 * requests that carry a principal ARN: DynamoDB's TTL deletes are made by the service itself, not
 * by a principal (whether a resource policy is evaluated for them at all can only be confirmed on
 * a live account; either way these statements cannot match them). The account's root user can
 * still delete the policy (DynamoDB API Reference, DeleteResourcePolicy).
 */
export function protectAuditTable(table: dynamodb.Table, writers: readonly iam.IRole[], breakGlass: readonly string[]): void {
  const everyPrincipal = { effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], resources: ['*'] };
  table.addToResourcePolicy(
    new iam.PolicyStatement({
      ...everyPrincipal,
      sid: 'OnlyTheRolloutEngineWritesTheTrail',
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': writers.map((role) => role.roleArn) }, Null: { 'aws:PrincipalArn': 'false' } },
    }),
  );
  table.addToResourcePolicy(
    new iam.PolicyStatement({
      ...everyPrincipal,
      sid: 'NoOneRewritesOrDeletesRecords',
      actions: [
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:PartiQLInsert',
        'dynamodb:PartiQLUpdate',
        'dynamodb:PartiQLDelete',
      ],
      conditions: { Null: { 'aws:PrincipalArn': 'false' } },
    }),
  );
  table.addToResourcePolicy(
    new iam.PolicyStatement({
      ...everyPrincipal,
      sid: 'OnlyBreakGlassChangesTtlAndThisPolicy',
      actions: ['dynamodb:UpdateTimeToLive', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': [...breakGlass] }, Null: { 'aws:PrincipalArn': 'false' } },
    }),
  );
}
