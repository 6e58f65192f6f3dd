/** Saving the record; a failure asks for the doctor in big type. */
import type { FaultView } from "../../../station/protocol.js";
import { Button, NoticeBox, Screen, useT } from "../components/common.js";
import { WarningIcon } from "../components/icons.js";
import { useModels } from "../context.js";

export function SavingScreen({ error }: { error: FaultView | null }) {
  const { station } = useModels();
  const { lang, tr } = useT();
  if (!error) {
    return (
      <Screen name="saving">
        <div class="center">
          <div class="spinner" aria-hidden="true" />
          <p class="huge">{tr("saving")}</p>
        </div>
      </Screen>
    );
  }
  return (
    <Screen
      name="saving-failed"
      tone="warning"
      actions={
        <Button
          label={tr("retry")}
          testId="retry"
          wide
          onPress={() => void station.send({ type: "retry" })}
        />
      }
    >
      <p class="huge warning-text">
        <WarningIcon /> {tr("saveFailed")}
      </p>
      <NoticeBox text={error.message[lang]} testId="fault" />
    </Screen>
  );
}
