import type { Component } from 'svelte';
import type { AppState } from './lib/app-state.svelte.ts';
import RunsView from './views/RunsView.svelte';

/** A screen of the app: one entry here adds it to the navigation with its Ctrl+key shortcut. */
export interface Section {
  readonly id: string;
  readonly label: string;
  /** Ctrl (Cmd on macOS) + this key opens the section. */
  readonly key: string;
  /** SVG path data on a 24x24 grid. */
  readonly icon: string;
  /** The view's module: the runs list, the first screen, is in the main bundle; the others load when first opened. */
  readonly view: () => Promise<{ default: Component<{ app: AppState }> }>;
}

export const sections: readonly [Section, ...Section[]] = [
  {
    id: 'runs',
    label: 'Runs',
    key: '1',
    icon: 'M4 5h3v2H4zm5 0h11v2H9zM4 11h3v2H4zm5 0h11v2H9zM4 17h3v2H4zm5 0h11v2H9z',
    view: () => Promise.resolve({ default: RunsView }),
  },
  {
    id: 'new',
    label: 'New experiment',
    key: '2',
    icon: 'M11 4h2v7h7v2h-7v7h-2v-7H4v-2h7z',
    view: () => import('./views/NewExperimentView.svelte'),
  },
  {
    id: 'compare',
    label: 'Compare',
    key: '3',
    icon: 'M4 4h7v16H4zm9 4h7v12h-7z',
    view: () => import('./views/CompareView.svelte'),
  },
  {
    id: 'replay',
    label: 'Replay',
    key: '4',
    icon: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-2 5.5 6 4.5-6 4.5z',
    view: () => import('./views/ReplayView.svelte'),
  },
  {
    id: 'synthetic',
    label: 'Synthetic set',
    key: '5',
    icon: 'M4 4h7v7H4zm9 0h7v7h-7zM4 13h7v7H4zm9 0h7v7h-7z',
    view: () => import('./views/SyntheticView.svelte'),
  },
  {
    id: 'study',
    label: 'Study',
    key: '6',
    icon: 'M4 19h16v2H4zm1-3h3V9H5zm5.5 0h3V4h-3zm5.5 0h3v-6h-3z',
    view: () => import('./views/StudyView.svelte'),
  },
  {
    id: 'about',
    label: 'About',
    key: '9',
    icon: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 4.5a1.25 1.25 0 1 1 0 2.5 1.25 1.25 0 0 1 0-2.5zM10.75 11h2.5v6.5h-2.5z',
    view: () => import('./views/AboutView.svelte'),
  },
];

export function sectionById(id: string): Section {
  return sections.find((section) => section.id === id) ?? sections[0];
}
