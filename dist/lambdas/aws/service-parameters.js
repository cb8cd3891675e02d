"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseDeploymentMetadata = parseDeploymentMetadata;
exports.parseFreeze = parseFreeze;
exports.readDeploymentMetadata = readDeploymentMetadata;
exports.readDeploymentMetadataParameter = readDeploymentMetadataParameter;
exports.readFreeze = readFreeze;
/**
 * Reads what a service stack publishes in SSM: the deployment metadata and the freeze switch.
 * One reader for everyone: the CLI, the cdk-deploy resource and the engine's Lambdas.
 * The parse functions are pure; the read functions are thin SSM adapters.
 */
const client_ssm_1 = require("@aws-sdk/client-ssm");
// zod/mini: the same schemas as zod's classic API at a fraction of the bundle, because this file
// runs in every engine Lambda (the classic API added ~440 KB and ~60 ms of cold start to each).
const z = __importStar(require("zod/mini"));
const metadata_1 = require("../core/metadata");
const deploy_errors_1 = require("./deploy-errors");
const text = z.string('accepted: a non-empty string').check(z.minLength(1, 'accepted: a non-empty string'));
const port = z.number('accepted: a port from 1 to 65535').check(z.int('accepted: a whole number'), z.minimum(1, 'accepted: a port from 1 to 65535'), z.maximum(65535, 'accepted: a port from 1 to 65535'));
const num = z.number('accepted: a number');
const targetGroup = z.object({ arn: text, fullName: text, name: text });
/** The parts of the metadata the CLI, the deploy path and the engine rely on; the rest passes through. */
const metadataSchema = z.looseObject({
    version: z.literal(1, 'accepted: 1 (the document version this ecs-canary reads)'),
    service: text,
    applicationName: text,
    deploymentGroupName: text,
    taskDefinitionFamily: text,
    containerName: text,
    containerPort: port,
    productionListenerArn: text,
    testListenerPort: port,
    loadBalancerDnsName: text,
    loadBalancerFullName: text,
    thresholds: z.looseObject({ maxErrorRatePercent: num, maxP95Ms: num, minRequests: num, maxErrorIncreasePp: num, maxLatencyRatio: num }),
    smokeChecks: z.array(z.looseObject({ path: z.string(), expectStatus: num })),
    targetGroups: z.tuple([targetGroup, targetGroup], 'accepted: exactly two target groups'),
    plan: z.looseObject({
        windows: z.array(z.looseObject({ hook: z.string(), steps: z.array(z.looseObject({ weight: num, bakeMinutes: num })) })),
        holdLimitMinutes: num,
        postTrafficBakeMinutes: num,
    }),
    hooks: z.optional(z.record(z.string(), z.string())),
    auditTableName: z.optional(text),
    auditKeyArn: z.optional(text),
    auditAnchorBucket: z.optional(text),
    controlParameterName: z.optional(text),
    freezeParameterName: text,
});
/** Parses and checks the JSON of `/ecs-canary/<service>/deployment`. Throws `DeployConfigError`. */
function parseDeploymentMetadata(json, parameterName) {
    let value;
    try {
        value = JSON.parse(json);
    }
    catch (cause) {
        throw new deploy_errors_1.DeployConfigError(`${parameterName} is not JSON (${cause.message}); it is written by the service stack, redeploy EcsCanary-<service>`, parameterName, { cause });
    }
    const parsed = metadataSchema.safeParse(value);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue.path.join('.') || '(root)';
        const got = issue.path.reduce((v, key) => v?.[key], value);
        throw new deploy_errors_1.DeployConfigError(`${parameterName}: field ${field} is ${JSON.stringify(got)}; ${issue.message}. The parameter is written by the service stack; redeploy it with this version of ecs-canary`, field);
    }
    return parsed.data;
}
const freezeSchema = z.object({ frozen: z.boolean(), reason: z.optional(z.string()), by: z.optional(z.string()), at: z.optional(z.string()), callerArn: z.optional(z.string()) });
/** Parses the freeze parameter's value. Throws `DeployConfigError` for anything else. */
function parseFreeze(json, parameterName) {
    try {
        return freezeSchema.parse(JSON.parse(json));
    }
    catch (cause) {
        throw new deploy_errors_1.DeployConfigError(`${parameterName} is ${JSON.stringify(json)}; accepted: {"frozen":true|false, "reason"?, "by"?, "at"?, "callerArn"?} (use canary freeze / unfreeze to write it)`, parameterName, { cause });
    }
}
/** Reads and checks the deployment metadata; a missing parameter is a `DeployConfigError`. */
async function readDeploymentMetadata(ssm, service) {
    const name = (0, metadata_1.parameterNames)(service).deployment;
    const value = await readParameter(ssm, name);
    if (value === undefined) {
        throw new deploy_errors_1.DeployConfigError(`no SSM parameter ${name}: is the stack EcsCanary-${service} deployed in this account and region? (check the service name, --region and --profile)`, name);
    }
    const metadata = parseDeploymentMetadata(value, name);
    if (metadata.service !== service) {
        throw new deploy_errors_1.DeployConfigError(`${name} describes service ${JSON.stringify(metadata.service)}, not ${JSON.stringify(service)}`, 'service');
    }
    return metadata;
}
/**
 * Reads and checks the deployment metadata by parameter name (the cdk-deploy resource is given
 * the name by its stack); a missing parameter is a `DeployConfigError`.
 */
async function readDeploymentMetadataParameter(ssm, parameterName) {
    const value = await readParameter(ssm, parameterName);
    if (value === undefined) {
        throw new deploy_errors_1.DeployConfigError(`no SSM parameter ${parameterName}: the service stack writes it before the cdk-deploy resource runs`, parameterName);
    }
    return parseDeploymentMetadata(value, parameterName);
}
/**
 * Reads the freeze switch. The service stack creates it, so a missing switch is an error, never
 * "not frozen": a kill switch that was deleted must not fail open. `canary unfreeze` recreates it.
 */
async function readFreeze(ssm, parameterName) {
    const value = await readParameter(ssm, parameterName);
    if (value === undefined) {
        throw new deploy_errors_1.DeployConfigError(`no SSM parameter ${parameterName}: the service stack creates the freeze switch; redeploy the stack, or run canary unfreeze <service> to recreate it as not frozen`, parameterName);
    }
    return parseFreeze(value, parameterName);
}
/** A parameter's value, or undefined when it does not exist. */
async function readParameter(ssm, name) {
    try {
        const result = await ssm.send(new client_ssm_1.GetParameterCommand({ Name: name }));
        return result.Parameter?.Value;
    }
    catch (error) {
        if (error.name === 'ParameterNotFound')
            return undefined;
        throw (0, deploy_errors_1.toAwsCallError)(error, 'ssm:GetParameter');
    }
}
