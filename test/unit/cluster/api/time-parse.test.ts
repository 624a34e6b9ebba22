import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRfc3339, rfc3339ParseError } from '../../../../src/cluster/api/time-parse';
import { seededRandom } from '../../../../src/cluster/scheduler/schedule-one';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

test('every text time.Parse(RFC3339) takes is taken: a seeded set of its lenient forms', () => {
  const rand = seededRandom(2611);
  const int = (n: number) => Math.floor(rand() * n);
  for (let n = 0; n < 20_000; n++) {
    const year = int(10_000);
    const month = 1 + int(12);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
    const hour = int(24);
    // A one-digit hour is taken; a fraction after `.` or `,` of any length; offsets up to 24:60.
    const hourText = hour < 10 && rand() < 0.3 ? String(hour) : pad(hour);
    const fraction = rand() < 0.5 ? `${rand() < 0.5 ? '.' : ','}${String(int(1e9)).repeat(1 + int(2)).slice(0, 1 + int(15))}` : '';
    const zone = rand() < 0.4 ? 'Z' : `${rand() < 0.5 ? '+' : '-'}${pad(int(25))}:${pad(int(61))}`;
    const text = `${pad(year, 4)}-${pad(month)}-${pad(1 + int(days))}T${hourText}:${pad(int(60))}:${pad(int(60))}${fraction}${zone}`;
    assert.equal(rfc3339ParseError(text), undefined, text);
    assert.equal(isRfc3339(text), true, text);
  }
});

test('time.Parse(RFC3339) refusals in its words, and isRfc3339 agrees with them', () => {
  const layout = '"2006-01-02T15:04:05Z07:00"';
  const cases: [string, string][] = [
    ['2026-11-26T01:02:03+25:00', 'parsing time "2026-11-26T01:02:03+25:00": time zone offset hour out of range'],
    ['2026-11-26T01:02:03+01:61', 'parsing time "2026-11-26T01:02:03+01:61": time zone offset minute out of range'],
    ['2026-11-26T01:02:03.Z', `parsing time "2026-11-26T01:02:03.Z" as ${layout}: cannot parse ".Z" as "Z07:00"`],
    ['2026-11-26T01:02:60Z', 'parsing time "2026-11-26T01:02:60Z": second out of range'],
    ['2026-11-26T01:02:03z', `parsing time "2026-11-26T01:02:03z" as ${layout}: cannot parse "z" as "Z07:00"`],
    ['2025-02-29T01:02:03Z', 'parsing time "2025-02-29T01:02:03Z": day out of range'],
    ['2026-00-26T01:02:03Z', 'parsing time "2026-00-26T01:02:03Z": month out of range'],
    ['2026-11-6T01:02:03Z', `parsing time "2026-11-6T01:02:03Z" as ${layout}: cannot parse "6T01:02:03Z" as "02"`],
  ];
  for (const [text, message] of cases) {
    assert.equal(rfc3339ParseError(text), message, text);
    assert.equal(isRfc3339(text), false, text);
  }
});
