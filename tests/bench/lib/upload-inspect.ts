/**
 * Live heap of a Node process started with `--inspect=127.0.0.1:0`, after a full GC, over the
 * DevTools protocol. RSS also counts garbage not yet collected; this is what the process retains.
 */
import WebSocket from "ws";

/** The inspector URL Node prints on stderr ("Debugger listening on ws://…"). */
export function inspectorUrl(output: string): string {
  const m = /Debugger listening on (ws:\/\/\S+)/.exec(output);
  if (!m) throw new Error(`no inspector URL in the process output:\n${output.slice(0, 1000)}`);
  return m[1]!;
}

export async function heapAfterGcMb(url: string): Promise<number> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let next = 1;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = next++;
      const t = setTimeout(() => reject(new Error(`inspector ${method}: no answer in 30 s`)), 30_000);
      const onMessage = (data: WebSocket.RawData) => {
        const msg = JSON.parse(data.toString()) as { id?: number; result?: Record<string, unknown> };
        if (msg.id !== id) return;
        clearTimeout(t);
        ws.off("message", onMessage);
        resolve(msg.result ?? {});
      };
      ws.on("message", onMessage);
      ws.send(JSON.stringify({ id, method }));
    });
  try {
    await call("HeapProfiler.collectGarbage");
    const usage = await call("Runtime.getHeapUsage");
    return Number(usage.usedSize) / 1024 / 1024;
  } finally {
    ws.close();
  }
}
