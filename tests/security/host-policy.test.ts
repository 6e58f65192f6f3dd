/** The Host allow-list: which names count as the station, and how a Host header is read. */
import { describe, expect, it } from "vitest";
import { hostName, hostPolicy } from "../../station/server/access.js";

describe("host policy", () => {
  it("answers to the configured host, the loopback names and the extra names, in any case", () => {
    const p = hostPolicy("192.168.1.20", ["Station-7.local"]);
    for (const h of [
      "192.168.1.20:8080",
      "localhost:8080",
      "LOCALHOST",
      "127.0.0.1",
      "[::1]:8080",
      "station-7.local",
    ])
      expect(p.hosts.has(hostName(h) ?? ""), h).toBe(true);
  });

  it("refuses look-alikes and malformed Host headers", () => {
    const p = hostPolicy("127.0.0.1", []);
    for (const h of [
      "evil.example",
      "localhost.",
      "127.0.0.1.nip.io:8080",
      "localhost.evil.example",
      "127.0.0.2",
      "user@127.0.0.1",
      "127.0.0.1:8080/x",
      "127.0.0.1:80:80",
      "",
    ])
      expect(p.hosts.has(hostName(h) ?? ""), h).toBe(false);
  });

  it("brackets an IPv6 server host so it matches the Host header's form", () => {
    const p = hostPolicy("::1", ["fd00::5"]);
    expect(p.hosts.has(hostName("[fd00::5]:8080")!)).toBe(true);
  });
});
