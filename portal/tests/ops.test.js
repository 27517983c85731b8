// 定时任务 and the training banner: how often a job runs and how far the clock is shifted, in people's words.
import { describe, expect, it } from "vitest";
import { i18n } from "@/locales";
import { everyText, jobTitle } from "@/views/ops/logic";
import { offsetText } from "@/components/trainingClock";
import { training } from "@/utils/clock";
import { shanghaiToday } from "@/utils/format";
import { rating } from "@/devices/kiosk/queue";

const t = (key, values) => i18n.global.t(key, values);

describe("scheduled jobs and the training clock", () => {
  it("say how often a job runs", () => {
    i18n.global.locale.value = "zh-CN";
    expect([5, 60, 300, 3600, 86400, 90].map((s) => everyText(t, s)))
      .toEqual(["每 5 秒", "每 1 分钟", "每 5 分钟", "每 1 小时", "每 1 天", "每 90 秒"]);
  });

  it("name each job in the reader's language, and an unknown one by its code", () => {
    const { te } = i18n.global;
    i18n.global.locale.value = "zh-CN";
    expect(jobTitle(t, te, "pledge.mark_overdue")).toBe("标记逾期承诺并提醒承诺人");
    expect(jobTitle(t, te, "pledge.something_new")).toBe("pledge.something_new");
    i18n.global.locale.value = "en";
    expect(jobTitle(t, te, "grading.rectification_overdue")).toBe("Mark overdue rectification tasks");
    i18n.global.locale.value = "zh-CN";
  });

  it("say how far the clock is shifted, ahead or behind", () => {
    i18n.global.locale.value = "zh-CN";
    expect(offsetText(t, 7 * 86400)).toBe("调快 7 天");
    expect(offsetText(t, -(86400 + 12 * 3600))).toBe("调慢 1 天 12 小时");
    i18n.global.locale.value = "en";
    expect(offsetText(t, 90 * 60)).toBe("1 h 30 min ahead");
    i18n.global.locale.value = "zh-CN";
  });

  it("make the pages' today the suite's on a training clock", () => {
    const real = shanghaiToday();
    training.offsetSeconds = 7 * 86400;
    const ahead = shanghaiToday();
    training.offsetSeconds = 0;
    expect((Date.parse(ahead) - Date.parse(real)) / 86400000).toBe(7);
  });

  it("stamp a kiosk's rating with the suite's time", () => {
    training.offsetSeconds = 7 * 86400;
    const stamped = Date.parse(rating(5, [], null).rated_at);
    training.offsetSeconds = 0;
    expect(Math.round((stamped - Date.now()) / 3600000)).toBe(7 * 24);
  });
});
