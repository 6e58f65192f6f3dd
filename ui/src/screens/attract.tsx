/** Waiting for a card: one big instruction, a picture, the date, and the doctor's way in. */
import { useEffect, useState } from "preact/hooks";
import type { FaultView } from "../../../station/protocol.js";
import { Button, NoticeBox, Screen, useT } from "../components/common.js";
import { CardReaderPicture } from "../components/illustrations.js";
import { useModels } from "../context.js";
import { dt } from "../doctor/texts.js";
import { formatToday } from "../format.js";

/** Re-renders at midnight-ish granularity; a kiosk runs for days. */
function useToday(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function AttractScreen({ notice }: { notice: FaultView | null }) {
  const { station, doctor } = useModels();
  const { lang, tr } = useT();
  const today = useToday();
  return (
    <Screen
      name="attract"
      actions={
        <Button
          label={dt(lang, "entry")}
          variant="quiet"
          testId="manual-entry"
          onPress={() => void doctor.enter()}
        />
      }
    >
      <div class="attract">
        <CardReaderPicture />
        <div class="attract-text">
          <p class="huge">{tr("swipeCard")}</p>
          {/* A notice takes the place of the hint and the date: one message at a time. */}
          {notice ? (
            <NoticeBox text={notice.message[lang]} testId="notice" />
          ) : (
            <>
              <p class="sub">{tr("swipeCardHint")}</p>
              <p class="meta">
                {station.info.value?.clinicName ?? ""} · {formatToday(today, lang)}
              </p>
            </>
          )}
        </div>
      </div>
    </Screen>
  );
}
