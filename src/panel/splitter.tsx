/**
 * The divider between the list and the detail, as in DevTools: drag it, or focus it and use the arrow keys.
 * The list's share is a percentage of the main area along its flex direction, so the same value works side by
 * side (width) and stacked in a narrow panel (height). It is remembered across panel openings.
 */
import type { JSX } from 'preact';
import { useCallback, useState } from 'preact/hooks';

const KEY = 'cors-explainer.split';
export const SPLIT_MIN = 20;
export const SPLIT_MAX = 80;
export const SPLIT_DEFAULT = 42;

const clamp = (n: number) => Math.min(SPLIT_MAX, Math.max(SPLIT_MIN, n));

function readSplit(): number {
  try {
    const n = Number(localStorage.getItem(KEY));
    return Number.isFinite(n) && n > 0 ? clamp(n) : SPLIT_DEFAULT;
  } catch {
    return SPLIT_DEFAULT;
  }
}

export function useSplit(): [number, (n: number) => void] {
  const [split, setSplit] = useState(readSplit);
  const update = useCallback((n: number) => {
    const next = clamp(Math.round(n * 10) / 10);
    setSplit(next);
    try {
      localStorage.setItem(KEY, String(next));
    } catch {
      // not remembered then
    }
  }, []);
  return [split, update];
}

export function Splitter({ split, onSplit, label }: { split: number; onSplit(n: number): void; label: string }): JSX.Element {
  const onPointerDown = (event: PointerEvent) => {
    const handle = event.currentTarget as HTMLElement;
    const main = handle.parentElement;
    if (!main || event.button !== 0) return;
    event.preventDefault();
    const column = getComputedStyle(main).flexDirection === 'column';
    const rect = main.getBoundingClientRect();
    handle.setPointerCapture?.(event.pointerId);
    const move = (e: PointerEvent) => onSplit(column ? ((e.clientY - rect.top) / rect.height) * 100 : ((e.clientX - rect.left) / rect.width) * 100);
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 10 : 2;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') onSplit(split - step);
    else if (event.key === 'ArrowRight' || event.key === 'ArrowDown') onSplit(split + step);
    else if (event.key === 'Home') onSplit(SPLIT_MIN);
    else if (event.key === 'End') onSplit(SPLIT_MAX);
    else return;
    event.preventDefault();
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable, adjustable separator has no native element (hr is not interactive)
    <div
      class="splitter"
      role="separator"
      tabIndex={0}
      aria-label={label}
      aria-valuemin={SPLIT_MIN}
      aria-valuemax={SPLIT_MAX}
      aria-valuenow={Math.round(split)}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
