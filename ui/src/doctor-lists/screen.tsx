/**
 * The doctor's lists, mounted by the doctor console (ui/src/doctor/): due and overdue list with
 * search and pages, outcome recording, referral inbox, coverage with print and CSV export.
 * Pages, never scrolling, at 800×480 and 1280×800; every target at least 48 px.
 */
import type { RefObject } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { inboxCountsNow } from "../doctor-inbox/api.js";
import { HelpTab } from "../doctor-inbox/help-tab.js";
import { RejectedTab } from "../doctor-inbox/rejected-tab.js";
import { it as inboxText } from "../doctor-inbox/texts.js";
import type { Lang } from "../i18n.js";
import {
  type Coverage,
  fetchRequest,
  type InboxRow,
  type ListPage,
  type ListsRequest,
  OUTCOMES,
  percent,
  REASONS,
  rowsInBox,
  rowsThatFit,
} from "./model.js";
import { lt } from "./texts.js";
import "./doctor-lists.css";

export interface DoctorListsScreenProps {
  lang: Lang;
  /** The console's session-aware request; defaults to same-origin fetch (session cookie). */
  request?: ListsRequest;
  onClose?: () => void;
  /** The tab to open on (the console home has one button per tab). */
  initialTab?: Tab;
  /** Opens the picked person's history (ui/src/person-history/); no button without it. */
  onHistory?: (entryKey: string, via: "list" | "inbox") => void;
}

/** help and rejected are the doctor's inbox (ui/src/doctor-inbox/, routes /api/doctor/inbox/). */
type Tab = "due" | "inbox" | "help" | "rejected" | "coverage";
const TAB_TEXT: Record<Tab, string> = {
  due: "tabDue",
  inbox: "tabInbox",
  help: "tabHelp",
  rejected: "tabRejected",
  coverage: "tabCoverage",
};
type Picked = { key: string; name: string; what: string; via: "list" | "inbox" };

function remPx(): number {
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

/** Rows that fit the list's own box as laid out now (it shrinks when a message shows). */
function useRowsThatFit(): [RefObject<HTMLUListElement | null>, number] {
  const ref = useRef<HTMLUListElement>(null);
  const [n, setN] = useState(() => rowsThatFit(window.innerHeight, remPx()));
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setN(rowsInBox(el.clientHeight, remPx()));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, n];
}

export function DoctorListsScreen({
  lang,
  request = fetchRequest,
  onClose,
  initialTab,
  onHistory,
}: DoctorListsScreenProps) {
  const tr = (k: string, p?: Record<string, string | number>) => lt(lang, k, p);
  const [tab, setTab] = useState<Tab>(initialTab ?? "due");
  const [picked, setPicked] = useState<Picked | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [inboxCount, setInboxCount] = useState<number | null>(null);
  const fail = (e: unknown) => setMessage(tr("error", { msg: (e as Error).message }));

  const [inboxCounts, setInboxCounts] = useState<{ help: number; rejected: number }>({
    help: 0,
    rejected: 0,
  });
  useEffect(() => {
    request("GET", "inbox").then((r) => setInboxCount((r as InboxRow[]).length), fail);
    // The badges only: a failure here shows nothing (the tab itself reports it when opened).
    void inboxCountsNow().then(setInboxCounts, () => {});
  }, [version]);

  const record = async (kind: string, reason?: string) => {
    if (!picked) return;
    try {
      await request("POST", "outcome", { entryKey: picked.key, kind, ...(reason ? { reason } : {}) });
      setMessage(`${tr("saved")}: ${picked.name} · ${tr(`outcome.${kind}`)}`);
      setPicked(null);
      setVersion((v) => v + 1);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <section class="dl" data-screen="doctor-lists" lang={lang === "zh" ? "zh-CN" : "en"}>
      <nav class="dl-tabs">
        {(["due", "inbox", "help", "rejected", "coverage"] as const).map((t) => (
          <button
            type="button"
            key={t}
            class={`dl-tab${tab === t ? " dl-tab-on" : ""}`}
            data-testid={`tab-${t}`}
            onClick={() => {
              setTab(t);
              setPicked(null);
              setMessage(null);
            }}
          >
            {t === "help" || t === "rejected" ? inboxText(lang, TAB_TEXT[t]) : tr(TAB_TEXT[t])}
            {t === "inbox" && inboxCount ? <span class="dl-count">{inboxCount}</span> : null}
            {(t === "help" || t === "rejected") && inboxCounts[t] ? (
              <span class="dl-count">{inboxCounts[t]}</span>
            ) : null}
          </button>
        ))}
        {onClose ? (
          <button type="button" class="dl-tab dl-close" data-testid="back" onClick={onClose}>
            {tr("close")}
          </button>
        ) : null}
      </nav>
      {message ? (
        <p class="dl-message" role="status" data-testid="dl-message">
          {message}
        </p>
      ) : null}
      {picked ? (
        <OutcomePanel
          tr={tr}
          picked={picked}
          onRecord={record}
          onCancel={() => setPicked(null)}
          {...(onHistory ? { onHistory: () => onHistory(picked.key, picked.via) } : {})}
        />
      ) : tab === "due" ? (
        <DueList tr={tr} request={request} version={version} onPick={setPicked} onError={fail} />
      ) : tab === "inbox" ? (
        <Inbox tr={tr} request={request} version={version} onPick={setPicked} onError={fail} />
      ) : tab === "help" ? (
        <HelpTab lang={lang} onMessage={setMessage} onChanged={() => setVersion((v) => v + 1)} />
      ) : tab === "rejected" ? (
        <RejectedTab lang={lang} onMessage={setMessage} onChanged={() => setVersion((v) => v + 1)} />
      ) : (
        <CoveragePanel tr={tr} request={request} onMessage={setMessage} onError={fail} />
      )}
    </section>
  );
}

type Tr = (k: string, p?: Record<string, string | number>) => string;
interface ListProps {
  tr: Tr;
  request: ListsRequest;
  version: number;
  onPick: (p: Picked) => void;
  onError: (e: unknown) => void;
}

function Outcome({ tr, o }: { tr: Tr; o: InboxRow["lastOutcome"] }) {
  if (!o) return null;
  const what = tr(`outcome.${o.kind}`) + (o.reason ? ` · ${tr(`reason.${o.reason}`)}` : "");
  return <span class="dl-last">{tr("lastOutcome", { what, day: o.day.slice(5) })}</span>;
}

function DueList({ tr, request, version, onPick, onError }: ListProps) {
  const [q, setQ] = useState("");
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ListPage | null>(null);
  const [rowsRef, size] = useRowsThatFit();
  useEffect(() => {
    const qs = new URLSearchParams({
      q,
      status: overdue ? "overdue" : "all",
      page: String(page),
      pageSize: String(size),
    });
    request("GET", `due?${qs}`).then((r) => setData(r as ListPage), onError);
  }, [q, overdue, page, size, version]);
  return (
    <div class="dl-body">
      <div class="dl-bar">
        <input
          class="dl-search"
          data-testid="dl-search"
          type="search"
          placeholder={tr("search")}
          value={q}
          onInput={(e) => {
            setQ((e.target as HTMLInputElement).value);
            setPage(1);
          }}
        />
        <button
          type="button"
          class={`dl-chip${overdue ? " dl-chip-on" : ""}`}
          data-testid="dl-overdue"
          onClick={() => {
            setOverdue(!overdue);
            setPage(1);
          }}
        >
          {tr(overdue ? "overdueOnly" : "all")}
        </button>
      </div>
      <ul class="dl-rows" data-testid="dl-rows" ref={rowsRef}>
        {data && data.rows.length === 0 ? <li class="dl-empty">{tr("empty")}</li> : null}
        {data?.rows.map((r) => (
          <li key={r.key}>
            <button
              type="button"
              class={`dl-row${r.highRisk ? " dl-row-high" : r.overdueDays > 0 ? " dl-row-late" : ""}`}
              data-testid="dl-row"
              onClick={() =>
                onPick({ key: r.key, name: r.name, what: tr(`programme.${r.programme}`), via: "list" })
              }
            >
              <span class="dl-who">
                <b>{r.name}</b> {r.village}
              </span>
              <span class="dl-what">
                {r.highRisk ? <span class="dl-badge">{tr("highRisk")}</span> : null}
                {tr(`programme.${r.programme}`)}
                {r.lastVisitClass ? ` · ${tr(`class.${r.lastVisitClass}`)}` : ""}
              </span>
              <span class="dl-when">
                {r.overdueDays > 0
                  ? tr("overdueDays", { n: r.overdueDays })
                  : tr("dueOn", { date: r.nextDue.slice(5) })}
              </span>
              <Outcome tr={tr} o={r.lastOutcome} />
            </button>
          </li>
        ))}
      </ul>
      {data ? (
        <div class="dl-pager">
          <button
            type="button"
            class="dl-chip"
            data-testid="dl-prev"
            disabled={data.page <= 1}
            onClick={() => setPage(data.page - 1)}
          >
            {tr("prev")}
          </button>
          <span data-testid="dl-page">
            {tr("pageOf", { page: data.page, pages: data.pages, total: data.total })}
          </span>
          <button
            type="button"
            class="dl-chip"
            data-testid="dl-next"
            disabled={data.page >= data.pages}
            onClick={() => setPage(data.page + 1)}
          >
            {tr("next")}
          </button>
        </div>
      ) : (
        <p>{tr("loading")}</p>
      )}
    </div>
  );
}

function Inbox({ tr, request, version, onPick, onError }: ListProps) {
  const [rows, setRows] = useState<InboxRow[] | null>(null);
  const [page, setPage] = useState(1);
  const [rowsRef, size] = useRowsThatFit();
  useEffect(() => {
    request("GET", "inbox").then((r) => setRows(r as InboxRow[]), onError);
  }, [version]);
  const all = rows ?? [];
  const pages = Math.max(1, Math.ceil(all.length / size));
  const shown = all.slice((page - 1) * size, page * size);
  return (
    <div class="dl-body">
      <ul class="dl-rows" data-testid="dl-inbox" ref={rowsRef}>
        {rows?.length === 0 ? <li class="dl-empty">{tr("inboxEmpty")}</li> : null}
        {shown.map((r) => (
          <li key={r.key}>
            <button
              type="button"
              class="dl-row dl-row-high"
              data-testid="dl-inbox-row"
              onClick={() =>
                onPick({ key: r.key, name: r.name, what: tr("programme.referral"), via: "inbox" })
              }
            >
              <span class="dl-who">
                <b>{r.name}</b> {r.village}
              </span>
              <span class="dl-what">{tr("referredOn", { date: r.date.slice(5), n: r.ageDays })}</span>
              <Outcome tr={tr} o={r.lastOutcome} />
            </button>
          </li>
        ))}
      </ul>
      <div class="dl-pager">
        <button type="button" class="dl-chip" disabled={page <= 1} onClick={() => setPage(page - 1)}>
          {tr("prev")}
        </button>
        <span>{rows ? tr("pageOf", { page, pages, total: all.length }) : tr("loading")}</span>
        <button type="button" class="dl-chip" disabled={page >= pages} onClick={() => setPage(page + 1)}>
          {tr("next")}
        </button>
      </div>
    </div>
  );
}

function OutcomePanel(p: {
  tr: Tr;
  picked: Picked;
  onRecord: (k: string, r?: string) => void;
  onCancel: () => void;
  onHistory?: () => void;
}) {
  const [removing, setRemoving] = useState(false);
  const { tr } = p;
  return (
    <div class="dl-body dl-panel" data-testid="dl-outcome">
      <h2 class="dl-h">
        {removing ? tr("removeTitle") : tr("outcomeTitle")} · {p.picked.name} · {p.picked.what}
      </h2>
      <div class="dl-grid">
        {removing
          ? REASONS.map((r) => (
              <button
                type="button"
                key={r}
                class="dl-big"
                data-testid={`reason-${r}`}
                onClick={() => p.onRecord("removed", r)}
              >
                {tr(`reason.${r}`)}
              </button>
            ))
          : OUTCOMES.map((k) => (
              <button
                type="button"
                key={k}
                class="dl-big"
                data-testid={`outcome-${k}`}
                onClick={() => (k === "removed" ? setRemoving(true) : p.onRecord(k))}
              >
                {tr(`outcome.${k}`)}
              </button>
            ))}
      </div>
      <div class="dl-pager">
        <button type="button" class="dl-chip dl-cancel" data-testid="cancel" onClick={p.onCancel}>
          {tr("cancel")}
        </button>
        {p.onHistory ? (
          <button type="button" class="dl-chip" data-testid="dl-history" onClick={p.onHistory}>
            {tr("history")}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function CoveragePanel(p: {
  tr: Tr;
  request: ListsRequest;
  onMessage: (m: string) => void;
  onError: (e: unknown) => void;
}) {
  const { tr, request } = p;
  const [c, setC] = useState<Coverage | null>(null);
  const [scope, setScope] = useState(0);
  const [folders, setFolders] = useState<string[] | null>(null);
  useEffect(() => {
    request("GET", "coverage").then((r) => setC(r as Coverage), p.onError);
  }, []);
  if (!c) return <p class="dl-body">{tr("loading")}</p>;
  const scopes = [c.station, ...c.villages];
  const s = scopes[scope] ?? c.station;
  if (folders)
    return (
      <div class="dl-body dl-panel" data-testid="dl-folders">
        <h2 class="dl-h">{tr("pickFolder")}</h2>
        <div class="dl-grid">
          {folders.slice(0, 4).map((f) => (
            <button
              type="button"
              key={f}
              class="dl-big dl-folder"
              data-testid="dl-folder"
              onClick={() =>
                request("POST", "coverage/export", { folder: f }).then((r) => {
                  setFolders(null);
                  p.onMessage(tr("exported", { file: (r as { file: string }).file }));
                }, p.onError)
              }
            >
              {f}
            </button>
          ))}
        </div>
        <button type="button" class="dl-chip dl-cancel" data-testid="cancel" onClick={() => setFolders(null)}>
          {tr("cancel")}
        </button>
      </div>
    );
  return (
    <div class="dl-body" data-testid="dl-coverage">
      <div class="dl-bar">
        <button type="button" class="dl-chip" disabled={scope === 0} onClick={() => setScope(scope - 1)}>
          ◀
        </button>
        <b class="dl-scope" data-testid="dl-scope">
          {s.village || tr("scopeStation")}
        </b>
        <button
          type="button"
          class="dl-chip"
          disabled={scope >= scopes.length - 1}
          onClick={() => setScope(scope + 1)}
        >
          ▶
        </button>
        {/* Print and export share the scope's row: the table keeps the height at 800×480. */}
        <button
          type="button"
          class="dl-chip"
          data-testid="dl-print"
          onClick={() => request("POST", "coverage/print").then(() => p.onMessage(tr("printed")), p.onError)}
        >
          {tr("print")}
        </button>
        <button
          type="button"
          class="dl-chip"
          data-testid="dl-export"
          onClick={() =>
            request("GET", "export-folders").then(
              (r) => setFolders((r as { folders: string[] }).folders),
              p.onError,
            )
          }
        >
          {tr("exportCsv")}
        </button>
      </div>
      <table class="dl-table">
        <thead>
          <tr>
            <th>{tr("indicator")}</th>
            <th>{tr("year", { y: c.year })}</th>
            <th>{tr("target")}</th>
            <th>{tr("month", { m: c.month.slice(5) })}</th>
          </tr>
        </thead>
        <tbody>
          {s.year.map((i, n) => {
            const m = s.month[n];
            return (
              <tr key={i.id} class={i.met === false ? "dl-miss" : ""} data-testid={`ind-${i.id}`}>
                <td>{tr(`ind.${i.id}`)}</td>
                <td>
                  {percent(i.ratio)} <small>{`${i.numerator}/${i.denominator}`}</small>
                </td>
                <td>{i.target === null ? "–" : percent(i.target)}</td>
                <td>
                  {m ? `${percent(m.ratio)} ` : ""}
                  <small>{m ? `${m.numerator}/${m.denominator}` : ""}</small>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
