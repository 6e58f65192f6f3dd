/** Results in plain words and colour, what to do next, and who to call. */
import type { FaultView, PersonView, ResultView, StationInfoView } from "../../../station/protocol.js";
import { Button, Screen, type Translate, useT } from "../components/common.js";
import { CheckIcon, WarningIcon } from "../components/icons.js";
import { useModels } from "../context.js";
import { formatBp, formatGlucose, formatIsoDate } from "../format.js";
import { OpenHealthCardButton } from "../health-card/screen.js";
import type { Lang } from "../i18n.js";
import {
  bpClassLabel,
  bpTone,
  glucoseClassLabel,
  glucoseTone,
  sampleTypeLabel,
  type Tone,
} from "../labels.js";

export interface ResultScreenProps {
  person: PersonView;
  result: ResultView;
  print: "printing" | "printed" | "failed";
  printFault: FaultView | null;
}

function Tile(props: { label: string; tone: Tone; cls: string; value: string; unit: string; note?: string }) {
  return (
    <div class={`tile tone-${props.tone}`} data-testid="result-tile" data-tone={props.tone}>
      <div class="tile-head">
        <span class="tile-label">{props.label}</span>
        <span class="tile-class">{props.cls}</span>
      </div>
      <div class="tile-value">
        {props.value}
        <span class="unit"> {props.unit}</span>
        {props.note ? <span class="tile-note"> · {props.note}</span> : null}
      </div>
    </div>
  );
}

function Tiles({ result, lang, tr }: { result: ResultView; lang: Lang; tr: Translate }) {
  const { bp, glucose } = result;
  return (
    <div class="tiles">
      {bp ? (
        <Tile
          label={tr("bpLabel")}
          tone={bpTone(bp.class)}
          cls={bpClassLabel(bp.class, lang)}
          value={formatBp(bp.systolic, bp.diastolic)}
          unit="mmHg"
        />
      ) : (
        <Tile label={tr("bpLabel")} tone="unknown" cls={tr("notMeasured")} value="—" unit="" />
      )}
      {glucose ? (
        <Tile
          label={tr("glucoseLabel")}
          tone={glucoseTone(glucose.class)}
          cls={glucoseClassLabel(glucose.class, lang)}
          value={formatGlucose(glucose.mmolL)}
          unit="mmol/L"
          note={sampleTypeLabel(glucose.sampleType, lang)}
        />
      ) : (
        <Tile label={tr("glucoseLabel")} tone="unknown" cls={tr("notMeasured")} value="—" unit="" />
      )}
    </div>
  );
}

function Details(props: {
  result: ResultView;
  doctor: StationInfoView["doctor"] | null;
  lang: Lang;
  tr: Translate;
}) {
  const { result, doctor, lang, tr } = props;
  return (
    <div class="details">
      {result.doctorAlert ? (
        <div class="doctor-box" data-testid="doctor-alert">
          <div class="doctor-box-label">{tr("forDoctor")}</div>
          {result.doctorAlert[lang]}
        </div>
      ) : null}
      {result.advice.length > 0 ? (
        <>
          <h2 class="details-title">{tr("advice")}</h2>
          <ul class="advice">
            {result.advice.map((a) => (
              <li key={a.key}>{a[lang]}</li>
            ))}
          </ul>
        </>
      ) : null}
      {result.followUpDue ? <p>{tr("followUp", { date: formatIsoDate(result.followUpDue, lang) })}</p> : null}
      {doctor ? (
        <p data-testid="family-doctor">{tr("familyDoctor", { name: doctor.name, phone: doctor.phone })}</p>
      ) : null}
      <p class="record-id">
        {tr("recordId")} {result.recordId}
      </p>
    </div>
  );
}

export function ResultScreen({ person, result, print, printFault }: ResultScreenProps) {
  const { station } = useModels();
  const { lang, tr } = useT();
  const doctor = person.doctor ?? station.info.value?.doctor ?? null;
  const printLabel = {
    printing: tr("printing"),
    printed: (
      <>
        <CheckIcon /> {tr("printed")}
      </>
    ),
    failed: (
      <>
        <WarningIcon /> {tr("printFailed")}
      </>
    ),
  }[print];
  return (
    <Screen
      name="result"
      actions={
        <>
          <span
            class={`print-status print-${print}`}
            data-testid="print-status"
            title={printFault?.message[lang]}
          >
            {printLabel}
          </span>
          {print !== "printing" ? (
            <Button
              label={tr("reprint")}
              variant="secondary"
              testId="reprint"
              onPress={() => void station.send({ type: "print" })}
            />
          ) : null}
          <OpenHealthCardButton />
          <Button
            label={tr("finish")}
            testId="finish"
            wide
            onPress={() => void station.send({ type: "finish" })}
          />
        </>
      }
    >
      <div class="result" data-record-id={result.recordId}>
        {result.urgent ? (
          <div class="urgent-banner" role="alert" data-testid="urgent">
            <WarningIcon /> {tr("urgent")}
          </div>
        ) : null}
        <Tiles result={result} lang={lang} tr={tr} />
        <p class="villager-action" data-testid="villager-action">
          {result.villagerAction[lang]}
        </p>
        <Details result={result} doctor={doctor} lang={lang} tr={tr} />
      </div>
    </Screen>
  );
}
