/**
 * Generates the clearly synthetic demo roster: 1,200 villagers of a fictional county with valid
 * GB 11643 ID numbers. Deterministic (seeded), so the committed file is reproducible:
 *   npx tsx scripts/gen-demo-roster.ts > station/data/demo-roster.json
 */
import { idCheckChar } from "../station/domain/id-number.js";

// Region code 510199: inside Sichuan's numbering but assigned to no real county.
const REGION = "510199";
const COUNT = 1200;
const AS_OF = "2026-01-01";

let seed = 20260101;
function rand(): number {
  // mulberry32: small, deterministic, good enough for fake demographics.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const SURNAMES = [
  "王",
  "李",
  "张",
  "刘",
  "陈",
  "杨",
  "黄",
  "赵",
  "周",
  "吴",
  "徐",
  "孙",
  "马",
  "胡",
  "朱",
  "郭",
  "何",
  "罗",
  "高",
  "林",
];
const GIVEN = [
  "秀英",
  "桂英",
  "秀兰",
  "玉兰",
  "桂兰",
  "建国",
  "建华",
  "国强",
  "志强",
  "德明",
  "海燕",
  "红梅",
  "光明",
  "学文",
  "春华",
  "永福",
  "淑珍",
  "文华",
  "明亮",
  "金花",
  "长林",
  "丽华",
  "树林",
  "福贵",
];
const VILLAGES = ["演示一村", "演示二村", "演示三村", "演示四村"];
const DOCTORS = [
  { name: "李医生（演示）", phone: "0000-0000001" },
  { name: "赵医生（演示）", phone: "0000-0000002" },
  { name: "陈医生（演示）", phone: "0000-0000003" },
];

function pad(n: number, w: number): string {
  return String(n).padStart(w, "0");
}

const people = [];
const used = new Set<string>();
while (people.length < COUNT) {
  // Age mix skewed old, as in a village clinic's served population.
  const age = rand() < 0.55 ? 65 + Math.floor(rand() * 30) : 20 + Math.floor(rand() * 45);
  const year = 2026 - age - (rand() < 0.5 ? 1 : 0);
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  const male = rand() < 0.5;
  const seqBase = Math.floor(rand() * 500) * 2;
  const seq = pad(seqBase + (male ? 1 : 0), 3);
  const first17 = `${REGION}${year}${pad(month, 2)}${pad(day, 2)}${seq}`;
  const idNumber = first17 + idCheckChar(first17);
  if (used.has(idNumber)) continue;
  used.add(idNumber);
  const birth = `${year}-${pad(month, 2)}-${pad(day, 2)}`;
  const ageAsOf = Number(AS_OF.slice(0, 4)) - year - (AS_OF.slice(5) < birth.slice(5) ? 1 : 0);
  const categories: string[] = [];
  if (rand() < 0.35) categories.push("registered-poor");
  if (rand() < 0.1) categories.push("subsistence");
  if (rand() < 0.02) categories.push("destitute");
  if (rand() < 0.03) categories.push("poor-disabled");
  if (ageAsOf >= 65) categories.push("age65");
  if (rand() < (ageAsOf >= 60 ? 0.35 : 0.08)) categories.push("hypertension");
  if (rand() < (ageAsOf >= 60 ? 0.15 : 0.04)) categories.push("diabetes");
  people.push({
    idNumber,
    name: pick(SURNAMES) + pick(GIVEN),
    village: pick(VILLAGES),
    categories,
    doctor: pick(DOCTORS),
  });
}

process.stdout.write(
  `${JSON.stringify(
    {
      version: 1,
      county: "示范县（演示）",
      synthetic: true,
      generatedAt: AS_OF,
      people,
    },
    null,
    1,
  )}\n`,
);
