/* Where the learner's state lives: this browser's localStorage, under keys scoped to the site's
   base path, so two guides on one origin keep their marks apart. When the browser refuses
   storage, the state lasts in memory until the page is left. */

import { emptyState, parseState, update } from "./core.js";

// The modules live at <base>/assets/studyguide/: the site's base path is two folders up.
export const BASE = new URL("../../", import.meta.url).pathname;
export const KEY = `studyguide:v2:progress:${BASE}`;
export const PREFS_KEY = `studyguide:v2:prefs:${BASE}`;
// Version 1 kept done marks for every site on the origin under one key.
export const V1_KEY = "studyguide:v1:progress";
const V1_PLAN_KEY = "studyguide:v1:plan";

let memory = null;
let stored = true;

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

/** The learner's state; version 1 done marks are carried over the first time. */
export function load() {
  if (!stored && memory) return memory;
  const current = parseState(readJSON(KEY));
  if (current) return current;
  const old = parseState(readJSON(V1_KEY));
  if (!old) return emptyState();
  save(old);
  return old;
}

/** Store `state`; false when the browser refused (it then lasts in memory only). */
export function save(state) {
  memory = state;
  stored = writeJSON(KEY, state);
  return stored;
}

/** Apply `change` to a copy of the stored state and store it. */
export function change(edit) {
  const next = update(load(), edit);
  return { state: next, saved: save(next) };
}

export function reset() {
  memory = emptyState();
  try {
    localStorage.removeItem(KEY);
  } catch (_error) {
    /* cleared in memory already */
  }
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
