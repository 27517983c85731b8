// 培训模式: the embedded suite may run on a shifted clock (pacesetter-embedded --clock-offset 7d). The gateway's
// /healthz says so; a page asks once, before it mounts, so that the portal's "today" (default years, 今天是), its
// banner and a kiosk's rating times go by the suite's time, not this device's. Plain fetch: the kiosk's small
// page carries no API client.
import { reactive } from "vue";

export const training = reactive({ on: false, offsetSeconds: 0 });

/** Now, as the suite counts it (milliseconds since the epoch). */
export const suiteNow = () => Date.now() + training.offsetSeconds * 1000;

export async function loadTrainingClock(timeoutMs = 3000) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const response = await fetch("/healthz", { headers: { Accept: "application/json" }, signal: abort.signal });
    const shifted = response.ok ? (await response.json()).training : null;
    training.on = Boolean(shifted);
    training.offsetSeconds = shifted ? Number(shifted.offset_seconds) || 0 : 0;
  } catch {
    // unreachable (a kiosk offline): the device's own clock, as without training
  } finally {
    clearTimeout(timer);
  }
}
