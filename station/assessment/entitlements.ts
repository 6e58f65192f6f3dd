/**
 * Plain-words explanation of what a person is entitled to under the county pack (policy
 * publicity, 001 §30). Every sentence comes from the pack; this file only picks and fills them.
 */
import type { PolicyPack } from "./policy-schema.js";
import { fill, type Lang, percent } from "./text.js";
import { matchesAny } from "./who.js";

export function explainEntitlements(
  categories: readonly string[],
  age: number,
  pack: PolicyPack,
  lang: Lang,
): string[] {
  const e = pack.entitlements;
  const ph = pack.texts.phrases;
  const sep = ph.separator![lang];
  const applies = (who: Parameters<typeof matchesAny>[0]) => matchesAny(who, categories, age);
  const lines: string[] = [];

  for (const s of e.freeServices) if (applies(s.who)) lines.push(s.text[lang]);
  if (applies(e.inpatient.who)) {
    const levels = (Object.keys(e.inpatient.ratios) as Array<keyof typeof e.inpatient.ratios>).map((l) =>
      fill(ph["ent-level-item"]![lang], {
        level: pack.texts.levels[l]![lang],
        ratio: percent(e.inpatient.ratios[l]),
      }),
    );
    lines.push(fill(ph["ent-inpatient"]![lang], { levels: levels.join(sep) }));
  }
  const op = e.outpatientChronic;
  if (applies(op.who)) {
    lines.push(
      fill(ph["ent-outpatient"]![lang], {
        ratio: percent(op.ratio),
        diseases: op.diseases.map((d) => d[lang]).join(sep),
      }),
    );
    for (const x of op.exceptions)
      lines.push(
        fill(ph["ent-outpatient-exception"]![lang], {
          ratio: percent(x.ratio),
          diseases: x.diseases.map((d) => d[lang]).join(sep),
        }),
      );
  }
  const md = e.majorDiseases;
  if (applies(md.who))
    lines.push(
      fill(ph["ent-major"]![lang], {
        categories: md.categories.length,
        count: md.categories.reduce((n, c) => n + c.diseases.length, 0),
        ratio: percent(md.ratio),
        diseases: md.categories.map((c) => c.name[lang]).join(sep),
      }),
    );

  // Two groups can grant the same service (65+ and the roster both get the check-up): say it once.
  const unique = [...new Set(lines)];
  return unique.length ? [ph["ent-intro"]![lang], ...unique] : [ph["ent-none"]![lang]];
}
