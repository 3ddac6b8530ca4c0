/**
 * MXNet's neural-network operators (`mx.nd.InstanceNorm`, …), which the layers call through `F`.
 */
export { InstanceNorm } from './instance_norm';
export type { InstanceNormOpOptions } from './instance_norm';
