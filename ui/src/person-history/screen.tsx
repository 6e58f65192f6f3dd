/**
 * A person's history for the signed-in doctor: the health card's pages, then every reading with
 * its source and operator, the follow-up forms, the referrals with what was done, and the list
 * outcomes. Pages, never scrolling. It lives in the doctor model's `history` signal, which the
 * model clears on sign-out or idle, so nothing of it stays for the next villager.
 */
import { useState } from "preact/hooks";
import type { PersonHistory } from "../../../station/person-history/types.js";
import { Button, NoticeBox } from "../components/common.js";
import { pickLang } from "../doctor/doctor-model.js";
import { useDoctor } from "../doctor/use-doctor.js";
import { PageBody } from "../health-card/page-body.js";
import type { Lang } from "../i18n.js";
import { type HistoryPage, historyPages, perPage, readingSource, readingValue } from "./pages.js";
import { pt } from "./texts.js";
import "../health-card/health-card.css";
import "./person-history.css";

function Readings({ page, lang }: { page: Extract<HistoryPage, { kind: "readings" }>; lang: Lang }) {
  const t = (k: string) => pt(lang, k);
  return (
    <div class="ph-section">
      <h2 class="ph-h">{t("readings")}</h2>
      {page.rows.length === 0 ? (
        <p>{t("readingsNone")}</p>
      ) : (
        <table class="ph-table" data-testid="ph-readings">
          <thead>
            <tr>
              <th>{t("time")}</th>
              <th>{t("value")}</th>
              <th>{t("source")}</th>
              <th>{t("operator")}</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((r) => (
              <tr key={`${r.recordId}-${r.takenAt}-${r.kind}`} data-source={r.source}>
                <td>{r.localTime}</td>
                <td>
                  {readingValue(r, lang)}
                  {r.rejected ? <em class="ph-rejected"> {t("rejected")}</em> : null}
                </td>
                <td>{readingSource(r, lang)}</td>
                <td>{r.operator === "self" ? t("self") : r.operator}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Lines({ page }: { page: Extract<HistoryPage, { kind: "lines" }> }) {
  return (
    <div class="ph-section">
      <h2 class="ph-h">{page.title}</h2>
      <dl class="ph-lines" data-testid={`ph-${page.section}`}>
        {page.lines.map(([label, value], i) => (
          <div key={i} class="ph-line">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function Loaded({ data }: { data: PersonHistory }) {
  const { doctor, lang } = useDoctor();
  const pages = historyPages(data, lang, perPage(window.innerHeight));
  const [index, setIndex] = useState(0);
  const i = Math.min(index, pages.length - 1);
  const page = pages[i]!;
  return (
    <>
      <div class="hc-head">
        <h1 class="screen-title hc-title" data-testid="ph-title">
          {pt(lang, "title")} · {data.card.person.name} · {data.card.person.age}
        </h1>
        <span class="hc-pageno" data-testid="ph-pageno">
          {pt(lang, "pageOf", { n: i + 1, total: pages.length })}
        </span>
      </div>
      <div
        class="hc-body ph-body"
        data-testid="ph-body"
        data-page={page.kind === "card" ? page.page.kind : page.kind}
      >
        {page.kind === "card" ? (
          <PageBody page={page.page} card={data.card} />
        ) : page.kind === "readings" ? (
          <Readings page={page} lang={lang} />
        ) : (
          <Lines page={page} />
        )}
      </div>
      <div class="screen-actions hc-actions">
        <Button
          label={pt(lang, "prev")}
          variant="secondary"
          testId="ph-prev"
          disabled={i === 0}
          onPress={() => setIndex(i - 1)}
        />
        <Button
          label={pt(lang, "back")}
          variant="quiet"
          testId="ph-back"
          onPress={() => doctor.closeHistory()}
        />
        <Button
          label={pt(lang, "next")}
          testId="ph-next"
          disabled={i === pages.length - 1}
          onPress={() => setIndex(i + 1)}
        />
      </div>
    </>
  );
}

export function PersonHistoryScreen() {
  const { doctor, lang } = useDoctor();
  const h = doctor.history.value;
  const error = doctor.error.value;
  return (
    <section class="screen hc-screen ph-screen" data-screen="doctor-history">
      {h?.data ? (
        <Loaded data={h.data} />
      ) : (
        <>
          <div class="center">
            {error ? (
              <NoticeBox text={pickLang(error, lang)} testId="doctor-error" />
            ) : (
              <p class="big">{pt(lang, "loading")}</p>
            )}
          </div>
          <div class="screen-actions hc-actions">
            <Button
              label={pt(lang, "back")}
              variant="quiet"
              testId="ph-back"
              onPress={() => doctor.closeHistory()}
            />
          </div>
        </>
      )}
    </section>
  );
}
