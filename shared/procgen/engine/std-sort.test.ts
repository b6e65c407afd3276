import { describe, expect, it } from 'vitest';
import { RandGen } from './rng.ts';
import { stdSort } from './std-sort.ts';

/**
 * Orders produced by g++'s std::sort (libstdc++) on n items {key = mt19937(n)() % 12, id = i}
 * with the comparator `a.key > b.key` (starpilot's spawn_cmp), recorded once.
 */
const LIBSTDCXX_ORDERS: Record<number, number[]> = {
  10: [6, 1, 9, 3, 0, 5, 7, 8, 2, 4],
  40: [1, 2, 37, 26, 32, 25, 0, 20, 21, 3, 7, 28, 24, 23, 9, 34, 35, 38, 16, 15, 12, 13, 33, 18, 19, 5, 29, 30, 17, 14, 36, 11, 10, 31, 27, 6, 22, 39, 4, 8],
  75: [
    47, 42, 68, 18, 65, 14, 13, 34, 62, 41, 48, 20, 61, 53, 9, 70, 54, 28, 0, 67, 29, 31, 23, 24, 60, 16, 12, 11, 55, 59, 46, 39, 43, 22, 21, 7, 6, 35, 17, 38,
    64, 3, 63, 45, 52, 57, 58, 66, 32, 30, 27, 25, 69, 10, 5, 73, 1, 71, 37, 51, 36, 2, 56, 49, 44, 40, 26, 15, 8, 72, 19, 74, 50, 33, 4,
  ],
};

describe('stdSort', () => {
  for (const [n, expected] of Object.entries(LIBSTDCXX_ORDERS)) {
    it(`orders ties exactly as libstdc++ std::sort (n = ${n})`, () => {
      const g = new RandGen();
      g.seed(Number(n));
      const items = Array.from({ length: Number(n) }, (_, id) => ({ key: g.nextUint32() % 12, id }));
      stdSort(items, items.length, (a, b) => a.key > b.key);
      expect(items.map((e) => e.id)).toEqual(expected);
    });
  }

  it('matches libstdc++ in its heapsort fallback too (organ-pipe input exhausts the depth budget)', () => {
    // Recorded from g++'s std::sort on {key = i < 150 ? i : 300 - i, id = i} with a.key < b.key.
    const expected =
      '0 1 299 2 298 3 297 4 296 5 295 6 294 7 293 8 292 9 291 10 290 11 289 12 288 13 287 14 286 285 15 16 284 17 283 18 282 19 281 20 280 21 279 22 278 277 23 24 276 25 275 26 274 27 273 272 28 29 271 30 270 269 31 32 268 267 33 34 266 265 35 264 36 263 37 262 38 39 261 260 40 41 259 42 258 43 257 44 256 45 255 46 254 253 47 252 48 251 49 250 50 249 51 52 248 53 247 54 246 55 245 244 56 57 243 58 242 59 241 60 240 61 239 62 238 237 63 64 236 235 65 66 234 233 67 232 68 231 69 70 230 229 71 228 72 227 73 226 74 225 75 224 76 223 77 222 78 221 79 220 80 219 81 218 82 217 83 216 84 215 85 214 86 87 213 212 88 89 211 90 210 91 209 92 208 93 207 94 206 95 205 96 204 97 203 98 202 99 201 100 200 101 199 198 102 197 103 196 104 195 105 106 194 107 193 108 192 191 109 190 110 189 111 188 112 113 187 186 114 185 115 184 116 117 183 118 182 119 181 180 120 179 121 122 178 177 123 176 124 175 125 174 126 173 127 172 128 171 129 130 170 131 169 132 168 133 167 134 166 135 165 136 164 137 163 138 162 139 161 140 160 141 159 158 142 157 143 156 144 145 155 154 146 153 147 152 148 151 149 150'
        .split(' ')
        .map(Number);
    const items = Array.from({ length: 300 }, (_, id) => ({ key: id < 150 ? id : 300 - id, id }));
    const tail = [{ key: -1, id: -1 }];
    const all = [...items, ...tail];
    stdSort(all, items.length, (a, b) => a.key < b.key);
    expect(all.slice(0, 300).map((e) => e.id)).toEqual(expected);
    expect(all[300]).toBe(tail[0]);
  });
});
