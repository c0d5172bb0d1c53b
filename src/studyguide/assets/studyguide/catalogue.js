/* The site's /catalogue.json, fetched once per page load by the features that need it ("Plan
   my way here", "Continue where you left off"), and a track's path read from it. Loaded on
   demand, never on first paint. */

import { ROOT } from "./dom.js";

let loading = null;

/** The site's /catalogue.json, fetched once; after a failure the next call tries again. */
export function catalogue() {
  if (!loading) {
    loading = fetch(new URL("catalogue.json", ROOT)).then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** Track `id`'s path, in the shape core.js's `walk` takes: the same steps, numbers, hours,
    concepts taught and alternatives as the track page's cards, and after each topic's steps
    the goal's other resources on it (which the learner may add). Null for no such track. */
export function trackPath(data, id) {
  const track = (data.tracks || []).find((t) => t.id === id);
  if (!track) return null;
  const resources = new Map((data.resources || []).map((r) => [r.id, r]));
  const item = (rid, hours) => {
    const r = resources.get(rid) || {};
    return { id: rid, title: r.title || rid, hours: hours == null ? r.effort_hours || 0 : hours, url: r.url || "" };
  };
  const onPath = new Set();
  for (const section of track.path || []) for (const step of section.steps || []) [step.resource, ...(step.instead || [])].forEach((r) => onPath.add(r));
  let number = 0;
  return (track.path || []).map((section) => ({
    topic: section.topic,
    steps: (section.steps || []).map((step) => ({
      ...item(step.resource, step.hours),
      number: ++number,
      teaches: step.teaches || [],
      instead: (step.instead || []).map((alt) => item(alt)),
    })),
    further: (data.resources || [])
      .filter((r) => !onPath.has(r.id) && (r.goals || []).includes(id) && (r.topics || []).includes(section.topic))
      .map((r) => item(r.id)),
  }));
}
