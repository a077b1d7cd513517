// The text the detectors read: people (and their phones) write personal data in fullwidth forms, with
// zero-width spaces and soft hyphens inside, or with runs of spaces, and each of these would break a
// pattern written for plain text. The detectors read a folded copy (NFKC, invisible characters removed,
// every run of horizontal spaces one plain space, every hyphen an ASCII one); `starts` and `ends` map each of its characters back
// onto the user's own text, so that only the personal data's span is replaced there, and the rest of
// what the user wrote is kept exactly as typed.

export interface NormalisedText {
  text: string;
  /**
   * Where each character of `text` starts and ends in the original (`starts[text.length]` is the
   * original's length); null when `text` is the original itself, as for most comments.
   */
  map: { starts: number[]; ends: number[] } | null;
}

/** Plain ASCII text without tabs or double spaces needs no folding: most English comments. */
const NEEDS_FOLDING = /[^\n\r\x20-\x7E]|[ \t][ \t]|\t/;

/**
 * What folding changes besides NFKC: tabs, double spaces, other spaces, invisible characters. A
 * French comment has accents (so NEEDS_FOLDING holds) but rarely any of these: when it has none
 * and NFKC leaves it as it is, it is read as typed, without building a map character by character.
 */
const FOLDED_APART_FROM_NFKC = /[\t\u00a0\u00ad\u1680\u2000-\u200d\u2010-\u2012\u202f\u205f\u2060\u2212\u3000\ufeff]| {2}/;

/** Zero-width space, non-joiner, joiner, word joiner, byte-order mark, soft hyphen: removed outright. */
const isInvisible = (code: number): boolean => (code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff || code === 0x00ad;
/** Hyphens other than the ASCII one (a word processor's non-breaking hyphen, a figure dash, a minus): read as « - ». */
const isHyphen = (code: number): boolean => (code >= 0x2010 && code <= 0x2012) || code === 0x2212;
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

// Plain arrays, not typed ones: allocating three typed arrays cost more than folding a short comment. The
// folded text is built from slices of the original: the characters kept as typed are copied a run at a time.
export function normalise(original: string): NormalisedText {
  if (!NEEDS_FOLDING.test(original)) return { text: original, map: null };
  if (!FOLDED_APART_FROM_NFKC.test(original) && original.normalize('NFKC') === original) return { text: original, map: null };
  const length = original.length;
  let text = '';
  /** Where the run of characters kept as typed, not yet copied, starts. */
  let kept = 0;
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < length) {
    const code = original.charCodeAt(i);
    if (isHorizontalSpace(code)) {
      // A run of spaces reads as one: the run's characters all belong to that one space.
      let end = i + 1;
      while (end < length && (isHorizontalSpace(original.charCodeAt(end)) || isInvisible(original.charCodeAt(end)))) end++;
      if (code === 0x20 && end === i + 1) {
        starts.push(i);
        ends.push(end);
        i = end;
        continue;
      }
      text += `${original.slice(kept, i)} `;
      kept = end;
      starts.push(i);
      ends.push(end);
      i = end;
      continue;
    }
    if (isInvisible(code)) {
      text += original.slice(kept, i);
      kept = i + 1;
      i++;
      continue;
    }
    if (isHyphen(code)) {
      text += `${original.slice(kept, i)}-`;
      kept = i + 1;
      starts.push(i);
      ends.push(i + 1);
      i++;
      continue;
    }
    let end = i + 1;
    if (code >= 0xd800 && code <= 0xdbff && end < length) end++; // a surrogate pair is one character
    while (end < length && isCombining(original.charCodeAt(end))) end++;
    if (end === i + 1 && (code < 0x80 || isStable(code))) {
      starts.push(i);
      ends.push(end);
    } else {
      // NFKC may lengthen a character (« … » is « ... »): each of its characters maps to the whole.
      let folded = original.slice(i, end).normalize('NFKC');
      if (folded !== '' && folded.trim() === '') folded = ' ';
      text += original.slice(kept, i) + folded;
      kept = end;
      for (let k = 0; k < folded.length; k++) {
        starts.push(i);
        ends.push(end);
      }
    }
    i = end;
  }
  text += original.slice(kept, length);
  starts.push(length);
  return { text, map: { starts, ends } };
}
