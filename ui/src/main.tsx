/** Kiosk entry: the real WebSocket client, the recorded voice (speechSynthesis fallback), one render. */
import "@preact/signals";
import { render } from "preact";
import { App } from "./app.js";
import { stationSocketUrl, WsStationClient } from "./client/station-client.js";
import { createModels, ModelsContext } from "./context.js";
import { createBrowserSpeaker } from "./speech.js";
import "./styles.css";
import "./doctor/doctor.css";
import { createClipSpeaker } from "./voice/player.js";

const client = new WsStationClient({
  url: stationSocketUrl(window.location),
  createSocket: (url) => new WebSocket(url),
});
const models = createModels(client, {
  speaker: createClipSpeaker({
    fallback: createBrowserSpeaker(),
    createAudio: (src) => {
      const audio = new Audio(src);
      audio.preload = "auto";
      return audio;
    },
  }),
});
const root = document.getElementById("app");
if (!root) throw new Error("#app is missing from index.html");
render(
  <ModelsContext.Provider value={models}>
    <App />
  </ModelsContext.Provider>,
  root,
);
client.start();
