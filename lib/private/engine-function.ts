/** One Lambda function of the rollout engine: Node.js 22 on arm64, its own role and log group. */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';

import { handlerCode, type HandlerFile } from './handler-entry';

export interface EngineFunctionOptions {
  /** The handler's source file in lambdas/handlers, e.g. `tick.ts`. */
  readonly entry: HandlerFile;
  /** The exported function of that file. */
  readonly handler: string;
  /** @default - a name CloudFormation generates */
  readonly functionName?: string;
  /** VPC placement. @default - outside any VPC */
  readonly network?: Partial<nodejs.NodejsFunctionProps>;
  readonly timeout: Duration;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
}

export function engineFunction(scope: Construct, id: string, options: EngineFunctionOptions): nodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: options.logRetention, removalPolicy: RemovalPolicy.DESTROY });
  // An own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
  const role = new iam.Role(scope, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  return new nodejs.NodejsFunction(scope, id, {
    ...handlerCode(options.entry, options.handler),
    ...(options.functionName ? { functionName: options.functionName } : {}),
    role,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: options.timeout,
    environment: { ...options.environment },
    logGroup,
    ...options.network,
  });
}
