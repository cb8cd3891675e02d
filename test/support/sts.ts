/**
 * Fake AWS STS: GetCallerIdentity answers the identity a test sets (`world.sts.as(arn)`), by
 * default an assumed-role session of the account's operator role. STS API Reference,
 * GetCallerIdentity: returns UserId, Account and Arn; it needs no permission ("No permissions are
 * required to perform this operation"), so test/iam maps it to no IAM request.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { ACCOUNT } from './errors';
import type { Handlers } from './mocks';

export const DEFAULT_CALLER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/operator/oncall`;

export class FakeSts {
  callerArn = DEFAULT_CALLER_ARN;

  /** Test control: who the next calls are made by. */
  as(arn: string): void {
    this.callerArn = arn;
  }

  getCallerIdentity() {
    return { Account: this.callerArn.split(':')[4], Arn: this.callerArn, UserId: `AROAFAKE:${this.callerArn.split('/').pop()}` };
  }

  handlers(): Handlers {
    return { client: STSClient, commands: [[GetCallerIdentityCommand, () => this.getCallerIdentity()]] };
  }
}
