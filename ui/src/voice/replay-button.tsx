/** "再听一遍": plays the current screen's prompt again. Big, because it is for those who missed it. */
import { useT } from "../components/common.js";
import { SpeakerIcon } from "../components/icons.js";
import { useModels } from "../context.js";

export function ReplayButton({ available }: { available: boolean }) {
  const { station } = useModels();
  const { tr } = useT();
  return (
    <button
      type="button"
      class="replay"
      data-testid="replay"
      disabled={!available}
      style={{ visibility: available ? "visible" : "hidden" }}
      onClick={station.replay}
    >
      <SpeakerIcon />
      {tr("replay")}
    </button>
  );
}
