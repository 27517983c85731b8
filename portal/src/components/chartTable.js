// A chart's data, shown as a table and written as an XLSX workbook: the same columns and rows for both, so what
// a person downloads is what the page shows. Columns: [{prop, label, digits?, text?(row), value?(row), width?}]
//   value(row)  the cell's value (default row[prop]): a number, a string or null
//   digits      a number is shown with this many decimals (and kept a number in the workbook)
//   text(row)   a label instead of the value (a level's name, a state): the same text in both; undefined: the value
// The workbook library is loaded only when a person asks for the file (members never download it).

/** A cell a spreadsheet would read as a formula (=, +, -, @, and a leading tab or carriage return). */
export const FORMULA_START = /^[=+\-@\t\r]/;

export const EMPTY = "—";

export function cellValue(column, row) {
  const value = column.value ? column.value(row) : row[column.prop];
  return value === undefined ? null : value;
}

/** What the data table shows in a cell. */
export function cellText(column, row) {
  const text = column.text ? column.text(row) : undefined;
  if (text !== undefined) return text === null || text === "" ? EMPTY : String(text);
  const value = cellValue(column, row);
  if (value === null || value === "") return EMPTY;
  if (typeof value === "number") return column.digits === undefined ? String(value) : value.toFixed(column.digits);
  return String(value);
}

const rounded = (value, digits) => (digits === undefined ? value : Number(value.toFixed(digits)));
const numberFormat = (digits) => (digits ? `0.${"0".repeat(digits)}` : "0");

/** A text cell of the workbook: always text (a shared string, never a formula); one that would start a formula
 *  also gets the text number format "@", so editing it in a spreadsheet keeps it text. */
export function textCell(value) {
  const text = String(value);
  return FORMULA_START.test(text) ? { type: String, value: text, format: "@" } : { type: String, value: text };
}

/** What the workbook holds in a cell: numbers as numbers (rounded as shown), labels and names as text. */
export function xlsxCell(column, row) {
  const text = column.text ? column.text(row) : undefined;
  if (text !== undefined) return text === null || text === "" ? null : textCell(text);
  const value = cellValue(column, row);
  if (value === null || value === "") return null;
  if (typeof value === "number" && Number.isFinite(value)) {
    const cell = { type: Number, value: rounded(value, column.digits) };
    if (column.digits !== undefined) cell.format = numberFormat(column.digits);
    return cell;
  }
  if (typeof value === "boolean") return { type: Boolean, value };
  return textCell(value);
}

/** The sheet: a header row of the column labels, then one row per data row. */
export function xlsxRows(columns, rows) {
  return [columns.map((c) => textCell(c.label)), ...rows.map((row) => columns.map((c) => xlsxCell(c, row)))];
}

/** A file name a desktop accepts: no path separators or reserved characters. */
export function safeFilename(name) {
  const base = String(name || "data").replace(/[\\/:*?"<>|\u0000-\u001f]+/g, " ").replace(/\s+/g, " ").trim();
  return `${base.slice(0, 120) || "data"}.xlsx`;
}

// A sheet name: at most 31 characters, none of : \ / ? * [ ].
const sheetName = (name) => String(name || "Sheet1").replace(/[:\\/?*[\]]/g, " ").slice(0, 31) || "Sheet1";

/** Header and footer text of a printed sheet: "&" starts a code there, so a literal one is doubled. */
const headerText = (text) => String(text ?? "").replace(/&/g, "&&");

/** A sheet name as a print area's reference writes it: quoted, a quote doubled. */
const sheetReference = (name) => `'${String(name).replace(/'/g, "''")}'`;

/**
 * The workbook set up for printing like every XLSX the services write (pacesetter_shared.exports): landscape A4,
 * one page wide, the header row on every page, the title, unit and period in the page header, page numbers in the
 * footer. write-excel-file writes only the orientation, so the rest is a "feature" of its own (its extension point).
 *   print: { title, unit, period, pageOf: "第 {page} 页，共 {pages} 页" } (the title defaults to the sheet's)
 */
export async function printSetup({ title, unit, period, pageOf }, sheet) {
  const x = await import("write-excel-file/utility");
  const header = `&L${headerText(unit)}&C&B${headerText(title)}&R${headerText(period)}`;
  const footer = `&C${headerText(pageOf).replace("{page}", "&P").replace("{pages}", "&N")}`;
  const worksheetOrder = x.getOrderOfSiblings("xl/worksheets/sheet{id}.xml", "worksheet");
  const workbookOrder = x.getOrderOfSiblings("xl/workbook.xml", "workbook");
  return {
    files: {
      transform: {
        "xl/worksheets/sheet{id}.xml": {
          transformElementAttributes: (tag, attributes) =>
            tag === "pageSetup" ? { ...attributes, fitToWidth: 1, fitToHeight: 0 } : attributes,
          transform: (xml) => {
            const fit = "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>";
            const headerFooter = `<headerFooter><oddHeader>${x.sanitizeTextContent(header)}</oddHeader>`
              + `<oddFooter>${x.sanitizeTextContent(footer)}</oddFooter></headerFooter>`;
            let out = x.findElement(xml, "sheetPr") ? xml : x.insertElementMarkupAccordingToOrderOfSiblings(xml, fit, worksheetOrder, "worksheet");
            out = x.insertElementMarkupAccordingToOrderOfSiblings(out, headerFooter, worksheetOrder, "worksheet");
            return out;
          },
        },
        "xl/workbook.xml": {
          transform: (xml) => {
            const name = `<definedName name="_xlnm.Print_Titles" localSheetId="0">${x.sanitizeTextContent(sheetReference(sheet))}!$1:$1</definedName>`;
            // the library writes an empty <definedNames/>: a second element would be read by some and not by others
            const names = x.findElement(xml, "definedNames");
            if (!names) return x.insertElementMarkupAccordingToOrderOfSiblings(xml, `<definedNames>${name}</definedNames>`, workbookOrder, "workbook");
            if (names.selfClosingTag) return x.replaceElement(xml, names, `<definedNames>${name}</definedNames>`);
            return x.appendMarkupInsideElement(xml, names, name);
          },
        },
      },
    },
  };
}

/** Every cell wraps when printed, as the services' workbooks do: a long name grows the row instead of running under
 *  the next column. */
const wrapped = (rows) => rows.map((row) => row.map((c) => (c ? { ...c, wrap: true } : c)));

/** Writes the rows as an XLSX file and hands it to the browser as a download. */
export async function exportXlsx({ columns, rows, filename, sheet, print = {} }) {
  const { default: writeXlsxFile } = await import("write-excel-file/browser");
  const widths = columns.map((c) => ({ width: c.xlsxWidth || Math.min(40, Math.max(10, String(c.label).length * 2 + 2)) }));
  const name = sheetName(sheet || filename);
  const features = [await printSetup({ title: sheet || filename, ...print }, name)];
  await writeXlsxFile(wrapped(xlsxRows(columns, rows)),
    { columns: widths, sheet: name, stickyRowsCount: 1, orientation: "landscape" }, { features })
    .toFile(safeFilename(filename));
}
