// 我的通知: the person's inbox, unread first; reading one updates the header's count.
import {pageForLink} from "../app.js";
import {formatTime} from "./ui.js";

export default {
  id: "inbox",
  title: {zh: "我的通知", en: "My inbox"},
  roles: [],
  async render(el, {api, t, h, panel, refreshUnread}) {
    const inbox = panel(el, {zh: "通知", en: "Notices"}, async (body) => {
      const page = await api("GET", "/api/notifications?limit=100");
      const readAll = h("button", {type: "button", id: "read-all", disabled: !page.unread, onclick: async () => {
        await api("POST", "/api/notifications/read-all");
        await refreshUnread();
        await inbox.reload();
      }}, t("全部标为已读", "Mark all read"));
      const items = page.items.map((n) => h("li", {class: n.read_at ? "notice" : "notice unread"},
        h("div", {}, h("strong", {}, n.title), " ", h("span", {class: "hint"}, formatTime(n.created_at))),
        h("p", {class: "notice-body"}, n.body),
        pageForLink(n.link, n.kind) ? h("a", {href: `#/${pageForLink(n.link, n.kind)}`, class: "open-notice"}, t("查看", "Open")) : null,
        n.read_at ? null : h("button", {type: "button", class: "mark-read", onclick: async () => {
          await api("POST", `/api/notifications/${n.id}/read`);
          await refreshUnread();
          await inbox.reload();
        }}, t("标为已读", "Mark read"))));
      body.append(h("p", {class: "hint"}, t(`未读 ${page.unread} 条，共 ${page.total} 条`, `${page.unread} unread of ${page.total}`)),
        readAll, h("ul", {id: "inbox", class: "list"}, items.length ? items : h("li", {}, t("暂无通知", "No notices"))));
    });
    inbox.section.classList.add("wide");
  },
};
