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
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.handlerEntry = handlerEntry;
/**
 * The entry file of a Lambda handler for `NodejsFunction`: `lambdas/handlers/<name>.ts` next to
 * `lib/` in the repository, or its compiled `<name>.js` next to `dist/lib/` in the built package,
 * which ships no TypeScript sources (docs/packaging.md). esbuild bundles either one.
 */
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const HANDLERS = path.join(__dirname, '..', 'lambdas', 'handlers');
/** `file` is the handler's source name, e.g. `tick.ts`. */
function handlerEntry(file) {
    const source = path.join(HANDLERS, file);
    return (0, node_fs_1.existsSync)(source) ? source : source.replace(/\.ts$/, '.js');
}
