/** Fake AWS Systems Manager Parameter Store: GetParameter / PutParameter with versions. */
import { GetParameterCommand, ParameterAlreadyExists, ParameterNotFound, PutParameterCommand, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import type { FakeClock } from './clock';
import { ACCOUNT, REGION, awsError, serviceError } from './errors';
import type { Handlers } from './mocks';

export interface StoredParameter {
  readonly name: string;
  value: string;
  type: 'String' | 'StringList' | 'SecureString';
  version: number;
  lastModified: number;
}

export class FakeSsm {
  readonly parameters = new Map<string, StoredParameter>();

  constructor(private readonly clock: FakeClock) {}

  /**
   * PutParameter — SSM API Reference: a new parameter gets Version 1; an existing one without
   * `Overwrite: true` fails with ParameterAlreadyExists; with it the version increments.
   */
  putParameter(input: { Name?: string; Value?: string; Type?: StoredParameter['type']; Overwrite?: boolean }) {
    if (!input.Name) throw serviceError(SSMServiceException, 'ValidationException', 'Name is required');
    if (input.Value === undefined || input.Value === '') throw serviceError(SSMServiceException, 'ValidationException', `Value of ${input.Name} is required (1 or more characters)`);
    const existing = this.parameters.get(input.Name);
    if (existing && !input.Overwrite) {
      throw awsError(ParameterAlreadyExists, `The parameter ${input.Name} already exists. To overwrite this value, set the overwrite option in the request to true.`);
    }
    const parameter: StoredParameter = {
      name: input.Name,
      value: input.Value,
      type: input.Type ?? existing?.type ?? 'String',
      version: (existing?.version ?? 0) + 1,
      lastModified: this.clock.now(),
    };
    this.parameters.set(input.Name, parameter);
    return { Version: parameter.version, Tier: 'Standard' as const };
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
      ],
    };
  }
}
