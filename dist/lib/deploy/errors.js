"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toAwsCallError = exports.DeploymentFailedError = exports.DeploymentBlockedError = exports.DeployConfigError = exports.awsCall = exports.AwsCallError = void 0;
/** The deploy path's named errors live with the Lambda code that also throws them (the cdk-deploy resource). */
var deploy_errors_1 = require("../../lambdas/aws/deploy-errors");
Object.defineProperty(exports, "AwsCallError", { enumerable: true, get: function () { return deploy_errors_1.AwsCallError; } });
Object.defineProperty(exports, "awsCall", { enumerable: true, get: function () { return deploy_errors_1.awsCall; } });
Object.defineProperty(exports, "DeployConfigError", { enumerable: true, get: function () { return deploy_errors_1.DeployConfigError; } });
Object.defineProperty(exports, "DeploymentBlockedError", { enumerable: true, get: function () { return deploy_errors_1.DeploymentBlockedError; } });
Object.defineProperty(exports, "DeploymentFailedError", { enumerable: true, get: function () { return deploy_errors_1.DeploymentFailedError; } });
Object.defineProperty(exports, "toAwsCallError", { enumerable: true, get: function () { return deploy_errors_1.toAwsCallError; } });
