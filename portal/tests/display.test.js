import { describe, expect, it } from "vitest";
import { buildPages, perPage, screenState, target } from "@/devices/display/pages";
import messages from "@/devices/display/messages";

const WIN = { name: "教务服务窗口", unit_name: "教务处党支部", standards: { items: ["学籍证明"] }, on_duty: [{ name: "王芳", party_member: true }] };
const wall = (n) => ({ items: Array.from({ length: n }, (_, i) => ({ id: String(i), title: `承诺${i}`, areas: [] })) });

describe("the display's pages", () => {
  it("shows a window's standards and duty, then its pledges a page at a time", () => {
    const pages = buildPages(WIN, wall(9), perPage(false));
    expect(pages.map((p) => p.kind)).toEqual(["standards", "identity", "pledges", "pledges", "pledges"]);
    expect(pages[2].pledges).toHaveLength(4);
    expect(pages[4].pledges.map((p) => p.title)).toEqual(["承诺8"]);
    expect(buildPages(WIN, wall(9), perPage(true)).filter((p) => p.kind === "pledges").map((p) => p.pledges.length)).toEqual([5, 4]);
  });

  it("shows a unit's pledges only, and says so when there are none", () => {
    expect(buildPages(null, wall(2), 4).map((p) => p.kind)).toEqual(["pledges"]);
    expect(buildPages(null, wall(0), 4)).toEqual([{ kind: "pledges", pledges: [] }]);
    expect(buildPages(WIN, null, 4).map((p) => p.kind)).toEqual(["standards", "identity", "pledges"]);
  });

  it("knows what it is set to show only from a well-formed address", () => {
    const id = "3f2a6c1e-0000-4000-8000-000000000001";
    expect(target(new URLSearchParams(`window=${id}`))).toEqual({ window: id });
    expect(target(new URLSearchParams(`unit=${id}`))).toEqual({ unit: id });
    expect(target(new URLSearchParams(""))).toBeNull();
    expect(target(new URLSearchParams("window=../../api"))).toBeNull();
  });

  it("keeps its last content when the gateway is away, and says why when it has none", () => {
    expect(screenState(null, true)).toBe("showing");
    expect(screenState("unreachable", true)).toBe("stale");
    expect(screenState("unreachable", false)).toBe("unreachable");
    expect(screenState("gone", true)).toBe("gone");
  });

  it("has every Chinese word in English too", () => {
    const keys = (o, p = "") => Object.entries(o).flatMap(([k, v]) => (typeof v === "object" ? keys(v, `${p}${k}.`) : [`${p}${k}`]));
    expect(keys(messages.en).sort()).toEqual(keys(messages["zh-CN"]).sort());
  });
});
