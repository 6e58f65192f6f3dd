/**
 * The county fleet view as a Node-RED flow (pure): the fleet nodes (flows/nodes/fleet-nodes.ts)
 * on the county-admin MQTT login, and a Dashboard 2.0 page at `{httpNodeRoot}/dashboard/fleet`
 * with the paged station table, the alarm list with acknowledge, a config rollout with its
 * progress, and a data-pack rollout (pack-flow.ts). County IT edits it in the editor: only the MQTT connection is rewritten from the
 * config at each start; every other node here is written once and then left as IT keeps it.
 */
import type { FlowNode } from "../county-flow.js";
import { FleetState } from "./fleet-state.js";
import { buildPackFlow } from "./pack-flow.js";

export const FLEET_IDS = { tab: "hs-fleet-tab", broker: "hs-fleet-broker", state: "hs-fleet-state" };
export const FLEET_DASHBOARD_PATH = "/dashboard";
export const FLEET_PAGE_PATH = "/fleet";

export interface FleetFlowOptions {
  county: string;
  brokerUrl: string;
  /** The tls-config node's id when the broker is TLS. */
  tls: string | null;
  username: string;
  offlineAlarmSeconds: number;
  pageSize: number;
}

const col = (key: string, title: string, type = "text") => ({
  key,
  keyType: "key",
  title,
  type,
  width: "",
  align: "start",
});

export function buildFleetFlow(o: FleetFlowOptions): FlowNode[] {
  const z = FLEET_IDS.tab;
  const at = (x: number, y: number) => ({ z, x, y });
  const ui = (id: string, type: string, group: string, order: number, extra: object): FlowNode => ({
    id,
    type,
    group,
    order,
    width: 0,
    height: 0,
    className: "",
    ...extra,
  });
  const subs = new FleetState(o.county).subscriptions();
  return [
    {
      id: z,
      type: "tab",
      label: "Fleet 设备群",
      disabled: false,
      info: "County fleet view (docs/fleet.md). Dashboard: /api/dashboard/fleet. The MQTT connection is rewritten from the county config at each start; everything else here is yours to edit.",
    },
    {
      id: FLEET_IDS.broker,
      type: "mqtt-broker",
      name: `fleet (${o.username})`,
      broker: o.brokerUrl,
      port: "",
      // The embedded broker requires client id = username; Mosquitto sets it so anyway.
      clientid: o.username,
      autoConnect: true,
      usetls: !!o.tls,
      tls: o.tls ?? "",
      protocolVersion: "4",
      keepalive: "60",
      cleansession: true,
      autoUnsubscribe: true,
      birthTopic: "",
      closeTopic: "",
      willTopic: "",
    },
    {
      id: FLEET_IDS.state,
      type: "fleet-state",
      name: "",
      county: o.county,
      offlineAlarmSeconds: o.offlineAlarmSeconds,
    },
    ...subs.map(
      (topic, i): FlowNode => ({
        id: `hs-fleet-sub-${i}`,
        type: "mqtt in",
        ...at(150, 60 + i * 50),
        name: topic.split("/").pop() ?? topic,
        topic,
        qos: "1",
        datatype: "buffer",
        broker: FLEET_IDS.broker,
        nl: false,
        rap: true,
        rh: 0,
        inputs: 0,
        wires: [["hs-fleet-in"]],
      }),
    ),
    {
      id: "hs-fleet-in",
      type: "fleet-in",
      ...at(400, 120),
      name: "",
      state: FLEET_IDS.state,
      wires: [["hs-fleet-out"]],
    },
    {
      id: "hs-fleet-out",
      type: "mqtt out",
      ...at(650, 120),
      name: "to stations",
      topic: "",
      qos: "",
      retain: "",
      broker: FLEET_IDS.broker,
      wires: [],
    },
    {
      id: "hs-fleet-tick",
      type: "inject",
      ...at(150, 300),
      name: "every 5 s",
      props: [{ p: "topic", vt: "str" }],
      topic: "refresh",
      repeat: "5",
      once: true,
      onceDelay: "1",
      wires: [["hs-fleet-stations", "hs-fleet-alarms", "hs-fleet-rollout"]],
    },
    {
      id: "hs-fleet-stations",
      type: "fleet-stations",
      ...at(400, 300),
      name: "",
      state: FLEET_IDS.state,
      pageSize: o.pageSize,
      wires: [["hs-fleet-ui-stations"], ["hs-fleet-ui-pageline"]],
    },
    {
      id: "hs-fleet-alarms",
      type: "fleet-alarms",
      ...at(400, 400),
      name: "",
      state: FLEET_IDS.state,
      wires: [["hs-fleet-ui-alarms"], ["hs-fleet-out"]],
    },
    {
      id: "hs-fleet-rollout",
      type: "fleet-rollout",
      ...at(400, 500),
      name: "",
      state: FLEET_IDS.state,
      wires: [["hs-fleet-out"], ["hs-fleet-ui-rollout"], ["hs-fleet-ui-rollout-line"]],
    },
    // Dashboard 2.0: one page, three groups.
    {
      id: "hs-fleet-ui-base",
      type: "ui-base",
      name: "县设备群 County fleet",
      path: FLEET_DASHBOARD_PATH,
      appIcon: "",
      includeClientData: true,
      acceptsClientConfig: ["ui-notification", "ui-control"],
      showPathInSidebar: false,
      headerContent: "page",
      navigationStyle: "default",
      titleBarStyle: "default",
      showReconnectNotification: true,
      notificationDisplayTime: 1,
      showDisconnectNotification: true,
      allowInstall: false,
    },
    {
      id: "hs-fleet-ui-theme",
      type: "ui-theme",
      name: "county",
      colors: {
        surface: "#1f4e79",
        primary: "#1f4e79",
        bgPage: "#f4f6f8",
        groupBg: "#ffffff",
        groupOutline: "#d0d7de",
      },
      sizes: {
        density: "compact",
        pagePadding: "8px",
        groupGap: "8px",
        groupBorderRadius: "4px",
        widgetGap: "8px",
      },
    },
    {
      id: "hs-fleet-ui-page",
      type: "ui-page",
      name: "设备群 Fleet",
      ui: "hs-fleet-ui-base",
      path: FLEET_PAGE_PATH,
      icon: "server",
      layout: "grid",
      theme: "hs-fleet-ui-theme",
      breakpoints: [
        { name: "Default", px: 0, cols: 3 },
        { name: "Tablet", px: 576, cols: 6 },
        { name: "Small Desktop", px: 768, cols: 9 },
        { name: "Desktop", px: 1024, cols: 12 },
      ],
      order: 1,
      className: "",
      visible: "true",
      disabled: "false",
    },
    ...[
      ["hs-fleet-g-stations", "站点 Stations", 1],
      ["hs-fleet-g-alarms", "告警 Alarms", 2],
      ["hs-fleet-g-rollout", "配置下发 Config rollout", 3],
    ].map(
      ([id, name, order]): FlowNode => ({
        id: id as string,
        type: "ui-group",
        name,
        page: "hs-fleet-ui-page",
        width: 12,
        height: 1,
        order,
        showTitle: true,
        className: "",
        visible: "true",
        disabled: "false",
        groupType: "default",
      }),
    ),
    ...(
      [
        ["hs-fleet-ui-first", "« 首页 First", "first", 1],
        ["hs-fleet-ui-prev", "‹ 上一页 Previous", "prev", 2],
        ["hs-fleet-ui-next", "下一页 Next ›", "next", 3],
        ["hs-fleet-ui-last", "末页 Last »", "last", 4],
      ] as const
    ).map(([id, label, topic, order]) =>
      ui(id, "ui-button", "hs-fleet-g-stations", order, {
        ...at(150, 220),
        name: "",
        label,
        width: 3,
        height: 1,
        tooltip: "",
        color: "",
        bgcolor: "",
        icon: "",
        iconPosition: "left",
        payload: "",
        payloadType: "str",
        topic,
        topicType: "str",
        buttonColor: "",
        textColor: "",
        iconColor: "",
        enableClick: true,
        enablePointerdown: false,
        pointerdownPayload: "",
        pointerdownPayloadType: "str",
        enablePointerup: false,
        pointerupPayload: "",
        pointerupPayloadType: "str",
        emulateClick: false,
        wires: [["hs-fleet-stations"]],
      }),
    ),
    ui("hs-fleet-ui-pageline", "ui-text", "hs-fleet-g-stations", 5, {
      ...at(650, 260),
      name: "page line",
      label: "",
      format: "{{msg.payload}}",
      layout: "row-left",
      style: false,
      font: "",
      fontSize: 16,
      color: "#000000",
      wrapText: true,
      value: "payload",
      valueType: "msg",
      wires: [],
    }),
    table("hs-fleet-ui-stations", "hs-fleet-g-stations", 6, at(650, 300), "hs-stations-table", [
      col("stationId", "站点 Station"),
      col("state", "状态 State"),
      col("lastSeen", "最后联系 Last seen (UTC)"),
      col("software", "软件 Software"),
      col("config", "配置 Config"),
      col("packs", "数据包 Packs"),
      col("backlog", "积压 Backlog"),
      col("alarms", "告警 Alarms"),
    ]),
    {
      ...table("hs-fleet-ui-alarms", "hs-fleet-g-alarms", 1, at(650, 400), "hs-alarms-table", [
        col("stationId", "站点 Station"),
        col("alarmId", "告警 Alarm"),
        col("severity", "级别 Severity"),
        col("raisedAt", "发生 Raised"),
        col("detail", "详情 Detail"),
        col("acked", "确认 Acknowledged"),
        col("ack", "操作 Action", "button"),
      ]),
      wires: [["hs-fleet-alarms"]],
    },
    ui("hs-fleet-ui-form", "ui-form", "hs-fleet-g-rollout", 1, {
      ...at(150, 500),
      name: "",
      label: "下发配置 Send a config",
      height: 8,
      options: [
        { label: "版本 Version", key: "version", type: "number", required: true, rows: null },
        { label: "设置 Settings (JSON)", key: "settings", type: "multiline", required: true, rows: 3 },
        {
          label: "站点 Stations (逗号分隔, 空为全部 comma-separated, empty = all)",
          key: "stations",
          type: "text",
          required: false,
          rows: null,
        },
      ],
      formValue: { version: "", settings: "", stations: "" },
      payload: "",
      submit: "下发 Send",
      cancel: "清除 Clear",
      resetOnSubmit: false,
      topic: "rollout",
      topicType: "str",
      splitLayout: "",
      passthru: false,
      dropdownOptions: [],
      wires: [["hs-fleet-rollout"]],
    }),
    ui("hs-fleet-ui-rollout-line", "ui-text", "hs-fleet-g-rollout", 2, {
      ...at(650, 540),
      name: "rollout line",
      label: "",
      format: "{{msg.payload}}",
      layout: "row-left",
      style: false,
      font: "",
      fontSize: 16,
      color: "#000000",
      wrapText: true,
      value: "payload",
      valueType: "msg",
      wires: [],
    }),
    table("hs-fleet-ui-rollout", "hs-fleet-g-rollout", 3, at(650, 500), "hs-rollout-table", [
      col("stationId", "站点 Station"),
      col("status", "进度 Progress"),
      col("answer", "站点回复 Answer"),
      col("detail", "原因 Detail"),
      col("at", "时间 At"),
    ]),
    ...buildPackFlow({ z, state: FLEET_IDS.state, pageSize: o.pageSize, out: "hs-fleet-out" }),
  ];

  function table(
    id: string,
    group: string,
    order: number,
    pos: object,
    className: string,
    columns: object[],
  ): FlowNode {
    // Server-side paging: the node sends one page and the table replaces its rows (its default,
    // append, would grow it with every refresh).
    return ui(id, "ui-table", group, order, {
      ...pos,
      name: "",
      label: "",
      maxrows: 0,
      passthru: false,
      autocols: false,
      showSearch: false,
      deselect: true,
      selectionType: "none",
      columns,
      mobileBreakpoint: "sm",
      mobileBreakpointType: "defaults",
      action: "replace",
      className,
      wires: [[]],
    });
  }
}

/**
 * Adds the fleet flow to an existing flow file: the MQTT connection (and the state node's county)
 * always from the config; every other fleet node only when missing, so IT's edits survive restarts.
 */
export function mergeFleetFlow(existing: FlowNode[], fleet: FlowNode[]): FlowNode[] {
  const always = new Set([FLEET_IDS.broker, FLEET_IDS.state]);
  const have = new Set(existing.map((n) => n.id));
  const replaced = existing.map((n) => (always.has(n.id) ? (fleet.find((f) => f.id === n.id) ?? n) : n));
  return [...replaced, ...fleet.filter((n) => !have.has(n.id))];
}
