/* "Plan my way here" on a concept page, and the ways the learner added at the end of a track's
   study plan. Loaded on demand only: when the button is first pressed, or on a track page once
   the learner has added a way. The concept graph comes from the site's /catalogue.json,
   fetched once per page load, from this site only.

   The stored state keeps the concepts the learner added their way to in an optional field,
   `ways`: {concept id: "YYYY-MM-DD" (the day it was added)}. Nothing else is stored: the way
   is worked out again each time, so a concept marked known later leaves it. On a track page
   the study plan lists, after the track's steps, the concepts on every added way less those
   the learner knows and those the track's own steps teach; its .ics file has a milestone for
   each. */

import { ID, isKnown, num, plural, setDate, today } from "./core.js";
import { ROOT, h, nextId, sitePage as pageOf, words } from "./dom.js";
import * as store from "./storage.js";
import { catalogue } from "./catalogue.js";
import { wayPlan } from "./way-core.js";

/** The concepts the learner added their way to, read defensively: an older state has none. */
export const waysOf = (state) =>
  state && state.ways && typeof state.ways === "object" ? Object.keys(state.ways).sort() : [];

const levelsOn = (el) => words(el && el.dataset.sgLevels);

/** The concepts on the learner's ways as items of the study plan of `track`: after its steps,
    less what the learner knows and what the track's steps teach. */
export async function planItems(state, track) {
  const data = await catalogue();
  const taught = new Set();
  for (const t of data.tracks || []) {
    if (t.id !== track) continue;
    for (const section of t.path || []) for (const step of section.steps || []) for (const c of step.teaches || []) taught.add(c);
  }
  const levels = levelsOn(document.querySelector(".sg-track[data-sg-levels]"));
  const way = wayPlan(data, waysOf(state), (c) => taught.has(c) || isKnown(state, c), levels);
  return way.items.map((it) => ({
    kind: "concept",
    id: "concept-" + it.id,
    step: null,
    number: null,
    label: "concept",
    title: it.title,
    hours: it.hours,
    url: it.resource ? it.resource.url : "",
    page: pageOf("concepts", it.id),
    href: pageOf("concepts", it.id),
    from: it.resource ? it.resource.title + (it.where ? ", " + it.where : "") : "",
  }));
}

const panels = new WeakMap();

/** The button of `host` was pressed: show or hide the way to its concept. Returns the redraw
    to call when the stored state changes. */
export function press(host, button) {
  if (!panels.has(host)) panels.set(host, makeWay(host, button));
  const way = panels.get(host);
  way.toggle();
  return way.redraw;
}

function makeWay(host, button) {
  const id = host.dataset.sgConcept;
  const levels = levelsOn(host);
  const region = h("div", { id: nextId("way"), class: "sg-way__panel", hidden: true });
  const intro = h("p", { class: "sg-way__intro", "aria-live": "polite" });
  const list = h("ol", { class: "sg-way__list" });
  const total = h("p", { class: "sg-way__total" });
  const add = h("button", { type: "button", class: "sg-button sg-button--primary sg-way__add", hidden: true });
  const status = h("p", { class: "sg-message sg-way__status", role: "status" });
  region.append(intro, list, total, add, status);
  button.setAttribute("aria-controls", region.id);
  host.append(region);
  let data = null;
  let open = false;
  let failed = "";

  const redraw = () => {
    if (!open || !host.isConnected) return;
    if (!data) {
      intro.textContent = failed || "Loading the concept map…";
      intro.classList.toggle("sg-message--error", Boolean(failed));
      return;
    }
    intro.classList.remove("sg-message--error");
    const state = store.load();
    const concept = (data.concepts || []).find((c) => c.id === id);
    const name = concept ? concept.title : id;
    const way = wayPlan(data, [id], (c) => isKnown(state, c), levels);
    const mine = waysOf(state).includes(id);
    intro.textContent = way.items.length
      ? "Your way to " + name + ": " + plural(way.items.length, "concept") + ", each after what it needs, with the easiest place to learn it. What you know is left out."
      : "You know " + name + " already: there is nothing left to learn on the way here.";
    list.replaceChildren(
      ...way.items.map((it) =>
        h(
          "li",
          { "data-sg-concept": it.id },
          it.id === id ? h("strong", { text: it.title }) : h("a", { href: pageOf("concepts", it.id), text: it.title }),
          it.resource ? ": " : "",
          it.resource ? h("a", { href: pageOf("resources", it.resource.id), text: it.resource.title }) : null,
          it.where ? ", " + it.where : "",
          h("span", { class: "sg-plan__hours", text: " · ≈ " + num(it.hours) + " h" }),
        ),
      ),
    );
    total.textContent = way.items.length ? "Total: about " + plural(way.hours, "hour") + "." : "";
    add.hidden = !way.items.length && !mine;
    add.textContent = mine ? "Remove from my plan" : "Add to my plan";
    add.setAttribute("aria-pressed", String(mine));
    const track = ID.test(store.prefs().track) ? store.prefs().track : null;
    status.classList.remove("sg-message--error");
    status.replaceChildren(
      ...(mine
        ? [
            "In your study plan: on a track page, the plan lists this way after the track's steps (less what the track teaches), and its .ics calendar file includes it. ",
            track ? h("a", { href: pageOf("tracks", track), text: "Open your track's study plan" }) : h("a", { href: ROOT.href, text: "Pick a track" }),
          ]
        : []),
    );
  };

  add.addEventListener("click", () => {
    const on = !waysOf(store.load()).includes(id);
    const result = store.change((s) => {
      if (!s.ways || typeof s.ways !== "object") s.ways = Object.create(null);
      setDate(s.ways, id, on, today());
    });
    redraw();
    if (!result.saved) {
      status.classList.add("sg-message--error");
      status.textContent =
        result.problem || "This browser does not let the site store your progress: your plan lasts only until you leave the page.";
    }
  });

  return {
    redraw,
    toggle() {
      // After a failed load, a press tries again rather than closing.
      open = !open || (!data && Boolean(failed));
      button.setAttribute("aria-expanded", String(open));
      region.hidden = !open;
      if (open && !data) {
        failed = "";
        catalogue().then(
          (loaded) => {
            data = loaded;
            redraw();
          },
          () => {
            failed = "Could not load the concept map from this site: press “Plan my way here” to try again.";
            redraw();
          },
        );
      }
      redraw();
    },
  };
}
