// A hash table from strings to integers, kept in typed arrays. An import remembers every Spotify ID
// and song key of its file (RepeatedRows): in a Map those were two million strings and entries the
// garbage collector walked again and again, and copying each string out of the input chunk it was
// cut from (else it keeps the whole chunk) made garbage of its own: 4 s of CPU at a million rows.
// Here the characters are copied into one array and the table is open addressing over ints.

import { grown } from '../typedArrays.js';

const EMPTY = 0;

/** FNV-1a over the UTF-16 code units. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash | 0;
}

export class StringTable {
  /** Per slot: the entry's index + 1, or EMPTY. */
  private slots = new Int32Array(1 << 12);
  /** Per entry: its hash, its value, where its characters start in `chars` (one more: the end). */
  private hashes = new Int32Array(1 << 11);
  private values = new Int32Array(1 << 11);
  private starts = new Int32Array((1 << 11) + 1);
  private chars = new Uint16Array(1 << 15);
  private entries = 0;

  get size(): number {
    return this.entries;
  }

  /** The value stored for `key`; when there is none, stores `value` for it and returns -1. */
  getOrAdd(key: string, value: number): number {
    const hash = hashOf(key);
    const { slots } = this;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]! - 1;
      if (entry < 0) break;
      if (this.hashes[entry] === hash && this.equals(entry, key)) return this.values[entry]!;
    }
    this.add(key, hash, value);
    return -1;
  }

  private equals(entry: number, key: string): boolean {
    const start = this.starts[entry]!;
    if (this.starts[entry + 1]! - start !== key.length) return false;
    const { chars } = this;
    for (let i = 0; i < key.length; i++) if (chars[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private add(key: string, hash: number, value: number): void {
    const entry = this.entries++;
    if (entry === this.hashes.length) {
      this.hashes = grown(this.hashes, entry * 2);
      this.values = grown(this.values, entry * 2);
      this.starts = grown(this.starts, entry * 2 + 1);
    }
    const start = this.starts[entry]!;
    if (start + key.length > this.chars.length) this.chars = grown(this.chars, Math.max(this.chars.length * 2, start + key.length));
    for (let i = 0; i < key.length; i++) this.chars[start + i] = key.charCodeAt(i);
    this.starts[entry + 1] = start + key.length;
    this.hashes[entry] = hash;
    this.values[entry] = value;
    // At most half full, so a probe ends soon at an empty slot.
    if (this.entries * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(entry, this.slots);
  }

  private place(entry: number, slots: Int32Array): void {
    const mask = slots.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    slots[slot] = entry + 1;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    for (let entry = 0; entry < this.entries; entry++) this.place(entry, slots);
    this.slots = slots;
  }
}
