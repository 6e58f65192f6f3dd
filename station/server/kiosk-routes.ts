/** The kiosk's own API: state for the screen, and the same UI actions the screen sends on /ws. */
import { formatIssues } from "../domain/schema.js";
import { UiAction } from "../protocol.js";
import type { Hub } from "../runtime/hub.js";
import { StationError } from "../util/errors.js";
import type { Route } from "./routes.js";

export function kioskRoutes(o: { hub: Hub; action: (a: UiAction) => void; health: () => unknown }): Route[] {
  return [
    { method: "GET", path: "/api/health", access: "kiosk", handle: () => o.health() },
    { method: "GET", path: "/api/state", access: "kiosk", handle: () => o.hub.get("workflow/state") ?? null },
    { method: "GET", path: "/api/upload", access: "kiosk", handle: () => o.hub.get("upload/status") ?? null },
    {
      method: "POST",
      path: "/api/action",
      access: "kiosk",
      handle: ({ body }) => {
        const r = UiAction.safeParse(body);
        if (!r.success) throw new StationError("bad-request", formatIssues(r.error).join("; "));
        o.action(r.data);
        return { ok: true };
      },
    },
  ];
}
