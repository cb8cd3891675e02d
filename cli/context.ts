/**
 * What every command needs from the outside world, injected so the commands are tested without
 * a terminal, a clock or AWS: output streams, environment, clock, sleep and the AWS clients.
 */
import { hostname, userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { realSleep } from './deploy/follow';

export interface OutputStream {
  write(text: string): unknown;
  /** True for an interactive terminal: the live view is drawn in place. */
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface AwsClients {
  readonly ssm: SSMClient;
  readonly ecs: ECSClient;
  readonly codedeploy: CodeDeployClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly cloudwatch: CloudWatchClient;
  readonly ddb: DynamoDBDocumentClient;
  /** GetPublicKey of the audit trail's signing key (history). */
  readonly kms: KMSClient;
  /** The audit anchors (history). */
  readonly s3: S3Client;
  /** GetCallerIdentity: who runs an operator command. */
  readonly sts: STSClient;
}

/** `--region` and `--profile`; absent means the standard SDK chain (env, config files, role). */
export interface AwsOptions {
  readonly region?: string;
  readonly profile?: string;
}

export interface CliDeps {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly clients: (options: AwsOptions) => AwsClients;
  /** The input stream, for whether a person can answer; absent means no terminal. */
  readonly stdin?: { readonly isTTY?: boolean };
  /** Asks one question on the terminal and resolves to the answer line. */
  readonly ask?: (question: string) => Promise<string>;
}

/** SDK clients for the chosen region and profile, created once per command. */
export function createClients(options: AwsOptions): AwsClients {
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  return {
    ssm: new SSMClient(config),
    ecs: new ECSClient(config),
    codedeploy: new CodeDeployClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    cloudwatch: new CloudWatchClient(config),
    ddb: DynamoDBDocumentClient.from(new DynamoDBClient(config), { marshallOptions: { removeUndefinedValues: true } }),
    kms: new KMSClient(config),
    s3: new S3Client(config),
    sts: new STSClient(config),
  };
}

export function processDeps(): CliDeps {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    now: () => new Date(),
    sleep: realSleep,
    clients: createClients,
    stdin: process.stdin,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/**
 * Who runs the command, for the audit and control records: `CANARY_ACTOR`, the CI's actor
 * (`GITHUB_ACTOR`, `GITLAB_USER_LOGIN`) or the local user, with the host.
 */
export function actor(env: NodeJS.ProcessEnv): string {
  if (env.CANARY_ACTOR) return env.CANARY_ACTOR;
  if (env.GITHUB_ACTOR) return `${env.GITHUB_ACTOR} (github-actions)`;
  if (env.GITLAB_USER_LOGIN) return `${env.GITLAB_USER_LOGIN} (gitlab-ci)`;
  let user = env.USER ?? env.LOGNAME;
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return `${user}@${hostname()}`;
}
