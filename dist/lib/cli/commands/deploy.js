"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerDeploy = registerDeploy;
exports.deploy = deploy;
const deployment_1 = require("../../deploy/deployment");
const errors_1 = require("../../deploy/errors");
const follow_1 = require("../../deploy/follow");
const service_config_1 = require("../../deploy/service-config");
const task_definition_1 = require("../../deploy/task-definition");
const exit_1 = require("../exit");
const observe_1 = require("../observe");
const model_1 = require("../progress/model");
const reporter_1 = require("../progress/reporter");
const plan_1 = require("./plan");
const render_1 = require("../../plan/render");
const shared_1 = require("./shared");
/** Failed progress reads in a row tolerated while following (the deployment goes on regardless). */
const FOLLOW_RETRIES = 5;
function registerDeploy(program, deps) {
    program
        .command('deploy')
        .description('ship an image through the gated rollout and follow it to the end')
        .argument('<service>', 'service name, as in services/<name>.yaml')
        .requiredOption('--image <uri>', 'container image to deploy, e.g. 1234.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2')
        .option('--no-wait', 'return after creating the deployment, printing its id')
        .option('--dry-run', 'print the task definition diff, the AppSpec and the plan; change nothing')
        .option('--poll-seconds <n>', 'seconds between progress reads', (0, shared_1.parsePositiveInt)('--poll-seconds'), 10)
        .option('--require-detect <pp>', 'refuse (exit 2) unless the plan catches this error increase (percentage points) before 100% at the last hour\'s traffic', (0, plan_1.parseNumberIn)('--require-detect', 'percentage points above 0 and at most 100, e.g. 2', (v) => v > 0 && v <= 100))
        .action(async (service, options, command) => {
        await deploy(service, { ...command.optsWithGlobals(), ...options }, deps);
    });
}
async function deploy(service, options, deps) {
    const problem = (0, task_definition_1.imageProblem)(options.image);
    if (problem)
        throw new exit_1.UsageError(problem);
    const clients = deps.clients((0, shared_1.awsOptions)(options));
    const reporter = new reporter_1.ProgressReporter(deps.stdout, (0, reporter_1.outputMode)(deps.stdout, options.json === true), deps.now);
    const metadata = await (0, service_config_1.readDeploymentMetadata)(clients.ssm, service);
    const revision = await (0, deployment_1.planImageRevision)(clients.ecs, {
        family: metadata.taskDefinitionFamily,
        containerName: metadata.containerName,
        image: options.image,
    });
    const commit = (0, deployment_1.ciCommit)(deps.env);
    const description = (0, deployment_1.deploymentDescription)(options.image, commit);
    await detectionSummary(metadata, options, deps, clients, reporter);
    if (options.dryRun) {
        await dryRun(metadata, revision, description, options, deps, clients);
        return;
    }
    await (0, deployment_1.assertDeployable)(clients, metadata);
    const taskDefinitionArn = await (0, deployment_1.registerRevision)(clients.ecs, revision);
    const deploymentId = await (0, deployment_1.createCanaryDeployment)(clients.codedeploy, { metadata, taskDefinitionArn, description });
    reporter.info(`created deployment ${deploymentId} of ${service}: ${options.image} as ${taskDefinitionArn}`, {
        type: 'created',
        deploymentId,
        taskDefinitionArn,
        image: options.image,
        ...(commit ? { commit } : {}),
    });
    if (!options.wait) {
        if (reporter.mode !== 'json')
            deps.stdout.write(`${deploymentId}\n`);
        return;
    }
    const result = await (0, follow_1.follow)({
        observe: () => (0, observe_1.observeDeployment)(clients, metadata, deploymentId),
        onUpdate: (observation) => reporter.update(observation.progress),
        sleep: deps.sleep,
        now: () => deps.now().getTime(),
        intervalMs: options.pollSeconds * 1000,
        retryError: (error, consecutive) => {
            const retry = (0, follow_1.retryTransient)(FOLLOW_RETRIES)(error, consecutive);
            if (retry)
                reporter.info(`reading progress failed (${error.message}); retrying (${consecutive}/${FOLLOW_RETRIES})`, { type: 'warning' });
            return retry;
        },
    }).catch((error) => {
        if (!(error instanceof errors_1.AwsCallError))
            throw error;
        throw new errors_1.AwsCallError(`${error.message}; deployment ${deploymentId} was created and goes on without this command (follow it with canary status ${service})`, error.code, error.operation, error.missingAction, { cause: error });
    });
    const outcome = (0, follow_1.deploymentOutcome)(result.last.snapshot, (0, model_1.newestReason)(result.last.records, deploymentId));
    if (!outcome.succeeded)
        throw new errors_1.DeploymentFailedError(outcome.reason, deploymentId, result.last.snapshot.status);
    reporter.info(outcome.reason, { type: 'result', exitCode: 0, deploymentId, status: 'Succeeded' });
}
/**
 * Prints what the plan can detect at the last hour's traffic; with `--require-detect` refuses a
 * plan that cannot catch it (and fails when the traffic cannot be read). Without the flag an
 * unreadable CloudWatch is a warning: the detection summary never blocks a deployment.
 */
async function detectionSummary(metadata, options, deps, clients, reporter) {
    let detection;
    try {
        detection = await (0, plan_1.measuredDetection)(clients, metadata, deps);
    }
    catch (error) {
        if (options.requireDetect !== undefined)
            throw error;
        reporter.info(`plan: the last hour's traffic could not be read (${error.message}); deploying without the detection summary`, { type: 'warning' });
        return;
    }
    const [line, ...more] = (0, render_1.summaryLines)(metadata.service, detection);
    reporter.info(line, { type: 'plan', ...detection });
    if (reporter.mode !== 'json')
        for (const next of more)
            reporter.info(next);
    if (options.requireDetect !== undefined)
        (0, plan_1.requireDetection)(detection, options.requireDetect, metadata.plan, metadata.thresholds);
}
/** Sleeps in one-second steps, redrawing after each. */
async function dryRun(metadata, revision, description, options, deps, clients) {
    const current = revision.current;
    const nextArn = `${current.taskDefinitionArn?.replace(/:\d+$/, '')}:${(current.revision ?? 0) + 1}`;
    const appSpec = (0, deployment_1.appSpecFor)(metadata, nextArn);
    let refusal;
    try {
        await (0, deployment_1.assertDeployable)(clients, metadata);
    }
    catch (error) {
        if (!(error instanceof errors_1.DeploymentBlockedError))
            throw error;
        refusal = error;
    }
    const blocker = refusal?.message;
    const steps = metadata.plan.windows.flatMap((w) => w.steps.map((s) => `  ${w.hook}: ${s.weight}% for ${s.bakeMinutes} min (holds up to ${metadata.plan.holdLimitMinutes} min more)`));
    if (options.json) {
        deps.stdout.write(`${JSON.stringify({ type: 'dry-run', service: metadata.service, changes: revision.changes, appSpec, description, plan: metadata.plan, refusal: blocker ?? null })}\n`);
    }
    else {
        const lines = [
            `dry run: nothing registered, nothing deployed`,
            `task definition ${current.taskDefinitionArn} → new revision of ${metadata.taskDefinitionFamily}:`,
            ...(0, task_definition_1.formatDiff)(revision.changes).map((l) => `  ${l}`),
            `AppSpec (${nextArn} stands for the revision that would be registered):`,
            ...JSON.stringify(appSpec, null, 2).split('\n').map((l) => `  ${l}`),
            `description: ${description}`,
            `plan:`,
            ...steps,
            `  AllowTraffic: CodeDeploy shifts to 100%`,
            `  AfterAllowTraffic: bake at 100% for ${metadata.plan.postTrafficBakeMinutes} min, then the original is terminated`,
            `  fastest clean rollout ${metadata.plan.totalBakeMinutes} min, worst case ${metadata.plan.worstCaseMinutes} min`,
            blocker ? `would refuse now: ${blocker}` : `would deploy now: not frozen, no deployment in progress`,
        ];
        deps.stdout.write(`${lines.join('\n')}\n`);
    }
    if (refusal)
        throw refusal;
}
