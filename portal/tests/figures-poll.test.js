// A year whose figures the evaluation worker has not worked out yet (figures: "preparing", issue 24): the page asks
// again by itself every few seconds, stops once they are ready or the page is left, and asks nothing while hidden.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defineComponent, h } from "vue";
import { mount } from "@vue/test-utils";
import { ASK_AGAIN_MS, isPreparing, useFiguresPoll } from "@/composables/useFiguresPoll";

const preparing = { items: [], as_of: null, figures: "preparing" };
const ready = { items: [{ total: 5 }], as_of: "2026-12-06T05:00:00+00:00", figures: "ready" };
const emptyYear = { items: [], as_of: null, figures: "ready" };

describe("asking again while the figures are being prepared", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
  });

  it("tells a year being prepared from a year without ratings", () => {
    expect(isPreparing(preparing)).toBe(true);
    expect(isPreparing(emptyYear)).toBe(false);
    expect(isPreparing(null)).toBe(false);
  });

  it("asks again every few seconds until the figures are ready, then stops", () => {
    const reload = vi.fn();
    const poll = useFiguresPoll(reload);
    expect(poll.seen(ready, preparing)).toBe(true); // one of the answers is enough
    expect(poll.preparing.value).toBe(true);
    vi.advanceTimersByTime(ASK_AGAIN_MS - 1);
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(reload).toHaveBeenCalledTimes(1);
    poll.seen(preparing);
    vi.advanceTimersByTime(ASK_AGAIN_MS);
    expect(reload).toHaveBeenCalledTimes(2);
    expect(poll.seen(ready)).toBe(false);
    expect(poll.preparing.value).toBe(false);
    vi.advanceTimersByTime(10 * ASK_AGAIN_MS);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it("a year without ratings is no reason to ask again", () => {
    const reload = vi.fn();
    expect(useFiguresPoll(reload).seen(emptyYear)).toBe(false);
    vi.advanceTimersByTime(10 * ASK_AGAIN_MS);
    expect(reload).not.toHaveBeenCalled();
  });

  it("asks nothing while the tab is hidden, and asks once it is seen again", () => {
    const reload = vi.fn();
    const poll = useFiguresPoll(reload);
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    poll.seen(preparing);
    vi.advanceTimersByTime(5 * ASK_AGAIN_MS);
    expect(reload).not.toHaveBeenCalled();
    Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
    vi.advanceTimersByTime(ASK_AGAIN_MS);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it("stops asking when the page is left", () => {
    const reload = vi.fn();
    let poll;
    const Page = defineComponent({
      setup() {
        poll = useFiguresPoll(reload);
        return () => h("div");
      },
    });
    const wrapper = mount(Page);
    poll.seen(preparing);
    wrapper.unmount();
    vi.advanceTimersByTime(10 * ASK_AGAIN_MS);
    expect(reload).not.toHaveBeenCalled();
  });
});
