"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parameterNames = void 0;
/** The SSM parameter names a service uses. */
const parameterNames = (service) => ({
    deployment: `/ecs-canary/${service}/deployment`,
    freeze: `/ecs-canary/${service}/freeze`,
});
exports.parameterNames = parameterNames;
