// A counter device pairs itself as a television does (RFC 8628): it asks for a pairing, shows the short code and a QR
// code of the portal's address with it, and polls until a person has confirmed; then it keeps the credential it
// receives. A code that expires is replaced by a new one by itself; a network away is waited out.

export const SLOW_DOWN_STEP = 5; // RFC 8628 §3.5: a device told to slow down waits this much longer

/**
 * request(method, path, body) resolves to {status, body} (rejects when the gateway cannot be reached).
 * onCode({user_code, verification_uri_complete, expires_at}) shows a new code; onPaired(device) gets the credential.
 */
export function pairingPoller({ kind, request, onCode, onPaired, onWaiting = () => {}, now = () => Date.now(),
                                setTimer = setTimeout, clearTimer = clearTimeout }) {
  let timer = null;
  let deviceCode = null;
  let interval = 5;
  let stopped = false;
  const later = (seconds, step) => {
    if (stopped) return;
    timer = setTimer(step, seconds * 1000);
  };

  async function start() {
    deviceCode = null;
    try {
      const answer = await request("POST", "/api/devices/pairings", { kind });
      if (answer.status !== 201) throw new Error(`HTTP ${answer.status}`);
      const code = answer.body;
      deviceCode = code.device_code;
      interval = code.interval || 5;
      onCode({ user_code: code.user_code, verification_uri_complete: code.verification_uri_complete,
               expires_at: now() + code.expires_in * 1000 });
      later(interval, poll);
    } catch {
      onWaiting();
      later(interval, start); // the gateway is away: ask again soon
    }
  }

  async function poll() {
    let answer;
    try {
      answer = await request("POST", "/api/devices/pairings/token", { device_code: deviceCode });
    } catch {
      later(interval, poll);
      return;
    }
    if (answer.status === 200) {
      stopped = true;
      onPaired(answer.body);
      return;
    }
    const code = answer.body && answer.body.error && answer.body.error.code;
    if (code === "slow_down") interval += SLOW_DOWN_STEP;
    if (code === "expired_token" || code === "invalid_grant") start();
    else later(interval, poll);
  }

  return {
    start,
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
    },
  };
}

/** A fetch as the poller wants it. */
export async function plainRequest(method, path, body, language) {
  const response = await fetch(path, {
    method,
    headers: { "Content-Type": "application/json", Accept: "application/json", "Accept-Language": language },
    body: body ? JSON.stringify(body) : undefined,
  });
  let parsed = null;
  try {
    parsed = await response.json();
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed };
}
