/**
 * Pointer structures a site can build in one step (scenario `structure`): node counts and links.
 *
 *  1. list: node i's pointer field 0 → node i + 1; the last node's field 0 is nil.
 *  2. cycle: a list whose last node's field 0 → node 0 (garbage a tracing collector frees and a
 *     reference count never drops to zero).
 *  3. tree: a complete tree numbered breadth-first: node i > 0 hangs from node (i − 1) / fanout
 *     (integer division) in field (i − 1) mod fanout; the root is node 0.
 */

/** Nodes of a complete tree of `fanout` children per node down to `depth` (root = depth 0). */
export function treeNodes(fanout: number, depth: number): number {
  let nodes = 0;
  let level = 1;
  for (let d = 0; d <= depth; d++) {
    nodes += level;
    level *= fanout;
  }
  return nodes;
}

/** The node that node i (> 0) of a tree hangs from, and the field it occupies there. */
export function treeParent(i: number, fanout: number): number {
  return Math.floor((i - 1) / fanout);
}

export function treeField(i: number, fanout: number): number {
  return (i - 1) % fanout;
}
