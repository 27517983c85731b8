import { describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { exportXlsx } from "@/components/chartTable";

// The workbook a chart's "导出 XLSX" writes, opened as the ZIP of XML it is: set up for printing like the services'
// (landscape A4, one page wide, header row repeated, title/unit/period in the header, page numbers in the footer).
describe("a chart's workbook prints", () => {
  it("sets up the page, the repeated header row, the header and the footer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chart-print-"));
    vi.doMock("write-excel-file/browser", async () => {
      const node = await import("write-excel-file/node");
      return { default: (...args) => ({ toFile: (name) => node.default(...args).toFile(join(dir, name)) }) };
    });
    const columns = [{ prop: "name", label: "党支部" }, { prop: "rate", label: "覆盖率 %", digits: 1 }];
    const rows = Array.from({ length: 3 }, (_, i) => ({ name: `第${i + 1}党支部 & 研究生`, rate: 50 + i }));
    await exportXlsx({ columns, rows, filename: "覆盖率", sheet: "党员承诺覆盖率",
                       print: { unit: "计算机学院党总支", period: "2026年", pageOf: "第 {page} 页，共 {pages} 页" } });
    vi.doUnmock("write-excel-file/browser");

    const files = unzipSync(readFileSync(join(dir, "覆盖率.xlsx")));
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]);
    const workbook = strFromU8(files["xl/workbook.xml"]);
    expect(sheet).toMatch(/<pageSetup [^>]*paperSize="9"/);
    expect(sheet).toMatch(/<pageSetup [^>]*orientation="landscape"/);
    expect(sheet).toMatch(/<pageSetup [^>]*fitToWidth="1"/);
    expect(sheet).toMatch(/<pageSetup [^>]*fitToHeight="0"/);
    expect(sheet).toMatch(/^[\s\S]*<worksheet[^>]*>\s*<sheetPr><pageSetUpPr fitToPage="1"\/><\/sheetPr>/);
    // the header names the unit, the title and the period; a literal "&" would be a code there, so none is left bare
    expect(sheet).toContain("<oddHeader>&amp;L计算机学院党总支&amp;C&amp;B党员承诺覆盖率&amp;R2026年</oddHeader>");
    expect(sheet).toContain("<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>");
    // headerFooter comes after pageSetup, as the schema orders them (else a spreadsheet calls the file corrupt)
    expect(sheet.indexOf("<headerFooter>")).toBeGreaterThan(sheet.indexOf("<pageSetup"));
    expect(workbook).toContain("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">'党员承诺覆盖率'!$1:$1</definedName>");
    expect(workbook.indexOf("<definedNames>")).toBeGreaterThan(workbook.indexOf("</sheets>"));
    expect(workbook.match(/<definedNames[\s/>]/g)).toHaveLength(1); // one element: readers take only one of two
    // long names wrap instead of running under the next column
    const styles = strFromU8(files["xl/styles.xml"]);
    expect(styles).toContain("wrapText=\"1\"");
  });
});
