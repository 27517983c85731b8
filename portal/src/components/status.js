// What a status tag's colour means, the same on every page:
//   success  done, or good news (approved, fulfilled, 先进, closed case)
//   primary  under way (published, open round, open cycle)
//   warning  waiting on someone (submitted for review, escalated, publicity, 一般)
//   danger   needs action now (returned, overdue, 后进, open bad-rating case)
//   info     not started or no longer in play (draft, withdrawn, closed pledge)
// Labels come from the locale files: common.status.<kind>.<value>.
export const STATUS_TYPES = {
  pledge: {
    draft: "info", submitted: "warning", returned: "danger", approved: "success", published: "primary",
    overdue: "danger", fulfilled: "success", evaluated: "success", closed: "info", withdrawn: "info",
  },
  case: { open: "danger", escalated: "warning", closed: "success" },
  round: { open: "primary", completed: "success", incomplete: "info" },
  cycle: { open: "primary", publicity: "warning", final: "success" },
  level: { advanced: "success", ordinary: "warning", lagging: "danger" },
  notice: { unread: "danger", read: "info" },
};

export const statusType = (kind, value) => (STATUS_TYPES[kind] && STATUS_TYPES[kind][value]) || "info";
