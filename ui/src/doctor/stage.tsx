/** Picks the console screen; null leaves the kiosk's own screens on the stage. */
import { useEffect } from "preact/hooks";
import { DoctorListsScreen } from "../doctor-lists/screen.js";
import { PersonHistoryScreen } from "../person-history/screen.js";
import { KeypadScreen } from "../screens/keypad.js";
import { FollowUpScreen } from "./follow-up.js";
import { IdReasonScreen, ManualBpScreen, ManualGlucoseScreen, SymptomsScreen } from "./forms.js";
import { HomeScreen } from "./home.js";
import { NamesScreen, PinScreen } from "./sign-in.js";
import { useDoctor } from "./use-doctor.js";

export function DoctorStage() {
  const { doctor, station, lang } = useDoctor();
  const screen = doctor.screen.value;
  const step = station.view.value?.step;
  // A villager's card on the console home starts their check-up: show it.
  useEffect(() => {
    if (step === "identified" && (screen === "home" || screen === "keypad" || screen === "id-reason"))
      doctor.open(null);
  }, [step]);
  switch (screen) {
    case "names":
      return <NamesScreen />;
    case "pin":
      return <PinScreen />;
    case "home":
      return <HomeScreen />;
    case "id-reason":
      return <IdReasonScreen />;
    case "keypad":
      return <KeypadScreen />;
    case "symptoms":
      return <SymptomsScreen />;
    case "manual-bp":
      return <ManualBpScreen />;
    case "manual-glucose":
      return <ManualGlucoseScreen />;
    case "follow-up":
      return <FollowUpScreen />;
    case "lists":
      return (
        <DoctorListsScreen
          lang={lang}
          initialTab={doctor.listsTab.value}
          onClose={() => doctor.open("home")}
          onHistory={(entryKey, via) => void doctor.openHistory({ entryKey, via }, "lists")}
        />
      );
    case "history":
      return <PersonHistoryScreen />;
    case null:
      return null;
  }
}
