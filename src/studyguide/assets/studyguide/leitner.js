/* Self-check scheduling: Leitner boxes, a pure function of the record, the answer and the day.
   Loaded on demand (by review.js), never on first paint.

   The rule. Each concept with self-checks sits in one of five boxes, reviewed every 1, 3, 7,
   16 and 35 days. A concept answered for the first time starts in box 1, due at once. On a
   day it is due, once every one of its questions has been answered "I got it" (each latest
   answer right, given on or after that day), it moves up a box (box 5 stays box 5) and comes
   back after that box's interval. An "I missed it", on any day, puts it back in box 1, due
   tomorrow. Answers given before a concept is due count for whether it is known, not for its
   box. So a concept answered right more often comes back less often; one that slips comes back
   soon. */

import { DAY, isoDate, parseDate } from "./core.js";

export const INTERVALS = [1, 3, 7, 16, 35];

const after = (day, days) => isoDate(parseDate(day) + days * DAY);

/** The record of a concept with `of` checks after answer `got` (true: "I got it") to its
    question `n` (from 1) on `day` (YYYY-MM-DD). `record` may be null (never answered); it is
    not changed. A record: {of, box, due, answers: {n: {on, got}}} (see core.js). */
export function answer(record, n, of, got, day) {
  const r = record
    ? { of, box: record.box, due: record.due, answers: { ...record.answers } }
    : { of, box: 1, due: day, answers: {} };
  r.answers[n] = { on: day, got };
  if (!got) {
    r.box = 1;
    r.due = after(day, INTERVALS[0]);
  } else if (r.due <= day && complete(r)) {
    r.box = Math.min(r.box + 1, INTERVALS.length);
    r.due = after(day, INTERVALS[r.box - 1]);
  }
  return r;
}

/** Every question of the record answered right on or after the day it fell due. */
function complete(r) {
  for (let n = 1; n <= r.of; n++) {
    const a = r.answers[n];
    if (!a || !a.got || a.on < r.due) return false;
  }
  return true;
}

/** The concepts due for review on `day` among `ids` (those with self-checks on the site), the
    longest overdue first, then in the order of `ids`. */
export function due(checks, ids, day) {
  const when = (id) => (Object.prototype.hasOwnProperty.call(checks, id) ? checks[id].due : null);
  return ids
    .map((id, i) => ({ id, i, due: when(id) }))
    .filter((c) => c.due !== null && c.due <= day)
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.i - b.i))
    .map((c) => c.id);
}
