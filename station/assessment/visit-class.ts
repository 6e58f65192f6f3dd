/**
 * 此次随访分类, the follow-up visit class of the national specification's forms (care-notes.md):
 * 控制满意 controlled, 控制不满意 uncontrolled, 不良反应 adverse reaction, 并发症 complication.
 * Open: a class a newer build adds is kept, not rejected (ADR 0003).
 */
import { openEnum } from "../domain/open-enum.js";

export const VISIT_CLASSES = ["controlled", "uncontrolled", "adverse-reaction", "complication"] as const;
export const VisitClass = openEnum(VISIT_CLASSES);
export type VisitClass = (typeof VISIT_CLASSES)[number] | (string & {});
