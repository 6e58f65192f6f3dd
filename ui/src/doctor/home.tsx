/**
 * The console home: large buttons for the check-up day, the entry points to the lists module's
 * due/overdue list, referral inbox and coverage, and the latest audit events.
 */
import { Button, NoticeBox, Screen } from "../components/common.js";
import { pickLang } from "./doctor-model.js";
import { AUDIT_LABELS, type DoctorTextKey } from "./texts.js";
import { useDoctor } from "./use-doctor.js";

/** Each entry opens the lists module's screen (ui/src/doctor-lists/) on its tab. */
const LIST_TAB = { lists: "due", inbox: "inbox", rejected: "rejected", coverage: "coverage" } as const;

const DAY: Array<[string | null, DoctorTextKey]> = [
  ["fasting", "fasting"],
  ["random", "random"],
  ["postprandial", "postprandial"],
  [null, "noGlucoseDefault"],
];

export function HomeScreen() {
  const { doctor, station, d, lang } = useDoctor();
  // A villager waiting for help comes before the referrals.
  const helpWaiting = (station.helpStatus.value?.waiting.length ?? 0) > 0;
  const assisted = doctor.session.value?.assisted;
  return (
    <Screen name="doctor-home" title={d("home")}>
      <div class="doc-home">
        <section class="doc-day">
          {assisted ? (
            <Button
              label={d("assistedStop")}
              variant="secondary"
              wide
              testId="day-stop"
              onPress={() => void doctor.stopDay()}
            />
          ) : (
            <>
              <p class="doc-hint">{d("assistedHint")}</p>
              <div class="doc-row">
                {DAY.map(([st, key]) => (
                  <Button
                    key={key}
                    label={d(key)}
                    testId={`day-${st ?? "ask"}`}
                    onPress={() => void doctor.startDay(st)}
                  />
                ))}
              </div>
            </>
          )}
          <div class="doc-row">
            {(["lists", "inbox", "rejected", "coverage"] as const).map((k) => (
              <button
                key={k}
                type="button"
                class="btn btn-secondary doc-entry"
                data-testid={`entry-${k}`}
                onClick={() => doctor.openLists(k === "inbox" && helpWaiting ? "help" : LIST_TAB[k])}
              >
                {d(k)}
              </button>
            ))}
          </div>
        </section>
        <section class="doc-audit" data-testid="audit-list">
          <h2>{d("auditTitle")}</h2>
          <ol>
            {doctor.audit.value.map((e) => (
              <li key={e.seq}>
                <span>
                  {new Date(e.at).toLocaleTimeString(lang === "zh" ? "zh-CN" : "en-GB", { hour12: false })}
                </span>{" "}
                <b>{AUDIT_LABELS[e.type]?.[lang === "zh" ? 0 : 1] ?? e.type}</b> {e.doctorId ?? ""}
              </li>
            ))}
          </ol>
        </section>
      </div>
      {doctor.error.value ? (
        <NoticeBox text={pickLang(doctor.error.value, lang)} testId="doctor-error" />
      ) : null}
    </Screen>
  );
}
