// A form that talks to a service: the rules are checked in the browser first (in the user's language); what
// the service still refuses comes back field by field (error.details) next to each field, the rest as a toast.
//
//   const form = useForm({ title: "", content: "" });
//   <el-form ref="form.ref" :model="form.model" :rules="rules"> <el-form-item prop="title" :error="form.errors.title">
//   await form.submit(async (values) => api.create(values), { success: "pledges.created" })
import { reactive, ref, toRaw } from "vue";
import { ElMessage } from "element-plus";
import { translate } from "@/locales";

// error.details may be {field: [msgs]} or nested {field: {index: {field: [msgs]}}}: text per top field.
export function flatten(value) {
  if (value === null || value === undefined) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(flatten);
  return Object.values(value).flatMap(flatten);
}

export function useForm(initial) {
  const formRef = ref(null);
  const model = reactive(structuredClone(initial));
  const errors = reactive({});
  const saving = ref(false);

  function clearErrors() {
    for (const key of Object.keys(errors)) delete errors[key];
  }

  /** Puts a service's per-field messages on the fields; answers the messages no field of the form shows. */
  function showErrors(error) {
    clearErrors();
    const unplaced = [];
    const details = error && error.details && typeof error.details === "object" ? error.details : {};
    for (const [name, messages] of Object.entries(details)) {
      const text = flatten(messages).join("；");
      if (name in model) errors[name] = text;
      else unplaced.push(text);
    }
    const message = error && error.unavailable ? translate("common.unavailable") : (error && error.message) || String(error);
    ElMessage.error({ message: [message, ...unplaced].join(" "), grouping: true });
  }

  async function submit(action, { success, validate = true } = {}) {
    clearErrors();
    if (validate && formRef.value) {
      try {
        await formRef.value.validate();
      } catch {
        return false;
      }
    }
    saving.value = true;
    try {
      const result = await action(structuredClone(toRaw(model)));
      if (success) ElMessage.success(translate(success));
      return result === undefined ? true : result;
    } catch (e) {
      showErrors(e);
      return false;
    } finally {
      saving.value = false;
    }
  }

  function reset(values = initial) {
    clearErrors();
    Object.assign(model, structuredClone(values));
    if (formRef.value) formRef.value.clearValidate();
  }

  return reactive({ ref: formRef, model, errors, saving, submit, reset, showErrors, clearErrors });
}
