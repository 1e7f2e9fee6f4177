// How many rows of a board's list fit whole in its box (src/pages/display/fit.ts).
import { describe, expect, it } from 'vitest';
import { rowsThatFit } from '../src/pages/display/fit';

describe('rows that fit whole', () => {
  it('counts the first row by its height and each further one by its pitch', () => {
    // 300 px of room, rows 40 px high with a 5 px gap: 40 + 5 * 45 = 265; a seventh would end at 310.
    expect(rowsThatFit({ boxBottom: 400, listTop: 100, rowHeight: 40, pitch: 45 })).toBe(6);
  });

  it('a row that would be cut is left out', () => {
    expect(rowsThatFit({ boxBottom: 179, listTop: 100, rowHeight: 40, pitch: 40 })).toBe(1);
    expect(rowsThatFit({ boxBottom: 180, listTop: 100, rowHeight: 40, pitch: 40 })).toBe(2);
  });

  it('no room, or nothing measured: none', () => {
    expect(rowsThatFit({ boxBottom: 120, listTop: 100, rowHeight: 40, pitch: 40 })).toBe(0);
    expect(rowsThatFit({ boxBottom: 400, listTop: 100, rowHeight: 0, pitch: 0 })).toBe(0);
  });

  it('half a pixel of rounding does not drop a row', () => {
    expect(rowsThatFit({ boxBottom: 179.6, listTop: 100, rowHeight: 40, pitch: 40 })).toBe(2);
  });
});
