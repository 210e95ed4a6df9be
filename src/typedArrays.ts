// Typed arrays that grow as rows arrive (imports, the feature matrix): a bigger copy each time.

type GrowableArray = Int32Array | Uint16Array | Uint8Array | Float32Array | Float64Array;

/** A copy of `array` with room for `length` elements (the new ones 0). */
export function grown<T extends GrowableArray>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
