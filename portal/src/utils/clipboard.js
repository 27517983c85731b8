/**
 * Copies text to the clipboard: the Clipboard API where the page may use it (https, localhost), else a selected
 * text box and the copy command (a campus intranet often serves the portal over plain http). Resolves true/false.
 */
export async function copyText(text, doc = globalThis.document) {
  const nav = globalThis.navigator;
  if (nav && nav.clipboard && globalThis.isSecureContext) {
    try {
      await nav.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the older way
    }
  }
  if (!doc || !doc.body) return false;
  const box = doc.createElement("textarea");
  box.value = text;
  box.setAttribute("readonly", "");
  box.style.position = "fixed";
  box.style.opacity = "0";
  doc.body.append(box);
  box.select();
  let done = false;
  try {
    done = Boolean(doc.execCommand && doc.execCommand("copy"));
  } catch {
    done = false;
  }
  box.remove();
  return done;
}
