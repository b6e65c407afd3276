import { formatRoute, parseRoute, type Route } from './route.ts';

/** The current route, kept in step with the address bar. */
export class Router {
  route = $state<Route>(parseRoute(window.location.hash));

  constructor() {
    // `popstate`, not `hashchange`: Back fires it first, and under load a view's pending timer ran in the
    // gap before `hashchange`, rewrote the address it had just left and pulled the user back to it.
    window.addEventListener('popstate', () => (this.route = parseRoute(window.location.hash)));
  }

  /**
   * Opens a location; `replace` changes it without a history entry (slider moves, filters). A replace
   * rewrites only the page the address shows now: one that comes after the user left that page is dropped.
   * The address it already shows is left alone: a new route object would rerun every view effect that
   * reads it (the paused replay rewrote its address every 250 ms that way).
   */
  go(section: string, arg = '', query: Record<string, string | number | undefined> = {}, replace = false): void {
    const hash = formatRoute(section, arg, query);
    const shown = parseRoute(window.location.hash);
    if (hash === window.location.hash || (replace && (shown.section !== section || shown.arg !== arg))) return;
    if (replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    this.route = parseRoute(hash);
  }
}
