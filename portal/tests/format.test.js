import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDeadline } from "@/utils/format";

describe("dates for people", () => {
  it("are written in Asia/Shanghai whatever the browser's zone, the same way in both languages", () => {
    expect(formatDateTime("2026-12-05T16:30:00Z")).toBe("2026-12-06 00:30");
    expect(formatDate("2026-12-05T16:30:00+00:00")).toBe("2026-12-06");
  });

  it("keep a calendar day as it is and an empty value empty", () => {
    expect(formatDate("2026-12-31")).toBe("2026-12-31");
    expect(formatDateTime(null)).toBe("");
  });

  it("show a deadline as the end of its day: 17:30 as it is, a 0:00 one as the day before at 24:00", () => {
    expect(formatDeadline("2026-10-13T09:30:00Z")).toBe("2026-10-13 17:30");
    expect(formatDeadline("2026-10-07T16:00:00Z")).toBe("2026-10-07 24:00");
    expect(formatDeadline("2026-10-13T15:59:00Z")).toBe("2026-10-13 23:59");
    expect(formatDeadline(null)).toBe("");
  });
});
