/* Self-checks that record, and review without an account. main.js loads this only on a page
   with self-checks (a concept page), the review page, or a page that counts the concepts due
   (home and tracks) once there are results:
   - "I got it" and "I missed it" under each answer, kept with the day in the learner's state;
   - the review page: the concepts due today, each with its questions, fetched from its own
     page on this site (only the due ones, so that the review page stays light);
   - "N concepts to review today" on the home and track pages.
   When a concept is due is leitner.js's rule. */

import { checked, plural, today } from "./core.js";
import { h, nextId, prettyDate, words } from "./dom.js";
import { answer, due } from "./leitner.js";
import * as store from "./storage.js";

let parts = []; // {el, draw(state)} of the page's parts: redrawn from the stored state
let pretty = null;

function render() {
  const state = store.load();
  parts = parts.filter((part) => document.contains(part.el));
  for (const part of parts) part.draw(state);
}

/** Set up what this page has, then redraw everything from the stored state. `refresh`
    redraws the rest of the page (a concept known from its checks changes marks and steps). */
export function setup(refresh) {
  pretty = pretty || prettyDate();
  addChecks([...document.querySelectorAll(".sg-check[data-sg-concept]:not([data-sg-ready])")], refresh);
  const host = document.querySelector(".sg-review:not([data-sg-ready])");
  if (host) setupReview(host, refresh);
  for (const el of document.querySelectorAll(".sg-review-due[data-sg-concepts]:not([data-sg-ready])")) {
    el.setAttribute("data-sg-ready", "");
    const link = el.querySelector("a");
    parts.push({
      el,
      draw(state) {
        const n = due(state.checks, words(el.dataset.sgConcepts), today()).length;
        el.hidden = !n;
        if (link) link.textContent = `${plural(n, "concept")} to review today`;
      },
    });
  }
  render();
}

/** "I got it" and "I missed it" under the answers of self-checks fetched into the page (a
    test-out's, say), recorded as on a concept page but with no summary line. */
export function mount(nodes, refresh) {
  pretty = pretty || prettyDate();
  addChecks(nodes, refresh, false);
  render();
}

/** A line on a concept's results: how many right on the latest try, and when it is due. */
function summary(state, id) {
  const r = state.checks[id];
  if (!r) return "";
  let right = 0;
  for (let n = 1; n <= r.of; n++) if (r.answers[n] && r.answers[n].got) right++;
  const known = checked(state, id) ? ": you know this concept" : "";
  const when = r.due <= today() ? "Due for review today." : `Next review: ${pretty(r.due)}.`;
  return `${right} of ${r.of} right on your latest try${known}. ${when}`;
}

/** "I got it" and "I missed it" under the answer of each self-check in `nodes`. */
function addChecks(nodes, refresh, summaries = true) {
  const count = {};
  for (const node of document.querySelectorAll(".sg-check[data-sg-concept]")) {
    // The highest number, not a count: two test-outs on one page may hold the same checks.
    count[node.dataset.sgConcept] = Math.max(count[node.dataset.sgConcept] || 0, +node.dataset.sgCheck || 0);
  }
  const first = new Set();
  for (const node of nodes) {
    node.setAttribute("data-sg-ready", "");
    const id = node.dataset.sgConcept;
    const n = +node.dataset.sgCheck;
    if (!n) continue;
    const number = node.querySelector(".sg-check__number");
    if (number && !number.id) number.id = nextId("check");
    const status = h("span", { class: "sg-check__status", "aria-live": "polite" });
    const mark = (got) => () => {
      const { saved, problem } = store.change((s) => {
        s.checks[id] = answer(s.checks[id] || null, n, count[id], got, today());
      });
      refresh();
      if (!saved) status.textContent = problem || "Not saved: this browser does not let the site store your progress.";
    };
    const button = (text, got) =>
      h("button", {
        type: "button",
        class: "sg-button sg-check__mark",
        "aria-describedby": number && number.id,
        onclick: mark(got),
        text,
      });
    const got = button("I got it", true);
    const missed = button("I missed it", false);
    (node.querySelector("details.sg-check__answer") || node).append(h("div", { class: "sg-check__result" }, got, missed, status));
    parts.push({
      el: node,
      draw(state) {
        const r = state.checks[id];
        const a = r && r.answers[n];
        got.setAttribute("aria-pressed", String(Boolean(a && a.got)));
        missed.setAttribute("aria-pressed", String(Boolean(a && !a.got)));
        if (!store.problem()) status.textContent = a ? `${a.got ? "You got it" : "You missed it"} on ${pretty(a.on)}.` : "";
      },
    });
    // On a concept page, one line on the concept's results before its first question.
    if (summaries && !first.has(id) && !node.closest(".sg-review")) {
      first.add(id);
      const line = h("p", { class: "sg-check__summary", "aria-live": "polite" });
      node.before(line);
      parts.push({ el: line, draw: (state) => (line.textContent = summary(state, id)) });
    }
  }
}

/** The review page: the concepts due today, in the order of leitner.js's `due`, each with its
    questions. The list is drawn once: a concept answered here stays, with its next review. */
function setupReview(host, refresh) {
  host.setAttribute("data-sg-ready", "");
  const links = [...document.querySelectorAll("a[data-sg-concept][data-sg-checks]")];
  const state = store.load();
  const ids = due(state.checks, links.map((a) => a.dataset.sgConcept), today());
  const status = h("p", { class: "sg-review__status", "aria-live": "polite" });
  const lines = [];
  const sections = ids.map((id) => {
    const link = links.find((a) => a.dataset.sgConcept === id);
    const heading = h("h2", { id: `review-${id}` }, h("a", { href: link.href, text: link.textContent.trim() }));
    const line = h("p", { class: "sg-review__when" });
    const body = h("div", { class: "sg-review__checks" }, h("p", { text: "Loading its questions…" }));
    lines.push({ id, line });
    const section = h("section", { class: "sg-review__concept", "data-sg-concept": id, "aria-labelledby": heading.id }, heading, line, body);
    questions(link.href)
      .then((nodes) => {
        if (!nodes.length) throw new Error("no questions");
        body.replaceChildren(...nodes);
        addChecks(nodes, refresh);
        render();
      })
      .catch(() => {
        body.replaceChildren(h("p", { class: "sg-message sg-message--error", text: "Could not load its questions here: answer them on its page." }));
      })
      .finally(() => section.setAttribute("data-sg-loaded", ""));
    return section;
  });
  host.replaceChildren(status, ...sections);
  parts.push({
    el: host,
    draw(state) {
      const left = due(state.checks, ids, today()).length;
      if (ids.length) {
        status.textContent = left ? `${plural(left, "concept")} to review today.` : "You have reviewed everything due today.";
      } else {
        const next = Object.keys(state.checks).length ? nextReview(state, links) : null;
        status.textContent = next
          ? `Nothing to review today. Next: ${next.title}, on ${pretty(next.due)}.`
          : "Nothing to review yet: answer the self-checks on a concept's page, and it comes back here when it is due.";
      }
      for (const { id, line } of lines) line.textContent = summary(state, id);
    },
  });
}

function nextReview(state, links) {
  let next = null;
  for (const a of links) {
    const r = state.checks[a.dataset.sgConcept];
    if (r && (!next || r.due < next.due)) next = { title: a.textContent.trim(), due: r.due };
  }
  return next;
}

/** The self-checks of a concept page of this site, with their links made absolute. */
export async function questions(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status}`);
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const nodes = [...doc.querySelectorAll(".sg-check[data-sg-concept]")];
  for (const node of nodes) {
    for (const el of node.querySelectorAll("[href], [src]")) {
      for (const name of ["href", "src"]) {
        const value = el.getAttribute(name);
        if (value !== null) el.setAttribute(name, new URL(value, response.url).href);
      }
    }
  }
  return nodes.map((node) => document.importNode(node, true));
}
