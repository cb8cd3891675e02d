/**
 * Fake AWS Systems Manager Parameter Store: GetParameter / PutParameter / DeleteParameter with
 * versions, and GetParameterHistory with each version's `LastModifiedUser` (SSM API Reference,
 * ParameterHistory: "Amazon Resource Name (ARN) of the AWS user who last changed the parameter");
 * here the identity the fake STS answers at the time of the write (`world.sts.as`). Deleting a
 * parameter deletes its history, as in SSM.
 */
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';

import type { FakeClock } from './clock';
import { ACCOUNT, awsError, REGION, serviceError } from './errors';
import type { Handlers } from './mocks';

export interface StoredParameter {
  readonly name: string;
  value: string;
  type: 'String' | 'StringList' | 'SecureString';
  version: number;
  lastModified: number;
  lastModifiedUser: string;
}

export class FakeSsm {
  readonly parameters = new Map<string, StoredParameter>();
  /** Every version of each parameter, oldest first (what GetParameterHistory returns). */
  readonly history = new Map<string, StoredParameter[]>();
  /** Every put and delete of every parameter, in order (a deleted parameter's `value` is undefined): what `valueAt` reads. */
  readonly changes: Array<{ readonly name: string; readonly at: number; readonly value?: string }> = [];

  /** `caller`: the ARN SSM records as the writer of each version (the world wires the fake STS identity). */
  constructor(
    private readonly clock: FakeClock,
    private readonly caller: () => string = () => `arn:aws:iam::${ACCOUNT}:role/unknown`,
  ) {}

  /**
   * PutParameter — SSM API Reference: a new parameter gets Version 1; an existing one without
   * `Overwrite: true` fails with ParameterAlreadyExists; with it the version increments.
   */
  putParameter(input: { Name?: string; Value?: string; Type?: StoredParameter['type']; Overwrite?: boolean }) {
    if (!input.Name) throw serviceError(SSMServiceException, 'ValidationException', 'Name is required');
    if (input.Value === undefined || input.Value === '')
      throw serviceError(SSMServiceException, 'ValidationException', `Value of ${input.Name} is required (1 or more characters)`);
    const existing = this.parameters.get(input.Name);
    if (existing && !input.Overwrite) {
      throw awsError(
        ParameterAlreadyExists,
        `The parameter ${input.Name} already exists. To overwrite this value, set the overwrite option in the request to true.`,
      );
    }
    const parameter: StoredParameter = {
      name: input.Name,
      value: input.Value,
      type: input.Type ?? existing?.type ?? 'String',
      version: (existing?.version ?? 0) + 1,
      lastModified: this.clock.now(),
      lastModifiedUser: this.caller(),
    };
    this.parameters.set(input.Name, parameter);
    this.history.set(input.Name, [...(this.history.get(input.Name) ?? []), { ...parameter }]);
    this.changes.push({ name: input.Name, at: parameter.lastModified, value: parameter.value });
    return { Version: parameter.version, Tier: 'Standard' as const };
  }

  /** The parameter's value at `at` (the last change at or before it), or undefined when it did not exist then. */
  valueAt(name: string, at: number): string | undefined {
    for (let i = this.changes.length - 1; i >= 0; i -= 1) {
      const change = this.changes[i];
      if (change.name === name && change.at <= at) return change.value;
    }
    return undefined;
  }

  /** GetParameter — SSM API Reference: unknown name → ParameterNotFound. */
  getParameter(input: { Name?: string; WithDecryption?: boolean }) {
    const parameter = input.Name ? this.parameters.get(input.Name) : undefined;
    if (!parameter) throw awsError(ParameterNotFound, `Parameter ${String(input.Name)} not found.`);
    return {
      Parameter: {
        Name: parameter.name,
        Type: parameter.type,
        Value: parameter.value,
        Version: parameter.version,
        LastModifiedDate: new Date(parameter.lastModified),
        ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${parameter.name.startsWith('/') ? '' : '/'}${parameter.name}`,
        DataType: 'text',
      },
    };
  }

  /**
   * GetParameterHistory — every version, oldest first, with LastModifiedUser; unknown name → ParameterNotFound
   * (paging not modelled: at most 50 versions are kept by the tests).
   */
  getParameterHistory(input: { Name?: string }) {
    const versions = input.Name ? this.history.get(input.Name) : undefined;
    if (!versions) throw awsError(ParameterNotFound, `Parameter ${String(input.Name)} not found.`);
    return {
      Parameters: versions.map((p) => ({
        Name: p.name,
        Type: p.type,
        Value: p.value,
        Version: p.version,
        LastModifiedDate: new Date(p.lastModified),
        LastModifiedUser: p.lastModifiedUser,
      })),
    };
  }

  /** DeleteParameter — the parameter and its history are gone; unknown name → ParameterNotFound. */
  deleteParameter(input: { Name?: string }) {
    if (!input.Name || !this.parameters.delete(input.Name)) throw awsError(ParameterNotFound, `Parameter ${String(input.Name)} not found.`);
    this.history.delete(input.Name);
    this.changes.push({ name: input.Name, at: this.clock.now() });
    return {};
  }

  /** Test shortcut: the current value, or undefined. */
  value(name: string): string | undefined {
    return this.parameters.get(name)?.value;
  }

  handlers(): Handlers {
    return {
      client: SSMClient,
      commands: [
        [GetParameterCommand, (i) => this.getParameter(i as never)],
        [PutParameterCommand, (i) => this.putParameter(i as never)],
        [GetParameterHistoryCommand, (i) => this.getParameterHistory(i as never)],
        [DeleteParameterCommand, (i) => this.deleteParameter(i as never)],
      ],
    };
  }
}
