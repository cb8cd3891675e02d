"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.defaultClients = exports.logger = exports.EnvironmentError = void 0;
exports.readEnv = readEnv;
exports.runtime = runtime;
exports.resetRuntime = resetRuntime;
exports.auditTable = auditTable;
/**
 * What every engine Lambda shares: SDK clients created once per container, the Powertools
 * logger, the environment and the service's deployment metadata (read from SSM at cold start).
 */
const logger_1 = require("@aws-lambda-powertools/logger");
const client_cloudwatch_1 = require("@aws-sdk/client-cloudwatch");
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const client_dynamodb_1 = require("@aws-sdk/client-dynamodb");
const client_elastic_load_balancing_v2_1 = require("@aws-sdk/client-elastic-load-balancing-v2");
const client_kms_1 = require("@aws-sdk/client-kms");
const client_s3_1 = require("@aws-sdk/client-s3");
const client_sfn_1 = require("@aws-sdk/client-sfn");
const client_sns_1 = require("@aws-sdk/client-sns");
const client_ssm_1 = require("@aws-sdk/client-ssm");
const lib_dynamodb_1 = require("@aws-sdk/lib-dynamodb");
const service_parameters_1 = require("../aws/service-parameters");
const http_1 = require("../aws/http");
class EnvironmentError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = 'EnvironmentError';
    }
}
exports.EnvironmentError = EnvironmentError;
exports.logger = new logger_1.Logger({ serviceName: 'ecs-canary' });
/** Created once per container and reused across invocations. */
exports.defaultClients = {
    codedeploy: new client_codedeploy_1.CodeDeployClient({}),
    elbv2: new client_elastic_load_balancing_v2_1.ElasticLoadBalancingV2Client({}),
    cloudwatch: new client_cloudwatch_1.CloudWatchClient({}),
    dynamo: lib_dynamodb_1.DynamoDBDocumentClient.from(new client_dynamodb_1.DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    sns: new client_sns_1.SNSClient({}),
    ssm: new client_ssm_1.SSMClient({}),
    sfn: new client_sfn_1.SFNClient({}),
    kms: new client_kms_1.KMSClient({}),
    s3: new client_s3_1.S3Client({}),
    http: http_1.httpGet,
};
function readEnv(env = process.env) {
    const required = (name) => {
        const value = env[name];
        if (!value)
            throw new EnvironmentError(`environment variable ${name} is not set; the RolloutEngine construct sets it`);
        return value;
    };
    const retention = Number(env.AUDIT_RETENTION_DAYS ?? '90');
    if (!(retention > 0))
        throw new EnvironmentError(`AUDIT_RETENTION_DAYS is ${JSON.stringify(env.AUDIT_RETENTION_DAYS)}; accepted: a number of days above 0`);
    return {
        service: required('SERVICE_NAME'),
        metadataParameter: required('METADATA_PARAMETER'),
        freezeParameter: required('FREEZE_PARAMETER'),
        auditTableName: required('AUDIT_TABLE_NAME'),
        auditRetentionDays: retention,
        ...(env.AUDIT_KEY_ARN ? { auditKeyArn: env.AUDIT_KEY_ARN } : {}),
        ...(env.AUDIT_ANCHOR_BUCKET ? { auditAnchorBucket: env.AUDIT_ANCHOR_BUCKET } : {}),
        ...(env.CONTROL_PARAMETER ? { controlParameter: env.CONTROL_PARAMETER } : {}),
        ...(env.ALARM_NAMES ? { alarmNames: env.ALARM_NAMES.split(',').filter(Boolean) } : {}),
        topicArn: required('TOPIC_ARN'),
        ...(env.STATE_MACHINE_ARN ? { stateMachineArn: env.STATE_MACHINE_ARN } : {}),
        smokeCheckMode: smokeCheckMode(env.SMOKE_CHECK_MODE),
    };
}
function smokeCheckMode(value) {
    if (value === undefined || value === 'test-listener' || value === 'replacement-targets')
        return value ?? 'test-listener';
    throw new EnvironmentError(`SMOKE_CHECK_MODE is ${JSON.stringify(value)}; accepted: test-listener or replacement-targets`);
}
let cached;
/** The runtime of this container: metadata is read once, at the first invocation. */
function runtime(clients = exports.defaultClients, env = process.env, clock = Date.now) {
    cached ??= buildRuntime(clients, readEnv(env), clock).catch((error) => {
        cached = undefined;
        throw error;
    });
    return cached;
}
/** For tests: forget the cached runtime. */
function resetRuntime() {
    cached = undefined;
}
async function buildRuntime(clients, env, clock) {
    const metadata = await (0, service_parameters_1.readDeploymentMetadataParameter)(clients.ssm, env.metadataParameter);
    return {
        clients,
        env,
        metadata,
        audit: auditTable(clients, env),
        logger: exports.logger,
        clock,
    };
}
/** The audit table as the engine appends to it: signed with the service's key, anchored in its bucket. */
function auditTable(clients, env) {
    return {
        client: clients.dynamo,
        tableName: env.auditTableName,
        service: env.service,
        retentionDays: env.auditRetentionDays,
        ...(env.auditKeyArn ? { signer: { client: clients.kms, keyArn: env.auditKeyArn } } : {}),
        ...(env.auditAnchorBucket ? { anchors: { client: clients.s3, bucket: env.auditAnchorBucket } } : {}),
    };
}
