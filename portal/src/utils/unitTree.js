// The organisation as a tree of choices (党委 → 党总支 → 党支部), for pickers that choose units of one kind (the
// branches of a grading cycle, say). Built on the directory's tree (components/unitTree.js): only what leads to a
// unit of that kind is kept, and nothing below it (a branch's 党小组 are not offered).
import { buildUnitTree, pruneTree } from "@/components/unitTree";

/** [{id, name, kind, leaf: true} | {id, name, kind, children}]: the units of `leafKind` (active ones unless asked). */
export function choiceTree(units, { leafKind = "branch", includeInactive = false } = {}) {
  const tree = pruneTree(buildUnitTree(units, { includeInactive }), (node) => node.kind === leafKind);
  const shape = (nodes) => nodes.map((node) => (node.kind === leafKind
    ? { id: node.id, name: node.name, kind: node.kind, leaf: true }
    : { id: node.id, name: node.name, kind: node.kind, children: shape(node.children) }));
  return shape(tree);
}

/** The ids of the leaves (the units one chooses) under these nodes. */
export function leafIds(nodes) {
  return nodes.flatMap((node) => (node.leaf ? [node.id] : leafIds(node.children || [])));
}

/**
 * The leaves a search shows: those whose own name, or an ancestor's (a 党总支's), holds the text. An empty text
 * shows every leaf.
 */
export function matchingLeafIds(nodes, text, ancestorMatched = false) {
  const wanted = (text || "").trim().toLowerCase();
  return nodes.flatMap((node) => {
    const matched = ancestorMatched || !wanted || String(node.name).toLowerCase().includes(wanted);
    if (node.leaf) return matched ? [node.id] : [];
    return matchingLeafIds(node.children || [], wanted, Boolean(wanted) && matched);
  });
}
