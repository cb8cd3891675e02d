"use strict";
/** Types of the judge's callable surface; re-exported by `lambdas/core/judge.ts`. */
Object.defineProperty(exports, "__esModule", { value: true });
