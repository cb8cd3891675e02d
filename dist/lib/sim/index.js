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
/**
 * Simulation shared by the judge benchmark, the engine's end-to-end tests and `canary simulate`:
 * a seeded two-target-group service (`TrafficWorld`) and a CloudWatch-like view of it.
 */
__exportStar(require("./cloudwatch"), exports);
__exportStar(require("./latency"), exports);
__exportStar(require("./random"), exports);
__exportStar(require("./scenario"), exports);
__exportStar(require("./slow-requests"), exports);
__exportStar(require("./traffic"), exports);
