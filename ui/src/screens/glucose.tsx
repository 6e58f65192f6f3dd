/** Blood sugar: which sample (one question, three answers), then wait for the meter. */
import type { FaultView } from "../../../station/protocol.js";
import { Button, NoticeBox, Screen, useT } from "../components/common.js";
import { GlucoseMeterPicture } from "../components/illustrations.js";
import { useModels } from "../context.js";

export interface GlucoseScreenProps {
  phase: "sample-type" | "waiting" | "fault";
  skippable: boolean;
  fault: FaultView | null;
}

export function GlucoseScreen({ phase, skippable, fault }: GlucoseScreenProps) {
  const { station } = useModels();
  const { lang, tr } = useT();
  const skip = skippable ? (
    <Button
      label={tr("skipGlucose")}
      variant="secondary"
      testId="skip"
      onPress={() => void station.send({ type: "skip" })}
    />
  ) : null;
  if (phase === "sample-type") {
    const choose = (sampleType: "fasting" | "postprandial" | "random") => () =>
      void station.send({ type: "sample-type", sampleType });
    return (
      <Screen name="glucose-sample-type" title={tr("sampleQuestion")} actions={skip}>
        <div class="choices">
          <Button label={tr("sampleFasting")} testId="sample-fasting" onPress={choose("fasting")} />
          <Button
            label={tr("samplePostprandial")}
            testId="sample-postprandial"
            onPress={choose("postprandial")}
          />
          <Button label={tr("sampleRandom")} testId="sample-random" onPress={choose("random")} />
        </div>
      </Screen>
    );
  }
  if (phase === "fault") {
    return (
      <Screen
        name="glucose-fault"
        title={tr("glucoseTitle")}
        actions={
          <>
            {skip}
            <Button
              label={tr("retry")}
              testId="retry"
              wide
              onPress={() => void station.send({ type: "retry" })}
            />
          </>
        }
      >
        {fault ? <NoticeBox text={fault.message[lang]} testId="fault" /> : null}
      </Screen>
    );
  }
  return (
    <Screen name="glucose-waiting" title={tr("glucoseTitle")} actions={skip}>
      <div class="with-picture">
        <GlucoseMeterPicture />
        <p class="big">{tr("glucoseWaiting")}</p>
      </div>
    </Screen>
  );
}
