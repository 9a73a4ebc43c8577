// Small but complete image files built in code (a real PNG, a baseline JPEG, a lossless WebP) for logo tests.
import {crc32, deflateSync} from 'node:zlib'

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(typeAndData))
  return Buffer.concat([length, typeAndData, crc])
}

/** A `width`×`height` RGBA PNG of one colour: signature, IHDR, one zlib IDAT, IEND. */
export function pngImage(
  width = 2,
  height = 2,
  rgba: [number, number, number, number] = [0x1e, 0x90, 0xff, 0xff],
): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // colour type: RGBA
  // compression, filter and interlace methods: 0
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({length: width}, () => rgba).flat())])
  const pixels = Buffer.concat(Array.from({length: height}, () => row))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

function jpegSegment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2
  return [0xff, marker, length >> 8, length & 0xff, ...payload]
}

/**
 * A 1×1 mid-grey baseline JPEG. With one 8×8 block whose coefficients are all zero, the entropy-coded data is
 * "DC category 0, end of block"; one-symbol Huffman tables give each the one-bit code 0, so the scan is the
 * bits 00 padded with ones: 0x3F.
 */
export function jpegImage(): Buffer {
  const oneSymbolTable = (tableClassAndId: number) => [tableClassAndId, 1, ...Array(15).fill(0), 0x00]
  return Buffer.from([
    0xff,
    0xd8, // SOI
    ...jpegSegment(0xdb, [0x00, ...Array(64).fill(1)]), // DQT: table 0, 8-bit, all ones
    ...jpegSegment(0xc0, [8, 0, 1, 0, 1, 1, 0x01, 0x11, 0x00]), // SOF0: 8-bit, 1×1, one component
    ...jpegSegment(0xc4, oneSymbolTable(0x00)), // DHT: DC table 0
    ...jpegSegment(0xc4, oneSymbolTable(0x10)), // DHT: AC table 0
    ...jpegSegment(0xda, [1, 0x01, 0x00, 0, 63, 0]), // SOS: one component, tables 0/0, full spectrum
    0x3f,
    0xff,
    0xd9, // EOI
  ])
}

/**
 * A 1×1 lossless WebP: RIFF container, "WEBP", one VP8L chunk. The 13-byte bitstream is the well-known
 * single-pixel image used by browsers' WebP feature tests.
 */
export function webpImage(): Buffer {
  const vp8l = Buffer.from([0x2f, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 0x07, 0x00])
  const chunkHeader = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.alloc(4)])
  chunkHeader.writeUInt32LE(13, 4)
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), chunkHeader, vp8l])
  const riff = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4)])
  riff.writeUInt32LE(body.length, 4)
  return Buffer.concat([riff, body])
}
