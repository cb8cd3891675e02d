"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderAppSpec = exports.AppSpecError = exports.appSpecRevision = void 0;
/** The AppSpec renderer lives with the Lambda code that also uses it (the cdk-deploy resource). */
var appspec_1 = require("../../lambdas/core/appspec");
Object.defineProperty(exports, "appSpecRevision", { enumerable: true, get: function () { return appspec_1.appSpecRevision; } });
Object.defineProperty(exports, "AppSpecError", { enumerable: true, get: function () { return appspec_1.AppSpecError; } });
Object.defineProperty(exports, "renderAppSpec", { enumerable: true, get: function () { return appspec_1.renderAppSpec; } });
