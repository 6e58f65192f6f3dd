import { connect, createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { disableNagle } from "../../station/mqtt/no-delay.js";

describe("disableNagle", () => {
  it("sets TCP_NODELAY on a real socket once, and reports it", async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const sock: Socket = connect((server.address() as { port: number }).port, "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    let calls = 0;
    const orig = sock.setNoDelay.bind(sock);
    sock.setNoDelay = (on?: boolean) => {
      calls++;
      return orig(on);
    };
    expect(disableNagle({ stream: sock })).toBe(true);
    expect(disableNagle({ stream: sock })).toBe(true);
    expect(calls).toBe(1);
    sock.destroy();
    await new Promise((r) => server.close(r));
  });

  it("says false, and does nothing, when there is no TCP socket (not connected, WebSocket stream)", () => {
    expect(disableNagle(null)).toBe(false);
    expect(disableNagle(undefined)).toBe(false);
    expect(disableNagle({})).toBe(false);
    expect(disableNagle({ stream: { write() {} } })).toBe(false);
  });
});
