import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
export declare function rolloutLoop(scope: Construct, tickFunction: lambda.IFunction, logRetention: logs.RetentionDays): sfn.StateMachine;
