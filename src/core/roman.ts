/** Roman numerals for sonnet titles and `p xviii`. */

const VALUES: ReadonlyArray<readonly [number, string]> = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
  [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];

/** Canonical upper-case numeral for 1..3999. */
export function toRoman(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 3999) throw new RangeError(`no Roman numeral for ${n}`);
  let out = '';
  for (const [value, letters] of VALUES) {
    while (n >= value) {
      out += letters;
      n -= value;
    }
  }
  return out;
}

/** The number a canonical numeral stands for (any case), or null for anything else. */
export function fromRoman(text: string): number | null {
  const upper = text.toUpperCase();
  if (!/^[MDCLXVI]+$/.test(upper)) return null;
  let total = 0;
  let i = 0;
  for (const [value, letters] of VALUES) {
    while (upper.startsWith(letters, i)) {
      total += value;
      i += letters.length;
    }
  }
  return i === upper.length && total <= 3999 && toRoman(total) === upper ? total : null;
}
