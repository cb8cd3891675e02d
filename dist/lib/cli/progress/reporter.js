"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ProgressReporter = void 0;
exports.outputMode = outputMode;
const render_1 = require("./render");
function outputMode(stream, json) {
    if (json)
        return 'json';
    return stream.isTTY ? 'tty' : 'plain';
}
class ProgressReporter {
    out;
    mode;
    now;
    frameLines = 0;
    lastKey;
    constructor(out, mode, now) {
        this.out = out;
        this.mode = mode;
        this.now = now;
    }
    /** A one-off message (deployment created, refusal, notes). */
    info(message, event) {
        if (this.mode === 'json') {
            const { type, ...body } = event ?? { type: 'info', message };
            this.out.write(`${(0, render_1.renderJsonEvent)(type, { ...body, message }, this.now())}\n`);
            return;
        }
        this.frameLines = 0;
        this.out.write(this.mode === 'plain' ? `${this.now().toISOString()} ${message}\n` : `${message}\n`);
    }
    update(state) {
        if (this.mode === 'tty') {
            const lines = (0, render_1.renderFrame)(state, this.out.columns || 100);
            this.out.write((0, render_1.redraw)(this.frameLines, lines));
            this.frameLines = lines.length;
            return;
        }
        const key = (0, render_1.plainKey)(state);
        if (key === this.lastKey)
            return;
        this.lastKey = key;
        this.out.write(this.mode === 'json' ? `${(0, render_1.renderJsonEvent)('progress', state, this.now())}\n` : `${(0, render_1.renderPlainLine)(state, this.now())}\n`);
    }
}
exports.ProgressReporter = ProgressReporter;
