/** Short doctor forms: why the ID is typed, danger signs, and readings typed when a device fails. */
import { useState } from "preact/hooks";
import { Button, NoticeBox, Screen } from "../components/common.js";
import { useModels } from "../context.js";
import { pickLang } from "./doctor-model.js";
import { DANGER, type DoctorTextKey } from "./texts.js";
import { useDoctor } from "./use-doctor.js";

function Cancel() {
  const { doctor, d } = useDoctor();
  return (
    <Button label={d("back")} variant="secondary" testId="doctor-back" onPress={() => doctor.open(null)} />
  );
}

function ErrorLine() {
  const { doctor, lang } = useDoctor();
  const e = doctor.error.value;
  return e ? <NoticeBox text={pickLang(e, lang)} testId="doctor-error" /> : null;
}

export function IdReasonScreen() {
  const { doctor, d } = useDoctor();
  const { keypad } = useModels();
  return (
    <Screen name="doctor-id-reason" title={d("idReasonTitle")} actions={<Cancel />}>
      <div class="doc-row doc-big-choices">
        {(["card-forgotten", "card-broken"] as const).map((r) => (
          <Button
            key={r}
            label={d(r)}
            testId={`reason-${r}`}
            onPress={() => {
              keypad.open();
              doctor.manualIdFor(r);
            }}
          />
        ))}
      </div>
    </Screen>
  );
}

export function SymptomsScreen() {
  const { doctor, d, lang } = useDoctor();
  const [codes, setCodes] = useState<string[]>([]);
  const toggle = (c: string) => setCodes(codes.includes(c) ? codes.filter((x) => x !== c) : [...codes, c]);
  return (
    <Screen
      name="doctor-symptoms"
      actions={
        <>
          <Cancel />
          <Button
            label={d("save")}
            variant="danger"
            testId="symptoms-save"
            onPress={() => void doctor.submit("symptoms", { codes })}
          />
        </>
      }
    >
      <h1 class="doc-title">{d("symptomsTitle")}</h1>
      <div class="doc-chips doc-chips-7">
        {DANGER.map(([code, zh, en]) => (
          <button
            type="button"
            key={code}
            class={`doc-chip${codes.includes(code) ? " on" : ""}`}
            aria-pressed={codes.includes(code)}
            data-code={code}
            onClick={() => toggle(code)}
          >
            {lang === "zh" ? zh : en}
          </button>
        ))}
      </div>
      <ErrorLine />
    </Screen>
  );
}

const REASONS = ["device-fault", "device-missing", "other-device"] as const;

function Reasons({ value, set }: { value: string; set: (r: (typeof REASONS)[number]) => void }) {
  const { d } = useDoctor();
  // Label and 48 px chips on one line: room for a refusal message at 800×480.
  return (
    <div class="doc-field doc-inline">
      <span class="field-label">{d("reasonTitle")}</span>
      <div class="doc-row">
        {REASONS.map((r) => (
          <button
            type="button"
            key={r}
            class={`doc-chip${value === r ? " on" : ""}`}
            data-reason={r}
            onClick={() => set(r)}
          >
            {d(r)}
          </button>
        ))}
      </div>
    </div>
  );
}

function NumberField({
  label,
  name,
  value,
  set,
  step,
}: {
  label: string;
  name: string;
  value: string;
  set: (v: string) => void;
  step?: string;
}) {
  return (
    <label class="doc-field">
      <span class="field-label">{label}</span>
      <input
        class="doc-input"
        name={name}
        type="number"
        inputMode={step ? "decimal" : "numeric"}
        step={step ?? "1"}
        value={value}
        onInput={(e) => set(e.currentTarget.value)}
      />
    </label>
  );
}

export function ManualBpScreen() {
  const { doctor, d } = useDoctor();
  const [sys, setSys] = useState("");
  const [dia, setDia] = useState("");
  const [pulse, setPulse] = useState("");
  const [reason, setReason] = useState<(typeof REASONS)[number]>("device-fault");
  const send = () =>
    void doctor.submit("manual-reading", {
      kind: "bp",
      systolic: Number(sys),
      diastolic: Number(dia),
      pulse: pulse ? Number(pulse) : null,
      reason,
    });
  return (
    <Screen
      name="doctor-manual-bp"
      title={d("manualBpTitle")}
      actions={
        <>
          <Cancel />
          <Button
            label={d("save")}
            testId="manual-save"
            disabled={!sys || !dia || doctor.busy.value}
            onPress={send}
          />
        </>
      }
    >
      <div class="doc-row">
        <NumberField label={d("systolic")} name="systolic" value={sys} set={setSys} />
        <NumberField label={d("diastolic")} name="diastolic" value={dia} set={setDia} />
        <NumberField label={d("pulse")} name="pulse" value={pulse} set={setPulse} />
      </div>
      <Reasons value={reason} set={setReason} />
      <ErrorLine />
    </Screen>
  );
}

const SAMPLES: Array<[string, DoctorTextKey]> = [
  ["fasting", "fasting"],
  ["random", "random"],
  ["postprandial", "postprandial"],
];

export function ManualGlucoseScreen() {
  const { doctor, d } = useDoctor();
  const [value, setValue] = useState("");
  const [sample, setSample] = useState(doctor.session.value?.assisted?.sampleType ?? "fasting");
  const [reason, setReason] = useState<(typeof REASONS)[number]>("device-fault");
  const send = () =>
    void doctor.submit("manual-reading", {
      kind: "glucose",
      mmolL: Number(value),
      sampleType: sample,
      reason,
    });
  return (
    <Screen
      name="doctor-manual-glucose"
      title={d("manualGlucoseTitle")}
      actions={
        <>
          <Cancel />
          <Button
            label={d("save")}
            testId="manual-save"
            disabled={!value || doctor.busy.value}
            onPress={send}
          />
        </>
      }
    >
      <div class="doc-row">
        <NumberField label={d("mmolL")} name="mmolL" value={value} set={setValue} step="0.1" />
        <div class="doc-row">
          {SAMPLES.map(([s, k]) => (
            <button
              type="button"
              key={s}
              class={`doc-chip${sample === s ? " on" : ""}`}
              data-sample={s}
              onClick={() => setSample(s)}
            >
              {d(k)}
            </button>
          ))}
        </div>
      </div>
      <Reasons value={reason} set={setReason} />
      <ErrorLine />
    </Screen>
  );
}
