// What the kiosk shows and when, without the page: which levels offer reasons, the abuse filter, the idle clock.

/** The five levels, best first, as the buttons stand. */
export const LEVELS = [5, 4, 3, 2, 1];

/** The reason tags the window's tag set offers for a level (praise for 4–5, the problem for 1–2), or none. */
export function tagsFor(tagSet, level) {
  if (!tagSet || !Array.isArray(tagSet.levels) || !tagSet.tags) return { group: null, tags: [] };
  const entry = tagSet.levels.find((l) => l.level === level);
  const group = entry && entry.tag_group;
  const tags = (group && tagSet.tags[group]) || [];
  return { group: tags.length ? group : null, tags };
}

/**
 * The abuse filter: the same button pressed again within repeatMs of its last counted press is ignored
 * (documented, configurable with ?repeat_ms=; 0 turns it off).
 */
export function repeatFilter(repeatMs) {
  const last = {};
  return (level, now) => {
    if (repeatMs > 0 && now - (last[level] ?? -Infinity) < repeatMs) return false;
    last[level] = now;
    return true;
  };
}

/**
 * The idle clock of a screen after the first: after `seconds` without a touch it calls onTimeout; every touch
 * starts it again. tick(left) tells the page how many seconds are left (the countdown it shows).
 */
export function idleClock(seconds, { onTimeout, tick, setTimer = setInterval, clearTimer = clearInterval }) {
  let left = seconds;
  let timer = null;
  const stop = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };
  return {
    start() {
      stop();
      left = seconds;
      tick(left);
      timer = setTimer(() => {
        left -= 1;
        tick(Math.max(left, 0));
        if (left <= 0) {
          stop();
          onTimeout();
        }
      }, 1000);
    },
    touch() {
      if (timer === null) return;
      left = seconds;
      tick(left);
    },
    stop,
  };
}

/** A setting read from the page's address (?idle_s=20), a number not below `min`, else the default. */
export function numberParam(params, name, fallback, min = 0) {
  const value = Number(params.get(name));
  return params.has(name) && Number.isFinite(value) && value >= min ? value : fallback;
}
