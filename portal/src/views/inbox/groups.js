// The inbox's groups as the page shows them (plain functions, tested on their own): a group of one notice opens
// that notice; a group of several expands to its notices; reading a notice counts down its group's unread.

export const KINDS = ["task", "reminder", "result", "update"];

/** What a group's row does and shows. */
export function summary(group) {
  const items = group.items || [];
  const single = group.count === 1 && items.length === 1;
  return {
    single,
    notice: single ? items[0] : null,
    link: single ? items[0].link : group.link,
    unread: (group.unread || 0) > 0,
    several: group.count > 1,
  };
}

/** The notice is read now: it and its group (found among `groups` by the notice's id) say so. */
export function markRead(groups, noticeId, readAt = new Date().toISOString()) {
  for (const group of groups) {
    const item = (group.items || []).find((n) => n.id === noticeId);
    if (item && item.unread) {
      item.unread = false;
      item.read_at = readAt;
      group.unread = Math.max(0, (group.unread || 0) - 1);
      return group;
    }
  }
  return null;
}

/** One of a group's expanded notices is read: the notice and the group's count of unread ones follow. */
export function markExpandedRead(group, notice, readAt = new Date().toISOString()) {
  if (!notice.unread) return false;
  notice.unread = false;
  notice.read_at = readAt;
  group.unread = Math.max(0, (group.unread || 0) - 1);
  const brief = (group.items || []).find((n) => n.id === notice.id);
  if (brief) {
    brief.unread = false;
    brief.read_at = readAt;
  }
  return true;
}

/** The filters as the service takes them: read "" | "unread" | "read" → read=false/true; kind "" | one kind. */
export function filterParams({ kind, state }) {
  return {
    kind: kind || undefined,
    read: state === "unread" ? false : state === "read" ? true : undefined,
  };
}
