/**
 * The location inside the app as a hash: `#/section/arg?key=value`, so every
 * screen (a run page, a replay of two episodes) is a link that survives a
 * reload and works with Back/Forward.
 */
export interface Route {
  readonly section: string;
  readonly arg: string;
  readonly query: Readonly<Record<string, string>>;
}

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = text.split('?', 2);
  const [section = '', ...rest] = path.split('/');
  return { section, arg: rest.join('/'), query: Object.fromEntries(new URLSearchParams(search)) };
}

export function formatRoute(section: string, arg = '', query: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const search = params.toString();
  return `#/${section}${arg ? `/${arg}` : ''}${search ? `?${search}` : ''}`;
}
