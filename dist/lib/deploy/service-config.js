"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readFreeze = exports.readDeploymentMetadataParameter = exports.readDeploymentMetadata = exports.parseFreeze = exports.parseDeploymentMetadata = void 0;
/** Reading the service's SSM parameters lives with the Lambda code that also reads them (the cdk-deploy resource). */
var service_parameters_1 = require("../../lambdas/aws/service-parameters");
Object.defineProperty(exports, "parseDeploymentMetadata", { enumerable: true, get: function () { return service_parameters_1.parseDeploymentMetadata; } });
Object.defineProperty(exports, "parseFreeze", { enumerable: true, get: function () { return service_parameters_1.parseFreeze; } });
Object.defineProperty(exports, "readDeploymentMetadata", { enumerable: true, get: function () { return service_parameters_1.readDeploymentMetadata; } });
Object.defineProperty(exports, "readDeploymentMetadataParameter", { enumerable: true, get: function () { return service_parameters_1.readDeploymentMetadataParameter; } });
Object.defineProperty(exports, "readFreeze", { enumerable: true, get: function () { return service_parameters_1.readFreeze; } });
