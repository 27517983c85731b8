// The ratings' figures of a year the evaluation worker has not worked out yet come back empty with
// figures: "preparing" (after a start, or a year it has not reached; it works a year out within half a minute).
// Read as "no ratings" they would mislead: the page says they are being prepared and asks again by itself every
// few seconds until they are ready or the page is left — not while the tab is hidden (it asks once it is seen).
//
//   const poll = useFiguresPoll(() => load({ quiet: true }));
//   poll.seen(body, …)  after each answer: true while any of them is preparing (poll.preparing too)
import { getCurrentInstance, onBeforeUnmount, ref } from "vue";

export const PREPARING = "preparing";
export const ASK_AGAIN_MS = 5000;

export const isPreparing = (body) => Boolean(body) && body.figures === PREPARING;

// A reload asked for by the poll: no loading mask over what stays until the answer. Only a literal
// { quiet: true }: a reload bound to a button is given the click event.
export const isQuiet = (options) => Boolean(options) && options.quiet === true;

export function useFiguresPoll(reload, every = ASK_AGAIN_MS) {
  const preparing = ref(false);
  let timer = null;
  let left = false;

  function stop() {
    clearTimeout(timer);
    timer = null;
  }

  function ask() {
    timer = null;
    if (left) return;
    if (document.hidden) {
      timer = setTimeout(ask, every);
      return;
    }
    reload();
  }

  function seen(...bodies) {
    stop();
    preparing.value = bodies.some(isPreparing);
    if (preparing.value && !left) timer = setTimeout(ask, every);
    return preparing.value;
  }

  if (getCurrentInstance()) {
    onBeforeUnmount(() => {
      left = true;
      stop();
    });
  }

  return { preparing, seen };
}
