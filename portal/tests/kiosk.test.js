import { describe, expect, it, vi } from "vitest";
import { LEVELS, idleClock, numberParam, repeatFilter, tagsFor } from "@/devices/kiosk/flow";
import { rating, ratingQueue, sendWaiting } from "@/devices/kiosk/queue";
import messages from "@/devices/kiosk/messages";

const memory = () => {
  const data = {};
  return { getItem: (k) => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); } };
};
const TAGS = {
  version: 3,
  levels: [{ level: 5, tag_group: "praise" }, { level: 4, tag_group: "praise" }, { level: 3, tag_group: null },
           { level: 2, tag_group: "complaint" }, { level: 1, tag_group: "complaint" }],
  tags: { praise: ["热情周到", "办事高效"], complaint: ["服务效率", "服务态度"] },
};

describe("the kiosk's flow", () => {
  it("offers praise for the top two levels, the problem for the bottom two, nothing for the middle", () => {
    expect(LEVELS).toEqual([5, 4, 3, 2, 1]);
    expect(tagsFor(TAGS, 5)).toEqual({ group: "praise", tags: ["热情周到", "办事高效"] });
    expect(tagsFor(TAGS, 4).group).toBe("praise");
    expect(tagsFor(TAGS, 3)).toEqual({ group: null, tags: [] });
    expect(tagsFor(TAGS, 1)).toEqual({ group: "complaint", tags: ["服务效率", "服务态度"] });
    // a group with no tags, or no tag set learnt yet: the press is the rating
    expect(tagsFor({ ...TAGS, tags: { praise: [] } }, 5)).toEqual({ group: null, tags: [] });
    expect(tagsFor(null, 1)).toEqual({ group: null, tags: [] });
  });

  it("ignores the same button again within the repeat time, not another button", () => {
    const allowed = repeatFilter(1000);
    expect(allowed(5, 0)).toBe(true);
    expect(allowed(5, 999)).toBe(false);
    expect(allowed(4, 999)).toBe(true);
    expect(allowed(5, 1000)).toBe(true);
    const off = repeatFilter(0);
    expect(off(5, 0) && off(5, 1)).toBe(true);
  });

  it("counts down, starts again at a touch, and times out once", () => {
    vi.useFakeTimers();
    const onTimeout = vi.fn();
    const shown = [];
    const clock = idleClock(3, { onTimeout, tick: (s) => shown.push(s) });
    clock.start();
    vi.advanceTimersByTime(2000);
    expect(shown).toEqual([3, 2, 1]);
    clock.touch(); // a tag chosen: the citizen is still there
    vi.advanceTimersByTime(2000);
    expect(onTimeout).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(onTimeout).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(onTimeout).toHaveBeenCalledTimes(1);
    clock.start();
    clock.stop(); // left by 返回: nothing more happens
    vi.advanceTimersByTime(5000);
    expect(onTimeout).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });

  it("reads its settings from the address, refusing nonsense", () => {
    const params = new URLSearchParams("idle_s=5&repeat_ms=-1&send_ms=abc");
    expect(numberParam(params, "idle_s", 20, 1)).toBe(5);
    expect(numberParam(params, "repeat_ms", 1000)).toBe(1000);
    expect(numberParam(params, "send_ms", 2000, 100)).toBe(2000);
    expect(numberParam(params, "thanks_ms", 3000)).toBe(3000);
  });
});

describe("the kiosk's queue", () => {
  it("keeps what the server has not answered for, and what was pressed meanwhile", async () => {
    const queue = ratingQueue(memory());
    queue.add(rating(5, [], TAGS));
    queue.add(rating(2, ["服务态度"], TAGS));
    const [first, second] = queue.items();
    expect(first.tag_set_version).toBe(3);
    expect(second.reasons).toEqual(["服务态度"]);
    expect(first.client_id).not.toBe(second.client_id);
    const post = vi.fn(async (body) => {
      queue.add(rating(4, [], TAGS)); // pressed while the batch was on its way
      return { items: [{ client_id: body.ratings[0].client_id, status: "accepted" }] };
    });
    expect(await sendWaiting(queue, post)).toBe(1);
    expect(queue.items().map((i) => i.level)).toEqual([2, 4]);
  });

  it("keeps everything when the server cannot be reached", async () => {
    const queue = ratingQueue(memory());
    queue.add(rating(1, [], null));
    await expect(sendWaiting(queue, async () => { throw new Error("offline"); })).rejects.toThrow("offline");
    expect(queue.items()).toHaveLength(1);
    expect("tag_set_version" in queue.items()[0]).toBe(false);
  });

  it("sends at most a batch at a time and survives a damaged store", async () => {
    const store = memory();
    const queue = ratingQueue(store);
    for (let i = 0; i < 5; i += 1) queue.add(rating(3, [], TAGS));
    const post = vi.fn(async (body) => ({ items: body.ratings.map((r) => ({ client_id: r.client_id })) }));
    await sendWaiting(queue, post, 2);
    expect(post.mock.calls[0][0].ratings).toHaveLength(2);
    expect(queue.items()).toHaveLength(3);
    store.setItem("pacesetter.kiosk.queue", "{not json");
    expect(ratingQueue(store).items()).toEqual([]);
  });
});

describe("the kiosk's words", () => {
  const keys = (o, prefix = "") => Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
  it("has every Chinese word in English too", () => {
    expect(keys(messages.en).sort()).toEqual(keys(messages["zh-CN"]).sort());
  });
});
