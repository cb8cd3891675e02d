"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parameterNames = void 0;
exports.hasCanaryRouting = hasCanaryRouting;
/**
 * Whether the rollout routes testers to the replacement by a listener rule (header, cookie or
 * both): the engine then creates the rules at the first shift and removes them on every path.
 */
function hasCanaryRouting(metadata) {
    return metadata.canaryHeader !== undefined || metadata.canaryCookie !== undefined;
}
/** The SSM parameter names a service uses. */
const parameterNames = (service) => ({
    deployment: `/ecs-canary/${service}/deployment`,
    freeze: `/ecs-canary/${service}/freeze`,
    control: `/ecs-canary/${service}/control`,
});
exports.parameterNames = parameterNames;
