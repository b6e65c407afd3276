/**
 * Light or dark: the system's choice by default, or the user's, remembered in
 * this browser. The effective theme is `data-theme` on <html>, which the CSS
 * variables (styles/global.css) and the canvas charts read.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'ddrl-theme';
const CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

class ThemeState {
  choice = $state<ThemeChoice>('system');
  systemDark = $state(true);
  readonly effective: Theme = $derived(this.choice === 'system' ? (this.systemDark ? 'dark' : 'light') : this.choice);

  /** Reads the stored choice and follows the system's preference; call once before the app mounts. */
  start(): void {
    const stored = localStorage.getItem(STORAGE_KEY);
    this.choice = CHOICES.includes(stored as ThemeChoice) ? (stored as ThemeChoice) : 'system';
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = query.matches;
    query.addEventListener('change', (event) => {
      this.systemDark = event.matches;
      this.apply();
    });
    this.apply();
  }

  /** The next choice in the cycle system → light → dark. */
  cycle(): void {
    this.choice = CHOICES[(CHOICES.indexOf(this.choice) + 1) % CHOICES.length]!;
    localStorage.setItem(STORAGE_KEY, this.choice);
    this.apply();
  }

  private apply(): void {
    document.documentElement.dataset.theme = this.effective;
  }
}

export const theme = new ThemeState();
