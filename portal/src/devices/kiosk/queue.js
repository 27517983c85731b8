// The kiosk's unsent ratings (评价器离线队列): every press is kept in the device's storage with its own client id
// until the server has answered for it (accepted, duplicate or rejected), so a rating pressed while the network,
// the gateway or the evaluation service is down is sent later, and a batch sent twice counts once.
import { suiteNow } from "@/utils/clock";

export const BATCH = 100;

/** The queue in a Storage (localStorage on the device; any object with getItem/setItem in a test). */
export function ratingQueue(storage, key = "pacesetter.kiosk.queue") {
  const read = () => {
    try {
      const items = JSON.parse(storage.getItem(key) || "[]");
      return Array.isArray(items) ? items : [];
    } catch {
      return []; // a damaged entry is not worth a kiosk that cannot start
    }
  };
  const write = (items) => storage.setItem(key, JSON.stringify(items));
  return {
    items: read,
    add(item) {
      write([...read(), item]);
    },
    /** Forgets what the server answered for; what was pressed meanwhile stays. */
    settle(clientIds) {
      const settled = new Set(clientIds);
      write(read().filter((item) => !settled.has(item.client_id)));
    },
  };
}

export function newClientId() {
  return globalThis.crypto && crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** A rating as the batch route takes it. */
export function rating(level, reasons, tagSet, now = new Date(suiteNow())) {
  const item = { client_id: newClientId(), level, reasons: [...reasons], rated_at: now.toISOString() };
  if (tagSet && tagSet.version !== undefined) item.tag_set_version = tagSet.version;
  return item;
}

/**
 * Sends the oldest waiting ratings once. post(body) resolves to the server's answer ({items: [{client_id}]})
 * and rejects when the server cannot be reached; what is not answered for stays queued for the next try.
 */
export async function sendWaiting(queue, post, batch = BATCH) {
  const waiting = queue.items().slice(0, batch);
  if (!waiting.length) return 0;
  const answer = await post({ ratings: waiting });
  const settled = (answer.items || []).map((item) => item.client_id);
  queue.settle(settled);
  return settled.length;
}
