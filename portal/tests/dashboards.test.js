// The dashboards' logic in the browser: ranking the branches (top and bottom N, the rest for the table), fitting
// the satisfaction axis to its data, drawing 0 as 0, marking provisional levels, and the XLSX export — the same
// rows as the data table, numbers as numbers, and no cell a spreadsheet would run as a formula.
import { describe, expect, it, vi } from "vitest";
import {
  fitAxis, hourSpan, lastMonths, levelsOption, percentLabel, provisional, rankedBarsOption, satisfactionOption, splitRanked,
} from "@/views/dashboards/charts";
import { cellText, exportXlsx, safeFilename, textCell, xlsxCell, xlsxRows } from "@/components/chartTable";

const branch = (n, coverage) => ({ unit_id: `b${n}`, name: `第${String(n).padStart(2, "0")}党支部`, coverage_percent: coverage });
const coverage = (b) => b.coverage_percent;

describe("ranking the branches", () => {
  const many = Array.from({ length: 36 }, (_, n) => branch(n, n === 7 ? 0 : (n * 37) % 101));
  many.push(branch(90, null), branch(91, null)); // nobody expected to pledge: not a zero

  it("draws the top and bottom N and leaves the others, ranked, for the table", () => {
    const { top, bottom, rest, missing } = splitRanked(many, coverage, 10);
    expect(top).toHaveLength(10);
    expect(bottom).toHaveLength(10);
    expect(rest).toHaveLength(16);
    expect(missing.map((b) => b.unit_id)).toEqual(["b90", "b91"]);
    const values = [...top, ...rest, ...bottom].map(coverage);
    expect(values).toEqual([...values].sort((a, b) => b - a)); // highest first, all the way down
    expect(bottom[bottom.length - 1].coverage_percent).toBe(0); // the zero is ranked last, not dropped
  });

  it("draws every branch when there are no more than 2N", () => {
    const few = [branch(1, 50), branch(2, 80), branch(3, 0)];
    const { top, bottom, rest } = splitRanked(few, coverage, 10);
    expect(top.map(coverage)).toEqual([80, 50, 0]);
    expect(bottom).toEqual([]);
    expect(rest).toEqual([]);
  });

  it("labels a zero as 0% on a visible track, and a missing value not at all", () => {
    expect(percentLabel(0)).toBe("0%");
    expect(percentLabel(66.7)).toBe("66.7%");
    expect(percentLabel(null)).toBe("");
    const { top, bottom } = splitRanked(many, coverage, 10);
    const { option, height } = rankedBarsOption({ top, bottom, valueOf: coverage, labelOf: (b) => b.name, titles: ["最高", "最低"] });
    expect(option.series).toHaveLength(2);
    expect(option.yAxis[1].data).toHaveLength(10);
    const zero = option.series[1].data.find((d) => d.value === 0);
    expect(option.series[1].label.formatter({ value: zero.value })).toBe("0%");
    expect(option.series[1].showBackground).toBe(true);
    expect(option.xAxis[0].min).toBe(0);
    expect(option.xAxis[0].max).toBe(100);
    expect(height).toBeGreaterThan(20 * 20); // room for twenty bars
  });
});

describe("fitting an axis to its data", () => {
  it("does not start a satisfaction axis at 0 when the figures sit at 80–100 %", () => {
    expect(fitAxis([82.5, 91, 100])).toEqual({ min: 80, max: 100 });
    expect(fitAxis([80, 96.4])).toEqual({ min: 75, max: 100 });
    const option = satisfactionOption({ months: ["2026-10", "2026-11"], series: [{ name: "窗口", values: [84, null] }] });
    expect(option.yAxis.min).toBeGreaterThan(0);
    expect(option.series[0].connectNulls).toBe(false); // a hidden month is a gap, not a zero
  });

  it("keeps the whole range for figures spread over it, and without data", () => {
    expect(fitAxis([3, 97])).toEqual({ min: 0, max: 100 });
    expect(fitAxis([])).toEqual({ min: 0, max: 100 });
    expect(fitAxis([null, undefined])).toEqual({ min: 0, max: 100 });
  });

  it("gives a flat line an axis of some height", () => {
    const { min, max } = fitAxis([100, 100]);
    expect(max).toBe(100);
    expect(max - min).toBeGreaterThanOrEqual(10);
  });
});

describe("the other figures", () => {
  it("charts a cycle not yet final as provisional (拟定), apart from the final ones", () => {
    const results = [
      { year: 2025, state: "final", distribution: { advanced: 1, ordinary: 2, lagging: 0, undecided: 0 } },
      { year: 2026, state: "open", distribution: { advanced: 1, ordinary: 1, lagging: 1, undecided: 0 } },
    ];
    expect(provisional(results[0])).toBe(false);
    expect(provisional(results[1])).toBe(true);
    const option = levelsOption({ results, levelName: (c) => c, provisionalMark: "（拟定）" });
    expect(option.xAxis.data).toEqual(["2025", "2026\n（拟定）"]);
    const advanced = option.series.find((s) => s.name === "advanced");
    expect(advanced.data[0]).toBe(1);
    expect(advanced.data[1].value).toBe(1);
    expect(advanced.data[1].itemStyle.opacity).toBeLessThan(1);
  });

  it("counts twelve months back across a new year, and the hours that had ratings", () => {
    expect(lastMonths("2026-02-14", 4)).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(hourSpan([{ key: 9, ratings: 3 }, { key: 17, ratings: 1 }, { key: 12, shown: false, ratings: null }]))
      .toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
  });
});

describe("the data table and its XLSX", () => {
  const columns = [
    { prop: "name", label: "党支部" },
    { prop: "coverage_percent", label: "覆盖率 %", digits: 1 },
    { prop: "level", label: "等次", text: (r) => (r.level ? { advanced: "先进" }[r.level] : undefined) },
  ];
  const rows = [
    { name: "教务处党支部", coverage_percent: 66.666, level: "advanced" },
    { name: "=HYPERLINK(\"http://x\",\"点我\")", coverage_percent: 0, level: null },
    { name: "@SUM(A1:A2)", coverage_percent: null, level: null },
  ];

  it("writes the header and the same rows as the table shows, numbers as numbers", () => {
    const sheet = xlsxRows(columns, rows);
    expect(sheet).toHaveLength(1 + rows.length);
    expect(sheet[0].map((c) => c.value)).toEqual(["党支部", "覆盖率 %", "等次"]);
    expect(sheet[1][1]).toEqual({ type: Number, value: 66.7, format: "0.0" });
    expect(cellText(columns[1], rows[0])).toBe("66.7");
    expect(sheet[2][1].value).toBe(0); // a zero stays a zero
    expect(cellText(columns[1], rows[1])).toBe("0.0");
    expect(sheet[3][1]).toBeNull(); // no value: an empty cell, "—" in the table
    expect(cellText(columns[1], rows[2])).toBe("—");
    expect(sheet[1][2]).toEqual({ type: String, value: "先进" });
    expect(cellText(columns[2], rows[0])).toBe("先进");
    // every row the same length as the header, cell for cell what the table shows
    for (const [i, row] of rows.entries()) {
      expect(sheet[i + 1].map((c) => (c === null ? "—" : typeof c.value === "number" ? c.value.toFixed(columns[sheet[i + 1].indexOf(c)].digits ?? 0) : c.value)))
        .toEqual(columns.map((c) => cellText(c, row)));
    }
  });

  it("writes a cell that starts like a formula as text, never as a formula", () => {
    for (const text of ["=1+2", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      const cell = textCell(text);
      expect(cell.type).toBe(String);
      expect(cell.value).toBe(text); // what was typed, unchanged
      expect(cell.format).toBe("@"); // and kept text when edited in a spreadsheet
    }
    expect(textCell("教务处").format).toBeUndefined();
    const sheet = xlsxRows(columns, rows);
    expect(sheet[2][0]).toEqual({ type: String, value: rows[1].name, format: "@" });
    expect(sheet.flat().filter(Boolean).every((c) => c.type !== "Formula")).toBe(true);
    // a negative number is a number, not text that looks like a formula
    expect(xlsxCell({ prop: "v" }, { v: -3 })).toEqual({ type: Number, value: -3 });
  });

  it("names the file safely and loads the workbook library only on export", async () => {
    expect(safeFilename("2026年/党员承诺:覆盖率")).toBe("2026年 党员承诺 覆盖率.xlsx");
    const toFile = vi.fn(async () => {});
    const write = vi.fn(() => ({ toFile }));
    vi.doMock("write-excel-file/browser", () => ({ default: write }));
    await exportXlsx({ columns, rows, filename: "覆盖率", sheet: "党员承诺" });
    expect(write).toHaveBeenCalledTimes(1);
    const [data, options] = write.mock.calls[0];
    const values = (sheet) => sheet.map((row) => row.map((c) => c && c.value));
    expect(values(data)).toEqual(values(xlsxRows(columns, rows))); // the cells the table shows (wrapped for print)
    expect(options.sheet).toBe("党员承诺");
    expect(options.orientation).toBe("landscape");
    expect(options.stickyRowsCount).toBe(1);
    expect(toFile).toHaveBeenCalledWith("覆盖率.xlsx");
    vi.doUnmock("write-excel-file/browser");
  });
});
