/* "Test out of a topic", pure: which concepts a test-out asks about and what it changed in the
   learner's path. No DOM and no storage here, so that tests can call every function. Loaded on
   demand, with testout.js, never on first paint. */

import { isKnown, walk } from "./core.js";

const round = (x) => Math.round(x * 10) / 10;

/** The topic's section of a path (see core.js `walk`), or null. */
const sectionOf = (path, topic) => path.find((section) => section.topic === topic) || null;

/** The concepts a test-out of `topic` asks about: those its core steps teach (`concepts`, each
    with self-checks, in the order the page lists them) that the learner does not know yet. */
export const toAsk = (concepts, state) => concepts.filter((c) => !isKnown(state, c));

/** What a test-out of `topic` on `track` changed, from the state `before` it to the state
    `after` it:
    - known: the asked concepts the learner knows now;
    - missed: the asked concepts they do not (a miss, or a question left unanswered);
    - skipped: the topic's steps the plan skips now and did not before, as walked items with
      the concepts they teach; hours: what those steps take, the hours saved;
    - staying: the topic's steps still to do, each with the concepts it teaches that the
      learner has yet to show they know. */
export function outcome(path, before, after, track, topic, asked) {
  const section = sectionOf(path, topic);
  const teaches = new Map((section ? section.steps : []).map((step) => [step.id, step.teaches || []]));
  const was = new Map(walk(path, before, track).map((item) => [item.step, item.status]));
  const mine = walk(path, after, track).filter((item) => item.kind === "step" && item.topic === topic);
  const skipped = mine
    .filter((item) => item.status === "known" && was.get(item.step) === "todo")
    .map((item) => ({ ...item, teaches: teaches.get(item.step) }));
  const staying = mine
    .filter((item) => item.status === "todo")
    .map((item) => ({ ...item, missing: teaches.get(item.step).filter((c) => !isKnown(after, c)) }));
  return {
    known: asked.filter((c) => isKnown(after, c)),
    missed: asked.filter((c) => !isKnown(after, c)),
    skipped,
    staying,
    hours: round(skipped.reduce((sum, item) => sum + item.hours, 0)),
  };
}

/** A test-out is the learner asking the plan to skip what they showed they know: the "put
    back" marks of the topic's steps whose concepts they all know now are lifted, so that those
    steps leave the plan again (each can be put back from the result). Changes `state`. */
export function liftPutBacks(state, path, topic) {
  const section = sectionOf(path, topic);
  for (const step of section ? section.steps : []) {
    const teaches = step.teaches || [];
    if (teaches.length && teaches.every((c) => isKnown(state, c))) delete state.keep[step.id];
  }
}
