import { nn } from '../src';

/**
 * The LeNet of the Gluon tutorial (Fashion-MNIST), layer for layer, so that a Gluon
 * `save_parameters` file of it ('0.weight', '0.bias', '2.weight', …, '7.bias') loads into it.
 * Input (N, 1, 28, 28); output (N, 10) class scores.
 */
export function lenet(): nn.HybridSequential {
  const net = new nn.HybridSequential();
  net.nameScope(() =>
    net.add(
      new nn.Conv2D(6, 5, { activation: 'relu' }),
      new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
      new nn.Conv2D(16, 3, { activation: 'relu' }),
      new nn.MaxPool2D({ poolSize: 2, strides: 2 }),
      new nn.Flatten(),
      new nn.Dense(120, { activation: 'relu' }),
      new nn.Dense(84, { activation: 'relu' }),
      new nn.Dense(10),
    ),
  );
  return net;
}
