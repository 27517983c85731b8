import { afterEach, describe, expect, it, vi } from "vitest";
import { linkFieldErrors } from "@/a11y/fieldErrors";

function formItem() {
  document.body.innerHTML = `<form><div class="el-form-item"><label>标题</label>
    <div class="el-form-item__content"><div class="el-input"><input name="title"></div></div></div></form>`;
  return document.querySelector(".el-form-item");
}

describe("a field's error, tied to its field", () => {
  let stop;
  afterEach(() => stop && stop());

  it("marks the input invalid and described by the message when the message shows, and unmarks it when it goes", async () => {
    const item = formItem();
    stop = linkFieldErrors(document.body);
    const input = item.querySelector("input");
    const error = document.createElement("div");
    error.className = "el-form-item__error";
    error.textContent = "此项为必填项";
    item.classList.add("is-error");
    item.querySelector(".el-form-item__content").append(error);
    await vi.waitFor(() => expect(input.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(input.getAttribute("aria-describedby")).textContent).toBe("此项为必填项");
    error.remove();
    item.classList.remove("is-error");
    await vi.waitFor(() => expect(input.hasAttribute("aria-invalid")).toBe(false));
    expect(input.hasAttribute("aria-describedby")).toBe(false);
  });
});
