/**
 * The result, for a villager who may read few characters: per measurement a verdict in words and
 * a shape (正常 ✓, 偏高 ↑, 很高 ⇈, 危险 octagon; colour only repeats it), the one thing to do now,
 * the next date and the family doctor. The record id and the doctor's referral text go to the
 * slip and the doctor's alert, not here; advice is on the slip. No class names such as
 * "1级高血压": one measurement is not a diagnosis.
 */
import type { FaultView, PersonView, ResultView, Verdict } from "../../../station/protocol.js";
import { Button, Screen, type Translate, useT } from "../components/common.js";
import { CheckIcon, VerdictIcon, WarningIcon } from "../components/icons.js";
import { useModels } from "../context.js";
import { formatBp, formatGlucose, formatIsoDate } from "../format.js";
import { OpenHealthCardButton } from "../health-card/screen.js";
import type { TextKey } from "../i18n.js";
import { sampleTypeLabel } from "../labels.js";

export interface ResultScreenProps {
  person: PersonView;
  result: ResultView;
  print: "printing" | "printed" | "failed";
  printFault: FaultView | null;
}

function Tile(props: {
  testId: string;
  label: string;
  verdict: Verdict | null;
  word: string;
  value: string;
  unit: string;
  note?: string | undefined;
}) {
  const v = props.verdict ?? "none";
  return (
    <div class={`tile verdict-${v}`} data-testid={props.testId} data-verdict={v}>
      <div class="tile-label">{props.label}</div>
      <div class="tile-verdict">
        {props.verdict ? <VerdictIcon verdict={props.verdict} /> : null}
        <span data-testid={`${props.testId}-word`}>{props.word}</span>
      </div>
      <div class="tile-value">
        {props.value}
        {props.unit ? <span class="unit"> {props.unit}</span> : null}
        {props.note ? <span class="tile-note"> · {props.note}</span> : null}
      </div>
    </div>
  );
}

function verdictWord(tr: Translate, v: Verdict | null, low = false): string {
  if (!v) return tr("notMeasured");
  return tr(low ? "verdict_low" : (`verdict_${v}` as TextKey));
}

export function ResultScreen({ person, result, print, printFault }: ResultScreenProps) {
  const { station } = useModels();
  const { lang, tr } = useT();
  const doctor = person.doctor ?? station.info.value?.doctor ?? null;
  const { bp, glucose, verdicts } = result;
  const urgent = result.urgent || verdicts.overall === "danger";
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
          {/* An urgent result asks for the doctor now, not for browsing the health card. */}
          {urgent ? null : <OpenHealthCardButton />}
          <Button
            label={tr("finish")}
            testId="finish"
            wide
            onPress={() => void station.send({ type: "finish" })}
          />
        </>
      }
    >
      <div class="result" data-record-id={result.recordId} data-overall={verdicts.overall}>
        <div class="tiles">
          <Tile
            testId="result-bp"
            label={tr("bpLabel")}
            verdict={verdicts.bp}
            word={verdictWord(tr, verdicts.bp)}
            value={bp ? formatBp(bp.systolic, bp.diastolic) : "—"}
            unit={bp ? "mmHg" : ""}
            note={
              bp && bp.readingsAveraged > 1
                ? bp.readingsAveraged === 2
                  ? tr("averageOfTwo")
                  : tr("averageOfN", { n: bp.readingsAveraged })
                : undefined
            }
          />
          <Tile
            testId="result-glucose"
            label={tr("glucoseLabel")}
            verdict={verdicts.glucose}
            word={verdictWord(tr, verdicts.glucose, verdicts.glucoseLow)}
            value={glucose ? formatGlucose(glucose.mmolL) : "—"}
            unit={glucose ? "mmol/L" : ""}
            note={glucose ? sampleTypeLabel(glucose.sampleType, lang) : undefined}
          />
        </div>
        <div
          class={`do-now${urgent ? " do-now-urgent" : ""}`}
          data-testid="villager-action"
          role={urgent ? "alert" : undefined}
        >
          {urgent ? (
            <p class="do-now-head" data-testid="urgent">
              <WarningIcon /> {tr("urgent")}
            </p>
          ) : null}
          {verdicts.glucoseLow ? <p class="do-now-text">{tr("eatSugarNow")}</p> : null}
          {/* Very high but not referred: the pack's "recheck" text would say only 偏高, so the
              screen says what the voice says (result-high). */}
          <p class="do-now-text">
            {!urgent && verdicts.overall === "high" ? tr("tellDoctorToday") : result.villagerAction[lang]}
          </p>
        </div>
        <div class="result-footer">
          {result.followUpDue ? (
            <p data-testid="next-date">{tr("nextDate", { date: formatIsoDate(result.followUpDue, lang) })}</p>
          ) : null}
          {doctor ? (
            <p data-testid="family-doctor">
              {tr("doctorLine", { name: doctor.name })} · {tr("doctorPhone", { phone: doctor.phone })}
            </p>
          ) : null}
        </div>
      </div>
    </Screen>
  );
}
