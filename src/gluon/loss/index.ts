/**
 * The `gluon.loss` namespace, as `mxnet.gluon.loss`: each loss is a Block called as
 * `loss(pred, label)` or `loss(pred, label, sampleWeight)`, returning one value per sample.
 *
 * @example
 * const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
 * const loss = autograd.record(() => lossFn(net(x), y));
 * loss.backward();
 */
export { Loss } from './loss';
export type { LossOptions, LossRest } from './loss';
export { L1Loss, L2Loss, HuberLoss } from './regression';
export type { HuberLossOptions } from './regression';
export { SoftmaxCrossEntropyLoss, SoftmaxCELoss, SigmoidBinaryCrossEntropyLoss, SigmoidBCELoss } from './cross_entropy';
export type { SoftmaxCrossEntropyLossOptions, SigmoidBinaryCrossEntropyLossOptions } from './cross_entropy';
export { KLDivLoss } from './kl_div';
export { HingeLoss, SquaredHingeLoss, LogisticLoss, TripletLoss } from './margin';
export type { HingeLossOptions, LogisticLossOptions } from './margin';
export { PoissonNLLLoss } from './poisson';
export { CosineEmbeddingLoss } from './cosine_embedding';
export { CTCLoss } from './ctc';
export { SDMLLoss } from './sdml';
export type { SDMLLossOptions } from './sdml';
export type { CTCLossOptions } from './ctc';
export type { CosineEmbeddingLossOptions } from './cosine_embedding';
export type { PoissonNLLLossOptions } from './poisson';
export type { KLDivLossOptions } from './kl_div';
