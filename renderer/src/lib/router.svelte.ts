import { formatRoute, parseRoute, type Route } from './route.ts';

/** The current route, kept in step with the address bar. */
export class Router {
  route = $state<Route>(parseRoute(window.location.hash));

  constructor() {
    window.addEventListener('hashchange', () => (this.route = parseRoute(window.location.hash)));
  }

  /** Opens a location; `replace` changes it without a history entry (slider moves, filters). */
  go(section: string, arg = '', query: Record<string, string | number | undefined> = {}, replace = false): void {
    const hash = formatRoute(section, arg, query);
    if (replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    this.route = parseRoute(hash);
  }
}
