import { z } from "zod";

/**
 * An enum that keeps values it does not know. A newer station or archive may send a value this
 * build has never seen; coercing it to a known one, or rejecting the record, would lose data
 * (docs/adr/0003-forward-compatible-enums.md).
 */
export type Open<T extends string> = T | (string & {});

export function openEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.union([z.enum(values), z.string().min(1).max(64)]) as unknown as z.ZodType<Open<T[number]>>;
}

export function isKnown<const T extends readonly string[]>(values: T, v: string): v is T[number] {
  return (values as readonly string[]).includes(v);
}
