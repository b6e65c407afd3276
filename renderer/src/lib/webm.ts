/**
 * WebM (VP8) from an animated GIF, in the browser: WebCodecs decodes the GIF's frames and
 * encodes them, webm-muxer writes the container. The services make GIFs (`media.episodes`);
 * Node has no VP8 encoder, the browser does, so the WebM is made here from the same frames.
 */
import { ArrayBufferTarget, Muxer } from 'webm-muxer';

/** Frames between key frames (ten seconds at Procgen's 15 steps per second): seeking stays cheap. */
const KEY_FRAME_EVERY = 150;

export interface Webm {
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly frames: number;
  readonly width: number;
  readonly height: number;
}

export async function webmFromGif(gif: Uint8Array, fps: number): Promise<Webm> {
  if (typeof VideoEncoder === 'undefined' || typeof ImageDecoder === 'undefined') {
    throw new Error('This browser has no WebCodecs (VideoEncoder, ImageDecoder): save a GIF, or open the app in a current Chromium or in the desktop app.');
  }
  const decoder = new ImageDecoder({ data: gif, type: 'image/gif' });
  try {
    await decoder.tracks.ready;
    const count = decoder.tracks.selectedTrack?.frameCount ?? 0;
    const first = (await decoder.decode({ frameIndex: 0 })).image;
    const width = first.displayWidth;
    const height = first.displayHeight;
    first.close();
    const muxer = new Muxer({ target: new ArrayBufferTarget(), video: { codec: 'V_VP8', width, height, frameRate: fps } });
    let failure: unknown = null;
    const encoder = new VideoEncoder({ output: (chunk, meta) => muxer.addVideoChunk(chunk, meta), error: (error) => (failure = error) });
    encoder.configure({ codec: 'vp8', width, height, bitrate: 4_000_000, framerate: fps });
    const frameMicros = 1e6 / fps;
    for (let i = 0; i < count && failure === null; i++) {
      const { image } = await decoder.decode({ frameIndex: i });
      const frame = new VideoFrame(image, { timestamp: Math.round(i * frameMicros), duration: Math.round(frameMicros) });
      encoder.encode(frame, { keyFrame: i % KEY_FRAME_EVERY === 0 });
      frame.close();
      image.close();
      // Bounded memory: wait for the encoder when frames queue up.
      while (encoder.encodeQueueSize > 16) await new Promise((resolve) => encoder.addEventListener('dequeue', resolve, { once: true }));
    }
    await encoder.flush();
    encoder.close();
    if (failure !== null) throw failure instanceof Error ? failure : new Error(String(failure));
    muxer.finalize();
    return { bytes: new Uint8Array(muxer.target.buffer), frames: count, width, height };
  } finally {
    decoder.close();
  }
}
