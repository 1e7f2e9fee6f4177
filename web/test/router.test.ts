import { describe, expect, it } from 'vitest';
import { matchRoute } from '../src/router';

describe('routes', () => {
  it('maps paths to pages', () => {
    expect(matchRoute('/', '')).toEqual({ page: 'home' });
    expect(matchRoute('/kiosk', '?device=abc')).toEqual({ page: 'kiosk', device: 'abc' });
    expect(matchRoute('/kiosk/', '')).toEqual({ page: 'kiosk', device: null });
    expect(matchRoute('/display', '?device=D1&x=1')).toEqual({ page: 'display', device: 'D1' });
    expect(matchRoute('/load', '')).toEqual({ page: 'load' });
    expect(matchRoute('/t/ABCDEF234567', '')).toEqual({ page: 'track', token: 'ABCDEF234567' });
    expect(matchRoute('/t/', '')).toEqual({ page: 'not_found' });
    expect(matchRoute('/t/a/b', '')).toEqual({ page: 'not_found' });
    expect(matchRoute('/t/%E0%A4%A', '')).toEqual({ page: 'not_found' });
    expect(matchRoute('/operator', '')).toEqual({ page: 'not_found' });
  });
});
