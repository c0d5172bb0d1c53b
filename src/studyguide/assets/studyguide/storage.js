/* Where the learner's state lives: this browser's localStorage, under keys scoped to the site's
   base path, so two guides on one origin keep their marks apart. When the browser refuses
   storage, the state lasts in memory until the page is left; so it does while the stored
   progress is in a form this page cannot read (a newer page's, say), which is never written
   over: only an explicit reset removes it. */

import { emptyState, parseState, readProgress, update } from "./core.js";

// The modules live at <base>/assets/studyguide/: the site's base path is two folders up.
export const BASE = new URL("../../", import.meta.url).pathname;
// Versions 2 and up, so that an older page keeps a newer state rather than write over it.
export const KEY = `studyguide:v2:progress:${BASE}`;
export const PREFS_KEY = `studyguide:v2:prefs:${BASE}`;
// Version 1 kept done marks for every site on the origin under one key.
export const V1_KEY = "studyguide:v1:progress";
const V1_PLAN_KEY = "studyguide:v1:plan";
export const SAVED = "sg-saved"; // fired on a save or reset, for modules loaded on demand

let memory = null; // the state, while the browser refuses to store it or stored progress is kept
let stored = true; // false when the browser refused the last write
let kept = null; // stored progress this page cannot read: left exactly as it is

function readText(key) {
  try {
    return localStorage.getItem(key);
  } catch (_error) {
    return null;
  }
}

function readJSON(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  } catch (_error) {
    return null; // unreadable or not JSON: start afresh rather than break the page
  }
}

function writeJSON(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (_error) {
    return false;
  }
}

/** The notice for stored progress this page cannot read, which it keeps and never writes
    over, or null. */
export const problem = () => readProgress(readText(KEY)).problem;

/** The stored progress exactly as it is: what export saves while this page cannot read it. */
export const storedText = () => readText(KEY);

/** The learner's state; version 1 done marks are carried over the first time. While the stored
    progress cannot be read, marks made on the page last in memory only. */
export function load() {
  const raw = readText(KEY);
  const read = readProgress(raw);
  if (read.problem) {
    if (kept !== raw) {
      kept = raw;
      memory = emptyState();
    }
    return memory;
  }
  kept = null;
  if (!stored && memory) return memory;
  if (read.state) return read.state;
  const old = parseState(readJSON(V1_KEY));
  if (!old) return emptyState();
  save(old);
  return old;
}

/** Store `state`; false when it was not stored (it then lasts in memory only): the browser
    refused, or the stored progress is in a form this page cannot read and must not replace. */
export function save(state) {
  memory = state;
  const saved = !problem() && (stored = writeJSON(KEY, state));
  dispatchEvent(new Event(SAVED));
  return saved;
}

/** Apply `change` to a copy of the stored state and store it. */
export function change(edit) {
  const next = update(load(), edit);
  const saved = save(next);
  return { state: next, saved, problem: saved ? null : problem() };
}

/** Forget the learner's progress, even stored progress this page cannot read. An empty
    state is stored rather than the key removed: with no state stored, the next load would
    carry version 1's marks over again. */
export function reset() {
  memory = emptyState();
  kept = null;
  stored = writeJSON(KEY, memory);
  dispatchEvent(new Event(SAVED));
}

/** Settings of the page: the plan's pace and start, whether done steps are hidden. */
export function prefs() {
  const current = readJSON(PREFS_KEY);
  if (current && typeof current === "object") return current;
  const old = readJSON(V1_PLAN_KEY);
  return old && typeof old === "object" ? { hours: old.hours, start: old.start } : {};
}

export function setPrefs(values) {
  writeJSON(PREFS_KEY, { ...prefs(), ...values });
}

/** Call `listener` when another tab changes the state. */
export function watch(listener) {
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) listener();
  });
}
