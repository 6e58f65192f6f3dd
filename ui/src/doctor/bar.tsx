/**
 * The doctor's strip, always on screen while a doctor is signed in: who, the buttons that fit
 * the current check-up step, home, and sign-out (one tap).
 */
import type { ViewState } from "../../../station/protocol.js";
import { Button } from "../components/common.js";
import { useDoctor } from "./use-doctor.js";

function stepButtons(
  view: ViewState | null,
  d: ReturnType<typeof useDoctor>["d"],
  doctor: ReturnType<typeof useDoctor>["doctor"],
) {
  const assistedDay = doctor.session.value?.assisted != null;
  if (!view) return null;
  if (view.step === "attract" || (view.step === "result" && !("person" in view && view.person.assisted)))
    return assistedDay ? (
      <Button
        label={d("manualId")}
        variant="secondary"
        testId="doc-manual-id"
        onPress={() => doctor.open("id-reason")}
      />
    ) : null;
  if (!("person" in view) || !view.person.assisted) return null;
  const symptoms = (
    <Button
      label={d("symptoms")}
      variant="danger"
      testId="doc-symptoms"
      onPress={() => doctor.open("symptoms")}
    />
  );
  switch (view.step) {
    case "identified":
    case "consent":
      return (
        <>
          {symptoms}
          <Button label={d("consent")} testId="doc-consent" onPress={() => void doctor.consent()} />
        </>
      );
    case "bp":
      return (
        <>
          {symptoms}
          {view.phase !== "rest" && view.phase !== "done" ? (
            <Button
              label={d("manualReading")}
              variant="secondary"
              testId="doc-manual-bp"
              onPress={() => doctor.open("manual-bp")}
            />
          ) : null}
        </>
      );
    case "glucose":
      return (
        <>
          {symptoms}
          <Button
            label={d("manualReading")}
            variant="secondary"
            testId="doc-manual-glucose"
            onPress={() => doctor.open("manual-glucose")}
          />
        </>
      );
    case "result": {
      const chronic = view.person.categories.some((c) => c === "hypertension" || c === "diabetes");
      return (
        <>
          {chronic ? (
            <Button label={d("followUp")} testId="doc-follow-up" onPress={() => doctor.open("follow-up")} />
          ) : null}
          <Button
            label={d("history")}
            variant="secondary"
            testId="doc-history"
            onPress={() => void doctor.openHistory({ recordId: view.result.recordId, via: "checkup" }, null)}
          />
          <Button
            label={d("manualId")}
            variant="secondary"
            testId="doc-manual-id"
            onPress={() => doctor.open("id-reason")}
          />
        </>
      );
    }
    default:
      return null;
  }
}

export function DoctorBar() {
  const { doctor, station, d } = useDoctor();
  const s = doctor.session.value;
  if (!s?.signedIn || !s.doctor) return null;
  const onConsole = doctor.screen.value !== null;
  return (
    <div class="doc-bar" data-testid="doctor-bar">
      <span class="doc-who">
        {d("signedInAs", { name: s.doctor.name })}
        {s.assisted ? <em class="doc-day-badge">{d("assistedOn")}</em> : null}
      </span>
      <span class="doc-bar-actions">
        {onConsole ? (
          <Button
            label={d("close")}
            variant="secondary"
            testId="doc-close"
            onPress={() => doctor.open(null)}
          />
        ) : (
          stepButtons(station.view.value, d, doctor)
        )}
        <Button label={d("home")} variant="quiet" testId="doc-home" onPress={() => void doctor.enter()} />
        <Button
          label={d("signOut")}
          variant="danger"
          testId="doc-sign-out"
          onPress={() => void doctor.signOut()}
        />
      </span>
    </div>
  );
}
