/**
 * What a person's name may contain. Names come from the card reader and from the doctor's
 * keypad, and end up on screen, on the printed slip and in the county archive. Control
 * characters and invisible format characters (bidi overrides and isolates such as U+202E,
 * zero-width joiners) are refused: they can reorder or hide text on the slip and in the archive.
 * The middle dot of minority names (U+00B7) is ordinary punctuation and stays allowed.
 */
import { z } from "zod";

export const NAME_MAX = 30;
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Why a (trimmed) name is unacceptable, or null when it is fine. */
export function nameProblem(name: string): "empty" | "too-long" | "control-character" | null {
  if (!name) return "empty";
  if ([...name].length > NAME_MAX) return "too-long";
  if (FORBIDDEN.test(name)) return "control-character";
  return null;
}

export const PersonName = z
  .string()
  .max(NAME_MAX)
  .refine((s) => !FORBIDDEN.test(s), "a name may not contain control or bidi-override characters");
