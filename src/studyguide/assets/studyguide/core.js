/* studyguide's pure core: calendar days, the learner's state, their path, the study plan and
   its calendar file. No DOM and no storage here, so that tests can call every function. */

export const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const DAY = 864e5;
const EPS = 1e-9;
const FIRST_YEAR = 100;
const LAST_YEAR = 9999;
const LAST_DAY = Date.UTC(LAST_YEAR, 11, 31);

/* ---- calendar days, as UTC midnights so that no time zone or DST shifts a date ---- */

/** Milliseconds of a YYYY-MM-DD day, or null. Years 100 to 9999 only: JavaScript would read
    years 0 to 99 as 1900 to 1999, and ISO strings past 9999 need six digits. */
export function parseDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typeof text === "string" ? text : "");
  if (!m || +m[1] < FIRST_YEAR) return null;
  const date = new Date(0);
  date.setUTCFullYear(+m[1], m[2] - 1, +m[3]);
  const t = date.getTime();
  return isoDate(t) === text ? t : null;
}

export const isoDate = (t) => new Date(t).toISOString().slice(0, 10);

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A day as English writes it ("Dec 7, 2026"), as Intl's "en" short date does. Building the
    first Intl formatter costs a phone about 300 ms, so English pages do without it. */
export function englishDate(t) {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

/** Today in the learner's own time zone, as YYYY-MM-DD. */
export function today(now = new Date()) {
  const t = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return isoDate(t);
}

export const num = (x) => String(Math.round(x * 10) / 10);
export const plural = (n, word) => `${num(n)} ${word}${n === 1 ? "" : "s"}`;

function dateProblem(text) {
  const m = /^\+?(\d+)-\d{2}-\d{2}$/.exec(String(text ?? ""));
  return m && (+m[1] < FIRST_YEAR || +m[1] > LAST_YEAR)
    ? `Enter a start date between the years ${FIRST_YEAR} and ${LAST_YEAR}.`
    : "Enter a valid start date.";
}

/* ---- the learner's state: versioned, and safe for any id (no prototype lookups) ---- */

export const VERSION = 3;
const map = () => Object.create(null);
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
const isObject = (x) => Boolean(x) && typeof x === "object" && !Array.isArray(x);

export function emptyState() {
  return { version: VERSION, done: map(), skipped: map(), known: map(), keep: map(), swaps: map(), added: map(), checks: map() };
}

/** {id: "YYYY-MM-DD"} entries with a valid id and date; anything else is dropped. */
function dates(data) {
  const out = map();
  if (!isObject(data)) return out;
  for (const [id, when] of Object.entries(data)) {
    const day = typeof when === "string" ? when.slice(0, 10) : "";
    if (ID.test(id) && parseDate(day) !== null) out[id] = day;
  }
  return out;
}

/** Self-check results (version 3, see leitner.js): {concept: {of (its checks), box, due,
    answers: {question number: {on, got}}}}. */
function results(data) {
  const out = map();
  for (const [id, r] of Object.entries(isObject(data) ? data : {})) {
    if (!ID.test(id) || !isObject(r) || !(r.of > 0 && r.of < 100) || parseDate(r.due) === null) continue;
    const answers = map();
    for (const [n, a] of Object.entries(isObject(r.answers) ? r.answers : {}))
      if (/^[1-9]\d?$/.test(n) && isObject(a) && typeof a.got === "boolean" && parseDate(a.on) !== null) answers[n] = { on: a.on, got: a.got };
    out[id] = { of: r.of | 0, box: Math.min(5, Math.max(1, r.box | 0)), due: r.due, answers };
  }
  return out;
}

/** The learner's state from stored or imported JSON: version 3, or an earlier one migrated
    without loss (version 2 had no self-check results; version 1 only done marks). Null when
    it is none of them. */
export function parseState(data) {
  if (!isObject(data) || ![1, 2, VERSION].includes(data.version)) return null;
  if (!isObject(data.done)) return null;
  const state = emptyState();
  state.done = dates(data.done);
  if (data.version === 1) return state;
  state.skipped = dates(data.skipped);
  state.known = dates(data.known);
  state.keep = dates(data.keep);
  for (const [track, swaps] of Object.entries(isObject(data.swaps) ? data.swaps : {})) {
    if (!ID.test(track) || !isObject(swaps)) continue;
    const kept = map();
    for (const [step, alt] of Object.entries(swaps)) if (ID.test(step) && typeof alt === "string" && ID.test(alt)) kept[step] = alt;
    state.swaps[track] = kept;
  }
  for (const [track, added] of Object.entries(isObject(data.added) ? data.added : {})) {
    if (ID.test(track)) state.added[track] = dates(added);
  }
  if (data.version === VERSION) state.checks = results(data.checks);
  if (isObject(data.ways)) state.ways = dates(data.ways); // optional: see way.js
  return state;
}

export const NEWER_FORMAT =
  "Your saved progress is in a format this page cannot read (maybe saved by a newer version); nothing was changed. " +
  "Reload to get the newest page. Until then, marks you make here are not saved.";
export const DAMAGED =
  "Your saved progress is damaged and this page cannot read it; nothing was changed, and marks you make here are not saved. " +
  "Export it to keep a copy, or reset your progress to start afresh.";

/** The stored progress text (null when there is none), read: {state, problem}.
    - A state this page reads (version 1, 2 or 3): {state, problem: null}.
    - Nothing, or nothing studyguide could have written (not JSON, or JSON that is not an
      object; every format is an object with a version): {state: null, problem: null}, and
      the page may start afresh.
    - Any other object (a version this page does not know, a version that is not the number
      1, 2 or 3, no version at all, or a known version it cannot read): {state: null, problem}
      with a notice for the learner. The page must keep it as it is and never write over it. */
export function readProgress(raw) {
  if (typeof raw !== "string") return { state: null, problem: null };
  let data;
  try {
    data = JSON.parse(raw);
  } catch (_error) {
    return { state: null, problem: null };
  }
  if (!isObject(data)) return { state: null, problem: null };
  const state = parseState(data);
  if (state) return { state, problem: null };
  return { state: null, problem: [1, 2, VERSION].includes(data.version) ? DAMAGED : NEWER_FORMAT };
}

/** Everything in `incoming` added to `state`; where both hold a date, the earlier stays, and
    of two self-check records, the one answered last. */
export function mergeStates(state, incoming) {
  const out = parseState(JSON.parse(JSON.stringify(state)));
  const earliest = (into, from) => {
    for (const [id, when] of Object.entries(from)) if (!has(into, id) || when < into[id]) into[id] = when;
  };
  earliest(out.done, incoming.done);
  earliest(out.skipped, incoming.skipped);
  earliest(out.known, incoming.known);
  earliest(out.keep, incoming.keep);
  for (const [track, swaps] of Object.entries(incoming.swaps)) {
    if (!has(out.swaps, track)) out.swaps[track] = map();
    Object.assign(out.swaps[track], swaps);
  }
  for (const [track, added] of Object.entries(incoming.added)) {
    if (!has(out.added, track)) out.added[track] = map();
    earliest(out.added[track], added);
  }
  const last = (r) => (r ? Object.values(r.answers).reduce((max, a) => (a.on > max ? a.on : max), "") : "");
  for (const [id, r] of Object.entries(incoming.checks)) if (last(r) > last(out.checks[id])) out.checks[id] = r;
  if (incoming.ways) earliest(out.ways || (out.ways = map()), incoming.ways);
  return out;
}

export const marks = (state) =>
  Object.keys(state.done).length + Object.keys(state.skipped).length + Object.keys(state.known).length;

export const answered = (state) => Object.values(state.checks).reduce((n, r) => n + Object.keys(r.answers).length, 0);

/** A copy of `state` with `change(copy)` applied: state is never changed in place. */
export function update(state, change) {
  const copy = parseState(JSON.parse(JSON.stringify(state)));
  change(copy);
  return copy;
}

export function setDate(record, id, on, when) {
  if (on) {
    if (!has(record, id)) record[id] = when;
  } else delete record[id];
}

export const swapOf = (state, track, step) =>
  has(state.swaps, track) && has(state.swaps[track], step) ? state.swaps[track][step] : null;

export const isAdded = (state, track, id) => has(state.added, track) && has(state.added[track], id);

export const doneOn = (state, id) => (has(state.done, id) ? state.done[id] : null);

export const isSkipped = (state, id) => has(state.skipped, id);

/** Every latest answer to the concept's checks was "I got it". */
export function checked(state, concept) {
  const r = has(state.checks, concept) ? state.checks[concept] : null;
  if (!r) return false;
  for (let n = 1; n <= r.of; n++) if (!has(r.answers, n) || !r.answers[n].got) return false;
  return true;
}

/** A concept is known when the learner marked "I know this" or got every one of its checks
    on the latest try. */
export const isKnown = (state, concept) => has(state.known, concept) || checked(state, concept);

/** Placement: a step may be skipped when it teaches something and the learner knows all of
    it, unless they put the step back. */
export const maySkip = (step, state) =>
  Boolean(step.teaches && step.teaches.length) &&
  step.teaches.every((concept) => isKnown(state, concept)) &&
  !has(state.keep, step.id);

/* ---- the learner's own path ---- */

/** The learner's path through a track: each core step (swapped where the learner chose one of
    its alternatives) with its status, and after a topic's steps the going-further resources
    they added. `path`: [{topic, steps: [{id, number, title, hours, url, teaches: [concept ids],
    instead: [{id, title, hours, url}]}], further: [{id, title, hours, url}]}]. A step's status
    is done, skipped, known (the learner knows all it teaches: see maySkip) or todo. */
export function walk(path, state, track) {
  const items = [];
  for (const section of path) {
    for (const step of section.steps) {
      const chosen = step.instead.find((alt) => alt.id === swapOf(state, track, step.id));
      const taken = chosen || step;
      const done = doneOn(state, taken.id);
      let status = "todo";
      if (done) status = "done";
      else if (isSkipped(state, step.id)) status = "skipped";
      else if (maySkip(step, state)) status = "known";
      items.push({
        kind: "step",
        id: taken.id,
        step: step.id,
        number: step.number,
        topic: section.topic,
        title: taken.title,
        hours: chosen ? chosen.hours : step.hours,
        url: taken.url,
        swapped: Boolean(chosen),
        status,
        done,
      });
    }
    for (const extra of section.further) {
      if (!isAdded(state, track, extra.id)) continue;
      const done = doneOn(state, extra.id);
      items.push({
        kind: "added",
        id: extra.id,
        step: extra.id,
        number: null,
        topic: section.topic,
        title: extra.title,
        hours: extra.hours,
        url: extra.url,
        swapped: false,
        status: done ? "done" : "todo",
        done,
      });
    }
  }
  return items;
}

export const todo = (items) => items.filter((item) => item.status === "todo");

export const nextStep = (items) => items.find((item) => item.status === "todo") || null;

/** Counts and hours of a walked path. */
export function progress(items) {
  const sum = (list) => Math.round(list.reduce((total, item) => total + item.hours, 0) * 10) / 10;
  const by = (status) => items.filter((item) => item.status === status);
  const left = todo(items);
  return {
    steps: items.length,
    done: by("done").length,
    skipped: by("skipped").length + by("known").length,
    left: left.length,
    hours: sum(items.filter((item) => item.status !== "skipped" && item.status !== "known")),
    hoursDone: sum(by("done")),
    hoursLeft: sum(left),
  };
}

/* ---- the study plan: a pure function of the list, the pace and the start date ---- */

/** Walk `items` ({id, title, hours, ...}) in order at `hoursPerWeek`, from `startDate`
    (YYYY-MM-DD). Hours are spread evenly over the 7 days of a week, so an item takes the days
    its share of the time covers, and one longer than a week spans several weeks.
    Returns {error} for an unusable pace or date. */
export function plan(items, hoursPerWeek, startDate) {
  const pace = typeof hoursPerWeek === "string" && hoursPerWeek.trim() === "" ? NaN : +hoursPerWeek;
  if (!Number.isFinite(pace)) return { error: "Enter how many hours you can study each week." };
  if (pace <= 0) return { error: "Hours per week must be more than 0." };
  if (pace > 168) return { error: "A week has only 168 hours: enter at most 168 hours per week." };
  const start = parseDate(startDate);
  if (start === null) return { error: dateProblem(startDate) };
  const days = (hours) => (hours / pace) * 7;
  let used = 0;
  const out = [];
  for (const item of items) {
    const hours = Math.max(0, +item.hours || 0);
    const first = Math.floor(days(used) + EPS);
    used += hours;
    const last = Math.max(first, Math.ceil(days(used) - EPS) - 1);
    if (last > 36500) {
      return { error: `At ${num(pace)} hours a week this plan would take over 100 years: plan more hours per week.` };
    }
    if (start + last * DAY > LAST_DAY) {
      return { error: `This plan would end after the year ${LAST_YEAR}: choose an earlier start date.` };
    }
    out.push({
      ...item,
      hours,
      week: Math.floor(first / 7) + 1,
      endWeek: Math.floor(last / 7) + 1,
      start: isoDate(start + first * DAY),
      end: isoDate(start + last * DAY),
    });
  }
  const lastItem = out[out.length - 1];
  return {
    hoursPerWeek: pace,
    start: isoDate(start),
    hours: Math.round(used * 10) / 10,
    items: out,
    weeks: lastItem ? lastItem.endWeek : 0,
    finish: lastItem ? lastItem.end : null,
  };
}

/* ---- iCalendar (RFC 5545): CRLF, 75-octet folding, escaped TEXT ---- */

const encoder = new TextEncoder();
const icsText = (s) =>
  String(s)
    .replace(/[\\;,]/g, "\\$&")
    .replace(/\r\n|\r|\n/g, "\\n");
const icsDate = (iso) => iso.replace(/-/g, "");
const nextDay = (iso) => isoDate(parseDate(iso) + DAY);

function fold(line) {
  let out = "";
  let width = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (width + size > 75) {
      out += "\r\n ";
      width = 1;
    }
    out += ch;
    width += size;
  }
  return out;
}

/** The plan as a calendar: a one-day milestone on the target finish of each step, the plan's
    start and finish, and a weekly reminder that ends with the plan (COUNT). `options`: name
    (calendar name), title (what is studied), uid (a stable prefix, e.g. the track), domain
    (for UIDs), now (DTSTAMP, a Date or milliseconds). */
export function ics(p, options = {}) {
  const stamp = new Date(options.now == null ? Date.now() : options.now)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+/, "");
  const domain = options.domain || "studyguide.invalid";
  const prefix = options.uid || "plan";
  const what = options.title || "your study plan";
  const pace = `${num(p.hoursPerWeek)} hours a week`;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//studyguide//Study plan//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
  ];
  if (options.name) lines.push(`X-WR-CALNAME:${icsText(options.name)}`);
  const items = p.items || [];
  const event = (uid, day, summary, description, url, rule) => {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${icsText(prefix + "." + uid + "@" + domain)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icsDate(day)}`,
      `DTEND;VALUE=DATE:${icsDate(nextDay(day))}`,
    );
    if (rule) lines.push(rule);
    lines.push(`SUMMARY:${icsText(summary)}`, `DESCRIPTION:${icsText(description)}`);
    if (url && /^https?:\/\/[^\s"<>]+$/.test(url)) lines.push(`URL:${url}`);
    lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
  };
  if (items.length) {
    event(
      "start",
      p.start,
      `Start: ${what}`,
      `${plural(items.length, "step")}, about ${plural(p.hours, "hour")} at ${pace}; finish around ${p.finish}.`,
    );
    event(
      "weekly",
      p.start,
      `Study week: ${what}`,
      `About ${num(p.hoursPerWeek)} hours of study this week.`,
      null,
      `RRULE:FREQ=WEEKLY;COUNT=${p.weeks}`,
    );
  }
  for (const item of items) {
    const label = item.label || (item.number ? "step " + item.number : "added resource");
    const days = item.start === item.end ? item.start : item.start + " to " + item.end;
    const about = [`Target finish of ${label} (about ${plural(item.hours, "hour")}, ${days}).`];
    if (item.from) about.push(`Learn it from: ${item.from}`);
    if (item.url) about.push(`Resource: ${item.url}`);
    if (item.page) about.push(`Notes: ${item.page}`);
    event(`${item.id}.finish`, item.end, `Finish: ${item.title}`, about.join("\n"), item.url);
  }
  if (items.length) {
    event("finish", p.finish, `Finish: ${what}`, `The last step of the plan (${pace} from ${p.start}).`);
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}
