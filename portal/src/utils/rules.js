// Form rules for el-form, checked in the browser before anything is sent, in the user's language. They say
// the same as the services' schemas (a service still checks: these only spare a round trip).
import { translate } from "@/locales";

export const required = (trigger = "blur") => ({
  required: true,
  trigger,
  validator: (_rule, value, callback) => {
    const empty = value === undefined || value === null || (typeof value === "string" && !value.trim())
      || (Array.isArray(value) && !value.length);
    callback(empty ? new Error(translate("common.rules.required")) : undefined);
  },
});

export const maxLength = (max) => ({
  max,
  trigger: "blur",
  message: () => translate("common.rules.maxLength", { max }),
});

export const lengthBetween = (min, max) => ({
  min,
  max,
  trigger: "blur",
  message: () => translate("common.rules.lengthBetween", { min, max }),
});

export const numberBetween = (min, max) => ({
  type: "number",
  min,
  max,
  trigger: "change",
  message: () => translate("common.rules.numberBetween", { min, max }),
});

export const email = () => ({ type: "email", trigger: "blur", message: () => translate("common.rules.email") });
