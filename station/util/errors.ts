/**
 * Typed errors with a stable code. Thrown inside, caught once at each boundary (WebSocket
 * handler, HTTP route, MQTT handler, Node-RED node) and turned into an error envelope.
 */
export class StationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "StationError";
  }
}

export interface ErrorEnvelope {
  status: "error";
  code: string;
  error: string;
  transaction?: string;
}

export function toEnvelope(err: unknown, transaction?: string): ErrorEnvelope {
  if (err instanceof StationError)
    return { status: "error", code: err.code, error: err.message, ...(transaction ? { transaction } : {}) };
  const message = err instanceof Error ? err.message : String(err);
  return { status: "error", code: "internal", error: message, ...(transaction ? { transaction } : {}) };
}
