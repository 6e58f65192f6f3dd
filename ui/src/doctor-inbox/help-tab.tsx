/**
 * Help requests waiting for a doctor. The doctor taps one and says what happened; the server
 * audits it, and the request leaves this list, the status strip and the fleet alarm.
 */
import { useEffect, useState } from "preact/hooks";
import type { Lang } from "../i18n.js";
import { HELP_OUTCOMES, type HelpRow, type InboxRequest, inboxRequest } from "./api.js";
import { Paged } from "./paged.js";
import { it } from "./texts.js";

export function HelpTab(p: {
  lang: Lang;
  request?: InboxRequest;
  onMessage: (m: string | null) => void;
  onChanged?: () => void;
}) {
  const request = p.request ?? inboxRequest;
  const tr = (k: string, params?: Record<string, string | number>) => it(p.lang, k, params);
  const [rows, setRows] = useState<HelpRow[] | null>(null);
  const [picked, setPicked] = useState<HelpRow | null>(null);
  const [version, setVersion] = useState(0);
  const fail = (e: unknown) => p.onMessage(tr("error", { msg: (e as Error).message }));
  useEffect(() => {
    request("GET", "help").then((r) => setRows((r as { waiting: HelpRow[] }).waiting), fail);
  }, [version]);
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString(p.lang === "zh" ? "zh-CN" : "en-GB", {
      hour12: false,
      hour: "2-digit",
      minute: "2-digit",
    });

  if (picked)
    return (
      <div class="dl-body dl-panel" data-testid="help-outcome">
        <h2 class="dl-h">
          {tr("helpTitle")} · {tr("helpAt", { time: time(picked.at) })}
        </h2>
        <div class="dl-grid">
          {HELP_OUTCOMES.map((k) => (
            <button
              type="button"
              key={k}
              class="dl-big"
              data-testid={`help-${k}`}
              onClick={() =>
                request("POST", "help/clear", { id: picked.id, outcome: k }).then(() => {
                  p.onMessage(tr("helpCleared", { what: tr(`help.${k}`) }));
                  setPicked(null);
                  setVersion((v) => v + 1);
                  p.onChanged?.();
                }, fail)
              }
            >
              {tr(`help.${k}`)}
            </button>
          ))}
        </div>
        <button type="button" class="dl-chip dl-cancel" data-testid="cancel" onClick={() => setPicked(null)}>
          {tr("cancel")}
        </button>
      </div>
    );
  return (
    <Paged
      items={rows}
      empty={tr("helpEmpty")}
      testId="help-list"
      tr={tr}
      row={(r) => (
        <li key={r.id}>
          <button
            type="button"
            class="dl-row dl-row-high"
            data-testid="help-row"
            onClick={() => {
              p.onMessage(null);
              setPicked(r);
            }}
          >
            <span class="dl-who">
              <b>{tr("helpAt", { time: time(r.at) })}</b>
            </span>
            <span class="dl-when">{tr(`source.${r.source}`)}</span>
            <span class="dl-what">{tr("during", { step: tr(`step.${r.step}`) })}</span>
          </button>
        </li>
      )}
    />
  );
}
