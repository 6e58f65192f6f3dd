/** Sign-in: pick a name (or tap one's own card), then the PIN pad. */
import { Button, NoticeBox, Screen } from "../components/common.js";
import { pickLang } from "./doctor-model.js";
import { useDoctor } from "./use-doctor.js";

export function NamesScreen() {
  const { doctor, d, lang } = useDoctor();
  const card = doctor.session.value?.card;
  return (
    <Screen
      name="doctor-names"
      title={d("signInTitle")}
      actions={
        <Button
          label={d("back")}
          variant="secondary"
          testId="doctor-back"
          onPress={() => doctor.open(null)}
        />
      }
    >
      <p class="sub">{d("pickName")}</p>
      <div class="doc-grid">
        {doctor.doctors.value.map((x) => (
          <button
            type="button"
            key={x.id}
            class="btn btn-secondary doc-name"
            data-doctor={x.id}
            onClick={() => doctor.pick(x)}
          >
            {x.name}
          </button>
        ))}
      </div>
      {doctor.doctors.value.length === 0 && !doctor.busy.value ? (
        <NoticeBox text={d("noDoctors")} testId="doctor-none" />
      ) : null}
      <p class="doc-card-hint">{d("cardWaiting")}</p>
      {card && "unknown" in card ? <NoticeBox text={d("cardUnknown")} testId="doctor-card-unknown" /> : null}
      {doctor.error.value ? (
        <NoticeBox text={pickLang(doctor.error.value, lang)} testId="doctor-error" />
      ) : null}
    </Screen>
  );
}

const PIN_KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "del"];

export function PinScreen() {
  const { doctor, d, lang } = useDoctor();
  const who = doctor.pinFor.value;
  const n = doctor.pin.value.length;
  return (
    <Screen
      name="doctor-pin"
      actions={
        <>
          <Button
            label={d("back")}
            variant="secondary"
            testId="doctor-back"
            onPress={() => void doctor.enter()}
          />
          <Button
            label={d("pinOk")}
            testId="pin-ok"
            disabled={n < 4 || doctor.busy.value}
            onPress={() => void doctor.submitPin()}
          />
        </>
      }
    >
      <div class="doc-pin-layout">
        <div>
          <h1 class="screen-title">{d("pinFor", { name: who?.name ?? "" })}</h1>
          <output class="doc-pin-dots" data-testid="pin-dots">
            {"●".repeat(n) || "\u00a0"}
          </output>
          {doctor.error.value ? (
            <NoticeBox text={pickLang(doctor.error.value, lang)} testId="doctor-error" />
          ) : null}
        </div>
        <fieldset class="keypad doc-pin-pad">
          {PIN_KEYS.map((k) => (
            <button key={k} type="button" class="key" data-pin={k} onClick={() => doctor.press(k)}>
              {k === "del" ? "⌫" : k === "clear" ? d("pinClear") : k}
            </button>
          ))}
        </fieldset>
      </div>
    </Screen>
  );
}
