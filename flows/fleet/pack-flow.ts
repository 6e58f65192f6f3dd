/**
 * The data-pack rollout part of the fleet dashboard (pure): the fleet-packs node with its own
 * refresh tick (so a flow file written before it existed gets it whole), and one dashboard group
 * with the form (a file from the county's packs folder, by name), the folder's files, the counts,
 * the per-station table and its page buttons.
 */
import type { FlowNode } from "../county-flow.js";

const GROUP = "hs-fleet-g-packs";
const PACKS = "hs-fleet-packs";

export function buildPackFlow(o: { z: string; state: string; pageSize: number; out: string }): FlowNode[] {
  const at = (x: number, y: number) => ({ z: o.z, x, y });
  const ui = (id: string, type: string, order: number, extra: object): FlowNode => ({
    id,
    type,
    group: GROUP,
    order,
    width: 0,
    height: 0,
    className: "",
    ...extra,
  });
  const text = (id: string, name: string, order: number, y: number) =>
    ui(id, "ui-text", order, {
      ...at(650, y),
      name,
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
    });
  const col = (key: string, title: string) => ({
    key,
    keyType: "key",
    title,
    type: "text",
    width: "",
    align: "start",
  });
  return [
    {
      id: PACKS,
      type: "fleet-packs",
      ...at(400, 640),
      name: "",
      state: o.state,
      pageSize: o.pageSize,
      wires: [
        [o.out],
        ["hs-fleet-ui-packs"],
        ["hs-fleet-ui-packs-line"],
        ["hs-fleet-ui-packs-page"],
        ["hs-fleet-ui-packs-files"],
      ],
    },
    {
      id: "hs-fleet-packs-tick",
      type: "inject",
      ...at(150, 640),
      name: "every 5 s",
      props: [{ p: "topic", vt: "str" }],
      topic: "refresh",
      repeat: "5",
      once: true,
      onceDelay: "1",
      wires: [[PACKS]],
    },
    {
      id: GROUP,
      type: "ui-group",
      name: "数据包下发 Data-pack rollout",
      page: "hs-fleet-ui-page",
      width: 12,
      height: 1,
      order: 4,
      showTitle: true,
      className: "",
      visible: "true",
      disabled: "false",
      groupType: "default",
    },
    text("hs-fleet-ui-packs-files", "packs folder", 1, 600),
    ui("hs-fleet-ui-pack-form", "ui-form", 2, {
      ...at(150, 700),
      name: "",
      label: "下发数据包 Send a data pack",
      height: 8,
      options: [
        {
          label: "数据包 Pack (roster / policy / doctors)",
          key: "name",
          type: "text",
          required: true,
          rows: null,
        },
        { label: "数据包版本 Pack version", key: "version", type: "number", required: true, rows: null },
        {
          label: "文件 File (数据包文件夹中 in the packs folder)",
          key: "file",
          type: "text",
          required: true,
          rows: null,
        },
        {
          label: "目标站点 Target stations (逗号分隔, 空为全部 comma-separated, empty = all)",
          key: "stations",
          type: "text",
          required: false,
          rows: null,
        },
      ],
      formValue: { name: "", version: "", file: "", stations: "" },
      payload: "",
      submit: "下发数据包 Send pack",
      cancel: "清除 Clear",
      resetOnSubmit: false,
      topic: "pack",
      topicType: "str",
      splitLayout: "",
      passthru: false,
      dropdownOptions: [],
      wires: [[PACKS]],
    }),
    text("hs-fleet-ui-packs-line", "pack rollout line", 3, 680),
    ...(
      [
        ["hs-fleet-ui-packs-first", "« 首页 First", "pack-first", 4],
        ["hs-fleet-ui-packs-prev", "‹ 上一页 Previous", "pack-prev", 5],
        ["hs-fleet-ui-packs-next", "下一页 Next ›", "pack-next", 6],
        ["hs-fleet-ui-packs-last", "末页 Last »", "pack-last", 7],
      ] as const
    ).map(([id, label, topic, order]) =>
      ui(id, "ui-button", order, {
        ...at(150, 760),
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
        wires: [[PACKS]],
      }),
    ),
    text("hs-fleet-ui-packs-page", "pack page line", 8, 720),
    ui("hs-fleet-ui-packs", "ui-table", 9, {
      ...at(650, 640),
      name: "",
      label: "",
      maxrows: 0,
      passthru: false,
      autocols: false,
      showSearch: false,
      deselect: true,
      selectionType: "none",
      columns: [
        col("stationId", "站点 Station"),
        col("state", "进度 Progress"),
        col("reason", "原因 Reason"),
      ],
      mobileBreakpoint: "sm",
      mobileBreakpointType: "defaults",
      action: "replace",
      className: "hs-packs-table",
      wires: [[]],
    }),
  ];
}
