/**
 * libstdc++'s `std::sort` (introsort + final insertion sort), step for step.
 * It is not stable, and Procgen sorts starpilot's spawn schedule with it, so
 * enemies due on the same step enter the world in exactly this order only if
 * we reproduce the algorithm, not just the ordering.
 */

const THRESHOLD = 16;

type Less<T> = (a: T, b: T) => boolean;

/** Sorts `items[0..count)` in place as `std::sort(begin, begin + count, less)` would. */
export function stdSort<T>(items: T[], count: number, less: Less<T>): void {
  if (count < 2) return;
  introsortLoop(items, 0, count, 2 * Math.floor(Math.log2(count)), less);
  finalInsertionSort(items, 0, count, less);
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function introsortLoop<T>(a: T[], first: number, last: number, depthLimit: number, less: Less<T>): void {
  while (last - first > THRESHOLD) {
    if (depthLimit === 0) {
      heapSort(a, first, last, less);
      return;
    }
    depthLimit--;
    const cut = partitionPivot(a, first, last, less);
    introsortLoop(a, cut, last, depthLimit, less);
    last = cut;
  }
}

function partitionPivot<T>(a: T[], first: number, last: number, less: Less<T>): number {
  const mid = first + Math.floor((last - first) / 2);
  moveMedianToFirst(a, first, first + 1, mid, last - 1, less);
  return unguardedPartition(a, first + 1, last, first, less);
}

function moveMedianToFirst<T>(a: T[], result: number, i: number, j: number, k: number, less: Less<T>): void {
  if (less(a[i]!, a[j]!)) {
    if (less(a[j]!, a[k]!)) swap(a, result, j);
    else if (less(a[i]!, a[k]!)) swap(a, result, k);
    else swap(a, result, i);
  } else if (less(a[i]!, a[k]!)) swap(a, result, i);
  else if (less(a[j]!, a[k]!)) swap(a, result, k);
  else swap(a, result, j);
}

function unguardedPartition<T>(a: T[], first: number, last: number, pivot: number, less: Less<T>): number {
  for (;;) {
    while (less(a[first]!, a[pivot]!)) first++;
    last--;
    while (less(a[pivot]!, a[last]!)) last--;
    if (!(first < last)) return first;
    swap(a, first, last);
    first++;
  }
}

function finalInsertionSort<T>(a: T[], first: number, last: number, less: Less<T>): void {
  if (last - first > THRESHOLD) {
    insertionSort(a, first, first + THRESHOLD, less);
    for (let i = first + THRESHOLD; i < last; i++) unguardedLinearInsert(a, i, less);
  } else {
    insertionSort(a, first, last, less);
  }
}

function insertionSort<T>(a: T[], first: number, last: number, less: Less<T>): void {
  for (let i = first + 1; i < last; i++) {
    if (less(a[i]!, a[first]!)) {
      const value = a[i]!;
      for (let k = i; k > first; k--) a[k] = a[k - 1]!;
      a[first] = value;
    } else {
      unguardedLinearInsert(a, i, less);
    }
  }
}

function unguardedLinearInsert<T>(a: T[], last: number, less: Less<T>): void {
  const value = a[last]!;
  let next = last - 1;
  while (less(value, a[next]!)) {
    a[last] = a[next]!;
    last = next;
    next--;
  }
  a[last] = value;
}

/** `std::__partial_sort(first, last, last)`: make_heap then sort_heap. */
function heapSort<T>(a: T[], first: number, last: number, less: Less<T>): void {
  const len = last - first;
  if (len >= 2) {
    for (let parent = Math.floor((len - 2) / 2); ; parent--) {
      adjustHeap(a, first, parent, len, a[first + parent]!, less);
      if (parent === 0) break;
    }
  }
  while (last - first > 1) {
    last--;
    const value = a[last]!;
    a[last] = a[first]!;
    adjustHeap(a, first, 0, last - first, value, less);
  }
}

function adjustHeap<T>(a: T[], first: number, holeIndex: number, len: number, value: T, less: Less<T>): void {
  const topIndex = holeIndex;
  let secondChild = holeIndex;
  while (secondChild < Math.floor((len - 1) / 2)) {
    secondChild = 2 * (secondChild + 1);
    if (less(a[first + secondChild]!, a[first + secondChild - 1]!)) secondChild--;
    a[first + holeIndex] = a[first + secondChild]!;
    holeIndex = secondChild;
  }
  if ((len & 1) === 0 && secondChild === Math.floor((len - 2) / 2)) {
    secondChild = 2 * (secondChild + 1);
    a[first + holeIndex] = a[first + secondChild - 1]!;
    holeIndex = secondChild - 1;
  }
  let parent = Math.floor((holeIndex - 1) / 2);
  while (holeIndex > topIndex && less(a[first + parent]!, value)) {
    a[first + holeIndex] = a[first + parent]!;
    holeIndex = parent;
    parent = Math.floor((holeIndex - 1) / 2);
  }
  a[first + holeIndex] = value;
}
