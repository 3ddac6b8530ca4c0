/**
 * Data layouts of the sliding-window operators (`Convolution`, `Deconvolution`, `Pooling`):
 * MXNet's `layout` enum, and the check that a layout fits the number of spatial dimensions.
 * tsgluon runs the channels-last layouts natively on the CPU (MXNet only on the GPU), and adds
 * 'NWC', which MXNet's convolution enum lacks.
 */
import { GluonError } from '../core/errors';
import { describeValue } from '../core/checks';

/** Channels-first layouts by number of spatial dims (1, 2, 3). */
export const CHANNELS_FIRST = ['NCW', 'NCHW', 'NCDHW'] as const;
/** Their channels-last twins, by number of spatial dims. */
export const CHANNELS_LAST = ['NWC', 'NHWC', 'NDHWC'] as const;
export type ConvLayout = (typeof CHANNELS_FIRST)[number] | (typeof CHANNELS_LAST)[number];
/** Every layout, in MXNet's enum order then tsgluon's 'NWC'. */
export const CONV_LAYOUTS: readonly ConvLayout[] = ['NCW', 'NCHW', 'NCDHW', 'NHWC', 'NDHWC', 'NWC'];

/** A checked layout: its name, whether channels come last, and the channel axis of the data. */
export interface SpatialLayout {
  readonly layout: ConvLayout;
  readonly channelsLast: boolean;
  readonly channelAxis: number;
}

/**
 * The layout for `rank` spatial dims: the channels-first one when `layout` is null (MXNet's
 * default), else `layout`, which must have `rank` spatial dims.
 *
 * @example
 * spatialLayout('Convolution', null, 2);   // { layout: 'NCHW', channelsLast: false, channelAxis: 1 }
 * spatialLayout('Convolution', 'NWC', 1);  // { layout: 'NWC', channelsLast: true, channelAxis: 2 }
 */
export function spatialLayout(who: string, layout: ConvLayout | null, rank: number): SpatialLayout {
  const first = CHANNELS_FIRST[rank - 1];
  const last = CHANNELS_LAST[rank - 1];
  if (layout === null || layout === first) return { layout: first, channelsLast: false, channelAxis: 1 };
  if (layout === last) return { layout: last, channelsLast: true, channelAxis: rank + 1 };
  throw new GluonError(`${who}: expected layout '${first}' or '${last}' for ${rank} spatial dimension(s), but got ${describeValue(layout)}`);
}
