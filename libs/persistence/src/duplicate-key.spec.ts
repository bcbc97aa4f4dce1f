import { duplicateIndexes } from './duplicate-key';

describe('duplicateIndexes', () => {
  it('reads the refused indexes from the driver’s and from mongoose’s shapes', () => {
    expect(duplicateIndexes({ writeErrors: [{ index: 0, code: 11000 }, { index: 2, err: { code: 11000 } }] })).toEqual(new Set([0, 2]));
    expect(duplicateIndexes({ writeErrors: { index: 1, code: 11000 } })).toEqual(new Set([1]));
  });

  it('rethrows anything that is not only duplicates', () => {
    const other = { writeErrors: [{ index: 0, code: 11000 }, { index: 1, code: 121 }] };
    expect(() => duplicateIndexes(other)).toThrow();
    expect(() => duplicateIndexes(new Error('network'))).toThrow('network');
  });
});
