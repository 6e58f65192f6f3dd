/** /sim entry: a desktop page for a person or a script driving the demo devices. */
import "@preact/signals";
import { render } from "preact";
import { stationSocketUrl, WsStationClient } from "../client/station-client.js";
import { SimApp } from "./sim-app.js";
import { createSimModel } from "./sim-model.js";
import "./sim.css";

const client = new WsStationClient({
  url: stationSocketUrl(window.location),
  createSocket: (url) => new WebSocket(url),
});
const model = createSimModel(client, (url, init) => fetch(url, init));
const root = document.getElementById("sim");
if (!root) throw new Error("#sim is missing from sim.html");
render(<SimApp model={model} />, root);
client.start();
void model.search("");
void model.refreshState();
