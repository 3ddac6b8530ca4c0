/**
 * A small canvas line plot for the demo page: the training loss (left axis, from 0 to its
 * largest value) and accuracy (right axis, 0 to 1) against the batch number.
 */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
  /** The top of the axis: a fixed value (accuracy: 1) or the series' own maximum. */
  readonly top?: number;
}

const MARGIN = { left: 44, right: 44, top: 24, bottom: 24 };

/** Redraws `canvas` with every series over `steps` batches. @example drawPlot(canvas, 250, [{ name: 'loss', color: '#c33', values }]) */
export function drawPlot(canvas: HTMLCanvasElement, steps: number, series: readonly Series[]): void {
  const g = canvas.getContext('2d');
  if (g === null) return;
  const [width, height] = [canvas.width - MARGIN.left - MARGIN.right, canvas.height - MARGIN.top - MARGIN.bottom];
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = '#999';
  g.strokeRect(MARGIN.left, MARGIN.top, width, height);
  g.font = '11px system-ui';
  series.forEach((s, k) => {
    const top = s.top ?? Math.max(1e-9, ...s.values);
    g.fillStyle = s.color;
    // The names above the frame, one at each end; the axis values beside it.
    g.textAlign = k === 0 ? 'left' : 'right';
    g.fillText(s.name, k === 0 ? MARGIN.left : MARGIN.left + width, MARGIN.top - 8);
    g.textAlign = k === 0 ? 'right' : 'left';
    const labelX = k === 0 ? MARGIN.left - 4 : MARGIN.left + width + 4;
    g.fillText(top.toFixed(2), labelX, MARGIN.top + 8);
    g.fillText('0', labelX, MARGIN.top + height);
    g.strokeStyle = s.color;
    g.beginPath();
    s.values.forEach((v, i) => {
      const x = MARGIN.left + (width * (i + 1)) / Math.max(steps, 1);
      const y = MARGIN.top + height * (1 - Math.min(v, top) / top);
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    });
    g.stroke();
  });
  g.fillStyle = '#555';
  g.textAlign = 'center';
  g.fillText(`batches (of ${steps})`, MARGIN.left + width / 2, canvas.height - 6);
}
