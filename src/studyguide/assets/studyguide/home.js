/* The home page: once the learner has progress, a link back to where they left off. */

import { nextStep, walk } from "./core.js";
import { h, headingText, words } from "./dom.js";
import * as store from "./storage.js";

/** Each track card's core steps, in the shape `walk` takes. */
function readTrack(card) {
  const steps = [...card.querySelectorAll("a[data-sg-id]")].map((a, i) => ({
    id: a.dataset.sgId,
    number: i + 1,
    title: a.textContent.trim(),
    hours: 0,
    url: a.href,
    href: a.getAttribute("href"),
    instead: words(a.dataset.sgInstead).map((id) => ({ id, title: a.textContent.trim(), hours: 0, url: "" })),
  }));
  return {
    id: card.dataset.sgTrack,
    title: headingText(card.querySelector("h3")),
    path: [{ topic: "", steps, further: [] }],
    steps,
  };
}

export function setupHome() {
  const box = document.querySelector(".sg-continue");
  if (!box) return;
  const state = store.load();
  const tracks = [...document.querySelectorAll(".sg-card[data-sg-track]")].map(readTrack);
  const started = tracks
    .map((t) => ({ ...t, walked: walk(t.path, state, t.id) }))
    .map((t) => ({ ...t, touched: t.walked.filter((w) => w.status !== "todo").length }))
    .filter((t) => t.touched > 0 || t.id === store.prefs().track);
  if (!started.length) {
    box.hidden = true;
    return;
  }
  const recent = store.prefs().track;
  const chosen = started.find((t) => t.id === recent) || started.sort((a, b) => b.touched - a.touched)[0];
  const next = nextStep(chosen.walked);
  const step = next && chosen.steps.find((s) => s.id === next.step);
  box.replaceChildren(
    h(
      "p",
      { class: "sg-continue__text" },
      h("strong", { text: "Continue where you left off: " }),
      step
        ? h("a", { href: step.href, text: `${chosen.title}, step ${step.number}: ${step.title}` })
        : h("span", { text: `you have finished every step of ${chosen.title}.` }),
    ),
  );
  box.hidden = false;
}
