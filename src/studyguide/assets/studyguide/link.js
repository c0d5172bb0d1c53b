/* Progress in a link, pure: the learner's whole state, deflated (deflate-raw) and written in
   base64url after "#sg-progress=". The fragment of an address is never sent to a server.
   No DOM and no storage here, so that tests can call every function. Loaded on demand. */

import { answered, mergeStates, num, parseState, VERSION } from "./core.js";

export const PREFIX = "#sg-progress=";
export const MAX_TEXT = 200000; // characters after the prefix: longer is not a link we made
export const MAX_JSON = 1 << 20; // bytes once inflated: a deflate bomb stops here

const SUFFIX = " Nothing was changed.";
export const EMPTY = "This progress link is empty: it was cut short." + SUFFIX;
export const TOO_LONG = "This progress link is too long to be one this site made." + SUFFIX;
export const BAD_TEXT =
  "This progress link is damaged: it has characters a progress link never has, or it was cut short." + SUFFIX;
export const BAD_DATA = "This progress link is damaged: the progress in it cannot be unpacked." + SUFFIX;
export const NOT_PROGRESS = "This link does not hold studyguide progress." + SUFFIX;
export const NEWER =
  "This progress link was made by a newer version of this site. Reload the page to get the newest version, then open the link again." +
  SUFFIX;

const isObject = (x) => Boolean(x) && typeof x === "object" && !Array.isArray(x);

function toBase64url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** `bytes` through a (de)compression stream; throws past `limit` bytes of output. */
async function pipe(bytes, transform, limit = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      throw new RangeError("too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The text after PREFIX for `state`: its JSON, deflated, in base64url. */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return toBase64url(await pipe(json, new CompressionStream("deflate-raw")));
}

/** The state a link's text (after PREFIX) holds: {state}, or {error} with a message for the
    learner when the text is not one encodeState could have written. */
export async function decodeState(text) {
  if (typeof text !== "string" || !text) return { error: EMPTY };
  if (text.length > MAX_TEXT) return { error: TOO_LONG };
  if (!/^[A-Za-z0-9_-]+$/.test(text) || text.length % 4 === 1) return { error: BAD_TEXT };
  let data;
  try {
    const json = await pipe(fromBase64url(text), new DecompressionStream("deflate-raw"), MAX_JSON);
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (_error) {
    return { error: BAD_DATA };
  }
  const state = parseState(data);
  if (state) return { state };
  const newer = isObject(data) && typeof data.version === "number" && data.version > VERSION;
  return { error: newer ? NEWER : NOT_PROGRESS };
}

/* ---- what a merge would add or replace ---- */

// How deep a kind of record sits: swaps and additions are kept per track.
const DEPTH = { swaps: 2, added: 2 };
// The words for one and for several records of each kind, in the order they are told.
const KINDS = {
  done: ["done mark", "done marks"],
  skipped: ["skipped step", "skipped steps"],
  known: ["known concept", "known concepts"],
  keep: ["step put back on a path", "steps put back on a path"],
  swaps: ["swapped step", "swapped steps"],
  added: ["resource added to a path", "resources added to a path"],
  checks: ["self-checked concept", "self-checked concepts"],
  ways: ["way planned to a concept", "ways planned to concepts"],
};
const OTHER = ["other mark", "other marks"];

/** Every record of a state (a mark, a swap, an addition...) by where it sits: {kind, value}. */
function records(state) {
  const out = new Map();
  const visit = (kind, value, path, depth) => {
    for (const [key, item] of Object.entries(value)) {
      const at = path.concat(key);
      if (depth > 1 && isObject(item)) visit(kind, item, at, depth - 1);
      else out.set(JSON.stringify(at), { kind, value: JSON.stringify(item) });
    }
  };
  for (const [kind, value] of Object.entries(state)) {
    if (isObject(value)) visit(kind, value, [kind], DEPTH[kind] || 1);
  }
  return out;
}

export const countRecords = (state) => records(state).size;

const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

/** What merging `incoming` into `current` (the import's rules: mergeStates) would do:
    {merged, total: records in incoming, added: {kind: n}, replaced: {kind: n}, same: n}.
    A record is replaced when both hold it and the merge keeps the incoming one (an earlier
    date, another choice of swap). */
export function compare(current, incoming) {
  const merged = mergeStates(current, incoming);
  const before = records(current);
  const added = {};
  const replaced = {};
  for (const [key, { kind, value }] of records(merged)) {
    const old = before.get(key);
    if (!old) added[kind] = (added[kind] || 0) + 1;
    else if (old.value !== value) replaced[kind] = (replaced[kind] || 0) + 1;
  }
  const all = countRecords(incoming);
  return { merged, total: all, added, replaced, same: Math.max(0, all - total(added) - total(replaced)) };
}

const of = (n, [one, many]) => num(n) + " " + (n === 1 ? one : many);

/** "3 marks (2 done marks, 1 known concept)", or "2 done marks" when one kind alone. */
export function counted(counts) {
  const kinds = [...Object.keys(KINDS), ...Object.keys(counts).filter((k) => !KINDS[k]).sort()];
  const parts = kinds.filter((k) => counts[k]).map((k) => of(counts[k], KINDS[k] || OTHER));
  const n = total(counts);
  if (parts.length < 2) return parts[0] || "nothing";
  return of(n, ["mark", "marks"]) + " (" + parts.join(", ") + ")";
}

/** Everything `state` holds, each kind named ("1 done mark, 1 swapped step and 3 self-check
    answers with their review dates"), or "" when it holds nothing: what export saves and
    reset forgets. */
export function inventory(state) {
  const counts = {};
  for (const { kind } of records(state).values()) counts[kind] = (counts[kind] || 0) + 1;
  const parts = Object.keys(counts)
    .filter((k) => k !== "checks")
    .sort((a, b) => order(a) - order(b))
    .map((k) => of(counts[k], KINDS[k] || OTHER));
  const n = answered(state);
  if (n) parts.push(of(n, ["self-check answer", "self-check answers"]) + (n === 1 ? " with its review date" : " with their review dates"));
  return parts.length > 1 ? parts.slice(0, -1).join(", ") + " and " + parts[parts.length - 1] : parts.join("");
}

const order = (kind) => (KINDS[kind] ? Object.keys(KINDS).indexOf(kind) : Object.keys(KINDS).length);

/** The question put to the learner before merging, in words. */
export function describe(result) {
  const adds = total(result.added);
  const replaces = total(result.replaced);
  if (!adds && !replaces) return "Everything in this progress link is already in your progress here: there is nothing to merge.";
  const would = [];
  if (adds) would.push("add " + counted(result.added));
  if (replaces) would.push("replace " + counted(result.replaced));
  const same = result.same ? " " + of(result.same, ["mark is", "marks are"]) + " already here." : "";
  const how = replaces ? " Replacing keeps the earlier date of a mark and takes the swap chosen in the link." : "";
  const holds = "This link holds " + of(result.total, ["mark", "marks"]) + " of progress from another browser.";
  return holds + " Merging it into your progress here would " + would.join(" and ") + "." + same + how + " Nothing is removed.";
}

/** What a merge did, in words. */
export function merged(result) {
  const did = [];
  if (total(result.added)) did.push("added " + counted(result.added));
  if (total(result.replaced)) did.push("replaced " + counted(result.replaced));
  return "Merged the progress link into your progress here: " + (did.join(" and ") || "nothing changed") + ".";
}
