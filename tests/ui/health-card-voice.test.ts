import { describe, expect, it } from "vitest";
import { loadDefaultPolicy } from "../../station/assessment/index.js";
import { buildHealthCard } from "../../station/health-card/card.js";
import type { VoiceParam } from "../../station/protocol.js";
import { fillPrompt } from "../../station/workflow/prompt.js";
import type { VoiceKey } from "../../station/workflow/types.js";
import { VOICE } from "../../station/workflow/voice.js";
import { buildPages, pageVoice } from "../../ui/src/health-card/pages.js";

const card = buildHealthCard(
  {
    person: { name: "李光明", birthDate: "1953-07-04", sex: "male" },
    roster: { categories: ["age65", "hypertension"], doctor: { name: "钱医生", phone: "1" } },
    visits: [
      ["2026-03-01", 162, 98, 8.1],
      ["2026-06-01", 148, 92, 6.5],
    ].map(([date, s, d, g], i) => ({
      id: `v${i}`,
      version: i,
      source: "station" as const,
      date: date as string,
      takenAt: `${date}T02:00:00Z`,
      kind: "checkup" as const,
      bp: { systolic: s as number, diastolic: d as number, readingsAveraged: 1, class: "grade1" },
      glucose: {
        mmolL: g as number,
        sampleType: "fasting",
        class: (g as number) >= 7 ? "diabetes-range" : "impaired-fasting",
      },
      urgentReferral: false,
      followUpDue: null,
      rejected: null,
    })),
  },
  loadDefaultPolicy(),
  "2026-11-30",
);

/** The spoken text for structured params (numbers with their decimals), as the station fills it. */
const voiceText = (key: VoiceKey, params: Record<string, VoiceParam>) =>
  fillPrompt(
    key,
    Object.fromEntries(
      Object.entries(params).map(([k, p]) => [
        k,
        p.kind === "number" ? p.value.toFixed(p.decimals ?? 0) : "",
      ]),
    ),
  );

describe("health card pages and their voice keys", () => {
  it("every key a page names exists in the voice table, and every placeholder is filled", () => {
    for (const lang of ["zh", "en"] as const)
      for (const page of buildPages(card, lang)) {
        const v = pageVoice(page, card);
        if (!v) continue;
        expect(Object.keys(VOICE)).toContain(v.key);
        const text = voiceText(v.key as VoiceKey, v.params);
        expect(text.zh).not.toMatch(/\{\w+\}/);
        expect(text.en).not.toMatch(/\{\w+\}/);
      }
  });

  it("the chart's spoken summary says the latest values and the comparison the screen shows", () => {
    const v = pageVoice({ kind: "chart-bp" }, card)!;
    expect(v).toEqual({
      key: "health-card-bp-better",
      params: { sys: { kind: "number", value: 148 }, dia: { kind: "number", value: 92, unit: "mmHg" } },
    });
    expect(voiceText("health-card-bp-better", v.params).zh).toContain("148比92，比上次好一些");
    const g = pageVoice({ kind: "chart-glucose" }, card)!;
    expect(g.key).toBe("health-card-glucose-better");
    expect(voiceText("health-card-glucose-better", g.params).en).toContain("6.5, better than last time");
  });
});
