/** The simulator page: villagers and card, devices, flow actions, live state and a call log. */
import { useState } from "preact/hooks";
import type { UiAction } from "../../../station/protocol.js";
import { BP_PROFILES, CARD_FAULTS, GLUCOSE_PROFILES, SIM_DEVICES, type SimModel } from "./sim-model.js";

const FLOW_ACTIONS: Array<{ label: string; action: UiAction }> = [
  { label: "confirm 是我", action: { type: "confirm" } },
  { label: "not-me 不是我", action: { type: "not-me" } },
  { label: "consent ✓ 同意", action: { type: "consent", accept: true } },
  { label: "consent ✗ 不同意", action: { type: "consent", accept: false } },
  { label: "back 返回", action: { type: "back" } },
  { label: "cancel 取消", action: { type: "cancel" } },
  { label: "retry 重试", action: { type: "retry" } },
  { label: "skip 跳过", action: { type: "skip" } },
  { label: "next 下一步", action: { type: "next" } },
  { label: "fasting 空腹", action: { type: "sample-type", sampleType: "fasting" } },
  { label: "postprandial 饭后", action: { type: "sample-type", sampleType: "postprandial" } },
  { label: "random 随机", action: { type: "sample-type", sampleType: "random" } },
  { label: "print 打印", action: { type: "print" } },
  { label: "finish 完成", action: { type: "finish" } },
  { label: "help 求助", action: { type: "help" } },
  { label: "touch", action: { type: "touch" } },
];

function Roster({ model }: { model: SimModel }) {
  return (
    <section class="panel">
      <h2>村民 · Villagers</h2>
      <input
        class="search"
        type="search"
        placeholder="姓名 / 村"
        data-testid="sim-search"
        value={model.query.value}
        onInput={(e) => void model.search(e.currentTarget.value)}
      />
      <ul class="roster" data-testid="sim-roster">
        {model.roster.value.map((p) => (
          <li key={p.ref}>
            <div>
              <strong>{p.name}</strong> {p.age}岁 · {p.village}
              <div class="small">
                {p.maskedId} {p.categories.join(", ")}
              </div>
            </div>
            <button
              type="button"
              data-testid="sim-swipe"
              data-ref={p.ref}
              onClick={() => void model.presentCard(p.ref)}
            >
              刷卡 Present card
            </button>
          </li>
        ))}
      </ul>
      <div class="row">
        <button type="button" data-testid="sim-remove-card" onClick={() => void model.removeCard()}>
          拿走卡 Remove card
        </button>
        {CARD_FAULTS.map((f) => (
          <button key={f} type="button" data-testid={`sim-card-${f}`} onClick={() => void model.cardFault(f)}>
            card: {f}
          </button>
        ))}
      </div>
    </section>
  );
}

function Devices({ model }: { model: SimModel }) {
  return (
    <section class="panel">
      <h2>设备 · Devices</h2>
      <h3>血压 BP</h3>
      <div class="row">
        {BP_PROFILES.map((p) => (
          <button key={p} type="button" data-testid={`sim-bp-${p}`} onClick={() => void model.bp(p)}>
            {p}
          </button>
        ))}
      </div>
      <h3>血糖 Glucose</h3>
      <div class="row">
        {GLUCOSE_PROFILES.map((p) => (
          <button
            key={p}
            type="button"
            data-testid={`sim-glucose-${p}`}
            onClick={() => void model.glucose(p)}
          >
            {p}
          </button>
        ))}
      </div>
      <h3>流程 Flow (UiAction)</h3>
      <div class="row">
        {FLOW_ACTIONS.map(({ label, action }) => (
          <button
            key={label}
            type="button"
            data-action={action.type}
            onClick={() => void model.action(action)}
          >
            {label}
          </button>
        ))}
      </div>
      <ManualId model={model} />
      <h3>接线 Plug / unplug</h3>
      <ul class="status">
        {SIM_DEVICES.map((name) => {
          const s = model.devices.value[name];
          return (
            <li key={name}>
              {name}: <strong>{s?.state ?? "?"}</strong> {s?.code ?? ""}{" "}
              <button
                type="button"
                data-testid={`sim-plug-${name}`}
                onClick={() => void model.plug(name, true)}
              >
                plug
              </button>{" "}
              <button
                type="button"
                data-testid={`sim-unplug-${name}`}
                onClick={() => void model.plug(name, false)}
              >
                unplug
              </button>
            </li>
          );
        })}
      </ul>
      <div class="row">
        <button type="button" data-testid="sim-help" onClick={() => void model.help()}>
          求助按钮 Help button
        </button>
      </div>
    </section>
  );
}

function ManualId({ model }: { model: SimModel }) {
  const [id, setId] = useState("");
  return (
    <div class="row">
      <input
        value={id}
        placeholder="manual-id 身份证号"
        onInput={(e) => setId(e.currentTarget.value.trim())}
      />
      <button
        type="button"
        disabled={id.length === 0}
        onClick={() => void model.action({ type: "manual-id", idNumber: id })}
      >
        manual-id
      </button>
    </div>
  );
}

function Live({ model }: { model: SimModel }) {
  const view = model.view.value;
  return (
    <section class="panel">
      <h2>
        当前状态 · Live state{" "}
        <span class={`conn conn-${model.connection.value}`}>{model.connection.value}</span>
      </h2>
      <p>
        step: <strong data-testid="sim-step">{view?.step ?? "—"}</strong>
        {view && "phase" in view ? ` · phase: ${view.phase}` : ""}
      </p>
      {model.voice.value ? <p>🔊 {model.voice.value.text.zh}</p> : null}
      <pre class="state">{view ? JSON.stringify(view, null, 2) : ""}</pre>
      <h3>调用记录 · Calls</h3>
      <ul class="log">
        {model.log.value.map((e, i) => (
          <li key={`${e.at}-${i}`} class={e.ok ? "ok" : "fail"}>
            {e.at} {e.ok ? "✓" : "✗"} {e.request} → {e.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SimApp({ model }: { model: SimModel }) {
  return (
    <div class="sim">
      <header>
        <h1>模拟设备 · Device simulator</h1>
        <a href="/" target="kiosk">
          打开自助机 Open kiosk ↗
        </a>
      </header>
      <div class="columns">
        <Roster model={model} />
        <Devices model={model} />
        <Live model={model} />
      </div>
    </div>
  );
}
