// A window's rating page (/rate/<window id>?t=<token>, the 评价二维码 at its counter): its address, the rating as the
// service takes it (with the link's token), sent as from no one, and a renewed link said plainly.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { h } from "vue";
import { clearSession, saveSession } from "@/api/client";
import { masses, windowRatings } from "@/api/windowRatings";
import { setLocale } from "@/locales";
import { LEVELS, linkFromRoute, rateLink, ratingBody, refusal, tagsFor } from "@/views/public/rate";

const WINDOW = "7d0e8c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
const PEER = "0b5e4f4e-8a44-5a3c-9d7e-1f2a3b4c5d6e";
const TOKEN = "tK9_x-Q2mW8rZ0aB3cD4eF5gH6iJ7kL8";
const TAGS = {
  version: 2,
  tags: { praise: ["热情周到", "办事高效"], complaint: ["服务态度", "其他"] },
  levels: [5, 4, 3, 2, 1].map((level) => ({ level, tag_group: level >= 4 ? "praise" : level <= 2 ? "complaint" : null })),
};
const INVALID = { error: { code: "rating_link_invalid", message: "该评价链接已失效，请重新扫描窗口的评价二维码。", details: {} } };

function answer(status, body) {
  return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { "Content-Type": "application/json" },
  }));
}

let calls;
function stubFetch(reply) {
  calls = [];
  vi.stubGlobal("fetch", vi.fn((path, init = {}) => {
    calls.push({ path, method: init.method, headers: init.headers || {}, body: init.body ? JSON.parse(init.body) : null });
    return reply(path, init);
  }));
}

const headerNames = (call) => Object.keys(call.headers).map((name) => name.toLowerCase());

beforeEach(() => {
  // someone is logged in in this browser (a secretary who printed the code, say)
  saveSession({ access_token: "access-secretary", refresh_token: "refresh-secretary", expires_in: 600 });
  setLocale("zh-CN");
});
afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
});

describe("the rating link", () => {
  it("names its window and token, or nothing when torn", () => {
    expect(linkFromRoute({ windowId: WINDOW.toUpperCase() }, { t: TOKEN })).toEqual({ windowId: WINDOW, token: TOKEN });
    expect(linkFromRoute({ windowId: WINDOW }, { t: [TOKEN, "other"] })).toEqual({ windowId: WINDOW, token: TOKEN });
    expect(linkFromRoute({ windowId: WINDOW }, {})).toBeNull();
    expect(linkFromRoute({ windowId: WINDOW }, { t: "has space" })).toBeNull();
    expect(linkFromRoute({ windowId: "7d0e8c1a" }, { t: TOKEN })).toBeNull();
    expect(rateLink("http://x.edu", `/rate/${WINDOW}?t=${TOKEN}`)).toBe(`http://x.edu/rate/${WINDOW}?t=${TOKEN}`);
  });

  it("offers praise for the top two levels, complaints for the bottom two, and keeps only offered reasons", () => {
    expect(LEVELS).toEqual([5, 4, 3, 2, 1]);
    expect(tagsFor(5, TAGS)).toEqual(["热情周到", "办事高效"]);
    expect(tagsFor(3, TAGS)).toEqual([]);
    expect(tagsFor(1, TAGS)).toEqual(["服务态度", "其他"]);
    const link = { windowId: WINDOW, token: TOKEN };
    expect(ratingBody(link, TAGS, { level: 1, reasons: ["服务态度", "热情周到"], on_duty_id: PEER }, "c-1")).toEqual({
      client_id: "c-1", window_id: WINDOW, level: 1, reasons: ["服务态度"], tag_set_version: 2, on_duty_id: PEER,
      link_token: TOKEN });
    expect(ratingBody(link, TAGS, { level: 3, reasons: ["其他"], on_duty_id: "" }, "c-2")).toEqual({
      client_id: "c-2", window_id: WINDOW, level: 3, reasons: [], tag_set_version: 2, link_token: TOKEN });
  });

  it("tells a renewed link from a window gone", () => {
    expect(refusal({ status: 403, code: "rating_link_invalid" })).toBe("invalid");
    expect(refusal({ status: 404, code: "not_found" })).toBe("missing");
    expect(refusal({ status: 429, code: "too_many_requests" })).toBeNull();
  });

  it("is read and renewed by a manager with their token, and rated as no one", async () => {
    stubFetch(() => answer(200, { window_id: WINDOW, token: TOKEN, url: `/rate/${WINDOW}?t=${TOKEN}` }));
    await windowRatings.link(WINDOW);
    await windowRatings.rotateLink(WINDOW);
    await masses.window(WINDOW, TOKEN);
    await masses.tags();
    await masses.rate({ client_id: "c", window_id: WINDOW, level: 5, link_token: TOKEN });
    expect(calls.map((c) => `${c.method || "GET"} ${c.path}`)).toEqual([
      `GET /api/ratings/windows/${WINDOW}/link`, `POST /api/ratings/windows/${WINDOW}/link`,
      `GET /api/ratings/windows/${WINDOW}/public?t=${TOKEN}`, "GET /api/ratings/tags", "POST /api/ratings"]);
    expect(calls.slice(0, 2).every((c) => c.headers.Authorization === "Bearer access-secretary")).toBe(true);
    for (const call of calls.slice(2)) {
      expect(headerNames(call)).not.toContain("authorization");
      expect(headerNames(call)).not.toContain("idempotency-key");
    }
  });
});

describe("the rating page", { timeout: 30000 }, () => {
  async function open(path) {
    const { mount, flushPromises } = await import("@vue/test-utils");
    const { createRouter, createMemoryHistory, RouterView } = await import("vue-router");
    const { i18n } = await import("@/locales");
    const RateWindow = (await import("@/views/public/RateWindow.vue")).default;
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/rate/:windowId", component: RateWindow }] });
    await router.push(path);
    await router.isReady();
    const wrapper = mount({ render: () => h(RouterView) }, {
      global: { plugins: [i18n, router], stubs: { transition: false, IconLocation: true, IconCircleCheckFilled: true } },
      attachTo: document.body,
    });
    await flushPromises();
    return wrapper;
  }

  const reply = (token) => (path, init) => {
    if (path.startsWith("/api/ratings/tags")) return answer(200, TAGS);
    if (path.includes("/public")) {
      return path.endsWith(`t=${token}`)
        ? answer(200, { window_id: WINDOW, name: "教务服务窗口", location: "行政楼一楼", on_duty: [{ id: PEER, name: "刘伟" }] })
        : answer(403, INVALID);
    }
    if (init.method === "POST") {
      return init.body.includes(token) ? answer(201, { status: "accepted", rating_id: 7, case_id: "case-1" }) : answer(403, INVALID);
    }
    return answer(404, { error: { code: "not_found", message: "x", details: {} } });
  };
  const $ = (selector) => document.body.querySelector(selector);

  it("rates the window as no one, with the link's token, and counts it", async () => {
    stubFetch(reply(TOKEN));
    const wrapper = await open(`/rate/${WINDOW}?t=${TOKEN}`);
    expect($("[data-test=window-name]").textContent).toBe("教务服务窗口");
    $("#rating-form").dispatchEvent(new Event("submit"));
    await vi.waitFor(() => expect($("[data-test=level-missing]")?.textContent).toBe("请选择满意程度"));
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);

    $("[data-level='1'] input").click();
    await vi.waitFor(() => expect($("[data-test=reasons]")).not.toBeNull());
    [...document.body.querySelectorAll("[data-test=reasons] input")].find((i) => i.value === "服务态度").click();
    $(`[data-test=on-duty] [data-id='${PEER}'] input`).click();
    $("#rating-form").dispatchEvent(new Event("submit"));
    await vi.waitFor(() => expect($("[data-test=thanks]")).not.toBeNull(), { timeout: 10000 });
    const [sent] = calls.filter((c) => c.method === "POST");
    expect(sent.body).toMatchObject({ window_id: WINDOW, level: 1, reasons: ["服务态度"], on_duty_id: PEER,
      tag_set_version: 2, link_token: TOKEN });
    expect(sent.body.client_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls.every((c) => !headerNames(c).includes("authorization"))).toBe(true);
    expect($("[data-test=thanks]").textContent).toContain("窗口负责人将在规定时间内整改");
    wrapper.unmount();
  });

  it("says plainly that a renewed link is no longer valid", async () => {
    stubFetch(reply("the-new-token"));
    const wrapper = await open(`/rate/${WINDOW}?t=${TOKEN}`);
    expect($("[data-test=link-invalid]").textContent).toContain("此评价二维码已失效");
    expect($("#rating-form")).toBeNull();
    wrapper.unmount();
  });

  it("says so when the link is torn, and asks nothing", async () => {
    stubFetch(reply(TOKEN));
    const wrapper = await open(`/rate/${WINDOW}`);
    expect($("[data-test=link-torn]").textContent).toContain("评价二维码链接不完整");
    expect(calls).toEqual([]);
    wrapper.unmount();
  });
});
