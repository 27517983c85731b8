// The printed forms' downloads are saved under the name the gateway gives them: its RFC 5987 filename* (Chinese),
// else its plain filename.
import { describe, expect, it } from "vitest";
import { filenameOf } from "@/api/client";

describe("a download's file name", () => {
  it("is the Chinese name of filename*", () => {
    const header = "attachment; filename=\"pledge-letter.pdf\"; filename*=UTF-8''%E6%89%BF%E8%AF%BA%E4%B9%A6-%E5%88%98%E4%BC%9F.pdf";
    expect(filenameOf(header)).toBe("承诺书-刘伟.pdf");
  });

  it("falls back to the plain filename, then to a word", () => {
    expect(filenameOf('attachment; filename="grading-2026.xlsx"')).toBe("grading-2026.xlsx");
    expect(filenameOf(null)).toBe("download");
  });
});
