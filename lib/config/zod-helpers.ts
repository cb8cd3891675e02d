/** The zod builders every service-file schema uses: each failure says what is accepted. */
import { z } from 'zod';

export const accepts = (text: string) => ({ error: () => `accepted: ${text}` });

export const wholeNumber = (min: number, max: number, what = `a whole number from ${min} to ${max}`) =>
  z.number(accepts(what)).int(accepts(what)).min(min, accepts(what)).max(max, accepts(what));

/** `z.strictObject` whose unknown-key error lists the keys it accepts. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; accepted keys: ${known}`
        : `accepted: a mapping with the keys ${known}`,
  });
}
