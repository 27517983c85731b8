import { describe, expect, it, vi } from "vitest";
import { SLOW_DOWN_STEP, pairingPoller } from "@/devices/pairing";

// A script of what the gateway answers, one call at a time, with the calls recorded.
function gateway(answers) {
  const calls = [];
  const request = vi.fn(async (method, path, body) => {
    calls.push([path, body]);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return next;
  });
  return { request, calls };
}
const CODE = (n) => ({ status: 201, body: { device_code: `dc${n}`, user_code: `BDFG-HJK${n}`, verification_uri_complete: `x?code=${n}`,
                                          expires_in: 600, interval: 5 } });
const REFUSED = (code) => ({ status: 400, body: { error: { code, message: "…" } } });

describe("a device pairing itself", () => {
  it("shows its code, waits, slows down when told, and keeps the credential once confirmed", async () => {
    vi.useFakeTimers();
    const { request, calls } = gateway([CODE(1), REFUSED("authorization_pending"), REFUSED("slow_down"),
                                        { status: 200, body: { credential: "d.s", kind: "kiosk" } }]);
    const onCode = vi.fn();
    const onPaired = vi.fn();
    const poller = pairingPoller({ kind: "kiosk", request, onCode, onPaired });
    await poller.start();
    expect(onCode).toHaveBeenCalledWith(expect.objectContaining({ user_code: "BDFG-HJK1" }));
    expect(calls[0]).toEqual(["/api/devices/pairings", { kind: "kiosk" }]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls[1]).toEqual(["/api/devices/pairings/token", { device_code: "dc1" }]);
    await vi.advanceTimersByTimeAsync(5000); // told to slow down here
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(3); // it waits longer now
    await vi.advanceTimersByTimeAsync(SLOW_DOWN_STEP * 1000);
    expect(onPaired).toHaveBeenCalledWith({ credential: "d.s", kind: "kiosk" });
    await vi.advanceTimersByTimeAsync(60000);
    expect(calls).toHaveLength(4); // and then stops asking
    vi.useRealTimers();
  });

  it("asks for a new code when its code expired, and waits out a gateway that is away", async () => {
    vi.useFakeTimers();
    const { request, calls } = gateway([new Error("offline"), CODE(1), REFUSED("expired_token"), CODE(2), new Error("offline"),
                                        REFUSED("authorization_pending")]);
    const onCode = vi.fn();
    const onWaiting = vi.fn();
    const poller = pairingPoller({ kind: "display", request, onCode, onWaiting, onPaired: vi.fn() });
    await poller.start();
    expect(onWaiting).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5000); // asks again: a code
    await vi.advanceTimersByTimeAsync(5000); // polls: expired → a new code at once
    expect(onCode.mock.calls.map((c) => c[0].user_code)).toEqual(["BDFG-HJK1", "BDFG-HJK2"]);
    await vi.advanceTimersByTimeAsync(5000); // the poll fails: tried again
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls.at(-1)).toEqual(["/api/devices/pairings/token", { device_code: "dc2" }]);
    poller.stop();
    await vi.advanceTimersByTimeAsync(60000);
    expect(calls).toHaveLength(6);
    vi.useRealTimers();
  });
});
