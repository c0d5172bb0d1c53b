/* studyguide in the browser: progress, the learner's path, filters and a study plan. Nothing is
   loaded from elsewhere and nothing leaves the browser. Material's instant navigation swaps
   pages without reloading, so setup runs on each page view. */

import { setupConcepts } from "./concepts.js";
import { h, notice } from "./dom.js";
import { setupHome } from "./home.js";
import * as store from "./storage.js";
import { setupPage, topicTitle } from "./view.js";

let current = null;
let concepts = null;
let way = null;

/** Redraw everything a change of the stored state touches on this page. */
function refresh() {
  if (current && document.contains(current.items[0].card)) current.render();
  if (concepts) concepts();
  if (way) way();
}

/** After a change from another tab or a progress link. */
function changed() {
  notice(store.problem());
  refresh();
  setupHome();
}

/** A link to a card inside a closed "going further" list opens the list first; a progress
    link is offered by share.js. */
function reveal() {
  if (location.hash.startsWith("#sg-progress=")) {
    return import("./share.js").then((m) => m.offer(changed), () => notice("Could not load: reload the page."));
  }
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  const folded = target && target.closest("details:not([open])");
  if (folded) {
    folded.open = true;
    target.scrollIntoView();
  }
}

/** On a phone the route folds away, so that the path starts within two screens. */
function foldRoute() {
  const route = document.querySelector("details.sg-route:not([data-sg-ready])");
  if (!route) return;
  route.setAttribute("data-sg-ready", "");
  if (window.matchMedia("(max-width: 44.9375em)").matches && location.hash !== "#route") route.open = false;
}

// "Plan my way here" on a concept page: way.js loads when it is pressed.
function setupWay() {
  const host = document.querySelector(".sg-way:not([data-sg-ready])");
  if (!host) return;
  host.dataset.sgReady = "";
  const onclick = () => import("./way.js").then((m) => (way = m.press(host, button)));
  const button = h("button", { type: "button", class: "sg-button", "aria-expanded": "false", onclick, text: "Plan my way here" });
  host.append(button);
}

// "Test out of <topic>" on a track page: testout.js loads when it is pressed.
function setupTestOut() {
  for (const host of document.querySelectorAll(".sg-testout:not([data-sg-ready])")) {
    host.dataset.sgReady = "";
    const title = topicTitle(host.dataset.sgTopic);
    const onclick = () =>
      import("./testout.js").then(
        (m) => m.press(host, button, title, refresh, () => current),
        () => notice("Could not load: reload the page."),
      );
    const button = h("button", { type: "button", class: "sg-button", "aria-expanded": "false", onclick, text: `Test out of ${title}` });
    host.append(button);
  }
}

// Self-checks and review (review.js): where a page has them, or counts results due.
function setupReview() {
  const due = document.querySelector(".sg-review-due");
  if (document.querySelector(".sg-check,.sg-review") || (due && (!due.hidden || Object.keys(store.load().checks).length)))
    import("./review.js").then((m) => m.setup(refresh), () => notice("Could not load: reload the page."));
}

// Each part of the set-up runs as a task of its own, after Material's: one long task would
// block a phone's main thread (Lighthouse counts it as blocking time).
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
let views = 0;

async function start() {
  const view = ++views; // instant navigation may start the next page view meanwhile
  foldRoute(); // before the first paint: folding later would shift the page
  await nextTask();
  if (view !== views) return;
  notice(store.problem());
  const page = await setupPage(nextTask);
  if (view !== views) return;
  current = page || current;
  await nextTask();
  if (view !== views) return;
  concepts = setupConcepts(refresh) || concepts;
  setupHome();
  setupWay();
  setupTestOut();
  setupReview();
  reveal();
  document.documentElement.dataset.sgReady = String(+(document.documentElement.dataset.sgReady || 0) + 1);
}

store.watch(changed);
store.watch(setupReview);
window.addEventListener(store.SAVED, setupReview);
window.addEventListener("hashchange", reveal);

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
