/** Number formatting for the judge's reasons: figures a person on call reads at a glance. */

/** A rate as a percentage: 4.8%, 0.35%, 0.012%, 0%. */
export function percent(rate: number): string {
  if (!Number.isFinite(rate)) return 'n/a';
  const value = rate * 100;
  if (value === 0) return '0%';
  if (value >= 10) return `${value.toFixed(1)}%`;
  if (value >= 1) return `${value.toFixed(1)}%`;
  if (value >= 0.1) return `${value.toFixed(2)}%`;
  return `${value.toFixed(3)}%`;
}

/** "4.8% (12/250)" */
export function rateWithCounts(events: number, trials: number): string {
  return `${percent(trials > 0 ? events / trials : 0)} (${events}/${trials})`;
}

/** Evidence (a likelihood ratio) rounded for reading: 0.41, 3.2, 412, 1.2e+6. */
export function evidence(value: number): string {
  if (!Number.isFinite(value)) return 'huge';
  if (value >= 1e5) return value.toExponential(1);
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Milliseconds as minutes and seconds: "4 min 30 s", "45 s". */
export function duration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes === 0) return `${seconds} s`;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** Percentage points: "+4.5 pp". */
export function points(difference: number): string {
  const value = difference * 100;
  return `${value >= 0 ? '+' : ''}${value.toFixed(Math.abs(value) >= 1 ? 1 : 2)} pp`;
}
