// Toasts after what succeeded, a confirm before what cannot be undone: the same words and look on every page.
import { ElMessage, ElMessageBox } from "element-plus";
import { translate } from "@/locales";

export const toastSuccess = (key, values) => ElMessage.success({ message: translate(key, values), grouping: true });

export function toastError(error) {
  const message = error && error.unavailable ? translate("common.unavailable") : (error && error.message) || String(error);
  ElMessage.error({ message, grouping: true });
}

/** Resolves true when the user confirms, false when they cancel. */
export async function confirmAction(messageKey, values, { titleKey = "common.confirmTitle", danger = true } = {}) {
  try {
    await ElMessageBox.confirm(translate(messageKey, values), translate(titleKey), {
      confirmButtonText: translate("common.confirm"),
      cancelButtonText: translate("common.cancel"),
      type: danger ? "warning" : "info",
      autofocus: false,
    });
    return true;
  } catch {
    return false;
  }
}
