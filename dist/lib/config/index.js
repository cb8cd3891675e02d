"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.serviceConfigSchema = exports.SERVICE_NAME_PATTERN = exports.IMAGE_PATTERN = exports.DEFAULT_STEPS = exports.validateServiceConfig = exports.parseServiceConfig = exports.loadServiceConfigs = exports.loadServiceConfigFile = exports.formatPath = exports.SERVICES_DIR_ENV = exports.DEFAULT_SERVICES_DIR = exports.configSource = exports.FARGATE_SIZES = exports.fargateSizeProblem = exports.ConfigError = void 0;
__exportStar(require("./aws-limits"), exports);
var errors_1 = require("./errors");
Object.defineProperty(exports, "ConfigError", { enumerable: true, get: function () { return errors_1.ConfigError; } });
var fargate_sizes_1 = require("./fargate-sizes");
Object.defineProperty(exports, "fargateSizeProblem", { enumerable: true, get: function () { return fargate_sizes_1.fargateSizeProblem; } });
Object.defineProperty(exports, "FARGATE_SIZES", { enumerable: true, get: function () { return fargate_sizes_1.FARGATE_SIZES; } });
var loader_1 = require("./loader");
Object.defineProperty(exports, "configSource", { enumerable: true, get: function () { return loader_1.configSource; } });
Object.defineProperty(exports, "DEFAULT_SERVICES_DIR", { enumerable: true, get: function () { return loader_1.DEFAULT_SERVICES_DIR; } });
Object.defineProperty(exports, "SERVICES_DIR_ENV", { enumerable: true, get: function () { return loader_1.SERVICES_DIR_ENV; } });
Object.defineProperty(exports, "formatPath", { enumerable: true, get: function () { return loader_1.formatPath; } });
Object.defineProperty(exports, "loadServiceConfigFile", { enumerable: true, get: function () { return loader_1.loadServiceConfigFile; } });
Object.defineProperty(exports, "loadServiceConfigs", { enumerable: true, get: function () { return loader_1.loadServiceConfigs; } });
Object.defineProperty(exports, "parseServiceConfig", { enumerable: true, get: function () { return loader_1.parseServiceConfig; } });
Object.defineProperty(exports, "validateServiceConfig", { enumerable: true, get: function () { return loader_1.validateServiceConfig; } });
var schema_1 = require("./schema");
Object.defineProperty(exports, "DEFAULT_STEPS", { enumerable: true, get: function () { return schema_1.DEFAULT_STEPS; } });
Object.defineProperty(exports, "IMAGE_PATTERN", { enumerable: true, get: function () { return schema_1.IMAGE_PATTERN; } });
Object.defineProperty(exports, "SERVICE_NAME_PATTERN", { enumerable: true, get: function () { return schema_1.SERVICE_NAME_PATTERN; } });
Object.defineProperty(exports, "serviceConfigSchema", { enumerable: true, get: function () { return schema_1.serviceConfigSchema; } });
