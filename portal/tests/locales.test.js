// Chinese first, English complete: both catalogues have the same keys, none empty, and no Chinese in English.
import { describe, expect, it } from "vitest";
import zhCN from "@/locales/zh-CN";
import en from "@/locales/en";

function keys(tree, prefix = "") {
  return Object.entries(tree).flatMap(([key, value]) =>
    value && typeof value === "object" ? keys(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]]);
}

const zhKeys = new Map(keys(zhCN));
const enKeys = new Map(keys(en));

describe("the locale catalogues", () => {
  it("have the same keys in both languages", () => {
    expect([...zhKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys.keys()].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it("have no empty message", () => {
    expect([...zhKeys].filter(([, v]) => typeof v !== "string" || !v.trim()).map(([k]) => k)).toEqual([]);
    expect([...enKeys].filter(([, v]) => typeof v !== "string" || !v.trim()).map(([k]) => k)).toEqual([]);
  });

  it("show no Chinese on an English page", () => {
    const han = /\p{Script=Han}/u;
    // the language switch and the demo hint name things in Chinese on purpose
    const allowed = new Set(["common.login.demo"]);
    expect([...enKeys].filter(([k, v]) => han.test(v) && !allowed.has(k)).map(([k]) => k)).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    const names = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const differing = [...zhKeys.keys()].filter((k) => enKeys.has(k) && names(zhKeys.get(k)).join() !== names(enKeys.get(k)).join());
    expect(differing).toEqual([]);
  });
});

describe("the words the portal asks for", () => {
  it("are in both catalogues (every t(\"…\") / translate(\"…\") / toastSuccess(\"…\") key written out in full)", async () => {
    const { readdirSync, readFileSync, statSync } = await import("node:fs");
    const { join } = await import("node:path");
    const files = (dir) => readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : /\.(vue|js)$/.test(name) ? [path] : [];
    });
    const used = new Set();
    const call = /\b(?:t|te|translate|toastSuccess|confirmAction|\$t)\(\s*["']([a-zA-Z][\w-]*(?:\.[\w-]+)+)["']/g;
    for (const file of files(join(__dirname, "..", "src"))) {
      for (const m of readFileSync(file, "utf8").matchAll(call)) used.add(m[1]);
    }
    const known = (tree, key) => key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), tree);
    expect(used.size).toBeGreaterThan(200);
    expect([...used].filter((key) => known(zhCN, key) === undefined)).toEqual([]);
    expect([...used].filter((key) => known(en, key) === undefined)).toEqual([]);
  });
});
