// Element Plus writes a field's error under the field but does not tie the two together, so a screen reader
// announces neither that the field is wrong nor why. This watches the page for form items that gain or lose an
// error and marks their inputs: aria-invalid, and aria-describedby naming the message.
let sequence = 0;

const FIELDS = "input:not([type=hidden]), textarea, select, [role=combobox], [role=radiogroup], [role=group], [role=switch]";

export function markFormItem(item) {
  const error = item.querySelector(":scope > .el-form-item__content > .el-form-item__error");
  for (const field of item.querySelectorAll(FIELDS)) {
    if (error) {
      if (!error.id) error.id = `field-error-${++sequence}`;
      field.setAttribute("aria-invalid", "true");
      field.setAttribute("aria-describedby", error.id);
    } else if (field.hasAttribute("aria-invalid")) {
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    }
  }
}

function touchedItems(records) {
  const items = new Set();
  const add = (node) => {
    const item = node && node.closest && node.closest(".el-form-item");
    if (item) items.add(item);
  };
  for (const record of records) {
    if (record.type === "attributes") {
      if (record.target.classList && record.target.classList.contains("el-form-item")) items.add(record.target);
      continue;
    }
    for (const node of [...record.addedNodes, ...record.removedNodes]) {
      if (node.nodeType !== 1) continue;
      if (node.classList.contains("el-form-item__error")) add(record.target);
      else if (node.classList.contains("el-form-item")) items.add(node);
    }
  }
  return items;
}

/** Starts watching `root` (the whole page by default); returns what stops it. */
export function linkFieldErrors(root = document.body) {
  const observer = new MutationObserver((records) => {
    for (const item of touchedItems(records)) if (item.isConnected) markFormItem(item);
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}
