/**
 * The two JSON needs of the tests: reading fixtures whose integers may exceed 2^53 without rounding them, and
 * comparing library outputs (bigints, typed arrays) as plain JSON values.
 */

/**
 * JSON.parse with every integer of 16 or more digits (an array item or an object value) kept as its decimal
 * string, since JSON.parse would round those above 2^53; tests read them with BigInt().
 */
export function parseExactJson(text: string): any {
  return JSON.parse(text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
}

/** `o` as plain JSON values: bigints as decimal strings, typed arrays as arrays. */
export function plain(o: unknown): unknown {
  return JSON.parse(JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : ArrayBuffer.isView(v) ? Array.from(v as Uint16Array) : v)));
}
