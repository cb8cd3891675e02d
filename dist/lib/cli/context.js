"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createClients = createClients;
exports.processDeps = processDeps;
exports.actor = actor;
/**
 * What every command needs from the outside world, injected so the commands are tested without
 * a terminal, a clock or AWS: output streams, environment, clock, sleep and the AWS clients.
 */
const node_os_1 = require("node:os");
const promises_1 = require("node:readline/promises");
const client_cloudwatch_1 = require("@aws-sdk/client-cloudwatch");
const client_codedeploy_1 = require("@aws-sdk/client-codedeploy");
const client_dynamodb_1 = require("@aws-sdk/client-dynamodb");
const client_ecs_1 = require("@aws-sdk/client-ecs");
const client_elastic_load_balancing_v2_1 = require("@aws-sdk/client-elastic-load-balancing-v2");
const client_kms_1 = require("@aws-sdk/client-kms");
const client_s3_1 = require("@aws-sdk/client-s3");
const client_ssm_1 = require("@aws-sdk/client-ssm");
const client_sts_1 = require("@aws-sdk/client-sts");
const lib_dynamodb_1 = require("@aws-sdk/lib-dynamodb");
const follow_1 = require("../deploy/follow");
/** SDK clients for the chosen region and profile, created once per command. */
function createClients(options) {
    const config = {
        ...(options.region ? { region: options.region } : {}),
        ...(options.profile ? { profile: options.profile } : {}),
    };
    return {
        ssm: new client_ssm_1.SSMClient(config),
        ecs: new client_ecs_1.ECSClient(config),
        codedeploy: new client_codedeploy_1.CodeDeployClient(config),
        elbv2: new client_elastic_load_balancing_v2_1.ElasticLoadBalancingV2Client(config),
        cloudwatch: new client_cloudwatch_1.CloudWatchClient(config),
        ddb: lib_dynamodb_1.DynamoDBDocumentClient.from(new client_dynamodb_1.DynamoDBClient(config), { marshallOptions: { removeUndefinedValues: true } }),
        kms: new client_kms_1.KMSClient(config),
        s3: new client_s3_1.S3Client(config),
        sts: new client_sts_1.STSClient(config),
    };
}
function processDeps() {
    return {
        stdout: process.stdout,
        stderr: process.stderr,
        env: process.env,
        now: () => new Date(),
        sleep: follow_1.realSleep,
        clients: createClients,
        stdin: process.stdin,
        ask: async (question) => {
            const rl = (0, promises_1.createInterface)({ input: process.stdin, output: process.stdout });
            try {
                return await rl.question(question);
            }
            finally {
                rl.close();
            }
        },
    };
}
/**
 * Who runs the command, for the audit and control records: `CANARY_ACTOR`, the CI's actor
 * (`GITHUB_ACTOR`, `GITLAB_USER_LOGIN`) or the local user, with the host.
 */
function actor(env) {
    if (env.CANARY_ACTOR)
        return env.CANARY_ACTOR;
    if (env.GITHUB_ACTOR)
        return `${env.GITHUB_ACTOR} (github-actions)`;
    if (env.GITLAB_USER_LOGIN)
        return `${env.GITLAB_USER_LOGIN} (gitlab-ci)`;
    let user = env.USER ?? env.LOGNAME;
    if (!user) {
        try {
            user = (0, node_os_1.userInfo)().username;
        }
        catch {
            user = 'unknown';
        }
    }
    return `${user}@${(0, node_os_1.hostname)()}`;
}
