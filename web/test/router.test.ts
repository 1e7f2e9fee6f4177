import { describe, expect, it } from 'vitest';
import { matchRoute } from '../src/router';

describe('routes', () => {
  it('maps paths to pages', () => {
    expect(matchRoute('/', '')).toEqual({ page: 'home' });
    expect(matchRoute('/kiosk', '?device=abc')).toEqual({ page: 'kiosk', device: 'abc' });
    expect(matchRoute('/kiosk/', '')).toEqual({ page: 'kiosk', device: null });
    expect(matchRoute('/display', '?device=D1&x=1')).toEqual({ page: 'display', device: 'D1' });
    expect(matchRoute('/load', '')).toEqual({ page: 'load' });
    expect(matchRoute('/map', '')).toEqual({ page: 'map' });
    expect(matchRoute('/t/ABCDEF234567', '')).toEqual({ page: 'track', token: 'ABCDEF234567' });
    expect(matchRoute('/t/', '')).toEqual({ page: 'not_found' });
    expect(matchRoute('/t/a/b', '')).toEqual({ page: 'not_found' });
    expect(matchRoute('/t/%E0%A4%A', '')).toEqual({ page: 'not_found' });
    expect(matchRoute('/operator', '')).toEqual({ page: 'not_found' });
    expect(matchRoute('/desk', '')).toEqual({ page: 'desk', center: null });
    expect(matchRoute('/desk', '?center=12')).toEqual({ page: 'desk', center: 12 });
    expect(matchRoute('/desk/', '?center=abc')).toEqual({ page: 'desk', center: null });
    expect(matchRoute('/head', '?center=0')).toEqual({ page: 'head', center: null });
    expect(matchRoute('/head', '?center=3')).toEqual({ page: 'head', center: 3 });
  });
});
