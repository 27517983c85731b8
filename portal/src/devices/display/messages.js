// The display screen's words: Chinese first (?lang=en for English).
export default {
  "zh-CN": {
    title: "创先争优 · 三亮",
    pledgesOf: "{unit} · 亮承诺",
    standards: { title: "亮标准 · 服务标准", items: "服务事项", workflow: "工作流程", timeLimit: "办结时限" },
    identity: { title: "亮身份 · 今日当班", badge: "共产党员", nobody: "今日暂无当班人员" },
    pledges: { title: "亮承诺 · 党员承诺", none: "暂无公开承诺" },
    separator: "、",
    state: {
      unset: "此显示屏尚未设置",
      unsetHint: "请在门户“评价器与显示屏”中为它选择要显示的窗口或单位。",
      gone: "此窗口已撤销",
      goneHint: "请在门户“评价器与显示屏”中为显示屏另选窗口。",
      unreachable: "暂时无法连接服务器",
      unreachableHint: "显示屏会自动重试，恢复后立即显示内容。",
      stale: "连接中断：显示的是 {time} 更新的内容，正在自动重试",
      loading: "正在加载…",
    },
  },
  en: {
    title: "Strive for excellence · Three showings",
    pledgesOf: "{unit} · Pledges",
    standards: { title: "Our standards", items: "Services", workflow: "Workflow", timeLimit: "Time limit" },
    identity: { title: "On duty today", badge: "Party member", nobody: "Nobody on duty today" },
    pledges: { title: "Members' pledges", none: "No published pledges yet" },
    separator: ", ",
    state: {
      unset: "This display is not set up yet",
      unsetHint: "Choose the window or unit it shows in the portal under “Kiosks and displays”.",
      gone: "This window has been closed",
      goneHint: "Choose another window for this display in the portal under “Kiosks and displays”.",
      unreachable: "Cannot reach the server",
      unreachableHint: "The display keeps trying and shows its content as soon as it can.",
      stale: "Connection lost: showing what was fetched at {time}; retrying",
      loading: "Loading…",
    },
  },
};
