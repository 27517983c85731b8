// The masses' suggestion box (/suggest): its address, and a note that goes as from no one — no access token and no
// Idempotency-Key even when someone is logged in in this browser — from the API client up to the page itself.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { h } from "vue";
import { clearSession, hasSession, http, saveSession } from "@/api/client";
import { units, windows } from "@/api/directory";
import { suggestions } from "@/api/feedback";
import { setLocale } from "@/locales";
import { noteBody, placeFromQuery, receiptCode, suggestLink } from "@/views/public/suggest";

const UNIT = "0b5e4f4e-8a44-5a3c-9d7e-1f2a3b4c5d6e";
const WINDOW = "7d0e8c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

function answer(status, body) {
  return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { "Content-Type": "application/json" },
  }));
}

// every call the page or the client makes: its address, method, headers and body
let calls;
function stubFetch(reply) {
  calls = [];
  vi.stubGlobal("fetch", vi.fn((path, init = {}) => {
    calls.push({ path, method: init.method, headers: init.headers || {}, body: init.body ? JSON.parse(init.body) : null });
    return reply(path, init);
  }));
}

beforeEach(() => {
  // someone is logged in in this browser (a secretary showing the QR code, say)
  saveSession({ access_token: "access-secretary", refresh_token: "refresh-secretary", expires_in: 600 });
  setLocale("zh-CN");
});
afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
});

describe("an anonymous call of the API client", () => {
  it("sends the suggestion with no Authorization and no Idempotency-Key, whoever is logged in", async () => {
    stubFetch(() => answer(201, { id: "n1", case_id: "c1" }));
    const note = { unit_id: UNIT, body: "窗口排队太久", is_complaint: true };
    expect(await suggestions.drop(note)).toEqual({ id: "n1", case_id: "c1" });
    expect(await suggestions.drop(note)).toEqual({ id: "n1", case_id: "c1" }); // the same note again: no key either
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call).toMatchObject({ path: "/api/feedback/suggestions", method: "POST", body: note });
      expect(Object.keys(call.headers).map((name) => name.toLowerCase())).not.toContain("authorization");
      expect(Object.keys(call.headers).map((name) => name.toLowerCase())).not.toContain("idempotency-key");
      expect(call.headers["Accept-Language"]).toBe("zh-CN"); // errors still come in the writer's language
    }
  });

  it("leaves the session alone when the anonymous call is refused", async () => {
    stubFetch(() => answer(401, { error: { code: "unauthorized", message: "请先登录", details: {} } }));
    await expect(suggestions.drop({ unit_id: UNIT, body: "x" })).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(1); // no token refresh was tried
    expect(hasSession()).toBe(true);
  });

  it("reads the place and the published replies as no one too", async () => {
    stubFetch((path) => answer(200, path.includes("published") ? { items: [], total: 0 } : { id: UNIT, name: "教工第一党支部" }));
    await units.public(UNIT);
    await windows.public(WINDOW);
    await suggestions.published({ unit_id: UNIT, limit: 5 });
    expect(calls.map((c) => c.path)).toEqual([
      `/api/directory/units/${UNIT}/public`, `/api/directory/windows/${WINDOW}/public`,
      `/api/feedback/suggestions/published?unit_id=${UNIT}&limit=5`]);
    expect(calls.every((c) => !("Authorization" in c.headers))).toBe(true);
  });

  it("still sends the token and a key on every other write", async () => {
    stubFetch(() => answer(201, {}));
    await http.post("/api/pledges", { title: "t" });
    expect(calls[0].headers.Authorization).toBe("Bearer access-secretary");
    expect(calls[0].headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the suggestion box's address", () => {
  it("is a public page for a window or a unit", () => {
    expect(suggestLink("http://x.edu", { window: WINDOW })).toBe(`http://x.edu/suggest?window=${WINDOW}`);
    expect(suggestLink("http://x.edu", { unit: UNIT })).toBe(`http://x.edu/suggest?unit=${UNIT}`);
    expect(suggestLink("http://x.edu", {})).toBe("");
  });

  it("names its place, or none when the link is torn", () => {
    expect(placeFromQuery({ window: WINDOW })).toEqual({ kind: "window", id: WINDOW });
    expect(placeFromQuery({ unit: UNIT.toUpperCase() })).toEqual({ kind: "unit", id: UNIT });
    expect(placeFromQuery({ unit: "0b5e4f4e" })).toBeNull();
    expect(placeFromQuery({})).toBeNull();
  });

  it("sends the note trimmed, to its place, with a short receipt", () => {
    expect(noteBody({ kind: "window", id: WINDOW }, { body: "  太慢了 \n", is_complaint: 1 }))
      .toEqual({ window_id: WINDOW, body: "太慢了", is_complaint: true });
    expect(noteBody({ kind: "unit", id: UNIT }, { body: "好", is_complaint: false })).toEqual({ unit_id: UNIT, body: "好", is_complaint: false });
    expect(receiptCode("3f2a9c1e-0000-4000-8000-000000000000")).toBe("3F2A9C1E");
  });
});

describe("the suggestion box page", { timeout: 30000 }, () => {
  async function open(path) {
    const { mount, flushPromises } = await import("@vue/test-utils");
    const { createRouter, createMemoryHistory, RouterView } = await import("vue-router");
    const { i18n } = await import("@/locales");
    const SuggestionBox = (await import("@/views/public/SuggestionBox.vue")).default;
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: "/suggest", component: SuggestionBox }] });
    await router.push(path);
    await router.isReady();
    const wrapper = mount({ render: () => h(RouterView) }, {
      global: { plugins: [i18n, router], stubs: { transition: false, IconLocation: true, IconCircleCheckFilled: true } }, attachTo: document.body,
    });
    await flushPromises();
    return { wrapper, flushPromises };
  }

  const reply = (path, init) => {
    if (path.includes("/units/")) return answer(200, { id: UNIT, name: "教工第一党支部", kind: "branch" });
    if (path.includes("published")) return answer(200, { items: [], total: 0, limit: 5, offset: 0 });
    if (init.method === "POST") return answer(201, { id: "3f2a9c1e-0000-4000-8000-000000000000", case_id: "c1" });
    return answer(404, { error: { code: "not_found", message: "x", details: {} } });
  };

  it("refuses an empty note in the writer's language and sends nothing", async () => {
    stubFetch(reply);
    const { wrapper } = await open(`/suggest?unit=${UNIT}`);
    expect(document.body.querySelector("[data-test=place-name]").textContent).toBe("教工第一党支部");
    document.body.querySelector("#suggestion-form").dispatchEvent(new Event("submit"));
    await vi.waitFor(() => expect(document.body.querySelector(".el-form-item__error")?.textContent.trim()).toBe("请填写意见内容"),
      { timeout: 10000 });
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
    wrapper.unmount();
  });

  it("sends a complaint as no one and thanks the writer with a receipt", async () => {
    stubFetch(reply);
    const { wrapper } = await open(`/suggest?unit=${UNIT}`);
    const box = document.body.querySelector("textarea[name=body]");
    box.value = "  办事窗口中午无人  ";
    box.dispatchEvent(new Event("input"));
    document.body.querySelector("[data-test=is-complaint]").click();
    document.body.querySelector("#suggestion-form").dispatchEvent(new Event("submit"));
    await vi.waitFor(() => expect(document.body.querySelector("[data-test=thanks]")).not.toBeNull(), { timeout: 10000 });
    const sent = calls.filter((c) => c.method === "POST");
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toEqual({ unit_id: UNIT, body: "办事窗口中午无人", is_complaint: true });
    expect(Object.keys(sent[0].headers).map((n) => n.toLowerCase())).not.toContain("authorization");
    expect(Object.keys(sent[0].headers).map((n) => n.toLowerCase())).not.toContain("idempotency-key");
    expect(calls.every((c) => !("Authorization" in c.headers))).toBe(true); // the reads too
    expect(document.body.querySelector("[data-test=receipt]").textContent).toBe("回执号：3F2A9C1E");
    wrapper.unmount();
  });

  it("says so when the link names no place, and asks nothing", async () => {
    stubFetch(reply);
    const { wrapper } = await open("/suggest?unit=nonsense");
    expect(document.body.querySelector("[data-test=invalid-link]").textContent).toContain("二维码链接不完整");
    expect(calls).toEqual([]);
    wrapper.unmount();
  });
});
