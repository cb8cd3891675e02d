"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.gateProblem = gateProblem;
exports.decideHook = decideHook;
/** Why the gate fails, or undefined when it passes. Freeze first: nothing else matters then. */
function gateProblem(input) {
    if (input.freeze?.frozen) {
        const who = input.freeze.by ? ` by ${input.freeze.by}` : '';
        const when = input.freeze.at ? ` at ${input.freeze.at}` : '';
        return `deployments of ${input.service} are frozen${who}${when}: ${input.freeze.reason ?? 'no reason given'}; no production traffic was shifted`;
    }
    if (input.errors.length > 0)
        return `cannot check the replacement before production traffic: ${input.errors.join('; ')}`;
    const failedSmoke = input.smoke.filter((s) => s.status !== s.expectStatus);
    if (failedSmoke.length > 0) {
        return `smoke checks failed through the test listener: ${failedSmoke.map((s) => `GET ${s.url} → ${s.status ?? s.error} (expected ${s.expectStatus})`).join('; ')}`;
    }
    const health = input.replacementHealth;
    if (health !== undefined && health.healthy < 1) {
        return `the replacement target group has no healthy target (${health.healthy} healthy, ${health.unhealthy} unhealthy)`;
    }
    return undefined;
}
function decideHook(input) {
    const problem = gateProblem(input);
    const base = { kind: 'decision', deploymentId: input.deploymentId, hook: input.hook, actor: 'engine' };
    const figures = {
        smoke: input.smoke.map((s) => ({ url: s.url, status: s.status ?? null, expect: s.expectStatus, ...(s.error ? { error: s.error } : {}) })),
        ...(input.replacementHealth ? { canaryTargets: input.replacementHealth } : {}),
        ...(input.freeze ? { frozen: input.freeze.frozen } : {}),
    };
    const notify = (severity, message) => ({ kind: 'notify', severity, subject: `[${severity}] ${input.service} ${input.deploymentId} ${input.hook}`, message });
    const header = input.canaryHeader ? [{ kind: 'removeHeaderRule' }] : [];
    if (problem) {
        const draft = { ...base, verdict: 'fail', action: 'restore 100% to the original and report Failed', reason: problem, figures };
        return {
            passed: false,
            reason: problem,
            startExecution: false,
            actions: [
                { kind: 'audit', draft },
                ...header,
                { kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 },
                { kind: 'reportHook', status: 'Failed' },
                notify('critical', `${input.hook} failed: ${problem}`),
            ],
        };
    }
    if (!input.windowHasWork) {
        const reason = `${input.hook}: the plan has no step in this window; weights stay as the previous window left them`;
        return {
            passed: true,
            reason,
            startExecution: false,
            actions: [{ kind: 'audit', draft: { ...base, verdict: 'succeed', action: 'report Succeeded', reason, figures } }, ...header, { kind: 'reportHook', status: 'Succeeded' }, notify('info', reason)],
        };
    }
    const reason = `${input.hook}: checks passed (${input.smoke.length} smoke checks${input.replacementHealth ? `, ${input.replacementHealth.healthy} healthy replacement targets` : ''}); starting the rollout execution`;
    return {
        passed: true,
        reason,
        startExecution: true,
        actions: [{ kind: 'audit', draft: { ...base, verdict: 'start', action: 'start the rollout execution', reason, figures } }],
    };
}
