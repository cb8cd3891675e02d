"use strict";
/** Number formatting for the judge's reasons: figures a person on call reads at a glance. */
Object.defineProperty(exports, "__esModule", { value: true });
exports.percent = percent;
exports.rateWithCounts = rateWithCounts;
exports.evidence = evidence;
exports.duration = duration;
exports.points = points;
/** A rate as a percentage: 4.8%, 0.35%, 0.012%, 0%. */
function percent(rate) {
    if (!Number.isFinite(rate))
        return 'n/a';
    const value = rate * 100;
    if (value === 0)
        return '0%';
    if (value >= 10)
        return `${value.toFixed(1)}%`;
    if (value >= 1)
        return `${value.toFixed(1)}%`;
    if (value >= 0.1)
        return `${value.toFixed(2)}%`;
    return `${value.toFixed(3)}%`;
}
/** "4.8% (12/250)" */
function rateWithCounts(events, trials) {
    return `${percent(trials > 0 ? events / trials : 0)} (${events}/${trials})`;
}
/** Evidence (a likelihood ratio) rounded for reading: 0.41, 3.2, 412, 1.2e+6. */
function evidence(value) {
    if (!Number.isFinite(value))
        return 'huge';
    if (value >= 1e5)
        return value.toExponential(1);
    if (value >= 100)
        return value.toFixed(0);
    if (value >= 10)
        return value.toFixed(1);
    return value.toFixed(2);
}
/** Milliseconds as minutes and seconds: "4 min 30 s", "45 s". */
function duration(ms) {
    const totalSeconds = Math.max(0, Math.round(ms / 1000));
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    if (minutes === 0)
        return `${seconds} s`;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
/** Percentage points: "+4.5 pp". */
function points(difference) {
    const value = difference * 100;
    return `${value >= 0 ? '+' : ''}${value.toFixed(Math.abs(value) >= 1 ? 1 : 2)} pp`;
}
