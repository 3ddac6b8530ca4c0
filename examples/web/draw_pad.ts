/**
 * The drawing pad: white strokes on a black 280×280 canvas, turned into an MNIST-like 28×28
 * image as MNIST's digits were made — the drawing's bounding box scaled to fit 20×20 (keeping its
 * aspect), then placed so its centre of mass sits at the centre of the 28×28 frame.
 */
const SIDE = 28;
const BOX = 20;

/** Lets the mouse (or a finger) draw on `canvas`; calls `changed` after each stroke. */
export function attachPad(canvas: HTMLCanvasElement, changed: () => void): { clear(): void } {
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  const clear = () => {
    g.fillStyle = '#000';
    g.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  let drawing = false;
  const at = (event: PointerEvent) => {
    const box = canvas.getBoundingClientRect();
    return [((event.clientX - box.left) * canvas.width) / box.width, ((event.clientY - box.top) * canvas.height) / box.height];
  };
  canvas.addEventListener('pointerdown', (event) => {
    drawing = true;
    const [x, y] = at(event);
    g.beginPath();
    g.moveTo(x, y);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const [x, y] = at(event);
    g.lineTo(x, y);
    g.strokeStyle = '#fff';
    g.lineWidth = 20;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.stroke();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    changed();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointerleave', end);
  return { clear };
}

/** The drawing as 28×28 intensities in [0, 1], row-major, or undefined when nothing is drawn. */
export function padImage(canvas: HTMLCanvasElement): Float32Array | undefined {
  const { width, height } = canvas;
  const rgba = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, width, height).data;
  let [top, left, bottom, right] = [height, width, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (rgba[4 * (y * width + x)] > 0) [top, left, bottom, right] = [Math.min(top, y), Math.min(left, x), Math.max(bottom, y), Math.max(right, x)];
    }
  }
  if (bottom < 0) return undefined;
  const scale = BOX / Math.max(bottom - top + 1, right - left + 1);
  const small = document.createElement('canvas');
  small.width = small.height = SIDE;
  const s = small.getContext('2d') as CanvasRenderingContext2D;
  const [w, h] = [(right - left + 1) * scale, (bottom - top + 1) * scale];
  s.drawImage(canvas, left, top, right - left + 1, bottom - top + 1, (SIDE - w) / 2, (SIDE - h) / 2, w, h);
  const pixels = s.getImageData(0, 0, SIDE, SIDE).data;
  const image = Float32Array.from({ length: SIDE * SIDE }, (_, p) => pixels[4 * p] / 255);
  return centred(image);
}

/** `image` moved by whole pixels so that its centre of mass is at the frame's centre. */
function centred(image: Float32Array): Float32Array {
  let [mass, cy, cx] = [0, 0, 0];
  image.forEach((v, p) => {
    mass += v;
    cy += v * Math.floor(p / SIDE);
    cx += v * (p % SIDE);
  });
  const [dy, dx] = [Math.round((SIDE - 1) / 2 - cy / mass), Math.round((SIDE - 1) / 2 - cx / mass)];
  const out = new Float32Array(SIDE * SIDE);
  image.forEach((v, p) => {
    const [y, x] = [Math.floor(p / SIDE) + dy, (p % SIDE) + dx];
    if (y >= 0 && y < SIDE && x >= 0 && x < SIDE) out[y * SIDE + x] = v;
  });
  return out;
}
