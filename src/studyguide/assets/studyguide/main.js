/* studyguide in the browser: progress, the learner's path, filters and a study plan. Nothing is
   loaded from elsewhere and nothing leaves the browser. Material's instant navigation swaps
   pages without reloading, so setup runs on each page view. */

import { setupConcepts } from "./concepts.js";
import { notice } from "./dom.js";
import { setupHome } from "./home.js";
import * as store from "./storage.js";
import { setupPage } from "./view.js";

let current = null;
let concepts = null;

/** Redraw everything a change of the stored state touches on this page. */
function refresh() {
  if (current && document.contains(current.items[0].card)) current.render();
  if (concepts) concepts();
}

/** A link to a card inside a closed "going further" list opens the list first. */
function reveal() {
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

function start() {
  notice(store.problem());
  foldRoute();
  current = setupPage() || current;
  concepts = setupConcepts(refresh) || concepts;
  setupHome();
  reveal();
  document.documentElement.dataset.sgReady = String(+(document.documentElement.dataset.sgReady || 0) + 1);
}

store.watch(() => {
  notice(store.problem());
  refresh();
  setupHome();
});
window.addEventListener("hashchange", reveal);

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
