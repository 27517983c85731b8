// The inbox's groups as the page shows them, and the notification preferences between the form and the service.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { createMemoryHistory, createRouter } from "vue-router";
import { filterParams, markExpandedRead, markRead, summary } from "@/views/inbox/groups";
import { fromPreferences, preferenceErrors, toPreferences } from "@/views/profile/preferences";
import { i18n } from "@/locales";

const notice = (id, unread = true, link = `/feedback/${id}`) => ({ id, kind: "task", title: `服务差评待整改 ${id}`, link,
  created_at: "2026-12-05T13:38:00+00:00", read_at: unread ? null : "2026-12-05T14:00:00+00:00", unread });
const badRatings = () => ({
  key: "feedback.negative|window:w1", event_type: "feedback.negative", kind: "task", subject_kind: "window",
  subject_id: "w1", subject_name: "教务处综合服务窗口", title: "教务处综合服务窗口 新增 3 件差评", count: 3, unread: 2,
  latest_at: "2026-12-05T13:38:00+00:00", link: "/feedback/n3", items: [notice("n3"), notice("n2"), notice("n1", false)],
});
const single = () => ({
  key: "pledge.approved|pledge:p1", event_type: "pledge.approved", kind: "update", subject_kind: "pledge", subject_id: "p1",
  title: "承诺已通过审核", count: 1, unread: 1, latest_at: "2026-12-05T13:00:00+00:00", link: "/pledges/p1",
  items: [notice("p-n", true, "/pledges/p1")],
});

describe("the inbox's groups", () => {
  it("opens a group of one notice, and expands a group of several", () => {
    expect(summary(single())).toMatchObject({ single: true, several: false, link: "/pledges/p1", unread: true });
    expect(summary(single()).notice.id).toBe("p-n");
    expect(summary(badRatings())).toMatchObject({ single: false, several: true, notice: null, link: "/feedback/n3" });
    expect(summary({ ...badRatings(), unread: 0 }).unread).toBe(false);
  });

  it("counts a group's unread notices down as they are read, once each", () => {
    const groups = [single(), badRatings()];
    expect(markRead(groups, "n2")).toBe(groups[1]);
    expect(groups[1].unread).toBe(1);
    expect(groups[1].items[1]).toMatchObject({ unread: false });
    expect(markRead(groups, "n2")).toBe(null); // already read: no change
    expect(markRead(groups, "n1")).toBe(null);
    expect(groups[1].unread).toBe(1);

    const group = badRatings();
    const expanded = { ...notice("n3") };
    expect(markExpandedRead(group, expanded)).toBe(true);
    expect(expanded.unread).toBe(false);
    expect(group.items[0].unread).toBe(false); // the group's own copy too
    expect(group.unread).toBe(1);
    expect(markExpandedRead(group, expanded)).toBe(false);
    expect(group.unread).toBe(1);
  });

  it("asks the service for the kind and the read state chosen", () => {
    expect(filterParams({ kind: "", state: "" })).toEqual({ kind: undefined, read: undefined });
    expect(filterParams({ kind: "task", state: "unread" })).toEqual({ kind: "task", read: false });
    expect(filterParams({ kind: "", state: "read" })).toEqual({ kind: undefined, read: true });
  });
});

describe("the notification preferences", () => {
  it("go from the service to the form and back, the inbox always on", () => {
    const model = fromPreferences({ channels: { task: ["email", "inbox"], reminder: ["inbox"] },
      quiet_hours: { start: "22:00", end: "07:00" }, daily_digest: true });
    expect(model.email).toEqual({ task: true, reminder: false, result: true, update: true });
    expect(toPreferences(model)).toEqual({
      channels: { task: ["inbox", "email"], reminder: ["inbox"], result: ["inbox", "email"], update: ["inbox", "email"] },
      quiet_hours: { start: "22:00", end: "07:00" }, daily_digest: true,
    });
    expect(toPreferences(fromPreferences(null)).quiet_hours).toBe(null);
  });

  it("put the service's nested complaints about quiet hours on the form's field", () => {
    expect(preferenceErrors({ quiet_hours: { start: ["不是有效时间"] }, channels: { task: ["必须包含站内通知"] } }))
      .toEqual({ quiet: ["不是有效时间"], channels: { task: ["必须包含站内通知"] } });
    expect(preferenceErrors({ quiet_hours: ["开始与结束相同"] })).toEqual({ quiet: ["开始与结束相同"] });
  });
});

vi.mock("@/api/notifications", () => ({
  notifications: {
    groups: vi.fn(),
    list: vi.fn(),
    read: vi.fn(async (id) => ({ id, unread: false })),
    readAll: vi.fn(),
    unreadCount: vi.fn(async () => ({ unread: 0 })),
  },
}));

describe("the inbox page", { timeout: 60000 }, () => {
  let api;
  let router;

  beforeEach(async () => {
    setActivePinia(createPinia());
    i18n.global.locale.value = "zh-CN";
    // the menu's count of unread notices asks the service itself
    vi.stubGlobal("fetch", vi.fn(async () => new Response(JSON.stringify({ unread: 0 }), { status: 200 })));
    window.matchMedia = window.matchMedia || (() => ({ matches: false, addEventListener() {}, removeEventListener() {} }));
    api = (await import("@/api/notifications")).notifications;
    api.groups.mockResolvedValue({ items: [badRatings(), single()], total: 2, unread: 3, limit: 20, offset: 0 });
    api.list.mockResolvedValue({ items: [notice("n3"), notice("n2"), notice("n1", false)], total: 3, unread: 3 });
    router = createRouter({ history: createMemoryHistory(), routes: [
      { path: "/inbox", name: "inbox", component: { template: "<div />" } },
      { path: "/pledges/:id", name: "pledge", component: { template: "<div />" } },
      { path: "/feedback/:id", name: "case", component: { template: "<div />" } },
    ] });
    await router.push("/inbox");
  });

  afterEach(() => {
    vi.clearAllMocks();
    vi.unstubAllGlobals();
  });

  async function page() {
    const InboxView = (await import("@/views/inbox/InboxView.vue")).default;
    const wrapper = mount(InboxView, { global: { plugins: [i18n, router], directives: { loading: {} } } });
    await flushPromises();
    return wrapper;
  }

  it("shows several notices about one window as one row, unread marked, that expands to them", async () => {
    const wrapper = await page();
    const rows = wrapper.findAll("li.group");
    expect(rows).toHaveLength(2);
    const group = rows[0];
    expect(group.classes()).toContain("unread");
    expect(group.find(".group-title").text()).toBe("教务处综合服务窗口 新增 3 件差评");
    expect(group.find(".unread-tag").text()).toBe("2 条未读");
    expect(group.find(".count").text()).toBe("共 3 条");
    expect(group.find(".group-items").exists()).toBe(false);
    expect(wrapper.find("[data-test=inbox-summary]").text()).toBe("未读 3 条 · 共 2 组");

    await group.find(".group-title").trigger("click");
    await flushPromises();
    expect(api.list).toHaveBeenCalledWith(expect.objectContaining({ group: "feedback.negative|window:w1", limit: 10, offset: 0 }));
    expect(wrapper.findAll("li.group")[0].findAll("li.notice")).toHaveLength(3);
    expect(wrapper.findAll("li.group")[0].findAll("li.notice.unread")).toHaveLength(2);
  });

  it("opens one notice: it is read first, then its very item is shown", async () => {
    const wrapper = await page();
    await wrapper.findAll("li.group")[1].find(".group-title").trigger("click");
    await flushPromises();
    expect(api.read).toHaveBeenCalledWith("p-n");
    expect(router.currentRoute.value.fullPath).toBe("/pledges/p1");
    expect(wrapper.findAll("li.group")[1].classes()).not.toContain("unread");
  });
});
