/** The doctor's manual ID entry: 18 characters on a big keypad, optional name. */
import { Button, NoticeBox, Screen, useT } from "../components/common.js";
import { BackspaceIcon } from "../components/icons.js";
import { useModels } from "../context.js";
import { pickLang } from "../doctor/doctor-model.js";
import { groupIdNumber } from "../format.js";
import type { TextKey } from "../i18n.js";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "X", "0"];
const PROBLEM_KEYS: Record<string, TextKey> = {
  length: "keypadBadLength",
  check: "keypadBadCheck",
  rejected: "keypadRejected",
};

export function KeypadScreen() {
  const { keypad, doctor } = useModels();
  const { tr, lang } = useT();
  const id = keypad.id.value;
  const problem = keypad.problem.value;
  // A refusal says exactly why (e.g. born after today) when the station gave a reason.
  const reason = problem === "rejected" ? doctor.error.value : null;
  const problemText = problem ? (reason ? pickLang(reason, lang) : tr(PROBLEM_KEYS[problem]!)) : null;
  return (
    <Screen
      name="keypad"
      actions={
        <>
          {/* Beside the button, not under the fields: there it would be cut off at 800×480. */}
          {problemText ? <NoticeBox text={problemText} testId="keypad-problem" /> : null}
          <Button
            label={tr("keypadSubmit")}
            testId="keypad-submit"
            disabled={!keypad.complete.value || keypad.busy.value}
            onPress={() => void keypad.submit()}
          />
        </>
      }
    >
      <div class="keypad-layout">
        <div class="keypad-fields">
          <h1 class="screen-title">{tr("keypadTitle")}</h1>
          <label class="field-label" for="kp-id">
            {tr("keypadId")}
          </label>
          <output id="kp-id" class="id-display" data-testid="keypad-id">
            {groupIdNumber(id) || "\u00a0"}
          </output>
          <label class="field-label" for="kp-name">
            {tr("keypadName")}
          </label>
          <input
            id="kp-name"
            class="name-input"
            type="text"
            autocomplete="off"
            maxLength={30}
            value={keypad.name.value}
            onInput={(e) => keypad.setName(e.currentTarget.value)}
          />
        </div>
        <fieldset class="keypad">
          {KEYS.map((key) => (
            <button key={key} type="button" class="key" data-key={key} onClick={() => keypad.press(key)}>
              {key}
            </button>
          ))}
          <button
            type="button"
            class="key key-del"
            data-key="del"
            aria-label="删除 delete"
            onClick={keypad.backspace}
          >
            <BackspaceIcon />
          </button>
        </fieldset>
      </div>
    </Screen>
  );
}
