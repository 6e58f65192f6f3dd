/**
 * Calls to the station's doctor routes (/api/doctor/…). Same-origin POSTs with a JSON body:
 * the browser adds the Origin header and the HttpOnly session cookie the server checks.
 */
export class DoctorApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type DoctorCall = (route: string, body?: unknown) => Promise<unknown>;

export const doctorCall: DoctorCall = async (route, body = {}) => {
  const res = await fetch(`/api/doctor/${route}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as { code?: string; error?: string; details?: unknown };
  if (!res.ok)
    throw new DoctorApiError(json.code ?? "error", json.error ?? res.statusText, res.status, json.details);
  return json;
};
