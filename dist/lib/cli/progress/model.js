"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.progressState = progressState;
exports.newestReason = newestReason;
const bake_1 = require("./bake");
/** Audit records of one deployment, newest first (as read). */
function progressState(metadata, snapshot, weights, records) {
    const mine = records.filter((r) => r.deploymentId === snapshot.deploymentId);
    const newestWithStage = mine.find((r) => r.stage !== undefined);
    const steps = metadata.plan.windows.flatMap((w) => w.steps);
    let stage;
    if (newestWithStage?.stage) {
        const { index, weight } = newestWithStage.stage;
        const postTraffic = newestWithStage.hook === 'AfterAllowTraffic' || weight >= 100;
        stage = { number: postTraffic ? steps.length + 1 : index + 1, of: steps.length, weight, postTraffic };
    }
    // In data-minutes as the judge counts them, not wall time: CloudWatch is 1–3 minutes late.
    const bake = snapshot.terminal ? undefined : (0, bake_1.bakeView)(mine, newestWithStage, metadata.plan);
    const newestVerdict = mine.find((r) => r.verdict !== undefined);
    const lastVerdict = newestVerdict
        ? {
            verdict: newestVerdict.verdict,
            reason: newestVerdict.reason,
            at: newestVerdict.at,
            seq: newestVerdict.sk,
            checks: (newestVerdict.reasons ?? []).map((r) => `${r.check} ${r.status}: ${r.detail || `${r.observed} (bar ${r.bar})`}`),
        }
        : undefined;
    const fallbackWeights = newestWithStage?.weights ?? snapshot.codeDeployWeights;
    return {
        service: metadata.service,
        deploymentId: snapshot.deploymentId,
        status: snapshot.status,
        terminal: snapshot.terminal,
        lifecycleEvent: snapshot.terminationWait ? 'termination wait (canary promote ends it)' : snapshot.currentEvent,
        stage,
        weights: weights ?? fallbackWeights,
        bake,
        lastVerdict,
        errorMessage: snapshot.errorMessage,
    };
}
/** Verdicts that end a deployment badly: their reason explains a failure best. */
const FAILING_VERDICTS = new Set(['rollback', 'fail', 'abort']);
/**
 * Why a deployment ended, from its audit records (newest first): the newest failing decision's
 * reason (the judge's words), else the newest reason of any record, else undefined.
 */
function newestReason(records, deploymentId) {
    const mine = records.filter((r) => r.deploymentId === deploymentId && r.reason);
    return (mine.find((r) => r.verdict !== undefined && FAILING_VERDICTS.has(r.verdict)) ?? mine[0])?.reason;
}
