"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.guardDecision = guardDecision;
function guardDecision(input) {
    const { deploymentId, state, weights } = input;
    const restore = weights === undefined || weights.replacement > 0;
    const reason = `deployment ${state === 'STOP' ? 'stopped' : 'failed'} (${state}); ${restore
        ? `the listener still sent ${weights?.replacement ?? 'an unknown share'}% to the replacement, restoring 100% to the original`
        : 'the listener already sends 100% to the original'}`;
    const record = {
        kind: 'audit',
        draft: {
            kind: 'event', deploymentId, verdict: 'restore',
            action: restore ? 'restore 100% to the original, remove the header rule, stop the rollout executions' : 'remove the header rule, stop the rollout executions',
            reason, actor: 'guard', ...(weights ? { weights } : {}), figures: { event: state },
        },
    };
    const actions = [
        ...(input.canaryHeader ? [{ kind: 'removeHeaderRule' }] : []),
        ...(restore ? [{ kind: 'setWeights', purpose: 'restore', original: 100, replacement: 0 }, { kind: 'putWeightMetric', weight: 0 }] : []),
        { kind: 'notify', severity: 'critical', subject: `[critical] ${input.service} ${deploymentId} ${state}`, message: reason },
    ];
    return { restore, reason, record, actions };
}
