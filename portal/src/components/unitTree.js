// The organisation tree (党委 → 党总支 → 党支部 → 党小组) built in the browser from the directory's flat list of
// units (each names its parent_id). Plain functions: UnitTreeSelect, the units page and the tests use them.

export const UNIT_KINDS = ["committee", "general_branch", "branch", "group"];
/** The kind of unit each kind sits under (the directory's own rule). */
export const PARENT_KIND = { committee: null, general_branch: "committee", branch: "general_branch", group: "branch" };
/** The kind of unit that may sit under each kind. */
export const CHILD_KIND = { committee: "general_branch", general_branch: "branch", branch: "group", group: null };
/** The kind of unit each role is held on (ops_admin: none). */
export const ROLE_UNIT_KIND = {
  member: "branch",
  branch_secretary: "branch",
  general_branch_secretary: "general_branch",
  org_department: "committee",
  ops_admin: null,
};

const order = (kind) => {
  const index = UNIT_KINDS.indexOf(kind);
  return index < 0 ? UNIT_KINDS.length : index;
};

const byKindThenName = (a, b) => order(a.kind) - order(b.kind) || String(a.name).localeCompare(String(b.name), "zh-CN");

/**
 * The tree of `units`: each node is the unit with `children` (sorted by kind, then name). A unit whose parent
 * is not in the list is a root. `roots` (ids): only the subtrees of these units. `includeInactive`: keep units
 * no longer in use (default), else leave them and everything under them out — except the ids in `keep`
 * (a unit already chosen stays visible).
 */
export function buildUnitTree(units, { roots = null, includeInactive = true, keep = [] } = {}) {
  const kept = new Set((keep || []).filter(Boolean).map(String));
  const nodes = new Map();
  for (const unit of units || []) {
    if (!includeInactive && unit.active === false && !kept.has(String(unit.id))) continue;
    nodes.set(String(unit.id), { ...unit, children: [] });
  }
  const top = [];
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(String(node.parent_id)) : null;
    if (parent && parent !== node && !isBelow(parent, node, nodes)) parent.children.push(node);
    else top.push(node);
  }
  const sort = (list) => {
    list.sort(byKindThenName);
    list.forEach((n) => sort(n.children));
    return list;
  };
  sort(top);
  if (!roots) return top;
  const wanted = roots.map((id) => nodes.get(String(id))).filter(Boolean);
  // a root below another wanted root is shown once, inside its ancestor's subtree
  return sort(wanted.filter((n) => !wanted.some((other) => other !== n && isBelow(n, other, nodes))));
}

// Whether `node` is somewhere under `ancestor` (following parent_id; a cycle in bad data ends the walk).
function isBelow(node, ancestor, nodes) {
  const seen = new Set();
  let current = node;
  while (current && current.parent_id && !seen.has(current.id)) {
    seen.add(current.id);
    if (String(current.parent_id) === String(ancestor.id)) return true;
    current = nodes.get(String(current.parent_id));
  }
  return false;
}

/** The ids of `id` and of every unit under it, given the flat list. */
export function idsAtOrBelow(units, id) {
  const children = new Map();
  for (const unit of units || []) {
    const key = unit.parent_id ? String(unit.parent_id) : "";
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(String(unit.id));
  }
  const found = [];
  const queue = [String(id)];
  while (queue.length) {
    const next = queue.shift();
    if (found.includes(next)) continue;
    found.push(next);
    queue.push(...(children.get(next) || []));
  }
  return found;
}

/** The names from the top of the tree down to the unit: ["中共示范大学委员会", "机关党总支", "教务处党支部"]. */
export function unitPath(id, byId) {
  const names = [];
  const seen = new Set();
  let current = byId.get ? byId.get(String(id)) : byId[id];
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parent_id ? (byId.get ? byId.get(String(current.parent_id)) : byId[current.parent_id]) : null;
  }
  return names;
}

/**
 * The tree cut down to the nodes that `keep(node)` accepts and their ancestors (so a match is shown where it
 * sits); the children of a match are kept when `withChildren`.
 */
export function pruneTree(tree, keep, { withChildren = false } = {}) {
  const out = [];
  for (const node of tree) {
    const matches = keep(node);
    const children = matches && withChildren ? node.children : pruneTree(node.children, keep, { withChildren });
    if (matches || children.length) out.push({ ...node, children });
  }
  return out;
}

/** How many nodes the tree holds. */
export const countNodes = (tree) => tree.reduce((sum, node) => sum + 1 + countNodes(node.children), 0);

/** The ids of the nodes down to `depth` levels (0: the roots), to open a tree that far. */
export function idsToDepth(tree, depth) {
  if (depth < 0) return [];
  return tree.flatMap((node) => [node.id, ...idsToDepth(node.children, depth - 1)]);
}
