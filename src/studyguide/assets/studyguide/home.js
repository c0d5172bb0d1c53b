/* The home page: once the learner has progress, a link back to where they left off. The step
   it names is the track page's "Next up": the same `walk` and `nextStep` over the same path,
   read from /catalogue.json (catalogue.js, loaded only once there is progress), so that swaps,
   additions and placement count here as they do there. */

import { nextStep, walk } from "./core.js";
import { h, headingText, sitePage } from "./dom.js";
import * as store from "./storage.js";

let asked = 0;

export function setupHome() {
  const box = document.querySelector(".sg-continue");
  if (!box) return;
  const state = store.load();
  const cards = [...document.querySelectorAll(".sg-card[data-sg-track]")];
  const recent = store.prefs().track;
  const anything = recent || ["done", "skipped", "known", "checks", "swaps", "added"].some((k) => Object.keys(state[k]).length);
  if (!cards.length || !anything) {
    box.hidden = true;
    return;
  }
  const mine = ++asked;
  import("./catalogue.js")
    .then((m) => m.catalogue().then((data) => ({ m, data })))
    .then(({ m, data }) => {
      if (mine !== asked) return;
      const tracks = cards
        .map((card) => ({ id: card.dataset.sgTrack, title: headingText(card.querySelector("h3")), path: m.trackPath(data, card.dataset.sgTrack) }))
        .filter((t) => t.path)
        .map((t) => ({ ...t, walked: walk(t.path, state, t.id) }))
        .map((t) => ({ ...t, marked: t.walked.filter((w) => w.status !== "todo" || w.swapped || w.kind === "added").length }))
        .filter((t) => t.marked > 0 || t.id === recent);
      if (!tracks.length) {
        box.hidden = true;
        return;
      }
      const chosen = tracks.find((t) => t.id === recent) || tracks.sort((a, b) => b.marked - a.marked)[0];
      const next = nextStep(chosen.walked);
      const label = next && (next.kind === "added" ? "added" : `step ${next.number}`);
      box.replaceChildren(
        h(
          "p",
          { class: "sg-continue__text" },
          h("strong", { text: "Continue where you left off: " }),
          next
            ? h("a", { href: sitePage("tracks", chosen.id) + "#res-" + next.step, text: `${chosen.title}, ${label}: ${next.title}` })
            : h("span", { text: `you have finished every step of ${chosen.title}.` }),
        ),
      );
      box.hidden = false;
    })
    .catch(() => {
      box.hidden = true;
    });
}
