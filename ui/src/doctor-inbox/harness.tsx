// Mounts the lists screen on the help or rejected tab, as the doctor console does; only the
// browser test loads it (tests/ui/doctor-inbox.browser.test.ts). Not a build input.
import { render } from "preact";
import "../styles.css";
import { DoctorListsScreen } from "../doctor-lists/screen.js";

const q = new URLSearchParams(location.search);
const lang = q.get("lang") === "en" ? "en" : "zh";
const tab = q.get("tab") === "help" ? "help" : "rejected";
const app = document.getElementById("app");
if (app) render(<DoctorListsScreen lang={lang} initialTab={tab} onClose={() => {}} />, app);
