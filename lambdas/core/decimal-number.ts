/**
 * True for a number written in decimal (`2`, `0.5`, `1e3`): `Number` also reads `0x10`, `0b1` and
 * `0o7`, and reads a blank string as 0, none of which anybody means as a figure.
 */
export function isDecimalNumber(value: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim());
}
