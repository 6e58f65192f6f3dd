/**
 * The doctors' list data pack: who may sign in at the station's doctor console, with scrypt
 * hashes of their PINs (and of their own ID numbers, for card sign-in), never a PIN.
 *
 *   {v: 1, type: "doctors", county, doctors: [{id, name, villages, pinHash, idNumberHash?}]}
 *
 * Each doctor has the config's shape (config/schema.ts DoctorConfig). Installed, it replaces
 * the config's doctors whole (station/doctor/doctor-list.ts). Refused, with every reason for the
 * county and never the offending value: a PIN in clear (a `pin` field, or a pinHash of digits),
 * a malformed hash, scrypt costs a kiosk could not afford, another county's list, duplicate ids.
 */
import { z } from "zod";
import { DoctorConfig } from "../config/schema.js";
import type { DoctorList } from "../doctor/doctor-list.js";
import { PIN_RE } from "../doctor/secret-hash.js";
import { formatIssues } from "../domain/schema.js";
import type { PackCheck, PackKind } from "./packs.js";

export const DoctorsPackFile = z
  .object({
    v: z.literal(1),
    type: z.literal("doctors"),
    county: z.string().min(1).max(64),
    doctors: z.array(DoctorConfig).max(500),
  })
  .strict();
export type DoctorsPackFile = z.infer<typeof DoctorsPackFile>;

/** A hash whose cost would take the kiosk's memory or minutes per sign-in is refused. */
const MAX_N_TIMES_R = 2 ** 21; // 256 MiB of scrypt memory (128·N·r)

function hashCost(field: string, hash: string): string | null {
  const [, n, r, p] = hash.split("$").map(Number) as [number, number, number, number];
  if (n < 1024 || (n & (n - 1)) !== 0) return `${field}: scrypt N must be a power of two ≥ 1024`;
  if (r < 1 || r > 32 || p < 1 || p > 16) return `${field}: scrypt r must be 1–32 and p 1–16`;
  if (n * r > MAX_N_TIMES_R) return `${field}: scrypt cost too high for the station (N·r ≤ 2^21)`;
  return null;
}

/** Clear PINs are named before the schema speaks, so the county reads the real mistake. */
function clearPins(raw: unknown): string[] {
  const list = (raw as { doctors?: unknown })?.doctors;
  if (!Array.isArray(list)) return [];
  return list.flatMap((d, i) => {
    if (typeof d !== "object" || d === null) return [];
    const out: string[] = [];
    for (const k of Object.keys(d))
      if (/pin/i.test(k) && k !== "pinHash")
        out.push(
          `doctors.${i}.${k}: a PIN in clear is refused; send only hashes from \`health-station hash-pin\``,
        );
    const h = (d as { pinHash?: unknown }).pinHash;
    if (typeof h === "string" && PIN_RE.test(h.trim()))
      out.push(`doctors.${i}.pinHash: a PIN in clear, not a hash; make one with \`health-station hash-pin\``);
    return out;
  });
}

export function checkDoctorsPack(bytes: Buffer, county: string): PackCheck<DoctorsPackFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    return { ok: false, errors: [`(root): not JSON: ${(err as Error).message}`] };
  }
  const clear = clearPins(raw);
  if (clear.length > 0) return { ok: false, errors: clear };
  const r = DoctorsPackFile.safeParse(raw);
  if (!r.success) return { ok: false, errors: formatIssues(r.error) };
  const errors: string[] = [];
  if (r.data.county !== county)
    errors.push(`county: the list is for ${r.data.county}, this station is in ${county}`);
  const seen = new Set<string>();
  r.data.doctors.forEach((d, i) => {
    if (seen.has(d.id)) errors.push(`doctors.${i}.id: ${d.id} appears twice`);
    seen.add(d.id);
    for (const [f, h] of [
      ["pinHash", d.pinHash],
      ["idNumberHash", d.idNumberHash],
    ] as const) {
      const bad = h ? hashCost(`doctors.${i}.${f}`, h) : null;
      if (bad) errors.push(bad);
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: r.data };
}

export function doctorsPack(target: DoctorList, county: string): PackKind<DoctorsPackFile> {
  return {
    check: (b) => checkDoctorsPack(b, county),
    apply: (pack, version) => target.setPack(pack.doctors, version),
  };
}
