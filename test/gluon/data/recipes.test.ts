/**
 * recipes.ts: what a DataLoader's workers can rebuild — built-in transforms record their class and
 * arguments (not a user's subclass), a Compose nests its steps' recipes, option objects are kept,
 * dataset methods chain onto their target's recipe, and a closure anywhere leaves none.
 */
import * as path from 'path';
import { NDArray, gluon, nn } from '../../../src';
import { recipeModules, recipeOf } from '../../../src/gluon/data/recipes';

const { transforms } = gluon.data.vision;
const TRANSFORMS = path.join('gluon', 'data', 'vision', 'transforms');

test('built-in transforms record their class and arguments; a Compose nests them', () => {
  const recipe = recipeOf(new transforms.Compose([new transforms.Resize(8, true), new transforms.RandomColorJitter({ brightness: 0.2 })]));
  expect(recipe).toMatchObject({
    exportName: 'Compose',
    construct: true,
    args: [[{ $recipe: { exportName: 'Resize', args: [8, true] } }, { $recipe: { exportName: 'RandomColorJitter', args: [{ brightness: 0.2 }] } }]],
  });
  expect(recipe && recipeModules(recipe).every((file) => file.includes(TRANSFORMS))).toBe(true);
  class Mine extends transforms.ToTensor {}
  expect(recipeOf(new Mine())).toBeUndefined();
  expect(recipeOf(new transforms.Compose([new transforms.ToTensor(), new nn.Lambda((x) => x)]))).toBeUndefined();
});

test('dataset methods chain onto a rebuildable target, not onto a closure or a dataset made here', () => {
  const made = new gluon.data.SimpleDataset([1, 2, 3]);
  expect(recipeOf(made.take(2))).toBeUndefined();
  const fromModule = gluon.data.datasetFromModule<[NDArray, NDArray]>(path.join(__dirname, '..', '..', 'fixtures', 'worker_datasets.ts'), 'squares', 4);
  const recipe = recipeOf(fromModule.shard(2, 1).transformFirst(new transforms.Cast('float64')));
  expect(recipe).toMatchObject({
    method: 'transformFirst',
    args: [{ $recipe: { exportName: 'Cast', args: ['float64'] } }],
    target: { method: 'shard', args: [2, 1], target: { exportName: 'squares', construct: false, args: [4] } },
  });
  expect(recipeOf(fromModule.transformFirst((x) => x))).toBeUndefined();
});
