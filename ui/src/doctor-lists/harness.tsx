// Mounts the lists screen alone, as the doctor console will; only the browser test loads it
// (tests/ui/doctor-lists.browser.test.ts). Not a build input, so not in the shipped bundle.
import { render } from "preact";
import "../styles.css";
import { DoctorListsScreen } from "./screen.js";

const lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
const app = document.getElementById("app");
if (app) render(<DoctorListsScreen lang={lang} onClose={() => {}} />, app);
