import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from './route.ts';

describe('routes', () => {
  it('round-trips a section, an argument and a query', () => {
    const hash = formatRoute('replay', '12', { a: 'eval:3:id:0', b: undefined, frame: 40 });
    expect(hash).toBe('#/replay/12?a=eval%3A3%3Aid%3A0&frame=40');
    expect(parseRoute(hash)).toEqual({ section: 'replay', arg: '12', query: { a: 'eval:3:id:0', frame: '40' } });
  });

  it('reads an empty hash as no section', () => {
    expect(parseRoute('')).toEqual({ section: '', arg: '', query: {} });
  });
});
