// The evaluation pages' logic in the browser: which part a person rates (only what the service leaves open), when the
// masses' link (QR code) is shown, the weights adding up to 100 before they can be saved, a rating's body and where
// the service's messages about it go.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { i18n } from "@/locales";
import {
  beijingDeadline, canRate, defaultDeadline, massesLink, myParty, ratingBody, ratingErrors, roundIdFromLink,
  showsMassesLink, startingParty, weightSum, weightsOf, weightsValid,
} from "@/views/evaluations/logic";

const ID = "0f8c2a43-6a3e-4d7b-9c55-2b1d6f0e9a11";

const round = (overrides = {}) => ({
  id: ID, state: "open", title: "为新生办理入学手续", target_kind: "pledge", min_group: 3, targets: ["审核新生材料", "办理入学手续"],
  parties: [{ party: "self", weight: 20, submitted: 0 }, { party: "peer", weight: 30, submitted: 1 },
    { party: "masses", weight: 30, submitted: 2 }, { party: "leader", weight: 20, submitted: 0 }],
  my_parties: ["self"], my_ratings: [], deadline: "2026-12-31T09:00:00+00:00", ...overrides,
});

describe("which part a person rates", () => {
  it("is the part the service leaves open, or the one already rated", () => {
    expect(myParty(round())).toBe("self");
    expect(myParty(round({ my_parties: [], my_ratings: [{ party: "peer", rating: "good" }] }))).toBe("peer");
    expect(myParty(round({ my_parties: [] }))).toBeUndefined();
    expect(canRate(round())).toBe(true);
    expect(canRate(round({ my_parties: [] }))).toBe(false);
    expect(canRate(round({ state: "completed", my_parties: ["self"] }))).toBe(false);
  });

  it("starts with the preferred part only when it is open (the leaders' page prefers leader)", () => {
    expect(startingParty(round({ my_parties: ["self", "leader"] }), "leader")).toBe("leader");
    expect(startingParty(round({ my_parties: ["self", "leader"] }))).toBe("self");
    expect(startingParty(round({ my_parties: ["peer"] }), "leader")).toBe("peer");
    expect(startingParty(round({ my_parties: [] }), "leader")).toBe("");
  });

  it("shows the masses' link to those who take part, while the round is open, never to the masses", () => {
    expect(showsMassesLink(round())).toBe(true);
    expect(showsMassesLink(round({ my_parties: ["masses"] }))).toBe(false);
    expect(showsMassesLink(round({ my_parties: [], my_ratings: [{ party: "masses", rating: "good" }] }))).toBe(false);
    expect(showsMassesLink(round({ state: "completed" }))).toBe(false);
    expect(showsMassesLink(round({ parties: [{ party: "self", weight: 50 }, { party: "leader", weight: 50 }] }))).toBe(false);
  });

  it("reads the round from a link given on paper or in a chat, and builds the link the QR code encodes", () => {
    expect(massesLink("http://portal.example.edu.cn/", ID)).toBe(`http://portal.example.edu.cn/evaluations/${ID}`);
    expect(roundIdFromLink(` http://10.1.2.3:8000/evaluations/${ID.toUpperCase()}?from=qr `)).toBe(ID);
    expect(roundIdFromLink("/evaluations/not-a-round")).toBeNull();
    expect(roundIdFromLink("")).toBeNull();
  });
});

describe("the weights", () => {
  it("add up to exactly 100 before they can be saved", () => {
    expect(weightSum({ self: 20, peer: 30, masses: 30, leader: 20 })).toBe(100);
    expect(weightsValid({ self: 20, peer: 30, masses: 30, leader: 20 })).toBe(true);
    expect(weightSum({ self: 30, peer: 30, masses: 30, leader: 20 })).toBe(110);
    expect(weightsValid({ self: 30, peer: 30, masses: 30, leader: 20 })).toBe(false);
    expect(weightSum({ self: 33.3, peer: 33.3, masses: 33.4, leader: 0 })).toBe(100); // no 99.99999 from floats
    expect(weightsValid({ self: "", peer: 40, masses: 60, leader: null })).toBe(true); // an empty box weighs 0
    expect(weightsValid({ self: -10, peer: 50, masses: 60, leader: 0 })).toBe(false);
    expect(weightsValid({})).toBe(false);
  });

  it("come from the scale with the parties left out at 0", () => {
    const window = { target_kind: "window", weights: [{ party: "peer", weight: 20 }, { party: "masses", weight: 60 },
      { party: "leader", weight: 20 }] };
    expect(weightsOf(window)).toEqual({ self: 0, peer: 20, masses: 60, leader: 20 });
  });
});

describe("a rating", () => {
  it("carries a leader's mode and the self-assessment's report on each target, and nothing else", () => {
    const model = { rating: "good", mode: "individual", comment: "  完成及时 ", reports: [" 已审核 ", "已办理"] };
    expect(ratingBody("leader", model, ["a", "b"])).toEqual({ party: "leader", rating: "good", comment: "完成及时", mode: "individual" });
    expect(ratingBody("self", model, ["审核新生材料", "办理入学手续"])).toEqual({
      party: "self", rating: "good", comment: "完成及时",
      target_reports: [{ target: "审核新生材料", done: "已审核" }, { target: "办理入学手续", done: "已办理" }],
    });
    expect(ratingBody("masses", model, ["a"])).toEqual({ party: "masses", rating: "good", comment: "完成及时" });
  });

  it("puts the service's messages beside their fields: per index, or naming the target left unreported", () => {
    const targets = ["审核新生材料", "办理入学手续"];
    expect(ratingErrors({ rating: ["须为其中之一"], target_reports: { 1: { done: ["不能为空"] } } }, targets)).toEqual({
      fields: { rating: "须为其中之一", "reports.1": "不能为空" }, general: [],
    });
    expect(ratingErrors({ target_reports: ["请报告完成情况：办理入学手续"], peer_ids: ["x"] }, targets)).toEqual({
      fields: { "reports.1": "请报告完成情况：办理入学手续" }, general: ["x"],
    });
    expect(ratingErrors({ mode: ["a leader's comment says how"], party: ["you are evaluated here"] }, targets).fields)
      .toEqual({ mode: "a leader's comment says how", party: "you are evaluated here" });
  });
});

describe("the bulk form's deadline", () => {
  it("is picked in Beijing time and sent with its offset; it starts thirty days on at 17:00", () => {
    expect(beijingDeadline("2026-12-31T17:00")).toBe("2026-12-31T17:00:00+08:00");
    expect(beijingDeadline("2026-12-31 17:00")).toBe("2026-12-31T17:00:00+08:00");
    expect(beijingDeadline("")).toBeNull();
    expect(defaultDeadline("2026-12-05")).toBe("2027-01-04T17:00");
  });
});

vi.mock("@/api/evaluations", () => ({
  rounds: { rate: vi.fn(), list: vi.fn(), get: vi.fn(), openInBulk: vi.fn() },
  scale: { get: vi.fn(), setDefaults: vi.fn() },
}));
vi.mock("@/stores/todo", () => ({ useTodo: () => ({ refresh: vi.fn() }) }));
vi.mock("@/utils/feedback", () => ({
  confirmAction: vi.fn(async () => true), toastSuccess: vi.fn(), toastError: vi.fn(),
}));

describe("the rating form", { timeout: 30000 }, () => {
  let api;

  beforeEach(async () => {
    setActivePinia(createPinia());
    i18n.global.locale.value = "zh-CN";
    window.matchMedia = window.matchMedia || (() => ({ matches: false, addEventListener() {}, removeEventListener() {} }));
    api = (await import("@/api/evaluations")).rounds;
  });

  afterEach(() => vi.clearAllMocks());

  async function form(r, props = {}) {
    const RatingForm = (await import("@/views/evaluations/components/RatingForm.vue")).default;
    const wrapper = mount(RatingForm, { props: { round: r, ...props }, global: { plugins: [i18n], stubs: { transition: false, "transition-group": false } }, attachTo: document.body });
    await flushPromises();
    return wrapper;
  }

  it("offers only the part the service leaves open: the masses see the anonymity note and no mode, no reports", async () => {
    const wrapper = await form(round({ my_parties: ["masses"] }));
    expect(wrapper.find("form").attributes("data-party")).toBe("masses");
    expect(wrapper.find("[name=party]").exists()).toBe(false);
    expect(wrapper.find("[data-test=masses-note]").text()).toContain("至少 3 位群众");
    expect(wrapper.find("[data-field=mode]").exists()).toBe(false);
    expect(wrapper.find(".target-reports").exists()).toBe(false);
    wrapper.unmount();
  });

  it("asks the self-assessment for a report on each target and a leader for the mode", async () => {
    const wrapper = await form(round({ my_parties: ["self", "leader"] }), { prefer: "leader" });
    expect(wrapper.find("form").attributes("data-party")).toBe("leader");
    expect(wrapper.findAll("input[name=party]")).toHaveLength(2);
    expect(wrapper.find("[data-field=mode]").classes()).toContain("is-required");
    await wrapper.findAll("input[name=party]")[0].setValue(true);
    await flushPromises();
    expect(wrapper.find("form").attributes("data-party")).toBe("self");
    expect(wrapper.find("[data-field=mode]").exists()).toBe(false);
    expect(wrapper.findAll(".target-reports textarea")).toHaveLength(2);
    wrapper.unmount();
  });

  it("sends nothing until the rules in the browser are met, then shows the service's messages by field", async () => {
    const wrapper = await form(round());
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(api.rate).not.toHaveBeenCalled();
    // the message shows once the form item's state settles (Element Plus debounces it)
    await vi.waitFor(() => expect(wrapper.find("[data-field=rating] .el-form-item__error").text()).toBe("此项为必填项"));

    api.rate.mockRejectedValueOnce(Object.assign(new Error("评价无效"),
      { status: 422, details: { target_reports: ["请报告完成情况：办理入学手续"] } }));
    await wrapper.find("input[name=rating][value=good]").setValue(true);
    const boxes = wrapper.findAll(".target-reports textarea");
    await boxes[0].setValue("已审核");
    await boxes[1].setValue("已办理");
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(api.rate).toHaveBeenCalledWith(ID, {
      party: "self", rating: "good", comment: "",
      target_reports: [{ target: "审核新生材料", done: "已审核" }, { target: "办理入学手续", done: "已办理" }],
    });
    await vi.waitFor(() => expect(wrapper.find("[data-field='reports.1'] .el-form-item__error").text()).toContain("办理入学手续"));
    expect(wrapper.emitted("done")).toBeUndefined();

    api.rate.mockResolvedValueOnce(round({ my_parties: [], my_ratings: [{ party: "self", rating: "good" }] }));
    await wrapper.find("form").trigger("submit");
    await flushPromises();
    expect(wrapper.emitted("done")[0][0].my_ratings[0].rating).toBe("good");
    wrapper.unmount();
  });
});
