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
    const call = /\b(?:t|te|translate|toastSuccess|confirmAction|\$t)\(\s*["']([a-zA-Z][\w-]*(?:\.[\w-]+)*)["']/g;
    const asked = (paths) => new Set(paths.flatMap((file) => [...readFileSync(file, "utf8").matchAll(call)].map((m) => m[1])));
    const known = (tree, key) => key.split(".").reduce((node, part) => (node && typeof node === "object" ? node[part] : undefined), tree);
    const src = join(__dirname, "..", "src");
    // the counter devices (kiosk, display) are pages of their own with their own catalogues
    const devices = join(src, "devices");
    const used = [...asked(files(src).filter((f) => !f.startsWith(devices)))].filter((key) => key.includes("."));
    expect(used.length).toBeGreaterThan(200);
    expect(used.filter((key) => known(zhCN, key) === undefined)).toEqual([]);
    expect(used.filter((key) => known(en, key) === undefined)).toEqual([]);
    // what sits in devices/ itself (pairing) is every device's
    const shared = readdirSync(devices).map((name) => join(devices, name)).filter((path) => !statSync(path).isDirectory());
    for (const device of readdirSync(devices).filter((name) => statSync(join(devices, name)).isDirectory())) {
      const { default: messages } = await import(`../src/devices/${device}/messages.js`);
      const keys = [...asked([...files(join(devices, device)), ...shared])];
      expect(keys.length, device).toBeGreaterThan(10);
      expect(keys.filter((key) => known(messages["zh-CN"], key) === undefined), device).toEqual([]);
      expect(keys.filter((key) => known(messages.en, key) === undefined), device).toEqual([]);
    }
  });
});
