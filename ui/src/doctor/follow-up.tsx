/**
 * The follow-up visit form (随访服务记录表) in three pages, no scrolling. The visit class comes
 * from the station (computed from this check-up's readings); the doctor may choose 不良反应 or
 * 并发症 instead. Saved as its own record linked to the check-up, and uploaded.
 */
import { useEffect, useState } from "preact/hooks";
import { Button, NoticeBox, Screen } from "../components/common.js";
import { pickLang } from "./doctor-model.js";
import { type DoctorTextKey, FU_SYMPTOMS } from "./texts.js";
import { useDoctor } from "./use-doctor.js";

type Med = { name: string; dose: string; timesPerDay: number };
const EMPTY_MED: Med = { name: "", dose: "", timesPerDay: 1 };

function Chips<T extends string>({
  options,
  value,
  set,
  label,
}: {
  options: Array<[T, string]>;
  value: T | T[] | null;
  set: (v: T) => void;
  label: string;
}) {
  const on = (v: T) => (Array.isArray(value) ? value.includes(v) : value === v);
  return (
    <div class="doc-field doc-inline">
      <span class="field-label">{label}</span>
      {options.map(([v, text]) => (
        <button
          type="button"
          key={v}
          class={`doc-chip${on(v) ? " on" : ""}`}
          data-value={v}
          onClick={() => set(v)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

export function FollowUpScreen() {
  const { doctor, station, d, lang } = useDoctor();
  const view = station.view.value;
  const result = view?.step === "result" ? view : null;
  const cats = result?.person.categories ?? [];
  const [page, setPage] = useState(1);
  const [programmes, setProgrammes] = useState<string[]>(
    cats.filter((c) => c === "hypertension" || c === "diabetes"),
  );
  const [mode, setMode] = useState("clinic");
  const [symptoms, setSymptoms] = useState<string[]>(["none"]);
  const [adherence, setAdherence] = useState("regular");
  const [adverse, setAdverse] = useState("");
  const [meds, setMeds] = useState<Med[]>([{ ...EMPTY_MED }, { ...EMPTY_MED }]);
  const [override, setOverride] = useState<string | null>(null);
  const [referral, setReferral] = useState<{ reason: string; institution: string } | null>(null);
  const [computed, setComputed] = useState<string | null>(null);
  const [nextVisit, setNextVisit] = useState("");
  const recordId = result?.result.recordId ?? "";

  const toggle = (list: string[], v: string) =>
    list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
  const body = () => ({
    checkupRecordId: recordId,
    programmes,
    mode,
    symptoms,
    adherence,
    adverseReaction: adverse.trim() || null,
    medicines: meds.filter((m) => m.name.trim() && m.dose.trim()),
    visitClassOverride: override,
    referral: referral?.reason.trim() && referral.institution.trim() ? referral : null,
    ...(nextVisit ? { nextVisit } : {}),
  });

  useEffect(() => {
    if (page === 1 || programmes.length === 0) return;
    void doctor.call("follow-up/preview", { checkupRecordId: recordId, programmes, adherence }).then(
      (r) => {
        const p = r as { computed: string | null; nextVisit: string | null };
        setComputed(p.computed);
        if (p.nextVisit && !nextVisit) setNextVisit(p.nextVisit);
      },
      () => setComputed(null),
    );
  }, [page]);

  const tx = (k: DoctorTextKey) => d(k);
  const page1 = (
    <>
      <div class="doc-row doc-wrap">
        <Chips
          label={d("programmes")}
          options={[
            ["hypertension", tx("hypertension")],
            ["diabetes", tx("diabetes")],
          ]}
          value={programmes}
          set={(v) => setProgrammes(toggle(programmes, v))}
        />
        <Chips
          label={d("mode")}
          options={[
            ["clinic", tx("clinic")],
            ["home", tx("homeVisit")],
            ["phone", tx("phone")],
          ]}
          value={mode}
          set={setMode}
        />
      </div>
      <Chips
        label={d("fuSymptoms")}
        options={FU_SYMPTOMS.map(([c, zh, en]) => [c, lang === "zh" ? zh : en] as [string, string])}
        value={symptoms}
        set={(v) =>
          setSymptoms(
            v === "none"
              ? ["none"]
              : toggle(
                  symptoms.filter((x) => x !== "none"),
                  v,
                ),
          )
        }
      />
    </>
  );
  const classes: Array<[string, string]> = [
    ["adverse-reaction", tx("adverse-reaction")],
    ["complication", tx("complication")],
  ];
  // Three pages: every control is a 48 px target and each page fits 800×480 under the doctor's strip.
  const page2 = (
    <>
      <div class="doc-row doc-wrap">
        <Chips
          label={d("adherence")}
          options={[
            ["regular", tx("regular")],
            ["intermittent", tx("intermittent")],
            ["none", tx("none")],
          ]}
          value={adherence}
          set={setAdherence}
        />
        <label class="doc-field doc-inline">
          <span class="field-label">{d("adverse")}</span>
          <input
            class="doc-input"
            name="adverse"
            placeholder={d("adverseNone")}
            value={adverse}
            onInput={(e) => setAdverse(e.currentTarget.value)}
          />
        </label>
      </div>
      <div class="doc-field doc-inline">
        <button
          type="button"
          class={`doc-chip${referral ? " on" : ""}`}
          data-value="referral"
          onClick={() => setReferral(referral ? null : { reason: "", institution: "" })}
        >
          {d("referral")}
        </button>
        {referral ? (
          <>
            <input
              class="doc-input"
              name="referral-reason"
              placeholder={d("referralReason")}
              value={referral.reason}
              onInput={(e) => setReferral({ ...referral, reason: e.currentTarget.value })}
            />
            <input
              class="doc-input"
              name="referral-place"
              placeholder={d("referralPlace")}
              value={referral.institution}
              onInput={(e) => setReferral({ ...referral, institution: e.currentTarget.value })}
            />
          </>
        ) : null}
      </div>
      <div class="doc-row">
        <label class="doc-field doc-inline">
          <span class="field-label">{d("nextVisit")}</span>
          <input
            class="doc-input"
            name="next-visit"
            type="date"
            value={nextVisit}
            onInput={(e) => setNextVisit(e.currentTarget.value)}
          />
        </label>
      </div>
    </>
  );
  const page3 = (
    <>
      <div class="doc-field">
        {meds.map((m, i) => (
          <div class="doc-row" key={i}>
            <input
              class="doc-input"
              name={`med-name-${i}`}
              placeholder={d("medName")}
              value={m.name}
              onInput={(e) =>
                setMeds(meds.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)))
              }
            />
            <input
              class="doc-input doc-short"
              name={`med-dose-${i}`}
              placeholder={d("medDose")}
              value={m.dose}
              onInput={(e) =>
                setMeds(meds.map((x, j) => (j === i ? { ...x, dose: e.currentTarget.value } : x)))
              }
            />
            <select
              class="doc-input doc-short"
              name={`med-times-${i}`}
              value={m.timesPerDay}
              onChange={(e) =>
                setMeds(
                  meds.map((x, j) => (j === i ? { ...x, timesPerDay: Number(e.currentTarget.value) } : x)),
                )
              }
            >
              {[1, 2, 3, 4].map((n) => (
                <option key={n} value={n}>
                  {n}
                  {d("perDay")}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <div class="doc-field doc-inline">
        <span class="field-label">
          {d("visitClass")}:{" "}
          <b data-testid="visit-class-computed">
            {computed ? d(computed as DoctorTextKey) : d("notMeasured")}
          </b>
        </span>
        <div class="doc-row doc-wrap">
          {classes.map(([v, text]) => (
            <button
              type="button"
              key={v}
              class={`doc-chip${override === v ? " on" : ""}`}
              data-value={v}
              onClick={() => setOverride(override === v ? null : v)}
            >
              {text}
            </button>
          ))}
        </div>
      </div>
    </>
  );
  return (
    <Screen
      name="doctor-follow-up"
      actions={
        <>
          <Button
            label={page === 1 ? d("back") : d("prev")}
            variant="secondary"
            testId="fu-back"
            onPress={() => (page === 1 ? doctor.open(null) : setPage(page - 1))}
          />
          {page < 3 ? (
            <Button
              label={d("next")}
              testId="fu-next"
              disabled={programmes.length === 0}
              onPress={() => setPage(page + 1)}
            />
          ) : (
            <Button
              label={d("save")}
              testId="fu-save"
              disabled={doctor.busy.value || (!computed && !override)}
              onPress={() => void doctor.submit("follow-up", body())}
            />
          )}
        </>
      }
    >
      <h1 class="doc-title">
        {d("followUpTitle")} · {page}/3{page === 3 ? ` · ${d("medicines")}` : ""}
      </h1>
      <div class="doc-form" data-page={page}>
        {page === 1 ? page1 : page === 2 ? page2 : page3}
      </div>
      {doctor.error.value ? (
        <NoticeBox text={pickLang(doctor.error.value, lang)} testId="doctor-error" />
      ) : null}
    </Screen>
  );
}
