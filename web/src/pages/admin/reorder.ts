// Moving one item of an ordered list up or down, as the fewest changes of `display_order`.

export interface Ordered {
  id: string;
  display_order: number;
}

/** The new display orders (only those that change) after moving items[index] by `step` (-1 up, +1 down). */
export function moveItem<T extends Ordered>(items: T[], index: number, step: -1 | 1): { id: string; display_order: number }[] {
  const target = index + step;
  if (target < 0 || target >= items.length) return [];
  const order = [...items];
  [order[index], order[target]] = [order[target], order[index]];
  const changes: { id: string; display_order: number }[] = [];
  const start = Math.min(index, target); // the items above the two are left as they are, ties included
  let previous = start > 0 ? order[start - 1].display_order : -Infinity;
  for (const item of order.slice(start)) {
    const wanted = item.display_order > previous ? item.display_order : previous + 1;
    if (wanted !== item.display_order) changes.push({ id: item.id, display_order: wanted });
    previous = wanted;
  }
  // swapping two distinct values is enough when it keeps the list increasing with fewer changes
  const a = items[index];
  const b = items[target];
  const swapped = a.display_order !== b.display_order
    ? [{ id: a.id, display_order: b.display_order }, { id: b.id, display_order: a.display_order }]
    : null;
  return swapped && swapped.length < changes.length ? swapped : changes;
}
