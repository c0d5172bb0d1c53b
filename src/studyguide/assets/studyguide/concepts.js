/* Concepts: "I know this" marks (on a concept page, and beside what a track's topic teaches),
   and the filters of the concept map, mirrored in the address. */

import { isKnown, setDate, today } from "./core.js";
import { field, h, label, words } from "./dom.js";
import * as store from "./storage.js";

const FILTERS = ["topic", "level"];

function toggle(concept, on, refresh) {
  store.change((s) => setDate(s.known, concept, on, today()));
  refresh();
}

/** Every mark on the page, redrawn from the stored state. */
export function setupConcepts(refresh) {
  const marks = [];
  for (const host of document.querySelectorAll(".sg-know[data-sg-concept]:not([data-sg-ready])")) {
    host.setAttribute("data-sg-ready", "");
    const id = host.dataset.sgConcept;
    const button = h("button", { type: "button", class: "sg-button sg-know__button" });
    const status = h("span", { class: "sg-know__status", "aria-live": "polite" });
    button.addEventListener("click", () => toggle(id, !store.load().known[id], refresh));
    host.replaceChildren(button, status);
    marks.push((state) => {
      const on = Boolean(state.known[id]); // the mark; known from self-checks is said below
      button.textContent = on ? "I know this ✓" : "I know this";
      button.setAttribute("aria-pressed", String(on));
      status.textContent = on
        ? "Marked as known: track steps that teach only what you know can be skipped."
        : isKnown(state, id)
          ? "Known: you got every self-check right on your latest try."
          : "";
    });
  }
  for (const link of document.querySelectorAll(".sg-outcomes a[data-sg-concept]:not([data-sg-ready])")) {
    link.setAttribute("data-sg-ready", "");
    const id = link.dataset.sgConcept;
    const box = h("input", { type: "checkbox", class: "sg-done__box", "aria-label": `I know ${link.textContent.trim()}` });
    box.addEventListener("change", () => toggle(id, box.checked, refresh));
    link.before(h("label", { class: "sg-know__label", title: "I know this" }, box), " ");
    marks.push((state) => {
      box.checked = isKnown(state, id);
      box.disabled = box.checked && !state.known[id]; // known from self-checks
    });
  }
  const rows = [...document.querySelectorAll(".sg-concept-row[data-sg-concept]:not([data-sg-ready])")];
  for (const span of rows) span.setAttribute("data-sg-ready", "");
  const panel = document.querySelector(".sg-concept-panel:not([data-sg-ready])");
  const filter = panel ? makeFilters(panel, rows) : null;
  const render = () => {
    const state = store.load();
    for (const mark of marks) mark(state);
    for (const span of rows) span.closest("tr").classList.toggle("sg-concept--known", isKnown(state, span.dataset.sgConcept));
    if (filter) filter();
  };
  render();
  return marks.length || rows.length ? render : null;
}

function makeFilters(panel, rows) {
  panel.setAttribute("data-sg-ready", "");
  const values = { topic: words(panel.dataset.sgTopics), level: words(panel.dataset.sgLevels) };
  const params = new URLSearchParams(location.search);
  const names = {};
  for (const span of rows) {
    const cells = span.closest("tr").cells;
    names[span.dataset.sgTopic] = cells[2] ? cells[2].textContent.trim() : span.dataset.sgTopic;
  }
  const selects = {};
  for (const key of FILTERS) {
    const count = (v) => rows.filter((span) => span.dataset[key === "topic" ? "sgTopic" : "sgLevel"] === v).length;
    const shown = values[key].filter((v) => count(v));
    selects[key] = h(
      "select",
      { name: key },
      h("option", { value: "", text: key === "topic" ? "All topics" : "All levels" }),
      ...shown.map((v) => h("option", { value: v, text: `${key === "topic" ? names[v] || v : label(v)} (${count(v)})` })),
    );
    selects[key].value = shown.includes(params.get(key)) ? params.get(key) : "";
  }
  const status = h("p", { class: "sg-filters__status", "aria-live": "polite" });
  panel.replaceChildren(
    h(
      "div",
      { class: "sg-panel" },
      h("div", { class: "sg-filters__row" }, field("Topic", selects.topic), field("Level", selects.level)),
      status,
    ),
  );
  const apply = () => {
    let shown = 0;
    for (const span of rows) {
      const row = span.closest("tr");
      const keep =
        (!selects.topic.value || span.dataset.sgTopic === selects.topic.value) &&
        (!selects.level.value || span.dataset.sgLevel === selects.level.value);
      row.hidden = !keep;
      shown += keep ? 1 : 0;
    }
    status.textContent = shown === rows.length ? "" : `Showing ${shown} of ${rows.length} concepts.`;
  };
  for (const key of FILTERS) {
    selects[key].addEventListener("change", () => {
      const url = new URL(location.href);
      for (const k of FILTERS) {
        if (selects[k].value) url.searchParams.set(k, selects[k].value);
        else url.searchParams.delete(k);
      }
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
      apply();
    });
  }
  return apply;
}
