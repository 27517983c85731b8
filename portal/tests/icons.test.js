// Every icon a page or the menu names is registered (src/icons.js), so none shows as an empty box.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ICONS } from "@/icons";

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(vue|js)$/.test(name) ? [path] : [];
  });
}

describe("the icons", () => {
  it("named anywhere in the portal are all registered", () => {
    const used = new Set();
    for (const file of files(join(__dirname, "..", "src"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/<Icon([A-Z]\w+)/g)) used.add(m[1]);
      for (const m of text.matchAll(/["']Icon([A-Z]\w+)["']/g)) used.add(m[1]);
      for (const m of text.matchAll(/\bicon: "([A-Z]\w+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((name) => !ICONS[name])).toEqual([]);
  });
});
