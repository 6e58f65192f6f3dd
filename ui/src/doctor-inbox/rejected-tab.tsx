/**
 * Records the county archive rejected: the reason, the day and the masked person. Opening one
 * shows the values the rejection is about; the doctor corrects them on the keypad, picks why,
 * and the station saves a NEW record that supersedes the rejected one and uploads it.
 */
import { useEffect, useState } from "preact/hooks";
import type { Lang } from "../i18n.js";
import {
  CORRECTION_REASONS,
  correctionBody,
  formFields,
  type InboxRequest,
  inboxRequest,
  type RejectedDetail,
  type RejectedRow,
  reasonText,
} from "./api.js";
import { Paged } from "./paged.js";
import { it } from "./texts.js";
import "./inbox.css";

type Tr = (k: string, p?: Record<string, string | number>) => string;

export function RejectedTab(p: {
  lang: Lang;
  request?: InboxRequest;
  onMessage: (m: string | null) => void;
  onChanged?: () => void;
}) {
  const request = p.request ?? inboxRequest;
  const tr: Tr = (k, params) => it(p.lang, k, params);
  const [rows, setRows] = useState<RejectedRow[] | null>(null);
  const [detail, setDetail] = useState<RejectedDetail | null>(null);
  const [version, setVersion] = useState(0);
  const fail = (e: unknown) => p.onMessage(tr("error", { msg: (e as Error).message }));
  useEffect(() => {
    request("GET", "rejected").then((r) => setRows((r as { rejected: RejectedRow[] }).rejected), fail);
  }, [version]);

  if (detail)
    return (
      <CorrectForm
        tr={tr}
        reason={reasonText(detail.reason, p.lang)}
        d={detail}
        onCancel={() => setDetail(null)}
        onSend={(body) =>
          request("POST", "rejected/correct", body).then(() => {
            p.onMessage(tr("sent"));
            setDetail(null);
            setVersion((v) => v + 1);
            p.onChanged?.();
          }, fail)
        }
      />
    );
  return (
    <Paged
      items={rows}
      empty={tr("rejectedEmpty")}
      testId="rejected-list"
      tr={tr}
      row={(r) => (
        <li key={r.id}>
          <button
            type="button"
            class={`dl-row${r.supersededBy ? "" : " dl-row-high"}`}
            data-testid="rejected-row"
            disabled={r.supersededBy !== null}
            onClick={() => {
              p.onMessage(null);
              request("POST", "rejected/detail", { id: r.id }).then(
                (d) => setDetail(d as RejectedDetail),
                fail,
              );
            }}
          >
            <span class="dl-who">
              <b>{r.nameMasked}</b> {r.idMasked}
            </span>
            <span class="dl-when">{r.supersededBy ? tr("corrected") : tr(`kind_${r.kind}`)}</span>
            <span class="dl-what">
              {tr("rejectedOn", { date: r.date, reason: reasonText(r.reason, p.lang) })}
            </span>
          </button>
        </li>
      )}
    />
  );
}

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "X"];

function CorrectForm(p: {
  tr: Tr;
  reason: string;
  d: RejectedDetail;
  onCancel: () => void;
  onSend: (body: Record<string, unknown>) => void;
}) {
  const { tr, d } = p;
  const fields = formFields(d);
  const [values, setValues] = useState<Record<string, string>>(
    Object.fromEntries(fields.map((f) => [f.key, f.value])),
  );
  const [focus, setFocus] = useState(fields[0]?.key ?? "");
  const [reason, setReason] = useState<string | null>(null);
  const type = (k: string) =>
    setValues((v) => {
      const cur = v[focus] ?? "";
      const next = k === "del" ? cur.slice(0, -1) : `${cur}${k}`;
      return { ...v, [focus]: next.slice(0, focus === "idNumber" ? 18 : 5) };
    });
  const label = (key: string) => {
    if (key === "idNumber") return tr("idNumber");
    const [r, part] = key.split(".") as [string, string];
    return `${part === "mmolL" ? tr("glucose") : tr(part)} ${Number(r.slice(1)) + 1}`;
  };
  const body = correctionBody(d, values, reason ?? "");
  const changed = Object.keys(body).length > 2;
  return (
    <div class="dl-body ib-form" data-testid="rejected-form">
      <h2 class="dl-h ib-h">
        {tr("correctTitle")} · {d.nameMasked} · {p.reason}
      </h2>
      {fields.length === 0 ? (
        <p class="ib-note" data-testid="not-fixable">
          {tr("notFixable")}
        </p>
      ) : (
        <div class="ib-cols">
          <div class="ib-keys">
            {[...KEYS, "del"].map((k) => (
              <button
                type="button"
                key={k}
                class="dl-chip ib-key"
                data-testid={`key-${k}`}
                onClick={() => type(k)}
              >
                {k === "del" ? tr("del") : k}
              </button>
            ))}
          </div>
          <div class="ib-side">
            <div class="ib-fields">
              {fields.map((f) => (
                <button
                  type="button"
                  key={f.key}
                  class={`dl-chip ib-field${focus === f.key ? " dl-chip-on" : ""}${f.key === "idNumber" ? " ib-wide" : ""}`}
                  data-testid={`field-${f.key}`}
                  onClick={() => setFocus(f.key)}
                >
                  <small>{label(f.key)}</small> <b>{values[f.key] || "–"}</b>
                </button>
              ))}
            </div>
            <small>{tr("reasonPick")}</small>
            <div class="ib-reasons">
              {CORRECTION_REASONS.map((r) => (
                <button
                  type="button"
                  key={r}
                  class={`dl-chip${reason === r ? " dl-chip-on" : ""}`}
                  data-testid={`reason-${r}`}
                  onClick={() => setReason(r)}
                >
                  {tr(`reason.${r}`)}
                </button>
              ))}
            </div>
          </div>
        </div>
      )}
      <div class="dl-pager">
        <button type="button" class="dl-chip" data-testid="cancel" onClick={p.onCancel}>
          {tr("cancel")}
        </button>
        {fields.length ? (
          <button
            type="button"
            class="dl-chip dl-chip-on"
            data-testid="send-correction"
            disabled={!reason || !changed}
            onClick={() => p.onSend(body)}
          >
            {tr("send")}
          </button>
        ) : null}
      </div>
    </div>
  );
}
