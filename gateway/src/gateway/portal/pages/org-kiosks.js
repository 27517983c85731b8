// 服务窗口与评价器: the organisation department issues and revokes kiosk credentials
// and maintains the reason tags the kiosks offer. Element ids are used by tests/browser/test_kiosk_and_display.py.
export default {
  id: "org-kiosks",
  title: {zh: "服务窗口与评价器", en: "Windows and kiosks"},
  roles: ["org_department", "ops_admin"],
  async render(el, {api, t, h, panel, showFieldErrors, clearFieldErrors}) {
    const list = panel(el, {zh: "评价器设备", en: "Kiosk devices"}, async (body) => {
      const windows = (await api("GET", "/api/directory/windows?limit=500")).items;
      const names = Object.fromEntries(windows.map((w) => [w.id, w.name]));
      const select = h("select", {name: "window_id", id: "kiosk-window", required: true},
        windows.map((w) => h("option", {value: w.id}, w.name)));
      const credential = h("p", {id: "kiosk-credential", class: "credential", hidden: true});
      const form = h("form", {id: "new-kiosk"},
        h("label", {}, t("窗口", "Window"), " ", select),
        h("label", {}, t("设备名称", "Device name"), " ",
          h("input", {name: "name", maxlength: "200", required: true, placeholder: t("如：一楼大厅评价器", "e.g. lobby kiosk")})),
        h("button", {type: "submit", class: "primary"}, t("生成设备凭证", "Issue a credential")));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        try {
          const device = await api("POST", "/api/directory/kiosks", {window_id: data.get("window_id"), name: data.get("name")});
          clearFieldErrors(form);
          credential.hidden = false;
          credential.textContent = t("设备凭证（只显示这一次，请在评价器 /kiosk 页面输入）：", "Device credential (shown only once; enter it on the kiosk's /kiosk page): ")
            + device.credential;
          form.reset();
          await drawDevices();
        } catch (e) { showFieldErrors(form, e); }
      });
      const devices = h("ul", {id: "kiosks", class: "list"});
      async function drawDevices() {
        const items = (await api("GET", "/api/directory/kiosks?limit=500")).items;
        devices.replaceChildren(...items.map((d) => h("li", {},
          `${d.name} — ${names[d.window_id] || d.window_id} `,
          h("span", {class: "state"}, d.revoked_at ? t("已吊销", "revoked") : t("在用", "in use")),
          d.revoked_at ? null : [" ", h("button", {type: "button", onclick: async () => {
            if (!confirm(t(`吊销“${d.name}”？该设备将无法再提交评价。`, `Revoke "${d.name}"? It can no longer post ratings.`))) return;
            await api("POST", `/api/directory/kiosks/${d.id}/revoke`);
            await drawDevices();
          }}, t("吊销", "Revoke"))])));
      }
      await drawDevices();
      body.append(form, credential, devices);
    });
    list.section.id = "kiosk-panel";

    // 评价理由标签: the reasons a kiosk offers after a rating; a new version leaves earlier ratings theirs.
    const tags = panel(el, {zh: "评价理由标签", en: "Rating reason tags"}, async (body) => {
      const groups = [["praise", "表扬理由（非常满意、满意）", "Praise (very satisfied, satisfied)"],
        ["complaint", "不满意理由（不满意、非常不满意）", "Complaint (dissatisfied, very dissatisfied)"]];
      const current = await api("GET", "/api/ratings/tags");
      const version = h("p", {class: "hint", id: "tag-version"});
      const status = h("p", {role: "status", class: "ok"});
      const form = h("form", {id: "tag-set", class: "org-form"},
        groups.map(([group, zh, en]) => h("label", {}, t(zh, en) + t("（每行一个）", " (one per line)"),
          h("textarea", {name: group, rows: "5", required: true}, (current.tags[group] || []).join("\n")))),
        h("button", {type: "submit", class: "primary"}, t("发布新版本", "Publish a new version")));
      const showVersion = (v) => { version.textContent = t(`当前第 ${v} 版`, `Version ${v} in use`); };
      showVersion(current.version);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        const lines = (name) => String(data.get(name) || "").split("\n").map((s) => s.trim()).filter(Boolean);
        status.textContent = "";
        try {
          const published = await api("POST", "/api/ratings/tags", {tags: Object.fromEntries(groups.map(([g]) => [g, lines(g)]))});
          clearFieldErrors(form);
          showVersion(published.version);
          status.textContent = t(`已发布第 ${published.version} 版，此后的评价使用新标签`, `Version ${published.version} published`);
        } catch (e) { showFieldErrors(form, e); }
      });
      body.append(version, form, status);
    });
    tags.section.id = "tags-panel";
  },
};
