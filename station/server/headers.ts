/**
 * Security headers on every response. The kiosk is a local app: everything it loads comes from
 * the station itself, so the policy names nothing but 'self'. The Vite build emits no inline
 * script (tests/security/ui-build.test.ts checks), so none is allowed; Preact sets styles through
 * the CSSOM, which style-src does not restrict.
 */
import type { ServerResponse } from "node:http";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "media-src 'self'",
  // 'self' covers ws:// to the same host in current browsers (CSP Level 3).
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  // No Cross-Origin-Resource-Policy: the boot page (deploy/kiosk/starting.html, a file://
  // page) polls /api/health with a no-cors fetch and needs any answer, even a refusal, to
  // arrive. Cross-site requests to the API are refused by the origin check and carry no data.
};

export function setSecurityHeaders(res: ServerResponse): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
}
