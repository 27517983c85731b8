// 个人资料与通知设置: who I am (name, unit, roles) and how I want to hear about things.
import {roleName} from "../app.js";

const KINDS = {task: ["待办", "Tasks"], reminder: ["提醒", "Reminders"], result: ["结果", "Results"], update: ["动态", "Updates"]};

export default {
  id: "profile",
  title: {zh: "个人资料", en: "Profile"},
  roles: [],
  async render(el, {api, t, h, me, panel, showFieldErrors, clearFieldErrors}) {
    panel(el, {zh: "我的资料", en: "About me"}, async (body) => {
      let unitName = "—";
      if (me.unit_id) {
        try { unitName = (await api("GET", `/api/directory/units/${me.unit_id}`)).name; } catch (e) { unitName = me.unit_id; }
      }
      const row = (label, value) => [h("dt", {}, label), h("dd", {}, value)];
      body.append(h("dl", {class: "profile"},
        row(t("姓名", "Name"), me.name), row(t("用户名", "User name"), me.username || "—"),
        row(t("所在单位", "Unit"), unitName),
        row(t("角色", "Roles"), me.roles.map((r) => roleName(r.role)).join("、"))));
      // The address notices are e-mailed to (the directory keeps it; every service learns it from there).
      const email = h("form", {id: "my-email", class: "inline", novalidate: true},
        h("label", {}, t("电子邮箱（接收邮件通知）", "E-mail (for notices)"),
          h("input", {name: "email", type: "email", autocomplete: "email", value: me.email || ""})),
        h("button", {type: "submit"}, t("保存邮箱", "Save e-mail")));
      email.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          const updated = await api("PATCH", "/api/auth/me", {email: new FormData(email).get("email").trim() || null});
          me.email = updated.email;
          clearFieldErrors(email);
          email.append(h("p", {class: "ok form-error", role: "status"}, t("已保存", "Saved")));
        } catch (e) { showFieldErrors(email, e); }
      });
      body.append(email);
    });
    panel(el, {zh: "通知设置", en: "Notification preferences"}, async (body) => {
      const prefs = await api("GET", "/api/notifications/preferences");
      const form = h("form", {id: "preferences", novalidate: true});
      const rows = Object.keys(KINDS).map((kind) => {
        const channels = prefs.channels[kind] || ["inbox", "email"];
        return h("tr", {},
          h("th", {scope: "row"}, t(...KINDS[kind])),
          h("td", {}, h("input", {type: "checkbox", checked: true, disabled: true, "aria-label": t(`${KINDS[kind][0]}：站内通知（始终开启）`, `${KINDS[kind][1]}: inbox (always on)`)})),
          h("td", {}, h("input", {type: "checkbox", name: `email-${kind}`, checked: channels.includes("email"),
            "aria-label": t(`${KINDS[kind][0]}：电子邮件`, `${KINDS[kind][1]}: e-mail`)})));
      });
      form.append(
        h("div", {class: "table-wrap"}, h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, t("通知类别", "Kind")),
          h("th", {}, t("站内", "Inbox")), h("th", {}, t("邮件", "E-mail")))), h("tbody", {}, rows))),
        h("fieldset", {}, h("legend", {}, t("免打扰时段（北京时间，此间不发邮件）", "Quiet hours (Beijing time, no e-mail)")),
          h("div", {class: "inline"},
            h("label", {}, t("开始", "From"), " ", h("input", {type: "time", name: "quiet_hours.start", value: prefs.quiet_hours ? prefs.quiet_hours.start : ""})),
            h("label", {}, t("结束", "To"), " ", h("input", {type: "time", name: "quiet_hours.end", value: prefs.quiet_hours ? prefs.quiet_hours.end : ""})))),
        h("label", {}, h("input", {type: "checkbox", name: "daily_digest", checked: prefs.daily_digest}), " ",
          t("逾期承诺每日汇总一次（支部书记）", "Overdue pledges in one daily digest (secretaries)")),
        h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, t("保存设置", "Save"))));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const channels = Object.fromEntries(Object.keys(KINDS).map((kind) =>
          [kind, data.get(`email-${kind}`) ? ["inbox", "email"] : ["inbox"]]));
        const start = data.get("quiet_hours.start"); const end = data.get("quiet_hours.end");
        try {
          await api("PUT", "/api/notifications/preferences", {channels, daily_digest: Boolean(data.get("daily_digest")),
            quiet_hours: start || end ? {start, end} : null});
          clearFieldErrors(form);
          form.prepend(h("p", {class: "ok form-error", role: "status"}, t("已保存", "Saved")));
        } catch (e) {
          // quiet_hours errors arrive nested ({quiet_hours: {start: [...]}}); name the inputs after them.
          if (e.details && e.details.quiet_hours && typeof e.details.quiet_hours === "object" && !Array.isArray(e.details.quiet_hours)) {
            for (const [k, v] of Object.entries(e.details.quiet_hours)) e.details[`quiet_hours.${k}`] = v;
            delete e.details.quiet_hours;
          }
          showFieldErrors(form, e);
        }
      });
      body.append(form);
    });
  },
};
