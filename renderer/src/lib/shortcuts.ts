/** A single-key shortcut of a view, shown next to its button and in the Keyboard panel. */
export interface Shortcut {
  readonly key: string;
  readonly label: string;
  run(): void;
}

/** Runs the shortcut for a plain key press, ignoring typing in fields and modified keys. */
export function handleShortcut(event: KeyboardEvent, shortcuts: readonly Shortcut[]): void {
  const target = event.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  const shortcut = shortcuts.find((candidate) => candidate.key === event.key.toLowerCase());
  if (!shortcut) return;
  event.preventDefault();
  shortcut.run();
}

/** How the platform writes the section modifier: ⌘ on macOS, Ctrl+ elsewhere. */
export function sectionModifier(): string {
  return /Mac OS X/.test(navigator.userAgent) ? '⌘' : 'Ctrl+';
}
