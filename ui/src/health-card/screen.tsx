/**
 * The villager's health card: pages that each fit the screen, big 上一页/下一页 buttons, and a
 * slip to print. Paging is local; the station keeps the session alive on every touch and closes
 * the card (clearing it) when the card is lifted or nobody touches the screen.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { HealthCard } from "../../../station/health-card/types.js";
import type { ViewState } from "../../../station/protocol.js";
import { Button, NoticeBox } from "../components/common.js";
import { useModels } from "../context.js";
import { PageBody } from "./page-body.js";
import { buildPages, pageVoice } from "./pages.js";
import { useHc } from "./text.js";
import "./health-card.css";

type View = Extract<ViewState, { step: "health-card" }>;

function Loaded({ view, card }: { view: View; card: HealthCard }) {
  const { station } = useModels();
  const { lang, ht } = useHc();
  const pages = buildPages(card, lang);
  const [index, setIndex] = useState(0);
  const i = Math.min(index, pages.length - 1);
  const page = pages[i]!;
  const voice = pageVoice(page, card);
  // The station announces the first page; a page turned here speaks its own summary.
  const turned = useRef(false);
  useEffect(() => {
    if (!turned.current) {
      turned.current = true;
      return;
    }
    // The page shows its own words; the strip's text belonged to the page before.
    if (voice) station.sayLocal(voice.key, { zh: "", en: "" }, voice.params);
  }, [i]);
  const printLabel =
    view.print === "printing" ? ht("printing") : view.print === "printed" ? ht("printed") : ht("print");
  return (
    <section
      class="screen hc-screen"
      data-screen="health-card"
      data-page={page.kind}
      data-voice-key={voice?.key}
      data-voice-params={voice ? JSON.stringify(voice.params) : undefined}
    >
      <div class="hc-head">
        <h1 class="screen-title hc-title">
          {ht("title")} · {card.person.name}
        </h1>
        <span class="hc-pageno" data-testid="hc-pageno">
          {ht("pageOf", { n: i + 1, total: pages.length })}
        </span>
      </div>
      <div class="hc-body" data-testid="hc-body">
        <PageBody page={page} card={card} />
        {view.printFault ? <NoticeBox text={view.printFault.message[lang]} /> : null}
      </div>
      <div class="screen-actions hc-actions">
        <Button
          label={ht("prevPage")}
          variant="secondary"
          testId="hc-prev"
          disabled={i === 0}
          onPress={() => setIndex(i - 1)}
        />
        <Button
          label={printLabel}
          variant="quiet"
          testId="hc-print"
          disabled={view.print === "printing"}
          onPress={() => void station.send({ type: "health-card-print" })}
        />
        <Button
          label={ht("nextPage")}
          testId="hc-next"
          disabled={i === pages.length - 1}
          onPress={() => setIndex(i + 1)}
        />
      </div>
    </section>
  );
}

export function HealthCardScreen(view: View) {
  const { lang, ht } = useHc();
  if (!view.card)
    return (
      <section class="screen hc-screen" data-screen="health-card" data-page="loading">
        <div class="center">
          {view.error ? <NoticeBox text={view.error.message[lang]} /> : <p class="big">{ht("loading")}</p>}
        </div>
      </section>
    );
  return <Loaded view={view} card={view.card} />;
}

/** "查看健康档案": offered beside starting a check-up and after a result. */
export function OpenHealthCardButton() {
  const { station } = useModels();
  const { ht } = useHc();
  return (
    <Button
      label={ht("open")}
      variant="secondary"
      testId="open-health-card"
      onPress={() => void station.send({ type: "health-card" })}
    />
  );
}
