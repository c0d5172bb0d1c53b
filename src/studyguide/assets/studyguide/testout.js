/* "Test out of <topic>" on a track page: the self-checks of the concepts the topic's core steps
   teach, one question after another, each answer shown on demand and self-graded as on a concept
   page (review.js records it); then what the learner knows now, the steps the plan skips, the
   hours saved, and a way to put each step back. Loaded when the button is first pressed; the
   questions come from the concept pages of this site. */

import { plural, num, setDate, today } from "./core.js";
import { h, nextId, sitePage, words } from "./dom.js";
import { mount, questions } from "./review.js";
import * as store from "./storage.js";
import { liftPutBacks, outcome, toAsk } from "./testout-core.js";
import { conceptTitle } from "./view.js";

const tests = new WeakMap();

/** The button of `host` was pressed: show or hide its test-out. `view()` is the page's view
    (view.js): its path, track and redraw. */
export function press(host, button, title, refresh, view) {
  if (!tests.has(host)) tests.set(host, makeTest(host, button, title, refresh, view));
  tests.get(host).toggle();
}

const conceptLink = (id) => h("a", { href: sitePage("concepts", id), text: conceptTitle(id) });

/** "A, B and C" as nodes, each a link to its concept page. */
function conceptList(ids) {
  const out = [];
  ids.forEach((id, i) => {
    if (i) out.push(i === ids.length - 1 ? " and " : ", ");
    out.push(conceptLink(id));
  });
  return out;
}

function makeTest(host, button, title, refresh, view) {
  const topic = host.dataset.sgTopic;
  const concepts = words(host.dataset.sgConcepts);
  const region = h("div", { id: nextId("testout"), class: "sg-testout__panel", role: "region", "aria-label": `Test out of ${title}`, hidden: true });
  button.setAttribute("aria-controls", region.id);
  host.append(region);
  let open = false;
  let run = null;

  const say = (text, error = false) =>
    h("p", { class: "sg-message sg-testout__status" + (error ? " sg-message--error" : ""), role: "status", text });

  function start() {
    const before = store.load();
    const asked = toAsk(concepts, before);
    const mine = { before, asked, nodes: [], at: 0, failed: [] };
    run = mine;
    if (!asked.length) return finish();
    region.replaceChildren(say(`Loading the questions on ${plural(asked.length, "concept")}…`));
    const loads = asked.map((id) =>
      questions(sitePage("concepts", id)).then(
        (nodes) => ({ id, nodes }),
        () => ({ id, nodes: [] }),
      ),
    );
    Promise.all(loads).then((found) => {
      if (run === mine) ask(mine, found);
    });
  }

  function ask(mine, found) {
    const progress = h("p", { class: "sg-testout__progress", "aria-live": "polite" });
    const box = h("div", { class: "sg-testout__questions" });
    for (const { id, nodes } of found) {
      if (!nodes.length) mine.failed.push(id);
      for (const node of nodes) {
        node.hidden = true;
        node.tabIndex = -1;
        mine.nodes.push({ id, node });
        box.append(node);
      }
    }
    const stop = h("button", { type: "button", class: "sg-button", text: "Finish now", onclick: () => finish() });
    const failed = mine.failed.length
      ? h("p", { class: "sg-message sg-message--error" }, "Could not load the questions on ", ...conceptList(mine.failed), ": answer them on the concept's page.")
      : null;
    region.replaceChildren(...[progress, box, h("div", { class: "sg-testout__actions" }, stop), failed].filter(Boolean));
    if (!mine.nodes.length) return finish();
    mount(
      mine.nodes.map((q) => q.node),
      refresh,
    );
    const showAt = (focus) => {
      mine.nodes.forEach((q, i) => (q.node.hidden = i !== mine.at));
      const { id, node } = mine.nodes[mine.at];
      progress.textContent = `Question ${mine.at + 1} of ${mine.nodes.length}, on ${conceptTitle(id)}: show the answer, then say whether you got it.`;
      if (focus) node.focus();
    };
    // review.js records the answer (its listener runs first); then on to the next question.
    box.addEventListener("click", (event) => {
      if (run !== mine || !event.target.closest(".sg-check__mark")) return;
      mine.at += 1;
      if (mine.at < mine.nodes.length) showAt(true);
      else finish();
    });
    showAt(false);
  }

  function finish() {
    const mine = run;
    const { path, track } = view();
    store.change((s) => liftPutBacks(s, path, topic));
    refresh();
    const result = outcome(path, mine.before, store.load(), track, topic, mine.asked);
    const knewAlready = concepts.filter((c) => !mine.asked.includes(c));
    const lines = [];
    if (!mine.asked.length) lines.push(h("p", { text: `You know every concept the core steps of ${title} teach.` }));
    else if (!result.missed.length) lines.push(h("p", {}, h("strong", { text: `You tested out of ${title}.` }), " You know ", ...conceptList(result.known), "."));
    else {
      lines.push(h("p", {}, h("strong", { text: `${plural(result.known.length, "concept")} of ${mine.asked.length} known now.` })));
      if (result.known.length) lines.push(h("p", {}, "You know ", ...conceptList(result.known), "."));
      lines.push(h("p", {}, "Still to learn (a miss, or a question left unanswered): ", ...conceptList(result.missed), "."));
    }
    if (knewAlready.length && mine.asked.length) lines.push(h("p", {}, "You knew ", ...conceptList(knewAlready), " already, so the test did not ask about them."));
    lines.push(
      h("p", {
        class: "sg-testout__saved",
        text: result.skipped.length
          ? `Your plan now skips ${plural(result.skipped.length, "step")}, about ${plural(result.hours, "hour")}:`
          : "Your plan skips no more steps.",
      }),
    );
    if (result.skipped.length) lines.push(h("ul", { class: "sg-testout__skipped" }, ...result.skipped.map((item) => skippedItem(item))));
    if (result.staying.length) {
      lines.push(
        h("p", { text: `Still in your plan on ${title}:` }),
        h(
          "ul",
          { class: "sg-testout__staying" },
          ...result.staying.map((item) =>
            h(
              "li",
              { "data-sg-id": item.step },
              `Step ${item.number}: ${item.title} (≈ ${num(item.hours)} h)`,
              ...(item.missing.length ? [", for ", ...conceptList(item.missing)] : []),
              ".",
            ),
          ),
        ),
      );
    }
    const again = h("button", { type: "button", class: "sg-button", text: "Test again", onclick: () => start() });
    const close = h("button", { type: "button", class: "sg-button", text: "Close", onclick: () => toggle() });
    const summary = h("div", { class: "sg-testout__result", tabindex: "-1" }, ...lines, h("div", { class: "sg-testout__actions" }, again, close));
    region.replaceChildren(summary);
    summary.focus();
  }

  /** A step the test-out skips, with why and a button that puts it back (and skips it again). */
  function skippedItem(item) {
    const why = h("span", {}, `Step ${item.number}: ${item.title} (≈ ${num(item.hours)} h). You tested out of ${title}: you know `, ...conceptList(item.teaches), ".");
    const back = h("button", { type: "button", class: "sg-button sg-testout__back" });
    const draw = () => {
      const kept = Object.prototype.hasOwnProperty.call(store.load().keep, item.step);
      back.textContent = kept ? "Skip it again" : "Put back";
      back.setAttribute("aria-pressed", String(kept));
      back.setAttribute("aria-label", `${kept ? "Skip again" : "Put back"} step ${item.number}: ${item.title}`);
    };
    back.addEventListener("click", () => {
      const kept = Object.prototype.hasOwnProperty.call(store.load().keep, item.step);
      store.change((s) => setDate(s.keep, item.step, !kept, today()));
      refresh();
      draw();
    });
    draw();
    return h("li", { "data-sg-id": item.step }, why, " ", back);
  }

  function toggle() {
    open = !open;
    button.setAttribute("aria-expanded", String(open));
    region.hidden = !open;
    if (open && !run) start();
    if (!open) button.focus();
  }

  return { toggle };
}
