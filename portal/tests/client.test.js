// The API client: one Idempotency-Key per user action, the error shape as an ApiError, the language on every call.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, http, query, saveSession, clearSession } from "@/api/client";
import { setLocale } from "@/locales";

function answer(status, body) {
  return Promise.resolve(new Response(body === undefined ? null : JSON.stringify(body), {
    status, headers: { "Content-Type": "application/json" },
  }));
}

describe("the API client", () => {
  let calls;
  beforeEach(() => {
    calls = [];
    saveSession({ access_token: "access-1", refresh_token: "refresh-1", expires_in: 600 });
    setLocale("zh-CN");
  });
  afterEach(() => {
    clearSession();
    vi.unstubAllGlobals();
  });

  it("sends the token and the language, and a write the same key again after a lost answer", async () => {
    const replies = [answer(503, { error: { code: "service_unavailable", message: "x", details: {} } }), answer(201, { id: 1 })];
    vi.stubGlobal("fetch", vi.fn((path, init) => {
      calls.push({ path, headers: init.headers });
      return replies.shift();
    }));
    await expect(http.post("/api/pledges", { title: "t" })).rejects.toMatchObject({ status: 503, unavailable: true });
    expect(await http.post("/api/pledges", { title: "t" })).toEqual({ id: 1 });
    expect(calls[0].headers.Authorization).toBe("Bearer access-1");
    expect(calls[0].headers["Accept-Language"]).toBe("zh-CN");
    expect(calls[0].headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[1].headers["Idempotency-Key"]).toBe(calls[0].headers["Idempotency-Key"]);
  });

  it("gives an answered action's repeat a fresh key", async () => {
    vi.stubGlobal("fetch", vi.fn((path, init) => {
      calls.push(init.headers["Idempotency-Key"]);
      return answer(201, {});
    }));
    await http.post("/api/pledges", { title: "t" });
    await http.post("/api/pledges", { title: "t" });
    expect(calls[0]).not.toBe(calls[1]);
  });

  it("turns the one error shape into an ApiError with its details", async () => {
    vi.stubGlobal("fetch", vi.fn(() => answer(422, {
      error: { code: "validation_error", message: "请求有误", details: { title: ["此项为必填项"] } } })));
    const error = await http.post("/api/pledges", {}).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, code: "validation_error", message: "请求有误" });
    expect(error.details.title).toEqual(["此项为必填项"]);
    expect(error.unavailable).toBe(false);
  });

  it("asks in English once the user switched", async () => {
    vi.stubGlobal("fetch", vi.fn((path, init) => {
      calls.push(init.headers["Accept-Language"]);
      return answer(200, {});
    }));
    setLocale("en");
    await http.get("/api/auth/me");
    expect(calls).toEqual(["en"]);
  });

  it("leaves empty filters out of the query and repeats a list's name", () => {
    expect(query({ state: ["open", "escalated"], window_id: "", year: 2026, q: null })).toBe(
      "?state=open&state=escalated&year=2026");
    expect(query({})).toBe("");
  });
});
