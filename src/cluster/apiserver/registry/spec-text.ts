/**
 * The stored text of an object, composed member by member so that a spec kept from the previous
 * revision is not serialized again. A status write keeps the stored spec itself (frozen and shared,
 * see RegistryStore.copyForUpdate), and a pod's spec is about half its text: the kubelet's two
 * status writes of every pod serialized the same spec the create had serialized already.
 *
 * Contract: the text is exactly JSON.stringify of the stored shape (members in key order, members
 * JSON leaves out left out). A spec's text is remembered only once the spec is frozen as part of a
 * written object taken by the watch fan-out (written.ts): from then on nothing can change it, so its
 * text stays what JSON.stringify gives. Only frozen specs are looked up. Held weakly: a spec's
 * text goes with the spec.
 */
import { flatText } from './codec';

const specTexts = new WeakMap<object, string>();

/** A stored shape's text, and the text of its spec when it was serialized here (for `rememberSpecText`). */
export interface ShapeText {
  text: string;
  spec?: { value: object; text: string };
}

export function shapeText(shape: object): ShapeText {
  const members = shape as Record<string, unknown>;
  // Objects without a spec (events, config maps) are serialized whole: member by member costs more.
  const specValue = members.spec;
  if (specValue === null || typeof specValue !== 'object') return { text: flatText(JSON.stringify(shape)) };
  let text = '{';
  let spec: ShapeText['spec'];
  for (const key of Object.keys(members)) {
    const value = members[key];
    let piece: string | undefined;
    if (key === 'spec' && value !== null && typeof value === 'object') {
      piece = Object.isFrozen(value) ? specTexts.get(value) : undefined;
      if (piece === undefined) {
        piece = JSON.stringify(value);
        if (piece !== undefined) spec = { value, text: piece };
      }
    } else piece = JSON.stringify(value);
    // JSON.stringify leaves out members whose value has no JSON (undefined, functions, symbols).
    if (piece === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${piece}`;
  }
  const out: ShapeText = { text: flatText(`${text}}`) };
  if (spec) out.spec = spec;
  return out;
}

/** Remembers the text of a written object's spec once the object is frozen (see above). */
export function rememberSpecText(object: object, spec: { value: object; text: string } | undefined): void {
  if (spec !== undefined && (object as { spec?: unknown }).spec === spec.value && Object.isFrozen(spec.value)) specTexts.set(spec.value, spec.text);
}

/** The remembered text of a frozen spec (tests). */
export function specTextOf(spec: object): string | undefined {
  return Object.isFrozen(spec) ? specTexts.get(spec) : undefined;
}
