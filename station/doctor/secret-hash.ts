/**
 * Slow, salted hashes for doctors' PINs and ID numbers (Node's crypto.scrypt). The stored form
 * carries its own parameters, so a county can raise the cost later without breaking old hashes:
 *   scrypt$N$r$p$<salt base64url>$<hash base64url>
 * A 4–8 digit PIN has little entropy; the hash only stops a copied config from showing PINs in
 * clear. The lockout (lockout.ts) is what stops guessing at the kiosk.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const KEY_LEN = 32;
/** N=2^14, r=8, p=1: about 50 ms on a Pi 4, the interactive figure in RFC 7914 §2. */
export const DEFAULT_PARAMS = { N: 16384, r: 8, p: 1 } as const;

export const SECRET_HASH_RE = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{40,}$/;

function scryptAsync(secret: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LEN, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashSecret(
  secret: string,
  params: { N: number; r: number; p: number } = DEFAULT_PARAMS,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, params.N, params.r, params.p);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Constant-time compare against a stored hash; a malformed hash never matches. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  if (!SECRET_HASH_RE.test(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split("$") as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, "base64url");
  const key = await scryptAsync(secret, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** PINs are 4–8 digits: short enough for a PIN pad, the lockout makes up for the rest. */
export const PIN_RE = /^\d{4,8}$/;
