/**
 * Finds faces in a photo with MTCNN, as MXNet exported it, and draws them:
 *
 *     npm run example:mtcnn -- MODEL_DIR IMAGE [OUT.png] [--minsize N]
 *
 * MODEL_DIR holds det1/det2/det3 `-symbol.json` and `-0001.params` (from
 * pangyupo/mxnet_mtcnn_face_detection's `model/`); IMAGE is a JPEG or PNG. Prints each face's
 * box, score and 5 landmarks, and writes OUT.png (default: IMAGE's base name + `.mtcnn.png` in the
 * current directory): the photo with the boxes in green and the landmarks in red. `--minsize`
 * sets the smallest face searched for (20 px, as the reference): larger is faster.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Face, MtcnnDetector } from './detector';
import { cloneImage, drawRect, encodePng, fillCircle, readImage, BgrImage } from './image';

const USAGE = 'usage: npm run example:mtcnn -- MODEL_DIR IMAGE [OUT.png] [--minsize N]';
const LANDMARKS = ['left eye', 'right eye', 'nose', 'left mouth', 'right mouth'];

function parseArgs(argv: string[]): { modelDir: string; image: string; out: string; minsize?: number } {
  const rest: string[] = [];
  let minsize: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--minsize') {
      minsize = Number(argv[++i]);
      if (!(minsize >= 1)) throw new Error(`--minsize: expected a number of pixels >= 1, got '${argv[i]}'`);
    } else if (argv[i] === '-h' || argv[i] === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else {
      rest.push(argv[i]);
    }
  }
  if (rest.length < 2 || rest.length > 3) throw new Error(USAGE);
  const [modelDir, image] = rest;
  const out = rest[2] ?? `${path.basename(image, path.extname(image))}.mtcnn.png`;
  return { modelDir, image, out, minsize };
}

/** A copy of the photo with each face's box (green) and landmarks (red dots), sized to the photo. */
export function annotate(image: BgrImage, faces: Face[]): BgrImage {
  const draw = cloneImage(image);
  const thickness = Math.max(1, Math.round(Math.min(image.width, image.height) / 300));
  for (const { box, landmarks } of faces) {
    drawRect(draw, box.x1, box.y1, box.x2, box.y2, [0, 255, 0], thickness + 1);
    for (const p of landmarks) fillCircle(draw, p.x, p.y, thickness + 1, [0, 0, 255]);
  }
  return draw;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  let t = Date.now();
  const detector = new MtcnnDetector(args.modelDir, { minsize: args.minsize });
  const loadMs = Date.now() - t;
  const image = readImage(args.image);
  console.log(`${args.image}: ${image.width}×${image.height}; models loaded from ${args.modelDir} in ${loadMs} ms`);

  t = Date.now();
  const faces = detector.detect(image);
  const ms = Date.now() - t;
  const stats = detector.lastStats!;
  console.log(`pyramid: ${stats.scales.length} scales (${stats.scales.map((s) => s.toFixed(3)).join(', ')}), minsize ${detector.minsize}, factor ${detector.factor}`);
  console.log(
    `P-Net ${stats.counts.pnet} windows (${stats.ms.pnet} ms), R-Net ${stats.counts.rnet} (${stats.ms.rnet} ms), ` +
      `O-Net ${stats.counts.onet} faces (${stats.ms.onet} ms); ${ms} ms in all`,
  );
  faces.forEach((f, i) => {
    const b = f.box;
    console.log(`face ${i + 1}: box (${b.x1.toFixed(1)}, ${b.y1.toFixed(1)})–(${b.x2.toFixed(1)}, ${b.y2.toFixed(1)}), score ${f.score.toFixed(4)}`);
    console.log(`  ${f.landmarks.map((p, k) => `${LANDMARKS[k]} (${p.x.toFixed(1)}, ${p.y.toFixed(1)})`).join(', ')}`);
  });
  if (faces.length === 0) console.log('no faces found');

  fs.writeFileSync(args.out, encodePng(annotate(image, faces)));
  console.log(`wrote ${args.out}`);
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
