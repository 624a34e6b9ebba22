/**
 * The uid of a new object: a random (version 4) UUID, as kube-apiserver gives every object it
 * creates. node:crypto's randomUUID joins twenty pieces, a rope of ~600 bytes for every create
 * (a pod, each of its events); this writes the 36 characters into one buffer and makes one flat
 * string of them. The random bytes come from crypto's generator, a batch at a time, as randomUUID's do.
 */
import { randomFillSync } from 'node:crypto';

const BATCH = 128;
const random = Buffer.alloc(16 * BATCH);
/** The next unused 16 bytes of `random`; a full batch is used up at the start. */
let next = random.length;
const text = Buffer.alloc(36);
const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Where each of the 16 bytes goes in the text (the dashes are at 8, 13, 18 and 23). */
const PLACES = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
text[8] = text[13] = text[18] = text[23] = 0x2d; // -

export function newUid(): string {
  if (next >= random.length) {
    randomFillSync(random);
    next = 0;
  }
  const at = next;
  next += 16;
  // Version 4 (random) and the RFC 4122 variant, as randomUUID sets them.
  random[at + 6] = (random[at + 6]! & 0x0f) | 0x40;
  random[at + 8] = (random[at + 8]! & 0x3f) | 0x80;
  for (let i = 0; i < 16; i++) {
    const byte = random[at + i]!;
    const place = PLACES[i]!;
    text[place] = HEX[byte >> 4]!;
    text[place + 1] = HEX[byte & 0x0f]!;
  }
  return text.toString('latin1', 0, 36);
}
