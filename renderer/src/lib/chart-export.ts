/**
 * Charts and tables out of the app: an on-screen SVG becomes a standalone SVG
 * file (the theme's CSS variables and classes resolved into attributes, so it
 * looks the same anywhere) or a PNG drawn from that SVG at twice the size.
 */

/** Presentation properties the charts set through CSS; copied onto each element as computed. */
const STYLED = [
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'fill-opacity',
  'stroke-opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
];

/** A standalone SVG document of an element on screen, with its background. */
export function svgDocument(svg: SVGSVGElement, background: string): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  from.forEach((element, i) => {
    const style = getComputedStyle(element);
    const target = to[i]!;
    for (const property of STYLED) {
      const value = style.getPropertyValue(property);
      if (value) target.setAttribute(property, value);
    }
    target.removeAttribute('class');
  });
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  copy.setAttribute('viewBox', `0 0 ${Math.round(width)} ${Math.round(height)}`);
  const backdrop = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  backdrop.setAttribute('width', '100%');
  backdrop.setAttribute('height', '100%');
  backdrop.setAttribute('fill', background);
  copy.insertBefore(backdrop, copy.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

/** Charts drawn on a canvas (LineChart) give their SVG through a function registered on their element. */
const exportSources = new WeakMap<Element, () => string>();

/** Registers `element` as an exportable chart; returns the unregistering function (an effect's cleanup). */
export function registerExportSource(element: HTMLElement, toSvg: () => string): () => void {
  exportSources.set(element, toSvg);
  element.dataset.exportSource = '';
  return () => {
    exportSources.delete(element);
    delete element.dataset.exportSource;
  };
}

/** Every chart inside `target` as a standalone SVG document: SVG charts as drawn, canvas charts as they render themselves. */
export function chartDocuments(target: HTMLElement, background: string): string[] {
  return [...target.querySelectorAll<Element>('svg, [data-export-source]')]
    .filter((element) => element.hasAttribute('data-export-source') || !element.closest('[data-export-source]'))
    .map((element) => exportSources.get(element)?.() ?? svgDocument(element as SVGSVGElement, background));
}

/** The SVG document rasterised at `scale` times its size. */
export async function pngOf(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(image.naturalWidth * scale);
    canvas.height = Math.round(image.naturalHeight * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser gave no 2D canvas to draw the PNG on.');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The PNG could not be encoded.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a blob as a file through the browser's download (Electron shows its save dialog). */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // The download has its own reference by the next tick.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
