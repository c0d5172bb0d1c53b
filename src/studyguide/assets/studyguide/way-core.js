/* "Plan my way here", pure: the way to a concept through its prerequisites, and the easiest
   place to learn each concept on it. No DOM and no storage here, so that tests can call every
   function. Loaded on demand, with way.js, never on first paint. */

/** The rank of a level in `levels` (easiest first); a level not listed comes after them. */
const ranker = (levels) => (level) => {
  const at = (levels || []).indexOf(level);
  return at < 0 ? (levels || []).length : at;
};

/** The way to `targets` (concept ids): their prerequisites, transitively, and the targets
    themselves, less the concepts `known(id)` says the learner knows. Each comes after every
    prerequisite of its own that is on the way, directly or through others (known or not);
    ties are broken by level (in the order of `levels`), then by catalogue order, so a single
    target comes last. `concepts`: [{id, level, prerequisites: [ids]}] in catalogue order.
    Ids that name no concept are ignored. Returns the concepts on the way, in order. */
export function wayTo(concepts, targets, known = () => false, levels = []) {
  const byId = new Map();
  concepts.forEach((concept, index) => {
    if (!byId.has(concept.id)) byId.set(concept.id, { concept, index });
  });
  const rank = ranker(levels);
  const memo = new Map();
  // Every prerequisite of `id`, transitively; a cycle (which validation forbids) is cut.
  const before = (id, visiting = new Set()) => {
    if (memo.has(id)) return memo.get(id);
    const out = new Set();
    visiting.add(id);
    for (const p of byId.get(id).concept.prerequisites || []) {
      if (!byId.has(p) || visiting.has(p)) continue;
      out.add(p);
      for (const q of before(p, visiting)) out.add(q);
    }
    visiting.delete(id);
    memo.set(id, out);
    return out;
  };
  const on = new Set();
  for (const target of targets || []) {
    if (!byId.has(target)) continue;
    on.add(target);
    for (const p of before(target)) on.add(p);
  }
  for (const id of [...on]) if (typeof known === "function" && known(id)) on.delete(id);
  const less = (a, b) => {
    const x = byId.get(a);
    const y = byId.get(b);
    const dr = rank(x.concept.level) - rank(y.concept.level);
    return dr < 0 || (dr === 0 && x.index < y.index);
  };
  const left = [...on];
  const placed = new Set();
  const out = [];
  while (left.length) {
    const ready = (id) => [...before(id)].every((p) => !on.has(p) || placed.has(p));
    let best = -1;
    for (let k = 0; k < left.length; k++) if (ready(left[k]) && (best < 0 || less(left[k], left[best]))) best = k;
    // Nothing ready can only come of a cycle: take the easiest left rather than stop.
    if (best < 0) for (let k = 0; k < left.length; k++) if (best < 0 || less(left[k], left[best])) best = k;
    const [id] = left.splice(best, 1);
    placed.add(id);
    out.push(byId.get(id).concept);
  }
  return out;
}

/** The easiest place to learn `concept`, the first of its page's "Where to learn it" list:
    the lowest resource level, then the fewest hours, then the catalogue's order. `resources`:
    a Map of id to {id, title, level, url}. Returns {resource, where, hours}, or null when no
    place names a known resource. */
export function easiest(concept, resources, levels = []) {
  const rank = ranker(levels);
  let best = null;
  for (const place of concept.learn_from || []) {
    const resource = resources.get(place.resource);
    if (!resource) continue;
    const hours = Math.max(0, +place.hours || 0);
    const dr = best ? rank(resource.level) - rank(best.resource.level) : -1;
    if (dr < 0 || (dr === 0 && hours < best.hours)) best = { resource, where: place.where || "", hours };
  }
  return best;
}

/** The way to `targets` as a list to study: {id, title, level, resource, where, hours} for
    each concept (resource null and hours 0 where it names no place), and the total hours.
    `catalogue`: {concepts, resources} as /catalogue.json publishes them. */
export function wayPlan(catalogue, targets, known = () => false, levels = []) {
  const resources = new Map((catalogue.resources || []).map((r) => [r.id, r]));
  const items = wayTo(catalogue.concepts || [], targets, known, levels).map((concept) => {
    const place = easiest(concept, resources, levels);
    return {
      id: concept.id,
      title: concept.title,
      level: concept.level,
      resource: place ? place.resource : null,
      where: place ? place.where : "",
      hours: place ? place.hours : 0,
    };
  });
  const hours = Math.round(items.reduce((sum, item) => sum + item.hours, 0) * 10) / 10;
  return { items, hours };
}
