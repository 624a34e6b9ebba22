/**
 * A pod IP as a pod worker keeps it for as long as the pod runs: an IPv4 address in dotted-quad
 * form as one 32-bit integer (a small integer V8 keeps in the field itself), anything else as its
 * text. The text is made again when the IP is shown (status, probes); a string of its own was
 * ~32-40 bytes a pod.
 */
export type CompactIP = number | string;

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** `ip` as kept: an integer only when ipText gives `ip` back exactly (no leading zeros, parts ≤ 255). */
export function compactIP(ip: string): CompactIP {
  const m = DOTTED_QUAD.exec(ip);
  if (!m) return ip;
  const a = Number(m[1]), b = Number(m[2]), c = Number(m[3]), d = Number(m[4]);
  if (a > 255 || b > 255 || c > 255 || d > 255) return ip;
  const packed = (a << 24) | (b << 16) | (c << 8) | d;
  return ipText(packed) === ip ? packed : ip;
}

export function ipText(ip: CompactIP): string {
  return typeof ip === 'string' ? ip : `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}
