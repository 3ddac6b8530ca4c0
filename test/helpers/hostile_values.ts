/** Values no function should choke on: a list that contains itself, an object that refers to itself, and 5,000 levels of nesting. */
export function selfReferencingValues(): unknown[] {
  const cyclicArray: unknown[] = [1];
  cyclicArray[0] = cyclicArray;
  const cyclicObject: Record<string, unknown> = {};
  cyclicObject.self = cyclicObject;
  let deep: unknown = [1];
  for (let i = 0; i < 5000; i++) deep = [deep];
  return [cyclicArray, cyclicObject, deep];
}
