/**
 * A fixed-row-height virtual window. Every list row is one line of the same height (like DevTools' Network
 * panel), so which rows are visible is plain arithmetic: no measuring, no layout feedback loop, and keyboard
 * scrolling is exact. Only the rows in view (plus an overscan margin) are in the DOM, so 10 000 records cost
 * the same as 40.
 */
import type { RefObject } from 'preact';
import { useCallback, useLayoutEffect, useState } from 'preact/hooks';

export interface VirtualWindow {
  /** First rendered index (inclusive). */
  start: number;
  /** Last rendered index (exclusive). */
  end: number;
  /** Height of the whole list in px. */
  totalHeight: number;
  /** Scrolls just enough to show row `index` below a sticky header of `headerHeight` px. */
  scrollToIndex(index: number): void;
  /** Scrolls to the end of the list. */
  scrollToEnd(): void;
  /** True when the viewport shows the last row (new rows then keep it pinned to the end). */
  atEnd: boolean;
  /** Rows that fit in the viewport, for PageUp/PageDown. */
  pageSize: number;
}

/** Viewport height used before layout is known (tests, first frame). */
const FALLBACK_VIEWPORT = 600;

export function useFixedVirtual(
  scrollRef: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  headerHeight: number,
  overscan = 10,
): VirtualWindow {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setScrollTop(el.scrollTop);
      });
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    setViewport(el.clientHeight);
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => setViewport(el.clientHeight)) : undefined;
    observer?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      if (frame) cancelAnimationFrame(frame);
      observer?.disconnect();
    };
  }, [scrollRef]);

  const height = viewport > 0 ? viewport : FALLBACK_VIEWPORT;
  const body = Math.max(rowHeight, height - headerHeight);
  const totalHeight = count * rowHeight;
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - body)));
  const start = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + body) / rowHeight) + overscan);
  const atEnd = top + body >= totalHeight - rowHeight / 2;

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const visible = Math.max(rowHeight, (el.clientHeight || FALLBACK_VIEWPORT) - headerHeight);
      const rowTop = index * rowHeight;
      let next = el.scrollTop;
      if (rowTop < el.scrollTop) next = rowTop;
      else if (rowTop + rowHeight > el.scrollTop + visible) next = rowTop + rowHeight - visible;
      if (next !== el.scrollTop) {
        el.scrollTop = next;
        setScrollTop(next);
      }
    },
    [scrollRef, rowHeight, headerHeight],
  );

  const scrollToEnd = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, [scrollRef]);

  return { start, end, totalHeight, scrollToIndex, scrollToEnd, atEnd, pageSize: Math.max(1, Math.floor(body / rowHeight) - 1) };
}
