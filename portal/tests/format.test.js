import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "@/utils/format";

describe("dates for people", () => {
  it("are written in Asia/Shanghai whatever the browser's zone, the same way in both languages", () => {
    expect(formatDateTime("2026-12-05T16:30:00Z")).toBe("2026-12-06 00:30");
    expect(formatDate("2026-12-05T16:30:00+00:00")).toBe("2026-12-06");
  });

  it("keep a calendar day as it is and an empty value empty", () => {
    expect(formatDate("2026-12-31")).toBe("2026-12-31");
    expect(formatDateTime(null)).toBe("");
  });
});
