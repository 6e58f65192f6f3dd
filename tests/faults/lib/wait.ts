/** Bounded polling with a failure message that says what was awaited and what was last seen. */

export async function until<T>(
  probe: () => Promise<T> | T,
  ok: (v: T) => boolean,
  what: string,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastErr: unknown = null;
  for (;;) {
    try {
      last = await probe();
      lastErr = null;
      if (ok(last)) return last;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() >= end) break;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const seen = lastErr ? `error: ${(lastErr as Error).message}` : `last seen: ${JSON.stringify(last)}`;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${seen})`);
}

/** Resolves when `text()` matches `re`; rejects if `exited()` says the process is gone first. */
export async function waitForOutput(
  text: () => string,
  re: RegExp,
  exited: () => boolean,
  what: string,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const m = re.exec(text());
    if (m) return m;
    if (exited()) throw new Error(`${what} exited before printing ${re}:\n${text().slice(-4000)}`);
    if (Date.now() >= end)
      throw new Error(`${what}: no ${re} within ${timeoutMs} ms:\n${text().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
