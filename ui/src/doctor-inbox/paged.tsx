/** A list that pages (never scrolls) in the rows that fit its box, like the lists' screens. */
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { rowsInBox } from "../doctor-lists/model.js";

function remPx(): number {
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

export function Paged<T>(p: {
  items: T[] | null;
  empty: string;
  testId: string;
  row: (item: T) => ComponentChildren;
  tr: (k: string, p?: Record<string, string | number>) => string;
}) {
  const ref = useRef<HTMLUListElement>(null);
  const [size, setSize] = useState(4);
  const [page, setPage] = useState(1);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setSize(rowsInBox(el.clientHeight, remPx()));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const all = p.items ?? [];
  const pages = Math.max(1, Math.ceil(all.length / size));
  const current = Math.min(page, pages);
  return (
    <div class="dl-body">
      <ul class="dl-rows" data-testid={p.testId} ref={ref}>
        {p.items?.length === 0 ? <li class="dl-empty">{p.empty}</li> : null}
        {all.slice((current - 1) * size, current * size).map(p.row)}
      </ul>
      <div class="dl-pager">
        <button type="button" class="dl-chip" disabled={current <= 1} onClick={() => setPage(current - 1)}>
          {p.tr("prev")}
        </button>
        <span>{p.items ? p.tr("pageOf", { page: current, pages, total: all.length }) : p.tr("loading")}</span>
        <button
          type="button"
          class="dl-chip"
          disabled={current >= pages}
          onClick={() => setPage(current + 1)}
        >
          {p.tr("next")}
        </button>
      </div>
    </div>
  );
}
