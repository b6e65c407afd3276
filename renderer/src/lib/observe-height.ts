import type { Attachment } from 'svelte/attachments';

/**
 * Reports an element's client height whenever it changes, read only inside a
 * ResizeObserver callback (after layout). Svelte's `bind:clientHeight` also reads it
 * once on mount, which forces a layout before anything is drawn: 20 ms before the
 * runs list's first rows.
 */
export function observeHeight(set: (height: number) => void): Attachment<HTMLElement> {
  return (element) => {
    const observer = new ResizeObserver(() => set(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  };
}
