/**
 * Compiles the published JSON Schema files (docs/schemas/) with Ajv, so the archive checks
 * payloads against exactly what an outside archive would read. The files are found by walking
 * up from this module, which works from the source tree and from dist/.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { FormatsPlugin } from "ajv-formats";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormatsAny = addFormatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = addFormatsAny.default ?? addFormatsAny;

export interface Validators {
  /** record-message.v1.json */
  record: ValidateFunction;
  /** record-message.v2.json: v2 adds the doctor's assisted check-up and follow-up form. */
  recordV2: ValidateFunction;
  /** record-message.v3.json: v3 is a doctor's correction naming the record it supersedes. */
  recordV3: ValidateFunction;
  ack: ValidateFunction;
  /** audit-message.v1.json: the doctor's audit log. */
  audit: ValidateFunction;
  /** outcome-message.v1.json: the doctor's list outcomes. */
  outcome: ValidateFunction;
}

/** Walks up from `from` until `rel` exists below a directory; null at the filesystem root. */
export function findUp(from: string, rel: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = join(dir, rel);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

export function schemaDir(from = import.meta.dirname): string {
  const found = findUp(from, join("docs", "schemas", "record-message.v1.json"));
  if (!found) throw new Error(`docs/schemas/record-message.v1.json not found above ${from}`);
  return dirname(found);
}

export function loadValidators(dir = schemaDir()): Validators {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8")) as object;
  return {
    record: ajv.compile(read("record-message.v1.json")),
    recordV2: ajv.compile(read("record-message.v2.json")),
    recordV3: ajv.compile(read("record-message.v3.json")),
    ack: ajv.compile(read("ack-message.v1.json")),
    audit: ajv.compile(read("audit-message.v1.json")),
    outcome: ajv.compile(read("outcome-message.v1.json")),
  };
}

/** `record.person.name: must NOT have more than 30 characters`, at most `max` of them. */
export function formatAjvErrors(errors: ErrorObject[] | null | undefined, max = 3): string {
  const list = (errors ?? []).filter((e) => e.keyword !== "anyOf" && e.keyword !== "oneOf");
  const shown = (list.length ? list : (errors ?? [])).slice(0, max);
  const text = shown.map((e) => `${e.instancePath.slice(1).replaceAll("/", ".") || "(root)"}: ${e.message}`);
  const more = (errors?.length ?? 0) - shown.length;
  return more > 0 ? `${text.join("; ")} (+${more} more)` : text.join("; ");
}
