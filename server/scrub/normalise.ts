// The text the detectors read: people (and their phones) write personal data in fullwidth forms, with
// zero-width spaces and soft hyphens inside, or with runs of spaces, and each of these would break a
// pattern written for plain text. The detectors read a folded copy (NFKC, invisible characters removed,
// every run of horizontal spaces one plain space); `starts` and `ends` map each of its characters back
// onto the user's own text, so that only the personal data's span is replaced there, and the rest of
// what the user wrote is kept exactly as typed.

export interface NormalisedText {
  text: string;
  /** Where each character of `text` starts in the original; `starts[text.length]` is the original's length. */
  starts: Int32Array;
  /** Where each character of `text` ends in the original. */
  ends: Int32Array;
}

/** Plain ASCII text without tabs or double spaces needs no folding: most English comments. */
const NEEDS_FOLDING = /[^\n\r\x20-\x7E]|[ \t][ \t]|\t/;

/** Zero-width space, non-joiner, joiner, word joiner, byte-order mark, soft hyphen: removed outright. */
const isInvisible = (code: number): boolean => (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff || code === 0x00ad;
/** Horizontal white space of any kind. */
const isHorizontalSpace = (code: number): boolean =>
  code === 0x20 ||
  code === 0x09 ||
  code === 0xa0 ||
  code === 0x1680 ||
  (code >= 0x2000 && code <= 0x200a) ||
  code === 0x202f ||
  code === 0x205f ||
  code === 0x3000;
/** Combining marks, which fold with the character before them (« e » + acute accent is « é »). */
const isCombining = (code: number): boolean =>
  (code >= 0x300 && code <= 0x36f) ||
  (code >= 0x1ab0 && code <= 0x1aff) ||
  (code >= 0x1dc0 && code <= 0x1dff) ||
  (code >= 0x20d0 && code <= 0x20ff) ||
  (code >= 0xfe20 && code <= 0xfe2f);

/** Per UTF-16 unit: 0 not yet known, 1 unchanged by NFKC, 2 changed. Filled as characters are met. */
const stability = new Uint8Array(0x10000);
function isStable(code: number): boolean {
  if (stability[code] === 0) {
    const char = String.fromCharCode(code);
    stability[code] = char.normalize('NFKC') === char ? 1 : 2;
  }
  return stability[code] === 1;
}

export function normalise(original: string): NormalisedText {
  const length = original.length;
  if (!NEEDS_FOLDING.test(original)) {
    const starts = new Int32Array(length + 1);
    const ends = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      starts[i] = i;
      ends[i] = i + 1;
    }
    starts[length] = length;
    return { text: original, starts, ends };
  }
  // NFKC may lengthen a character (« … » is « ... »): the maps grow when needed.
  let starts = new Int32Array(length + 16);
  let ends = new Int32Array(length + 16);
  let size = 0;
  let text = '';
  const push = (chars: string, start: number, end: number) => {
    if (size + chars.length + 1 > starts.length) {
      const grownStarts = new Int32Array(starts.length * 2 + chars.length);
      const grownEnds = new Int32Array(starts.length * 2 + chars.length);
      grownStarts.set(starts);
      grownEnds.set(ends);
      starts = grownStarts;
      ends = grownEnds;
    }
    for (let k = 0; k < chars.length; k++) {
      starts[size] = start;
      ends[size] = end;
      size++;
    }
    text += chars;
  };
  let i = 0;
  while (i < length) {
    const code = original.charCodeAt(i);
    if (isHorizontalSpace(code)) {
      // A run of spaces reads as one: the run's characters all belong to that one space.
      let end = i + 1;
      while (end < length && (isHorizontalSpace(original.charCodeAt(end)) || isInvisible(original.charCodeAt(end)))) end++;
      push(' ', i, end);
      i = end;
      continue;
    }
    if (isInvisible(code)) {
      i++;
      continue;
    }
    let end = i + 1;
    if (code >= 0xd800 && code <= 0xdbff && end < length) end++; // a surrogate pair is one character
    while (end < length && isCombining(original.charCodeAt(end))) end++;
    if (end === i + 1 && (code < 0x80 || isStable(code))) {
      push(original[i]!, i, end);
    } else {
      const folded = original.slice(i, end).normalize('NFKC');
      if (folded.trim() === '' && folded !== '') push(' ', i, end);
      else push(folded, i, end);
    }
    i = end;
  }
  starts[size] = length;
  return { text, starts: starts.subarray(0, size + 1), ends: ends.subarray(0, size) };
}
