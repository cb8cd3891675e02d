"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.progressState = progressState;
exports.stageView = stageView;
exports.verdictView = verdictView;
exports.newestReason = newestReason;
const bake_1 = require("./bake");
/** Audit records of one deployment, newest first (as read). */
function progressState(metadata, snapshot, weights, records) {
    const mine = records.filter((r) => r.deploymentId === snapshot.deploymentId);
    const newestWithStage = mine.find((r) => r.stage !== undefined);
    const stage = newestWithStage && stageView(newestWithStage, metadata.plan);
    // In data-minutes as the judge counts them, not wall time: CloudWatch is 1–3 minutes late.
    const bake = snapshot.terminal ? undefined : (0, bake_1.bakeView)(mine, newestWithStage, metadata.plan);
    const lastVerdict = verdictView(mine);
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
/** The stage a record names, numbered among the plan's steps (the post-traffic bake after them). */
function stageView(record, plan) {
    if (!record.stage)
        return undefined;
    const steps = plan.windows.flatMap((w) => w.steps);
    const { index, weight } = record.stage;
    const postTraffic = record.hook === 'AfterAllowTraffic' || weight >= 100;
    return { number: postTraffic ? steps.length + 1 : index + 1, of: steps.length, weight, postTraffic };
}
/** The newest verdict among `mine` (newest first), with one line per judge check. */
function verdictView(mine) {
    const newest = mine.find((r) => r.verdict !== undefined);
    return newest && {
        verdict: newest.verdict,
        reason: newest.reason,
        at: newest.at,
        seq: newest.sk,
        checks: (newest.reasons ?? []).map((r) => `${r.check} ${r.status}: ${r.detail || `${r.observed} (bar ${r.bar})`}`),
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
