/** "Is this you?" and the consent question: one decision each. */
import type { FaultView, PersonView } from "../../../station/protocol.js";
import { Button, NoticeBox, Screen, useT } from "../components/common.js";
import { CheckIcon } from "../components/icons.js";
import { useModels } from "../context.js";
import { OpenHealthCardButton } from "../health-card/screen.js";

export function IdentifiedScreen({ person, notice }: { person: PersonView; notice: FaultView | null }) {
  const { station } = useModels();
  const { lang, tr } = useT();
  // Privacy: a queue stands behind the kiosk. Masked name, age and whether it is free; never
  // welfare categories or conditions (those are in the health card the person opens).
  return (
    <Screen
      name="identified"
      actions={
        <>
          <Button
            label={tr("notMe")}
            variant="secondary"
            testId="not-me"
            onPress={() => void station.send({ type: "not-me" })}
          />
          <OpenHealthCardButton />
          <Button
            label={tr("confirmMe")}
            testId="confirm"
            wide
            onPress={() => void station.send({ type: "confirm" })}
          />
        </>
      }
    >
      <p class="huge" data-testid="person-name">
        {tr("hello", { name: person.name })}
      </p>
      <p class="sub" data-testid="person-age">
        {tr("age", { age: person.age })}
      </p>
      <p class={`entitlement ${person.freeCheckup ? "ok" : "no"}`} data-testid="entitlement">
        {person.freeCheckup ? <CheckIcon /> : null}
        {person.freeCheckup ? tr("freeYes") : tr("freeNo")}
      </p>
      {notice ? <NoticeBox text={notice.message[lang]} /> : null}
    </Screen>
  );
}

export function ConsentScreen() {
  const { station } = useModels();
  const { tr } = useT();
  return (
    <Screen
      name="consent"
      title={tr("consentTitle")}
      actions={
        <>
          <Button
            label={tr("disagree")}
            variant="secondary"
            testId="disagree"
            onPress={() => void station.send({ type: "consent", accept: false })}
          />
          <Button
            label={tr("agree")}
            testId="agree"
            wide
            onPress={() => void station.send({ type: "consent", accept: true })}
          />
        </>
      }
    >
      <ul class="plain-list">
        <li>{tr("consentBp")}</li>
        <li>{tr("consentSave")}</li>
        <li>{tr("consentFree")}</li>
      </ul>
    </Screen>
  );
}
