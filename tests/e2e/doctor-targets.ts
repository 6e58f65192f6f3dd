/**
 * The doctor screens' layout rule, run in the page (a string: the test project has no DOM types):
 * every button, input, select and textarea shown is at least 48 px tall and wide (the villager
 * rule, which the doctor's console follows too), nothing lies outside the viewport, the page does
 * not scroll, and no box that clips its content (overflow other than visible) hides any of it.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { SIZES, shotPath } from "./kiosk-driver.js";

export const DOCTOR_LAYOUT = (scope: string | null = null) => `(() => {
  const out = [];
  const scope = ${JSON.stringify(scope)};
  const vw = window.innerWidth, vh = window.innerHeight;
  const doc = document.documentElement;
  if (doc.scrollWidth > vw + 0.5 || doc.scrollHeight > vh + 0.5) out.push("page is " + doc.scrollWidth + "x" + doc.scrollHeight);
  const label = (el) => {
    const id = el.getAttribute("data-testid") ? "[" + el.getAttribute("data-testid") + "]" : "";
    const name = el.getAttribute("name") ? "(" + el.getAttribute("name") + ")" : "";
    return el.tagName.toLowerCase() + id + name + " " + JSON.stringify((el.textContent || el.value || "").trim().slice(0, 24));
  };
  const root = scope ? document.querySelector(scope) : document.body;
  if (!root) return ["no " + scope + " on screen"];
  for (const el of root.querySelectorAll("*")) {
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    const cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden" || cs.display === "contents") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.top < -0.5 || r.left < -0.5 || r.bottom > vh + 0.5 || r.right > vw + 0.5)
      out.push(label(el) + " lies outside the viewport");
    const tag = el.tagName;
    const control = tag === "BUTTON" || tag === "SELECT" || tag === "TEXTAREA" || (tag === "INPUT" && el.type !== "hidden");
    if (control && (r.height < 47.5 || r.width < 47.5))
      out.push(label(el) + " target is " + Math.round(r.width) + "x" + Math.round(r.height));
    const clips = cs.overflowY !== "visible" || cs.overflowX !== "visible";
    if (clips && cs.display !== "inline" && tag !== "INPUT" && tag !== "TEXTAREA" && tag !== "SELECT") {
      if (el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1)
        out.push(label(el) + " hides content: " + el.scrollHeight + "px in " + el.clientHeight + "px");
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
        out.push(label(el) + " hides content: " + el.scrollWidth + "px wide in " + el.clientWidth + "px");
    }
  }
  return out;
})()`;

/**
 * Screenshots `page` (SIZES[sizeIndex]) as doctor-targets-<name>[-en] in zh and en, and checks
 * each; `scope` limits the element checks to one part (the doctor's strip over a kiosk screen).
 */
export async function checkDoctorScreen(
  page: Page,
  sizeIndex: number,
  name: string,
  scope: string | null = null,
): Promise<void> {
  const size = SIZES[sizeIndex]!;
  for (const lang of ["zh", "en"] as const) {
    if (lang === "en") {
      await page.click('[data-testid="lang"]');
      await page.waitForSelector('.kiosk[lang="en"]');
    }
    const shot = `doctor-targets-${name}${lang === "en" ? "-en" : ""}`;
    await page.screenshot({ path: await shotPath(sizeIndex, shot) });
    const problems = (await page.evaluate(DOCTOR_LAYOUT(scope))) as string[];
    expect.soft(problems.join("\n"), `${shot} at ${size.width}×${size.height}`).toBe("");
  }
  await page.click('[data-testid="lang"]');
  await page.waitForSelector('.kiosk[lang="zh-CN"]');
}
